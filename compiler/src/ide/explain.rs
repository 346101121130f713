//! `cruddur explain WORD`: the documentation of a word of the language, from the vocabulary,
//! as hover shows it: an item (`project`), a member by its path
//! (`project.environment.compute`, or the end of one: `environment.compute`) or by its name
//! when only one member has it (`compute`), an action provider (`codebuild`) or one of its
//! settings (`github.repo`), an enum value (`small`) or a value function (`ecr_login`).

use super::hover;
use crate::diagnostics::did_you_mean;
use crate::vocabulary::{self, items::ITEMS, providers::PROVIDERS, Function, MemberSpec, ENUMS};

/// The documentation, or why there is none (with the paths to choose from when the word is
/// the name of several members, or a near word when it is none).
pub fn explain(word: &str) -> Result<String, String> {
    let path: Vec<&str> = word.split('.').collect();
    if let [provider, setting] = path.as_slice() {
        if let Some(provider) = vocabulary::provider(provider) {
            return match provider.setting(setting) {
                Some(setting) => Ok(hover::setting_text(provider, setting)),
                None => Err(format!(
                    "`{}` actions have no setting `{setting}`; their settings: {}",
                    provider.name,
                    provider.settings.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
                )),
            };
        }
    }
    let members = members_at(&path);
    if path.len() > 1 {
        return match members.as_slice() {
            [(full, spec)] => Ok(hover::member(
                spec,
                &full.iter().map(String::as_str).collect::<Vec<_>>(),
            )),
            [] => Err(format!("`{word}` is not a member of the language")),
            several => Err(format!(
                "`{word}` names several members; explain one of: {}",
                several.iter().map(|(p, _)| p.join(".")).collect::<Vec<_>>().join(", ")
            )),
        };
    }
    // A word may be several things (`lambda` is a provider and a trusted service).
    let mut sections: Vec<String> = Vec::new();
    if let Some(item) = vocabulary::item(word) {
        sections.push(hover::item_kind(item));
    }
    if let Some(provider) = vocabulary::provider(word) {
        sections.push(hover::provider_text(provider));
    }
    for spec in ENUMS {
        if let Some(value) = spec.value(word) {
            sections.push(hover::enum_value(spec, value));
        }
    }
    if let Some(function) = Function::named(word) {
        sections.push(hover::function_text(&function));
    }
    let settings: Vec<String> = PROVIDERS
        .iter()
        .filter(|p| p.setting(word).is_some())
        .map(|p| format!("{}.{word}", p.name))
        .collect();
    match (members.as_slice(), settings.as_slice()) {
        ([(path, spec)], []) => sections.push(hover::member(
            spec,
            &path.iter().map(String::as_str).collect::<Vec<_>>(),
        )),
        ([], []) => {}
        _ => {
            let mut paths: Vec<String> = members.iter().map(|(p, _)| p.join(".")).collect();
            paths.extend(settings);
            if sections.is_empty() {
                return Err(format!(
                    "`{word}` names several things; explain one of: {}",
                    paths.join(", ")
                ));
            }
            sections.push(format!("Also a member or setting: {}", paths.join(", ")));
        }
    }
    if !sections.is_empty() {
        return Ok(sections.join("\n\n---\n\n"));
    }
    let words = all_words();
    let near = did_you_mean(&word.to_ascii_lowercase(), words.iter().map(String::as_str));
    Err(match near {
        Some(near) => format!("`{word}` is not a word of the language; did you mean `{near}`?"),
        None => format!("`{word}` is not a word of the language (an item, a member, a provider, a setting or a value)"),
    })
}

/// Members whose path ends with `path`, with their full paths.
fn members_at(path: &[&str]) -> Vec<(Vec<String>, &'static MemberSpec)> {
    let mut found = Vec::new();
    for item in ITEMS {
        walk(path, item.members(), &mut vec![item.keyword], &mut found);
    }
    // A full path from an item keyword names one member, whatever ends like it.
    if let Some(exact) = found
        .iter()
        .position(|(p, _)| p.iter().map(String::as_str).eq(path.iter().copied()))
    {
        return vec![found.swap_remove(exact)];
    }
    found
}

fn walk(
    wanted: &[&str],
    members: &'static [MemberSpec],
    path: &mut Vec<&'static str>,
    found: &mut Vec<(Vec<String>, &'static MemberSpec)>,
) {
    for member in members {
        path.push(member.name);
        if path.ends_with(wanted) {
            found.push((path.iter().map(|s| s.to_string()).collect(), member));
        }
        walk(wanted, member.members(), path, found);
        path.pop();
    }
}

/// Every word `explain` knows, for "did you mean".
fn all_words() -> Vec<String> {
    let mut words: Vec<String> = ITEMS.iter().map(|i| i.keyword.to_string()).collect();
    words.extend(PROVIDERS.iter().map(|p| p.name.to_string()));
    for spec in ENUMS {
        words.extend(spec.words().map(str::to_string));
    }
    for item in ITEMS {
        let mut stack: Vec<&MemberSpec> = item.members().iter().collect();
        while let Some(member) = stack.pop() {
            words.push(member.name.to_string());
            stack.extend(member.members());
        }
    }
    words.sort();
    words.dedup();
    words
}

#[cfg(test)]
mod tests {
    use super::explain;

    #[test]
    fn words_of_the_language_explain_themselves() {
        assert!(explain("project").unwrap().contains("AWS::CodeBuild::Project"));
        assert!(explain("codebuild").unwrap().contains("Build / CodeBuild action"));
        assert!(explain("github.repo").unwrap().contains("FullRepositoryId"));
        let compute = explain("compute").unwrap();
        assert!(compute.contains("property of `project.environment`") && compute.contains("`\"2xlarge\"`"));
        assert_eq!(explain("project.environment.compute").unwrap(), compute);
        assert_eq!(explain("environment.compute").unwrap(), compute);
        let ambiguous = explain("name").unwrap_err();
        assert!(
            ambiguous.contains("project.name") && ambiguous.contains("repository.name"),
            "{ambiguous}"
        );
        assert!(explain("github.nope").unwrap_err().contains("settings: repo, branch"));
        assert!(explain("frobnicate")
            .unwrap_err()
            .contains("not a word of the language"));
        assert!(explain("compte").unwrap_err().contains("did you mean `compute`?"));
        assert!(explain("PROJECT").unwrap_err().contains("did you mean `project`?"));
    }

    #[test]
    fn values_and_functions_explain_themselves() {
        assert!(explain("small").unwrap().contains("BUILD_GENERAL1_SMALL"));
        assert!(explain("ecr_login").unwrap().contains("ecr_login(repository)"));
        assert!(explain("amazonlinux_standard")
            .unwrap()
            .contains("amazonlinux_standard(\"VERSION\")"));
        // A provider and a trusted service.
        let lambda = explain("lambda").unwrap();
        assert!(
            lambda.contains("Invoke / Lambda action") && lambda.contains("lambda.amazonaws.com"),
            "{lambda}"
        );
    }
}

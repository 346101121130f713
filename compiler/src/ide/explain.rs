//! `cruddur explain WORD`: the documentation of a word of the language, from the vocabulary,
//! as hover shows it: an item (`project`), a member by its path
//! (`project.environment.compute`) or by its name when only one member has it (`compute`), an
//! action provider (`codebuild`) or one of its settings (`github.repo`).

use super::hover;
use crate::vocabulary::{self, items::ITEMS, providers::PROVIDERS, MemberSpec};

/// The documentation, or why there is none (with the paths to choose from when the word is
/// the name of several members).
pub fn explain(word: &str) -> Result<String, String> {
    if let Some(item) = vocabulary::item(word) {
        return Ok(hover::item_kind(item));
    }
    if let Some(provider) = vocabulary::provider(word) {
        return Ok(hover::provider_text(provider));
    }
    let path: Vec<&str> = word.split('.').collect();
    if let [provider, setting] = path.as_slice() {
        if let Some(provider) = vocabulary::provider(provider) {
            return match provider.setting(setting) {
                Some(setting) => Ok(hover::setting_text(provider, setting)),
                None => Err(format!(
                    "a `{}` action has no setting `{setting}`; its settings: {}",
                    provider.name,
                    provider.settings.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
                )),
            };
        }
    }
    if path.len() > 1 {
        return match vocabulary::lookup(&path) {
            Some(spec) => Ok(hover::member(spec, &path)),
            None => Err(format!("`{word}` is not a member of the language")),
        };
    }
    let mut found = Vec::new();
    for item in ITEMS {
        members_named(word, item.members(), &mut vec![item.keyword], &mut found);
    }
    let settings: Vec<String> = PROVIDERS
        .iter()
        .filter(|p| p.setting(word).is_some())
        .map(|p| format!("{}.{word}", p.name))
        .collect();
    match (found.as_slice(), settings.as_slice()) {
        ([(path, spec)], []) => Ok(hover::member(spec, &path.iter().map(String::as_str).collect::<Vec<_>>())),
        ([], []) => Err(format!(
            "`{word}` is neither a diagnostic code nor a word of the language (an item, a member, a provider or a setting)"
        )),
        _ => {
            let mut paths: Vec<String> = found.iter().map(|(p, _)| p.join(".")).collect();
            paths.extend(settings);
            Err(format!("`{word}` names several things; explain one of: {}", paths.join(", ")))
        }
    }
}

fn members_named(
    word: &str,
    members: &'static [MemberSpec],
    path: &mut Vec<&'static str>,
    found: &mut Vec<(Vec<String>, &'static MemberSpec)>,
) {
    for member in members {
        path.push(member.name);
        if member.name == word {
            found.push((path.iter().map(|s| s.to_string()).collect(), member));
        }
        members_named(word, member.members(), path, found);
        path.pop();
    }
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
        assert!(compute.contains("property of `project.environment`") && compute.contains("`2xlarge`"));
        assert_eq!(explain("project.environment.compute").unwrap(), compute);
        let ambiguous = explain("name").unwrap_err();
        assert!(
            ambiguous.contains("project.name") && ambiguous.contains("repository.name"),
            "{ambiguous}"
        );
        assert!(explain("github.nope").unwrap_err().contains("settings: repo, branch"));
        assert!(explain("frobnicate").unwrap_err().contains("neither a diagnostic code"));
    }
}

//! The tags a project pushes to ECR, followed from `docker push` (and `buildx --push`) back
//! through the shell variable that holds the image when there is one. A fixed tag pushed to an
//! immutable repository fails on the second run (ECR refuses to overwrite it:
//! https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html); `latest`
//! pushed to a mutable one moves under running deployments (S0010).

use super::buildspec::{flattened, pushed_images, PLACEHOLDER};
use crate::diagnostics::{Code, Diagnostic, SourceMap};
use crate::resolve::model::*;
use crate::vocabulary::TagMutability;
use std::collections::BTreeSet;
use std::ops::Range;

/// One pushed image: the repository it names (when written `${{ repo.uri }}`), its tag as
/// written, and where the tag is in the source.
#[derive(Clone)]
struct Pushed {
    repository: Option<usize>,
    tag: String,
    span: Range<usize>,
    file: crate::diagnostics::FileId,
}

/// What each project's commands push, found once per analysis: three checks read it.
pub struct Pushes<'p> {
    sources: &'p SourceMap,
    program: &'p Program,
    found: Vec<std::sync::OnceLock<Vec<Pushed>>>,
}

impl<'p> Pushes<'p> {
    pub fn new(sources: &'p SourceMap, program: &'p Program) -> Pushes<'p> {
        Pushes {
            sources,
            program,
            found: program.projects.iter().map(|_| std::sync::OnceLock::new()).collect(),
        }
    }

    /// What project `index` pushes.
    fn of(&self, index: usize) -> &[Pushed] {
        match (self.found.get(index), self.program.projects.get(index)) {
            (Some(cell), Some(project)) => cell.get_or_init(|| pushed(self.sources, project)),
            _ => &[],
        }
    }
}

pub fn check(program: &Program, pushes: &Pushes, index: usize, out: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    for pushed in pushes.of(index).iter().cloned() {
        if !seen.insert((pushed.file, pushed.span.start, pushed.span.end)) {
            continue;
        }
        let fixed = is_fixed(&pushed.tag);
        let repository = pushed.repository.and_then(|i| program.repositories.get(i));
        let immutable = repository
            .and_then(|r| r.tag_mutability.as_ref())
            .filter(|m| m.value == TagMutability::Immutable);
        if let (Some(repository), Some(mutability), true) = (repository, immutable, fixed) {
            out.push(
                Diagnostic::new(
                    Code::FixedTagImmutable,
                    format!(
                        "this pushes the fixed tag `{}` to `{}`, whose tags are immutable: the second run fails",
                        pushed.tag, repository.header.name
                    ),
                    pushed.file,
                    pushed.span.clone(),
                    "same tag every run",
                )
                .with_secondary(
                    mutability.loc.file,
                    mutability.loc.span.clone(),
                    "tags cannot be overwritten",
                )
                .with_note("ECR refuses a push whose tag already names an image (ImageTagAlreadyExistsException)")
                .with_suggestion(
                    "tag with the commit",
                    pushed.span,
                    ":$CODEBUILD_RESOLVED_SOURCE_VERSION",
                ),
            );
        } else if pushed.tag == "latest" && immutable.is_none() {
            out.push(
                Diagnostic::new(
                    Code::MutableImageTag,
                    "this pushes the mutable tag `latest`",
                    pushed.file,
                    pushed.span.clone(),
                    "moves with every push",
                )
                .with_note("`latest` names a different image after every push: a deploy or rollback cannot say which image it runs")
                .with_suggestion("tag with the commit", pushed.span, ":$CODEBUILD_RESOLVED_SOURCE_VERSION"),
            );
        }
    }
}

/// Per repository, the first place a build pushes a fixed tag to it.
pub fn fixed_tag_pushes(program: &Program, pushes: &Pushes) -> std::collections::BTreeMap<usize, Loc> {
    let mut found = std::collections::BTreeMap::new();
    for index in 0..program.projects.len() {
        for pushed in pushes.of(index) {
            if let (Some(repository), true) = (pushed.repository, is_fixed(&pushed.tag)) {
                found.entry(repository).or_insert(Loc {
                    file: pushed.file,
                    span: pushed.span.clone(),
                });
            }
        }
    }
    found
}

fn is_fixed(tag: &str) -> bool {
    !tag.contains(['$', '`']) && !tag.chars().any(is_placeholder)
}

fn is_placeholder(c: char) -> bool {
    (c as u32).checked_sub(PLACEHOLDER).is_some()
}

/// Every image the project's commands push, with shell variables that hold an image (`env`,
/// or `NAME=…` in a command) followed once.
fn pushed(sources: &SourceMap, project: &Project) -> Vec<Pushed> {
    let shell: Vec<&Text> = project.shell_commands().collect();
    let mut found = Vec::new();
    for text in &shell {
        let flat = flattened(text);
        for image in pushed_images(&flat) {
            let image = image.trim_matches(['"', '\'']);
            match variable_name(image) {
                Some(name) => {
                    if let Some((holder, value)) = definition(project, &shell, name) {
                        found.extend(locate(sources, holder, &value));
                    }
                }
                None => found.extend(locate(sources, text, image)),
            }
        }
    }
    found
}

/// `$NAME` or `${NAME}` alone.
fn variable_name(word: &str) -> Option<&str> {
    let name = word.strip_prefix('$')?;
    let name = name.strip_prefix('{').and_then(|n| n.strip_suffix('}')).unwrap_or(name);
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
        .then_some(name)
}

/// The text that sets `name` and the value as flattened: the project's `env`, else the last
/// `NAME=value` (or `export NAME=value`) in a command.
fn definition<'a>(project: &'a Project, shell: &[&'a Text], name: &str) -> Option<(&'a Text, String)> {
    if let Some(var) = project.env.iter().find(|v| v.name.value == name) {
        let EnvValue::Plain(text) = &var.value else { return None };
        return Some((text, flattened(text)));
    }
    shell.iter().rev().find_map(|text| {
        let flat = flattened(text);
        let at = flat
            .match_indices(&format!("{name}="))
            .map(|(i, _)| i)
            .find(|&i| i == 0 || flat[..i].ends_with(|c: char| c.is_whitespace() || c == ';' || c == '&'))?;
        let value = &flat[at + name.len() + 1..];
        let value = match value.strip_prefix('"') {
            Some(quoted) => quoted.split('"').next().unwrap_or(""),
            None => value
                .split(|c: char| c.is_whitespace() || c == ';')
                .next()
                .unwrap_or(""),
        };
        Some((*text, value.to_string()))
    })
}

/// The tag of `image` (a flattened word of `text`) and where it is written in the source.
fn locate(sources: &SourceMap, text: &Text, image: &str) -> Option<Pushed> {
    let raw = sources.source(text.loc.file).get(text.loc.span.clone())?;
    // The repository: a `${{ repo.uri }}` placeholder before the tag.
    let last_slash = image.rfind('/').map_or(0, |i| i + 1);
    let colon = image[last_slash..].rfind(':').map(|i| last_slash + i)?;
    let tag = &image[colon + 1..];
    if tag.is_empty() || tag.contains('@') {
        return None;
    }
    let before = &image[..colon];
    let repository_piece = before
        .chars()
        .last()
        .filter(|c| is_placeholder(*c))
        .and_then(|c| text.pieces.get((c as u32 - PLACEHOLDER) as usize));
    let (repository, search_from) = match repository_piece {
        Some(Piece::Field {
            item,
            field: Field::Uri,
            loc,
        }) if item.kind == Kind::Repository => (Some(item.index), loc.span.end.saturating_sub(text.loc.span.start)),
        Some(_) => return None,
        // A literal ECR name (`….dkr.ecr.…/app:tag`); a local name is pushed nowhere.
        // Its last occurrence: the push comes after the `docker tag` or `build -t` naming it.
        None if before.contains(".dkr.ecr.") && !before.chars().any(is_placeholder) => (None, raw.rfind(before)?),
        None => return None,
    };
    let written = format!(":{}", tag.chars().filter(|c| !is_placeholder(*c)).collect::<String>());
    let offset = search_from + raw.get(search_from..)?.find(&written)?;
    let start = text.loc.span.start + offset;
    Some(Pushed {
        repository,
        tag: tag.to_string(),
        span: start..start + written.len(),
        file: text.loc.file,
    })
}

/// A tag as compared: `${X}` written `$X`. `None` when two spellings could hold one value:
/// a compile-time value inside (`${{ … }}`), or a variable of the project's own (it may hold
/// the value another tag spells out: `IMAGE_TAG=$CODEBUILD_RESOLVED_SOURCE_VERSION`).
fn comparable(tag: &str) -> Option<String> {
    if tag.chars().any(is_placeholder) || tag.contains(['`', '(']) {
        return None;
    }
    let mut out = String::new();
    let mut rest = tag;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, len) = match after.strip_prefix('{') {
            Some(inner) => {
                let end = inner.find('}')?;
                (&inner[..end], end + 2)
            }
            None => {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], end)
            }
        };
        crate::data::codebuild_variable(name)?;
        out.push('$');
        out.push_str(name);
        rest = &after[len..];
    }
    out.push_str(rest);
    Some(out)
}

/// An image a project deploys (its image definitions) or a pipeline scans, under a tag no
/// build of it pushes to that repository: the deploy or the scan reads another image than
/// the one built (or none). Judged only where every tag involved is written out.
pub fn unpushed_tags(sources: &SourceMap, program: &Program, all_pushes: &Pushes, out: &mut Vec<Diagnostic>) {
    for (index, project) in program.projects.iter().enumerate() {
        let pushes = all_pushes.of(index);
        for image in project.outputs.iter().flat_map(ProjectOutput::images).map(|i| &i.image) {
            let flat = flattened(image);
            let deployed = match variable_name(flat.trim()) {
                Some(name) => {
                    let shell: Vec<&Text> = project.shell_commands().collect();
                    definition(project, &shell, name).and_then(|(holder, value)| locate(sources, holder, &value))
                }
                None => locate(sources, image, &flat),
            };
            let Some(deployed) = deployed else { continue };
            report_unpushed(
                program,
                &deployed.tag,
                deployed.repository,
                pushes,
                deployed.file,
                deployed.span,
                "deploys",
                out,
            );
        }
    }
    for pipeline in &program.pipelines {
        let actions = || pipeline.stages.iter().flat_map(|s| &s.actions);
        let scans: Vec<&Action> = actions()
            .filter(|a| a.provider.value == Provider::InspectorScan)
            .collect();
        if scans.is_empty() {
            continue;
        }
        // What the projects this pipeline runs push, each project once, in program order (from
        // the pipeline's own actions: asking every project whether it runs here is quadratic).
        let mut runs: Vec<usize> = actions().filter_map(|a| a.provider.value.project()).collect();
        runs.sort_unstable();
        runs.dedup();
        let pushes: Vec<Pushed> = runs.iter().flat_map(|&i| all_pushes.of(i)).cloned().collect();
        for action in scans {
            let (Some(repository), Some(tag)) = (action.config_text("repository"), action.config_text("image_tag"))
            else {
                continue;
            };
            let (Some(name), Some(written)) = (repository.literal(), tag.literal()) else {
                continue;
            };
            if written.contains("#{") {
                continue;
            }
            let scanned = program
                .repositories
                .iter()
                .position(|r| r.name.as_ref().and_then(Text::literal).as_deref() == Some(&*name));
            report_unpushed(
                program,
                &written,
                scanned,
                &pushes,
                tag.loc.file,
                tag.loc.span.clone(),
                "scans",
                out,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn report_unpushed(
    program: &Program,
    tag: &str,
    repository: Option<usize>,
    pushes: &[Pushed],
    file: crate::diagnostics::FileId,
    span: Range<usize>,
    verb: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(repository) = repository else { return };
    let to_it: Vec<&Pushed> = pushes.iter().filter(|p| p.repository == Some(repository)).collect();
    let Some(wanted) = comparable(tag) else { return };
    if to_it.is_empty() || to_it.iter().any(|p| comparable(&p.tag).is_none_or(|t| t == wanted)) {
        return;
    }
    let name = program
        .repositories
        .get(repository)
        .map_or("", |r| r.header.name.as_str());
    // Several builds may push the same tag: each tag is named once.
    let mut tags: Vec<String> = Vec::new();
    for pushed in &to_it {
        let tag = format!("`{}`", pushed.tag);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let mut d = Diagnostic::new(
        Code::UnpushedTag,
        format!(
            "this {verb} `{name}` under the tag `{}`, which no build pushes",
            tag.trim_start_matches(':')
        ),
        file,
        span,
        "another image",
    )
    .with_note(format!(
        "it {verb} another image than the one built, or none; pushed here: {}",
        tags.join(", ")
    ));
    if let Some(first) = to_it.first() {
        d = d.with_secondary(first.file, first.span.clone(), "the tag pushed");
    }
    out.push(d);
}

//! A buildspec file read into a `project`: its variables, phases, runtimes, artifacts, reports
//! and cache paths as members; what the language has no member for kept as a comment at its
//! place. The settings its commands need and a buildspec does not hold (the image, privileged
//! mode for Docker, the repositories it pushes to) are filled in and marked.
//! Source of the keys: AWS's buildspec reference,
//! https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html

use super::comments::Comments;
use super::tree::{get, strings};
use super::writer::{self, Block};
use super::{registry, source_lines, Context, Item, RemarkKind};
use crate::diagnostics::{FileId, SourceMap};
use crate::syntax::yaml::{Node, NodeKind};
use crate::vocabulary::{Enumerated, ImageFamily, OnFailure, ReportFormat, Shell};
use std::collections::BTreeMap;

/// Records the accounts, Region and pushed repositories of a buildspec, before any item is
/// written (a repository's identifier must be known where its URI is).
pub(super) fn scan(cx: &mut Context, _sources: &SourceMap, _file: FileId, root: &Node) {
    let mut texts = Vec::new();
    strings(root, &mut texts);
    for text in &texts {
        registry::scan(cx, text);
    }
    for (name, value) in assignments(root) {
        if super::account_variable(&name, &value) {
            cx.account(&value);
        }
    }
    for repository in pushed(cx, root) {
        if !cx.repositories.contains_key(&repository) {
            let id = cx.identifier(&repository, "repository");
            cx.repositories.insert(repository, id);
        }
    }
}

/// A list of strings; one string is a list of one.
fn texts(node: &Node) -> Vec<String> {
    match &node.kind {
        NodeKind::Seq(items) => items
            .iter()
            .filter(|i| !i.is_null())
            .filter_map(|i| i.scalar().map(str::to_string))
            .collect(),
        NodeKind::Scalar { value, .. } if !node.is_null() => vec![value.clone()],
        _ => Vec::new(),
    }
}

/// The strings of a list (or the one string) of commands, as nodes.
fn scalars(node: &Node) -> Vec<&Node> {
    match &node.kind {
        NodeKind::Seq(items) => items.iter().filter(|i| !i.is_null() && i.scalar().is_some()).collect(),
        NodeKind::Scalar { .. } if !node.is_null() => vec![node],
        _ => Vec::new(),
    }
}

fn commands(root: &Node) -> Vec<String> {
    let Some(phases) = get(root, "phases").and_then(Node::entries) else {
        return Vec::new();
    };
    phases
        .iter()
        .flat_map(|(_, phase)| ["commands", "finally"].map(|k| get(phase, k)))
        .flatten()
        .flat_map(texts)
        .collect()
}

/// The variables the buildspec sets to literal text: `env.variables`, and `NAME=value` or
/// `export NAME=value` commands.
fn assignments(root: &Node) -> BTreeMap<String, String> {
    let mut vars = BTreeMap::new();
    let variables = get(root, "env")
        .and_then(|e| get(e, "variables"))
        .or_else(|| get(root, "environment_variables").and_then(|e| get(e, "plaintext")));
    if let Some(entries) = variables.and_then(Node::entries) {
        for (name, value) in entries {
            if let (Some(name), Some(value)) = (name.scalar(), value.scalar()) {
                vars.insert(name.to_string(), value.to_string());
            }
        }
    }
    for command in commands(root) {
        for line in command.lines() {
            let line = line.trim();
            let line = line.strip_prefix("export ").unwrap_or(line).trim();
            let Some((name, value)) = line.split_once('=') else {
                continue;
            };
            let is_name = !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit());
            let value = value.trim();
            if !is_name || value.contains(char::is_whitespace) && !value.starts_with(['"', '\'']) {
                continue;
            }
            vars.insert(name.to_string(), value.trim_matches(['"', '\'']).to_string());
        }
    }
    vars
}

/// `$NAME` and `${NAME}` replaced by the values set in the buildspec (a few rounds, for
/// variables made of variables).
fn expand(text: &str, vars: &BTreeMap<String, String>) -> String {
    let mut text = text.to_string();
    for _ in 0..4 {
        let mut changed = false;
        for (name, value) in vars {
            for form in [format!("${{{name}}}"), format!("${name}")] {
                if let Some(at) = text.find(&form) {
                    let after = text[at + form.len()..].chars().next();
                    let whole = form.ends_with('}') || !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
                    if whole {
                        text.replace_range(at..at + form.len(), value);
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    text
}

/// The deploy tools the commands run (`sam deploy`, `cdk deploy`, `terraform apply`, …).
fn deploy_tools(root: &Node) -> Vec<String> {
    let mut tools: Vec<String> = Vec::new();
    for command in commands(root) {
        for words in crate::check::buildspec::simple_commands(&command) {
            let tool = match words.as_slice() {
                ["sam", "deploy", ..] => "sam deploy",
                ["cdk", "deploy", ..] | ["npx", "cdk", "deploy", ..] => "cdk deploy",
                ["terraform", "apply" | "destroy", ..] => "terraform apply",
                ["serverless" | "sls", "deploy", ..] => "serverless deploy",
                ["pulumi", "up", ..] => "pulumi up",
                ["copilot", _, "deploy", ..] => "copilot deploy",
                _ => continue,
            };
            if !tools.iter().any(|t| t == tool) {
                tools.push(tool.to_string());
            }
        }
    }
    tools
}

/// The AWS CLI calls of the commands (`aws sns publish` …), each with the IAM action it
/// needs when the IAM catalog names one (`sns:Publish`).
fn aws_calls(root: &Node) -> Vec<(String, Option<String>)> {
    let mut calls: Vec<(String, Option<String>)> = Vec::new();
    for command in commands(root) {
        for words in crate::check::buildspec::simple_commands(&command) {
            let ["aws", rest @ ..] = words.as_slice() else { continue };
            let mut words = rest.iter().filter(|w| !w.starts_with('-'));
            let (Some(service), Some(operation)) = (words.next(), words.next()) else {
                continue;
            };
            // The login cruddur writes itself for the repositories a build pushes to; and
            // `sts get-caller-identity`, which needs no permission (AWS STS API reference).
            if (*service == "ecr" && *operation == "get-login-password")
                || (*service == "sts" && *operation == "get-caller-identity")
            {
                continue;
            }
            let call = format!("aws {service} {operation}");
            if calls.iter().any(|(c, _)| *c == call) {
                continue;
            }
            let prefix = if *service == "s3api" { "s3" } else { service };
            let action: String = operation
                .split('-')
                .map(|part| {
                    let mut chars = part.chars();
                    chars
                        .next()
                        .map_or(String::new(), |c| c.to_ascii_uppercase().to_string() + chars.as_str())
                })
                .collect();
            let iam = crate::data::iam::action(&format!("{prefix}:{action}"))
                .map(|(prefix, name, _)| format!("{prefix}:{name}"));
            calls.push((call, iam));
        }
    }
    calls
}

/// The images the commands push (`docker push`, `docker image push`, and the tags of
/// `docker buildx build --push`), as written and with the buildspec's own variables filled in.
fn pushed_images(root: &Node, project: &[(String, String)]) -> Vec<(String, String)> {
    let mut vars = assignments(root);
    // The project's own variables, which CodeBuild sets over the buildspec's.
    vars.extend(project.iter().cloned());
    let mut images: Vec<(String, String)> = Vec::new();
    for command in commands(root) {
        for words in crate::check::buildspec::simple_commands(&command) {
            let written: Vec<&str> = match words.as_slice() {
                ["docker", "push", args @ ..] | ["docker", "image", "push", args @ ..] => {
                    args.iter().find(|a| !a.starts_with('-')).copied().into_iter().collect()
                }
                ["docker", "buildx", "build", args @ ..]
                    if args
                        .iter()
                        .any(|a| *a == "--push" || a.starts_with("--output=type=registry")) =>
                {
                    let mut tags = Vec::new();
                    let mut args = args.iter();
                    while let Some(arg) = args.next() {
                        match *arg {
                            "-t" | "--tag" => tags.extend(args.next().copied()),
                            arg => tags.extend(arg.strip_prefix("--tag=").or_else(|| arg.strip_prefix("-t="))),
                        }
                    }
                    tags
                }
                _ => Vec::new(),
            };
            for image in written {
                let image = image.trim_matches(['"', '\'']);
                let expanded = expand(image, &vars);
                if !images.iter().any(|(w, _)| w == image) {
                    images.push((image.to_string(), expanded));
                }
            }
        }
    }
    images
}

/// The ECR repository of the program's own account and Region an image is pushed to.
fn home_repository<'t>(cx: &Context, image: &'t str) -> Option<&'t str> {
    // A template's `${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/NAME`.
    let host = format!(
        "{}.dkr.ecr.{}.amazonaws.com/",
        super::mark("aws.account"),
        super::mark("aws.region")
    );
    if let Some(rest) = image.strip_prefix(&host) {
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-/".contains(b))
            .count();
        let name = rest[..len].trim_end_matches(['.', '_', '-', '/']);
        return (!name.is_empty()).then_some(name);
    }
    let found = registry::find(image);
    let first = found.first().filter(|f| f.start == 0)?;
    let registry::Place::Registry {
        region,
        repository: Some(name),
        ..
    } = first.place
    else {
        return None;
    };
    let home = cx.accounts.first().is_some_and(|a| a == first.account) && cx.region.as_deref() == Some(region);
    home.then_some(name)
}

/// The ECR repositories of the program's own account and Region the commands push to.
fn pushed(cx: &Context, root: &Node) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (_, expanded) in pushed_images(root, &cx.project_vars) {
        if let Some(name) = home_repository(cx, &expanded) {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// Images pushed to ECR whose repository the program does not hold: named through variables
/// the buildspec does not set, or another account's or Region's.
fn unnamed_pushes(cx: &Context, root: &Node) -> Vec<String> {
    pushed_images(root, &cx.project_vars)
        .into_iter()
        .filter(|(_, expanded)| {
            home_repository(cx, expanded).is_none() && (expanded.contains('$') || expanded.contains(".dkr.ecr."))
        })
        .map(|(written, _)| written)
        .collect()
}

/// The name a project gets from its file: the file's stem, or its folder's name for a file
/// named `buildspec`, in the characters CodeBuild takes (`[A-Za-z0-9][A-Za-z0-9\-_]{1,149}`).
fn project_name(path: &str) -> String {
    let name: String = file_name(path)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_start_matches(['-', '_']);
    let name: String = name.chars().take(150).collect();
    if name.len() < 2 {
        return format!("build{name}");
    }
    name
}

fn file_name(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    let file = parts.pop().unwrap_or("build");
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    if stem.eq_ignore_ascii_case("buildspec") || stem.is_empty() {
        return parts.last().map_or("build".to_string(), |d| d.to_string());
    }
    stem.strip_prefix("buildspec-")
        .or_else(|| stem.strip_prefix("buildspec_"))
        .unwrap_or(stem)
        .to_string()
}

/// The project a buildspec becomes: comments above it, its head, its members.
pub(super) fn project(cx: &mut Context, sources: &SourceMap, file: FileId, root: &Node) -> Item {
    let wanted = project_name(sources.name(file));
    let name = cx.project_name(wanted.clone());
    if name != wanted {
        cx.remark(
            file,
            0..0,
            RemarkKind::Inferred,
            format!("the project is named `{name}`: another input's project is `{wanted}`"),
        );
    }
    let id = cx.identifier(&name, "project");
    let mut body = Block::new();
    body.property("name", writer::string(&name));
    let docker = commands(root).iter().any(|c| {
        crate::check::buildspec::uses_docker(c)
            || crate::check::buildspec::simple_commands(c).any(|w| {
                matches!(w.as_slice(), ["sam", "build" | "local", ..]) && w.contains(&"--use-container")
                    || matches!(w.as_slice(), ["sam", "local", ..])
            })
    });
    let runtimes = runtimes(root);
    body.blank();
    body.block("environment", environment(cx, file, &runtimes, docker, root));
    let (comments, _, members) = members(cx, sources, file, root, &name, Block::new());
    body.blank();
    body.append(members);
    (comments, format!("project {id}"), body)
}

/// The buildspec of a file CodeBuild would read (or why it would not), for a buildspec
/// written in a project.
/// What CodeBuild's own reading of the buildspec refuses: errors, as for the buildspec
/// `cruddur check` reads.
pub(super) fn refused(sources: &SourceMap, file: FileId) -> Vec<crate::diagnostics::Diagnostic> {
    let mut scratch = crate::resolve::model::Project::default();
    let mut diagnostics = Vec::new();
    crate::resolve::buildspec_file::read(sources, file, &mut scratch, &mut diagnostics);
    diagnostics.into_iter().filter(|d| d.is_error()).collect()
}

pub(super) fn read_tree(sources: &SourceMap, file: FileId) -> Result<Node, Vec<crate::diagnostics::Diagnostic>> {
    let errors = refused(sources, file);
    match crate::syntax::yaml::parse(sources.source(file)) {
        Ok(Some(root)) if errors.is_empty() => Ok(root),
        _ => Err(errors),
    }
}

/// A buildspec's members of a project (all but its name and environment); `cache` holds the
/// project's own cache settings, which the buildspec's paths join.
pub(super) fn members(
    cx: &mut Context,
    sources: &SourceMap,
    file: FileId,
    root: &Node,
    name: &str,
    cache: Block,
) -> Item {
    let text = sources.source(file);
    let containers = super::codepipeline::containers_written(text);
    if !containers.is_empty() {
        cx.image_definitions.insert(name.to_string(), containers);
    }
    let comments = Comments::new(text, root);
    let mut r = Reader {
        cx,
        file,
        text,
        comments,
    };
    let mut comments = Vec::new();
    let mut body = Block::new();

    let version = get(root, "version").and_then(Node::scalar).unwrap_or("0.2");
    if version == "0.1" {
        comments.push(
            "import: the buildspec was version 0.1, which runs each command in a shell of its own;\n\
             cruddur writes 0.2, where the commands of a build share one shell (a `cd` carries over)"
                .to_string(),
        );
        let span = get(root, "version").map_or(0..0, |v| v.span.clone());
        r.cx.remark(
            file,
            span,
            RemarkKind::Inferred,
            format!("version 0.1: the commands of `{name}` now share one shell"),
        );
    }
    // `$env:NAME` is PowerShell's: a Windows project's buildspec.
    if let Some(at) = text.find("$env:").or_else(|| text.find("$Env:")) {
        r.cx.remark(
            file,
            at..at + 5,
            RemarkKind::Kept,
            "its commands are PowerShell's (`$env:`), a Windows project's: cruddur's projects run bash or sh on Linux, so they need rewriting",
        );
    }
    let runtimes = runtimes(root);
    // CodeBuild reads the first YAML document only.
    let rest = &text[root.span.end.min(text.len())..];
    if let Some(at) = rest.find("\n---").filter(|at| !rest[at + 4..].trim().is_empty()) {
        let start = root.span.end + at + 1;
        r.cx.remark(
            file,
            start..start + 3,
            RemarkKind::Kept,
            "a second YAML document, which CodeBuild does not read: not imported",
        );
    }

    let pushes: Vec<String> = pushed(r.cx, root)
        .iter()
        .filter_map(|name| r.cx.repositories.get(name).cloned())
        .collect();
    if !pushes.is_empty() {
        body.blank();
        body.line_noted(
            format!("pushes = [{}]", pushes.join(", ")),
            "import: its `docker push` commands push there",
        );
    }

    let phases_span = get(root, "phases").map_or(0..0, |p| p.span.clone());
    let unnamed = unnamed_pushes(r.cx, root);
    if !unnamed.is_empty() {
        let images = unnamed.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ");
        body.comment(&format!(
            "import: to do: it pushes images to ECR repositories the program does not hold (named through\nvariables the buildspec does not set, or another account's or Region's); add a `repository`\nand list it in `pushes`, or grant the push with `allow`, so the role may push there:\n{}",
            unnamed.iter().map(|i| format!("  {i}")).collect::<Vec<_>>().join("\n")
        ));
        r.cx.remark(
            file,
            phases_span.clone(),
            RemarkKind::ToDo,
            format!("it pushes {images} to ECR repositories the program does not hold: add a `repository` and `pushes = […]` (or an `allow` for another account's), or the role may not push"),
        );
    }
    let calls = aws_calls(root);
    if !calls.is_empty() {
        r.cx.calls_aws.push(name.to_string());
        let list: Vec<String> = calls
            .iter()
            .map(|(call, iam)| match iam {
                Some(action) => format!("`{call}` ({action})"),
                None => format!("`{call}`"),
            })
            .collect();
        let lines: Vec<String> = calls
            .iter()
            .map(|(call, iam)| match iam {
                Some(action) => format!("  {call} ({action})"),
                None => format!("  {call}"),
            })
            .collect();
        body.comment(&format!(
            "import: to do: its commands call AWS, which the role cruddur infers does not allow;\ngrant what they need with `allow {{ actions = […] resources = […] }}`:\n{}",
            lines.join("\n")
        ));
        r.cx.remark(
            file,
            phases_span.clone(),
            RemarkKind::ToDo,
            format!(
                "its commands call AWS ({}): grant them with `allow` blocks",
                list.join(", ")
            ),
        );
    }

    let deploys = deploy_tools(root);
    if !deploys.is_empty() {
        let list: Vec<String> = deploys.iter().map(|d| format!("`{d}`")).collect();
        body.comment(&format!(
            "import: to do: it deploys with {}; the role cruddur infers allows none of what the deploy\ncreates (stacks, the resources in them, the roles it passes): grant it with `allow`, or deploy\nfrom a pipeline's `cloudformation` action",
            list.join(", ")
        ));
        r.cx.remark(
            file,
            phases_span,
            RemarkKind::ToDo,
            format!(
                "it deploys with {}: the inferred role allows none of what the deploy creates; grant it with `allow`",
                list.join(", ")
            ),
        );
    }

    let entries = root.entries().unwrap_or(&[]);
    let run_as = get(root, "run-as").and_then(Node::scalar);
    // A comment after `version: 0.2` on its line.
    if let Some(version) = get(root, "version") {
        if let Some(note) = r.comments.after(version.span.end) {
            body.comment(&r.cx.comment_text(&note));
        }
    }
    for (key, value) in entries {
        let Some(k) = key.scalar() else { continue };
        if !matches!(k, "version" | "phases" | "artifacts" | "reports" | "cache" | "run-as") {
            r.comments_before(&mut body, key.span.start);
        }
        match k {
            "version" | "phases" | "artifacts" | "reports" | "cache" => {}
            "run-as" => {}
            "env" => r.env(&mut body, value),
            "environment_variables" if version == "0.1" => r.legacy_env(&mut body, value),
            "proxy" | "batch" => r.kept(
                &mut body,
                key,
                value,
                match k {
                    "proxy" => "cruddur has no setting for a proxy server",
                    _ => "cruddur writes no batch builds",
                },
            ),
            _ => r.kept(&mut body, key, value, "not a key of a buildspec"),
        }
    }
    if !runtimes.is_empty() {
        body.blank();
        for (runtime, version) in &runtimes {
            body.line(format!(
                "runtime {} = {}",
                runtime_name(runtime),
                writer::string(version)
            ));
        }
    }
    if let Some(phases) = get(root, "phases").and_then(Node::entries) {
        for (key, phase) in phases {
            let Some(name) = key.scalar() else { continue };
            body.blank();
            r.comments_before(&mut body, key.span.start);
            r.key_comment(&mut body, key);
            r.phase(&mut body, name, key, phase, run_as, pushes.first());
        }
    }
    if let Some((key, artifacts)) = entries.iter().find(|(k, _)| k.scalar() == Some("artifacts")) {
        body.blank();
        r.comments_before(&mut body, key.span.start);
        r.key_comment(&mut body, key);
        r.artifacts(&mut body, artifacts);
    }
    if let Some(reports) = get(root, "reports").and_then(Node::entries) {
        for (label, report) in reports {
            body.blank();
            r.comments_before(&mut body, label.span.start);
            r.key_comment(&mut body, label);
            r.report(&mut body, label, report);
        }
    }
    let mut cache_block = cache;
    if let Some((key, cache)) = entries.iter().find(|(k, _)| k.scalar() == Some("cache")) {
        body.blank();
        r.comments_before(&mut body, key.span.start);
        r.key_comment(&mut body, key);
        r.cache(&mut cache_block, cache);
    }
    if !cache_block.is_empty() {
        body.blank();
        body.block("cache", cache_block);
    }
    let rest = r.comments.rest();
    if !rest.is_empty() {
        body.blank();
        let rest: Vec<String> = rest.iter().map(|c| r.cx.comment_text(c)).collect();
        body.comment(&rest.join("\n"));
    }
    (comments, String::new(), body)
}

/// A variable's plain value as written; one that looks like a secret is not copied: it
/// becomes a Secrets Manager reference named by a param, with a comment and a remark.
pub(super) fn plain_variable(
    cx: &mut Context,
    file: FileId,
    name: &str,
    value: &str,
    span: crate::diagnostics::Span,
) -> String {
    if let Some(path) = super::account_variable(name, value)
        .then(|| cx.account_path(value))
        .flatten()
    {
        return format!("\"${{{{ {path} }}}}\"");
    }
    let Some(why) = crate::check::security::imported_secret(name, value) else {
        return cx.string(value);
    };
    let param = cx.identifier(&format!("{name}_secret"), "secret");
    cx.params.push((
        param.clone(),
        format!("The Secrets Manager secret, `id:json-key`, holding {name}"),
        format!(
            "import: `{name}` {why}; the value was not copied.\nStore it in Secrets Manager, then `--param {param}=<secret id>:<json key>`"
        ),
    ));
    cx.remark(
        file,
        span,
        RemarkKind::Moved,
        format!("`{name}` {why}: its value is not copied; pass its Secrets Manager secret as `--param {param}=…`"),
    );
    format!("secrets_manager(\"${{{{ {param} }}}}\")")
}

/// A runtime's name as the language writes a label (`dotnet`, `nodejs`).
fn runtime_name(name: &str) -> String {
    writer::identifier(name, "runtime")
}

fn runtimes(root: &Node) -> Vec<(String, String)> {
    get(root, "phases")
        .and_then(|p| get(p, "install"))
        .and_then(|i| get(i, "runtime-versions"))
        .and_then(Node::entries)
        .unwrap_or(&[])
        .iter()
        .filter_map(|(k, v)| Some((k.scalar()?.to_string(), v.scalar()?.to_string())))
        .collect()
}

/// The curated image that installs every runtime: CodeBuild's current Amazon Linux image when
/// it does, else the first that does; with the reason, for a comment.
fn image_for(runtimes: &[(String, String)]) -> Option<(String, String)> {
    let preferred = [
        "aws/codebuild/amazonlinux-x86_64-standard:5.0",
        "aws/codebuild/standard:7.0",
    ];
    let images = crate::data::codebuild_images();
    let candidates = preferred
        .iter()
        .filter_map(|p| images.iter().find(|i| i.identifier == *p))
        .chain(images.iter().filter(|i| i.architecture == "x86_64"));
    for image in candidates {
        if runtimes.iter().all(|(name, version)| image.installs(name, version)) {
            let (family, version) = image.identifier.strip_prefix("aws/codebuild/")?.split_once(':')?;
            let family = ImageFamily::ALL.iter().find(|f| f.aws() == family)?;
            return Some((
                format!("{}({})", family.word(), writer::string(version)),
                image.identifier.to_string(),
            ));
        }
    }
    None
}

struct Reader<'c, 't> {
    cx: &'c mut Context,
    file: FileId,
    text: &'t str,
    comments: Comments,
}

impl Reader<'_, '_> {
    /// The input's comments before `offset`, above what is written next.
    fn comments_before(&mut self, block: &mut Block, offset: usize) {
        for text in self.comments.before(offset) {
            block.comment(&self.cx.comment_text(&text));
        }
    }

    /// The comment after a key on its line (`install: # the tools`), above what it holds.
    fn key_comment(&mut self, block: &mut Block, key: &Node) {
        if let Some(text) = self.comments.after(key.span.end) {
            block.comment(&self.cx.comment_text(&text));
        }
    }

    /// A member, with the input's comment after `node` on its line.
    fn line_after(&mut self, block: &mut Block, line: String, node: &Node) {
        match self.comments.after(node.span.end) {
            Some(note) => block.line_noted(line, self.cx.comment_text(&note)),
            None => block.line(line),
        };
    }

    /// A key the language has no member for: its lines kept as a comment, and a remark.
    fn kept(&mut self, block: &mut Block, key: &Node, value: &Node, why: &str) {
        let span = key.span.start..value.span.end.max(key.span.end);
        self.comments_before(block, span.start);
        self.comments
            .take_within(&(span.start..span.end + self.text[span.end..].find('\n').unwrap_or(0)));
        let lines = self.cx.comment_text(&source_lines(self.text, &span));
        block.comment(&format!("import: kept from the buildspec ({why}):\n{lines}"));
        let name = key.scalar().unwrap_or("…");
        self.cx
            .remark(self.file, span, RemarkKind::Kept, format!("`{name}`: {why}"));
    }

    /// Version 0.1's `environment_variables: plaintext:`, read as `env: variables:`.
    fn legacy_env(&mut self, body: &mut Block, legacy: &Node) {
        let mut entries = Vec::new();
        for (k, value) in legacy.entries().unwrap_or(&[]) {
            match k.scalar() {
                Some("plaintext") => entries.push((
                    Node {
                        kind: NodeKind::Scalar {
                            value: "variables".to_string(),
                            plain: true,
                        },
                        span: k.span.clone(),
                        anchored: false,
                        tag: None,
                    },
                    value.clone(),
                )),
                _ => self.kept(body, k, value, "not a key of `environment_variables`"),
            }
        }
        let env = Node {
            kind: NodeKind::Map(entries),
            span: legacy.span.clone(),
            anchored: false,
            tag: None,
        };
        self.env(body, &env);
    }

    fn env(&mut self, body: &mut Block, env: &Node) {
        let mut block = Block::new();
        let mut exported = Vec::new();
        for (k, value) in env.entries().unwrap_or(&[]) {
            let Some(kind) = k.scalar() else { continue };
            match kind {
                "variables" | "parameter-store" | "secrets-manager" => {
                    for (name_node, value) in value.entries().unwrap_or(&[]) {
                        let (Some(name), Some(text)) = (name_node.scalar(), value.scalar()) else {
                            continue;
                        };
                        self.comments_before(&mut block, name_node.span.start);
                        if !writer::is_name(name) {
                            self.kept(
                                &mut block,
                                name_node,
                                value,
                                "a variable name cruddur cannot write in `env`",
                            );
                            continue;
                        }
                        let written = match kind {
                            "variables" => plain_variable(self.cx, self.file, name, text, value.span.clone()),
                            "parameter-store" => format!("parameter_store({})", self.cx.string(text)),
                            _ => format!("secrets_manager({})", self.cx.string(text)),
                        };
                        self.line_after(&mut block, format!("{name} = {written}"), value);
                    }
                }
                "exported-variables" => exported.extend(texts(value)),
                "shell" => match Shell::ALL.iter().find(|s| Some(s.aws()) == value.scalar()) {
                    Some(shell) => {
                        body.line(format!("shell = {}", shell.word()));
                    }
                    None => self.kept(body, k, value, "cruddur's projects run bash or sh"),
                },
                "git-credential-helper" => self.kept(&mut block, k, value, "cruddur has no setting for it"),
                _ => self.kept(&mut block, k, value, "not a key of `env`"),
            }
        }
        if !exported.is_empty() {
            block.line(format!("export {}", exported.join(", ")));
        }
        if !block.is_empty() {
            body.blank();
            body.block("env", block);
        }
    }

    fn phase(
        &mut self,
        body: &mut Block,
        name: &str,
        key: &Node,
        phase: &Node,
        run_as: Option<&str>,
        login_to: Option<&String>,
    ) {
        if !crate::vocabulary::PhaseName::ALL.iter().any(|p| p.word() == name) {
            self.kept(body, key, phase, "not a phase of a buildspec");
            return;
        }
        let mut block = Block::new();
        let mut own_run_as = false;
        for (k, value) in phase.entries().unwrap_or(&[]) {
            let Some(member) = k.scalar() else { continue };
            // What was written before this key belongs to the phase, not to what it holds.
            self.comments_before(&mut block, k.span.start);
            match member {
                "commands" => {
                    for command in scalars(value) {
                        self.comments_before(&mut block, command.span.start);
                        let run = self.run(command.scalar().unwrap_or(""), login_to);
                        self.line_after(&mut block, run, command);
                    }
                }
                "finally" => {
                    let mut finally = Block::new();
                    for command in scalars(value) {
                        self.comments_before(&mut finally, command.span.start);
                        let run = self.run(command.scalar().unwrap_or(""), login_to);
                        self.line_after(&mut finally, run, command);
                    }
                    block.block("finally", finally);
                }
                "run-as" => {
                    own_run_as = true;
                    if let Some(user) = value.scalar() {
                        block.property("run_as", self.cx.string(user));
                    }
                }
                "on-failure" => match OnFailure::ALL.iter().find(|o| Some(o.aws()) == value.scalar()) {
                    Some(choice) => {
                        block.property("on_failure", choice.word());
                    }
                    None => self.kept(&mut block, k, value, "cruddur has no retry setting"),
                },
                // Installed through the project's `runtime` members.
                "runtime-versions" => {}
                _ => self.kept(&mut block, k, value, "not a key of a phase"),
            }
        }
        if let (Some(user), false) = (run_as, own_run_as) {
            block.property("run_as", self.cx.string(user));
        }
        body.block(format!("phase {name}"), block);
    }

    /// A command: the ECR login cruddur writes itself becomes `ecr_login(…)`.
    fn run(&mut self, command: &str, login_to: Option<&String>) -> String {
        if let Some(repository) = login_to.filter(|_| self.is_home_login(command)) {
            return format!("run ecr_login({repository})");
        }
        let pieces = self.cx.pieces(command);
        match writer::script(&pieces) {
            Some(script) => format!("run {script}"),
            None => format!("run {}", writer::interpolated(&pieces)),
        }
    }

    /// `aws ecr get-login-password --region R | docker login --username AWS --password-stdin
    /// HOST`, as `ecr_login` writes it, for the home account and Region.
    fn is_home_login(&self, command: &str) -> bool {
        let (Some(account), Some(region)) = (self.cx.accounts.first(), &self.cx.region) else {
            return false;
        };
        command.trim()
            == format!(
                "aws ecr get-login-password --region {region} | docker login --username AWS --password-stdin {account}.dkr.ecr.{region}.amazonaws.com"
            )
    }

    fn artifacts(&mut self, body: &mut Block, artifacts: &Node) {
        let mut files = Vec::new();
        let mut files_span = None;
        let mut base_directory = None;
        let mut secondary: &[(Node, Node)] = &[];
        for (k, value) in artifacts.entries().unwrap_or(&[]) {
            let Some(member) = k.scalar() else { continue };
            match member {
                "files" => {
                    files = texts(value);
                    files_span = Some(value.span.clone());
                }
                "base-directory" => base_directory = value.scalar().map(str::to_string),
                "secondary-artifacts" => secondary = value.entries().unwrap_or(&[]),
                // The default: nothing to keep.
                "discard-paths" if matches!(value.scalar(), Some("no" | "No" | "NO" | "false" | "False" | "off")) => {}
                // `type: zip` is 0.1's, and ignored by CodeBuild.
                "type" => {}
                "discard-paths" | "name" | "exclude-paths" | "enable-symlinks" | "s3-prefix" => {
                    self.kept(body, k, value, "cruddur's primary output has no such setting")
                }
                _ => self.kept(body, k, value, "not a key of `artifacts`"),
            }
        }
        if !files.is_empty() {
            let mut args: Vec<String> = files.iter().map(|f| self.cx.string(f)).collect();
            if let Some(base) = base_directory {
                args.push(format!("base_directory = {}", self.cx.string(&base)));
            }
            // The comments between the files, above the one line that lists them.
            for text in files_span.map(|span| self.comments.within(&span)).unwrap_or_default() {
                body.comment(&self.cx.comment_text(&text));
            }
            body.line(format!("output files({})", args.join(", ")));
        }
        for (label, artifact) in secondary {
            self.secondary(body, label, artifact);
        }
    }

    /// `files = ["…", …]` from a list (or one string) of paths.
    fn files(&mut self, block: &mut Block, value: &Node) {
        let files: Vec<String> = texts(value).iter().map(|f| self.cx.string(f)).collect();
        block.property("files", format!("[{}]", files.join(", ")));
    }

    /// `name = "…"` from a string, when it is one.
    fn text_property(&mut self, block: &mut Block, name: &str, value: &Node) {
        if let Some(text) = value.scalar() {
            block.property(name, self.cx.string(text));
        }
    }

    fn secondary(&mut self, body: &mut Block, label: &Node, artifact: &Node) {
        let Some(id) = label.scalar() else { return };
        // The identifier is the name pipelines know the artifact by: never changed.
        if !is_label(id) || id.contains('-') {
            self.kept(
                body,
                label,
                artifact,
                "an artifact identifier the language cannot write as a name",
            );
            return;
        }
        let mut block = Block::new();
        for (k, value) in artifact.entries().unwrap_or(&[]) {
            let Some(member) = k.scalar() else { continue };
            match member {
                "files" => self.files(&mut block, value),
                "base-directory" => self.text_property(&mut block, "base_directory", value),
                "discard-paths" => {
                    let yes = matches!(value.scalar(), Some("yes" | "Yes" | "YES" | "true" | "True" | "on"));
                    block.property("discard_paths", yes.to_string());
                }
                "name" => self.text_property(&mut block, "name", value),
                "type" => {}
                _ => self.kept(&mut block, k, value, "cruddur's artifacts have no such setting"),
            }
        }
        body.block(format!("artifact {id}"), block);
    }

    fn report(&mut self, body: &mut Block, label: &Node, report: &Node) {
        let Some(name) = label.scalar() else { return };
        if !is_label(name) {
            // A report group named by its ARN, or a name the language cannot write as a label.
            self.kept(
                body,
                label,
                report,
                "a report named by an ARN or with characters a label cannot hold",
            );
            return;
        }
        let mut block = Block::new();
        for (k, value) in report.entries().unwrap_or(&[]) {
            let Some(member) = k.scalar() else { continue };
            match member {
                "files" => self.files(&mut block, value),
                "base-directory" => self.text_property(&mut block, "base_directory", value),
                "file-format" => match ReportFormat::ALL
                    .iter()
                    .find(|f| value.scalar().is_some_and(|v| f.aws().eq_ignore_ascii_case(v)))
                {
                    Some(format) => {
                        block.property("format", format.word());
                    }
                    None => self.kept(&mut block, k, value, "not a report format"),
                },
                _ => self.kept(&mut block, k, value, "cruddur's reports have no such setting"),
            }
        }
        body.block(format!("report {name}"), block);
    }

    fn cache(&mut self, block: &mut Block, cache: &Node) {
        for (k, value) in cache.entries().unwrap_or(&[]) {
            let Some(member) = k.scalar() else { continue };
            match member {
                "paths" => {
                    let paths: Vec<String> = texts(value).iter().map(|p| self.cx.string(p)).collect();
                    block.property("paths", format!("[{}]", paths.join(", ")));
                }
                _ => self.kept(block, k, value, "cruddur's cache has no such setting"),
            }
        }
    }
}

/// The environment a buildspec needs: an image that installs its runtimes, privileged mode
/// for Docker; each marked as filled in.
fn environment(cx: &mut Context, file: FileId, runtimes: &[(String, String)], docker: bool, root: &Node) -> Block {
    let mut environment = Block::new();
    let span = get(root, "phases").map_or(0..0, |p| p.span.clone());
    match image_for(runtimes) {
        Some((image, identifier)) if !runtimes.is_empty() => {
            environment.line_noted(
                format!("image = {image}"),
                "import: the buildspec does not name its image; this one installs its runtimes",
            );
            cx.remark(
                file,
                span.clone(),
                RemarkKind::Inferred,
                format!("the image, {identifier}, installs the runtimes the buildspec asks for"),
            );
        }
        Some((image, identifier)) => {
            environment.line_noted(
                format!("image = {image}"),
                "import: the buildspec does not name its image",
            );
            cx.remark(
                file,
                span.clone(),
                RemarkKind::Inferred,
                format!("the image, {identifier}: the buildspec does not name one"),
            );
        }
        None => {
            environment.comment("import: no current CodeBuild image installs every runtime the buildspec asks for");
            environment.line("image = amazonlinux_standard(\"5.0\")");
            cx.remark(
                file,
                span.clone(),
                RemarkKind::Inferred,
                "no current CodeBuild image installs every runtime asked for: `cruddur check` says which",
            );
        }
    }
    if docker {
        environment.line_noted(
            "privileged = true",
            "import: its docker commands need the Docker daemon",
        );
        cx.remark(
            file,
            span,
            RemarkKind::Inferred,
            "privileged mode: its docker commands need it",
        );
    }
    environment
}

/// Whether a name can be written as a report's label: an identifier, or parts joined by `-`.
fn is_label(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|part| {
            !part.is_empty()
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !part.starts_with(|c: char| c.is_ascii_digit())
        })
        && !matches!(name, "true" | "false")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projects_are_named_by_file_or_folder() {
        assert_eq!(project_name("api/buildspec.yml"), "api");
        assert_eq!(project_name("ci/buildspec-test.yaml"), "test");
        assert_eq!(project_name("deploy.yml"), "deploy");
        assert_eq!(project_name("buildspec.yml"), "build");
        assert_eq!(project_name("ci/legacy-0.1.yml"), "legacy-0-1");
        assert_eq!(project_name("ci/.yml"), "ci");
        assert_eq!(project_name("x.yml"), "buildx");
    }

    #[test]
    fn variables_set_in_commands_expand() {
        let vars = BTreeMap::from([
            ("HOST".to_string(), "1.dkr".to_string()),
            ("URI".to_string(), "$HOST/web".to_string()),
        ]);
        assert_eq!(expand("${URI}:$TAG", &vars), "1.dkr/web:$TAG");
        assert_eq!(expand("$HOSTNAME", &vars), "$HOSTNAME");
    }
}

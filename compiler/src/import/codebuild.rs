//! CodeBuild projects as the AWS CLI prints them (`aws codebuild batch-get-projects`: a
//! `projects` list) or takes them (`create-project --cli-input-json`: one project), read into
//! `project`s: the environment, the source and its webhook, variables, cache, logs, VPC,
//! timeouts and output; a buildspec written in the project is read as a buildspec file is.
//! Source of the shapes: botocore's CodeBuild model (`Project`, `ProjectSource`,
//! `ProjectEnvironment`, `Webhook`, `WebhookFilter`).

use super::buildspec;
use super::writer::{self, Block};
use super::{registry, source_lines, Context, Item, RemarkKind};
use crate::diagnostics::{FileId, SourceMap};
use crate::syntax::yaml::{Node, NodeKind};
use crate::vocabulary::{CacheMode, Compute, Enumerated, EnvironmentType, ImageFamily, SourceHost, WebhookEvent};

/// The projects of the file.
pub(super) fn project_nodes(root: &Node) -> Vec<&Node> {
    match get(root, "projects") {
        Some(Node {
            kind: NodeKind::Seq(items),
            ..
        }) => items.iter().collect(),
        _ => vec![root],
    }
}

fn get<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    node.entries()?
        .iter()
        .find(|(k, _)| k.scalar() == Some(key))
        .map(|(_, v)| v)
}

fn text<'n>(node: &'n Node, key: &str) -> Option<&'n str> {
    get(node, key).and_then(Node::scalar).filter(|s| !s.is_empty())
}

fn yes(node: &Node, key: &str) -> bool {
    matches!(text(node, key), Some("true" | "True"))
}

/// Records the accounts the projects name, and the Region of the first project's ARN (where
/// it runs).
pub(super) fn scan(cx: &mut Context, root: &Node) {
    for project in project_nodes(root) {
        let found = text(project, "arn").map(registry::find).unwrap_or_default();
        if let Some(registry::Found {
            place: registry::Place::Arn { region },
            ..
        }) = found.first()
        {
            if cx.region.is_none() && !region.is_empty() {
                cx.region = Some(region.to_string());
            }
        }
    }
    let mut texts = Vec::new();
    strings(root, &mut texts);
    for text in texts {
        registry::scan(cx, text);
    }
}

fn strings<'n>(node: &'n Node, out: &mut Vec<&'n str>) {
    match &node.kind {
        NodeKind::Scalar { value, .. } => out.push(value),
        NodeKind::Seq(items) => items.iter().for_each(|i| strings(i, out)),
        NodeKind::Map(entries) => entries.iter().for_each(|(_, v)| strings(v, out)),
    }
}

/// Keys of a project read into members, or with nothing to write (AWS's own record of it).
const READ: &[&str] = &[
    "name",
    "description",
    "source",
    "sourceVersion",
    "artifacts",
    "cache",
    "environment",
    "serviceRole",
    "timeoutInMinutes",
    "queuedTimeoutInMinutes",
    "encryptionKey",
    "badge",
    "logsConfig",
    "vpcConfig",
    "webhook",
    "arn",
    "created",
    "lastModified",
    "projectVisibility",
    "publicProjectAlias",
    "resourceAccessRole",
    "secondarySources",
    "secondaryArtifacts",
    "secondarySourceVersions",
    "tags",
];

/// One project: its items (a connection, params) go to the context; the project is returned.
pub(super) fn project(cx: &mut Context, sources: &mut SourceMap, file: FileId, node: &Node) -> Item {
    let input = sources.source(file).to_string();
    let name = text_of(node, "name").unwrap_or_else(|| "imported".to_string());
    let name = cx.project_name(name);
    let id = cx.identifier(&name, "project");
    let mut body = Block::new();
    body.property("name", writer::string(&name));
    if let Some(description) = text(node, "description") {
        body.property("description", cx.string(description));
    }
    if yes(get(node, "badge").unwrap_or(node), "badgeEnabled") {
        body.property("badge", "true");
    }
    // CodeBuild's defaults (60 and 480 minutes) are left out, as cruddur leaves them.
    if let Some(minutes) = number(node, "timeoutInMinutes").filter(|m| *m != 60) {
        body.property("timeout", duration(minutes));
    }
    if let Some(minutes) = number(node, "queuedTimeoutInMinutes").filter(|m| *m != 480) {
        body.property("queued_timeout", duration(minutes));
    }
    // The AWS managed key for S3 is what CodeBuild uses without one.
    if let Some(key) = text(node, "encryptionKey").filter(|k| !k.ends_with(":alias/aws/s3")) {
        body.property("encryption_key", cx.string(key));
    }
    if let Some(role) = text(node, "serviceRole") {
        let span = get(node, "serviceRole").map_or(0..0, |n| n.span.clone());
        cx.remark(
            file,
            span,
            RemarkKind::Inferred,
            format!("the role {role} is not imported: cruddur infers one that allows what `{name}` does, and no more"),
        );
    }
    let environment = get(node, "environment");
    let inline = get(node, "source")
        .and_then(|s| text(s, "buildspec"))
        .filter(|b| b.contains('\n') || b.trim_start().starts_with("version"));
    if let Some(environment) = environment {
        body.blank();
        environment_block(cx, file, &mut body, environment);
    }
    if let Some(source) = get(node, "source") {
        source_members(cx, file, &mut body, node, source, &input);
    }
    if let Some(artifacts) = get(node, "artifacts") {
        output(cx, file, &mut body, artifacts, &input);
    }
    if let Some(logs) = get(node, "logsConfig").and_then(|l| get(l, "cloudWatchLogs")) {
        let mut block = Block::new();
        if text(logs, "status") == Some("DISABLED") {
            block.property("enabled", "false");
        }
        if let Some(group) = text(logs, "groupName") {
            block.property("group", cx.string(group));
        }
        if let Some(stream) = text(logs, "streamName") {
            block.property("stream", cx.string(stream));
        }
        if !block.is_empty() {
            body.blank();
            body.block("logs", block);
        }
    }
    if let Some(vpc) = get(node, "vpcConfig").filter(|v| text(v, "vpcId").is_some()) {
        let mut block = Block::new();
        block.property("id", cx.string(text(vpc, "vpcId").unwrap_or_default()));
        let list = |key: &str| -> Vec<String> {
            match get(vpc, key).map(|n| &n.kind) {
                Some(NodeKind::Seq(items)) => items.iter().filter_map(|i| i.scalar().map(str::to_string)).collect(),
                _ => Vec::new(),
            }
        };
        block.property("subnets", writer::list(&list("subnets")));
        block.property("security_groups", writer::list(&list("securityGroupIds")));
        body.blank();
        body.block("vpc", block);
    }
    let mut cache = Block::new();
    if let Some(node) = get(node, "cache") {
        match text(node, "type") {
            Some("LOCAL") => {
                let modes: Vec<&str> = match get(node, "modes").map(|m| &m.kind) {
                    Some(NodeKind::Seq(items)) => items.iter().filter_map(Node::scalar).collect(),
                    _ => Vec::new(),
                };
                if let Some(mode) = modes
                    .first()
                    .and_then(|m| CacheMode::ALL.iter().find(|c| c.aws() == *m))
                {
                    cache.property("mode", mode.word());
                }
                if modes.len() > 1 {
                    let span = node.span.clone();
                    cache.comment(&format!(
                        "import: kept from the project (cruddur's cache takes one mode):\n{}",
                        source_lines(&input, &span)
                    ));
                    cx.remark(
                        file,
                        span,
                        RemarkKind::Kept,
                        "cache modes beyond the first: cruddur's cache takes one",
                    );
                }
            }
            Some("S3") => {
                if let Some(location) = text(node, "location") {
                    cache.property("location", cx.string(location));
                }
            }
            _ => {}
        }
    }
    // Keys with no member: kept where the project lists them.
    for (key, value) in node.entries().unwrap_or(&[]) {
        let Some(k) = key.scalar() else { continue };
        let empty = match &value.kind {
            NodeKind::Seq(items) => items.is_empty(),
            NodeKind::Map(entries) => entries.is_empty(),
            NodeKind::Scalar { .. } => value.is_null(),
        };
        if empty || READ.contains(&k) && !matches!(k, "secondarySources" | "secondaryArtifacts" | "tags") {
            continue;
        }
        let span = key.span.start..value.span.end.max(key.span.end);
        let why = match k {
            "tags" => "cruddur writes no tags",
            "secondarySources" | "secondaryArtifacts" => {
                "cruddur's projects have one source and one output outside a pipeline"
            }
            _ => "cruddur has no member for it",
        };
        body.blank();
        body.comment(&format!(
            "import: kept from the project ({why}):\n{}",
            cx.comment_text(&source_lines(&input, &span))
        ));
        cx.remark(file, span, RemarkKind::Kept, format!("`{k}`: {why}"));
    }
    let mut item_comments = Vec::new();
    // A buildspec written in the project: read as a buildspec file, its members into the
    // project.
    if let Some(spec) = inline {
        let inner = sources.add(
            format!("{} (buildspec of `{name}`)", sources.name(file)),
            spec.to_string(),
        );
        match buildspec::read_tree(sources, inner) {
            Ok(root) => {
                buildspec::scan(cx, sources, inner, &root);
                let (comments, _, members) = buildspec::members(cx, sources, inner, &root, &name, cache);
                item_comments.extend(comments);
                body.blank();
                body.append(members);
            }
            Err(why) => {
                body.blank();
                body.comment(&format!(
                    "import: the project's buildspec could not be read ({why}); it was:\n{spec}"
                ));
                cx.remark(
                    file,
                    0..0,
                    RemarkKind::ToDo,
                    format!("the buildspec of `{name}` could not be read: {why}"),
                );
            }
        }
    } else if !cache.is_empty() {
        body.blank();
        body.block("cache", cache);
    }
    (item_comments, format!("project {id}"), body)
}

fn text_of(node: &Node, key: &str) -> Option<String> {
    text(node, key).map(str::to_string)
}

fn number(node: &Node, key: &str) -> Option<u64> {
    text(node, key)?.parse().ok()
}

/// Minutes as a duration: `20m`, `1h`, `8h`.
fn duration(minutes: u64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}

fn environment_block(cx: &mut Context, file: FileId, body: &mut Block, environment: &Node) {
    let mut block = Block::new();
    if let Some(image) = text(environment, "image") {
        block.property("image", image_expr(cx, image));
    }
    if let Some(compute) = text(environment, "computeType") {
        match Compute::ALL.iter().find(|c| c.aws() == compute) {
            // cruddur's default.
            Some(Compute::Small) => {}
            Some(c) => {
                let word = c.word();
                let word = if word.starts_with(|ch: char| ch.is_ascii_digit()) {
                    writer::string(word)
                } else {
                    word.to_string()
                };
                block.property("compute", word);
            }
            None => {
                block.comment(&format!(
                    "import: kept from the project (cruddur has no such compute type): {compute}"
                ));
                let span = get(environment, "computeType").map_or(0..0, |n| n.span.clone());
                cx.remark(file, span, RemarkKind::Kept, format!("compute type {compute}"));
            }
        }
    }
    if yes(environment, "privilegedMode") {
        block.property("privileged", "true");
    }
    match text(environment, "type") {
        Some("LINUX_CONTAINER") | None => {}
        Some(kind) => match EnvironmentType::ALL.iter().find(|t| t.aws() == kind) {
            Some(t) => {
                block.property("type", t.word());
            }
            None => {
                let span = get(environment, "type").map_or(0..0, |n| n.span.clone());
                block.comment(&format!(
                    "import: to do: the project ran in a {kind} environment; cruddur writes Linux ones"
                ));
                cx.remark(
                    file,
                    span,
                    RemarkKind::ToDo,
                    format!("a {kind} environment: cruddur writes Linux ones"),
                );
            }
        },
    }
    if let Some(credential) = get(environment, "registryCredential").and_then(|r| text(r, "credential")) {
        block.property("registry_credential", cx.string(credential));
    }
    body.block("environment", block);
    if let Some(Node {
        kind: NodeKind::Seq(vars),
        ..
    }) = get(environment, "environmentVariables")
    {
        let mut env = Block::new();
        for var in vars {
            let (Some(name), Some(value)) = (text(var, "name"), get(var, "value").and_then(Node::scalar)) else {
                continue;
            };
            let written = match text(var, "type") {
                Some("PARAMETER_STORE") => format!("parameter_store({})", cx.string(value)),
                Some("SECRETS_MANAGER") => format!("secrets_manager({})", cx.string(value)),
                _ => {
                    let span = get(var, "value").map_or(0..0, |n| n.span.clone());
                    buildspec::plain_variable(cx, file, &mut env, name, value, span)
                }
            };
            env.line(format!("{name} = {written}"));
        }
        if !env.is_empty() {
            body.blank();
            body.block("env", env);
        }
    }
}

/// An image: a current curated image by its family, another by its name.
fn image_expr(cx: &Context, image: &str) -> String {
    if let Some((family, version)) = image.strip_prefix("aws/codebuild/").and_then(|i| i.split_once(':')) {
        let family = ImageFamily::ALL
            .iter()
            .find(|f| f.aws() == family || f.aws().replace("amazonlinux-", "amazonlinux2-") == family);
        if let (Some(family), Some(_)) = (family, crate::data::codebuild_image(image)) {
            return format!("{}({})", family.word(), writer::string(version));
        }
    }
    cx.string(image)
}

fn source_members(cx: &mut Context, file: FileId, body: &mut Block, project: &Node, source: &Node, input: &str) {
    let kind = text(source, "type").unwrap_or("NO_SOURCE");
    let spec = text(source, "buildspec");
    let host = match kind {
        "GITHUB" => Some((SourceHost::GitHub, "GitHub", "https://github.com/")),
        "BITBUCKET" => Some((SourceHost::Bitbucket, "Bitbucket", "https://bitbucket.org/")),
        "GITLAB" => Some((SourceHost::GitLab, "GitLab", "https://gitlab.com/")),
        _ => None,
    };
    match (kind, host) {
        (_, Some((host, provider, prefix))) => {
            let location = text(source, "location").unwrap_or("");
            let repo = location
                .strip_prefix(prefix)
                .unwrap_or(location)
                .trim_end_matches('/')
                .trim_end_matches(".git");
            let connection = cx.connection(provider, text(get(source, "auth").unwrap_or(source), "resource"));
            if text(get(source, "auth").unwrap_or(source), "type") == Some("OAUTH") {
                let span = get(source, "auth").map_or(source.span.clone(), |a| a.span.clone());
                cx.remark(
                    file,
                    span,
                    RemarkKind::ToDo,
                    format!("the source signed in to {provider} with an OAuth token; cruddur's sources use a CodeConnections connection: approve one and pass its ARN"),
                );
            }
            let mut args = vec![connection, cx.string(repo)];
            let branch = text(project, "sourceVersion").map(|v| v.strip_prefix("refs/heads/").unwrap_or(v));
            webhook(cx, file, body, project, branch, &mut args, input);
            body.blank();
            body.property("source", format!("{}({})", host.word(), args.join(", ")));
        }
        ("S3", _) => {
            if let Some(location) = text(source, "location") {
                body.blank();
                body.property("source", format!("s3({})", cx.string(location)));
            }
        }
        ("CODEPIPELINE" | "NO_SOURCE", _) => {}
        (other, _) => {
            let span = source.span.clone();
            body.blank();
            body.comment(&format!(
                "import: kept from the project (cruddur's projects read GitHub, Bitbucket, GitLab or S3, not {other}):\n{}",
                cx.comment_text(&source_lines(input, &span))
            ));
            cx.remark(
                file,
                span,
                RemarkKind::Kept,
                format!("a {other} source: cruddur's projects read GitHub, Bitbucket, GitLab or S3"),
            );
        }
    }
    match spec {
        Some(spec) if spec.contains('\n') || spec.trim_start().starts_with("version") => {}
        Some(spec) => {
            body.blank();
            match spec.strip_prefix("arn:aws:s3:::") {
                Some(object) => body.property("buildspec", format!("s3({})", cx.string(object))),
                None => body.property("buildspec", format!("file({})", cx.string(spec))),
            };
        }
        // CodeBuild reads `buildspec.yml` from the source.
        None if kind != "NO_SOURCE" => {
            body.blank();
            body.line_noted(
                "buildspec = file(\"buildspec.yml\")",
                "import: CodeBuild reads this file when the project names none",
            );
        }
        None => {}
    }
}

/// The webhook's filter groups as the source's arguments, when they say what cruddur's
/// arguments say: events, the branch pushed to or merged into, listed actors. Anything else
/// is kept as a comment, and the source gets no events (builds do not start on their own
/// rather than on more events than before).
fn webhook(
    cx: &mut Context,
    file: FileId,
    body: &mut Block,
    project: &Node,
    branch: Option<&str>,
    args: &mut Vec<String>,
    input: &str,
) {
    let groups = match get(project, "webhook")
        .and_then(|w| get(w, "filterGroups"))
        .map(|g| &g.kind)
    {
        Some(NodeKind::Seq(groups)) => groups.as_slice(),
        _ => {
            if let Some(branch) = branch {
                args.push(format!("branch = {}", writer::string(branch)));
            }
            return;
        }
    };
    let mut events: Vec<WebhookEvent> = Vec::new();
    let mut branches: Vec<String> = Vec::new();
    let mut actors: Option<Vec<String>> = None;
    let mut understood = true;
    for group in groups {
        let NodeKind::Seq(filters) = &group.kind else {
            understood = false;
            continue;
        };
        for filter in filters {
            let kind = text(filter, "type").unwrap_or("");
            let pattern = text(filter, "pattern").unwrap_or("");
            if yes(filter, "excludeMatchedPattern") {
                understood = false;
                continue;
            }
            match kind {
                "EVENT" => {
                    for name in pattern.split(',').map(str::trim) {
                        match WebhookEvent::ALL.iter().find(|e| e.aws() == name) {
                            Some(event) if !events.contains(event) => events.push(*event),
                            Some(_) => {}
                            None => understood = false,
                        }
                    }
                }
                "HEAD_REF" | "BASE_REF" => match literal_ref(pattern) {
                    Some(name) => branches.push(name),
                    None => understood = false,
                },
                "ACTOR_ACCOUNT_ID" => {
                    let ids: Vec<String> = pattern
                        .trim_start_matches('^')
                        .trim_end_matches('$')
                        .trim_start_matches('(')
                        .trim_end_matches(')')
                        .split('|')
                        .map(str::to_string)
                        .collect();
                    if ids
                        .iter()
                        .all(|i| !i.is_empty() && i.chars().all(|c| c.is_ascii_digit()))
                    {
                        if !pattern.starts_with('^') || !pattern.ends_with('$') {
                            let span = get(filter, "pattern").map_or(0..0, |n| n.span.clone());
                            cx.remark(
                                file,
                                span,
                                RemarkKind::Inferred,
                                format!("the actor filter `{pattern}` was not anchored, so it let in every account id containing one of these (the CodeBreach mistake); imported as these ids exactly"),
                            );
                        }
                        actors = Some(ids);
                    } else {
                        understood = false;
                    }
                }
                _ => understood = false,
            }
        }
    }
    branches.sort();
    branches.dedup();
    let branch_arg = match (branches.as_slice(), branch) {
        ([], b) => b.map(str::to_string),
        ([one], None) => Some(one.clone()),
        ([one], Some(b)) if one == b => Some(one.clone()),
        _ => {
            understood = false;
            None
        }
    };
    if !understood {
        let span = get(project, "webhook").map_or(0..0, |w| w.span.clone());
        body.blank();
        body.comment(&format!(
            "import: to do: the webhook's filters say more than cruddur's source arguments can; it is kept\nhere, and the source has no events: builds do not start on their own until you write them:\n{}",
            cx.comment_text(&source_lines(input, &span))
        ));
        cx.remark(
            file,
            span,
            RemarkKind::ToDo,
            "the webhook's filters are kept as a comment: the source has no events until you write them",
        );
        if let Some(branch) = branch {
            args.push(format!("branch = {}", writer::string(branch)));
        }
        return;
    }
    if !events.is_empty() {
        let words: Vec<&str> = events.iter().map(|e| e.word()).collect();
        args.push(format!("events = [{}]", words.join(", ")));
    }
    if let Some(branch) = branch_arg {
        args.push(format!("branch = {}", writer::string(&branch)));
    }
    if let Some(ids) = actors {
        args.push(format!("actors = {}", writer::list(&ids)));
    }
}

/// `^refs/heads/main$` (with `\` escapes) as the branch name, when the pattern names one.
fn literal_ref(pattern: &str) -> Option<String> {
    let name = pattern.strip_prefix("^refs/heads/")?.strip_suffix('$')?;
    let mut out = String::new();
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            '.' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|' | '^' | '$' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

fn output(cx: &mut Context, file: FileId, body: &mut Block, artifacts: &Node, input: &str) {
    match text(artifacts, "type") {
        Some("S3") => {
            let location = text(artifacts, "location").unwrap_or("");
            let path = text(artifacts, "path").unwrap_or("");
            let place = if path.is_empty() {
                location.to_string()
            } else {
                format!("{location}/{path}")
            };
            let mut args = vec![cx.string(&place)];
            if let Some(name) = text(artifacts, "name") {
                args.push(format!("name = {}", cx.string(name)));
            }
            if text(artifacts, "packaging") == Some("ZIP") {
                args.push("zip = true".to_string());
            }
            if text(artifacts, "namespaceType") == Some("BUILD_ID") {
                args.push("build_id = true".to_string());
            }
            body.blank();
            body.property("output_to", format!("s3({})", args.join(", ")));
            if yes(artifacts, "encryptionDisabled") {
                body.property("artifact_encryption", "false");
            }
        }
        Some("CODEPIPELINE" | "NO_ARTIFACTS") | None => {
            if yes(artifacts, "encryptionDisabled") {
                body.property("artifact_encryption", "false");
            }
        }
        Some(other) => {
            let span = artifacts.span.clone();
            body.comment(&format!(
                "import: kept from the project (an output of type {other}):\n{}",
                source_lines(input, &span)
            ));
            cx.remark(file, span, RemarkKind::Kept, format!("an output of type {other}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_patterns_read_back_when_literal() {
        assert_eq!(literal_ref("^refs/heads/main$").as_deref(), Some("main"));
        assert_eq!(literal_ref("^refs/heads/release\\.1$").as_deref(), Some("release.1"));
        assert_eq!(literal_ref("^refs/heads/feature/.*$"), None);
        assert_eq!(literal_ref("refs/heads/main"), None);
    }

    #[test]
    fn minutes_are_durations() {
        assert_eq!(duration(20), "20m");
        assert_eq!(duration(120), "2h");
        assert_eq!(duration(90), "1h30m");
    }
}

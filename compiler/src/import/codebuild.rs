//! CodeBuild projects as the AWS CLI prints them (`aws codebuild batch-get-projects`: a
//! `projects` list) or takes them (`create-project --cli-input-json`: one project), read into
//! `project`s: the environment, the source and its webhook, variables, cache, logs, VPC,
//! timeouts and output; a buildspec written in the project is read as a buildspec file is.
//! Source of the shapes: botocore's CodeBuild model (`Project`, `ProjectSource`,
//! `ProjectEnvironment`, `Webhook`, `WebhookFilter`).

use super::buildspec;
use super::tree::{get, is_empty, json, strings, text};
use super::writer::{self, Block};
use super::{registry, source_lines, Context, Item, RemarkKind};
use crate::diagnostics::{FileId, SourceMap};
use crate::syntax::yaml::{Node, NodeKind};
use crate::vocabulary::{
    ApproverRole, CacheMode, CommentApproval, Compute, Enumerated, EnvironmentType, ImageFamily, SourceHost,
    WebhookEvent,
};

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
    for project in project_nodes(root) {
        let vars = get(project, "environment").and_then(|e| get(e, "environmentVariables"));
        if let Some(NodeKind::Seq(vars)) = vars.map(|v| &v.kind) {
            for var in vars {
                if let (Some(name), Some(value)) = (text(var, "name"), text(var, "value")) {
                    if super::account_variable(name, value) {
                        cx.account(value);
                    }
                }
            }
        }
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
    "badgeEnabled",
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
    let wanted = text_of(node, "name").unwrap_or_else(|| "imported".to_string());
    let name = cx.project_name(wanted.clone());
    if name != wanted {
        let span = get(node, "name").map_or(0..0, |n| n.span.clone());
        cx.remark(
            file,
            span,
            RemarkKind::Inferred,
            format!("the project is named `{name}`: another input's project is `{wanted}`"),
        );
    }
    // A template's project is known by its logical id; its name may be computed.
    let id = match cx.logical_ids.get(&wanted).cloned() {
        Some(logical) => cx.identifier(&super::cloudformation::snake(&logical), "project"),
        None => cx.identifier(&name, "project"),
    };
    cx.project_ids.insert(name.clone(), id.clone());
    let mut body = Block::new();
    body.property("name", cx.string(&name));
    if let Some(description) = text(node, "description") {
        body.property("description", cx.string(description));
    }
    if yes(get(node, "badge").unwrap_or(node), "badgeEnabled") || yes(node, "badgeEnabled") {
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
        let role_name = role.rsplit('/').next().unwrap_or(role).to_string();
        // Where it runs: its own ARN's Region and account, or its role's account.
        let own = text(node, "arn").map(registry::find).unwrap_or_default();
        let (account, region) = match own.first() {
            Some(registry::Found {
                account,
                place: registry::Place::Arn { region },
                ..
            }) => (
                Some(account.to_string()),
                Some(region.to_string()).filter(|r| !r.is_empty()),
            ),
            _ => (registry::find(role).first().map(|f| f.account.to_string()), None),
        };
        let source = get(node, "source");
        let spec = source.and_then(|s| text(s, "buildspec"));
        cx.project_roles.push(super::ProjectRole {
            project: name.clone(),
            role: role_name,
            arn: role.to_string(),
            account,
            region,
            pipeline: source.and_then(|s| text(s, "type")) == Some("CODEPIPELINE"),
            buildspec_file: !spec.is_some_and(|b| b.contains('\n') || b.trim_start().starts_with("version"))
                && source.and_then(|s| text(s, "type")) != Some("NO_SOURCE"),
        });
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
        environment_block(cx, file, &mut body, environment, &input);
    }
    if let Some(source) = get(node, "source") {
        source_members(cx, file, &mut body, node, source, &input);
    }
    // A project a pipeline runs reads and writes the pipeline's artifacts, whatever its own
    // source and output say.
    let run_by_pipeline = cx
        .pipeline_projects
        .iter()
        .any(|p| Some(p.as_str()) == text(node, "name"));
    if let Some(artifacts) = get(node, "artifacts") {
        if run_by_pipeline && text(artifacts, "type") == Some("S3") {
            cx.remark(
                file,
                artifacts.span.clone(),
                RemarkKind::Inferred,
                format!("the S3 output of `{name}` is left out: a pipeline runs it, and CodeBuild writes its output to the pipeline's artifacts"),
            );
        } else {
            output(cx, file, &mut body, artifacts, &input);
        }
    }
    if let Some(logs) = get(node, "logsConfig") {
        let s3 = get(logs, "s3Logs").filter(|s| text(s, "status") != Some("DISABLED"));
        if let Some(s3) = s3 {
            let span = s3.span.clone();
            body.blank();
            cx.keep(
                &mut body,
                file,
                &input,
                span,
                "kept from the project (cruddur writes build logs to CloudWatch Logs only)",
                RemarkKind::Kept,
                "logs in S3: cruddur writes build logs to CloudWatch Logs only",
            );
        }
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
        block.property("subnets", cx.list(&list("subnets")));
        block.property("security_groups", cx.list(&list("securityGroupIds")));
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
        let empty = is_empty(value);
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
        cx.keep(
            &mut body,
            file,
            &input,
            span,
            &format!("kept from the project ({why})"),
            RemarkKind::Kept,
            format!("`{k}`: {why}"),
        );
    }
    let mut item_comments = Vec::new();
    // A buildspec written in the project: read as a buildspec file, its members into the
    // project.
    if let Some(spec) = inline {
        let inner = sources.add(
            format!("{} (buildspec of `{}`)", sources.name(file), writer::shown(&name)),
            spec.to_string(),
        );
        // What the commands see beside the buildspec's own variables.
        let mut vars: Vec<(String, String)> = Vec::new();
        if let Some(NodeKind::Seq(list)) = environment
            .and_then(|e| get(e, "environmentVariables"))
            .map(|v| &v.kind)
        {
            for var in list {
                let plain = text(var, "type").is_none_or(|t| t == "PLAINTEXT");
                if let (Some(name), Some(value), true) = (text(var, "name"), text(var, "value"), plain) {
                    vars.push((name.to_string(), value.to_string()));
                }
            }
        }
        let region = cx.region.clone().unwrap_or_else(|| super::mark("aws.region"));
        for builtin in ["AWS_DEFAULT_REGION", "AWS_REGION"] {
            if !vars.iter().any(|(n, _)| n == builtin) {
                vars.push((builtin.to_string(), region.clone()));
            }
        }
        cx.project_vars = vars;
        let read = buildspec::read_tree(sources, inner);
        if let Ok(root) = &read {
            buildspec::scan(cx, sources, inner, root);
        }
        match read {
            Ok(root) => {
                let (comments, _, members) = buildspec::members(cx, sources, inner, &root, &name, cache);
                item_comments.extend(comments);
                body.blank();
                body.append(members);
                // One `env`: the project's variables and the buildspec's; where both set a
                // name, CodeBuild takes the project's.
                for name in body.merge_blocks("env") {
                    cx.remark(
                        file,
                        get(node, "environment").map_or(0..0, |e| e.span.clone()),
                        RemarkKind::Inferred,
                        format!("{name} is set by the project and by its buildspec: the project's value is kept, as CodeBuild takes it"),
                    );
                }
            }
            // CodeBuild would refuse it: an error, as for a buildspec file.
            Err(errors) => cx.errors.extend(errors),
        }
        cx.project_vars.clear();
    } else if !cache.is_empty() {
        body.blank();
        body.block("cache", cache);
    }
    (item_comments, format!("project {id}"), body)
}

/// What is read of an object of a project: its keys members read, the values that are
/// CodeBuild's defaults, and what to call it.
struct Shape<'s> {
    read: &'s [&'s str],
    defaults: &'s [(&'s str, &'s str)],
    what: &'s str,
}

/// The keys of an object of the project no member reads, kept as comments where they
/// belonged; a key at CodeBuild's default (`known_defaults`) means nothing and goes.
fn keep_unread(cx: &mut Context, file: FileId, block: &mut Block, node: &Node, shape: Shape, input: &str) {
    let Shape { read, defaults, what } = shape;
    for (key, value) in node.entries().unwrap_or(&[]) {
        let Some(k) = key.scalar() else { continue };
        let default = defaults.iter().any(|(d, v)| *d == k && value.scalar() == Some(*v));
        let empty = is_empty(value);
        if read.contains(&k) || default || empty {
            continue;
        }
        let span = key.span.start..value.span.end.max(key.span.end);
        cx.keep(
            block,
            file,
            input,
            span,
            &format!("kept from the project (cruddur has no setting for the {what}'s `{k}`)"),
            RemarkKind::Kept,
            format!("the {what}'s `{k}`: cruddur has no setting for it"),
        );
    }
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

fn environment_block(cx: &mut Context, file: FileId, body: &mut Block, environment: &Node, sources_text: &str) {
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
    keep_unread(
        cx,
        file,
        &mut block,
        environment,
        Shape {
            read: &[
                "image",
                "computeType",
                "privilegedMode",
                "type",
                "registryCredential",
                "environmentVariables",
            ],
            defaults: &[("imagePullCredentialsType", "CODEBUILD"), ("privilegedMode", "false")],
            what: "environment",
        },
        sources_text,
    );
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
            if !writer::is_name(name) {
                let span = var.span.clone();
                cx.keep(
                    &mut env,
                    file,
                    sources_text,
                    span,
                    "kept from the project (a variable name cruddur cannot write in `env`)",
                    RemarkKind::Kept,
                    format!("`{name}`: a variable name cruddur cannot write in `env`"),
                );
                continue;
            }
            let written = match text(var, "type") {
                Some("PARAMETER_STORE") => format!("parameter_store({})", cx.string(value)),
                Some("SECRETS_MANAGER") => format!("secrets_manager({})", cx.string(value)),
                _ => {
                    let span = get(var, "value").map_or(0..0, |n| n.span.clone());
                    buildspec::plain_variable(cx, file, name, value, span)
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
            // A branch, as cruddur writes it; a commit, a tag or a pull request is kept.
            let version = text(project, "sourceVersion");
            let branch = version.and_then(|v| {
                let name = v.strip_prefix("refs/heads/").unwrap_or(v);
                let commit = name.len() >= 7 && name.bytes().all(|b| b.is_ascii_hexdigit());
                (!commit && !name.starts_with("refs/") && !name.starts_with("pr/")).then_some(name)
            });
            if let (Some(version), None) = (version, branch) {
                let span = get(project, "sourceVersion").map_or(0..0, |n| n.span.clone());
                body.comment(&format!("import: kept from the project (builds check out a commit, tag or pull request, not a branch): sourceVersion {version}"));
                cx.remark(
                    file,
                    span,
                    RemarkKind::Kept,
                    format!("`sourceVersion` {version}: cruddur's `branch` names a branch"),
                );
            }
            webhook(cx, file, body, project, branch, &mut args, input);
            body.blank();
            body.property("source", format!("{}({})", host.word(), args.join(", ")));
        }
        ("S3", _)
            if cx
                .pipeline_projects
                .iter()
                .any(|p| Some(p.as_str()) == text(project, "name")) =>
        {
            cx.remark(
                file,
                source.span.clone(),
                RemarkKind::Inferred,
                "the project's S3 source is left out: a pipeline runs it, and CodeBuild reads the pipeline's input artifacts",
            );
        }
        ("S3", _) => {
            if let Some(location) = text(source, "location") {
                body.blank();
                body.property("source", format!("s3({})", cx.string(location)));
            }
        }
        // Its pipeline, imported with it, says what it reads and writes.
        ("CODEPIPELINE", _)
            if cx
                .pipeline_projects
                .iter()
                .any(|p| Some(p.as_str()) == text(project, "name")) => {}
        ("CODEPIPELINE", _) => {
            let span = get(source, "type").map_or(source.span.clone(), |t| t.span.clone());
            cx.remark(
                file,
                span,
                RemarkKind::ToDo,
                match cx.pipeline_projects.is_empty() {
                    true => "a pipeline runs this project (its source and output are the pipeline's): the pipeline is not imported, so write the `codebuild(…)` action that runs it",
                    false => "its source is a pipeline's, but no imported pipeline runs it: write the `codebuild(…)` action that runs it",
                },
            );
        }
        ("NO_SOURCE", _) => {}
        (other, _) => {
            let span = source.span.clone();
            body.blank();
            cx.keep(
                body,
                file,
                input,
                span,
                &format!(
                    "kept from the project (cruddur's projects read GitHub, Bitbucket, GitLab or S3, not {other})"
                ),
                RemarkKind::Kept,
                format!("a {other} source: cruddur's projects read GitHub, Bitbucket, GitLab or S3"),
            );
        }
    }
    keep_unread(
        cx,
        file,
        body,
        source,
        Shape {
            read: &["type", "location", "buildspec", "auth"],
            defaults: &[("insecureSsl", "false"), ("reportBuildStatus", "false")],
            what: "source",
        },
        input,
    );
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

/// The webhook as the source's arguments. The filter groups are read into `events`,
/// `branch`, `head_branches`, `tags`, the file and commit-message filters and `actors`, and
/// the pull-request build policy into `comment_approval` and `approvers`; then cruddur writes
/// the webhook of those arguments, and they are kept only if it is the same webhook (groups
/// and filters in any order). Otherwise the webhook is kept as a comment and the source gets
/// no events: builds do not start on their own, rather than on other events than before.
fn webhook(
    cx: &mut Context,
    file: FileId,
    body: &mut Block,
    project: &Node,
    branch: Option<&str>,
    args: &mut Vec<String>,
    input: &str,
) {
    let Some(hook) = get(project, "webhook") else {
        if let Some(branch) = branch {
            args.push(format!("branch = {}", cx.string(branch)));
        }
        return;
    };
    let mut unanchored = None;
    let candidate = read_webhook(hook, branch, &mut unanchored);
    let verified = candidate
        .as_ref()
        .is_some_and(|args| same_webhook(args, hook, unanchored.is_some()));
    match candidate.filter(|_| verified) {
        Some(read) => {
            if let Some((span, pattern)) = unanchored {
                cx.remark(
                    file,
                    span,
                    RemarkKind::Inferred,
                    format!("the actor filter `{pattern}` was not anchored, so it let in every account id containing one of these (the CodeBreach mistake); imported as these ids exactly"),
                );
            }
            args.extend(read);
        }
        None => {
            let span = hook.span.clone();
            body.blank();
            cx.keep(
                body,
                file,
                input,
                span,
                "to do: cruddur's source arguments do not say what this webhook says; it is kept\nhere, and the source has no events: builds do not start on their own until you write them",
                RemarkKind::ToDo,
                "the webhook is kept as a comment (cruddur's source arguments do not say the same): the source has no events until you write them",
            );
            if let Some(branch) = branch {
                args.push(format!("branch = {}", cx.string(branch)));
            }
        }
    }
}

/// The source's arguments a webhook reads as, if it reads as any.
fn read_webhook(
    hook: &Node,
    branch: Option<&str>,
    unanchored: &mut Option<(crate::diagnostics::Span, String)>,
) -> Option<Vec<String>> {
    if text(hook, "buildType").is_some_and(|t| t != "BUILD") || get(hook, "scopeConfiguration").is_some() {
        return None;
    }
    let NodeKind::Seq(groups) = &get(hook, "filterGroups")?.kind else {
        return None;
    };
    let mut events: Vec<WebhookEvent> = Vec::new();
    let mut branches: Vec<String> = branch.map(|b| vec![b.to_string()]).unwrap_or_default();
    let mut lists: [Vec<String>; 6] = Default::default();
    let [head_branches, tags, files, exclude_files, messages, exclude_messages] = &mut lists;
    let mut actors: Vec<String> = Vec::new();
    for group in groups {
        let NodeKind::Seq(filters) = &group.kind else {
            return None;
        };
        let group_events: Vec<WebhookEvent> = filters
            .iter()
            .filter(|f| text(f, "type") == Some("EVENT"))
            .flat_map(|f| text(f, "pattern").unwrap_or("").split(',').map(str::trim))
            .map(|name| WebhookEvent::ALL.iter().copied().find(|e| e.aws() == name))
            .collect::<Option<_>>()?;
        let pull_requests = group_events.iter().all(|e| e.is_pull_request());
        for event in &group_events {
            if !events.contains(event) {
                events.push(*event);
            }
        }
        for filter in filters {
            let pattern = text(filter, "pattern").unwrap_or("");
            let exclude = yes(filter, "excludeMatchedPattern");
            let into = |list: &mut Vec<String>, items: Vec<String>| {
                for item in items {
                    if !list.contains(&item) {
                        list.push(item);
                    }
                }
            };
            match (text(filter, "type")?, exclude) {
                ("EVENT", false) => {}
                ("HEAD_REF", false) => {
                    let refs = alternatives(pattern, true)?;
                    for r in refs {
                        match (r.strip_prefix("refs/heads/"), r.strip_prefix("refs/tags/")) {
                            (Some(name), _) if pull_requests => into(head_branches, vec![name.to_string()]),
                            (Some(name), _) => into(&mut branches, vec![name.to_string()]),
                            (_, Some(tag)) => into(tags, vec![tag.to_string()]),
                            _ => return None,
                        }
                    }
                }
                ("BASE_REF", false) => {
                    let name = alternatives(pattern, true)?.pop()?;
                    into(&mut branches, vec![name.strip_prefix("refs/heads/")?.to_string()]);
                }
                ("TAG_NAME", false) => into(tags, alternatives(pattern, true)?),
                ("FILE_PATH", exclude) => {
                    let paths = alternatives_with_folders(pattern)?;
                    into(if exclude { exclude_files } else { files }, paths);
                }
                ("COMMIT_MESSAGE", exclude) => {
                    let texts = alternatives(pattern, false)?;
                    into(if exclude { exclude_messages } else { messages }, texts);
                }
                ("ACTOR_ACCOUNT_ID", false) => {
                    let anchored = pattern.starts_with('^') && pattern.ends_with('$');
                    let ids = alternatives(pattern, anchored)?;
                    if !ids
                        .iter()
                        .all(|i| !i.is_empty() && i.bytes().all(|b| b.is_ascii_digit()))
                    {
                        return None;
                    }
                    if !anchored {
                        let span = get(filter, "pattern").map_or(0..0, |n| n.span.clone());
                        *unanchored = Some((span, pattern.to_string()));
                    }
                    into(&mut actors, ids);
                }
                _ => return None,
            }
        }
    }
    let mut args = Vec::new();
    if !events.is_empty() {
        let words: Vec<&str> = events.iter().map(|e| e.word()).collect();
        args.push(format!("events = [{}]", words.join(", ")));
    }
    match branches.as_slice() {
        [] => {}
        [one] => args.push(format!("branch = {}", writer::string(one))),
        _ => return None,
    }
    let named = [
        "head_branches",
        "tags",
        "files",
        "exclude_files",
        "commit_messages",
        "exclude_commit_messages",
    ];
    for (name, list) in named.iter().zip(&lists) {
        if !list.is_empty() {
            args.push(format!("{name} = {}", writer::list(list)));
        }
    }
    if !actors.is_empty() {
        args.push(format!("actors = {}", writer::list(&actors)));
    }
    if let Some(policy) = get(hook, "pullRequestBuildPolicy") {
        let approval = text(policy, "requiresCommentApproval")?;
        let approval = CommentApproval::ALL.iter().find(|c| c.aws() == approval)?;
        args.push(format!("comment_approval = {}", approval.word()));
        if let Some(NodeKind::Seq(roles)) = get(policy, "approverRoles").map(|r| &r.kind) {
            let roles: Vec<&str> = roles
                .iter()
                .map(|r| {
                    ApproverRole::ALL
                        .iter()
                        .find(|a| Some(a.aws()) == r.scalar())
                        .map(|a| a.word())
                })
                .collect::<Option<_>>()?;
            args.push(format!("approvers = [{}]", roles.join(", ")));
        }
    }
    Some(args)
}

/// The literal texts a pattern matches, one of: `^a$`, `^(a|b)$` (anchored), `a`, `(a|b)`;
/// `None` for any other regular expression.
fn alternatives(pattern: &str, anchored: bool) -> Option<Vec<String>> {
    let inner = if anchored {
        pattern.strip_prefix('^')?.strip_suffix('$')?
    } else {
        pattern
    };
    let inner = match inner.strip_prefix('(').and_then(|i| i.strip_suffix(')')) {
        Some(group) => group,
        None => inner,
    };
    split_alternatives(inner)?.into_iter().map(|a| unescape(&a)).collect()
}

/// File paths: literal paths, and folders written `dir/.*`.
fn alternatives_with_folders(pattern: &str) -> Option<Vec<String>> {
    let inner = pattern.strip_prefix('^')?.strip_suffix('$')?;
    let inner = match inner.strip_prefix('(').and_then(|i| i.strip_suffix(')')) {
        Some(group) => group,
        None => inner,
    };
    split_alternatives(inner)?
        .into_iter()
        .map(|a| match a.strip_suffix(".*") {
            Some(folder) if folder.ends_with('/') => unescape(folder),
            _ => unescape(&a),
        })
        .collect()
}

/// `a|b` split at the `|`s that are not escaped; `None` when a group or class is inside.
fn split_alternatives(text: &str) -> Option<Vec<String>> {
    let mut parts = vec![String::new()];
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next()?;
                let last = parts.last_mut()?;
                last.push('\\');
                last.push(next);
            }
            '|' => parts.push(String::new()),
            '(' | ')' | '[' | ']' => return None,
            c => parts.last_mut()?.push(c),
        }
    }
    Some(parts)
}

/// A regular expression with no operator, as the text it matches.
fn unescape(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            '.' | '*' | '+' | '?' | '{' | '}' | '^' | '$' | '|' | '(' | ')' | '[' | ']' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// Whether cruddur writes the same webhook for a source with these arguments: the filter
/// groups (in any order, their filters in any order, an event list in any order) and the
/// pull-request build policy. `anchor_actors`: the input's actor filter was unanchored,
/// which the import fixes on purpose.
fn same_webhook(args: &[String], hook: &Node, anchor_actors: bool) -> bool {
    let program = format!(
        "param c\nconnection gh {{\n  arn = c\n}}\naws {{\n  account = \"123456789012\"\n  region = \"us-east-1\"\n}}\nproject p {{\n  name = \"verify-webhook\"\n  source = github(gh, \"o/r\", {})\n  environment {{\n    image = amazonlinux_standard(\"5.0\")\n  }}\n  phase build {{\n    run \"true\"\n  }}\n}}\n",
        args.join(", ")
    );
    let mut sources = SourceMap::new();
    let id = sources.add("verify.cruddur", program);
    let analysis = crate::analyze(&sources, &[id]);
    if analysis.diagnostics.iter().any(|d| d.is_error()) {
        return false;
    }
    let params = [(
        "c".to_string(),
        "arn:aws:codeconnections:us-east-1:123456789012:connection/0".to_string(),
    )]
    .into_iter()
    .collect();
    let Ok(files) = crate::emit::emit_forms(&analysis.program, &params, crate::emit::Forms::Cli) else {
        return false;
    };
    let Some(written) = files.get("codebuild/verify-webhook.webhook.json") else {
        return false;
    };
    let Ok(written) = serde_json::from_str::<serde_json::Value>(written) else {
        return false;
    };
    let input_groups = json(get(hook, "filterGroups").unwrap_or(hook));
    let input_policy = get(hook, "pullRequestBuildPolicy")
        .map(json)
        .unwrap_or(serde_json::Value::Null);
    normal_groups(&written["filterGroups"], false) == normal_groups(&input_groups, anchor_actors)
        && normal_policy(&written["pullRequestBuildPolicy"]) == normal_policy(&input_policy)
}

/// Filter groups as sorted lists of (type, pattern, excluded).
fn normal_groups(groups: &serde_json::Value, anchor_actors: bool) -> Vec<Vec<(String, String, bool)>> {
    let mut out: Vec<Vec<(String, String, bool)>> = groups
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .map(|group| {
            let mut filters: Vec<(String, String, bool)> = group
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or(&[])
                .iter()
                .map(|f| {
                    let kind = f["type"].as_str().unwrap_or("").to_string();
                    let mut pattern = f["pattern"].as_str().unwrap_or("").to_string();
                    if kind == "EVENT" {
                        let mut names: Vec<&str> = pattern.split(',').map(str::trim).collect();
                        names.sort();
                        pattern = names.join(",");
                    }
                    if kind == "ACTOR_ACCOUNT_ID" && anchor_actors && !pattern.starts_with('^') {
                        pattern = match pattern.starts_with('(') {
                            true => format!("^{pattern}$"),
                            false if pattern.contains('|') => format!("^({pattern})$"),
                            false => format!("^{pattern}$"),
                        };
                    }
                    (kind, pattern, f["excludeMatchedPattern"].as_bool().unwrap_or(false))
                })
                .collect();
            filters.sort();
            filters
        })
        .collect();
    out.sort();
    out
}

fn normal_policy(policy: &serde_json::Value) -> Option<(String, Vec<String>)> {
    let approval = policy["requiresCommentApproval"].as_str()?.to_string();
    let mut roles: Vec<String> = policy["approverRoles"]
        .as_array()
        .map(|r| r.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    roles.sort();
    Some((approval, roles))
}

fn output(cx: &mut Context, file: FileId, body: &mut Block, artifacts: &Node, input: &str) {
    keep_unread(
        cx,
        file,
        body,
        artifacts,
        Shape {
            read: &[
                "type",
                "location",
                "path",
                "name",
                "packaging",
                "namespaceType",
                "encryptionDisabled",
            ],
            defaults: &[("overrideArtifactName", "false"), ("encryptionDisabled", "false")],
            what: "output",
        },
        input,
    );
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
    fn patterns_read_back_when_they_list_literal_texts() {
        let read = |p: &str, anchored: bool| alternatives(p, anchored);
        assert_eq!(
            read("^refs/heads/main$", true),
            Some(vec!["refs/heads/main".to_string()])
        );
        assert_eq!(
            read("^(111|222)$", true),
            Some(vec!["111".to_string(), "222".to_string()])
        );
        assert_eq!(
            read("^refs/heads/release\\.1$", true),
            Some(vec!["refs/heads/release.1".to_string()])
        );
        assert_eq!(read("\\[skip ci\\]", false), Some(vec!["[skip ci]".to_string()]));
        assert_eq!(read("^refs/heads/feature/.*$", true), None);
        assert_eq!(read("^(a|(b))$", true), None);
        assert_eq!(
            alternatives_with_folders("^(src/.*|package\\.json)$"),
            Some(vec!["src/".to_string(), "package.json".to_string()])
        );
    }

    #[test]
    fn minutes_are_durations() {
        assert_eq!(duration(20), "20m");
        assert_eq!(duration(120), "2h");
        assert_eq!(duration(90), "1h30m");
    }
}

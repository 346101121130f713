//! CodePipeline pipelines as the AWS CLI prints them (`aws codepipeline get-pipeline`: a
//! `pipeline` with its `metadata`) or takes them (`create-pipeline` / `update-pipeline
//! --cli-input-json`), read into a `pipeline` and the items its actions name: the projects
//! (which must be imported with it), connections, ECR repositories, ECS services and the roles
//! actions run in. Each action's type is mapped back through cruddur's own provider table
//! (`vocabulary::providers`), so a setting reads back into the property it was written from.
//! Source of the shapes: botocore's CodePipeline model (`PipelineDeclaration`,
//! `StageDeclaration`, `ActionDeclaration`, `PipelineTriggerDeclaration`).

use super::tree::{get, is_empty, strings, text};
use super::writer::{self, Block};
use super::{registry, Context, Item, RemarkKind};
use crate::diagnostics::{Code, Diagnostic, FileId, SourceMap};
use crate::syntax::yaml::{Node, NodeKind};
use crate::vocabulary::{
    Enumerated, ExecutionMode, ProviderKind, ProviderSpec, PullRequestEvent, StageFailure, TriggerKind, PROVIDERS,
};

/// The pipelines of the file: `{"pipeline": …}` or the declaration itself.
pub(super) fn pipeline_nodes(root: &Node) -> Vec<&Node> {
    match get(root, "pipeline") {
        Some(pipeline) => vec![pipeline],
        None => vec![root],
    }
}

fn items(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.kind) {
        Some(NodeKind::Seq(items)) => items,
        _ => &[],
    }
}

fn stages(pipeline: &Node) -> &[Node] {
    items(get(pipeline, "stages"))
}

fn actions(stage: &Node) -> &[Node] {
    items(get(stage, "actions"))
}

/// The action's `actionTypeId`: category, owner, provider.
fn type_id(action: &Node) -> (&str, &str, &str) {
    let id = get(action, "actionTypeId");
    let field = |key| id.and_then(|id| text(id, key)).unwrap_or("");
    (field("category"), field("owner"), field("provider"))
}

/// The projects the pipeline's CodeBuild actions run.
fn projects_run(pipeline: &Node) -> Vec<&str> {
    stages(pipeline)
        .iter()
        .flat_map(actions)
        .filter(|a| matches!(type_id(a), (_, "AWS", "CodeBuild")))
        .filter_map(|a| get(a, "configuration").and_then(|c| text(c, "ProjectName")))
        .collect()
}

/// Records the accounts the pipelines name and the Region they run in (their ARN's), and the
/// projects they run, before any item is written.
pub(super) fn scan(cx: &mut Context, file: FileId, root: &Node) {
    for pipeline in pipeline_nodes(root) {
        let arn = get(root, "metadata").and_then(|m| text(m, "pipelineArn"));
        if let Some(region) = arn.and_then(|arn| arn.split(':').nth(3)).filter(|r| !r.is_empty()) {
            cx.region.get_or_insert_with(|| region.to_string());
        }
        let mut texts = Vec::new();
        strings(pipeline, &mut texts);
        for text in texts {
            registry::scan(cx, text);
        }
        // A connection's own Region is the pipeline's: connections are Regional.
        for action in stages(pipeline).iter().flat_map(actions) {
            let connection = get(action, "configuration").and_then(|c| text(c, "ConnectionArn"));
            if let Some(region) = connection.and_then(|arn| arn.split(':').nth(3)) {
                if cx.region.is_none() && get(action, "region").is_none() {
                    cx.region = Some(region.to_string());
                }
            }
        }
        // The console names the bucket it makes `codepipeline-REGION-…`.
        let store = get(pipeline, "artifactStore").and_then(|s| get(s, "location"));
        if let (None, Some(node)) = (&cx.region, store) {
            if let Some(region) = node.scalar().and_then(console_bucket_region) {
                cx.region = Some(region.to_string());
                cx.remark(
                    file,
                    node.span.clone(),
                    RemarkKind::Inferred,
                    format!("the Region is {region}, the one the console named the artifact bucket after"),
                );
            }
        }
        for project in projects_run(pipeline) {
            cx.pipeline_projects.push(project.to_string());
        }
    }
}

/// The Region in a bucket named as the CodePipeline console names the artifact buckets it
/// makes, `codepipeline-us-east-1-…`.
fn console_bucket_region(bucket: &str) -> Option<&str> {
    let rest = bucket.strip_prefix("codepipeline-")?;
    let parts: Vec<&str> = rest.splitn(5, '-').collect();
    let is_region = |n: usize| {
        let (geo, digit) = (&parts[..n - 1], parts[n - 1]);
        geo.len() >= 2
            && geo[0].len() == 2
            && geo
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
            && !digit.is_empty()
            && digit.bytes().all(|b| b.is_ascii_digit())
    };
    let n = (3..=parts.len().min(4)).find(|&n| is_region(n))?;
    let len = parts[..n].iter().map(|p| p.len() + 1).sum::<usize>() - 1;
    Some(&rest[..len])
}

/// The projects the pipelines run that no input defines: an error naming them, with the
/// command that prints them (a `codebuild(…)` action needs its project's definition).
pub(super) fn missing_projects(cx: &Context, file: FileId, root: &Node) -> Option<Diagnostic> {
    let mut missing: Vec<(&str, crate::diagnostics::Span)> = Vec::new();
    for pipeline in pipeline_nodes(root) {
        for action in stages(pipeline).iter().flat_map(actions) {
            if !matches!(type_id(action), (_, "AWS", "CodeBuild")) {
                continue;
            }
            let Some(node) = get(action, "configuration").and_then(|c| get(c, "ProjectName")) else {
                continue;
            };
            let name = node.scalar().unwrap_or("");
            if !cx.project_ids.contains_key(name) && !missing.iter().any(|(n, _)| *n == name) {
                missing.push((name, node.span.clone()));
            }
        }
    }
    let (first, span) = missing.first()?.clone();
    // A name the template computes from another stack's export: say how it was written.
    let written = |name: &str| -> String {
        super::marked(name)
            .and_then(|path| cx.params.iter().find(|(id, ..)| id == path))
            .and_then(|(_, _, comment)| comment.split_once('`'))
            .map(|(_, rest)| rest.trim_end_matches('`').to_string())
            .unwrap_or_else(|| name.to_string())
    };
    let names: Vec<String> = missing.iter().map(|(n, _)| written(n)).collect();
    let first = written(first);
    let diagnostic = Diagnostic::new(
        Code::Unimportable,
        format!(
            "the pipeline runs CodeBuild project{} {}, which no input defines",
            if names.len() > 1 { "s" } else { "" },
            names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
        ),
        file,
        span,
        format!("`{first}` is not among the files"),
    )
    .with_note(format!(
        "import the projects with the pipeline: `aws codebuild batch-get-projects --names {} > projects.json`, and give `cruddur import` both files",
        names.join(" "),
    ));
    Some(diagnostic)
}

/// The keys of `create-pipeline` input beside the pipeline (`tags`), kept as a remark.
pub(super) fn root_extras(cx: &mut Context, file: FileId, root: &Node) {
    if get(root, "pipeline").is_none() {
        return;
    }
    for (key, value) in root.entries().unwrap_or(&[]) {
        let Some(k) = key.scalar().filter(|k| !matches!(*k, "pipeline" | "metadata")) else {
            continue;
        };
        let why = match k {
            "tags" => "cruddur writes no tags",
            _ => "cruddur has no member for it",
        };
        cx.remark(
            file,
            key.span.start..value.span.end.max(key.span.end),
            RemarkKind::Kept,
            format!("`{k}` beside the pipeline is not imported: {why}"),
        );
    }
}

/// What CodePipeline itself would refuse in a pipeline: a stage or action without a name, an
/// action without a type, a run order outside 1 to 999. Errors, as for a buildspec CodeBuild
/// would refuse: nothing is written from them.
pub(super) fn refused(file: FileId, root: &Node) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut refuse = |span: crate::diagnostics::Span, message: String, label: &str| {
        out.push(
            Diagnostic::new(Code::Unimportable, message, file, span, label.to_string())
                .with_note("CodePipeline refuses such a pipeline (botocore's PipelineDeclaration)"),
        );
    };
    for pipeline in pipeline_nodes(root) {
        for stage in stages(pipeline) {
            if text(stage, "name").is_none() {
                refuse(stage.span.clone(), "a stage without a name".into(), "no `name`");
            }
            for action in actions(stage) {
                if text(action, "name").is_none() {
                    refuse(action.span.clone(), "an action without a name".into(), "no `name`");
                }
                let (category, owner, provider) = type_id(action);
                if category.is_empty() || owner.is_empty() || provider.is_empty() {
                    let span = get(action, "actionTypeId").map_or(action.span.clone(), |n| n.span.clone());
                    refuse(
                        span,
                        "an action without a whole `actionTypeId` (category, owner and provider)".into(),
                        "not a whole type",
                    );
                }
                if let Some(order) = get(action, "runOrder") {
                    let valid = order
                        .scalar()
                        .and_then(|o| o.parse::<u32>().ok())
                        .is_some_and(|o| (1..=999).contains(&o));
                    if !valid {
                        refuse(
                            order.span.clone(),
                            format!("`runOrder` {} is not a number from 1 to 999", order.describe()),
                            "not a run order",
                        );
                    }
                }
            }
        }
    }
    out
}

/// Keys of a pipeline declaration read into members, or AWS's own record of it.
const PIPELINE_READ: &[&str] = &[
    "name",
    "roleArn",
    "artifactStore",
    "artifactStores",
    "stages",
    "version",
    "pipelineType",
    "executionMode",
    "variables",
    "triggers",
];

const STAGE_READ: &[&str] = &["name", "actions", "onFailure"];

const ACTION_READ: &[&str] = &[
    "name",
    "actionTypeId",
    "runOrder",
    "configuration",
    "inputArtifacts",
    "outputArtifacts",
    "namespace",
    "region",
    "roleArn",
];

/// Where a key's value is, or the node itself.
fn span_of(node: &Node, key: &str) -> crate::diagnostics::Span {
    get(node, key).map_or(node.span.clone(), |n| n.span.clone())
}

/// A stage or action label: an identifier, with `-` between its parts.
fn is_label(name: &str) -> bool {
    !name.is_empty() && name.split('-').all(writer::is_name)
}

/// An artifact's name as a statement's argument: a name, or a string. A name a template
/// computed (`!Join ['-', [!Ref AWS::StackName, Source]]`) keeps its written parts: the
/// names matter only inside the pipeline.
fn artifact(name: &str) -> String {
    let mut plain = String::new();
    let mut rest = name;
    while let Some(start) = rest.find(super::MARK_OPEN) {
        plain.push_str(&rest[..start]);
        match rest[start..].find(super::MARK_CLOSE) {
            Some(len) => rest = &rest[start + len + super::MARK_CLOSE.len_utf8()..],
            None => rest = "",
        }
    }
    plain.push_str(rest);
    let plain = plain.trim_matches(['-', '_']);
    let plain = if plain.is_empty() { "Artifact" } else { plain };
    // `source-output` is `source_output`: artifact names are the pipeline's own.
    let kept: String = plain
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' })
        .collect();
    match writer::is_name(&kept) {
        true => kept,
        false => writer::identifier(plain, "artifact"),
    }
}

/// One pipeline; the items it names go to the context.
pub(super) fn pipeline(cx: &mut Context, sources: &SourceMap, file: FileId, node: &Node) -> Item {
    let input = sources.source(file).to_string();
    let name = text(node, "name").unwrap_or("imported").to_string();
    let id = match cx.logical_ids.get(&name).cloned() {
        Some(logical) => cx.identifier(&super::cloudformation::snake(&logical), "pipeline"),
        None => cx.identifier(&name, "pipeline"),
    };
    let mut body = Block::new();
    body.property("name", cx.string(&name));
    if let Some(role) = text(node, "roleArn") {
        let role_name = role.rsplit('/').next().unwrap_or(role).to_string();
        let account = registry::find(role).first().map(|f| f.account.to_string());
        cx.pipeline_roles.push((name.clone(), role_name, account));
        cx.pipeline_ids.insert(name.clone(), (id.clone(), role.to_string()));
        let span = get(node, "roleArn").map_or(0..0, |n| n.span.clone());
        cx.remark(
            file,
            span,
            RemarkKind::Inferred,
            format!("the role {role} is not imported: cruddur infers one that allows what `{name}` does, and no more"),
        );
    }
    if matches!(text(node, "pipelineType"), Some("V1") | None) {
        let span = get(node, "pipelineType").map_or(0..0, |n| n.span.clone());
        cx.remark(
            file,
            span,
            RemarkKind::Inferred,
            format!("`{name}` was a V1 pipeline (no `pipelineType` means V1): cruddur writes V2 pipelines, billed by action minutes, with triggers and variables"),
        );
    }
    if let Some(other) = text(node, "pipelineType").filter(|t| !matches!(*t, "V1" | "V2")) {
        let span = get(node, "pipelineType").map_or(0..0, |n| n.span.clone());
        cx.remark(
            file,
            span,
            RemarkKind::Kept,
            format!("`pipelineType` {other} is not one CodePipeline has: cruddur writes V2"),
        );
    }
    artifact_stores(cx, file, &mut body, node, &id);
    if let Some(mode) = text(node, "executionMode") {
        match ExecutionMode::ALL.iter().find(|e| e.aws() == mode) {
            Some(ExecutionMode::Superseded) => {}
            Some(known) => {
                body.property("execution_mode", known.word());
            }
            None => {
                let span = get(node, "executionMode").map_or(0..0, |n| n.span.clone());
                cx.remark(
                    file,
                    span,
                    RemarkKind::Kept,
                    format!(
                        "`executionMode` {mode} is not one CodePipeline has: the pipeline runs superseded, the default"
                    ),
                );
            }
        }
    }
    for variable in items(get(node, "variables")) {
        let var = text(variable, "name").unwrap_or("");
        if !writer::is_name(var) {
            cx.keep(
                &mut body,
                file,
                &input,
                variable.span.clone(),
                "kept from the pipeline (a variable cruddur cannot name: its names are identifiers)",
                RemarkKind::Kept,
                format!("the pipeline variable `{var}`: cruddur's variable names are identifiers (letters, digits, `_`; not first a digit), so settings that read it need it renamed"),
            );
            continue;
        }
        let mut head = format!("variable {var}");
        if let Some(default) = get(variable, "defaultValue").and_then(Node::scalar) {
            head.push_str(&format!(" = {}", cx.string(default)));
        }
        match text(variable, "description") {
            Some(description) => {
                let mut block = Block::new();
                block.property("description", cx.string(description));
                body.block(head, block);
            }
            // A body, even empty, makes it a declaration.
            None => {
                body.block(head, Block::new());
            }
        }
    }
    keep_unread(
        cx,
        file,
        &mut body,
        node,
        PIPELINE_READ,
        &format!("pipeline `{name}`"),
        &input,
    );
    let triggers = items(get(node, "triggers"));
    let stage_names: Vec<&str> = stages(node)
        .iter()
        .map(|s| text(s, "name").unwrap_or("Stage"))
        .collect();
    let stage_labels = labels(&stage_names, "Stage");
    let mut action_names: Vec<&str> = Vec::new();
    for (stage, (stage_name, label)) in stages(node).iter().zip(stage_names.iter().zip(stage_labels)) {
        let stage_name = *stage_name;
        let mut block = Block::new();
        if label != stage_name {
            block.property("name", cx.string(stage_name));
        }
        if let Some(failure) = get(stage, "onFailure") {
            let result = text(failure, "result").unwrap_or("");
            let mode = get(failure, "retryConfiguration").and_then(|r| text(r, "retryMode"));
            let value = match (result, mode) {
                ("ROLLBACK", _) => Some(StageFailure::Rollback),
                ("RETRY", Some("ALL_ACTIONS")) => Some(StageFailure::RetryAll),
                ("RETRY", _) => Some(StageFailure::Retry),
                ("FAIL", _) => None,
                _ => None,
            };
            if let Some(value) = value {
                block.property("on_failure", value.word());
            }
            let unread: Vec<&str> = failure
                .entries()
                .unwrap_or(&[])
                .iter()
                .filter_map(|(k, _)| k.scalar())
                .filter(|k| !matches!(*k, "result" | "retryConfiguration"))
                .collect();
            if !unread.is_empty() || (value.is_none() && result != "FAIL") {
                cx.keep(
                    &mut block,
                    file,
                    &input,
                    failure.span.clone(),
                    "kept from the stage (cruddur's `on_failure` says rollback, retry, retry_all or fail)",
                    RemarkKind::Kept,
                    format!("`onFailure` of stage `{stage_name}`: only its result and retry mode are read; a condition in it no longer gates the stage"),
                );
            }
        }
        keep_unread(
            cx,
            file,
            &mut block,
            stage,
            STAGE_READ,
            &format!("stage `{stage_name}`"),
            &input,
        );
        let names: Vec<&str> = actions(stage)
            .iter()
            .map(|a| text(a, "name").unwrap_or("Action"))
            .collect();
        action_names.extend(&names);
        for (action, (action_name, label)) in actions(stage).iter().zip(names.iter().zip(labels(&names, "Action"))) {
            let action_name = *action_name;
            if label != action_name {
                let span = get(action, "name").map_or(action.span.clone(), |n| n.span.clone());
                cx.remark(
                    file,
                    span,
                    RemarkKind::Inferred,
                    format!("the action `{action_name}` is named `{label}`: cruddur's action names are identifiers, with `-` between their parts"),
                );
            }
            let trigger = triggers
                .iter()
                .find(|t| get(t, "gitConfiguration").and_then(|g| text(g, "sourceActionName")) == Some(action_name));
            if !block.is_empty() {
                block.blank();
            }
            action_member(cx, file, &input, &mut block, node, action, &label, trigger);
        }
        body.blank();
        body.block(format!("stage {label}"), block);
    }
    // (j) A trigger for no action of the pipeline.
    for trigger in triggers {
        let source = get(trigger, "gitConfiguration").and_then(|g| text(g, "sourceActionName"));
        if !source.is_some_and(|s| action_names.contains(&s)) {
            cx.remark(
                file,
                trigger.span.clone(),
                RemarkKind::Kept,
                format!(
                    "a trigger of `{name}` for {}, which is no action of the pipeline: not imported",
                    source.map_or("no source action".to_string(), |s| format!("`{s}`"))
                ),
            );
        }
    }
    (Vec::new(), format!("pipeline {id}"), body)
}

/// Labels for siblings' AWS names: a name that is a label keeps it; the others are made into
/// labels none of their siblings has.
fn labels(names: &[&str], fallback: &str) -> Vec<String> {
    let mut taken: Vec<String> = names.iter().filter(|n| is_label(n)).map(|n| n.to_string()).collect();
    names
        .iter()
        .map(|name| match is_label(name) {
            true => name.to_string(),
            false => unique_label(&mut taken, name, fallback),
        })
        .collect()
}

/// A label no earlier sibling has, made from the AWS name.
fn unique_label(taken: &mut Vec<String>, name: &str, fallback: &str) -> String {
    let base = if is_label(name) {
        name.to_string()
    } else {
        let mut out = String::new();
        for c in name.chars() {
            if c.is_ascii_alphanumeric() || c == '_' {
                out.push(c);
            } else if !out.is_empty() && !out.ends_with(['_', '-']) {
                out.push('_');
            }
        }
        let out = out.trim_end_matches(['_', '-']).to_string();
        match out.chars().next() {
            None => fallback.to_string(),
            Some(c) if c.is_ascii_digit() => format!("{fallback}_{out}"),
            Some(_) => out,
        }
    };
    let mut label = base.clone();
    let mut n = 2;
    while taken.contains(&label) {
        label = format!("{base}_{n}");
        n += 1;
    }
    taken.push(label.clone());
    label
}

/// The artifact bucket and key of the pipeline's Region, and `artifact_store` blocks for the
/// others. A bucket named as cruddur names the one it creates is left to cruddur.
fn artifact_stores(cx: &mut Context, file: FileId, body: &mut Block, node: &Node, pipeline: &str) {
    let mut stores: Vec<(Option<&str>, &Node)> = Vec::new();
    if let Some(store) = get(node, "artifactStore") {
        stores.push((None, store));
    }
    for entry in get(node, "artifactStores").and_then(Node::entries).unwrap_or(&[]) {
        if let Some(region) = entry.0.scalar() {
            stores.push((Some(region), &entry.1));
        }
    }
    for (region, store) in stores {
        let bucket = text(store, "location");
        let key = get(store, "encryptionKey").and_then(|k| text(k, "id"));
        // The pipeline's own Region: the one it runs in, or a template's `AWS::Region`.
        let own =
            region.is_none() || region == cx.region.as_deref() || region.and_then(super::marked) == Some("aws.region");
        if own {
            let default = match (cx.accounts.first(), &cx.region) {
                (Some(account), Some(region)) => Some(format!("cruddur-artifacts-{account}-{region}")),
                _ => None,
            };
            let template_bucket = bucket
                .and_then(super::marked)
                .and_then(|id| cx.template_buckets.iter().find(|(b, _)| b == id))
                .cloned();
            if let Some((bucket_param, logical)) = template_bucket {
                cx.store_buckets.push((bucket_param, pipeline.to_string()));
                let span = store.span.clone();
                cx.remark(
                    file,
                    span,
                    RemarkKind::Inferred,
                    format!("the artifact bucket is the template's {logical}: cruddur's template creates one (encrypted, versioned, public access blocked)"),
                );
            } else if let Some(bucket) = bucket.filter(|b| Some(b.to_string()) != default) {
                body.property("artifact_bucket", cx.string(bucket));
            } else if bucket.is_none() {
                let span = store.span.clone();
                cx.remark(
                    file,
                    span,
                    RemarkKind::Inferred,
                    "the artifact store names no bucket: cruddur's template creates one",
                );
            }
            if let Some(key) = key {
                body.property("artifact_key", cx.string(key));
            }
        } else {
            let mut block = Block::new();
            block.property("region", cx.string(region.unwrap_or_default()));
            if let Some(bucket) = bucket {
                block.property("bucket", cx.string(bucket));
            }
            if let Some(key) = key {
                block.property("key", cx.string(key));
            }
            body.block("artifact_store", block);
        }
    }
}

/// The keys of a declaration no member reads, kept as comments where they belonged.
fn keep_unread(cx: &mut Context, file: FileId, block: &mut Block, node: &Node, read: &[&str], what: &str, input: &str) {
    for (key, value) in node.entries().unwrap_or(&[]) {
        let Some(k) = key.scalar() else { continue };
        let empty = is_empty(value);
        if empty || read.contains(&k) {
            continue;
        }
        let span = key.span.start..value.span.end.max(key.span.end);
        // Conditions that gate a stage: without them it runs when it did not.
        let (kind, why) = match k {
            "beforeEntry" | "onSuccess" => (
                RemarkKind::ToDo,
                "a condition that gated it, which cruddur cannot write: add it again in the console, or the stage runs ungated",
            ),
            _ => (RemarkKind::Kept, "cruddur has no member for it"),
        };
        cx.keep(
            block,
            file,
            input,
            span,
            &format!("kept from the {what} ({why})"),
            kind,
            format!("`{k}` of the {what}: {why}"),
        );
    }
}

/// The provider an action type maps back to.
fn provider_of(category: &str, owner: &str, provider: &str, host: Option<&str>) -> Option<&'static ProviderSpec> {
    if owner != "AWS" {
        return None;
    }
    let kind = match (category, provider) {
        ("Source", "CodeStarSourceConnection") => match host {
            Some("bitbucket") => ProviderKind::Bitbucket,
            Some("gitlab") => ProviderKind::GitLab,
            _ => ProviderKind::GitHub,
        },
        _ => {
            return PROVIDERS.iter().find(|p| {
                p.category == category
                    && p.provider == provider
                    && !matches!(
                        p.kind,
                        ProviderKind::GitHub | ProviderKind::Bitbucket | ProviderKind::GitLab
                    )
            })
        }
    };
    Some(kind.spec())
}

/// One action of a stage, as `action LABEL = provider(…) { … }`.
#[allow(clippy::too_many_arguments)]
fn action_member(
    cx: &mut Context,
    file: FileId,
    input: &str,
    stage: &mut Block,
    pipeline: &Node,
    action: &Node,
    label: &str,
    trigger: Option<&Node>,
) {
    let (category, owner, provider) = type_id(action);
    let configuration = get(action, "configuration");
    let config = |key: &str| configuration.and_then(|c| text(c, key));
    let mut body = Block::new();
    let mut used: Vec<&str> = Vec::new();
    // GitHub (version 1) signed in with an OAuth token: a connection source now.
    let github_v1 = (category, owner, provider) == ("Source", "ThirdParty", "GitHub");
    let connection_arn = config("ConnectionArn");
    let host = connection_arn.and_then(|arn| cx.connection_hosts.get(arn).cloned());
    let spec = match github_v1 {
        true => Some(ProviderKind::GitHub.spec()),
        false => provider_of(category, owner, provider, host.as_deref()),
    };
    let Some(spec) = spec else {
        cx.keep(
            stage,
            file,
            input,
            action.span.clone(),
            &format!("kept from the pipeline (cruddur has no provider for {owner} {category} {provider} actions)"),
            RemarkKind::Kept,
            format!("the action `{label}`: cruddur has no provider for {owner} {category} {provider} actions; what reads its artifacts needs another source of them"),
        );
        return;
    };
    let version = get(action, "actionTypeId").and_then(|id| text(id, "version"));
    if let Some(version) = version.filter(|v| *v != "1") {
        let span = get(action, "actionTypeId").map_or(action.span.clone(), |n| n.span.clone());
        cx.remark(
            file,
            span,
            RemarkKind::Kept,
            format!("the action `{label}` was of version {version} of its type: cruddur writes version 1, the one AWS's own action types have"),
        );
    }
    let argument = match spec.kind {
        ProviderKind::GitHub | ProviderKind::Bitbucket | ProviderKind::GitLab => {
            let word = spec.name;
            if host.is_none() && !github_v1 {
                let span = get(action, "actionTypeId").map_or(action.span.clone(), |n| n.span.clone());
                cx.remark(
                    file,
                    span,
                    RemarkKind::ToDo,
                    format!("the action `{label}` reads through a connection whose host pipeline JSON does not name: `github(…)` is written; make it `bitbucket(…)` or `gitlab(…)` if the repository is there"),
                );
            }
            used.push("ConnectionArn");
            if github_v1 {
                used.extend(["Owner", "Repo", "Branch", "OAuthToken", "PollForSourceChanges"]);
                let span = get(action, "actionTypeId").map_or(action.span.clone(), |n| n.span.clone());
                cx.remark(
                    file,
                    span,
                    RemarkKind::ToDo,
                    format!("the action `{label}` signed in to GitHub with an OAuth token (GitHub version 1, which AWS no longer recommends); it now reads through a CodeConnections connection: approve one and pass its ARN. The token is not copied"),
                );
                if let Some(namespace) = text(action, "namespace") {
                    cx.remark(
                        file,
                        span_of(action, "namespace"),
                        RemarkKind::ToDo,
                        format!("a connection source sets AuthorDate, BranchName, CommitId, CommitMessage, ConnectionArn and FullRepositoryName: settings that read `#{{{namespace}.CommitUrl}}` or `#{{{namespace}.CommitterDate}}` (GitHub version 1's) need another value"),
                    );
                }
                if let (Some(owner), Some(repo)) = (config("Owner"), config("Repo")) {
                    body.property("repo", cx.string(&format!("{owner}/{repo}")));
                }
                if let Some(branch) = config("Branch") {
                    body.property("branch", cx.string(branch));
                }
            }
            let provider_name = match word {
                "bitbucket" => "Bitbucket",
                "gitlab" => "GitLab",
                _ => "GitHub",
            };
            Some(cx.connection(provider_name, connection_arn))
        }
        ProviderKind::CodeBuild | ProviderKind::CodeBuildTest => {
            used.push("ProjectName");
            let project = config("ProjectName").unwrap_or("");
            Some(
                cx.project_ids
                    .get(project)
                    .cloned()
                    .unwrap_or_else(|| project.to_string()),
            )
        }
        ProviderKind::Ecr => {
            used.push("RepositoryName");
            let name = config("RepositoryName").unwrap_or("");
            let id = match cx.repositories.get(name) {
                Some(id) => id.clone(),
                None => {
                    let id = cx.identifier(name, "repository");
                    cx.repositories.insert(name.to_string(), id.clone());
                    cx.watched.push(name.to_string());
                    id
                }
            };
            Some(id)
        }
        ProviderKind::Ecs => {
            used.extend(["ClusterName", "ServiceName"]);
            if config("FileName") == Some(crate::resolve::artifacts::IMAGE_DEFINITIONS_FILE) {
                used.push("FileName");
            }
            let cluster = config("ClusterName").unwrap_or("").to_string();
            let service = config("ServiceName").unwrap_or("").to_string();
            let container = container_of(cx, pipeline, action);
            Some(cx.service(file, action, &cluster, &service, container))
        }
        _ => None,
    };
    // The sources cruddur starts with an EventBridge rule of its own: the rule that started
    // the old pipeline (the console makes one) would start it a second time.
    let rule = match spec.kind {
        ProviderKind::Ecr => true,
        ProviderKind::CodeCommit => true,
        ProviderKind::S3Source => config("PollForSourceChanges") == Some("false"),
        _ => false,
    };
    if rule {
        let span = get(action, "actionTypeId").map_or(action.span.clone(), |n| n.span.clone());
        cx.remark(
            file,
            span,
            RemarkKind::ToDo,
            format!("cruddur's template makes an EventBridge rule that starts the pipeline when `{label}` changes: delete the rule that started the old pipeline, or each change starts it twice"),
        );
    }
    // CodePipeline polls a CodeCommit repository unless told not to; cruddur starts the
    // pipeline with an EventBridge rule, as AWS recommends.
    if spec.kind == ProviderKind::CodeCommit {
        used.push("PollForSourceChanges");
        if config("PollForSourceChanges") != Some("false") {
            let span = configuration.map_or(action.span.clone(), |c| c.span.clone());
            cx.remark(
                file,
                span,
                RemarkKind::Inferred,
                format!("the action `{label}` polled its repository: cruddur starts the pipeline with an EventBridge rule on a commit to the branch instead, as AWS recommends"),
            );
        }
    }
    // In the order cruddur's provider lists its settings, as a person writes them.
    let mut entries: Vec<&(Node, Node)> = configuration.and_then(Node::entries).unwrap_or(&[]).iter().collect();
    entries.sort_by_key(|(k, _)| {
        spec.settings
            .iter()
            .position(|s| Some(s.key) == k.scalar())
            .unwrap_or(usize::MAX)
    });
    for (key, value) in entries {
        let Some(k) = key.scalar() else { continue };
        if used.contains(&k) {
            continue;
        }
        if value.is_null() {
            cx.remark(
                file,
                key.span.start..value.span.end.max(key.span.end),
                RemarkKind::Kept,
                format!("`{k}` of the action `{label}` is null: left out"),
            );
            continue;
        }
        let value_text = value.scalar().unwrap_or("");
        if k == "EnvironmentVariables" && matches!(spec.kind, ProviderKind::CodeBuild | ProviderKind::CodeBuildTest) {
            let Some(env) = action_env(cx, value_text) else {
                cx.keep(
                    &mut body,
                    file,
                    input,
                    key.span.start..value.span.end.max(key.span.end),
                    "kept from the action (variables cruddur cannot read)",
                    RemarkKind::Kept,
                    format!("`EnvironmentVariables` of the action `{label}`: not a JSON list of variables with a name, a value and a type PLAINTEXT, PARAMETER_STORE or SECRETS_MANAGER"),
                );
                continue;
            };
            {
                for name in std::mem::take(&mut cx.secrets_moved) {
                    cx.remark(
                        file,
                        value.span.clone(),
                        RemarkKind::Moved,
                        format!("the action `{label}`'s variable {name} held a secret: it now comes from Secrets Manager, not copied"),
                    );
                }
                body.block("env", env);
                continue;
            }
        }
        match spec.settings.iter().find(|s| s.key == k) {
            Some(setting) => {
                let written = match (k, value_text) {
                    ("Capabilities", list) => writer::list(
                        &list
                            .split(',')
                            .map(|c| c.trim().to_string())
                            .filter(|c| !c.is_empty())
                            .collect::<Vec<_>>(),
                    ),
                    (_, "true" | "false") => value_text.to_string(),
                    (_, number)
                        if is_number_setting(setting.name)
                            && number.bytes().all(|b| b.is_ascii_digit())
                            && !number.is_empty() =>
                    {
                        number.to_string()
                    }
                    (_, other) if crate::check::security::imported_secret(setting.name, other).is_some() => {
                        let param = cx.identifier(&format!("{label}_{}", setting.name), "value");
                        cx.params.push((
                            param.clone(),
                            format!("{} of the action {label}, which held a secret", setting.name),
                            "import: the value held a secret; pass it when building, from a secret store".to_string(),
                        ));
                        cx.remark(
                            file,
                            value.span.clone(),
                            RemarkKind::Moved,
                            format!(
                                "`{k}` of the action `{label}` held a secret: it is the param `{param}`, not copied"
                            ),
                        );
                        param
                    }
                    // A stack role the template makes: the role cruddur creates for it.
                    ("RoleArn", arn) if cx.template_role(arn).is_some() => {
                        format!("{}.arn", cx.template_role(arn).unwrap_or_default())
                    }
                    // An input artifact's name, renamed as the artifacts are.
                    (_, name) if setting.names_artifact => writer::string(&artifact(name)),
                    (_, path)
                        if setting
                            .reads
                            .as_ref()
                            .is_some_and(|r| r.artifact == crate::vocabulary::FileIn::Prefixed) =>
                    {
                        match path.split_once("::") {
                            Some((name, file)) => cx.string(&format!("{}::{file}", artifact(name))),
                            None => cx.string(path),
                        }
                    }
                    (_, other) => cx.string(other),
                };
                body.property(setting.name, written);
            }
            None => {
                let span = key.span.start..value.span.end.max(key.span.end);
                let secret = k == "OAuthToken" || crate::check::security::imported_secret(k, value_text).is_some();
                if secret {
                    cx.remark(
                        file,
                        span,
                        RemarkKind::Moved,
                        format!("`{k}` of the action `{label}` is a secret and is not copied"),
                    );
                    continue;
                }
                cx.keep(
                    &mut body,
                    file,
                    input,
                    span,
                    &format!(
                        "kept from the action (the {} provider has no setting for it)",
                        spec.name
                    ),
                    RemarkKind::Kept,
                    format!(
                        "`{k}` of the action `{label}`: the {} provider has no setting for it",
                        spec.name
                    ),
                );
            }
        }
    }
    if let Some(trigger) = trigger.and_then(|t| get(t, "gitConfiguration")) {
        triggers(cx, &mut body, trigger);
    }
    for (key, statement) in [("inputArtifacts", "input"), ("outputArtifacts", "output")] {
        for artifact_node in items(get(action, key)) {
            if let Some(name) = text(artifact_node, "name") {
                let renamed = artifact(name);
                if renamed != name && statement == "output" {
                    cx.remark(
                        file,
                        artifact_node.span.clone(),
                        RemarkKind::Inferred,
                        format!("the artifact `{name}` is named `{renamed}`: cruddur's artifact names are identifiers (the names are the pipeline's own; settings that name it are renamed too)"),
                    );
                }
                body.line(format!("{statement} {renamed}"));
            }
        }
    }
    if let Some(order) = text(action, "runOrder").filter(|o| *o != "1") {
        body.property("run_order", order);
    }
    if let Some(namespace) = text(action, "namespace") {
        body.property("namespace", cx.string(namespace));
    }
    if let Some(region) = text(action, "region") {
        body.property("region", cx.string(region));
    }
    if let Some(role) = text(action, "roleArn") {
        let role = cx.role_by_arn(role);
        body.property("role", role);
    }
    keep_unread(
        cx,
        file,
        &mut body,
        action,
        ACTION_READ,
        &format!("action `{label}`"),
        input,
    );
    let head = format!("action {label} = {}({})", spec.name, argument.unwrap_or_default());
    match body.is_empty() {
        true => stage.line(head),
        false => stage.block(head, body),
    };
}

fn is_number_setting(name: &str) -> bool {
    name.ends_with("_threshold") || name == "deployment_timeout"
}

/// A CodeBuild action's `EnvironmentVariables` (a JSON list as text) as an `env` block; `None`
/// when the text is not such a list.
fn action_env(cx: &mut Context, text: &str) -> Option<Block> {
    let list: Vec<serde_json::Value> = serde_json::from_str(text).ok()?;
    let mut env = Block::new();
    for variable in &list {
        let name = variable.get("name")?.as_str()?;
        let value = variable.get("value")?.as_str()?;
        if !writer::is_name(name) {
            return None;
        }
        let written = match variable.get("type").and_then(|t| t.as_str()).unwrap_or("PLAINTEXT") {
            "PLAINTEXT" if crate::check::security::imported_secret(name, value).is_some() => {
                let param = secret_param(cx, name);
                format!("secrets_manager(\"${{{{ {param} }}}}\")")
            }
            "PLAINTEXT" => cx.string(value),
            "PARAMETER_STORE" => format!("parameter_store({})", cx.string(value)),
            "SECRETS_MANAGER" => format!("secrets_manager({})", cx.string(value)),
            _ => return None,
        };
        env.property(name, written);
    }
    Some(env)
}

/// The param that names the Secrets Manager secret a value found in the input now comes from.
fn secret_param(cx: &mut Context, name: &str) -> String {
    let param = cx.identifier(&format!("{name}_secret"), "secret");
    cx.params.push((
        param.clone(),
        format!("the Secrets Manager secret (name or ARN) that holds {name}"),
        format!("import: {name} held a secret in the pipeline: store it in Secrets Manager and pass the secret's name"),
    ));
    cx.secrets_moved.push(name.to_string());
    param
}

/// A source action's trigger filters, as `on push { … }` and `on pull_request { … }`.
fn triggers(cx: &Context, body: &mut Block, git: &Node) {
    for kind in TriggerKind::ALL {
        for filter in items(get(git, kind.aws())) {
            let mut block = Block::new();
            let events: Vec<&str> = items(get(filter, "events"))
                .iter()
                .filter_map(Node::scalar)
                .filter_map(|e| PullRequestEvent::ALL.iter().find(|p| p.aws() == e).map(|p| p.word()))
                .collect();
            if !events.is_empty() {
                block.property("events", format!("[{}]", events.join(", ")));
            }
            for (criteria, include, exclude) in [
                ("branches", "branches", "exclude_branches"),
                ("tags", "tags", "exclude_tags"),
                ("filePaths", "files", "exclude_files"),
            ] {
                let Some(lists) = get(filter, criteria) else { continue };
                for (side, name) in [("includes", include), ("excludes", exclude)] {
                    let patterns: Vec<String> = items(get(lists, side))
                        .iter()
                        .filter_map(Node::scalar)
                        .map(|p| cx.string(p))
                        .collect();
                    if get(lists, side).is_some() {
                        block.property(name, format!("[{}]", patterns.join(", ")));
                    }
                }
            }
            body.block(format!("on {}", kind.word()), block);
        }
    }
}

/// The container an ECS deploy updates: the one the imagedefinitions.json of the build that
/// made its input names, when the build's commands name one.
fn container_of(cx: &Context, pipeline: &Node, action: &Node) -> Option<String> {
    let input = items(get(action, "inputArtifacts"))
        .first()
        .and_then(|a| text(a, "name"))?;
    let producer = stages(pipeline).iter().flat_map(actions).find(|a| {
        items(get(a, "outputArtifacts"))
            .iter()
            .any(|o| text(o, "name") == Some(input))
    })?;
    let project = get(producer, "configuration").and_then(|c| text(c, "ProjectName"))?;
    match cx.image_definitions.get(project).map(Vec::as_slice) {
        Some([one]) => Some(one.clone()),
        _ => None,
    }
}

/// The container names a buildspec writes into imagedefinitions.json, from the commands that
/// write it (`printf '[{"name":"web","imageUri":"%s"}]' …`, or the name as printf's argument).
pub(super) fn containers_written(buildspec: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in buildspec.lines().filter(|l| l.contains("imageUri") && l.contains('>')) {
        let plain = line.replace('\\', "");
        let Some(at) = plain.find("\"name\"") else { continue };
        let rest = plain[at + "\"name\"".len()..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else { continue };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix('"') else { continue };
        let Some(end) = rest.find('"') else { continue };
        let value = &rest[..end];
        let name = if value == "%s" {
            printf_first_argument(&plain)
        } else if value.contains('$') || value.contains('%') {
            None
        } else {
            Some(value.to_string())
        };
        if let Some(name) = name.filter(|n| !n.is_empty()) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// printf's first argument after its format, when it is a literal word.
fn printf_first_argument(line: &str) -> Option<String> {
    let rest = &line[line.find("printf")? + "printf".len()..];
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let after_format = &rest[1..];
    let end = after_format.find(quote)?;
    let rest = after_format[end + 1..].trim_start();
    let word = match rest.chars().next()? {
        q @ ('\'' | '"') => {
            let inner = &rest[1..];
            inner[..inner.find(q)?].to_string()
        }
        _ => rest.split_whitespace().next()?.to_string(),
    };
    (!word.contains('$') && !word.contains('>')).then_some(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_names_are_read_from_the_commands_that_write_the_file() {
        assert_eq!(
            containers_written(r#"- printf '[{"name":"web","imageUri":"%s"}]' $URI:$TAG > imagedefinitions.json"#),
            ["web"]
        );
        assert_eq!(
            containers_written(
                r#"    - printf '[{"name":"%s","imageUri":"%s"}]' 'backend-flask' "$IMAGE_URI" > "$CODEBUILD_SRC_DIR/imagedefinitions.json""#
            ),
            ["backend-flask"]
        );
        assert_eq!(
            containers_written(r#"- echo "[{\"name\":\"app\",\"imageUri\":\"$URI\"}]" > imagedefinitions.json"#),
            ["app"]
        );
        assert!(
            containers_written(r#"- printf '[{"name":"%s","imageUri":"%s"}]' $NAME $URI > imagedefinitions.json"#)
                .is_empty()
        );
        assert!(containers_written("- cat imagedefinitions.json").is_empty());
        assert_eq!(
            containers_written(r#"- printf '[{"name":"simple-app","imageUri":"%s"}]' "$IMAGE_URI" > images.json"#),
            ["simple-app"]
        );
    }

    #[test]
    fn a_valid_name_keeps_its_label_before_a_renamed_one_takes_it() {
        assert_eq!(labels(&["Build.1", "Build_1"], "Action"), ["Build_1_2", "Build_1"]);
    }

    #[test]
    fn console_buckets_name_their_region() {
        assert_eq!(
            console_bucket_region("codepipeline-us-east-1-11EXAMPLE11"),
            Some("us-east-1")
        );
        assert_eq!(
            console_bucket_region("codepipeline-us-gov-west-1-123"),
            Some("us-gov-west-1")
        );
        assert_eq!(console_bucket_region("codepipeline-artifacts"), None);
        assert_eq!(console_bucket_region("my-bucket"), None);
    }

    #[test]
    fn labels_keep_what_the_language_allows() {
        let mut taken = Vec::new();
        assert_eq!(unique_label(&mut taken, "Build-and-Test", "Stage"), "Build-and-Test");
        assert_eq!(unique_label(&mut taken, "Deploy.Prod", "Stage"), "Deploy_Prod");
        assert_eq!(unique_label(&mut taken, "2nd", "Stage"), "Stage_2nd");
        assert_eq!(unique_label(&mut taken, "Deploy@Prod", "Stage"), "Deploy_Prod_2");
    }
}

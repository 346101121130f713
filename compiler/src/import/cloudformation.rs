//! CloudFormation templates, YAML or JSON, short-form intrinsics (`!Ref`, `!Sub`, `!GetAtt`,
//! `!Join`, `!Select`, `!Split`) included. Each `AWS::CodeBuild::Project` and
//! `AWS::CodePipeline::Pipeline` is rewritten into the shape the AWS CLI prints (its values
//! resolved, its keys the API's) and read by the CodeBuild and CodePipeline readers, so a
//! template and the CLI's JSON import alike. Template `Parameters` become `param`s, the
//! pseudo parameters the program's `aws.account` and `aws.region`, ECR repositories
//! `repository` items. Roles are not imported (cruddur infers them); every other resource is
//! listed. An intrinsic that cannot be resolved at import (`!ImportValue`, `!If`…) becomes a
//! param the author passes, and says so.
//! Source of the shapes: the CloudFormation resource reference for the two resource types
//! (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-project.html,
//! …/aws-resource-codepipeline-pipeline.html) and its intrinsic function reference.

use super::tree::{get, json, text};
use super::writer;
use super::{mark, Context, RemarkKind};
use crate::diagnostics::FileId;
use crate::syntax::yaml::{Node, NodeKind};

/// What a template holds that the other readers take: projects and pipelines in the CLI's
/// shape.
#[derive(Default)]
pub(super) struct Converted {
    pub projects: Vec<Node>,
    pub pipelines: Vec<Node>,
}

struct Template<'n> {
    file: FileId,
    conditions: Vec<(&'n str, &'n Node)>,
    mappings: Option<&'n Node>,
    parameters: Vec<(&'n str, &'n Node)>,
    resources: Vec<(&'n str, &'n str, &'n Node)>,
}

impl<'n> Template<'n> {
    fn read(file: FileId, root: &'n Node) -> Template<'n> {
        let entries = |key| get(root, key).and_then(Node::entries).unwrap_or(&[]);
        Template {
            file,
            mappings: get(root, "Mappings"),
            conditions: entries("Conditions")
                .iter()
                .filter_map(|(k, v)| Some((k.scalar()?, v)))
                .collect(),
            parameters: entries("Parameters")
                .iter()
                .filter_map(|(k, v)| Some((k.scalar()?, v)))
                .collect(),
            resources: entries("Resources")
                .iter()
                .filter_map(|(k, v)| Some((k.scalar()?, text(v, "Type").unwrap_or(""), v)))
                .collect(),
        }
    }

    fn resource(&self, logical: &str) -> Option<(&'n str, &'n Node)> {
        self.resources
            .iter()
            .find(|(l, ..)| *l == logical)
            .map(|(_, kind, node)| (*kind, *node))
    }

    fn is_parameter(&self, logical: &str) -> bool {
        self.parameters.iter().any(|(l, _)| *l == logical)
    }
}

/// `GitHubBranch` → `github_branch`: a param's identifier from a logical id.
pub(super) fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let after_lower = i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
            let before_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let after_upper = i > 0 && chars[i - 1].is_ascii_uppercase();
            if after_lower || (after_upper && before_lower) {
                out.push('_');
            }
        }
        out.push(*c);
    }
    writer::identifier(&out, "param")
}

/// Reads the template: its parameters become params, its projects and pipelines the CLI's
/// shape; everything else is listed.
pub(super) fn convert(cx: &mut Context, file: FileId, root: &Node) -> Converted {
    let template = Template::read(file, root);
    cx.from_template = true;
    for (logical, node) in &template.parameters {
        let id = param_id(cx, logical);
        let mut secret = text(node, "NoEcho").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let mut default = get(node, "Default").and_then(Node::scalar).map(str::to_string);
        // A default that is a secret or an account id is not copied either.
        if let Some(value) = &default {
            let span = get(node, "Default").map_or(node.span.clone(), |d| d.span.clone());
            if !secret && crate::check::security::imported_secret(logical, value).is_some() {
                secret = true;
            } else if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
                let id = param_id(cx, logical);
                cx.remark(
                    file,
                    span,
                    RemarkKind::Moved,
                    format!("the default of {logical} is an account id: not copied; pass it, `--param {id}=…`"),
                );
                default = None;
            }
        }
        if secret && default.is_some() {
            let span = get(node, "Default").map_or(node.span.clone(), |d| d.span.clone());
            cx.remark(
                file,
                span,
                RemarkKind::Moved,
                format!("the default of the secret parameter {logical} (NoEcho) is not copied"),
            );
        }
        cx.template_params.push(super::TemplateParam {
            id,
            default: default.filter(|_| !secret),
            description: text(node, "Description").map(str::to_string),
            secret,
        });
    }
    let mut converted = Converted::default();
    let mut roles = Vec::new();
    for (logical, kind, node) in &template.resources {
        if !made(cx, &template, logical, node) {
            continue;
        }
        let properties = get(node, "Properties");
        match *kind {
            "AWS::CodeBuild::Project" => {
                let Some(properties) = properties else { continue };
                let mut project = api(cx, &template, properties, false);
                dynamic_references(cx, file, &mut project);
                if text(&project, "name").is_none() {
                    set(&mut project, "name", logical);
                    cx.remark(
                        file,
                        node.span.clone(),
                        RemarkKind::Inferred,
                        format!(
                            "the project {logical} has no Name (CloudFormation generated one): it is named `{logical}`"
                        ),
                    );
                }
                let name = text(&project, "name").unwrap_or(logical).to_string();
                cx.logical_ids.insert(name, logical.to_string());
                converted.projects.push(project);
            }
            "AWS::CodePipeline::Pipeline" => {
                let Some(properties) = properties else { continue };
                let mut pipeline = api(cx, &template, properties, false);
                if text(&pipeline, "name").is_none() {
                    set(&mut pipeline, "name", logical);
                    cx.remark(
                        file,
                        node.span.clone(),
                        RemarkKind::Inferred,
                        format!("the pipeline {logical} has no Name (CloudFormation generated one): it is named `{logical}`"),
                    );
                }
                let name = text(&pipeline, "name").unwrap_or(logical).to_string();
                cx.logical_ids.insert(name, logical.to_string());
                converted.pipelines.push(pipeline);
            }
            "AWS::ECR::Repository" => {
                let name = repository_name(cx, &template, logical, node);
                if !cx.repositories.contains_key(&name) {
                    let id = cx.identifier(&name, "repository");
                    cx.repositories.insert(name.clone(), id);
                }
                let mut members = Vec::new();
                if let Some(properties) = properties {
                    let scan = get(properties, "ImageScanningConfiguration").and_then(|c| text(c, "ScanOnPush"));
                    if scan.is_some_and(|s| s.eq_ignore_ascii_case("true")) {
                        members.push(("scan_on_push".to_string(), "true".to_string()));
                    }
                    if text(properties, "ImageTagMutability") == Some("IMMUTABLE") {
                        members.push(("tag_mutability".to_string(), "immutable".to_string()));
                    }
                }
                // The template made it: an entry, even empty, says so.
                cx.repository_members.insert(name, members);
            }
            // A schedule that starts a project or a pipeline: its `schedule`.
            "AWS::Events::Rule" if properties.and_then(|p| get(p, "ScheduleExpression")).is_some() => {
                let Some(properties) = properties else { continue };
                schedule(cx, &template, logical, node, properties);
            }
            // Notifications of a project's or pipeline's events: its `notify`.
            "AWS::CodeStarNotifications::NotificationRule" => {
                let Some(properties) = properties else { continue };
                notification(cx, &template, logical, node, properties);
            }
            "AWS::IAM::Role" | "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" | "AWS::IAM::RolePolicy" => {
                roles.push(*logical);
                if let Some(properties) = properties {
                    role_policies(cx, &template, logical, kind, properties);
                }
            }
            other => {
                let span = node.span.clone();
                let why = match other {
                    "AWS::S3::Bucket" => "cruddur's template creates the pipeline's artifact bucket; another bucket is not cruddur's to make",
                    "AWS::Events::Rule" => "cruddur writes the rules that start its pipelines (CodeCommit and S3 sources, `schedule`)",
                    "AWS::CodeStarConnections::Connection" => "the connection is a param: a connection must be approved in the console once, so it is made once",
                    _ => "cruddur has no item for it",
                };
                cx.remark(
                    file,
                    span,
                    RemarkKind::Kept,
                    format!("the resource {logical} ({other}) is not imported: {why}"),
                );
            }
        }
    }
    if !roles.is_empty() {
        cx.remark(
            file,
            0..0,
            RemarkKind::Inferred,
            format!(
                "the template's roles and policies ({}) are not imported: cruddur infers roles that allow what the projects and pipelines do, and no more",
                roles.join(", ")
            ),
        );
    }
    for key in ["Outputs", "Transform"] {
        if let Some((k, v)) = root
            .entries()
            .unwrap_or(&[])
            .iter()
            .find(|(k, _)| k.scalar() == Some(key))
        {
            cx.remark(
                file,
                k.span.start..v.span.end,
                RemarkKind::Kept,
                format!("the template's {key} are not imported"),
            );
        }
    }
    converted
}

/// The inline policies a template gives its roles (a role's `Policies`, an `AWS::IAM::Policy`
/// or `AWS::IAM::ManagedPolicy` naming the roles), for the audit: documents with their
/// intrinsics worked out, the program's values marked.
fn role_policies(cx: &mut Context, template: &Template, logical: &str, kind: &str, properties: &Node) {
    let role_name = |cx: &mut Context, logical: &str| -> String {
        template
            .resource(logical)
            .and_then(|(_, node)| get(node, "Properties"))
            .and_then(|p| get(p, "RoleName"))
            .and_then(|n| text_of(cx, template, n))
            .unwrap_or_else(|| logical.to_string())
    };
    let add = |cx: &mut Context, role: String, name: String, document: &Node| {
        cx.reading_policy = true;
        let document = json(&resolve(cx, template, document));
        cx.reading_policy = false;
        cx.template_policies
            .push(super::audit::RolePolicy { role, name, document });
    };
    match kind {
        "AWS::IAM::Role" => {
            let role = role_name(cx, logical);
            if let NodeKind::Seq(policies) = get(properties, "Policies").map_or(&NodeKind::Seq(Vec::new()), |p| &p.kind)
            {
                for policy in policies {
                    let name = get(policy, "PolicyName")
                        .and_then(|n| text_of(cx, template, n))
                        .unwrap_or_else(|| logical.to_string());
                    if let Some(document) = get(policy, "PolicyDocument") {
                        add(cx, role.clone(), name, document);
                    }
                }
            }
            if let Some(managed) = get(properties, "ManagedPolicyArns") {
                cx.remark(
                    template.file,
                    managed.span.clone(),
                    RemarkKind::ToDo,
                    format!(
                        "the role {logical} has managed policies attached: the audit weighs its inline policies only"
                    ),
                );
            }
        }
        // One role's inline policy, by the role's name.
        "AWS::IAM::RolePolicy" => {
            let (Some(document), Some(role)) = (get(properties, "PolicyDocument"), get(properties, "RoleName")) else {
                return;
            };
            let target = match intrinsic(role) {
                Some(("Ref", argument)) => argument.scalar().map(|l| role_name(cx, l)),
                _ => text_of(cx, template, role),
            };
            let name = get(properties, "PolicyName")
                .and_then(|n| text_of(cx, template, n))
                .unwrap_or_else(|| logical.to_string());
            if let Some(target) = target {
                add(cx, target, name, document);
            }
        }
        _ => {
            let Some(document) = get(properties, "PolicyDocument") else {
                return;
            };
            let name = get(properties, "PolicyName")
                .or_else(|| get(properties, "ManagedPolicyName"))
                .and_then(|n| text_of(cx, template, n))
                .unwrap_or_else(|| logical.to_string());
            let roles: Vec<Node> = match get(properties, "Roles").map(|r| &r.kind) {
                Some(NodeKind::Seq(items)) => items.clone(),
                _ => Vec::new(),
            };
            for role in roles {
                // `!Ref Role` names the role; a name written out is the role's name.
                let target = match intrinsic(&role) {
                    Some(("Ref", argument)) => argument.scalar().map(|l| role_name(cx, l)),
                    _ => text_of(cx, template, &role),
                };
                if let Some(target) = target {
                    add(cx, target, name.clone(), document);
                }
            }
        }
    }
}

/// An EventBridge schedule whose targets are projects or pipelines: recorded, to be their
/// `schedule` once they are written; anything else about it is remarked.
fn schedule(cx: &mut Context, template: &Template, logical: &str, node: &Node, properties: &Node) {
    let Some(expression) = get(properties, "ScheduleExpression").and_then(|e| text_of(cx, template, e)) else {
        return;
    };
    if text(properties, "State").is_some_and(|s| s != "ENABLED") {
        cx.remark(
            template.file,
            node.span.clone(),
            RemarkKind::Kept,
            format!("the schedule {logical} is not imported: it is disabled"),
        );
        return;
    }
    let targets: Vec<Node> = match get(properties, "Targets").map(|t| &t.kind) {
        Some(NodeKind::Seq(items)) => items.clone(),
        _ => Vec::new(),
    };
    for target in targets {
        let arn = get(&target, "Arn")
            .and_then(|a| text_of(cx, template, a))
            .unwrap_or_default();
        let fields: Vec<&str> = arn.splitn(6, ':').collect();
        let found = match fields.as_slice() {
            ["arn", _, "codebuild", _, _, resource] => {
                resource.strip_prefix("project/").map(|n| ("project", n.to_string()))
            }
            ["arn", _, "codepipeline", _, _, name] => Some(("pipeline", name.to_string())),
            _ => None,
        };
        match found {
            Some((kind, name)) => cx
                .schedules
                .push((kind, name, expression.clone(), template.file, node.span.clone())),
            None => cx.remark(
                template.file,
                target.span.clone(),
                RemarkKind::Kept,
                format!("a target of the schedule {logical} is not imported: cruddur schedules projects and pipelines"),
            ),
        }
    }
}

/// A notification rule of a project or a pipeline: recorded, to be its `notify` once it is
/// written. A rule cruddur cannot write the same way (a chatbot target, an event it does not
/// name, a disabled rule) is remarked instead.
fn notification(cx: &mut Context, template: &Template, logical: &str, node: &Node, properties: &Node) {
    let not_imported = |cx: &mut Context, why: &str| {
        cx.remark(
            template.file,
            node.span.clone(),
            RemarkKind::Kept,
            format!("the notification rule {logical} is not imported: {why}"),
        );
    };
    if text(properties, "Status").is_some_and(|s| s != "ENABLED") {
        return not_imported(cx, "it is disabled");
    }
    let resource = get(properties, "Resource")
        .and_then(|r| text_of(cx, template, r))
        .unwrap_or_default();
    let fields: Vec<&str> = resource.splitn(6, ':').collect();
    let target = match fields.as_slice() {
        ["arn", _, "codebuild", _, _, resource] => {
            resource.strip_prefix("project/").map(|n| ("project", n.to_string()))
        }
        ["arn", _, "codepipeline", _, _, name] => Some(("pipeline", name.to_string())),
        _ => None,
    };
    let Some((kind, name)) = target else {
        return not_imported(cx, "its resource is not a project or a pipeline");
    };
    let targets: Vec<Node> = match get(properties, "Targets").map(|t| &t.kind) {
        Some(NodeKind::Seq(items)) => items.clone(),
        _ => Vec::new(),
    };
    let topics: Vec<String> = targets
        .iter()
        .filter(|t| text(t, "TargetType") == Some("SNS"))
        .filter_map(|t| get(t, "TargetAddress").and_then(|a| text_of(cx, template, a)))
        .collect();
    let [topic] = topics.as_slice() else {
        return not_imported(cx, "cruddur's `notify` sends to one SNS topic");
    };
    if targets.len() > 1 {
        return not_imported(
            cx,
            "cruddur's `notify` sends to one SNS topic, not to chat clients as well",
        );
    }
    let ids: Vec<String> = match get(properties, "EventTypeIds").map(|e| &e.kind) {
        Some(NodeKind::Seq(items)) => items.iter().filter_map(Node::scalar).map(str::to_string).collect(),
        _ => Vec::new(),
    };
    let words: Option<Vec<&str>> = ids
        .iter()
        .map(|id| match kind {
            "project" => crate::vocabulary::BuildNotificationEvent::ALL
                .iter()
                .find(|e| crate::vocabulary::Enumerated::aws(**e) == id)
                .map(|e| crate::vocabulary::Enumerated::word(*e)),
            _ => crate::vocabulary::PipelineNotificationEvent::ALL
                .iter()
                .find(|e| crate::vocabulary::Enumerated::aws(**e) == id)
                .map(|e| crate::vocabulary::Enumerated::word(*e)),
        })
        .collect();
    let Some(words) = words.filter(|w| !w.is_empty()) else {
        return not_imported(cx, "it names events cruddur's `notify` does not");
    };
    if text(properties, "DetailType") == Some("BASIC") {
        cx.remark(
            template.file,
            node.span.clone(),
            RemarkKind::Inferred,
            format!("the notification rule {logical} sent BASIC details: cruddur's rules send FULL ones"),
        );
    }
    let rule_name = get(properties, "Name")
        .and_then(|n| text_of(cx, template, n))
        .unwrap_or_default();
    cx.notifications.push(super::Notification {
        kind,
        name,
        rule: rule_name,
        topic: topic.clone(),
        events: words.iter().map(|w| w.to_string()).collect(),
        file: template.file,
        span: node.span.clone(),
    });
}

/// The services a role's trust policy lets assume it, as cruddur's words; an account or role
/// principal (a pipeline's role assuming an action's) is CodePipeline's, through which it is
/// assumed.
fn trusted_services(cx: &mut Context, template: &Template, role: &Node) -> Vec<String> {
    let Some(document) = get(role, "Properties").and_then(|p| get(p, "AssumeRolePolicyDocument")) else {
        return Vec::new();
    };
    cx.reading_policy = true;
    let document = json(&resolve(cx, template, document));
    cx.reading_policy = false;
    let statements = match &document["Statement"] {
        serde_json::Value::Array(items) => items.clone(),
        one => vec![one.clone()],
    };
    let mut words: Vec<String> = Vec::new();
    for statement in statements {
        let principal = &statement["Principal"];
        let services: Vec<String> = match &principal["Service"] {
            serde_json::Value::String(s) => vec![s.clone()],
            serde_json::Value::Array(items) => items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
            _ => Vec::new(),
        };
        for service in services {
            let word = crate::vocabulary::TrustedService::ALL
                .iter()
                .find(|t| crate::vocabulary::Enumerated::aws(**t) == service)
                .map(|t| crate::vocabulary::Enumerated::word(*t).to_string());
            if let Some(word) = word.filter(|w| !words.contains(w)) {
                words.push(word);
            }
        }
        if !principal["AWS"].is_null() && !words.iter().any(|w| w == "codepipeline") {
            words.push("codepipeline".to_string());
        }
    }
    words
}

/// A project variable whose whole value is a dynamic reference (`{{resolve:ssm:/name}}`,
/// `{{resolve:secretsmanager:id:SecretString:key}}`) is read from there at build time, as
/// CodeBuild reads `PARAMETER_STORE` and `SECRETS_MANAGER` variables, not resolved into plain
/// text when the stack is made. Source: CloudFormation's dynamic references,
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
fn dynamic_references(cx: &mut Context, file: FileId, project: &mut Node) {
    let Some(NodeKind::Map(entries)) = Some(&mut project.kind) else {
        return;
    };
    let Some((_, environment)) = entries.iter_mut().find(|(k, _)| k.scalar() == Some("environment")) else {
        return;
    };
    let NodeKind::Map(entries) = &mut environment.kind else {
        return;
    };
    let Some((_, variables)) = entries
        .iter_mut()
        .find(|(k, _)| k.scalar() == Some("environmentVariables"))
    else {
        return;
    };
    let NodeKind::Seq(variables) = &mut variables.kind else {
        return;
    };
    for variable in variables {
        let NodeKind::Map(fields) = &mut variable.kind else {
            continue;
        };
        let value = fields
            .iter()
            .find(|(k, _)| k.scalar() == Some("value"))
            .and_then(|(_, v)| v.scalar())
            .unwrap_or("")
            .to_string();
        let span = variable.span.clone();
        let Some(reference) = value.strip_prefix("{{resolve:").and_then(|r| r.strip_suffix("}}")) else {
            if value.contains("{{resolve:") {
                cx.remark(
                    file,
                    span,
                    RemarkKind::ToDo,
                    "a dynamic reference inside a variable's value is resolved into plain text when the stack is made: make the variable `parameter_store(…)` or `secrets_manager(…)` alone",
                );
            }
            continue;
        };
        let (kind, written) = match reference.split_once(':') {
            Some(("ssm" | "ssm-secure", name)) => (
                "PARAMETER_STORE",
                name.rsplit_once(':')
                    .filter(|(_, v)| v.bytes().all(|b| b.is_ascii_digit()))
                    .map_or(name, |(n, _)| n)
                    .to_string(),
            ),
            Some(("secretsmanager", rest)) => {
                // id[:SecretString[:json-key[:version-stage[:version-id]]]] → id[:json-key[:…]]
                let parts: Vec<&str> = rest.split(':').collect();
                let mut out = vec![parts[0]];
                if parts.len() > 2 {
                    out.extend(&parts[2..]);
                }
                // An ARN id holds colons of its own.
                let written = match rest.starts_with("arn:") {
                    true => rest.replacen(":SecretString", "", 1),
                    false => out.join(":"),
                };
                ("SECRETS_MANAGER", written)
            }
            _ => continue,
        };
        for (k, v) in fields.iter_mut() {
            match k.scalar() {
                Some("value") => {
                    v.kind = NodeKind::Scalar {
                        value: written.clone(),
                        plain: false,
                    }
                }
                Some("type") => {
                    v.kind = NodeKind::Scalar {
                        value: kind.to_string(),
                        plain: false,
                    }
                }
                _ => {}
            }
        }
        if !fields.iter().any(|(k, _)| k.scalar() == Some("type")) {
            let scalar = |v: &str| Node {
                kind: NodeKind::Scalar {
                    value: v.to_string(),
                    plain: false,
                },
                span: span.clone(),
                anchored: false,
                tag: None,
            };
            fields.push((scalar("type"), scalar(kind)));
        }
        cx.remark(
            file,
            span,
            RemarkKind::Inferred,
            format!(
                "a dynamic reference ({{{{resolve:{reference}}}}}) is read at build time, as a {} variable",
                if kind == "PARAMETER_STORE" {
                    "Parameter Store"
                } else {
                    "Secrets Manager"
                }
            ),
        );
    }
}

/// The repository's name: its `RepositoryName`, or (CloudFormation would generate one) its
/// logical id in lower case, said in a remark.
fn repository_name(cx: &mut Context, template: &Template, logical: &str, node: &Node) -> String {
    let written = get(node, "Properties").and_then(|p| get(p, "RepositoryName"));
    if let Some(written) = written {
        let resolved = resolve(cx, template, written);
        if let Some(name) = resolved.scalar() {
            return name.to_string();
        }
    }
    let name = logical.to_ascii_lowercase();
    cx.remark(
        template.file,
        node.span.clone(),
        RemarkKind::Inferred,
        format!("the repository {logical} has no RepositoryName (CloudFormation generated one): it is named `{name}`"),
    );
    name
}

fn param_id(cx: &mut Context, logical: &str) -> String {
    if let Some(p) = cx.template_param_ids.get(logical) {
        return p.clone();
    }
    let id = cx.identifier(&snake(logical), "param");
    cx.template_param_ids.insert(logical.to_string(), id.clone());
    id
}

fn set(node: &mut Node, key: &str, value: &str) {
    if let NodeKind::Map(entries) = &mut node.kind {
        let scalar = |v: &str| Node {
            kind: NodeKind::Scalar {
                value: v.to_string(),
                plain: false,
            },
            span: 0..0,
            anchored: false,
            tag: None,
        };
        entries.push((scalar(key), scalar(value)));
    }
}

/// A template value rewritten as the API has it: intrinsics resolved, keys in the API's
/// camelCase (an action's `Configuration` keeps its keys, which are the same in both).
fn api(cx: &mut Context, template: &Template, node: &Node, verbatim_keys: bool) -> Node {
    if let Some(branch) = chosen_branch(cx, template, node) {
        return api(cx, template, &branch, verbatim_keys);
    }
    if is_no_value(node) {
        return no_value(node);
    }
    if intrinsic(node).is_some() {
        return resolve(cx, template, node);
    }
    let kind = match &node.kind {
        NodeKind::Scalar { .. } => return node.clone(),
        NodeKind::Seq(items) => NodeKind::Seq(
            items
                .iter()
                .map(|i| api(cx, template, i, verbatim_keys))
                .filter(|i| i.tag.as_deref() != Some(NO_VALUE))
                .collect(),
        ),
        NodeKind::Map(entries) => {
            let mut out = Vec::new();
            for (key, value) in entries {
                let Some(k) = key.scalar() else { continue };
                let name = match verbatim_keys {
                    true => k.to_string(),
                    // A pipeline's `Triggers` are a list, as in the API; a project's are its
                    // webhook.
                    false if k == "Triggers" && matches!(value.kind, NodeKind::Seq(_)) => "triggers".to_string(),
                    false => api_key(k),
                };
                let value = match k {
                    // A region → store list in the template; a map by region in the API.
                    "ArtifactStores" if !verbatim_keys => artifact_stores(cx, template, value),
                    "Triggers" if !verbatim_keys && get(value, "Webhook").is_some() => {
                        let webhook = text(value, "Webhook").is_some_and(|w| w.eq_ignore_ascii_case("true"));
                        if !webhook {
                            continue;
                        }
                        api(cx, template, value, false)
                    }
                    "Configuration" => api(cx, template, value, true),
                    _ => api(cx, template, value, verbatim_keys),
                };
                if name == "webhook" && !verbatim_keys {
                    // `Webhook: true` said there is one; the API's webhook has no such key.
                    if let NodeKind::Map(entries) = &value.kind {
                        let entries: Vec<(Node, Node)> = entries
                            .iter()
                            .filter(|(k, _)| k.scalar() != Some("webhook"))
                            .cloned()
                            .collect();
                        out.push((
                            renamed(key, &name),
                            Node {
                                kind: NodeKind::Map(entries),
                                ..value
                            },
                        ));
                        continue;
                    }
                }
                // `!Ref AWS::NoValue`: the property is not there.
                if value.tag.as_deref() == Some(NO_VALUE) {
                    continue;
                }
                out.push((renamed(key, &name), value));
            }
            NodeKind::Map(out)
        }
    };
    Node {
        kind,
        span: node.span.clone(),
        anchored: false,
        tag: None,
    }
}

fn renamed(key: &Node, name: &str) -> Node {
    Node {
        kind: NodeKind::Scalar {
            value: name.to_string(),
            plain: true,
        },
        span: key.span.clone(),
        anchored: false,
        tag: None,
    }
}

/// A template key as the API spells it.
fn api_key(key: &str) -> String {
    match key {
        "BuildSpec" => "buildspec".to_string(),
        "Triggers" => "webhook".to_string(),
        "ArtifactStores" => "artifactStores".to_string(),
        _ => {
            let mut chars = key.chars();
            chars
                .next()
                .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
                .unwrap_or_default()
        }
    }
}

/// `ArtifactStores: [{Region, ArtifactStore}]` as the API's map of Region to store.
fn artifact_stores(cx: &mut Context, template: &Template, node: &Node) -> Node {
    let mut entries = Vec::new();
    if let NodeKind::Seq(items) = &node.kind {
        for item in items {
            let region = get(item, "Region").map(|r| resolve(cx, template, r));
            let store = get(item, "ArtifactStore").map(|s| api(cx, template, s, false));
            if let (Some(region), Some(store)) = (region, store) {
                entries.push((region, store));
            }
        }
    }
    Node {
        kind: NodeKind::Map(entries),
        span: node.span.clone(),
        anchored: false,
        tag: None,
    }
}

/// The intrinsic a node is, and its argument: `!Ref X` or `{"Ref": "X"}`, `!Sub …` or
/// `{"Fn::Sub": …}`.
fn intrinsic(node: &Node) -> Option<(&str, Node)> {
    if let Some(tag) = &node.tag {
        let mut argument = node.clone();
        argument.tag = None;
        return Some((tag.as_str(), argument));
    }
    match node.entries()? {
        [(key, value)] => {
            let name = key.scalar()?;
            let name = match name {
                "Ref" | "Condition" => name,
                _ => name.strip_prefix("Fn::")?,
            };
            Some((name, value.clone()))
        }
        _ => None,
    }
}

fn scalar_at(node: &Node, value: String) -> Node {
    Node {
        kind: NodeKind::Scalar { value, plain: false },
        span: node.span.clone(),
        anchored: false,
        tag: None,
    }
}

/// An intrinsic inside another that could not be worked out.
const UNRESOLVED: &str = "\u{E003}Unresolved";

/// What `!Ref AWS::NoValue` leaves: nothing, taken out of its map or list.
const NO_VALUE: &str = "\u{E003}NoValue";

fn is_no_value(node: &Node) -> bool {
    matches!(intrinsic(node), Some(("Ref", argument)) if argument.scalar() == Some("AWS::NoValue"))
}

fn no_value(node: &Node) -> Node {
    Node {
        tag: Some(NO_VALUE.to_string()),
        ..scalar_at(node, String::new())
    }
}

/// The branch of an `Fn::If` the stack takes: its condition worked out from the parameters'
/// defaults; when that cannot be done, the first branch, and a remark says so.
fn chosen_branch(cx: &mut Context, template: &Template, node: &Node) -> Option<Node> {
    let Some(("If", argument)) = intrinsic(node) else {
        return None;
    };
    let NodeKind::Seq(items) = &argument.kind else {
        return None;
    };
    let [condition, then, otherwise] = items.as_slice() else {
        return None;
    };
    let name = condition.scalar()?;
    let holds = condition_holds(cx, template, name, 0);
    if holds.is_none() {
        cx.remark(
            template.file,
            node.span.clone(),
            RemarkKind::ToDo,
            format!("the template chooses this value by condition {name}, which depends on values known only when the stack is made: imported as if it holds"),
        );
    }
    Some(if holds.unwrap_or(true) {
        then.clone()
    } else {
        otherwise.clone()
    })
}

/// Whether a template condition holds with the parameters' defaults; `None` when it depends
/// on a value without one.
fn condition_holds(cx: &mut Context, template: &Template, name: &str, depth: usize) -> Option<bool> {
    let node = template.conditions.iter().find(|(n, _)| *n == name)?.1;
    condition_value(cx, template, node, depth + 1)
}

fn condition_value(cx: &mut Context, template: &Template, node: &Node, depth: usize) -> Option<bool> {
    if depth > 32 {
        return None;
    }
    let (name, argument) = intrinsic(node)?;
    let items: Vec<Node> = match &argument.kind {
        NodeKind::Seq(items) => items.clone(),
        _ => Vec::new(),
    };
    match name {
        "Condition" => condition_holds(cx, template, argument.scalar()?, depth),
        "Equals" => {
            let [a, b] = items.as_slice() else { return None };
            Some(with_defaults(cx, template, a)? == with_defaults(cx, template, b)?)
        }
        "Not" => Some(!condition_value(cx, template, items.first()?, depth + 1)?),
        "And" => items
            .iter()
            .try_fold(true, |all, c| Some(all && condition_value(cx, template, c, depth + 1)?)),
        "Or" => items.iter().try_fold(false, |any, c| {
            Some(any || condition_value(cx, template, c, depth + 1)?)
        }),
        _ => None,
    }
}

/// A value as the stack has it with the parameters' defaults; `None` when a part of it is
/// known only when the stack is made.
fn with_defaults(cx: &mut Context, template: &Template, node: &Node) -> Option<String> {
    let mut text = text_of(cx, template, node)?;
    for param in &cx.template_params {
        if let Some(default) = &param.default {
            text = text.replace(&mark(&param.id), default);
        }
    }
    (!text.contains(super::MARK_OPEN)).then_some(text)
}

/// Whether the template makes a resource with a `Condition`: false when the condition does
/// not hold with the parameters' defaults (remarked either way when it is not certain).
fn made(cx: &mut Context, template: &Template, logical: &str, node: &Node) -> bool {
    let Some(condition) = text(node, "Condition") else {
        return true;
    };
    match condition_holds(cx, template, condition, 0) {
        Some(true) => true,
        Some(false) => {
            cx.remark(
                template.file,
                node.span.clone(),
                RemarkKind::Kept,
                format!("{logical} is not imported: the template makes it only when condition {condition} holds, and with the parameters' defaults it does not"),
            );
            false
        }
        None => {
            cx.remark(
                template.file,
                node.span.clone(),
                RemarkKind::ToDo,
                format!("the template makes {logical} only when condition {condition} holds, which depends on values known when the stack is made: it is imported"),
            );
            true
        }
    }
}

/// A value with its intrinsics resolved to text, marked where the program computes a part.
fn resolve(cx: &mut Context, template: &Template, node: &Node) -> Node {
    if let Some(branch) = chosen_branch(cx, template, node) {
        return api(cx, template, &branch, true);
    }
    if is_no_value(node) {
        return no_value(node);
    }
    let Some((name, argument)) = intrinsic(node) else {
        return api(cx, template, node, true);
    };
    cx.resolve_depth += 1;
    let value = evaluate(cx, template, name, &argument);
    cx.resolve_depth -= 1;
    match value {
        Some(Value::Text(text)) => scalar_at(node, text),
        // Inside another intrinsic: that one is the value not worked out.
        None if cx.resolve_depth > 0 => Node {
            tag: Some(UNRESOLVED.to_string()),
            ..scalar_at(node, String::new())
        },
        // A policy's value known only at stack time: what the template wrote.
        None if cx.reading_policy => scalar_at(node, render(node)),
        Some(Value::List(items)) => Node {
            kind: NodeKind::Seq(items.into_iter().map(|t| scalar_at(node, t)).collect()),
            span: node.span.clone(),
            anchored: false,
            tag: None,
        },
        None => {
            // A value known only when the stack is made: a param the author passes.
            let written = render(node);
            let id = cx.identifier(&format!("template_value_{}", cx.params.len() + 1), "template_value");
            cx.params.push((
                id.clone(),
                "a value of the template that import could not work out".to_string(),
                format!("import: the template computed it as `{written}`"),
            ));
            cx.remark(
                template.file,
                node.span.clone(),
                RemarkKind::ToDo,
                format!("`Fn::{name}` is not worked out at import: the value is the param `{id}`; pass it, `--param {id}=…`"),
            );
            scalar_at(node, mark(&id))
        }
    }
}

/// A template value on one line: `!ImportValue {"Fn::Sub": "${Stack}-Build"}` or as written
/// in JSON.
fn render(node: &Node) -> String {
    let inner = match &node.kind {
        NodeKind::Scalar { value, .. } => value.clone(),
        NodeKind::Seq(items) => format!("[{}]", items.iter().map(render).collect::<Vec<_>>().join(", ")),
        NodeKind::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{}: {}", render(k), render(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    match &node.tag {
        Some(tag) => format!("!{tag} {inner}"),
        None => inner,
    }
}

enum Value {
    Text(String),
    List(Vec<String>),
}

fn text_of(cx: &mut Context, template: &Template, node: &Node) -> Option<String> {
    let resolved = resolve(cx, template, node);
    if resolved.tag.as_deref() == Some(UNRESOLVED) {
        return None;
    }
    match resolved.kind {
        NodeKind::Scalar { value, .. } => Some(value),
        _ => None,
    }
}

fn list_of(cx: &mut Context, template: &Template, node: &Node) -> Option<Vec<String>> {
    let resolved = resolve(cx, template, node);
    if resolved.tag.as_deref() == Some(UNRESOLVED) {
        return None;
    }
    match resolved.kind {
        NodeKind::Seq(items) => items.iter().map(|i| i.scalar().map(str::to_string)).collect(),
        _ => None,
    }
}

fn evaluate(cx: &mut Context, template: &Template, name: &str, argument: &Node) -> Option<Value> {
    let items: &[Node] = match &argument.kind {
        NodeKind::Seq(items) => items,
        _ => &[],
    };
    match name {
        "Ref" => reference(cx, template, argument.scalar()?, None).map(Value::Text),
        "GetAtt" => {
            let (logical, attribute) = match (&argument.kind, items) {
                (NodeKind::Scalar { value, .. }, _) => {
                    let (l, a) = value.split_once('.')?;
                    (l.to_string(), a.to_string())
                }
                (_, [l, a]) => (l.scalar()?.to_string(), text_of(cx, template, a)?),
                _ => return None,
            };
            reference(cx, template, &logical, Some(&attribute)).map(Value::Text)
        }
        "Sub" => {
            let (format, variables): (String, &[(Node, Node)]) = match (&argument.kind, items) {
                (NodeKind::Scalar { value, .. }, _) => (value.clone(), &[]),
                (_, [format, variables]) => (format.scalar()?.to_string(), variables.entries().unwrap_or(&[])),
                _ => return None,
            };
            let mut out = String::new();
            let mut rest = format.as_str();
            while let Some(start) = rest.find("${") {
                out.push_str(&rest[..start]);
                let after = &rest[start + 2..];
                let end = after.find('}')?;
                let inner = &after[..end];
                if let Some(literal) = inner.strip_prefix('!') {
                    out.push_str(&format!("${{{literal}}}"));
                } else if let Some((_, value)) = variables.iter().find(|(k, _)| k.scalar() == Some(inner)) {
                    out.push_str(&text_of(cx, template, value)?);
                } else {
                    let (logical, attribute) = match inner.split_once('.') {
                        Some((l, a)) if !l.starts_with("AWS::") || a.contains(':') => (l, Some(a)),
                        _ => (inner, None),
                    };
                    out.push_str(&reference(cx, template, logical, attribute)?);
                }
                rest = &after[end + 1..];
            }
            out.push_str(rest);
            Some(Value::Text(out))
        }
        "Join" => {
            let [delimiter, list] = items else { return None };
            let delimiter = delimiter.scalar()?.to_string();
            let parts = list_of(cx, template, list)?;
            Some(Value::Text(parts.join(&delimiter)))
        }
        "Select" => {
            let [index, list] = items else { return None };
            let index: usize = text_of(cx, template, index)?.parse().ok()?;
            list_of(cx, template, list)?.get(index).cloned().map(Value::Text)
        }
        // A value of the template's Mappings, its keys worked out with the parameters' defaults.
        "FindInMap" => {
            let [map, top, second] = items else { return None };
            let map = with_defaults(cx, template, map)?;
            let top = with_defaults(cx, template, top)?;
            let second = with_defaults(cx, template, second)?;
            let value = get(get(get(template.mappings?, &map)?, &top)?, &second)?;
            match &value.kind {
                NodeKind::Scalar { value, .. } => Some(Value::Text(value.clone())),
                NodeKind::Seq(items) => Some(Value::List(
                    items.iter().filter_map(|i| i.scalar().map(str::to_string)).collect(),
                )),
                NodeKind::Map(_) => None,
            }
        }
        "Split" => {
            let [delimiter, source] = items else { return None };
            let delimiter = delimiter.scalar()?.to_string();
            let source = text_of(cx, template, source)?;
            // A value known only when the stack is made cannot be split here.
            if source.contains(super::MARK_OPEN) {
                return None;
            }
            Some(Value::List(
                source.split(delimiter.as_str()).map(str::to_string).collect(),
            ))
        }
        _ => None,
    }
}

/// What `Ref` (without an attribute) or `GetAtt` gives for a logical id, as text. A resource
/// whose value is made from itself, directly or through others, is an error (CloudFormation
/// refuses a circular dependency), not an endless descent.
fn reference(cx: &mut Context, template: &Template, logical: &str, attribute: Option<&str>) -> Option<String> {
    if let Some(at) = cx.resolving.iter().position(|l| l == logical) {
        let circle: Vec<String> = cx.resolving[at..]
            .iter()
            .cloned()
            .chain([logical.to_string()])
            .collect();
        let span = template.resource(logical).map_or(0..0, |(_, node)| node.span.clone());
        if !cx.errors.iter().any(|e| e.message.contains("refer to each other")) {
            cx.errors.push(crate::diagnostics::Diagnostic::new(
                crate::diagnostics::Code::Unimportable,
                format!(
                    "the template's resources refer to each other in a circle: {}",
                    circle.join(" → ")
                ),
                template.file,
                span,
                "made from itself".to_string(),
            ));
        }
        return None;
    }
    if cx.resolving.len() > 64 {
        return None;
    }
    cx.resolving.push(logical.to_string());
    let value = reference_of(cx, template, logical, attribute);
    cx.resolving.pop();
    value
}

fn reference_of(cx: &mut Context, template: &Template, logical: &str, attribute: Option<&str>) -> Option<String> {
    match (logical, attribute) {
        ("AWS::AccountId", None) => return Some(mark("aws.account")),
        ("AWS::Region", None) => return Some(mark("aws.region")),
        ("AWS::Partition", None) => return Some("aws".to_string()),
        ("AWS::URLSuffix", None) => return Some("amazonaws.com".to_string()),
        ("AWS::StackName", None) => {
            if !cx.params.iter().any(|(id, ..)| id == "stack_name") {
                cx.taken.push("stack_name".to_string());
                cx.params.push((
                    "stack_name".to_string(),
                    "the name of the stack the template was deployed as".to_string(),
                    "import: the template named things after its stack".to_string(),
                ));
            }
            return Some(mark("stack_name"));
        }
        _ => {}
    }
    if template.is_parameter(logical) && attribute.is_none() {
        return Some(mark(&param_id(cx, logical)));
    }
    let (kind, node) = template.resource(logical)?;
    let name = |cx: &mut Context, key: &str| -> String {
        get(node, "Properties")
            .and_then(|p| get(p, key))
            .and_then(|n| text_of(cx, template, n))
            .unwrap_or_else(|| logical.to_string())
    };
    let account = mark("aws.account");
    let region = mark("aws.region");
    match (kind, attribute) {
        ("AWS::CodeBuild::Project", None) => Some(name(cx, "Name")),
        ("AWS::CodeBuild::Project", Some("Arn")) => Some(format!(
            "arn:aws:codebuild:{region}:{account}:project/{}",
            name(cx, "Name")
        )),
        ("AWS::CodePipeline::Pipeline", None) => Some(name(cx, "Name")),
        ("AWS::ECR::Repository", None) => Some(repository_name(cx, template, logical, node)),
        ("AWS::ECR::Repository", Some("Arn")) => Some(format!(
            "arn:aws:ecr:{region}:{account}:repository/{}",
            repository_name(cx, template, logical, node)
        )),
        ("AWS::ECR::Repository", Some("RepositoryUri")) => Some(format!(
            "{account}.dkr.ecr.{region}.amazonaws.com/{}",
            repository_name(cx, template, logical, node)
        )),
        ("AWS::IAM::Role", None) => Some(name(cx, "RoleName")),
        ("AWS::IAM::Role", Some("Arn")) => {
            let arn = format!("arn:aws:iam::{account}:role/{}", name(cx, "RoleName"));
            // A role the template makes: an action's or a stack's role is written as cruddur
            // creates it, with what it trusts and grants.
            if !cx.reading_policy && !cx.template_roles.iter().any(|r| r.arn == arn) {
                let trust = trusted_services(cx, template, node);
                cx.template_roles.push(super::TemplateRole {
                    arn: arn.clone(),
                    name: arn.rsplit('/').next().unwrap_or_default().to_string(),
                    trust,
                    file: template.file,
                    span: node.span.clone(),
                });
            }
            Some(arn)
        }
        // A bucket the template makes: as the artifact store, cruddur's template makes its
        // own; elsewhere, a param (declared once the program is known to use it).
        ("AWS::S3::Bucket", None) if get(node, "Properties").and_then(|p| get(p, "BucketName")).is_none() => {
            let id = match cx.template_buckets.iter().find(|(_, l)| l == logical) {
                Some((id, _)) => id.clone(),
                None => {
                    let id = cx.identifier(&format!("{}_name", snake(logical)), "bucket");
                    cx.template_buckets.push((id.clone(), logical.to_string()));
                    id
                }
            };
            Some(mark(&id))
        }
        // Its ARN: the same bucket's.
        ("AWS::S3::Bucket", Some("Arn")) if get(node, "Properties").and_then(|p| get(p, "BucketName")).is_none() => {
            let name = reference_of(cx, template, logical, None)?;
            Some(format!("arn:aws:s3:::{name}"))
        }
        // In a role's policy: a param, declared only if the role is written in the program
        // (`Context::template_role`); the audit reads it as the resource it stands for.
        _ if cx.reading_policy => {
            let key = format!("{logical}.{}", attribute.unwrap_or(""));
            let id = match cx.resource_params.get(&key) {
                Some(id) => id.clone(),
                None => {
                    let id = cx.identifier(
                        &format!("{}_{}", snake(logical), attribute.map_or("name".to_string(), snake)),
                        "resource",
                    );
                    cx.resource_params.insert(key, id.clone());
                    cx.policy_params.push((
                        id.clone(),
                        format!(
                            "the {} of {logical} ({kind}), a resource of the template",
                            attribute.unwrap_or("name")
                        ),
                    ));
                    id
                }
            };
            Some(mark(&id))
        }
        _ => {
            let key = format!("{logical}.{}", attribute.unwrap_or(""));
            if let Some(id) = cx.resource_params.get(&key) {
                return Some(mark(id));
            }
            let id = cx.identifier(
                &format!("{}_{}", snake(logical), attribute.map_or("name".to_string(), snake)),
                "resource",
            );
            cx.resource_params.insert(key, id.clone());
            {
                cx.params.push((
                    id.clone(),
                    format!(
                        "the {} of {logical} ({kind}), a resource of the template",
                        attribute.unwrap_or("name")
                    ),
                    format!("import: the template made {logical} ({kind}), which is not imported"),
                ));
                cx.remark(
                    template.file,
                    node.span.clone(),
                    RemarkKind::ToDo,
                    format!(
                        "{logical} ({kind}) is not imported, and the program uses its {}: pass it, `--param {id}=…`",
                        attribute.unwrap_or("name")
                    ),
                );
            }
            Some(mark(&id))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logical_ids_become_snake_case_params() {
        assert_eq!(snake("GitHubBranch"), "git_hub_branch");
        assert_eq!(snake("ECRRepositoryName"), "ecr_repository_name");
        assert_eq!(snake("Cluster"), "cluster");
        assert_eq!(snake("S3Bucket2"), "s3_bucket2");
    }
}

//! IAM roles for output: every declared role as written, and a least-privilege role inferred
//! for each project and pipeline that names none, from [`crate::resolve::needs`]. Each
//! permission is granted on the exact resources its use needs; actions that support no
//! resource-level permission get a statement of their own on `*`.

use crate::resolve::model::*;
use crate::resolve::needs::{self, Need, Resource};
use crate::resolve::render::Env;
use crate::vocabulary::{Enumerated, TrustedService};
use serde_json::{json, Map, Value};

pub const POLICY_VERSION: &str = "2012-10-17";

/// A role as output: its AWS name, trusted service principals and policy statements.
pub struct RoleOut {
    pub name: String,
    /// The `role` item, or the project/pipeline it was inferred for.
    pub item: String,
    pub principals: Vec<String>,
    /// Roles that may assume this one: the pipeline role, for an action's own role.
    pub role_principals: Vec<Value>,
    pub statements: Vec<Value>,
    pub declared: bool,
}

pub fn declared(env: &mut Env, role: &Role) -> RoleOut {
    let name = role
        .name
        .as_ref()
        .map(|n| env.text(n))
        .unwrap_or_else(|| role.header.name.clone());
    let statements = allow_statements(env, &role.allows);
    RoleOut {
        name,
        item: role.header.name.clone(),
        principals: role.trust.iter().map(|t| t.value.aws().to_string()).collect(),
        role_principals: Vec::new(),
        statements,
        declared: true,
    }
}

/// What an existing role (named by its `arn`) must allow and whom it must trust, for the
/// owner of its account to attach: the needs of everything that runs in it, and the services
/// (or, for the actions that run in it, the roles of their pipelines: `role_principals`,
/// filled in by the caller) that assume it.
///
/// `pipeline`: only what the actions of that pipeline need (a template for one pipeline).
pub fn existing(env: &mut Env, index: usize, pipeline: Option<usize>) -> RoleOut {
    let program = env.program;
    let role = &program.roles[index];
    let mut needs = Vec::new();
    let mut principals = Vec::new();
    for user in needs::role_users(program) {
        if user.declared(program).is_none_or(|r| r.value != index) {
            continue;
        }
        if let (Some(only), needs::RoleUser::Action(at)) = (pipeline, user) {
            if at.pipeline != only {
                continue;
            }
        }
        let service = match user {
            needs::RoleUser::Project(_) => Some(TrustedService::CodeBuild),
            needs::RoleUser::Pipeline(_) => Some(TrustedService::CodePipeline),
            needs::RoleUser::Action(_) => None,
        };
        if let Some(service) = service {
            let principal = service.aws().to_string();
            if !principals.contains(&principal) {
                principals.push(principal);
            }
        }
        needs.extend(user.needs(program));
    }
    let arn = role.arn.as_ref().map(|a| env.text(a)).unwrap_or_default();
    // A role of another account acts on that account's resources (its stacks, functions,
    // services); the artifacts and their key stay the pipeline's, named by their own ARNs.
    let account = arn.split(':').nth(4).filter(|a| a.len() == 12).map(str::to_string);
    let saved = std::mem::replace(&mut env.account_override, account);
    let statements = inferred_and_added(env, &needs::dedup(needs), &[]);
    env.account_override = saved;
    RoleOut {
        name: arn.rsplit('/').next().unwrap_or_default().to_string(),
        item: role.header.name.clone(),
        principals,
        role_principals: Vec::new(),
        statements,
        declared: false,
    }
}

/// The statements of `allow` blocks, as written.
fn allow_statements(env: &mut Env, allows: &[Allow]) -> Vec<Value> {
    let mut statements = Vec::new();
    for allow in allows {
        let mut statement = Map::new();
        if let Some(sid) = &allow.sid {
            statement.insert("Sid".into(), json!(sid));
        }
        statement.insert("Effect".into(), json!("Allow"));
        statement.insert(
            "Action".into(),
            json!(allow.actions.iter().map(|a| a.value.clone()).collect::<Vec<_>>()),
        );
        let resources: Vec<Value> = allow.resources.iter().map(|r| env.value(r)).collect();
        statement.insert("Resource".into(), Value::Array(resources));
        if !allow.conditions.is_empty() {
            let mut by_operator = Map::new();
            for condition in &allow.conditions {
                let values: Vec<Value> = condition.values.iter().map(|v| env.value(v)).collect();
                let value = if values.len() == 1 {
                    values[0].clone()
                } else {
                    Value::Array(values)
                };
                let entry = by_operator
                    .entry(condition.operator.value.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(keys) = entry {
                    keys.insert(condition.key.value.clone(), value);
                }
            }
            statement.insert("Condition".into(), Value::Object(by_operator));
        }
        statements.push(Value::Object(statement));
    }
    statements
}

/// An inferred role's statements, then the ones its item adds (`allow { … }`), each of those
/// with a `Sid` of its own (`Added`, `Added2`…) unless it names one.
fn inferred_and_added(env: &mut Env, needs: &[Need], allows: &[Allow]) -> Vec<Value> {
    let mut statements = statements(env, needs);
    let mut used: Vec<String> = statements
        .iter()
        .filter_map(|s| s["Sid"].as_str().map(str::to_string))
        .collect();
    for mut added in allow_statements(env, allows) {
        if let Value::Object(statement) = &mut added {
            if !statement.contains_key("Sid") {
                let mut sid = "Added".to_string();
                let mut n = 2;
                while used.contains(&sid) {
                    sid = format!("Added{n}");
                    n += 1;
                }
                used.push(sid.clone());
                statement.insert("Sid".into(), json!(sid));
            }
        }
        statements.push(added);
    }
    statements
}

pub fn for_project(env: &mut Env, index: usize) -> RoleOut {
    let project = &env.program.projects[index];
    let aws_name = project.name.as_ref().map(|n| env.text(n)).unwrap_or_default();
    let needs = needs::project(env.program, index);
    RoleOut {
        name: crate::resolve::model::role_name(&aws_name, "codebuild"),
        item: project.header.name.clone(),
        principals: vec![TrustedService::CodeBuild.aws().to_string()],
        role_principals: Vec::new(),
        statements: inferred_and_added(env, &needs, &project.allows),
        declared: false,
    }
}

pub fn for_pipeline(env: &mut Env, index: usize) -> RoleOut {
    let pipeline = &env.program.pipelines[index];
    let aws_name = pipeline.name.as_ref().map(|n| env.text(n)).unwrap_or_default();
    let needs = needs::pipeline(env.program, index);
    RoleOut {
        name: crate::resolve::model::role_name(&aws_name, "codepipeline"),
        item: pipeline.header.name.clone(),
        principals: vec![TrustedService::CodePipeline.aws().to_string()],
        role_principals: Vec::new(),
        statements: inferred_and_added(env, &needs, &pipeline.allows),
        declared: false,
    }
}

/// The statement id for a kind of resource.
fn sid(resource: &Resource) -> &'static str {
    match resource {
        Resource::Any => "ActionsWithoutResourceScope",
        Resource::Unmodelled => "Unscoped",
        Resource::Repository(_) => "PushImages",
        Resource::LogGroup(_) => "BuildLogs",
        Resource::ArtifactBucket(_) => "PipelineArtifacts",
        Resource::ArtifactKey(_) => "ArtifactKey",
        Resource::ProjectKey(_) => "BuildOutputKey",
        Resource::Connection(_) => "UseConnection",
        Resource::Project(_) => "RunBuilds",
        Resource::Service(_) => "UpdateServices",
        Resource::ServiceRoles(_) => "PassTaskRolesToEcs",
        Resource::TaskDefinition(_) => "RegisterTaskDefinitions",
        Resource::ReportGroups(_) => "TestReports",
        Resource::Role(_) => "AssumeActionRoles",
        Resource::ActionRoleArn(_) => "PassStackRoles",
        Resource::Stack(_) => "DeployStacks",
        Resource::Function(_) => "InvokeFunctions",
        Resource::Topic(_) => "NotifyApprovers",
        Resource::SourceObject(_) => "ReadSourceObject",
        Resource::CodeCommitRepository(_) => "ReadCodeCommit",
        Resource::CacheObjects(_) | Resource::CacheBucket(_) => "BuildCache",
        Resource::S3SourceObject(_) => "ReadSource",
        Resource::S3BuildspecObject(_) => "ReadBuildspec",
        Resource::S3OutputObjects(_) => "UploadOutput",
        Resource::S3Buckets(_) => "FindBuckets",
        Resource::VpcParts(_) => "VpcNetworkInterfaces",
        Resource::RegistrySecret(_) => "PullFromPrivateRegistry",
        Resource::AnyTaskDefinition => "RegisterTaskDefinitions",
        Resource::ClusterTasks(_) => "WatchDeployments",
        Resource::ScannedRepository(_) => "PullScannedImage",
        Resource::PipelineLogs(_) => "ActionLogs",
        Resource::AnyRole => "PassTaskRolesToEcs",
        Resource::DeployBucket(_) => "WriteDeployBucket",
        Resource::DeploymentGroup(_) => "DeployWithCodeDeploy",
        Resource::ImageRepository(_) => "PullBuildImage",
        Resource::Parameter { .. } | Resource::ActionParameter { .. } => "ReadParameters",
        Resource::Secret { .. } | Resource::ActionSecret { .. } => "ReadSecrets",
    }
}

/// A resource and the Region it is rendered in.
type RenderedKey<'a> = (&'a Resource, Option<&'a Text>);

/// Needs that share a statement: (sid, resources, condition, actions).
type StatementGroup = (&'static str, Vec<String>, Option<Value>, Vec<String>);

/// An ARN with each CloudFormation `${…}` replaced by a stand-in value, for matching.
fn without_substitutions(arn: &str) -> std::borrow::Cow<'_, str> {
    if !arn.contains("${") {
        return std::borrow::Cow::Borrowed(arn);
    }
    let mut out = String::new();
    let mut rest = arn;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => {
                out.push('x');
                rest = &rest[start + end + 1..];
            }
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Statements for `needs`: one per kind of resource, actions and resources sorted.
fn statements(env: &mut Env, needs: &[Need]) -> Vec<Value> {
    // (sid, resources, condition) → actions, in order of first need.
    let mut groups: Vec<StatementGroup> = Vec::new();
    // Many needs of one role name the same resource with different actions (a log group is
    // created and written to): each resource's ARNs are rendered once.
    let mut rendered: Vec<(RenderedKey, Vec<String>)> = Vec::new();
    for need in needs {
        let key = (&need.resource, need.region.as_ref());
        let mut arns = match rendered.iter().find(|(k, _)| *k == key) {
            Some((_, arns)) => arns.clone(),
            None => {
                let arns = env.need_arns(need);
                rendered.push((key, arns.clone()));
                arns
            }
        };
        // A need may name resources of several types (a bucket and its objects, a log group
        // and its streams, a CodeDeploy application and its groups): each action gets those
        // of the types it applies to, per the IAM action catalog.
        if let Some((prefix, _, facts)) = need
            .resource
            .mixes_types()
            .then(|| crate::data::iam::action(need.action))
            .flatten()
        {
            let fits: Vec<bool> = arns
                .iter()
                .map(|arn| {
                    *arn == "*" || crate::data::iam::arn_fits(prefix, facts.resources, &without_substitutions(arn))
                })
                .collect();
            if fits.contains(&true) {
                let mut fit = fits.into_iter();
                arns.retain(|_| fit.next().unwrap_or(false));
            }
        }
        if arns.is_empty() {
            continue; // a need that renders no ARN grants nothing
        }
        arns.sort();
        arns.dedup();
        let condition = need
            .condition
            .map(|(key, value)| json!({ "StringEquals": { key: value } }));
        let base_sid = sid(&need.resource);
        let actions = needs::connection_actions(need.action, &arns);
        match groups
            .iter_mut()
            .find(|(s, r, c, _)| *s == base_sid && *r == arns && *c == condition)
        {
            Some(group) => group.3.extend(actions),
            None => groups.push((base_sid, arns, condition, actions)),
        }
    }
    let mut used_sids: Vec<String> = Vec::new();
    groups
        .into_iter()
        .map(|(base_sid, resources, condition, mut actions)| {
            actions.sort();
            actions.dedup();
            let mut sid = base_sid.to_string();
            let mut n = 2;
            while used_sids.contains(&sid) {
                sid = format!("{base_sid}{n}");
                n += 1;
            }
            used_sids.push(sid.clone());
            let mut statement = Map::new();
            statement.insert("Sid".into(), json!(sid));
            statement.insert("Effect".into(), json!("Allow"));
            statement.insert("Action".into(), Value::from(actions));
            statement.insert(
                "Resource".into(),
                Value::Array(resources.into_iter().map(|r| env.wrap(r)).collect()),
            );
            if let Some(condition) = condition {
                statement.insert("Condition".into(), condition);
            }
            Value::Object(statement)
        })
        .collect()
}

pub fn trust_document(role: &RoleOut) -> Value {
    let one_or_many = |values: Vec<Value>| {
        if values.len() == 1 {
            values[0].clone()
        } else {
            Value::Array(values)
        }
    };
    let mut principal = Map::new();
    if !role.principals.is_empty() {
        principal.insert(
            "Service".into(),
            one_or_many(role.principals.iter().map(|p| json!(p)).collect()),
        );
    }
    if !role.role_principals.is_empty() {
        principal.insert("AWS".into(), one_or_many(role.role_principals.clone()));
    }
    object! {
        "Version" => POLICY_VERSION,
        "Statement" => vec![object! { "Effect" => "Allow", "Principal" => principal, "Action" => "sts:AssumeRole" }],
    }
}

/// For each declared role, the pipelines whose actions run in it (those pipelines' roles must
/// be allowed to assume it).
pub fn action_role_users(program: &Program) -> Vec<Vec<usize>> {
    let mut users = vec![Vec::new(); program.roles.len()];
    for (index, pipeline) in program.pipelines.iter().enumerate() {
        for action in pipeline.stages.iter().flat_map(|s| &s.actions) {
            if let Some(role) = &action.role {
                if let Some(list) = users.get_mut(role.value) {
                    if !list.contains(&index) {
                        list.push(index);
                    }
                }
            }
        }
    }
    users
}

/// A role's policy document, taking its statements: a template embeds the document as a value.
pub fn policy_document(statements: Vec<Value>) -> Value {
    object! { "Version" => POLICY_VERSION, "Statement" => statements }
}

/// The text of a role's policy document, as `json::pretty` writes [`policy_document`], without
/// copying the statements into a new value.
pub fn policy_text(role: &RoleOut) -> String {
    super::json::pretty_object(&[
        ("Statement", super::json::Field::Items(&role.statements)),
        ("Version", super::json::Field::Text(POLICY_VERSION)),
    ])
}

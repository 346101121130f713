//! One CloudFormation template per pipeline: its roles and policies, artifact bucket
//! (encrypted, versioned, public access blocked), CodeBuild projects, the ECR repositories and
//! connections they use, and the pipeline. Account and region are pseudo-parameters; program
//! parameters become template parameters; resources refer to each other with `Ref`/`GetAtt`.

use super::buildspec;
use super::definitions::{self, compute_type, environment_type};
use super::events;
use super::iam::{self, RoleOut};
use super::notifications;
use crate::resolve::model::*;
use crate::resolve::render::{logical_id, Env};
use crate::vocabulary::{Enumerated, TagMutability};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// `action_role_users`: per declared role, the pipelines whose actions run in it.
pub fn template(env: &mut Env, index: usize, action_role_users: &[Vec<usize>]) -> Value {
    let program = env.program;
    let pipeline = &program.pipelines[index];
    let mut resources = Map::new();

    let actions: Vec<&Action> = pipeline.stages.iter().flat_map(|s| &s.actions).collect();
    let projects: BTreeSet<usize> = actions
        .iter()
        .filter_map(|a| match a.provider.value {
            Provider::CodeBuild { project, .. } => Some(project),
            _ => None,
        })
        .collect();

    // Roles: the pipeline's, each project's, and declared roles actions assume.
    let mut declared_roles: BTreeSet<usize> = BTreeSet::new();
    let pipeline_role = match &pipeline.role {
        Some(role) => {
            declared_roles.insert(role.value);
            declared_role_arn(env, role.value)
        }
        None => {
            let id = logical_id(&pipeline.header.name, "PipelineRole");
            let role = iam::for_pipeline(env, index);
            resources.insert(id.clone(), role_resource(env, role));
            json!({ "Fn::GetAtt": [id, "Arn"] })
        }
    };
    let mut project_roles = Vec::new();
    for &p in &projects {
        let id = match &program.projects[p].role {
            Some(role) => {
                declared_roles.insert(role.value);
                declared_role_arn(env, role.value)
            }
            None => {
                let id = logical_id(&program.projects[p].header.name, "ProjectRole");
                let role = iam::for_project(env, p);
                resources.insert(id.clone(), role_resource(env, role));
                json!({ "Fn::GetAtt": [id, "Arn"] })
            }
        };
        project_roles.push((p, id));
    }
    for action in &actions {
        if let Some(role) = &action.role {
            declared_roles.insert(role.value);
        }
    }
    // An existing role (named by its `arn`) is not the stack's to create.
    for &r in declared_roles.iter().filter(|&&r| program.roles[r].arn.is_none()) {
        let mut role = iam::declared(env, &program.roles[r]);
        if action_role_users[r].contains(&index) {
            role.role_principals = vec![pipeline_role.clone()];
        }
        resources.insert(
            logical_id(&program.roles[r].header.name, "Role"),
            role_resource(env, role),
        );
    }

    if pipeline.artifact_bucket.is_none() {
        let key = pipeline.artifact_key.as_ref().map(|key| env.value(key));
        resources.insert("ArtifactBucket".into(), artifact_bucket(key));
        // The stores of other Regions are buckets of their own, which the template does not make.
        let objects = json!({ "Fn::Sub": "arn:aws:s3:::${ArtifactBucket}/*" });
        let accounts = definitions::other_accounts(env, pipeline)
            .into_iter()
            .find(|(store, _)| store.is_none())
            .map(|(_, accounts)| accounts)
            .unwrap_or_default();
        if let Some(policy) = definitions::artifact_bucket_policy(env, &accounts, objects) {
            resources.insert(
                "ArtifactBucketPolicy".into(),
                object! {
                    "Type" => "AWS::S3::BucketPolicy",
                    "Properties" => object! { "Bucket" => json!({ "Ref": "ArtifactBucket" }), "PolicyDocument" => policy },
                },
            );
        }
    }

    // Repositories the builds push to, and connections the pipeline uses. A repository a
    // pipeline only reads from (an `ecr` source) exists already: it holds the image to start from.
    let mut repositories = BTreeSet::new();
    let mut connections = BTreeSet::new();
    for &p in &projects {
        let project = &program.projects[p];
        repositories.extend(project.pushes.iter().map(|r| r.value));
        if let Some(source) = &project.source {
            connections.insert(source.connection.value);
        }
    }
    for action in &actions {
        if let Provider::ConnectionSource { connection, .. } = action.provider.value {
            connections.insert(connection);
        }
    }
    for &r in &repositories {
        let (id, resource) = repository_resource(env, r);
        resources.insert(id, resource);
    }
    for &c in &connections {
        if let Some((id, resource)) = connection_resource(env, c) {
            resources.insert(id, resource);
        }
    }

    for (p, role_id) in &project_roles {
        resources.insert(
            logical_id(&program.projects[*p].header.name, "Project"),
            project_resource(env, *p, role_id),
        );
    }

    let project_ref = |p: usize| json!({ "Ref": logical_id(&program.projects[p].header.name, "Project") });
    let role_arns: BTreeMap<usize, Value> = actions
        .iter()
        .filter_map(|a| a.role.as_ref())
        .map(|role| (role.value, declared_role_arn(env, role.value)))
        .collect();
    let role_arn = |r: usize| role_arns.get(&r).cloned().unwrap_or(Value::Null);
    let stages: Vec<Value> = pipeline
        .stages
        .iter()
        .map(|stage| {
            let actions: Vec<Value> = stage
                .actions
                .iter()
                .map(|a| definitions::action(env, a, &project_ref, &role_arn))
                .collect();
            let mut declaration = object! { "Name" => stage.aws_name(), "Actions" => actions };
            if let Some(on_failure) = definitions::stage_failure(stage, true) {
                declaration["OnFailure"] = on_failure;
            }
            declaration
        })
        .collect();
    let bucket_value = match &pipeline.artifact_bucket {
        Some(bucket) => env.value(bucket),
        None => json!({ "Ref": "ArtifactBucket" }),
    };
    let pipeline_id = logical_id(&pipeline.header.name, "Pipeline");
    let name = pipeline.name.as_ref().map(|n| env.value(n)).unwrap_or(Value::Null);
    let mut declaration = object! {
        "Type" => "AWS::CodePipeline::Pipeline",
        "Properties" => object! {
            "Name" => name,
            "RoleArn" => pipeline_role,
            "PipelineType" => "V2",
            "ArtifactStore" => definitions::artifact_store(env, pipeline, bucket_value.clone()),
            "Stages" => stages,
        },
    };
    if let Some(stores) = definitions::artifact_stores(env, pipeline, bucket_value.clone()) {
        if let Some(properties) = declaration["Properties"].as_object_mut() {
            properties.remove("ArtifactStore");
            properties.insert("ArtifactStores".into(), stores);
        }
    }
    let variables = definitions::pipeline_variables(env, pipeline);
    if !variables.is_empty() {
        declaration["Properties"]["Variables"] = Value::Array(variables);
    }
    if let Some(mode) = &pipeline.execution_mode {
        declaration["Properties"]["ExecutionMode"] = json!(mode.value.aws());
    }
    let triggers = definitions::pipeline_triggers(env, pipeline);
    if !triggers.is_empty() {
        declaration["Properties"]["Triggers"] = Value::Array(triggers);
    }
    resources.insert(pipeline_id.clone(), declaration);

    // Notification rules: the pipeline's, and those of the projects it runs.
    let pipeline_arn = json!({
        "Fn::Sub": format!("arn:aws:codepipeline:${{AWS::Region}}:${{AWS::AccountId}}:${{{pipeline_id}}}")
    });
    let mut watched = vec![(
        notifications::Watched::Pipeline(index),
        pipeline_arn,
        pipeline.header.name.clone(),
    )];
    for &p in &projects {
        let id = logical_id(&program.projects[p].header.name, "Project");
        watched.push((
            notifications::Watched::Project(p),
            json!({ "Fn::GetAtt": [id, "Arn"] }),
            program.projects[p].header.name.clone(),
        ));
    }
    for (what, arn, item) in watched {
        for (rule, notification) in notifications::rules(env, what) {
            resources.insert(
                logical_id(&format!("{item} {}", notification.label.value), "Notifications"),
                notifications::cfn_rule(env, &rule, arn.clone(), notification),
            );
        }
    }

    // Sources CodePipeline does not watch itself start it through EventBridge.
    let triggers = events::triggers(env, index);
    if !triggers.is_empty() {
        let arn = json!({
            "Fn::Sub": format!("arn:aws:codepipeline:${{AWS::Region}}:${{AWS::AccountId}}:${{{pipeline_id}}}")
        });
        let role_id = logical_id(&pipeline.header.name, "EventsRole");
        resources.insert(
            role_id.clone(),
            events_role("start-pipeline", events::start_statement(arn.clone())),
        );
        for trigger in triggers {
            let mut properties = json!({
                "Description": format!("Starts pipeline {} {}", pipeline.header.name, trigger.description),
                "State": "ENABLED",
                "Targets": [{ "Id": "codepipeline", "Arn": arn, "RoleArn": { "Fn::GetAtt": [role_id, "Arn"] } }],
            });
            match trigger.start {
                events::Start::Pattern(pattern) => properties["EventPattern"] = pattern,
                events::Start::Schedule(expression) => properties["ScheduleExpression"] = expression,
            }
            resources.insert(
                logical_id(&format!("{} {}", pipeline.header.name, trigger.suffix), "Rule"),
                object! { "Type" => "AWS::Events::Rule", "Properties" => properties },
            );
        }
    }

    let mut template = Map::new();
    template.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    template.insert(
        "Description".into(),
        json!(format!(
            "Pipeline {} and what it runs, compiled by cruddur",
            pipeline.header.name
        )),
    );
    if let Some(parameters) = template_parameters(env) {
        template.insert("Parameters".into(), parameters);
    }
    template.insert("Resources".into(), Value::Object(resources));
    let mut outputs = json!({ "PipelineName": { "Value": { "Ref": pipeline_id } } });
    // The bucket's name, for the stacks of other accounts whose roles read and write it.
    if pipeline.artifact_bucket.is_none() {
        outputs["ArtifactBucket"] = json!({ "Value": { "Ref": "ArtifactBucket" } });
    }
    template.insert("Outputs".into(), outputs);
    Value::Object(template)
}

/// For an existing role (named by its `arn`) that actions of pipeline `index` run in: a
/// template for the role's own account that gives the role what it needs (an inline policy,
/// `AWS::IAM::RolePolicy`, on the role by its name). Rendered in that account, its resources'
/// ARNs are that account's; the artifact bucket the pipeline's stack creates is a parameter
/// (that stack's `ArtifactBucket` output). The role's trust is its owner's to set
/// (`iam/existing/`).
pub fn existing_role_template(env: &mut Env, index: usize, role: usize) -> Value {
    let program = env.program;
    let pipeline = &program.pipelines[index];
    let declared = &program.roles[role];
    let out = iam::existing(env, role, Some(index));
    let arn = declared.arn.as_ref().map(|a| env.text(a)).unwrap_or_default();
    let role_name = arn.rsplit('/').next().unwrap_or_default().to_string();
    let policy_name = format!("{}-{}", pipeline.header.name, declared.header.name);
    let mut resources = Map::new();
    resources.insert(
        logical_id(&declared.header.name, "Policy"),
        json!({
            "Type": "AWS::IAM::RolePolicy",
            "Properties": {
                "RoleName": env.wrap(role_name),
                "PolicyName": policy_name,
                "PolicyDocument": iam::policy_document(out.statements),
            },
        }),
    );
    let mut template = Map::new();
    template.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    template.insert(
        "Description".into(),
        json!(format!(
            "What role {} needs for pipeline {}, for the role's own account, compiled by cruddur",
            declared.header.name, pipeline.header.name
        )),
    );
    let mut parameters = template_parameters(env).unwrap_or_else(|| json!({}));
    if pipeline.artifact_bucket.is_none() {
        parameters["ArtifactBucket"] = json!({
            "Type": "String",
            "Description": format!("The artifact bucket of pipeline {}: its stack's ArtifactBucket output", pipeline.header.name),
        });
    }
    if parameters.as_object().is_some_and(|p| !p.is_empty()) {
        template.insert("Parameters".into(), parameters);
    }
    template.insert("Resources".into(), Value::Object(resources));
    Value::Object(template)
}

fn role_resource(env: &Env, role: RoleOut) -> Value {
    let mut properties = Map::new();
    // Names built from parameters hold `${…}`: they go through `Fn::Sub` like any value.
    properties.insert("RoleName".into(), env.wrap(role.name.clone()));
    properties.insert("AssumeRolePolicyDocument".into(), iam::trust_document(&role));
    if !role.statements.is_empty() {
        properties.insert(
            "Policies".into(),
            Value::Array(vec![object! {
                "PolicyName" => env.wrap(format!("{}-policy", role.name)),
                "PolicyDocument" => iam::policy_document(role.statements),
            }]),
        );
    }
    object! { "Type" => "AWS::IAM::Role", "Properties" => properties }
}

/// The bucket the template creates for a pipeline's artifacts: encrypted by default with the
/// pipeline's artifact key when it has one, else with S3's own keys.
fn artifact_bucket(key: Option<Value>) -> Value {
    let by_default = match key {
        Some(key) => json!({ "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key }),
        None => json!({ "SSEAlgorithm": "AES256" }),
    };
    json!({
        "Type": "AWS::S3::Bucket",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [{ "ServerSideEncryptionByDefault": by_default }],
            },
            "VersioningConfiguration": { "Status": "Enabled" },
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": true,
                "BlockPublicPolicy": true,
                "IgnorePublicAcls": true,
                "RestrictPublicBuckets": true,
            },
            "OwnershipControls": { "Rules": [{ "ObjectOwnership": "BucketOwnerEnforced" }] },
        },
    })
}

/// The ARN of a declared role: the role the stack creates, or an existing role's `arn`.
fn declared_role_arn(env: &mut Env, index: usize) -> Value {
    let role = &env.program.roles[index];
    match &role.arn {
        Some(arn) => env.value(arn),
        None => json!({ "Fn::GetAtt": [logical_id(&role.header.name, "Role"), "Arn"] }),
    }
}

fn project_resource(env: &mut Env, index: usize, role_arn: &Value) -> Value {
    let project = &env.program.projects[index];
    let buildspec = match (&project.buildspec, &project.buildspec_s3) {
        (Some(kept), _) => Value::String(kept.path.value.clone()),
        (None, Some(object)) => {
            let arn = env.s3_object_arn(object);
            env.wrap(arn)
        }
        (None, None) => {
            let yaml = buildspec::to_yaml(&buildspec::buildspec(env, project));
            env.wrap(yaml)
        }
    };
    let mut properties = Map::new();
    properties.insert(
        "Name".into(),
        project.name.as_ref().map(|n| env.value(n)).unwrap_or(Value::Null),
    );
    if let Some(description) = &project.description {
        properties.insert("Description".into(), env.value(description));
    }
    properties.insert("ServiceRole".into(), role_arn.clone());
    let pipeline_run = env.program.runs_project(index);
    let source = match (&project.source, pipeline_run) {
        (_, true) => json!({ "Type": "CODEPIPELINE", "BuildSpec": buildspec }),
        (Some(source), false) => {
            let repo = env.text(&source.repo);
            let connection = env.connection_arn(source.connection.value, &source.loc);
            if let Some(branch) = &source.branch {
                let branch = env.text(branch);
                properties.insert("SourceVersion".into(), env.wrap(format!("refs/heads/{branch}")));
            }
            let groups = definitions::webhook_filter_groups(env, source);
            if !source.events.is_empty() {
                let mut triggers =
                    json!({ "Webhook": true, "BuildType": "BUILD", "FilterGroups": capitalized(Value::Array(groups)) });
                if let Some(policy) = definitions::pull_request_build_policy(source) {
                    triggers["PullRequestBuildPolicy"] = capitalized(policy);
                }
                properties.insert("Triggers".into(), triggers);
            }
            json!({
                "Type": source.host.value.aws(),
                "Location": env.wrap(source.host.value.clone_url(&repo)),
                "BuildSpec": buildspec,
                "Auth": { "Type": "CODECONNECTIONS", "Resource": env.wrap(connection) },
                "ReportBuildStatus": true,
            })
        }
        (None, false) => match &project.s3_source {
            Some(location) => {
                let location = env.text(location);
                let location = location.trim_start_matches("s3://").to_string();
                json!({ "Type": "S3", "Location": env.wrap(location), "BuildSpec": buildspec })
            }
            None => json!({ "Type": "NO_SOURCE", "BuildSpec": buildspec }),
        },
    };
    properties.insert("Source".into(), source);
    let mut artifacts = match (&project.output_to, pipeline_run) {
        (Some(output), false) => definitions::s3_artifacts(env, project, output, true),
        _ => json!({ "Type": if pipeline_run { "CODEPIPELINE" } else { "NO_ARTIFACTS" } }),
    };
    if project.artifact_encryption.as_ref().is_some_and(|e| !e.value) {
        artifacts["EncryptionDisabled"] = json!(true);
    }
    properties.insert("Artifacts".into(), artifacts);
    if let Some(key) = &project.encryption_key {
        properties.insert("EncryptionKey".into(), env.value(key));
    }
    let image = definitions::image(env, project);
    let mut environment = json!({
        "Type": environment_type(project),
        "Image": env.wrap(image),
        "ComputeType": compute_type(project.environment.compute.as_ref()),
        "PrivilegedMode": project.environment.privileged.as_ref().is_some_and(|p| p.value),
        "ImagePullCredentialsType": if matches!(project.environment.image, Some(Image { image: ImageRef::Uri(_), .. })) { "SERVICE_ROLE" } else { "CODEBUILD" },
    });
    if let Some(secret) = &project.environment.registry_credential {
        environment["RegistryCredential"] =
            json!({ "Credential": env.value(secret), "CredentialProvider": "SECRETS_MANAGER" });
    }
    let variables: Vec<Value> = definitions::project_variables(project)
        .map(|(name, kind, text)| json!({ "Name": name, "Value": env.value(text), "Type": kind }))
        .collect();
    if !variables.is_empty() {
        environment["EnvironmentVariables"] = Value::Array(variables);
    }
    properties.insert("Environment".into(), environment);
    if let Some(vpc) = &project.vpc {
        properties.insert("VpcConfig".into(), definitions::vpc_config(env, vpc, true));
    }
    properties.insert(
        "TimeoutInMinutes".into(),
        json!(project.timeout.as_ref().map_or(60, |t| t.value)),
    );
    if let Some(queued) = &project.queued_timeout {
        properties.insert("QueuedTimeoutInMinutes".into(), json!(queued.value));
    }
    // As in the CLI definition: a badge, for a project with its own source.
    if !pipeline_run && project.badge.as_ref().is_some_and(|b| b.value) {
        properties.insert("BadgeEnabled".into(), json!(true));
    }
    let enabled = project.logs_enabled.as_ref().is_none_or(|l| l.value);
    let mut logs = Map::new();
    logs.insert("Status".into(), json!(if enabled { "ENABLED" } else { "DISABLED" }));
    if let Some(group) = &project.logs_group {
        logs.insert("GroupName".into(), env.value(group));
    }
    if let Some(stream) = &project.logs_stream {
        logs.insert("StreamName".into(), env.value(stream));
    }
    properties.insert("LogsConfig".into(), object! { "CloudWatchLogs" => logs });
    if let Some(cache) = definitions::cache(env, project, true) {
        properties.insert("Cache".into(), cache);
    }
    object! { "Type" => "AWS::CodeBuild::Project", "Properties" => properties }
}

/// An ECR repository a build pushes to, created with the stack.
fn repository_resource(env: &mut Env, index: usize) -> (String, Value) {
    let repo = &env.program.repositories[index];
    let name = repo.name.as_ref().map(|n| env.value(n)).unwrap_or(Value::Null);
    (
        logical_id(&repo.header.name, "Repository"),
        json!({
            "Type": "AWS::ECR::Repository",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "RepositoryName": name,
                "ImageScanningConfiguration": { "ScanOnPush": repo.scan_on_push.as_ref().is_some_and(|s| s.value) },
                "ImageTagMutability": repo.tag_mutability.as_ref().map_or(TagMutability::Mutable, |m| m.value).aws(),
            },
        }),
    )
}

/// A connection the stack creates (one given by its `arn` exists already).
fn connection_resource(env: &mut Env, index: usize) -> Option<(String, Value)> {
    let connection = &env.program.connections[index];
    if connection.arn.is_some() {
        return None;
    }
    let name = connection.name.as_ref().map(|n| env.value(n)).unwrap_or(Value::Null);
    Some((
        logical_id(&connection.header.name, "Connection"),
        json!({
            "Type": "AWS::CodeStarConnections::Connection",
            "Properties": {
                "ConnectionName": name,
                "ProviderType": connection.provider.as_ref().map(|p| p.value.aws()).unwrap_or_default(),
            },
        }),
    ))
}

/// A project no pipeline runs, with what it needs: its role, the repositories it pushes to, the
/// connection it checks out through (unless given by ARN), its webhook, its notification rules
/// and the EventBridge rule (with its role) of its `schedule`.
pub fn project_template(env: &mut Env, index: usize) -> Value {
    let program = env.program;
    let project = &program.projects[index];
    let mut resources = Map::new();
    let project_id = logical_id(&project.header.name, "Project");
    let role_arn = match &project.role {
        Some(role) => {
            let declared = &program.roles[role.value];
            if declared.arn.is_none() {
                let out = iam::declared(env, declared);
                resources.insert(logical_id(&declared.header.name, "Role"), role_resource(env, out));
            }
            declared_role_arn(env, role.value)
        }
        None => {
            let id = logical_id(&project.header.name, "ProjectRole");
            let role = iam::for_project(env, index);
            resources.insert(id.clone(), role_resource(env, role));
            json!({ "Fn::GetAtt": [id, "Arn"] })
        }
    };
    resources.insert(project_id.clone(), project_resource(env, index, &role_arn));
    for repository in project.pushes.iter().map(|r| r.value).collect::<BTreeSet<_>>() {
        let (id, resource) = repository_resource(env, repository);
        resources.insert(id, resource);
    }
    if let Some(source) = &project.source {
        if let Some((id, resource)) = connection_resource(env, source.connection.value) {
            resources.insert(id, resource);
        }
    }
    let project_arn = json!({ "Fn::GetAtt": [project_id.clone(), "Arn"] });
    for (rule, notification) in notifications::rules(env, notifications::Watched::Project(index)) {
        resources.insert(
            logical_id(
                &format!("{} {}", project.header.name, notification.label.value),
                "Notifications",
            ),
            notifications::cfn_rule(env, &rule, project_arn.clone(), notification),
        );
    }
    if let Some(schedule) = &project.schedule {
        let role_id = logical_id(&project.header.name, "EventsRole");
        resources.insert(
            role_id.clone(),
            events_role("start-build", events::start_build_statement(project_arn.clone())),
        );
        resources.insert(
            logical_id(&format!("{} schedule", project.header.name), "Rule"),
            json!({
                "Type": "AWS::Events::Rule",
                "Properties": {
                    "Description": format!("Starts project {} on its schedule", project.header.name),
                    "State": "ENABLED",
                    "ScheduleExpression": env.value(schedule),
                    "Targets": [{ "Id": "codebuild", "Arn": project_arn, "RoleArn": { "Fn::GetAtt": [role_id, "Arn"] } }],
                },
            }),
        );
    }
    let mut template = Map::new();
    template.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    template.insert(
        "Description".into(),
        json!(format!(
            "Project {} and what it needs, compiled by cruddur",
            project.header.name
        )),
    );
    if let Some(parameters) = template_parameters(env) {
        template.insert("Parameters".into(), parameters);
    }
    template.insert("Resources".into(), Value::Object(resources));
    template.insert(
        "Outputs".into(),
        json!({ "ProjectName": { "Value": { "Ref": project_id } } }),
    );
    Value::Object(template)
}

/// The program's parameters the template's values read, as template parameters of type String.
fn template_parameters(env: &Env) -> Option<Value> {
    let mut parameters = Map::new();
    for &p in &env.used_params {
        let param = &env.program.params[p];
        let mut definition = Map::new();
        definition.insert("Type".into(), json!("String"));
        if let Some(description) = &param.description {
            definition.insert("Description".into(), json!(description));
        }
        if let Some(default) = &param.default {
            definition.insert("Default".into(), json!(default.value));
        }
        parameters.insert(logical_id(&param.header.name, ""), Value::Object(definition));
    }
    (!parameters.is_empty()).then_some(Value::Object(parameters))
}

/// A webhook filter group as CloudFormation spells it: `Type` and `Pattern`.
fn capitalized(value: Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.into_iter().map(capitalized).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| (definitions::cloudformation_key(&key), capitalized(value)))
                .collect(),
        ),
        other => other,
    }
}

/// The role EventBridge starts a pipeline or a build with, allowed `statement` only.
fn events_role(policy_name: &str, statement: Value) -> Value {
    let trust = RoleOut {
        name: String::new(),
        item: String::new(),
        principals: vec!["events.amazonaws.com".into()],
        role_principals: Vec::new(),
        statements: vec![statement],
        declared: false,
    };
    json!({
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": iam::trust_document(&trust),
            "Policies": [{ "PolicyName": policy_name, "PolicyDocument": iam::policy_document(trust.statements) }],
        },
    })
}

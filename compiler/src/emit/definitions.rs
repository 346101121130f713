//! The `--cli-input-json` definitions AWS's CLI takes: `codebuild create-project`,
//! `codebuild create-webhook` and `codepipeline create-pipeline`. Shapes and member names
//! follow the CodeBuild and CodePipeline API models (checked in CI with botocore).

use super::buildspec::IMAGE_DEFINITIONS_FILE;
use crate::resolve::model::*;
use crate::resolve::render::{Env, Target};
use crate::vocabulary::glob;
use crate::vocabulary::{Compute, Enumerated, EnvironmentType, TriggerKind, WebhookEvent};
use serde_json::{json, Map, Value};

pub fn compute_type(compute: Option<&At<Compute>>) -> &'static str {
    compute.map_or(Compute::Small, |c| c.value).aws()
}

/// The environment type: as written, or the one the curated image is built for.
pub fn environment_type(project: &Project) -> &'static str {
    let arm_image = matches!(&project.environment.image, Some(Image { image: ImageRef::Curated { family, .. }, .. }) if family.is_arm());
    let default = if arm_image {
        EnvironmentType::LinuxArm
    } else {
        EnvironmentType::Linux
    };
    project.environment.env_type.as_ref().map_or(default, |t| t.value).aws()
}

pub fn image(env: &mut Env, project: &Project) -> String {
    match &project.environment.image {
        Some(Image {
            image: ImageRef::Curated { family, version },
            ..
        }) => family.identifier(version),
        Some(Image {
            image: ImageRef::Uri(uri),
            ..
        }) => env.text(uri),
        None => String::new(),
    }
}

/// `aws codebuild create-project --cli-input-json` input.
/// `yaml` is the project's buildspec, rendered once for both this and `buildspec/`, or the
/// path of the buildspec file in the source.
pub fn codebuild_project(env: &mut Env, index: usize, role_arn: &str, yaml: &str) -> Value {
    let program = env.program;
    let project = &program.projects[index];
    let pipeline_run = program.runs_project(index);
    let mut out = Map::new();
    out.insert(
        "name".into(),
        json!(project.name.as_ref().map(|n| env.text(n)).unwrap_or_default()),
    );
    if let Some(description) = &project.description {
        out.insert("description".into(), json!(env.text(description)));
    }
    let source = match (&project.source, pipeline_run) {
        (Some(source), false) => {
            let repo = env.text(&source.repo);
            let connection = env.connection_arn(source.connection.value, &source.loc);
            json!({
                "type": source.host.value.aws(),
                "location": source.host.value.clone_url(&repo),
                "buildspec": yaml,
                "auth": { "type": "CODECONNECTIONS", "resource": connection },
                "reportBuildStatus": true,
            })
        }
        (None, false) => match &project.s3_source {
            Some(location) => {
                let location = env.text(location);
                json!({ "type": "S3", "location": location.trim_start_matches("s3://"), "buildspec": yaml })
            }
            None => json!({ "type": "NO_SOURCE", "buildspec": yaml }),
        },
        (_, true) => json!({ "type": "CODEPIPELINE", "buildspec": yaml }),
    };
    out.insert("source".into(), source);
    if let (Some(branch), false) = (project.source.as_ref().and_then(|s| s.branch.as_ref()), pipeline_run) {
        out.insert(
            "sourceVersion".into(),
            json!(format!("refs/heads/{}", env.text(branch))),
        );
    }
    let mut artifacts = match (&project.output_to, pipeline_run) {
        (Some(output), false) => s3_artifacts(env, project, output, false),
        _ => json!({ "type": if pipeline_run { "CODEPIPELINE" } else { "NO_ARTIFACTS" } }),
    };
    if project.artifact_encryption.as_ref().is_some_and(|e| !e.value) {
        artifacts["encryptionDisabled"] = json!(true);
    }
    out.insert("artifacts".into(), artifacts);
    if let Some(key) = &project.encryption_key {
        out.insert("encryptionKey".into(), json!(env.text(key)));
    }
    let mut environment = Map::new();
    environment.insert("type".into(), json!(environment_type(project)));
    environment.insert("image".into(), json!(image(env, project)));
    environment.insert(
        "computeType".into(),
        json!(compute_type(project.environment.compute.as_ref())),
    );
    environment.insert(
        "privilegedMode".into(),
        json!(project.environment.privileged.as_ref().is_some_and(|p| p.value)),
    );
    environment.insert(
        "imagePullCredentialsType".into(),
        json!(if matches!(
            project.environment.image,
            Some(Image {
                image: ImageRef::Uri(_),
                ..
            })
        ) {
            "SERVICE_ROLE"
        } else {
            "CODEBUILD"
        }),
    );
    if let Some(secret) = &project.environment.registry_credential {
        environment.insert(
            "registryCredential".into(),
            json!({ "credential": env.text(secret), "credentialProvider": "SECRETS_MANAGER" }),
        );
    }
    let variables: Vec<Value> = project_variables(project)
        .map(|(name, kind, text)| json!({ "name": name, "value": env.text(text), "type": kind }))
        .collect();
    if !variables.is_empty() {
        environment.insert("environmentVariables".into(), Value::Array(variables));
    }
    out.insert("environment".into(), Value::Object(environment));
    if let Some(vpc) = &project.vpc {
        out.insert("vpcConfig".into(), vpc_config(env, vpc, false));
    }
    out.insert("serviceRole".into(), json!(role_arn));
    out.insert(
        "timeoutInMinutes".into(),
        json!(project.timeout.as_ref().map_or(60, |t| t.value)),
    );
    if let Some(queued) = &project.queued_timeout {
        out.insert("queuedTimeoutInMinutes".into(), json!(queued.value));
    }
    if !pipeline_run {
        // CodeBuild offers badges only for projects with their own source.
        out.insert(
            "badgeEnabled".into(),
            json!(project.badge.as_ref().is_some_and(|b| b.value)),
        );
    }
    let mut logs = Map::new();
    let enabled = project.logs_enabled.as_ref().is_none_or(|l| l.value);
    logs.insert("status".into(), json!(if enabled { "ENABLED" } else { "DISABLED" }));
    if let Some(group) = &project.logs_group {
        logs.insert("groupName".into(), json!(env.text(group)));
    }
    if let Some(stream) = &project.logs_stream {
        logs.insert("streamName".into(), json!(env.text(stream)));
    }
    out.insert("logsConfig".into(), object! { "cloudWatchLogs" => logs });
    if let Some(cache) = cache(env, project, false) {
        out.insert("cache".into(), cache);
    }
    Value::Object(out)
}

/// The project's build cache, local or S3, in the API's (`camelCase`) or CloudFormation's shape.
pub fn cache(env: &mut Env, project: &Project, cloudformation: bool) -> Option<Value> {
    let key = |api: &str| if cloudformation { pascal(api) } else { api.to_string() };
    if let Some(location) = &project.cache_location {
        return Some(json!({ key("type"): "S3", key("location"): env.value(location) }));
    }
    let local = project.cache_mode.as_ref()?.value.aws();
    Some(json!({ key("type"): "LOCAL", key("modes"): [local] }))
}

/// Webhook filter groups. Push events filter on the pushed branch or tag (HEAD_REF), pull
/// requests on their base branch (BASE_REF), releases on their tag (TAG_NAME); changed files
/// and commit messages filter pushes and pull requests only. Events whose filters would be the
/// same share a group.
pub fn webhook_filter_groups(env: &mut Env, source: &ProjectSource) -> Vec<Value> {
    let branch = source.branch.as_ref().map(|b| escaped(env, b));
    let head_branches: Vec<String> = source
        .head_branches
        .iter()
        .flat_map(|branches| &branches.value)
        .map(|branch| format!("refs/heads/{}", globbed(env, branch)))
        .collect();
    let tags: Vec<String> = source
        .tags
        .iter()
        .flat_map(|tags| &tags.value)
        .map(|tag| globbed(env, tag))
        .collect();
    // The listed accounts, matched whole: an unanchored pattern matches every id that
    // contains a listed one (the CodeBreach misconfiguration).
    let actors = source.actors.as_ref().map(|actors| {
        let ids: Vec<String> = actors.value.iter().map(|id| escaped(env, id)).collect();
        one_of(env, ids)
    });
    // A changed file matches `files` when it is one of them (or under a folder of them), and
    // `exclude_files` keeps an event that changes such a file from starting a build.
    let mut file_filters = Vec::new();
    for (paths, exclude) in [(&source.files, false), (&source.exclude_files, true)] {
        // An empty list is an error (E0526).
        let Some(paths) = paths.as_ref().filter(|p| !p.value.is_empty()) else {
            continue;
        };
        let pattern = file_pattern(env, &paths.value);
        file_filters.push(filter("FILE_PATH", pattern, exclude));
    }
    // Commit messages are matched by what they contain.
    let mut message_filters = Vec::new();
    for (texts, exclude) in [
        (&source.commit_messages, false),
        (&source.exclude_commit_messages, true),
    ] {
        // An empty list is an error (E0528).
        let Some(texts) = texts.as_ref().filter(|t| !t.value.is_empty()) else {
            continue;
        };
        let texts: Vec<String> = texts.value.iter().map(|text| escaped(env, text)).collect();
        message_filters.push(filter("COMMIT_MESSAGE", contains_one_of(env, texts), exclude));
    }
    // With `tags`, pushes build the branch (if any) and the tags; a tag's push changes no file,
    // so its group has no file filters.
    let tag_refs: Vec<String> = tags.iter().map(|tag| format!("refs/tags/{tag}")).collect();
    let push_filtered = branch.is_some() || !tags.is_empty() || !file_filters.is_empty() || !message_filters.is_empty();
    let groups_of = |event: WebhookEvent| -> &'static [Group] {
        match event {
            _ if event.is_pull_request() => &[Group::PullRequest],
            WebhookEvent::Push if tags.is_empty() => &[Group::Push],
            WebhookEvent::Push if branch.is_some() => &[Group::Push, Group::TagPush],
            WebhookEvent::Push => &[Group::TagPush],
            _ if !push_filtered => &[Group::Push],
            WebhookEvent::Released | WebhookEvent::Prereleased => &[Group::Release],
            _ if tags.is_empty() => &[Group::Release],
            _ => &[Group::Workflow],
        }
    };
    let mut groups = Vec::new();
    for group in [
        Group::Push,
        Group::TagPush,
        Group::Release,
        Group::Workflow,
        Group::PullRequest,
    ] {
        let names: Vec<&str> = source
            .events
            .iter()
            .filter(|e| groups_of(e.value).contains(&group))
            .map(|e| e.value.aws())
            .collect();
        if names.is_empty() {
            continue;
        }
        let mut filters = vec![json!({ "type": "EVENT", "pattern": names.join(", ") })];
        match (group, &branch) {
            (Group::Push, Some(branch)) => {
                filters.push(json!({ "type": "HEAD_REF", "pattern": env.wrap(format!("^refs/heads/{branch}$")) }));
            }
            (Group::TagPush, _) => {
                filters.push(json!({ "type": "HEAD_REF", "pattern": one_of(env, tag_refs.clone()) }))
            }
            (Group::Release, _) if !tags.is_empty() => {
                filters.push(json!({ "type": "TAG_NAME", "pattern": one_of(env, tags.clone()) }));
            }
            (Group::PullRequest, branch) => {
                if let Some(branch) = branch {
                    filters.push(json!({ "type": "BASE_REF", "pattern": env.wrap(format!("^refs/heads/{branch}$")) }));
                }
                if !head_branches.is_empty() {
                    filters.push(json!({ "type": "HEAD_REF", "pattern": one_of(env, head_branches.clone()) }));
                }
            }
            _ => {}
        }
        if matches!(group, Group::Push | Group::PullRequest) {
            filters.extend(file_filters.iter().cloned());
        }
        if matches!(group, Group::Push | Group::TagPush | Group::PullRequest) {
            filters.extend(message_filters.iter().cloned());
        }
        if let Some(actors) = &actors {
            filters.push(json!({ "type": "ACTOR_ACCOUNT_ID", "pattern": actors }));
        }
        groups.push(Value::Array(filters));
    }
    groups
}

/// The filter groups of a webhook, in the order they are written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Push,
    TagPush,
    Release,
    Workflow,
    PullRequest,
}

fn filter(kind: &str, pattern: Value, exclude: bool) -> Value {
    if exclude {
        json!({ "type": kind, "pattern": pattern, "excludeMatchedPattern": true })
    } else {
        json!({ "type": kind, "pattern": pattern })
    }
}

/// The regular expression a changed file's path matches when it is one of `paths`, each as
/// written, or (ending in `/`) anything under it.
fn file_pattern(env: &mut Env, paths: &[Text]) -> Value {
    let alternatives: Vec<String> = paths
        .iter()
        .map(|path| {
            let folder = matches!(path.pieces.last(), Some(Piece::Lit(lit)) if lit.ends_with('/'));
            escaped(env, path) + if folder { ".*" } else { "" }
        })
        .collect();
    one_of(env, alternatives)
}

/// A regular expression that matches one of `alternatives` whole (each listed once).
fn one_of(env: &Env, alternatives: Vec<String>) -> Value {
    let pattern = match unique(alternatives).as_slice() {
        [one] => format!("^{one}$"),
        several => format!("^({})$", several.join("|")),
    };
    env.wrap(pattern)
}

/// A regular expression that matches a text containing one of `alternatives`.
fn contains_one_of(env: &Env, alternatives: Vec<String>) -> Value {
    let pattern = match unique(alternatives).as_slice() {
        [one] => one.clone(),
        several => format!("({})", several.join("|")),
    };
    env.wrap(pattern)
}

/// `alternatives`, each once, in the order written.
fn unique(alternatives: Vec<String>) -> Vec<String> {
    let mut unique: Vec<String> = Vec::new();
    for alternative in alternatives {
        if !unique.contains(&alternative) {
            unique.push(alternative);
        }
    }
    unique
}

/// `text` for a regular expression that matches it as written. In the CLI form every value is
/// known and all of it is escaped; in a template a parameter's value is only known when the
/// stack is deployed, and `Fn::Sub` puts it in as it is.
fn escaped(env: &mut Env, text: &Text) -> String {
    translated(env, text, glob::escape)
}

/// The regular expression for a glob pattern (`tags`); one that cannot be read (E0527) is
/// matched as written.
fn globbed(env: &mut Env, text: &Text) -> String {
    translated(env, text, |glob| {
        glob::to_regex(glob).unwrap_or_else(|_| glob::escape(glob))
    })
}

/// `text` made a regular expression by `translate`: all of it in the CLI form, where every
/// value is known; its literal pieces in a template, where a parameter's value is only known
/// when the stack is deployed and `Fn::Sub` puts it in as it is.
fn translated(env: &mut Env, text: &Text, translate: impl Fn(&str) -> String) -> String {
    if env.target == Target::Literal {
        return translate(&env.text(text));
    }
    let pieces = text
        .pieces
        .iter()
        .map(|piece| match piece {
            Piece::Lit(lit) => Piece::Lit(translate(lit)),
            other => other.clone(),
        })
        .collect();
    env.text(&Text {
        pieces,
        loc: text.loc.clone(),
    })
}

/// `aws codebuild create-webhook --cli-input-json` input, when the project has webhook events.
pub fn codebuild_webhook(env: &mut Env, index: usize) -> Option<Value> {
    let project = &env.program.projects[index];
    let source = project.source.as_ref().filter(|s| !s.events.is_empty())?;
    if env.program.runs_project(index) {
        return None;
    }
    let name = project.name.as_ref().map(|n| env.text(n)).unwrap_or_default();
    let groups = webhook_filter_groups(env, source);
    let mut webhook = json!({ "projectName": name, "buildType": "BUILD", "filterGroups": groups });
    if let Some(policy) = pull_request_build_policy(source) {
        webhook["pullRequestBuildPolicy"] = policy;
    }
    Some(webhook)
}

/// The webhook's `pullRequestBuildPolicy`, when the source sets `comment_approval`.
pub fn pull_request_build_policy(source: &ProjectSource) -> Option<Value> {
    let approval = source.comment_approval.as_ref()?;
    let mut policy = json!({ "requiresCommentApproval": approval.value.aws() });
    if !source.approvers.is_empty() {
        let mut roles: Vec<&str> = source.approvers.iter().map(|r| r.value.aws()).collect();
        // Once each, in the order written.
        let mut seen = std::collections::BTreeSet::new();
        roles.retain(|role| seen.insert(*role));
        policy["approverRoles"] = json!(roles);
    }
    Some(policy)
}

/// A configuration value as CodePipeline takes it: a string.
fn config_string(env: &mut Env, value: &ConfigValue) -> Value {
    match value {
        ConfigValue::Text(text) => env.value(text),
        ConfigValue::Bool(b) => json!(b.to_string()),
        ConfigValue::Number(n) => json!(n),
        ConfigValue::List(items) => {
            let rendered: Vec<String> = items.iter().map(|t| env.text(t)).collect();
            env.wrap(rendered.join(","))
        }
    }
}

/// An action's `configuration`, with the settings cruddur fills in from its argument.
pub fn action_configuration(
    env: &mut Env,
    action: &Action,
    project_ref: &dyn Fn(usize) -> Value,
) -> Map<String, Value> {
    let mut configuration = Map::new();
    match &action.provider.value {
        Provider::ConnectionSource { connection, .. } => {
            let arn = env.connection_arn(*connection, &action.provider.loc);
            configuration.insert("ConnectionArn".into(), env.wrap(arn));
        }
        Provider::EcrSource { repository } => {
            let name = env.field(
                ItemId {
                    kind: Kind::Repository,
                    index: *repository,
                },
                Field::Name,
                &action.provider.loc,
            );
            configuration.insert("RepositoryName".into(), env.wrap(name));
        }
        Provider::CodeBuild { project, .. } => {
            configuration.insert("ProjectName".into(), project_ref(*project));
            // A JSON list as text, as the action takes it; pipeline variables in the values
            // are resolved by CodePipeline when the action runs.
            if !action.env.is_empty() {
                let variables: Vec<Value> = action
                    .env
                    .iter()
                    .map(variable)
                    .map(|(name, kind, text)| json!({ "name": name, "value": env.text(text), "type": kind }))
                    .collect();
                let text = serde_json::to_string(&variables).unwrap_or_default();
                configuration.insert("EnvironmentVariables".into(), env.wrap(text));
            }
        }
        // An EventBridge rule starts the pipeline (`events`): polling as well would start it
        // twice per commit (AWS's CodeCommit action reference).
        Provider::CodeCommitSource if super::events::poll(action).is_none() => {
            configuration.insert("PollForSourceChanges".into(), json!("false"));
        }
        Provider::Ecs { service } => {
            let cluster = env.field(
                ItemId {
                    kind: Kind::Service,
                    index: *service,
                },
                Field::Cluster,
                &action.provider.loc,
            );
            let name = env.field(
                ItemId {
                    kind: Kind::Service,
                    index: *service,
                },
                Field::Name,
                &action.provider.loc,
            );
            configuration.insert("ClusterName".into(), env.wrap(cluster));
            configuration.insert("ServiceName".into(), env.wrap(name));
            configuration.insert("FileName".into(), json!(IMAGE_DEFINITIONS_FILE));
        }
        _ => {}
    }
    // A setting the provider does not have was reported; the program is not emitted then.
    for property in &action.config {
        if let Some(setting) = property.setting {
            let value = match &property.value {
                // A comma-separated list written with spaces (`"CAPABILITY_IAM, CAPABILITY_AUTO_EXPAND"`)
                // goes out as AWS writes it, without them.
                ConfigValue::Text(text) if setting.key == "Capabilities" => {
                    let items: Vec<String> = env.text(text).split(',').map(|v| v.trim().to_string()).collect();
                    env.wrap(items.join(","))
                }
                other => config_string(env, other),
            };
            configuration.insert(setting.key.to_string(), value);
        }
    }
    configuration
}

/// One action of a pipeline, in the API's shape (`camelCase`) or CloudFormation's (`PascalCase`).
pub fn action(
    env: &mut Env,
    action: &Action,
    project_ref: &dyn Fn(usize) -> Value,
    role_arn: &dyn Fn(usize) -> Value,
) -> Value {
    let spec = action.provider.value.spec();
    let cfn = env.target == Target::CloudFormation;
    let key = |api: &str| if cfn { pascal(api) } else { api.to_string() };
    let mut out = Map::new();
    out.insert(key("name"), json!(action.label.value));
    out.insert(
        key("actionTypeId"),
        json!({ key("category"): spec.category, key("owner"): "AWS", key("provider"): spec.provider, key("version"): "1" }),
    );
    out.insert(key("runOrder"), json!(action.run_order()));
    let configuration = action_configuration(env, action, project_ref);
    if !configuration.is_empty() {
        out.insert(key("configuration"), Value::Object(configuration));
    }
    let artifacts = |names: &[At<String>]| -> Value {
        Value::Array(names.iter().map(|n| json!({ key("name"): n.value })).collect())
    };
    out.insert(key("inputArtifacts"), artifacts(&action.inputs));
    out.insert(key("outputArtifacts"), artifacts(&action.outputs));
    if let Some(namespace) = &action.namespace {
        out.insert(key("namespace"), json!(namespace.value));
    }
    if let Some(region) = &action.region {
        let region = env.value(region);
        out.insert(key("region"), region);
    }
    if let Some(role) = &action.role {
        out.insert(key("roleArn"), role_arn(role.value));
    }
    Value::Object(out)
}

/// `aws codepipeline create-pipeline --cli-input-json` input.
pub fn codepipeline(
    env: &mut Env,
    index: usize,
    role_arn_text: &str,
    project_names: &[String],
    role_arns: &[String],
) -> Value {
    let program = env.program;
    let pipeline = &program.pipelines[index];
    let bucket = env.artifact_bucket(index);
    let project_ref = |i: usize| json!(project_names.get(i).cloned().unwrap_or_default());
    let role_ref = |i: usize| json!(role_arns.get(i).cloned().unwrap_or_default());
    let stages: Vec<Value> = pipeline
        .stages
        .iter()
        .map(|stage| {
            let actions: Vec<Value> = stage
                .actions
                .iter()
                .map(|a| action(env, a, &project_ref, &role_ref))
                .collect();
            let mut declaration = object! { "name" => stage.aws_name(), "actions" => actions };
            if let Some(on_failure) = stage_failure(stage, false) {
                declaration["onFailure"] = on_failure;
            }
            declaration
        })
        .collect();
    let mut out = object! {
        "pipeline" => object! {
            "name" => pipeline.name.as_ref().map(|n| env.text(n)).unwrap_or_default(),
            "roleArn" => role_arn_text,
            "artifactStore" => artifact_store(env, pipeline, json!(bucket)),
            "stages" => stages,
            "version" => 1,
            "pipelineType" => "V2",
        }
    };
    // Stores in other Regions: CodePipeline takes them all as `artifactStores`, in place of
    // the one `artifactStore`.
    if let Some(stores) = artifact_stores(env, pipeline, json!(bucket)) {
        if let Some(declaration) = out["pipeline"].as_object_mut() {
            declaration.remove("artifactStore");
            declaration.insert("artifactStores".into(), stores);
        }
    }
    let variables = pipeline_variables(env, pipeline);
    if !variables.is_empty() {
        out["pipeline"]["variables"] = Value::Array(variables);
    }
    if let Some(mode) = &pipeline.execution_mode {
        out["pipeline"]["executionMode"] = json!(mode.value.aws());
    }
    let triggers = pipeline_triggers(env, pipeline);
    if !triggers.is_empty() {
        out["pipeline"]["triggers"] = Value::Array(triggers);
    }
    out
}

/// The pipeline's triggers, one per source with filters, in the API's shape (`camelCase`) or
/// CloudFormation's.
pub fn pipeline_triggers(env: &mut Env, pipeline: &Pipeline) -> Vec<Value> {
    let cfn = env.target == Target::CloudFormation;
    let key = |api: &str| if cfn { pascal(api) } else { api.to_string() };
    let mut out = Vec::new();
    for action in pipeline.stages.iter().flat_map(|s| &s.actions) {
        if action.triggers.is_empty() {
            continue;
        }
        let mut git = Map::new();
        git.insert(key("sourceActionName"), json!(action.label.value));
        for kind in TriggerKind::ALL {
            let filters: Vec<Value> = action
                .triggers
                .iter()
                .filter(|t| t.kind.value == *kind)
                .map(|filter| {
                    let mut out = Map::new();
                    if !filter.events.is_empty() {
                        let events: Vec<&str> = filter.events.iter().map(|e| e.value.aws()).collect();
                        out.insert(key("events"), json!(events));
                    }
                    for (criteria, include, exclude) in [
                        ("branches", "branches", "exclude_branches"),
                        ("tags", "tags", "exclude_tags"),
                        ("filePaths", "files", "exclude_files"),
                    ] {
                        let mut lists = Map::new();
                        for (side, name) in [("includes", include), ("excludes", exclude)] {
                            if let Some(list) = filter.list(name) {
                                let patterns: Vec<Value> = list.patterns.iter().map(|p| env.value(p)).collect();
                                lists.insert(key(side), Value::Array(patterns));
                            }
                        }
                        if !lists.is_empty() {
                            out.insert(key(criteria), Value::Object(lists));
                        }
                    }
                    Value::Object(out)
                })
                .collect();
            if !filters.is_empty() {
                git.insert(key(kind.aws()), Value::Array(filters));
            }
        }
        out.push(json!({
            key("providerType"): "CodeStarSourceConnection",
            key("gitConfiguration"): Value::Object(git),
        }));
    }
    out
}

/// The pipeline's variables, in the API's shape (`camelCase`) or CloudFormation's.
pub fn pipeline_variables(env: &mut Env, pipeline: &Pipeline) -> Vec<Value> {
    let cfn = env.target == Target::CloudFormation;
    let key = |api: &str| if cfn { pascal(api) } else { api.to_string() };
    pipeline
        .variables
        .iter()
        .map(|variable| {
            let mut out = Map::new();
            out.insert(key("name"), json!(variable.name.value));
            if let Some(default) = &variable.default {
                out.insert(key("defaultValue"), env.value(default));
            }
            if let Some(description) = &variable.description {
                out.insert(key("description"), env.value(description));
            }
            Value::Object(out)
        })
        .collect()
}

/// `camelCase` → `PascalCase`.
pub fn pascal(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// With a buildspec file, the variables written in the project, which CodeBuild sets as the
/// project's own: name, CodeBuild's type and value.
pub fn project_variables(project: &Project) -> impl Iterator<Item = (&str, &'static str, &Text)> {
    project.project_variables().map(variable)
}

/// A variable as CodeBuild takes it: name, type and value.
fn variable(var: &EnvVar) -> (&str, &'static str, &Text) {
    let (kind, text) = match &var.value {
        EnvValue::Plain(text) => ("PLAINTEXT", text),
        EnvValue::ParameterStore(text) => ("PARAMETER_STORE", text),
        EnvValue::SecretsManager(text) => ("SECRETS_MANAGER", text),
    };
    (var.name.value.as_str(), kind, text)
}

/// The pipeline's artifact store: its bucket, and its customer managed key when it has one.
/// CloudFormation's keys are capitalized (`Type`, `Location`, `EncryptionKey`), the CLI's not.
pub fn artifact_store(env: &mut Env, pipeline: &Pipeline, bucket: Value) -> Value {
    store(env, bucket, pipeline.artifact_key.as_ref())
}

/// The pipeline's stores, its own and those of other Regions, when it has stores in other
/// Regions (CodePipeline then takes `artifactStores` instead of `artifactStore`): a map by
/// Region for the CLI, a list of `{Region, ArtifactStore}` for CloudFormation.
pub fn artifact_stores(env: &mut Env, pipeline: &Pipeline, bucket: Value) -> Option<Value> {
    if pipeline.artifact_stores.is_empty() {
        return None;
    }
    let home = env.region(&pipeline.header.loc);
    let mut stores = vec![(home, artifact_store(env, pipeline, bucket))];
    for other in &pipeline.artifact_stores {
        let (Some(region), Some(location)) = (&other.region, &other.bucket) else {
            continue;
        };
        let region = env.text(region);
        let location = env.value(location);
        let store = store(env, location, other.key.as_ref());
        stores.push((region, store));
    }
    Some(match env.target {
        Target::CloudFormation => Value::Array(
            stores
                .into_iter()
                .map(|(region, store)| json!({ "Region": env.wrap(region), "ArtifactStore": store }))
                .collect(),
        ),
        _ => Value::Object(stores.into_iter().collect()),
    })
}

fn store(env: &mut Env, bucket: Value, key: Option<&Text>) -> Value {
    let cloudformation = env.target == Target::CloudFormation;
    let key_name = |name: &str| {
        if cloudformation {
            cloudformation_key(name)
        } else {
            name.to_string()
        }
    };
    let mut store = Map::new();
    store.insert(key_name("type"), json!("S3"));
    store.insert(key_name("location"), bucket);
    if let Some(key) = key {
        store.insert(
            key_name("encryptionKey"),
            json!({ key_name("id"): env.value(key), key_name("type"): "KMS" }),
        );
    }
    Value::Object(store)
}

/// The accounts, other than the program's own, of the existing roles the pipeline's actions
/// run in, by the artifact store each action reads and writes (`None`: the pipeline's own; else
/// the index of its `artifact_store` of the action's Region). When the program's account is
/// known only at deploy time, every such role's account is listed (its own account gains
/// nothing). An action that reads and writes no artifact needs no access.
pub fn other_accounts(env: &mut Env, pipeline: &Pipeline) -> Vec<(Option<usize>, Vec<String>)> {
    let program = env.program;
    // The account as built: a param's value in CLI definitions, not only an account written
    // in the program; in a template, the stack's own account. (Rendering the account in a
    // template would declare its parameter, so it is not rendered there.)
    let account = program.aws.as_ref().and_then(|a| a.account.as_ref());
    let home = match env.target {
        Target::CloudFormation => account.and_then(Text::literal).map(|a| a.to_string()),
        _ => account.map(|account| env.text(account)),
    };
    let mut by_store: Vec<(Option<usize>, Vec<String>)> = Vec::new();
    for action in pipeline.stages.iter().flat_map(|s| &s.actions) {
        if action.inputs.is_empty() && action.outputs.is_empty() {
            continue;
        }
        let Some(arn) = action
            .role
            .as_ref()
            .and_then(|r| program.roles.get(r.value))
            .and_then(|r| r.arn.as_ref())
        else {
            continue;
        };
        let arn = env.text(arn);
        let Some(account) = arn.split(':').nth(4).filter(|a| !a.is_empty()) else {
            continue;
        };
        if home.as_deref() == Some(account) || account == "${AWS::AccountId}" {
            continue;
        }
        let region = action.region.as_ref().map(|r| env.text(r));
        let store = region.and_then(|region| {
            pipeline
                .artifact_stores
                .iter()
                .position(|s| s.region.as_ref().is_some_and(|r| env.text(r) == region))
        });
        let index = match by_store.iter().position(|(s, _)| *s == store) {
            Some(index) => index,
            None => {
                by_store.push((store, Vec::new()));
                by_store.len() - 1
            }
        };
        let accounts = &mut by_store[index].1;
        if !accounts.iter().any(|a| a == account) {
            accounts.push(account.to_string());
            accounts.sort();
        }
    }
    by_store.sort();
    by_store
}

/// The artifact bucket's policy for actions in other accounts: each account may read and write
/// the artifacts (its role's own policy says which of its roles may), as AWS's cross-account
/// walkthrough grants it, the account being the principal so the policy does not wait for the
/// role to exist (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-cross-account.html).
/// `objects` is the ARN of the bucket's objects.
pub fn artifact_bucket_policy(env: &mut Env, accounts: &[String], objects: Value) -> Option<Value> {
    if accounts.is_empty() {
        return None;
    }
    let principals: Vec<Value> = accounts
        .iter()
        .map(|a| env.wrap(format!("arn:aws:iam::{a}:root")))
        .collect();
    Some(json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "CrossAccountArtifacts",
            "Effect": "Allow",
            "Principal": { "AWS": principals },
            "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
            "Resource": [objects],
        }],
    }))
}

/// A stage's `onFailure`: the result, and for a retry which actions run again. CloudFormation's
/// keys are capitalized.
pub fn stage_failure(stage: &Stage, cloudformation: bool) -> Option<Value> {
    use crate::vocabulary::StageFailure;
    let on_failure = stage.on_failure.as_ref()?.value;
    let retry_mode = match on_failure {
        StageFailure::Retry => Some("FAILED_ACTIONS"),
        StageFailure::RetryAll => Some("ALL_ACTIONS"),
        StageFailure::Rollback => None,
        // What a stage does anyway; CloudFormation takes only ROLLBACK and RETRY here.
        StageFailure::Fail => return None,
    };
    let (result, retry, mode) = if cloudformation {
        ("Result", "RetryConfiguration", "RetryMode")
    } else {
        ("result", "retryConfiguration", "retryMode")
    };
    let mut out = Map::new();
    out.insert(result.into(), json!(on_failure.aws()));
    if let Some(retry_mode) = retry_mode {
        out.insert(retry.into(), json!({ mode: retry_mode }));
    }
    Some(Value::Object(out))
}

/// A project's S3 output (`output_to`): bucket, path, name (the project's name unless given),
/// packaging and namespace. CloudFormation's keys are capitalized.
pub fn s3_artifacts(env: &mut Env, project: &Project, output: &S3Output, cloudformation: bool) -> Value {
    let location = env.text(&output.location);
    let (bucket, path) = S3Output::split(&location);
    let name = match &output.name {
        Some(name) => env.text(name),
        None => project.name.as_ref().map(|n| env.text(n)).unwrap_or_default(),
    };
    let zip = output.zip.as_ref().is_some_and(|z| z.value);
    let build_id = output.build_id.as_ref().is_some_and(|b| b.value);
    let key = |name: &str| {
        if cloudformation {
            cloudformation_key(name)
        } else {
            name.to_string()
        }
    };
    let mut out = Map::new();
    out.insert(key("type"), json!("S3"));
    out.insert(key("location"), env.wrap(bucket.to_string()));
    if !path.is_empty() {
        out.insert(key("path"), env.wrap(path.to_string()));
    }
    out.insert(key("name"), env.wrap(name));
    out.insert(key("packaging"), json!(if zip { "ZIP" } else { "NONE" }));
    out.insert(key("namespaceType"), json!(if build_id { "BUILD_ID" } else { "NONE" }));
    if project.artifact_encryption.as_ref().is_some_and(|e| !e.value) {
        out.insert(key("encryptionDisabled"), json!(true));
    }
    Value::Object(out)
}

/// A project's `vpc`: the VPC, its subnets and security groups. CloudFormation's keys are
/// capitalized.
pub fn vpc_config(env: &mut Env, vpc: &Vpc, cloudformation: bool) -> Value {
    let id = vpc.id.as_ref().map(|id| env.value(id)).unwrap_or(Value::Null);
    let subnets: Vec<Value> = vpc.subnets.iter().map(|s| env.value(s)).collect();
    let groups: Vec<Value> = vpc.security_groups.iter().map(|g| env.value(g)).collect();
    if cloudformation {
        json!({ "VpcId": id, "Subnets": subnets, "SecurityGroupIds": groups })
    } else {
        json!({ "vpcId": id, "subnets": subnets, "securityGroupIds": groups })
    }
}

/// A key of AWS's CLI input as CloudFormation spells it: `encryptionKey` → `EncryptionKey`.
pub fn cloudformation_key(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

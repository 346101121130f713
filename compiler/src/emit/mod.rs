//! Code generation: a checked [`Program`] to the files AWS takes. Everything is rendered in
//! memory first, deterministically (sorted maps, no timestamps); the CLI writes the files only
//! when the whole program rendered without error.

/// A JSON object of the entries given, each value moved in. `json!` serializes every value
/// it is given into a new `Value`: for a `Value` built before (a policy, a list of stages),
/// that is a deep copy, and it was most of the time spent emitting.
macro_rules! object {
    ($($key:expr => $value:expr),* $(,)?) => {{
        let mut map = serde_json::Map::new();
        $(map.insert(String::from($key), serde_json::Value::from($value));)*
        serde_json::Value::Object(map)
    }};
}

pub mod buildspec;
pub mod cloudformation;
pub mod definitions;
pub mod events;
pub mod graph;
pub mod iam;
mod json;
pub mod notifications;

use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::model::*;
use crate::resolve::render::{Env, Target};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Output files by relative path.
pub type Files = BTreeMap<String, String>;

/// Where rendered files go as each is made: a map in memory ([`Files`]), or a folder being
/// written, so a large build need not hold all its output at once. (On a large program with a
/// second core, the CloudFormation templates, made beside the CLI's inputs, are held until
/// those are written.)
pub trait Sink {
    fn file(&mut self, path: String, contents: String);
}

impl Sink for Files {
    fn file(&mut self, path: String, contents: String) {
        self.insert(path, contents);
    }
}

/// A file name made only of `[A-Za-z0-9._-]`, never `.` or `..`.
pub fn sanitize(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    match cleaned.trim_matches('.') {
        "" => "_".to_string(),
        _ => cleaned,
    }
}

pub fn json_text(value: &Value) -> String {
    json::pretty(value)
}

struct Writer<'a> {
    out: Out<'a>,
}

/// Where a writer's files go.
enum Out<'a> {
    /// To the sink, each path once: a second file for a path is an error.
    Sink {
        sink: &'a mut dyn Sink,
        origin: BTreeMap<String, Loc>,
        errors: &'a mut Vec<Diagnostic>,
    },
    /// Kept in the order made, for the writer of another thread to add in turn.
    Deferred(Vec<(String, String, Loc)>),
}

impl Writer<'_> {
    /// A writer that keeps its files for another.
    fn deferred() -> Writer<'static> {
        Writer {
            out: Out::Deferred(Vec::new()),
        }
    }

    /// The files a deferred writer kept.
    fn into_made(self) -> Vec<(String, String, Loc)> {
        match self.out {
            Out::Deferred(made) => made,
            Out::Sink { .. } => Vec::new(),
        }
    }

    fn add(&mut self, path: String, contents: String, loc: &Loc) {
        let (sink, origin, errors) = match &mut self.out {
            Out::Sink { sink, origin, errors } => (sink, origin, errors),
            Out::Deferred(made) => return made.push((path, contents, loc.clone())),
        };
        if let Some(first) = origin.get(&path) {
            errors.push(
                Diagnostic::new(
                    Code::OutputClash,
                    format!("two outputs would be written to `{path}`"),
                    loc.file,
                    loc.span.clone(),
                    "second output",
                )
                .with_secondary(first.file, first.span.clone(), "first output")
                .with_help("AWS names must differ: give one of them another `name`"),
            );
            return;
        }
        origin.insert(path.clone(), loc.clone());
        sink.file(path, contents);
    }
}

/// Which of the two ways to deploy a program `cruddur build` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Forms {
    /// Both.
    #[default]
    All,
    /// The AWS CLI's inputs: buildspecs, CodeBuild and CodePipeline definitions, IAM policies,
    /// EventBridge rules. They name real ARNs, so every value must be known.
    Cli,
    /// The CloudFormation templates: parameters stay template parameters, and resources the
    /// stack creates (a connection) need no ARN.
    CloudFormation,
}

impl Forms {
    fn cli(self) -> bool {
        self != Forms::CloudFormation
    }

    fn cloudformation(self) -> bool {
        self != Forms::Cli
    }
}

/// Renders every output of a program. `params` are the `--param NAME=VALUE` values.
pub fn emit(program: &Program, params: &BTreeMap<String, String>) -> Result<Files, Vec<Diagnostic>> {
    emit_forms(program, params, Forms::All)
}

/// Renders the outputs of one or both forms.
pub fn emit_forms(
    program: &Program,
    params: &BTreeMap<String, String>,
    forms: Forms,
) -> Result<Files, Vec<Diagnostic>> {
    let mut files = Files::new();
    emit_forms_into(program, params, forms, &mut files).map(|()| files)
}

/// Renders the outputs of one or both forms into `sink`, each file as soon as it is made. On
/// `Err`, what the sink received is incomplete and is to be thrown away.
pub fn emit_forms_into(
    program: &Program,
    params: &BTreeMap<String, String>,
    forms: Forms,
    sink: &mut dyn Sink,
) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let param_values = crate::resolve::render::param_values(program, params);
    let mut clashes = Vec::new();
    let mut writer = Writer {
        out: Out::Sink {
            sink,
            origin: BTreeMap::new(),
            errors: &mut clashes,
        },
    };
    // Each form is rendered from the program alone. On a large program (and a second core)
    // the templates are made on another thread while the CLI's inputs are written; they reach
    // the sink after them, in the order they were made, as on one thread.
    let large = program.projects.len() + program.pipelines.len() > LARGE_EMIT;
    if forms == Forms::All && crate::parallel::two_threads(large) {
        let ((), (templates, template_errors)) = crate::parallel::join(
            true,
            || cli_outputs(program, &param_values, &mut writer, &mut errors),
            || {
                let (mut deferred, mut errors) = (Writer::deferred(), Vec::new());
                cloudformation_outputs(program, &param_values, &mut deferred, &mut errors);
                (deferred.into_made(), errors)
            },
        );
        errors.extend(template_errors);
        for (path, contents, loc) in templates {
            writer.add(path, contents, &loc);
        }
    } else {
        if forms.cli() {
            cli_outputs(program, &param_values, &mut writer, &mut errors);
        }
        if forms.cloudformation() {
            cloudformation_outputs(program, &param_values, &mut writer, &mut errors);
        }
    }
    drop(writer);
    errors.append(&mut clashes);
    if errors.is_empty() {
        Ok(())
    } else {
        // A value of a stage template is rendered once per stage made from it: one error.
        for error in &mut errors {
            error.strip_instances();
        }
        crate::diagnostics::sort(&mut errors);
        errors.dedup();
        Err(errors)
    }
}

/// Programs with more projects and pipelines than this render their two forms on two threads.
const LARGE_EMIT: usize = 16;

/// The AWS CLI's inputs: roles first (projects and pipelines refer to them by ARN), then the
/// projects, the pipelines and what they share.
fn cli_outputs(program: &Program, param_values: &[Option<String>], writer: &mut Writer, errors: &mut Vec<Diagnostic>) {
    let mut env = Env::new(program, param_values, Target::Literal, errors);
    judge_rendered(&mut env);

    // Roles first: projects and pipelines refer to them by ARN. A declared role that an
    // action runs in is written once the pipeline roles that assume it are known.
    let mut declared = Vec::new();
    let mut declared_arns = Vec::new();
    for (index, role) in program.roles.iter().enumerate() {
        let out = match &role.arn {
            Some(arn) => {
                declared_arns.push(env.text(arn));
                iam::existing(&mut env, index, None)
            }
            None => {
                let out = iam::declared(&mut env, role);
                declared_arns.push(format!(
                    "arn:aws:iam::{}:role/{}",
                    env.account(&role.header.loc),
                    out.name
                ));
                out
            }
        };
        declared.push(out);
    }
    let mut project_role_arns = Vec::new();
    for (index, project) in program.projects.iter().enumerate() {
        let arn = match &project.role {
            Some(role) => declared_arns.get(role.value).cloned().unwrap_or_default(),
            None => {
                let out = iam::for_project(&mut env, index);
                add_role(writer, "iam", &out, &project.header.loc);
                format!("arn:aws:iam::{}:role/{}", env.account(&project.header.loc), out.name)
            }
        };
        project_role_arns.push(arn);
    }
    let mut project_names = Vec::new();
    for (index, project) in program.projects.iter().enumerate() {
        let name = project.name.as_ref().map(|n| env.text(n)).unwrap_or_default();
        let file = sanitize(&name);
        // A buildspec kept in the repository is read there by CodeBuild: its path is the
        // project's buildspec, and no file is written for it.
        let buildspec = match (&project.buildspec, &project.buildspec_s3) {
            (Some(kept), _) => kept.path.value.clone(),
            // One kept in S3 is named by its object's ARN.
            (None, Some(object)) => env.s3_object_arn(object),
            (None, None) => {
                let yaml = buildspec::to_yaml(&buildspec::buildspec(&mut env, project));
                writer.add(format!("buildspec/{file}.yml"), yaml.clone(), &project.header.loc);
                yaml
            }
        };
        let definition = definitions::codebuild_project(&mut env, index, &project_role_arns[index], &buildspec);
        writer.add(
            format!("codebuild/{file}.json"),
            json_text(&definition),
            &project.header.loc,
        );
        for (rule, notification) in notifications::rules(&mut env, notifications::Watched::Project(index)) {
            let input = notifications::cli_rule(&mut env, notifications::Watched::Project(index), &rule, notification);
            writer.add(
                format!("notifications/{}.json", sanitize(&rule)),
                json_text(&input),
                &notification.loc,
            );
        }
        if let Some(webhook) = definitions::codebuild_webhook(&mut env, index) {
            writer.add(
                format!("codebuild/{file}.webhook.json"),
                json_text(&webhook),
                &project.header.loc,
            );
        }
        if let Some(schedule) = project.schedule.as_ref().filter(|_| !program.runs_project(index)) {
            add_project_schedule(&mut env, writer, index, &name, schedule);
        }
        project_names.push(name);
    }
    let mut pipeline_role_arns = Vec::new();
    // The other accounts each artifact bucket is shared with, and where the first is named.
    let mut bucket_accounts: BTreeMap<String, (Loc, BTreeSet<String>)> = BTreeMap::new();
    for (index, pipeline) in program.pipelines.iter().enumerate() {
        let role_arn = match &pipeline.role {
            Some(role) => declared_arns.get(role.value).cloned().unwrap_or_default(),
            None => {
                let out = iam::for_pipeline(&mut env, index);
                add_role(writer, "iam", &out, &pipeline.header.loc);
                format!("arn:aws:iam::{}:role/{}", env.account(&pipeline.header.loc), out.name)
            }
        };
        let name = pipeline.name.as_ref().map(|n| env.text(n)).unwrap_or_default();
        // Actions in other accounts read and write the artifacts of their stores: each
        // bucket's owner puts its policy on it (`aws s3api put-bucket-policy`), once for all
        // the pipelines that share it.
        for (store, accounts) in definitions::other_accounts(&mut env, pipeline) {
            let bucket = match store.and_then(|s| pipeline.artifact_stores[s].bucket.as_ref()) {
                Some(bucket) => env.text(bucket),
                None => env.artifact_bucket(index),
            };
            let (_, shared) = bucket_accounts
                .entry(bucket)
                .or_insert_with(|| (pipeline.header.loc.clone(), BTreeSet::new()));
            shared.extend(accounts);
        }
        let definition = definitions::codepipeline(&mut env, index, &role_arn, &project_names, &declared_arns);
        writer.add(
            format!("codepipeline/{}.json", sanitize(&name)),
            json_text(&definition),
            &pipeline.header.loc,
        );
        add_triggers(&mut env, writer, index, &name);
        for (rule, notification) in notifications::rules(&mut env, notifications::Watched::Pipeline(index)) {
            let input = notifications::cli_rule(&mut env, notifications::Watched::Pipeline(index), &rule, notification);
            writer.add(
                format!("notifications/{}.json", sanitize(&rule)),
                json_text(&input),
                &notification.loc,
            );
        }
        pipeline_role_arns.push(role_arn);
    }
    for (bucket, (loc, accounts)) in bucket_accounts {
        let accounts: Vec<String> = accounts.into_iter().collect();
        let objects = Value::String(format!("arn:aws:s3:::{bucket}/*"));
        if let Some(policy) = definitions::artifact_bucket_policy(&mut env, &accounts, objects) {
            writer.add(
                format!("s3/{}.policy.json", sanitize(&bucket)),
                json_text(&policy),
                &loc,
            );
        }
    }
    for ((role, mut out), users) in program.roles.iter().zip(declared).zip(iam::action_role_users(program)) {
        out.role_principals = users
            .iter()
            .map(|&p| Value::String(pipeline_role_arns[p].clone()))
            .collect();
        // An existing role is its account's to change: what it needs is written in a folder
        // of that account, for the account's owner (roles of one name in two accounts are
        // two roles).
        let folder = match &role.arn {
            Some(arn) => {
                let arn = env.text(arn);
                let account = arn.split(':').nth(4).filter(|a| !a.is_empty()).unwrap_or("unknown");
                format!("iam/existing/{}", sanitize(account))
            }
            None => "iam".to_string(),
        };
        add_role(writer, &folder, &out, &role.header.loc);
    }
}

/// The CloudFormation templates: one per pipeline (with one per other account whose existing
/// roles its actions run in), and one per project no pipeline runs.
fn cloudformation_outputs(
    program: &Program,
    param_values: &[Option<String>],
    writer: &mut Writer,
    errors: &mut Vec<Diagnostic>,
) {
    let action_role_users = iam::action_role_users(program);
    for (index, pipeline) in program.pipelines.iter().enumerate() {
        let mut env = Env::new(program, param_values, Target::CloudFormation, errors);
        let template = cloudformation::template(&mut env, index, &action_role_users);
        let name = pipeline
            .name
            .as_ref()
            .and_then(Text::literal)
            .unwrap_or(std::borrow::Cow::Borrowed(&pipeline.header.name));
        writer.add(
            format!("cloudformation/{}.json", sanitize(&name)),
            json_text(&template),
            &pipeline.header.loc,
        );
        // The existing roles its actions run in get what they need from a stack of their own
        // account.
        let mut existing: Vec<usize> = pipeline
            .stages
            .iter()
            .flat_map(|s| &s.actions)
            .filter_map(|a| a.role.as_ref().map(|r| r.value))
            .filter(|&r| program.roles[r].arn.is_some())
            .collect();
        existing.sort();
        existing.dedup();
        for role in existing {
            let mut env = Env::new(program, param_values, Target::CloudFormation, errors);
            let template = cloudformation::existing_role_template(&mut env, index, role);
            writer.add(
                format!(
                    "cloudformation/{}-{}.json",
                    sanitize(&name),
                    sanitize(&program.roles[role].header.name)
                ),
                json_text(&template),
                &program.roles[role].header.loc,
            );
        }
    }
    // A project no pipeline runs has a template of its own.
    let standalone = (0..program.projects.len()).filter(|&p| !program.runs_project(p));
    for index in standalone {
        let mut env = Env::new(program, param_values, Target::CloudFormation, errors);
        let template = cloudformation::project_template(&mut env, index);
        let project = &program.projects[index];
        let name = project
            .name
            .as_ref()
            .and_then(Text::literal)
            .unwrap_or(std::borrow::Cow::Borrowed(&project.header.name));
        writer.add(
            format!("cloudformation/project-{}.json", sanitize(&name)),
            json_text(&template),
            &project.header.loc,
        );
    }
}

/// The EventBridge rules that start pipeline `index` (`aws events put-rule` and `put-targets`
/// input), and the role they start it with.
fn add_triggers(env: &mut Env, writer: &mut Writer, index: usize, name: &str) {
    let triggers = events::triggers(env, index);
    if triggers.is_empty() {
        return;
    }
    let loc = &env.program.pipelines[index].header.loc;
    let (region, account) = (env.region(loc), env.account(loc));
    let pipeline_arn = format!("arn:aws:codepipeline:{region}:{account}:{name}");
    let role = iam::RoleOut {
        name: format!("{name}-events"),
        item: env.program.pipelines[index].header.name.clone(),
        principals: vec!["events.amazonaws.com".into()],
        role_principals: Vec::new(),
        statements: vec![events::start_statement(Value::String(pipeline_arn.clone()))],
        declared: false,
    };
    add_role(writer, "iam", &role, loc);
    let role_arn = format!("arn:aws:iam::{account}:role/{}", role.name);
    for trigger in triggers {
        // EventBridge rule names: at most 64 of `[.-_A-Za-z0-9]`.
        let rule: String = sanitize(&format!("{name}-{}", trigger.suffix))
            .chars()
            .take(64)
            .collect();
        let mut put_rule = serde_json::json!({
            "Name": rule,
            "Description": format!("Starts pipeline {name} {}", trigger.description),
            "State": "ENABLED",
        });
        match &trigger.start {
            events::Start::Pattern(pattern) => {
                put_rule["EventPattern"] = Value::String(serde_json::to_string(pattern).unwrap_or_default())
            }
            events::Start::Schedule(expression) => put_rule["ScheduleExpression"] = expression.clone(),
        }
        let put_targets = serde_json::json!({
            "Rule": rule,
            "Targets": [{ "Id": "codepipeline", "Arn": pipeline_arn, "RoleArn": role_arn }],
        });
        writer.add(format!("events/{rule}.rule.json"), json_text(&put_rule), trigger.loc);
        writer.add(
            format!("events/{rule}.targets.json"),
            json_text(&put_targets),
            trigger.loc,
        );
    }
}

/// Containers and images that parameters give, judged once their values are known, as
/// `check` judges written ones: each image's container is one of its service's, and neither
/// would break `imagedefinitions.json`.
fn judge_containers(env: &mut Env) {
    use crate::resolve::containers::{breaks_json, not_a_container};
    let program = env.program;
    for (_, service, images) in program.image_definitions() {
        let runs: Vec<String> = service.containers.iter().map(|c| env.text(c)).collect();
        // Where the service's containers and the names are all written out, `check` judged.
        let judged = images
            .iter()
            .filter_map(|i| i.container.as_ref())
            .chain(&service.containers)
            .all(|t| t.literal().is_some());
        for image in images {
            // The name written into the JSON: the image's, or the service's only container.
            let texts = service
                .container_of(image)
                .map(|c| (c, "container name"))
                .into_iter()
                .chain([(&image.image, "image")]);
            for (text, what) in texts.filter(|(t, _)| t.literal().is_none()) {
                let rendered = env.text(text);
                env.errors.extend(breaks_json(&rendered, what, &text.loc));
            }
            if let Some(container) = image.container.as_ref().filter(|_| !judged) {
                let rendered = env.text(container);
                env.errors
                    .extend(not_a_container(service, &rendered, &runs, &container.loc, false));
            }
        }
    }
}

/// Values `check` could not judge because a `param` gives part of them, judged once rendered:
/// KMS keys (E0333), existing roles' ARNs (E0207), and the customer managed key an action in
/// another account needs (E0335).
fn judge_rendered(env: &mut Env) {
    let program = env.program;
    judge_containers(env);
    let mut keys: Vec<(&Text, &str)> = Vec::new();
    for pipeline in &program.pipelines {
        keys.extend(pipeline.artifact_key.iter().map(|k| (k, "the artifact key")));
        keys.extend(
            pipeline
                .artifact_stores
                .iter()
                .filter_map(|s| s.key.as_ref())
                .map(|k| (k, "the store's key")),
        );
    }
    keys.extend(
        program
            .projects
            .iter()
            .filter_map(|p| p.encryption_key.as_ref())
            .map(|k| (k, "the project's encryption key")),
    );
    for (key, what) in keys {
        if key.literal().is_some() {
            continue; // judged by `check`
        }
        let rendered = env.text(key);
        if let Some(problem) = crate::resolve::lower::kms_key_problem(&rendered) {
            env.errors.push(Diagnostic::new(
                Code::KmsKey,
                format!("{what} is `{rendered}`, not a KMS key ARN, arn:aws:kms:REGION:ACCOUNT:key/ID"),
                key.loc.file,
                key.loc.span.clone(),
                problem,
            ));
        }
    }
    for role in &program.roles {
        let Some(arn) = role.arn.as_ref().filter(|a| a.literal().is_none()) else {
            continue;
        };
        let rendered = env.text(arn);
        if !crate::resolve::lower::role_arn_valid(&rendered) {
            env.errors.push(Diagnostic::new(
                Code::WrongType,
                format!(
                    "role `{}` has the ARN `{rendered}`, not an IAM role ARN, arn:aws:iam::ACCOUNT:role/NAME",
                    role.header.name
                ),
                arn.loc.file,
                arn.loc.span.clone(),
                "not a role ARN",
            ));
        }
    }
    for pipeline in &program.pipelines {
        for (store, accounts) in definitions::other_accounts(env, pipeline) {
            let (key, at) = match store {
                Some(s) => (
                    pipeline.artifact_stores[s].key.as_ref(),
                    &pipeline.artifact_stores[s].loc,
                ),
                None => (pipeline.artifact_key.as_ref(), &pipeline.header.loc),
            };
            if key.is_some() || accounts.is_empty() {
                continue;
            }
            env.errors.push(
                Diagnostic::new(
                    Code::CrossAccount,
                    format!(
                        "actions of pipeline `{}` run in roles of account {}, which cannot read artifacts encrypted with the AWS managed key",
                        pipeline.header.name,
                        accounts.join(", ")
                    ),
                    at.file,
                    at.span.clone(),
                    "no customer managed key",
                )
                .with_help("give the store a customer managed KMS key (`artifact_key`, or `key` in an `artifact_store`) whose key policy lets those accounts use it"),
            );
        }
    }
}

/// The EventBridge rule that starts project `index` on its schedule (`aws events put-rule` and
/// `put-targets` input), and the role it starts the build with.
fn add_project_schedule(env: &mut Env, writer: &mut Writer, index: usize, name: &str, schedule: &Text) {
    let loc = &env.program.projects[index].header.loc;
    let (region, account) = (env.region(loc), env.account(loc));
    let project_arn = format!("arn:aws:codebuild:{region}:{account}:project/{name}");
    let role = iam::RoleOut {
        name: format!("{name}-events"),
        item: env.program.projects[index].header.name.clone(),
        principals: vec!["events.amazonaws.com".into()],
        role_principals: Vec::new(),
        statements: vec![events::start_build_statement(Value::String(project_arn.clone()))],
        declared: false,
    };
    add_role(writer, "iam", &role, loc);
    let role_arn = format!("arn:aws:iam::{account}:role/{}", role.name);
    let rule: String = sanitize(&format!("{name}-schedule")).chars().take(64).collect();
    let put_rule = serde_json::json!({
        "Name": rule,
        "Description": format!("Starts project {name} on its schedule"),
        "State": "ENABLED",
        "ScheduleExpression": env.value(schedule),
    });
    let put_targets = serde_json::json!({
        "Rule": rule,
        "Targets": [{ "Id": "codebuild", "Arn": project_arn, "RoleArn": role_arn }],
    });
    writer.add(format!("events/{rule}.rule.json"), json_text(&put_rule), &schedule.loc);
    writer.add(
        format!("events/{rule}.targets.json"),
        json_text(&put_targets),
        &schedule.loc,
    );
}

fn add_role(writer: &mut Writer, folder: &str, role: &iam::RoleOut, loc: &Loc) {
    let file = sanitize(&role.name);
    writer.add(
        format!("{folder}/{file}.trust.json"),
        json_text(&iam::trust_document(role)),
        loc,
    );
    writer.add(format!("{folder}/{file}.policy.json"), iam::policy_text(role), loc);
}

/// Each project's buildspec as a JSON value (keyed by project name): what the YAML file is
/// meant to say, for checking it with an independent YAML parser.
pub fn buildspec_values(program: &Program, params: &BTreeMap<String, String>) -> BTreeMap<String, Value> {
    let mut errors = Vec::new();
    let mut env = Env::new(
        program,
        crate::resolve::render::param_values(program, params),
        Target::Literal,
        &mut errors,
    );
    let mut out = BTreeMap::new();
    for project in program
        .projects
        .iter()
        .filter(|p| p.buildspec.is_none() && p.buildspec_s3.is_none())
    {
        let name = project.name.as_ref().map(|n| env.text(n)).unwrap_or_default();
        let spec = buildspec::buildspec(&mut env, project);
        out.insert(name, serde_json::to_value(&spec).unwrap_or(Value::Null));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{emit_forms, Forms};
    use crate::diagnostics::SourceMap;

    #[test]
    fn a_large_program_renders_the_same_on_two_threads_as_each_form_alone() {
        let text = crate::generate::generate(3_000);
        let copies = text.matches("pipeline backend_fargate_").count();
        let mut sources = SourceMap::new();
        let file = sources.add("large.cruddur", text);
        let analysis = crate::analyze(&sources, &[file]);
        let program = &analysis.program;
        assert!(program.projects.len() + program.pipelines.len() > super::LARGE_EMIT);
        let mut params: std::collections::BTreeMap<String, String> =
            [("account_id_0".to_string(), "123456789012".to_string())].into();
        // The first copy's connection is left without a value: an error from the CLI form.
        for copy in 1..copies {
            params.insert(
                format!("connection_arn_{copy}"),
                format!(
                    "arn:aws:codeconnections:us-east-1:123456789012:connection/{copy:08}-0000-4000-8000-000000000000"
                ),
            );
        }
        let errors = emit_forms(program, &params, Forms::All).expect_err("a parameter without a value");
        let alone: Vec<_> = [Forms::Cli, Forms::CloudFormation]
            .into_iter()
            .flat_map(|forms| emit_forms(program, &params, forms).err().unwrap_or_default())
            .collect();
        assert_eq!(errors, alone);

        params.insert(
            "connection_arn_0".into(),
            "arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-4000-8000-000000000000".into(),
        );
        let both = emit_forms(program, &params, Forms::All).expect("every value given");
        let mut each = emit_forms(program, &params, Forms::Cli).expect("every value given");
        let templates = emit_forms(program, &params, Forms::CloudFormation).expect("every value given");
        assert!(templates.keys().all(|path| path.starts_with("cloudformation/")));
        each.extend(templates);
        assert_eq!(both, each);

        // Two pipelines of one AWS name: an output clash in each form, at the same place. The
        // CLI's is reported first, as on one thread.
        let clashing =
            crate::generate::generate(3_000).replace("cruddur-backend_2-fargate", "cruddur-backend_1-fargate");
        let mut sources = SourceMap::new();
        let file = sources.add("clash.cruddur", clashing);
        let analysis = crate::analyze(&sources, &[file]);
        let errors = emit_forms(&analysis.program, &params, Forms::All).expect_err("a clash");
        let mut alone: Vec<_> = [Forms::Cli, Forms::CloudFormation]
            .into_iter()
            .flat_map(|forms| emit_forms(&analysis.program, &params, forms).err().unwrap_or_default())
            .collect();
        // One list, in the order of the places they are about, as `emit_forms` gives them.
        crate::diagnostics::sort(&mut alone);
        assert!(
            errors.iter().any(|e| e.message.contains("`cloudformation/")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.message.contains("`codepipeline/")),
            "{errors:?}"
        );
        assert_eq!(errors, alone);
    }

    /// `digest = true` writes each image by the digest of its own repository, read from the
    /// image store after the push; with none there, the build fails instead of deploying by tag.
    /// The commands run under `sh`, with a `docker` that prints the digests a push leaves.
    #[test]
    fn image_definitions_by_digest_take_the_repository_s_digest_or_fail() {
        use std::process::Command;
        let example = include_str!("../../../examples/02-cruddur-backend-fargate.cruddur");
        let written = r#"output image_definitions(backend, image = "$IMAGE_URI")"#;
        assert!(example.contains(written), "the example changed");
        let text = example.replace(
            written,
            r#"output image_definitions(backend, image = "$IMAGE_URI", digest = true)"#,
        );
        let mut sources = SourceMap::new();
        let file = sources.add("digest.cruddur", text);
        let analysis = crate::analyze(&sources, &[file]);
        assert!(
            analysis.diagnostics.iter().all(|d| !d.is_error()),
            "{:?}",
            analysis.diagnostics
        );
        let params = [
            ("account_id".to_string(), "123456789012".to_string()),
            (
                "connection_arn".to_string(),
                "arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-4000-8000-000000000000"
                    .to_string(),
            ),
        ]
        .into();
        let files = emit_forms(&analysis.program, &params, Forms::Cli).expect("every value given");
        let yaml = &files["buildspec/cruddur-backend-flask-bake-image.yml"];
        let spec: serde_json::Value = serde_saphyr::from_str(yaml).expect("YAML");
        let post_build: Vec<&str> = spec["phases"]["post_build"]["commands"]
            .as_array()
            .expect("post_build commands")
            .iter()
            .filter_map(|c| c.as_str())
            .filter(|c| !c.starts_with("docker push"))
            .collect();
        let scratch = std::env::temp_dir().join(format!("cruddur-digest-{}", std::process::id()));
        std::fs::create_dir_all(scratch.join("bin")).unwrap();
        let run = |digests: &[&str]| {
            let docker = scratch.join("bin/docker");
            let lines: String = digests.iter().map(|d| format!("echo '{d}'\n")).collect();
            std::fs::write(&docker, format!("#!/bin/sh\n{lines}")).unwrap();
            Command::new("chmod").arg("+x").arg(&docker).status().unwrap();
            let _ = std::fs::remove_file(scratch.join("imagedefinitions.json"));
            // As CodeBuild runs a phase: in one shell, stopping at the first command that fails.
            let script = format!(
                "IMAGE_URI=123456789012.dkr.ecr.us-east-1.amazonaws.com/backend-flask:abc123\n{}",
                post_build
                    .iter()
                    .map(|c| format!("{c} || exit 1\n"))
                    .collect::<String>()
            );
            let status = Command::new("sh")
                .arg("-c")
                .arg(script)
                .env("PATH", format!("{}:/usr/bin:/bin", scratch.join("bin").display()))
                .env("CODEBUILD_SRC_DIR", &scratch)
                .status()
                .unwrap();
            (
                status.success(),
                std::fs::read_to_string(scratch.join("imagedefinitions.json")).ok(),
            )
        };
        let (ok, written) = run(&[
            "999999999999.dkr.ecr.us-east-1.amazonaws.com/backend-flask-mirror@sha256:aaaa",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/backend-flask@sha256:bbbb",
        ]);
        assert!(ok);
        assert_eq!(
            written.as_deref(),
            Some(
                r#"[{"name":"backend-flask","imageUri":"123456789012.dkr.ecr.us-east-1.amazonaws.com/backend-flask@sha256:bbbb"}]"#
            )
        );
        let (ok, written) = run(&["999999999999.dkr.ecr.us-east-1.amazonaws.com/backend-flask@sha256:aaaa"]);
        assert!(!ok, "a build without the repository's digest must fail");
        assert_eq!(written, None);
        std::fs::remove_dir_all(&scratch).unwrap();
    }
}

//! EventBridge rules that start a pipeline on a change CodePipeline does not watch itself: an
//! image pushed to an `ecr` source's repository (an ECR source never polls), a commit to a
//! `codecommit` source's branch (unless `poll = true`), and a new object in an `s3_source`
//! bucket when `poll = false` (the bucket must send its events to EventBridge). Each rule targets the pipeline through a role EventBridge assumes, allowed
//! `codepipeline:StartPipelineExecution` on that pipeline only.
//!
//! Sources: "Create an EventBridge rule for a CodeCommit source (CLI)",
//! https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-trigger-source-repo-changes-cli.html;
//! "Create an EventBridge rule for an Amazon ECR source (CLI)",
//! https://docs.aws.amazon.com/codepipeline/latest/userguide/create-cwe-ecr-source-cli.html;
//! "Connecting to Amazon S3 source actions with a source enabled for events",
//! https://docs.aws.amazon.com/codepipeline/latest/userguide/create-S3-source-events.html.

use crate::resolve::model::*;
use crate::resolve::render::Env;
use serde_json::{json, Value};

/// A rule that starts the pipeline: a source's event pattern, or the pipeline's schedule.
pub struct Trigger<'a> {
    /// What the rule's name ends with: the source action's label, or `schedule`.
    pub suffix: &'a str,
    pub loc: &'a Loc,
    pub description: String,
    /// `EventPattern` (a JSON value) or `ScheduleExpression` (text).
    pub start: Start,
}

pub enum Start {
    Pattern(Value),
    Schedule(Value),
}

/// The rules pipeline `index` needs, in the order its actions are written. Values are
/// rendered for `env`'s target (literals, or `Fn::Sub` for CloudFormation).
pub fn triggers<'a>(env: &mut Env<'a>, index: usize) -> Vec<Trigger<'a>> {
    let program = env.program;
    let mut out = Vec::new();
    for action in program.pipelines[index].stages.iter().flat_map(|s| &s.actions) {
        let setting = |env: &mut Env, key: &str| match action.config(key).map(|c| &c.value) {
            Some(ConfigValue::Text(text)) => Some(env.value(text)),
            _ => None,
        };
        let pattern = match &action.provider.value {
            Provider::EcrSource { repository } => {
                let name = env.field(
                    ItemId {
                        kind: Kind::Repository,
                        index: *repository,
                    },
                    Field::Name,
                    &action.provider.loc,
                );
                let name = env.wrap(name);
                // The action's ImageTag defaults to `latest`.
                let tag = setting(env, "tag").unwrap_or_else(|| json!("latest"));
                json!({
                    "source": ["aws.ecr"],
                    "detail-type": ["ECR Image Action"],
                    "detail": {
                        "action-type": ["PUSH"],
                        "result": ["SUCCESS"],
                        "repository-name": [name],
                        "image-tag": [tag],
                    },
                })
            }
            Provider::CodeCommitSource if poll(action) != Some(true) => {
                let (Some(repository), Some(branch)) = (action.config_text("repository"), action.config_text("branch"))
                else {
                    continue;
                };
                let loc = &action.provider.loc;
                let arn = format!(
                    "arn:aws:codecommit:{}:{}:{}",
                    env.region(loc),
                    env.account(loc),
                    env.text(repository)
                );
                json!({
                    "source": ["aws.codecommit"],
                    "detail-type": ["CodeCommit Repository State Change"],
                    "resources": [env.wrap(arn)],
                    "detail": {
                        "event": ["referenceCreated", "referenceUpdated"],
                        "referenceType": ["branch"],
                        "referenceName": [env.value(branch)],
                    },
                })
            }
            Provider::S3Source if poll(action) == Some(false) => {
                let (Some(bucket), Some(key)) = (setting(env, "bucket"), setting(env, "key")) else {
                    continue;
                };
                json!({
                    "source": ["aws.s3"],
                    "detail-type": ["Object Created"],
                    "detail": {
                        "bucket": { "name": [bucket] },
                        "object": { "key": [key] },
                    },
                })
            }
            _ => continue,
        };
        out.push(Trigger {
            suffix: &action.label.value,
            loc: &action.label.loc,
            description: format!("when source {} changes", action.label.value),
            start: Start::Pattern(pattern),
        });
    }
    let pipeline = &program.pipelines[index];
    if let Some(schedule) = &pipeline.schedule {
        out.push(Trigger {
            suffix: "schedule",
            loc: &schedule.loc,
            description: "on its schedule".to_string(),
            start: Start::Schedule(env.value(schedule)),
        });
    }
    out
}

/// The source's `poll` setting, when written.
pub fn poll(action: &Action) -> Option<bool> {
    match action.config("poll").map(|c| &c.value) {
        Some(ConfigValue::Bool(poll)) => Some(*poll),
        Some(ConfigValue::Text(text)) => text.literal().map(|t| t.eq_ignore_ascii_case("true")),
        _ => None,
    }
}

/// The policy statement of the role a pipeline's rules start it with.
pub fn start_statement(pipeline_arn: Value) -> Value {
    json!({
        "Effect": "Allow",
        "Action": ["codepipeline:StartPipelineExecution"],
        "Resource": [pipeline_arn],
    })
}

/// The policy statement of the role a project's schedule starts it with.
pub fn start_build_statement(project_arn: Value) -> Value {
    json!({
        "Effect": "Allow",
        "Action": ["codebuild:StartBuild"],
        "Resource": [project_arn],
    })
}

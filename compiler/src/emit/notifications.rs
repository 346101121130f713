//! CodeStar notification rules (`notify NAME { topic, events }` in a project or a pipeline):
//! the resource's events sent to an SNS topic, as `aws codestar-notifications
//! create-notification-rule` takes them and as an `AWS::CodeStarNotifications::NotificationRule`.
//! Source: https://docs.aws.amazon.com/dtconsole/latest/userguide/concepts.html and the
//! service's API (`CreateNotificationRule`: Name, EventTypeIds, Resource, Targets, DetailType).

use crate::resolve::model::*;
use crate::resolve::render::Env;
use serde_json::{json, Value};

/// What a rule watches.
#[derive(Clone, Copy)]
pub enum Watched {
    Project(usize),
    Pipeline(usize),
}

/// The rules of a project or a pipeline, each with its name (`<resource-name>-<label>`).
pub fn rules<'a>(env: &mut Env<'a>, watched: Watched) -> Vec<(String, &'a Notification)> {
    let program = env.program;
    let (notifications, name, header) = match watched {
        Watched::Project(i) => {
            let p = &program.projects[i];
            (&p.notifications, &p.name, &p.header)
        }
        Watched::Pipeline(i) => {
            let p = &program.pipelines[i];
            (&p.notifications, &p.name, &p.header)
        }
    };
    let base = name
        .as_ref()
        .map(|n| env.text(n))
        .unwrap_or_else(|| header.name.clone());
    notifications
        .iter()
        .map(|n| (format!("{base}-{}", n.label.value), n))
        .collect()
}

/// The `create-notification-rule` input of one rule.
pub fn cli_rule(env: &mut Env, watched: Watched, name: &str, notification: &Notification) -> Value {
    let loc = &notification.loc;
    let (region, account) = (env.region(loc), env.account(loc));
    let program = env.program;
    let resource = match watched {
        Watched::Project(i) => {
            let project = &program.projects[i];
            let name = project.name.as_ref().map(|n| env.text(n)).unwrap_or_default();
            format!("arn:aws:codebuild:{region}:{account}:project/{name}")
        }
        Watched::Pipeline(i) => {
            let pipeline = &program.pipelines[i];
            let name = pipeline.name.as_ref().map(|n| env.text(n)).unwrap_or_default();
            format!("arn:aws:codepipeline:{region}:{account}:{name}")
        }
    };
    let topic = notification.topic.as_ref().map(|t| env.text(t)).unwrap_or_default();
    json!({
        "Name": name,
        "EventTypeIds": events(notification),
        "Resource": resource,
        "Targets": [{ "TargetType": "SNS", "TargetAddress": topic }],
        "DetailType": "FULL",
    })
}

/// The CloudFormation resource of one rule; `resource` is the watched resource's ARN.
pub fn cfn_rule(env: &mut Env, name: &str, resource: Value, notification: &Notification) -> Value {
    let topic = notification.topic.as_ref().map(|t| env.value(t)).unwrap_or(Value::Null);
    let name = env.wrap(name.to_string());
    json!({
        "Type": "AWS::CodeStarNotifications::NotificationRule",
        "Properties": {
            "Name": name,
            "EventTypeIds": events(notification),
            "Resource": resource,
            "Targets": [{ "TargetType": "SNS", "TargetAddress": topic }],
            "DetailType": "FULL",
        },
    })
}

/// The event type ids, each once, in the order written.
fn events(notification: &Notification) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for event in &notification.events {
        if !out.contains(&event.value) {
            out.push(event.value);
        }
    }
    out
}

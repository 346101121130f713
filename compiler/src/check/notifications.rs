//! Notification rules (`notify NAME { … }`): CodeStar Notifications sends to an SNS topic "in
//! your AWS account … in the same AWS Region as the notification rule and the AWS resource"
//! (https://docs.aws.amazon.com/dtconsole/latest/userguide/set-up-sns.html), and a rule's name
//! is 1 to 64 of `[A-Za-z0-9-_ ]` (botocore's `NotificationRuleName`).

use crate::data;
use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::model::*;

pub fn check(program: &Program, out: &mut Vec<Diagnostic>) {
    let projects = program
        .projects
        .iter()
        .map(|p| (&p.notifications, p.name.as_ref(), &p.header, "project"));
    let pipelines = program
        .pipelines
        .iter()
        .map(|p| (&p.notifications, p.name.as_ref(), &p.header, "pipeline"));
    let aws = program.aws.as_ref();
    let region = aws.and_then(|a| a.region.as_ref()).and_then(Text::literal);
    let account = aws.and_then(|a| a.account.as_ref()).and_then(Text::literal);
    for (notifications, name, header, kind) in projects.chain(pipelines) {
        for notification in notifications {
            if let Some(base) = name.and_then(Text::literal) {
                let rule = format!("{base}-{}", notification.label.value);
                if let Err(problem) = data::check_name("notification_rule_name", &rule) {
                    out.push(
                        Diagnostic::new(
                            Code::InvalidAwsName,
                            format!("`{rule}` is not a notification rule name: {problem}"),
                            notification.label.loc.file,
                            notification.label.loc.span.clone(),
                            "the rule is named <resource-name>-<this>",
                        )
                        .with_secondary(
                            header.loc.file,
                            header.loc.span.clone(),
                            "the resource",
                        ),
                    );
                }
            }
            let Some(topic) = &notification.topic else { continue };
            let Some(arn) = resolved(topic, region.as_deref(), account.as_deref()) else {
                continue;
            };
            let parts: Vec<&str> = arn.split(':').collect();
            let is_topic = parts.len() == 6 && parts[0] == "arn" && parts[2] == "sns" && !parts[5].is_empty();
            let problem = if !is_topic {
                Some(format!(
                    "`{arn}` is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)"
                ))
            } else if region.as_deref().is_some_and(|r| r != parts[3]) {
                Some(format!(
                    "the topic is in {}, the {} in {}: notifications reach topics in the resource's Region only",
                    parts[3],
                    kind,
                    region.as_deref().unwrap_or_default()
                ))
            } else if account.as_deref().is_some_and(|a| a != parts[4]) {
                Some(format!(
                    "the topic is in account {}, the {} in {}: notifications reach topics in the resource's account only",
                    parts[4],
                    kind,
                    account.as_deref().unwrap_or_default()
                ))
            } else {
                None
            };
            if let Some(message) = problem {
                out.push(
                    Diagnostic::new(
                        Code::NotificationTopic,
                        message,
                        topic.loc.file,
                        topic.loc.span.clone(),
                        "CodeStar Notifications cannot send here",
                    )
                    .with_note(
                        "the topic's policy must also let codestar-notifications.amazonaws.com call SNS:Publish",
                    ),
                );
            }
        }
    }
}

/// The text with `${{ aws.region }}` and `${{ aws.account }}` filled in when the program
/// writes them; `None` when another value is only known later.
fn resolved(text: &Text, region: Option<&str>, account: Option<&str>) -> Option<String> {
    let mut out = String::new();
    for piece in &text.pieces {
        match piece {
            Piece::Lit(lit) => out.push_str(lit),
            Piece::Aws {
                field: Field::Region, ..
            } => out.push_str(region?),
            Piece::Aws {
                field: Field::Account, ..
            } => out.push_str(account?),
            _ => return None,
        }
    }
    Some(out)
}

//! Pipeline triggers: the filters of a connection source (`on push { … }`,
//! `on pull_request { … }`) that CodePipeline accepts. Sources: "Add trigger with code push or
//! pull request event types" (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-filter.html)
//! and its table of filter types (pipelines-triggers.html: a push filter is on Git tags, on
//! branches, or on branches and file paths; a pull request filter on branches, or branches and
//! file paths); the API's `PipelineTriggerDeclaration` ("only supported for the
//! CodeStarSourceConnection action type") and botocore's model (1 to 3 filters of each kind,
//! 1 to 8 patterns in a list, each 1 to 255 characters); the service's
//! InvalidStructureException for tags and branches in one push filter.

use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::model::*;
use crate::vocabulary::{Enumerated, TriggerKind};

const MAX_FILTERS: usize = 3;
const MAX_PATTERNS: usize = 8;
const MAX_PATTERN_LENGTH: usize = 255;

pub fn check(program: &Program, out: &mut Vec<Diagnostic>) {
    for action in program
        .pipelines
        .iter()
        .flat_map(|p| &p.stages)
        .flat_map(|s| &s.actions)
    {
        let Some(first) = action.triggers.first() else { continue };
        if !matches!(action.provider.value, Provider::ConnectionSource { .. }) {
            out.push(
                rejected(
                    &first.kind.loc,
                    format!(
                        "a `{}` action has no trigger filters: CodePipeline filters the triggers of connection sources only",
                        action.provider.value.name()
                    ),
                    "not a connection source",
                )
                .with_note("trigger filters are for `github`, `bitbucket` and `gitlab` sources (CodeStarSourceConnection)"),
            );
            continue;
        }
        for kind in TriggerKind::ALL {
            let filters: Vec<&TriggerFilter> = action.triggers.iter().filter(|t| t.kind.value == *kind).collect();
            if let Some(extra) = filters.get(MAX_FILTERS) {
                out.push(
                    rejected(
                        &extra.kind.loc,
                        format!("a source takes at most {MAX_FILTERS} `on {}` filters", kind.word()),
                        "one too many",
                    )
                    .with_secondary(filters[0].kind.loc.file, filters[0].kind.loc.span.clone(), "the first")
                    .with_help("join filters: a filter's lists each take up to 8 patterns"),
                );
            }
        }
        for filter in &action.triggers {
            lists(filter, out);
            shape(filter, out);
        }
    }
}

fn rejected(loc: &Loc, message: String, label: &str) -> Diagnostic {
    Diagnostic::new(Code::TriggerRejected, message, loc.file, loc.span.clone(), label)
}

/// Each list holds 1 to 8 patterns of 1 to 255 characters.
fn lists(filter: &TriggerFilter, out: &mut Vec<Diagnostic>) {
    for list in &filter.lists {
        let name = &list.name.value;
        if list.patterns.is_empty() {
            out.push(
                rejected(
                    &list.loc,
                    format!("`{name}` is empty: a list holds 1 to {MAX_PATTERNS} patterns"),
                    "no patterns",
                )
                .with_help(format!("remove `{name}`, or name a pattern")),
            );
        }
        if let Some(extra) = list.patterns.get(MAX_PATTERNS) {
            out.push(
                rejected(
                    &extra.loc,
                    format!("`{name}` holds more than {MAX_PATTERNS} patterns"),
                    "one too many",
                )
                .with_help(
                    "a glob can stand for several (`release/**`, `{main,develop}`), or a second filter can hold more",
                ),
            );
        }
        for pattern in &list.patterns {
            let Some(text) = pattern.literal() else { continue };
            if text.is_empty() || text.chars().count() > MAX_PATTERN_LENGTH {
                out.push(rejected(
                    &pattern.loc,
                    format!("a pattern has 1 to {MAX_PATTERN_LENGTH} characters"),
                    "not a pattern CodePipeline takes",
                ));
            }
        }
    }
}

/// What a filter may combine: push on tags, or on branches (with file paths); pull requests on
/// branches (with file paths).
fn shape(filter: &TriggerFilter, out: &mut Vec<Diagnostic>) {
    let has = |a: &str, b: &str| filter.list(a).or_else(|| filter.list(b));
    let branches = has("branches", "exclude_branches");
    let tags = has("tags", "exclude_tags");
    let files = has("files", "exclude_files");
    match filter.kind.value {
        TriggerKind::Push => {
            if let (Some(tags), Some(branches)) = (tags, branches) {
                out.push(
                    rejected(
                        &tags.name.loc,
                        "a push filter is on tags or on branches, not both".into(),
                        "tags",
                    )
                    .with_secondary(branches.name.loc.file, branches.name.loc.span.clone(), "branches")
                    .with_help("write two `on push` filters: one with the tags, one with the branches")
                    .with_note("CodePipeline refuses the pipeline: \"Make sure to choose valid filter combinations\""),
                );
            } else if let (Some(tags), Some(files)) = (tags, files) {
                out.push(
                    rejected(
                        &files.name.loc,
                        "file paths filter pushes to branches, not tags".into(),
                        "with tags",
                    )
                    .with_secondary(tags.name.loc.file, tags.name.loc.span.clone(), "tags"),
                );
            } else if tags.is_none() && branches.is_none() {
                out.push(
                    rejected(
                        &filter.kind.loc,
                        "a push filter names the branches or the tags it starts on".into(),
                        "no branches or tags",
                    )
                    .with_help("add `branches = [\"main\"]` (file paths go with branches) or `tags = [\"v*\"]`"),
                );
            }
            if let Some(events) = &filter.events_loc {
                out.push(
                    rejected(
                        events,
                        "`events` filters pull requests, not pushes".into(),
                        "on a push filter",
                    )
                    .with_help("move it to an `on pull_request` filter"),
                );
            }
        }
        TriggerKind::PullRequest => {
            if let Some(tags) = tags {
                out.push(
                    rejected(
                        &tags.name.loc,
                        "a pull request filter is on branches, not tags".into(),
                        "tags",
                    )
                    .with_help("filter tag pushes in an `on push` filter"),
                );
            } else if branches.is_none() {
                out.push(
                    rejected(
                        &filter.kind.loc,
                        "a pull request filter names the destination branches it starts on".into(),
                        "no branches",
                    )
                    .with_help("add `branches = [\"main\"]`"),
                );
            }
        }
    }
}

/// A pipeline's `schedule`, as EventBridge reads schedule expressions
/// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html):
/// `rate(value unit)`, the unit singular for 1 and plural above; or `cron(…)` with six fields,
/// one of day-of-month and day-of-week a `?`.
pub fn schedules(program: &Program, out: &mut Vec<Diagnostic>) {
    // A project a pipeline runs reads its source from the pipeline: CodeBuild starts it only
    // through CodePipeline.
    for (index, project) in program.projects.iter().enumerate() {
        let Some(text) = &project.schedule else { continue };
        if let Some(pipeline) = program.runner(index) {
            out.push(
                Diagnostic::new(
                    Code::ScheduleRejected,
                    format!(
                        "project `{}` runs in pipeline `{}`, which CodeBuild cannot start on its own",
                        project.header.name, pipeline.header.name
                    ),
                    text.loc.file,
                    text.loc.span.clone(),
                    "a schedule for a pipeline's project",
                )
                .with_secondary(
                    pipeline.header.loc.file,
                    pipeline.header.loc.span.clone(),
                    "the pipeline that runs it",
                )
                .with_help(format!(
                    "give pipeline `{}` the schedule: `schedule = …` in the pipeline",
                    pipeline.header.name
                ))
                .with_note("a project a pipeline runs takes its source from the pipeline (source type CODEPIPELINE)"),
            );
        }
    }
    let schedules = program
        .pipelines
        .iter()
        .filter_map(|p| p.schedule.as_ref())
        .chain(program.projects.iter().filter_map(|p| p.schedule.as_ref()));
    for text in schedules {
        let Some(expression) = text.literal() else { continue };
        if let Some(problem) = schedule_problem(expression.trim()) {
            let d = Diagnostic::new(
                Code::ScheduleRejected,
                format!("`{expression}` is not a schedule EventBridge takes: {}", problem.why),
                text.loc.file,
                text.loc.span.clone(),
                "schedule expression",
            );
            out.push(match problem.meant {
                // The same schedule, in the form EventBridge takes.
                Some(meant) => d.with_fix(
                    format!("write `{meant}`"),
                    text.loc.span.clone(),
                    format!("\"{meant}\""),
                ),
                None => d.with_help("write `rate(1 day)`, `rate(6 hours)` or `cron(0 3 ? * MON-FRI *)` (UTC)"),
            });
        }
    }
}

/// What EventBridge refuses in a schedule expression, and the same schedule in the form it
/// takes where that is mechanical.
#[derive(Debug, PartialEq)]
struct ScheduleProblem {
    why: String,
    meant: Option<String>,
}

fn problem(why: impl Into<String>, meant: Option<String>) -> Option<ScheduleProblem> {
    Some(ScheduleProblem { why: why.into(), meant })
}

fn schedule_problem(expression: &str) -> Option<ScheduleProblem> {
    if let Some(inner) = expression.strip_prefix("rate(").and_then(|r| r.strip_suffix(')')) {
        let mut words = inner.split_whitespace();
        let (Some(value), Some(unit), None) = (words.next(), words.next(), words.next()) else {
            return problem("a rate is `rate(value unit)`", None);
        };
        let Ok(value) = value.parse::<u64>() else {
            return problem(format!("`{value}` is not a whole number"), None);
        };
        if value == 0 {
            return problem("the value is a positive number", None);
        }
        let singular = ["minute", "hour", "day"];
        let plural = ["minutes", "hours", "days"];
        return match (value, singular.contains(&unit), plural.contains(&unit)) {
            (1, true, _) | (2.., _, true) => None,
            (1, _, true) => {
                let meant = format!("rate(1 {})", unit.trim_end_matches('s'));
                problem(format!("with 1 the unit is singular: `{meant}`"), Some(meant))
            }
            (_, true, _) => {
                let meant = format!("rate({value} {unit}s)");
                problem(format!("with {value} the unit is plural: `{meant}`"), Some(meant))
            }
            _ => problem(format!("`{unit}` is not a unit: minutes, hours or days"), None),
        };
    }
    if let Some(inner) = expression.strip_prefix("cron(").and_then(|r| r.strip_suffix(')')) {
        let mut fields: Vec<&str> = inner.split_whitespace().collect();
        if fields.len() != 6 {
            return problem(
                format!(
                    "a cron expression has six fields (minutes hours day-of-month month day-of-week year), not {}",
                    fields.len()
                ),
                None,
            );
        }
        let (day_of_month, day_of_week) = (fields[2], fields[4]);
        if (day_of_month == "?") == (day_of_week == "?") {
            // A `*` beside a specific day means "any": `?` says the same, as EventBridge wants.
            let meant = match (day_of_month, day_of_week) {
                ("*", _) => Some(2),
                (_, "*") => Some(4),
                _ => None,
            };
            let meant = meant.map(|field| {
                fields[field] = "?";
                format!("cron({})", fields.join(" "))
            });
            return problem("one of day-of-month and day-of-week is `?`, and only one", meant);
        }
        return None;
    }
    problem("a schedule is `rate(…)` or `cron(…)`", None)
}

#[cfg(test)]
mod tests {
    use super::schedule_problem;

    #[test]
    fn schedules_are_read_as_eventbridge_reads_them() {
        for good in [
            "rate(1 day)",
            "rate(5 minutes)",
            "rate(12 hours)",
            "cron(0 3 ? * MON-FRI *)",
            "cron(15 10 1 * ? *)",
        ] {
            assert_eq!(schedule_problem(good), None, "{good}");
        }
        for bad in [
            "rate(1 days)",
            "rate(2 hour)",
            "rate(0 minutes)",
            "rate(5 weeks)",
            "rate(five minutes)",
            "cron(0 3 * * *)",
            "cron(0 3 * * MON *)",
            "cron(0 3 ? * ? *)",
            "every day",
        ] {
            assert!(schedule_problem(bad).is_some(), "{bad}");
        }
        let meant = |expression| schedule_problem(expression).and_then(|p| p.meant);
        assert_eq!(meant("rate(1 days)").as_deref(), Some("rate(1 day)"));
        assert_eq!(meant("rate(2 hour)").as_deref(), Some("rate(2 hours)"));
        assert_eq!(
            meant("cron(0 3 * * MON-FRI *)").as_deref(),
            Some("cron(0 3 ? * MON-FRI *)")
        );
        assert_eq!(meant("cron(0 3 1 * * *)").as_deref(), Some("cron(0 3 1 * ? *)"));
        assert_eq!(meant("cron(0 3 * * * *)").as_deref(), Some("cron(0 3 ? * * *)"));
        assert_eq!(meant("cron(0 3 ? * ? *)"), None, "which day is meant is not known");
        assert_eq!(meant("rate(5 weeks)"), None);
    }
}

//! Order within a stage: actions with one `run_order` run at the same time
//! (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-pipeline-structure.html#action-requirements).
//! Two of them deploying the same target race each other (CloudFormation refuses an update of
//! a stack that is already updating; CodeDeploy one deployment of a group in progress; ECS's
//! second deployment replaces the first mid-rollout), and an approval beside a deploy gates
//! nothing: the deploy does not wait for it.

use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::model::*;

pub fn check(program: &Program, out: &mut Vec<Diagnostic>) {
    for stage in program.pipelines.iter().flat_map(|p| &p.stages) {
        parallel_deploys(program, stage, out);
        approval_beside_deploy(stage, out);
    }
    regions(program, out);
    for pipeline in &program.pipelines {
        rollbacks(pipeline, out);
    }
}

/// A stage rolls back to its last successful execution, which CodePipeline does not do for a
/// source stage, nor in a pipeline that runs executions in parallel
/// (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback.html,
/// https://docs.aws.amazon.com/codepipeline/latest/userguide/execution-modes.html).
fn rollbacks(pipeline: &Pipeline, out: &mut Vec<Diagnostic>) {
    use crate::vocabulary::{ExecutionMode, StageFailure};
    for stage in &pipeline.stages {
        let Some(on_failure) = stage.on_failure.as_ref().filter(|f| f.value == StageFailure::Rollback) else {
            continue;
        };
        if let Some(source) = stage.actions.iter().find(|a| a.provider.value.is_source()) {
            out.push(
                Diagnostic::new(
                    Code::StageFailure,
                    format!("stage `{}` holds a source action and cannot roll back", stage.label.value),
                    on_failure.loc.file,
                    on_failure.loc.span.clone(),
                    "rollback of a source stage",
                )
                .with_secondary(source.label.loc.file, source.label.loc.span.clone(), "a source action")
                .with_help("roll back the stages after the source: a rollback runs the revisions of the last successful execution through them"),
            );
        } else if let Some(mode) = pipeline
            .execution_mode
            .as_ref()
            .filter(|m| m.value == ExecutionMode::Parallel)
        {
            out.push(
                Diagnostic::new(
                    Code::StageFailure,
                    format!("stage `{}` cannot roll back in a parallel pipeline", stage.label.value),
                    on_failure.loc.file,
                    on_failure.loc.span.clone(),
                    "rollback",
                )
                .with_secondary(mode.loc.file, mode.loc.span.clone(), "executions run in parallel")
                .with_help("use `execution_mode = queued` or `superseded`, or `on_failure = retry`"),
            );
        }
    }
}

/// What an action deploys, as AWS names it, when it can be known from the program.
fn target(program: &Program, action: &Action) -> Option<String> {
    let setting = |name: &str| action.config_text(name)?.literal();
    let region = action
        .region
        .as_ref()
        .and_then(Text::literal)
        .map(|r| format!(" in {r}"))
        .unwrap_or_default();
    match action.provider.value {
        Provider::Ecs { service } => {
            let service = program.services.get(service)?;
            let cluster = service.cluster.as_ref()?.literal()?;
            let name = service.name.as_ref()?.literal()?;
            Some(format!("ECS service `{name}` in cluster `{cluster}`{region}"))
        }
        Provider::CodeDeploy | Provider::CodeDeployEcs => Some(format!(
            "CodeDeploy deployment group `{}` of `{}`{region}",
            setting("deployment_group")?,
            setting("application")?
        )),
        Provider::CloudFormation => Some(format!("stack `{}`{region}", setting("stack")?)),
        _ => None,
    }
}

fn parallel_deploys(program: &Program, stage: &Stage, out: &mut Vec<Diagnostic>) {
    for (i, second) in stage.actions.iter().enumerate() {
        let Some(deploys) = target(program, second) else {
            continue;
        };
        let first = stage.actions[..i]
            .iter()
            .find(|a| a.run_order() == second.run_order() && target(program, a).as_ref() == Some(&deploys));
        let Some(first) = first else { continue };
        out.push(
            Diagnostic::new(
                Code::ParallelDeploys,
                format!(
                    "`{}` and `{}` both deploy {deploys} at the same time",
                    first.label.value, second.label.value
                ),
                second.label.loc.file,
                second.label.loc.span.clone(),
                "runs at the same time",
            )
            .with_secondary(first.label.loc.file, first.label.loc.span.clone(), "also deploys it")
            .with_note("actions of one stage with the same `run_order` run in parallel: the second deployment fails or replaces the first")
            .with_help(format!("give `{}` a higher `run_order`, or deploy the target once", second.label.value)),
        );
    }
}

fn approval_beside_deploy(stage: &Stage, out: &mut Vec<Diagnostic>) {
    for approval in stage.actions.iter().filter(|a| a.provider.value == Provider::Approval) {
        let beside = stage.actions.iter().find(|a| {
            a.run_order() == approval.run_order()
                && matches!(
                    a.provider.value,
                    Provider::Ecs { .. }
                        | Provider::CodeDeploy
                        | Provider::CodeDeployEcs
                        | Provider::CloudFormation
                        | Provider::S3Deploy
                )
        });
        let Some(deploy) = beside else { continue };
        out.push(
            Diagnostic::new(
                Code::ApprovalBesideDeploy,
                format!(
                    "approval `{}` runs at the same time as `{}`, which does not wait for it",
                    approval.label.value, deploy.label.value
                ),
                approval.label.loc.file,
                approval.label.loc.span.clone(),
                "gates nothing",
            )
            .with_secondary(
                deploy.label.loc.file,
                deploy.label.loc.span.clone(),
                "runs without waiting",
            )
            .with_note("actions of one stage with the same `run_order` run in parallel")
            .with_help(format!(
                "put the approval in a stage of its own before the deploy, or give `{}` a higher `run_order`",
                deploy.label.value
            )),
        );
    }
}

/// Regions: CodePipeline runs an action in another Region only with an artifact store in that
/// Region (`artifact_store`), never runs a source action outside the pipeline's Region, and
/// runs a CodeBuild project of the action's Region, while cruddur creates projects in the
/// pipeline's (https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html).
fn regions(program: &Program, out: &mut Vec<Diagnostic>) {
    let Some(home_text) = program.aws.as_ref().and_then(|a| a.region.as_ref()) else {
        return;
    };
    let Some(home) = home_text.literal() else { return };
    for pipeline in &program.pipelines {
        // The stores by Region, the first of each; a second or one in the pipeline's own
        // Region is a mistake.
        let mut stores: Vec<(String, &ArtifactStore)> = Vec::new();
        for store in &pipeline.artifact_stores {
            let Some(region) = store.region.as_ref() else { continue };
            let Some(name) = region.literal() else { continue };
            if name == home {
                out.push(
                    Diagnostic::new(
                        Code::CrossRegion,
                        format!("an `artifact_store` in {name}, the pipeline's own Region"),
                        region.loc.file,
                        region.loc.span.clone(),
                        "the pipeline's Region",
                    )
                    .with_secondary(home_text.loc.file, home_text.loc.span.clone(), "the pipeline's Region")
                    .with_help("the pipeline's own store is `artifact_bucket` and `artifact_key`; an `artifact_store` is for another Region"),
                );
            } else if let Some((_, first)) = stores.iter().find(|(r, _)| *r == name) {
                out.push(
                    Diagnostic::new(
                        Code::CrossRegion,
                        format!("two artifact stores in {name}"),
                        region.loc.file,
                        region.loc.span.clone(),
                        "second store",
                    )
                    .with_secondary(first.loc.file, first.loc.span.clone(), "first store")
                    .with_note("CodePipeline keeps one artifact store per Region"),
                );
            } else {
                stores.push((name.into_owned(), store));
            }
        }
        for action in pipeline.stages.iter().flat_map(|s| &s.actions) {
            let Some(region) = &action.region else { continue };
            let Some(name) = region.literal() else { continue };
            if name == home {
                continue;
            }
            let problem = if action.provider.value.is_source() {
                format!(
                    "source action `{}` cannot run in {name}: sources run in the pipeline's Region, {home}",
                    action.label.value
                )
            } else if action.provider.value.project().is_some() {
                format!(
                    "`{}` would run a CodeBuild project of {name}, but cruddur creates its projects in {home}",
                    action.label.value
                )
            } else if !stores.iter().any(|(r, _)| *r == name) {
                format!(
                    "`{}` runs in {name}, which needs an artifact store there: the pipeline has none in {name}",
                    action.label.value
                )
            } else {
                continue;
            };
            let help = if action.provider.value.is_source() || action.provider.value.project().is_some() {
                "run the action in the pipeline's Region".to_string()
            } else {
                format!("add `artifact_store {{ region = \"{name}\" bucket = \"…\" }}` to the pipeline: an existing, versioned bucket of {name}")
            };
            let mut d = Diagnostic::new(
                Code::CrossRegion,
                problem,
                region.loc.file,
                region.loc.span.clone(),
                "another Region",
            )
            .with_secondary(home_text.loc.file, home_text.loc.span.clone(), "the pipeline's Region");
            if !action.provider.value.is_source() && action.provider.value.project().is_none() {
                d = d.with_secondary(
                    pipeline.header.loc.file,
                    pipeline.header.loc.span.clone(),
                    format!("no `artifact_store` in {name}"),
                );
            }
            out.push(d.with_help(help));
        }
    }
}

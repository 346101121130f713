//! CodePipeline's rules for stages, actions and artifacts, proved before deploying: every
//! input exists and is produced earlier, each artifact has one producer, sources come first,
//! artifact counts and configuration fit the provider, and artifacts have the type their
//! consumer needs (an ECS deploy reads `imagedefinitions.json` naming its container), and
//! hold the files their consumers read (a template path, a task definition, a `FileName`).

use crate::diagnostics::a_or_an;
use crate::diagnostics::did_you_mean;
use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::artifacts::{pattern_matches, ArtifactGraph, ArtifactType, Production};
use crate::resolve::model::*;
use crate::resolve::Gaps;
use crate::vocabulary::{FileIn, ProviderKind, ProviderSpec};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

pub fn check(program: &Program, graphs: &[ArtifactGraph], gaps: &Gaps, out: &mut Vec<Diagnostic>) {
    for (pipeline, graph) in program.pipelines.iter().zip(graphs) {
        check_pipeline(program, pipeline, graph, gaps, out);
    }
    dropped_outputs(program, out);
}

/// A project no pipeline runs keeps no artifact: CodeBuild stores one only in a pipeline or at
/// an S3 location, which a project cannot name. Its `output` and `artifact`s would be
/// dropped without a word.
fn dropped_outputs(program: &Program, out: &mut Vec<Diagnostic>) {
    // One pass over the actions, not one per project: this runs on every keystroke.
    let run: BTreeSet<usize> = program
        .pipelines
        .iter()
        .flat_map(|p| &p.stages)
        .flat_map(|s| &s.actions)
        .filter_map(|a| match a.provider.value {
            Provider::CodeBuild { project, .. } => Some(project),
            _ => None,
        })
        .collect();
    for (index, project) in program.projects.iter().enumerate() {
        if run.contains(&index) {
            continue;
        }
        // `output_to` keeps the output in S3; secondary artifacts have no location of their own.
        let kept = project.output_to.is_some();
        if let Some(to) = project
            .output_to
            .as_ref()
            .filter(|_| project.outputs.is_empty() && !project.buildspec_in_file() && !project.buildspec_unseen())
        {
            out.push(
                Diagnostic::new(
                    Code::DroppedOutput,
                    format!("project `{}` uploads nothing: it has no `output`", project.header.name),
                    to.loc.file,
                    to.loc.span.clone(),
                    "nothing to upload",
                )
                .with_help("say which files to upload: `output files(\"dist/**/*\")`"),
            );
        }
        let outputs = project.outputs.iter().filter(|_| !kept).map(|o| o.loc().clone());
        let artifacts = project.artifacts.iter().map(|a| a.label.loc.clone());
        for loc in outputs.chain(artifacts) {
            out.push(
                Diagnostic::new(
                    Code::DroppedOutput,
                    format!("project `{}` is run by no pipeline: this output is kept nowhere", project.header.name),
                    loc.file,
                    loc.span.clone(),
                    "dropped",
                )
                .with_note("outside a pipeline CodeBuild keeps the output only at an S3 location: `output_to = s3(…)` names one for the primary output; secondary artifacts are kept only in a pipeline")
                .with_help(if project.buildspec_in_file() {
                    "run the project from a pipeline's `codebuild` action, give it `output_to = s3(\"bucket/path\")`, or remove `artifacts` from the buildspec file"
                } else {
                    "run the project from a pipeline's `codebuild` action, give it `output_to = s3(\"bucket/path\")`, or remove the output"
                }),
            );
        }
    }
}

fn check_pipeline(
    program: &Program,
    pipeline: &Pipeline,
    graph: &ArtifactGraph,
    gaps: &Gaps,
    out: &mut Vec<Diagnostic>,
) {
    let header = &pipeline.header;
    // An error already reported inside the pipeline but outside every stage (or action) that
    // made it here is a stage (or action) that did not parse or resolve: counting stages (or
    // artifacts) without it would only echo that error.
    // Not the pipeline's own properties: those are reported at its name.
    let errors: Vec<usize> = gaps
        .within(&header.item_loc)
        .filter(|&at| at >= header.loc.span.end)
        .collect();
    let outside = |locs: Vec<&Loc>| errors.iter().any(|at| !locs.iter().any(|l| l.span.contains(at)));
    let stage_missing = outside(pipeline.stages.iter().map(|s| &s.loc).collect());
    let incomplete = outside(
        pipeline
            .stages
            .iter()
            .flat_map(|s| &s.actions)
            .map(|a| &a.loc)
            .collect(),
    );
    if pipeline.stages.len() < 2 && !stage_missing {
        out.push(
            Diagnostic::new(
                Code::TooFewStages,
                format!(
                    "pipeline `{}` has {} stage{}; CodePipeline needs at least two",
                    header.name,
                    pipeline.stages.len(),
                    if pipeline.stages.len() == 1 { "" } else { "s" }
                ),
                header.loc.file,
                header.loc.span.clone(),
                "needs a source stage and at least one more",
            )
            .with_help(
                "a pipeline starts with a stage of source actions, followed by stages that build, test or deploy",
            ),
        );
    }
    quotas(pipeline, out);
    unique_names(program, pipeline, out);
    unique_namespaces(pipeline, out);
    stage_placement(pipeline, out);
    // A stage must hold an action; one whose actions did not parse is reported as such.
    for stage in &pipeline.stages {
        if stage.actions.is_empty() && !errors.iter().any(|at| stage.loc.span.contains(at)) {
            out.push(
                Diagnostic::new(
                    Code::EmptyStage,
                    format!("stage `{}` has no actions", stage.label.value),
                    stage.label.loc.file,
                    stage.label.loc.span.clone(),
                    "empty",
                )
                .with_help(
                    "add an action to the stage, or remove the stage: CodePipeline refuses a stage without actions",
                ),
            );
        }
    }

    // Artifacts no action takes: the input an action short of inputs probably lost.
    let taken: BTreeSet<&str> = graph.inputs.iter().map(|c| c.input.value.as_str()).collect();
    let untaken: Vec<(&str, usize)> = graph
        .artifacts
        .iter()
        .filter(|(name, _)| !taken.contains(name.as_str()))
        .map(|(name, artifact)| (name.as_str(), artifact.producer.action.stage))
        .collect();
    let mut explained: BTreeSet<&str> = BTreeSet::new();
    let actions = pipeline
        .stages
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.actions.iter().map(move |a| (i, a)));
    for (stage_index, action) in actions {
        let spec = action.provider.value.spec();
        let earlier = || {
            untaken
                .iter()
                .filter(|(_, at)| *at < stage_index)
                .map(|(name, _)| *name)
                .collect()
        };
        explained.extend(counts(spec, action, earlier, out));
        // A setting whose value did not resolve is written: it is not missing.
        let unresolved = gaps.within(&action.loc).next().is_some();
        configuration(spec, action, unresolved, out);
        named_inputs(program, graph, spec, action, out);
        file_reads(program, graph, spec, action, out);
        setting_forms(action, out);
        setting_values(action, out);
    }
    for artifact in graph.artifacts.values() {
        for production in std::iter::once(&artifact.producer).chain(&artifact.again) {
            undeclared_output(program, production, out);
        }
        for again in &artifact.again {
            let first = &artifact.producer;
            out.push(
                Diagnostic::new(
                    Code::DuplicateArtifact,
                    format!("artifact `{}` is produced twice", again.output.value),
                    again.output.loc.file,
                    again.output.loc.span.clone(),
                    "second producer",
                )
                .with_secondary(
                    first.output.loc.file,
                    first.output.loc.span.clone(),
                    format!("first produced by action `{}`", action_label(program, first.action)),
                )
                .with_help("each artifact name has one producer in a pipeline; name this output differently"),
            );
        }
    }

    // What inputs take, and what a misspelt input was meant to take.
    let mut consumed = taken.clone();
    for consumption in &graph.inputs {
        let input = &consumption.input;
        let Some(action) = program.action(consumption.action) else {
            continue;
        };
        let Some(artifact) = graph.get(&input.value) else {
            if incomplete {
                continue;
            }
            let mut d = Diagnostic::new(
                Code::UnknownArtifact,
                format!("no action produces artifact `{}`", input.value),
                input.loc.file,
                input.loc.span.clone(),
                "never produced",
            );
            if let Some(s) = did_you_mean(&input.value, graph.artifacts.keys().map(String::as_str)) {
                d = d.with_suggestion(format!("replace with `{s}`"), input.loc.span.clone(), s);
                consumed.insert(s); // it is meant to be used: no "never used" as well
            } else if !graph.artifacts.is_empty() {
                d = d.with_note(format!(
                    "artifacts in this pipeline: {}",
                    graph
                        .artifacts
                        .keys()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            out.push(d);
            continue;
        };
        let producer = &artifact.producer;
        let produced_by = program.action(producer.action).map_or(1, Action::run_order);
        let earlier = producer.action.stage < consumption.action.stage
            || (producer.action.stage == consumption.action.stage && produced_by < action.run_order());
        if !earlier {
            let when = if producer.action.stage > consumption.action.stage {
                "in a later stage".to_string()
            } else {
                format!(
                    "in the same stage with run_order {produced_by} (this action has {})",
                    action.run_order()
                )
            };
            out.push(
                Diagnostic::new(
                    Code::ArtifactNotYetProduced,
                    format!("artifact `{}` is used before it is produced", input.value),
                    input.loc.file,
                    input.loc.span.clone(),
                    "used here",
                )
                .with_secondary(
                    producer.output.loc.file,
                    producer.output.loc.span.clone(),
                    format!("produced here, {when}"),
                )
                .with_help("an input must come from an earlier stage, or from the same stage with a lower `run_order`"),
            );
        }
        input_type(program, action, input, producer, out);
        clone_ref_input(program, action, input, producer, out);
    }

    for (name, artifact) in &graph.artifacts {
        // An action short of inputs was told to take it: not reported again.
        if explained.contains(name.as_str()) {
            continue;
        }
        if !consumed.contains(name.as_str()) && !incomplete && !required_output(program, &artifact.producer) {
            out.push(
                Diagnostic::new(
                    Code::UnusedArtifact,
                    format!("artifact `{name}` is never used"),
                    artifact.producer.output.loc.file,
                    artifact.producer.output.loc.span.clone(),
                    "produced, never an input",
                )
                .with_help("use it as an action's input, or remove the output"),
            );
        }
    }
}

/// An output a non-source action cannot do without (an image scan's report): unused, it is
/// still not to be removed. (An unused source output is reported: the checkout is for
/// nothing.)
fn required_output(program: &Program, production: &Production) -> bool {
    let Some(action) = program.action(production.action) else {
        return false;
    };
    let spec = action.provider.value.spec();
    if spec.is_source() {
        return false;
    }
    let (min, _) = spec.action_type().output_artifacts;
    let position = action.outputs.iter().position(|o| o.value == production.output.value);
    position.is_some_and(|p| (p as u32) < min)
}

fn action_label(program: &Program, at: ActionRef) -> &str {
    program.action(at).map_or("", |a| a.label.value.as_str())
}

/// E0317: a build's output the project declares nothing for.
fn undeclared_output(program: &Program, production: &Production, out: &mut Vec<Diagnostic>) {
    let ArtifactType::Undeclared { project, secondary } = production.ty else {
        return;
    };
    let Some(project) = program
        .projects
        .get(project)
        .filter(|p| !p.buildspec_unseen() && (secondary || !p.output_unread))
    else {
        return;
    };
    let output = &production.output;
    let in_file = project.buildspec_in_file();
    let (message, help) = if secondary {
        (
            format!(
                "project `{}` has no secondary artifact named `{}`",
                project.header.name, output.value
            ),
            if in_file {
                "add it under `artifacts: secondary-artifacts:` in the buildspec file, named like this output"
            } else {
                "add `artifact NAME { files = […] }` to the project, named like this output"
            },
        )
    } else {
        (
            format!(
                "project `{}` declares no output for `{}` to carry",
                project.header.name, output.value
            ),
            if in_file {
                "add `artifacts: files: […]` to the buildspec file"
            } else {
                "add `output image_definitions(…)` or `output files(…)` to the project"
            },
        )
    };
    out.push(
        Diagnostic::new(
            Code::ProjectHasNoOutput,
            message,
            output.loc.file,
            output.loc.span.clone(),
            "nothing produces this",
        )
        .with_secondary(project.header.loc.file, project.header.loc.span.clone(), "the project")
        .with_help(help),
    );
}

fn unique_names(program: &Program, pipeline: &Pipeline, out: &mut Vec<Diagnostic>) {
    let mut stages: BTreeMap<String, &Stage> = BTreeMap::new();
    for stage in &pipeline.stages {
        let name = stage.aws_name();
        if let Some(first) = stages.get(&name) {
            out.push(
                Diagnostic::new(
                    Code::DuplicateStage,
                    format!("two stages are named `{name}`"),
                    stage.label.loc.file,
                    stage.label.loc.span.clone(),
                    "second stage",
                )
                .with_secondary(
                    first.label.loc.file,
                    first.label.loc.span.clone(),
                    "first stage with this name",
                ),
            );
        } else {
            stages.insert(name, stage);
        }
        let mut actions: BTreeMap<&str, &Action> = BTreeMap::new();
        for action in &stage.actions {
            if let Some(first) = actions.get(action.label.value.as_str()) {
                out.push(
                    Diagnostic::new(
                        Code::DuplicateAction,
                        // A template's stage is named by its template: the mistake is there,
                        // whichever stage it was found in.
                        match stage.instance.and_then(|i| program.instances.get(i)) {
                            Some(instance) => format!(
                                "two actions in stage template `{}` are named `{}`",
                                program.stage_templates[instance.template].header.name, action.label.value
                            ),
                            None => format!(
                                "two actions in stage `{}` are named `{}`",
                                stage.label.value, action.label.value
                            ),
                        },
                        action.label.loc.file,
                        action.label.loc.span.clone(),
                        "second action",
                    )
                    .with_secondary(
                        first.label.loc.file,
                        first.label.loc.span.clone(),
                        "first action with this name",
                    ),
                );
            } else {
                actions.insert(&action.label.value, action);
            }
        }
    }
}

/// A namespace names one action's output variables in the whole pipeline: `#{ns.VAR}` must
/// say which action it reads.
fn unique_namespaces(pipeline: &Pipeline, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, &Action> = BTreeMap::new();
    for action in pipeline.stages.iter().flat_map(|s| &s.actions) {
        let Some(namespace) = &action.namespace else { continue };
        match seen.get(namespace.value.as_str()) {
            Some(first) => {
                let first_loc = first.namespace.as_ref().map_or(&first.label.loc, |n| &n.loc);
                out.push(
                    Diagnostic::new(
                        Code::DuplicateNamespace,
                        format!("namespace `{}` is declared by two actions", namespace.value),
                        namespace.loc.file,
                        namespace.loc.span.clone(),
                        "second declaration",
                    )
                    .with_secondary(
                        first_loc.file,
                        first_loc.span.clone(),
                        format!("declared by `{}` first", first.label.value),
                    )
                    .with_help("give each action's variables a namespace of their own"),
                );
            }
            None => {
                seen.insert(&namespace.value, action);
            }
        }
    }
}

fn stage_placement(pipeline: &Pipeline, out: &mut Vec<Diagnostic>) {
    let Some(first) = pipeline.stages.first() else { return };
    for action in &first.actions {
        if !action.provider.value.is_source() {
            out.push(
                Diagnostic::new(
                    Code::NonSourceInFirstStage,
                    format!(
                        "the first stage may hold only source actions; `{}` is {} action",
                        action.label.value,
                        a_or_an(action.provider.value.spec().category)
                    ),
                    action.provider.loc.file,
                    action.provider.loc.span.clone(),
                    "not a source",
                )
                .with_secondary(first.label.loc.file, first.label.loc.span.clone(), "the first stage")
                .with_help("move it to a later stage"),
            );
        }
    }
    for stage in pipeline.stages.iter().skip(1) {
        for action in &stage.actions {
            if action.provider.value.is_source() {
                out.push(
                    Diagnostic::new(
                        Code::SourceOutsideFirstStage,
                        format!(
                            "source action `{}` is in stage `{}`; sources belong in the first stage",
                            action.label.value, stage.label.value
                        ),
                        action.provider.loc.file,
                        action.provider.loc.span.clone(),
                        "source action",
                    )
                    .with_secondary(first.label.loc.file, first.label.loc.span.clone(), "the first stage")
                    .with_help("move it to the first stage"),
                );
            }
        }
    }
}

/// E0308 for an action with too few or too many artifacts; for one short of inputs, the
/// artifacts of earlier stages that no action takes (`untaken`) are suggested, and returned.
fn counts<'a>(
    spec: &ProviderSpec,
    action: &Action,
    untaken: impl Fn() -> Vec<&'a str>,
    out: &mut Vec<Diagnostic>,
) -> Vec<&'a str> {
    let mut suggested = Vec::new();
    let action_type = spec.action_type();
    for (what, list, (min, max)) in [
        ("input", &action.inputs, action_type.input_artifacts),
        ("output", &action.outputs, action_type.output_artifacts),
    ] {
        let n = list.len() as u32;
        if n >= min && n <= max {
            continue;
        }
        let allowed = match (min, max) {
            (0, 0) => format!("no {what} artifacts"),
            (a, b) if a == b => format!("exactly {a} {what} artifact{}", if a == 1 { "" } else { "s" }),
            (a, b) => format!("{a} to {b} {what} artifacts"),
        };
        let primary = list
            .get(max as usize)
            .map(|a| a.loc.clone())
            .unwrap_or_else(|| action.label.loc.clone());
        let mut d = Diagnostic::new(
            Code::ArtifactCount,
            format!(
                "{} action takes {allowed}; `{}` has {n}",
                a_or_an(&format!("`{}`", spec.name)),
                action.label.value
            ),
            primary.file,
            primary.span.clone(),
            if n > max {
                format!("one {what} too many")
            } else {
                format!("{what} missing")
            },
        )
        .with_note(format!(
            "AWS {} {} action: {}",
            spec.category, spec.provider, action_type.docs_page
        ));
        let candidates = if what == "input" && n < min {
            untaken()
        } else {
            Vec::new()
        };
        if !candidates.is_empty() {
            let names: Vec<String> = candidates.iter().map(|n| format!("`input {n}`")).collect();
            d = d.with_help(format!(
                "an earlier action produces what no action takes: {}",
                names.join(", ")
            ));
            // The one artifact it must have lost is not reported as unused as well.
            if let [only] = candidates.as_slice() {
                suggested.push(*only);
            }
        }
        out.push(d);
    }
    suggested
}

fn configuration(spec: &ProviderSpec, action: &Action, unresolved: bool, out: &mut Vec<Diagnostic>) {
    let known: Vec<&str> = spec.settings.iter().map(|s| s.name).collect();
    // Settings an unknown one was probably meant to be: not reported missing as well.
    let mut meant = Vec::new();
    for property in &action.config {
        let name = property.key.value.as_str();
        if property.setting.is_some() {
            continue;
        }
        // AWS's own key (`FullRepositoryId`): the setting it is; a near miss (`brnch`): a
        // likely one.
        let by_key = spec
            .settings
            .iter()
            .find(|s| s.key.eq_ignore_ascii_case(name))
            .map(|s| s.name);
        let suggestion = by_key.or_else(|| did_you_mean(name, known.iter().copied()));
        let mut d = Diagnostic::new(
            Code::UnknownConfiguration,
            format!(
                "{} action has no setting `{name}`",
                a_or_an(&format!("`{}`", spec.name))
            ),
            property.key.loc.file,
            property.key.loc.span.clone(),
            "unknown setting",
        )
        .with_note(if known.is_empty() {
            format!("`{}` takes no settings", spec.name)
        } else {
            format!("settings: {}", known.join(", "))
        });
        if let Some(s) = suggestion {
            d = d.with_fix(format!("replace with `{s}`"), property.key.loc.span.clone(), s);
            if by_key.is_none() {
                d = d.suggested();
            }
            meant.push(s);
        }
        out.push(d);
    }
    for setting in spec.required_settings() {
        let (property, key) = (setting.name, setting.key);
        match action.config(property) {
            None if !meant.contains(&property) && !unresolved => {
                let mut d = Diagnostic::new(
                    Code::MissingConfiguration,
                    format!(
                        "{} action needs `{property}` ({key})",
                        a_or_an(&format!("`{}`", spec.name)),
                    ),
                    action.label.loc.file,
                    action.label.loc.span.clone(),
                    format!("`{property}` missing"),
                );
                // The slot, for a person to fill: an empty setting does not check.
                d = match &action.body {
                    Some(body) => {
                        let at = body.span.start + 1;
                        d.with_placeholder(
                            format!("add `{property} = \"\"`"),
                            at..at,
                            format!("\n      {property} = \"\""),
                        )
                    }
                    None => d.with_help(format!("add `{property} = …` to the action's body")),
                };
                out.push(d);
            }
            Some(ConfigProperty {
                value: ConfigValue::Text(text),
                ..
            }) if text.literal().as_deref() == Some("") => out.push(Diagnostic::new(
                Code::MissingConfiguration,
                format!(
                    "{} action's `{property}` ({key}) is empty",
                    a_or_an(&format!("`{}`", spec.name)),
                ),
                text.loc.file,
                text.loc.span.clone(),
                "empty",
            )),
            _ => {}
        }
    }
    conditional_settings(spec, action, &meant, out);
    setting_ranges(spec, action, out);
    // A build with several inputs must say which is its primary source (AWS requires it).
    if matches!(spec.kind, ProviderKind::CodeBuild | ProviderKind::CodeBuildTest)
        && action.inputs.len() > 1
        && action.config("primary_source").is_none()
    {
        out.push(
            Diagnostic::new(
                Code::MissingConfiguration,
                format!(
                    "a `{}` action with {} inputs needs `primary_source` (PrimarySource)",
                    spec.name,
                    action.inputs.len()
                ),
                action.label.loc.file,
                action.label.loc.span.clone(),
                "`primary_source` missing",
            )
            .with_help(format!(
                "name the input the build starts in: `primary_source = \"{}\"`",
                action.inputs[0].value
            )),
        );
    }
    // Values AWS lists for a key (`ActionMode`: CREATE_UPDATE, …; `Extract`: true, false).
    for property in &action.config {
        let Some(key) = property.setting.map(|s| s.key) else {
            continue;
        };
        let Some(facts) = spec
            .action_type()
            .configuration
            .iter()
            .find(|c| c.name == key && !c.values.is_empty())
        else {
            continue;
        };
        let texts: Vec<&Text> = match &property.value {
            ConfigValue::Text(text) => vec![text],
            ConfigValue::List(items) => items.iter().collect(),
            ConfigValue::Bool(_) | ConfigValue::Number(_) => Vec::new(),
        };
        for text in texts {
            let Some(written) = text.literal() else { continue };
            // `Capabilities` is a comma-separated list in AWS's own examples
            // (`CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND`): each item is one value.
            let items: Vec<&str> = if COMMA_LISTS.contains(&key) {
                written.split(',').map(str::trim).collect()
            } else {
                vec![&*written]
            };
            for value in items {
                if facts.values.iter().any(|v| v.eq_ignore_ascii_case(value)) {
                    continue;
                }
                let mut d = Diagnostic::new(
                    Code::UnknownValue,
                    format!("`{value}` is not a value of `{}` ({key})", property.key.value),
                    text.loc.file,
                    text.loc.span.clone(),
                    "not a value AWS accepts",
                )
                .with_note(format!("values: {}", facts.values.join(", ")));
                // The fix replaces the whole text: only when it is this one value.
                if let (Some(s), true) = (did_you_mean(value, facts.values.iter().copied()), value == written) {
                    d = d.with_suggestion(format!("replace with `{s}`"), text.loc.span.clone(), format!("\"{s}\""));
                }
                out.push(d);
            }
        }
    }
}

/// Configuration keys whose value is a comma-separated list of values (the CloudFormation
/// action reference: https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html).
const COMMA_LISTS: &[&str] = &["Capabilities"];

/// A setting's value as written, as a word: text, `true`/`false`, a number.
fn setting_word(action: &Action, name: &str) -> Option<(String, Loc)> {
    let property = action.config(name)?;
    match &property.value {
        ConfigValue::Text(text) => Some((text.literal()?.into_owned(), text.loc.clone())),
        ConfigValue::Bool(b) => Some((b.to_string(), property.key.loc.clone())),
        ConfigValue::Number(n) => Some((n.clone(), property.key.loc.clone())),
        ConfigValue::List(_) => None,
    }
}

/// Settings AWS requires only in some modes: a change set name for change-set modes, an
/// object key when an S3 deploy does not extract, a repository for an image scan.
fn conditional_settings(spec: &ProviderSpec, action: &Action, meant: &[&str], out: &mut Vec<Diagnostic>) {
    for condition in spec.conditions() {
        if action.config(condition.needs).is_some() || meant.contains(&condition.needs) {
            continue;
        }
        let Some((value, loc)) = setting_word(action, condition.when) else {
            continue;
        };
        if !condition.is.iter().any(|v| v.eq_ignore_ascii_case(&value)) {
            continue;
        }
        let key = spec.setting(condition.needs).map_or("", |s| s.key);
        let mut d = Diagnostic::new(
            Code::MissingConfiguration,
            format!(
                "{} action with `{} = {value}` needs `{}` ({key})",
                a_or_an(&format!("`{}`", spec.name)),
                condition.when,
                condition.needs
            ),
            action.label.loc.file,
            action.label.loc.span.clone(),
            format!("`{}` missing", condition.needs),
        )
        .with_secondary(loc.file, loc.span.clone(), format!("`{}` is {value}", condition.when))
        .with_note(format!("AWS's action reference: {}", condition.source));
        d = match &action.body {
            Some(body) => {
                let at = body.span.start + 1;
                d.with_placeholder(
                    format!("add `{} = \"\"`", condition.needs),
                    at..at,
                    format!("\n      {} = \"\"", condition.needs),
                )
            }
            None => d.with_help(format!("add `{} = …` to the action's body", condition.needs)),
        };
        out.push(d);
    }
}

/// Numeric settings within the values AWS takes (an ECS deployment timeout of 1 to 60 minutes).
fn setting_ranges(spec: &ProviderSpec, action: &Action, out: &mut Vec<Diagnostic>) {
    for range in spec.ranges() {
        let Some((value, loc)) = setting_word(action, range.setting) else {
            continue;
        };
        let Ok(number) = value.trim().parse::<u64>() else {
            continue;
        };
        if (range.min..=range.max).contains(&number) {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::OutOfRange,
                format!(
                    "`{}` is {number} {}; AWS takes {} to {}",
                    range.setting, range.unit, range.min, range.max
                ),
                loc.file,
                loc.span.clone(),
                format!("{} to {} {}", range.min, range.max, range.unit),
            )
            .with_note(format!("AWS's action reference: {}", range.source)),
        );
    }
}

/// The literal text of a setting, with where it is written.
fn literal_setting<'a>(action: &'a Action, name: &str) -> Option<(String, &'a Loc)> {
    let text = action.config_text(name)?;
    Some((text.literal()?.into_owned(), &text.loc))
}

/// Settings that name an input artifact (`primary_source`, `task_definition_artifact`, the
/// `Artifact::` of a template path) name one of the action's inputs, and one of the type the
/// setting reads (`image_artifact`: an image, from an ECR source).
fn named_inputs(
    program: &Program,
    graph: &ArtifactGraph,
    spec: &ProviderSpec,
    action: &Action,
    out: &mut Vec<Diagnostic>,
) {
    for setting in spec.settings {
        let prefixed = setting.reads.as_ref().is_some_and(|r| r.artifact == FileIn::Prefixed);
        if !setting.names_artifact && !prefixed {
            continue;
        }
        let Some((value, loc)) = literal_setting(action, setting.name) else {
            continue;
        };
        let name = if prefixed {
            match value.split_once("::") {
                Some((name, _)) => name.to_string(),
                None => continue,
            }
        } else {
            value
        };
        if !action.inputs.iter().any(|i| i.value == name) {
            let inputs: Vec<&str> = action.inputs.iter().map(|i| i.value.as_str()).collect();
            let mut d = Diagnostic::new(
                Code::UnknownArtifact,
                format!(
                    "`{}` names `{name}`, which is not an input of `{}`",
                    setting.name, action.label.value
                ),
                loc.file,
                loc.span.clone(),
                "not an input",
            )
            .with_note(if inputs.is_empty() {
                format!("`{}` has no inputs", action.label.value)
            } else {
                format!("inputs: {}", inputs.join(", "))
            });
            if let (false, [only]) = (prefixed, inputs.as_slice()) {
                d = d.with_suggestion(
                    format!("replace with `{only}`"),
                    loc.span.clone(),
                    format!("\"{only}\""),
                );
            }
            out.push(d);
            continue;
        }
        if setting.name != "image_artifact" {
            continue;
        }
        let Some(artifact) = graph.get(&name) else { continue };
        let producer = &artifact.producer;
        // A build may write imageDetail.json itself: whether its files hold it is judged by
        // `file_reads`.
        if !matches!(
            producer.ty,
            ArtifactType::ImageDetail
                | ArtifactType::Files { .. }
                | ArtifactType::Opaque
                | ArtifactType::Undeclared { .. }
        ) {
            out.push(
                Diagnostic::new(
                    Code::ArtifactTypeMismatch,
                    format!(
                        "`image_artifact` reads an image from an ImageDetail artifact; `{name}` is {}",
                        producer.ty
                    ),
                    loc.file,
                    loc.span.clone(),
                    "expected ImageDetail",
                )
                .with_secondary(
                    producer.output.loc.file,
                    producer.output.loc.span.clone(),
                    format!(
                        "{}, produced by `{}`",
                        producer.ty,
                        action_label(program, producer.action)
                    ),
                )
                .with_help("name the output of an `ecr` source action, or of a build that writes imageDetail.json (`{\"ImageURI\": \"…\"}`) into its `output files(…)`"),
            );
        }
    }
}

/// The files an action reads from its inputs (a template path, `taskdef.json`, a `FileName`)
/// are in those inputs, when cruddur knows what they hold: an ECS deploy's
/// `imagedefinitions.json`, an ECR source's `imageDetail.json`, the files a build's output
/// lists.
fn file_reads(
    program: &Program,
    graph: &ArtifactGraph,
    spec: &ProviderSpec,
    action: &Action,
    out: &mut Vec<Diagnostic>,
) {
    for setting in spec.settings {
        let Some(read) = &setting.reads else { continue };
        // The path read, where it is written (the action itself for a default), and whether
        // the setting is written.
        let (path, loc, written) = match (action.config(setting.name), read.default) {
            (Some(_), _) => match literal_setting(action, setting.name) {
                Some((value, loc)) => (value, loc.clone(), true),
                None => continue,
            },
            (None, Some(default)) => (default.to_string(), action.label.loc.clone(), false),
            (None, None) => continue,
        };
        let (artifact, file) = match &read.artifact {
            // The setting names the artifact; the file is fixed, and read only when it is set.
            FileIn::Named if written => match read.default {
                Some(file) => (path, file.to_string()),
                None => continue,
            },
            FileIn::Named => continue,
            FileIn::TheInput => match action.inputs.as_slice() {
                [only] => (only.value.clone(), path),
                _ => continue,
            },
            FileIn::NamedBy(other) => match literal_setting(action, other) {
                Some((name, _)) => (name, path),
                None => continue,
            },
            FileIn::Prefixed => match path.split_once("::") {
                Some((name, file)) => (name.to_string(), file.to_string()),
                None => continue,
            },
        };
        // An artifact that is not an input, or that nobody produces, is reported as such.
        if !action.inputs.iter().any(|i| i.value == artifact) {
            continue;
        }
        let Some(produced) = graph.get(&artifact) else { continue };
        let producer = &produced.producer;
        let Some(contents) = producer.ty.contents(program) else {
            continue;
        };
        if contents.iter().any(|pattern| pattern_matches(pattern, &file)) {
            continue;
        }
        let message = if written {
            format!("`{artifact}` holds no `{file}`")
        } else {
            format!(
                "`{artifact}` holds no `{file}`, which `{}` reads when it is not set",
                setting.name
            )
        };
        let mut d = Diagnostic::new(
            Code::FileNotInArtifact,
            message,
            loc.file,
            loc.span.clone(),
            "read here",
        )
        .with_secondary(
            producer.output.loc.file,
            producer.output.loc.span.clone(),
            format!("holds {}", contents.join(", ")),
        )
        .with_note(format!(
            "`{}` ({}) is read from the artifact at run time; the action fails when the file is not there",
            setting.name, setting.key
        ));
        match (contents.as_slice(), written) {
            _ if read.artifact == FileIn::Named => {
                d = d.with_help(format!(
                    "write `{file}` in the build that produces `{artifact}`, and add it to the project's `output files(…)`"
                ));
            }
            ([only], true) if !only.contains('*') => {
                let value = match read.artifact {
                    FileIn::Prefixed => format!("{artifact}::{only}"),
                    _ => only.clone(),
                };
                d = d.with_fix(
                    format!("replace with `{value}`"),
                    loc.span.clone(),
                    format!("\"{value}\""),
                );
            }
            (_, false) => {
                d = d.with_help(format!("set `{}` to the file the artifact holds", setting.name));
            }
            _ => {}
        }
        out.push(d);
    }
}

/// Settings written in a form AWS does not take there, where the intended value is plain: a
/// clone URL for `owner/name`, a full ref for a branch name, an ARN for a bucket name.
/// Settings that name an AWS resource, with the botocore shape that names it
/// (`data::limit`), and how a message calls it.
const NAMED_BY_SETTING: &[(&str, &str, &str)] = &[
    ("stack", "stack_name", "CloudFormation stack name"),
    ("change_set", "change_set_name", "change set name"),
    ("function", "function_name", "Lambda function name"),
    ("application", "codedeploy_application", "CodeDeploy application name"),
    (
        "deployment_group",
        "codedeploy_deployment_group",
        "CodeDeploy deployment group name",
    ),
    ("tag", "image_tag", "image tag"),
    ("image_tag", "image_tag", "image tag"),
];

/// Values as CodePipeline takes them: every configuration value at most 1,000 characters
/// (botocore's `ActionConfigurationValue`), names in their API's pattern, a KMS key as an id
/// or ARN, and a stack's `parameter_overrides` a JSON object
/// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html).
/// Values with a pipeline variable are resolved at run time and not judged.
/// A CodeBuild action's `env` goes out as one JSON text in `EnvironmentVariables`, a setting
/// like the others: at most 1,000 characters. Counted from what is known now (compile-time
/// values and pipeline variables may make it longer, never shorter).
fn environment_variables_length(action: &Action, out: &mut Vec<Diagnostic>) {
    let Some(first) = action.env.first() else { return };
    let length: usize = action
        .env
        .iter()
        .map(|var| {
            let text = match &var.value {
                EnvValue::Plain(t) | EnvValue::ParameterStore(t) | EnvValue::SecretsManager(t) => t,
            };
            let value: usize = text.literal_runs().map(str::len).sum();
            // {"name":"…","type":"PLAINTEXT","value":"…"}, and the comma between entries.
            var.name.value.len() + value + r#"{"name":"","type":"PLAINTEXT","value":""},"#.len()
        })
        .sum::<usize>()
        + 1;
    if length > 1000 {
        let last = action.env.last().map_or(&first.loc, |v| &v.loc);
        out.push(
            Diagnostic::new(
                Code::OutOfRange,
                format!("the action's `env` makes an `EnvironmentVariables` setting of at least {length} characters"),
                first.loc.file,
                first.loc.span.start..last.span.end,
                "longer than 1,000 characters",
            )
            .with_note("CodePipeline takes the variables as one JSON text, and every action configuration value is at most 1,000 characters (`ActionConfigurationValue`)")
            .with_help("move long or fixed values to the project's `env`, or read them from Parameter Store"),
        );
    }
}

fn setting_values(action: &Action, out: &mut Vec<Diagnostic>) {
    environment_variables_length(action, out);
    for property in &action.config {
        let ConfigValue::Text(text) = &property.value else {
            continue;
        };
        let Some(value) = text.literal() else { continue };
        if value.contains("#{") {
            continue;
        }
        if value.is_empty() {
            // A required setting written empty is reported as missing (E0315).
            let reported = out
                .iter()
                .any(|d| d.primary.file == text.loc.file && d.primary.span == text.loc.span);
            if !reported {
                out.push(
                    Diagnostic::new(
                        Code::MissingConfiguration,
                        format!(
                            "`{}` is empty: CodePipeline takes configuration values of 1 to 1,000 characters",
                            property.key.value
                        ),
                        text.loc.file,
                        text.loc.span.clone(),
                        "empty",
                    )
                    .with_help(format!(
                        "remove `{}` to use its default, or give it a value",
                        property.key.value
                    )),
                );
            }
            continue;
        }
        if let Err(why) = crate::data::check_name("action_configuration_value", &value) {
            out.push(
                Diagnostic::new(
                    Code::OutOfRange,
                    format!("`{}` is too long for CodePipeline: {why}", property.key.value),
                    text.loc.file,
                    text.loc.span.clone(),
                    "longer than 1,000 characters",
                )
                .with_note("every action configuration value is at most 1,000 characters (CodePipeline's `ActionConfigurationValue`)"),
            );
            continue;
        }
        if let Some((_, limit, what)) = NAMED_BY_SETTING.iter().find(|(name, ..)| *name == property.key.value) {
            out.extend(crate::resolve::lower::invalid_name(text, limit, what));
        }
        // A KMS key is given by id, key ARN or alias ARN; a bare alias name is refused
        // (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3Deploy.html).
        if property.key.value == "kms_key_arn" && value.starts_with("alias/") {
            out.push(
                Diagnostic::new(
                    Code::InvalidAwsName,
                    format!(
                        "`{}` takes a key id, a key ARN or an alias ARN, not the alias `{value}`",
                        property.key.value
                    ),
                    text.loc.file,
                    text.loc.span.clone(),
                    "bare alias",
                )
                .with_fix(
                    "write the alias's ARN",
                    text.loc.span.clone(),
                    format!("\"arn:aws:kms:${{{{ aws.region }}}}:${{{{ aws.account }}}}:{value}\""),
                ),
            );
        }
        if property.key.value == "parameter_overrides"
            && !serde_json::from_str::<serde_json::Value>(&value).is_ok_and(|v| v.is_object())
        {
            out.push(
                Diagnostic::new(
                    Code::WrongType,
                    "`parameter_overrides` must be a JSON object of parameter names and values",
                    text.loc.file,
                    text.loc.span.clone(),
                    "not a JSON object",
                )
                .with_help(r#"write it as `"{\"Env\": \"prod\", \"Size\": \"2\"}"`"#),
            );
        }
    }
}

fn setting_forms(action: &Action, out: &mut Vec<Diagnostic>) {
    for property in &action.config {
        let ConfigValue::Text(text) = &property.value else {
            continue;
        };
        let Some(value) = text.literal() else { continue };
        let fixed = match property.key.value.as_str() {
            "repo" => repository_id(&value)
                .filter(|id| *id != value)
                .map(|id| (id, "a repository id, `owner/name`")),
            "branch" => value
                .strip_prefix("refs/heads/")
                .map(|b| (b.to_string(), "a branch name, not a full ref")),
            // Bucket names are judged in `aws_names`.
            _ => None,
        };
        // An empty one is reported as missing.
        if property.key.value == "repo"
            && fixed.is_none()
            && !value.is_empty()
            && value
                .split_once('/')
                .is_none_or(|(owner, name)| owner.is_empty() || name.is_empty())
        {
            // No owner: which one is meant is not ours to guess.
            out.push(
                Diagnostic::new(
                    Code::InvalidAwsName,
                    "`repo` takes a repository id, `owner/name`",
                    text.loc.file,
                    text.loc.span.clone(),
                    "no owner",
                )
                .with_help("write the owner (a user, an organization or a group), a `/`, and the repository's name: `\"OWNER/NAME\"`")
                .with_note("the source action's FullRepositoryId is the repository's owner and name; the pipeline fails to start without the owner"),
            );
            continue;
        }
        let Some((fixed, wanted)) = fixed else { continue };
        out.push(
            Diagnostic::new(
                Code::InvalidAwsName,
                format!("`{}` takes {wanted}", property.key.value),
                text.loc.file,
                text.loc.span.clone(),
                "AWS does not take this form here",
            )
            .with_fix(
                format!("write `{fixed}`"),
                text.loc.span.clone(),
                format!("\"{fixed}\""),
            ),
        );
    }
}

/// `owner/name` from a clone URL (`https://github.com/owner/name.git`, `git@host:owner/name`).
fn repository_id(value: &str) -> Option<String> {
    let path = if let Some((_, rest)) = value.split_once("://") {
        rest.split_once('/')?.1
    } else if let Some((_, rest)) = value.strip_prefix("git@").and_then(|v| v.split_once(':')) {
        rest
    } else {
        value
    };
    let path = path.trim_end_matches('/').trim_end_matches(".git");
    (path.split('/').count() == 2 && !path.starts_with('/')).then(|| path.to_string())
}

/// A connection source with `output_format = "CODEBUILD_CLONE_REF"` outputs a reference to
/// the repository, not its files: only a CodeBuild action can clone it
/// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html).
fn clone_ref_input(
    program: &Program,
    action: &Action,
    input: &At<String>,
    producer: &Production,
    out: &mut Vec<Diagnostic>,
) {
    if matches!(action.provider.value, Provider::CodeBuild { .. }) {
        return;
    }
    let Some(format) = program.action(producer.action).and_then(Action::full_clone) else {
        return;
    };
    out.push(
        Diagnostic::new(
            Code::ArtifactTypeMismatch,
            format!(
                "`{}` is a full-clone reference, which only CodeBuild actions can read; {} action reads files",
                input.value,
                crate::diagnostics::a_or_an(action.provider.value.name()),
            ),
            input.loc.file,
            input.loc.span.clone(),
            "not files",
        )
        .with_secondary(
            format.file,
            format.span.clone(),
            "a reference to the repository, not its files",
        )
        .with_help(
            "give this action the output of a CodeBuild action that clones it, or drop `output_format` from the source",
        ),
    );
}

fn input_type(
    program: &Program,
    action: &Action,
    input: &At<String>,
    producer: &Production,
    out: &mut Vec<Diagnostic>,
) {
    let Provider::Ecs { service } = action.provider.value else {
        return;
    };
    match &producer.ty {
        ArtifactType::ImageDefinitions { service: produced_for } => {
            // Written for the deployed service, its containers are judged where they are named.
            if *produced_for == service {
                return;
            }
            let (Some(target), Some(source)) = (program.services.get(service), program.services.get(*produced_for))
            else {
                return;
            };
            let Some(want) = target.containers.iter().map(Text::literal).collect::<Option<Vec<_>>>() else {
                return;
            };
            let images = match program.action(producer.action).map(|a| &a.provider.value) {
                Some(Provider::CodeBuild { project, .. }) => program
                    .projects
                    .get(*project)
                    .and_then(|p| p.outputs.first())
                    .map_or(&[][..], |o| o.images()),
                _ => &[],
            };
            let missing: Vec<&Text> = images
                .iter()
                .filter_map(|image| source.container_of(image))
                .filter(|c| c.literal().is_some_and(|have| !want.contains(&have)))
                .collect();
            let Some(first) = missing.first() else { return };
            let quoted = |names: &mut dyn Iterator<Item = String>| {
                names.map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            };
            let have = quoted(&mut missing.iter().filter_map(|c| c.literal().map(Cow::into_owned)));
            let runs = match want.as_slice() {
                [one] => format!("container `{one}`"),
                many => format!("containers {}", quoted(&mut many.iter().map(|n| n.to_string()))),
            };
            let containers = if missing.len() == 1 { "container" } else { "containers" };
            let mut diagnostic = Diagnostic::new(
                Code::ContainerMismatch,
                format!(
                    "`{}` names {containers} {have}, but service `{}` runs {runs}",
                    input.value, target.header.name
                ),
                input.loc.file,
                input.loc.span.clone(),
                format!("imagedefinitions.json for {containers} {have}"),
            )
            .with_secondary(
                first.loc.file,
                first.loc.span.clone(),
                format!("{containers} of service `{}`", source.header.name),
            );
            if let Some(at) = &target.containers_loc {
                diagnostic = diagnostic.with_secondary(
                    at.file,
                    at.span.clone(),
                    format!("{runs} (service `{}`)", target.header.name),
                );
            }
            out.push(
                diagnostic
                    .with_help(format!(
                        "deploy service `{}`, which the images were written for, or write them for `{}`: `image_definitions({}, …)`",
                        source.header.name, target.header.name, target.header.name
                    ))
                    .with_note("the ECS deploy looks each image up by container name: this deploy would fail with \"container not found in task definition\""),
            );
        }
        // A build's own files may hold an image definitions file: judged by `file_reads`.
        ArtifactType::Opaque | ArtifactType::Undeclared { .. } | ArtifactType::Files { .. } => {}
        other => {
            out.push(
                Diagnostic::new(
                    Code::ArtifactTypeMismatch,
                    format!("an `ecs` deploy takes an ImageDefinitions artifact; `{}` is {other}", input.value),
                    input.loc.file,
                    input.loc.span.clone(),
                    "expected ImageDefinitions",
                )
                .with_secondary(producer.output.loc.file, producer.output.loc.span.clone(), format!("{other}, produced by `{}`", action_label(program, producer.action)))
                .with_help("deploy the output of a build whose project declares `output image_definitions(service, image = \"…\")`"),
            );
        }
    }
}

/// E0338: more stages, or actions, than CodePipeline takes in one pipeline (or stage). Each is
/// reported at the first one beyond the quota: they are separate changes (merging stages
/// leaves the actions as many).
fn quotas(pipeline: &Pipeline, out: &mut Vec<Diagnostic>) {
    use crate::data::{pipeline_quota, quotas};
    let header = &pipeline.header;
    let quota = |label: &At<String>, owner: &Loc, message: String, what: &str, row: &str| {
        Diagnostic::new(
            Code::PipelineQuota,
            message,
            label.loc.file,
            label.loc.span.clone(),
            what,
        )
        .with_secondary(owner.file, owner.span.clone(), "here")
        .with_note(format!("CodePipeline's quota: {row} (not adjustable)"))
    };
    let stages = pipeline_quota(quotas::STAGES_PER_PIPELINE);
    if let Some(beyond) = pipeline.stages.get(stages.max) {
        out.push(
            quota(
                &beyond.label,
                &header.loc,
                format!(
                    "pipeline `{}` has {} stages; CodePipeline takes at most {}",
                    header.name,
                    pipeline.stages.len(),
                    stages.max
                ),
                "one stage too many",
                stages.row,
            )
            .with_help("merge stages whose actions can run together, or split the pipeline into several"),
        );
    }
    let per_stage = pipeline_quota(quotas::ACTIONS_PER_STAGE);
    for stage in &pipeline.stages {
        if let Some(beyond) = stage.actions.get(per_stage.max) {
            out.push(
                quota(
                    &beyond.label,
                    &stage.label.loc,
                    format!(
                        "stage `{}` has {} actions; CodePipeline takes at most {} in a stage",
                        stage.label.value,
                        stage.actions.len(),
                        per_stage.max
                    ),
                    "one action too many",
                    per_stage.row,
                )
                .with_help("move actions into another stage"),
            );
        }
    }
    let per_pipeline = pipeline_quota(quotas::ACTIONS_PER_PIPELINE);
    if let Some(beyond) = pipeline.stages.iter().flat_map(|s| &s.actions).nth(per_pipeline.max) {
        let total = pipeline.stages.iter().map(|s| s.actions.len()).sum::<usize>();
        out.push(
            quota(
                &beyond.label,
                &header.loc,
                format!(
                    "pipeline `{}` has {total} actions; CodePipeline takes at most {}",
                    header.name, per_pipeline.max
                ),
                "one action too many",
                per_pipeline.row,
            )
            .with_help("split the pipeline into several"),
        );
    }
}

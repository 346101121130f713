//! Pipeline variables, `#{namespace.NAME}`. CodePipeline resolves them in action settings
//! only: a reference there names a namespace an earlier action of the same pipeline declares
//! (or CodePipeline's own `codepipeline`, or `variables` for pipeline-level ones), and for a
//! build's namespace a variable its project exports. Anywhere else (a project's `env`, a
//! command, an IAM resource) nothing resolves it: the text reaches the build or the policy as
//! written. Source: https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html

use crate::diagnostics::{did_you_mean, Code, Diagnostic, SourceMap};
use crate::resolve::model::*;

/// Namespaces CodePipeline provides itself.
const BUILT_IN: &[&str] = &["codepipeline", "variables"];

/// A `#{ns.NAME}` (or, with `dollar`, a `${ns.NAME}` written for one) in a string, with where
/// it is in the file.
struct Reference<'a> {
    namespace: &'a str,
    name: &'a str,
    span: std::ops::Range<usize>,
}

/// The references written in `text`, found in its source so their spans are exact.
fn references<'a>(sources: &'a SourceMap, text: &Text, sigil: char) -> Vec<Reference<'a>> {
    let raw = sources.source(text.loc.file).get(text.loc.span.clone()).unwrap_or("");
    let mut out = Vec::new();
    let opens = raw
        .match_indices(sigil)
        .filter(|(at, _)| raw[at + 1..].starts_with('{'));
    for (at, _) in opens {
        // `${{ … }}` is cruddur's interpolation, not a reference.
        if raw[at + 2..].starts_with('{') {
            continue;
        }
        let Some(len) = raw[at + 2..].find('}') else { continue };
        let inner = &raw[at + 2..at + 2 + len];
        let Some((namespace, name)) = inner.split_once('.') else {
            continue;
        };
        let word = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '@'))
        };
        if word(namespace) && word(name) {
            let start = text.loc.span.start + at;
            out.push(Reference {
                namespace,
                name,
                span: start..start + len + 3,
            });
        }
    }
    out
}

pub fn check(sources: &SourceMap, program: &Program, out: &mut Vec<Diagnostic>) {
    for project in &program.projects {
        let env = project.env.iter().filter_map(|v| match &v.value {
            EnvValue::Plain(text) => Some((text, "a project's `env`: CodeBuild sets the text as written")),
            _ => None,
        });
        let commands = project
            .phases
            .iter()
            .flat_map(|p| p.commands.iter().chain(&p.finally))
            .filter_map(|c| match c {
                Command::Shell(text) => Some((text, "a command: the shell sees the text as written")),
                _ => None,
            });
        for (text, place) in env.chain(commands) {
            unresolved(sources, text, place, out);
        }
    }
    let allows = program
        .roles
        .iter()
        .flat_map(|r| &r.allows)
        .chain(program.projects.iter().flat_map(|p| &p.allows))
        .chain(program.pipelines.iter().flat_map(|p| &p.allows));
    for resource in allows.flat_map(|a| &a.resources) {
        unresolved(
            sources,
            resource,
            "an IAM resource: the policy would match nothing",
            out,
        );
    }
    for pipeline in &program.pipelines {
        in_settings(sources, program, pipeline, out);
    }
}

fn unresolved(sources: &SourceMap, text: &Text, place: &str, out: &mut Vec<Diagnostic>) {
    for reference in references(sources, text, '#') {
        out.push(
            Diagnostic::new(
                Code::UnresolvedPipelineVariable,
                format!(
                    "`#{{{}.{}}}` is not resolved in {place}",
                    reference.namespace, reference.name
                ),
                text.loc.file,
                reference.span,
                "left as written",
            )
            .with_note("CodePipeline resolves pipeline variables in action settings only"),
        );
    }
}

/// An action that declares a namespace: where it runs, and what it exports.
struct Declared<'a> {
    action: &'a Action,
    stage: usize,
}

fn in_settings(sources: &SourceMap, program: &Program, pipeline: &Pipeline, out: &mut Vec<Diagnostic>) {
    let declared: Vec<(&str, Declared)> = pipeline
        .stages
        .iter()
        .enumerate()
        .flat_map(|(stage, s)| s.actions.iter().map(move |action| (stage, action)))
        .filter_map(|(stage, action)| Some((action.namespace.as_ref()?.value.as_str(), Declared { action, stage })))
        .collect();
    let names: Vec<&str> = declared
        .iter()
        .map(|(n, _)| *n)
        .chain(BUILT_IN.iter().copied())
        .collect();
    for (stage, action) in pipeline
        .stages
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.actions.iter().map(move |a| (i, a)))
    {
        let env = action.env.iter().map(|v| match &v.value {
            EnvValue::Plain(text) | EnvValue::ParameterStore(text) | EnvValue::SecretsManager(text) => text,
        });
        let texts = action
            .config
            .iter()
            .flat_map(|c| match &c.value {
                ConfigValue::Text(text) => vec![text],
                ConfigValue::List(items) => items.iter().collect(),
                _ => Vec::new(),
            })
            .chain(env);
        for text in texts {
            // `${ns.NAME}` for a declared namespace: a pipeline variable written like a shell one.
            for reference in references(sources, text, '$') {
                if declared.iter().any(|(n, _)| *n == reference.namespace) {
                    let start = reference.span.start;
                    out.push(
                        Diagnostic::new(
                            Code::UnknownPipelineVariable,
                            format!(
                                "`${{{}.{}}}` is not a pipeline variable: they are written `#{{…}}`",
                                reference.namespace, reference.name
                            ),
                            text.loc.file,
                            reference.span.clone(),
                            "left as written",
                        )
                        .with_fix("write `#{…}`", start..start + 1, "#"),
                    );
                }
            }
            for reference in references(sources, text, '#') {
                if reference.namespace == "variables" {
                    pipeline_level(pipeline, &reference, text, out);
                    continue;
                }
                if BUILT_IN.contains(&reference.namespace) {
                    continue;
                }
                let found = declared.iter().find(|(n, _)| *n == reference.namespace).map(|(_, d)| d);
                let message = match found {
                    None => format!(
                        "no action of this pipeline declares namespace `{}`",
                        reference.namespace
                    ),
                    Some(d)
                        if !(d.stage < stage || (d.stage == stage && d.action.run_order() < action.run_order())) =>
                    {
                        format!(
                            "namespace `{}` is declared by `{}`, which does not run before `{}`",
                            reference.namespace, d.action.label.value, action.label.value
                        )
                    }
                    Some(d) => {
                        match d.action.provider.value {
                            Provider::CodeBuild { project, .. } => {
                                exported(program, project, d.action, &reference, text, out)
                            }
                            _ => documented(d.action, &reference, text, out),
                        }
                        continue;
                    }
                };
                let mut diagnostic = Diagnostic::new(
                    Code::UnknownPipelineVariable,
                    message,
                    text.loc.file,
                    reference.span.clone(),
                    "not resolved",
                )
                .with_note("a variable is read from an action that ran earlier in the pipeline: an earlier stage, or a lower `run_order`");
                if let Some(d) = found {
                    let at = d.action.namespace.as_ref().map_or(&d.action.label.loc, |n| &n.loc);
                    diagnostic = diagnostic.with_secondary(at.file, at.span.clone(), "declared here");
                } else if let Some(s) = did_you_mean(reference.namespace, names.iter().copied()) {
                    let start = reference.span.start + 2;
                    diagnostic =
                        diagnostic.with_suggestion(format!("read `{s}`"), start..start + reference.namespace.len(), s);
                }
                out.push(diagnostic);
            }
        }
    }
}

/// `#{variables.NAME}` reads a variable the pipeline declares (`variable NAME = …`).
fn pipeline_level(pipeline: &Pipeline, reference: &Reference, text: &Text, out: &mut Vec<Diagnostic>) {
    if pipeline.variables.iter().any(|v| v.name.value == reference.name) {
        return;
    }
    let mut d = Diagnostic::new(
        Code::UnknownPipelineVariable,
        format!(
            "pipeline `{}` declares no variable `{}`",
            pipeline.header.name, reference.name
        ),
        text.loc.file,
        reference.span.clone(),
        "not resolved",
    );
    let names = pipeline.variables.iter().map(|v| v.name.value.as_str());
    match did_you_mean(reference.name, names) {
        Some(s) => {
            let start = reference.span.start + "#{variables.".len();
            d = d.with_fix(format!("read `{s}`"), start..start + reference.name.len(), s);
        }
        None if pipeline.variables.is_empty() => {
            d = d.with_help(format!(
                "declare it in the pipeline: `variable {} = \"default\"`",
                reference.name
            ))
        }
        None => {
            let declared: Vec<&str> = pipeline.variables.iter().map(|v| v.name.value.as_str()).collect();
            d = d.with_note(format!("it declares: {}", declared.join(", ")));
        }
    }
    if let Some(first) = pipeline.variables.first() {
        d = d.with_secondary(
            first.name.loc.file,
            first.name.loc.span.clone(),
            "the pipeline's variables",
        );
    }
    out.push(d);
}

/// A source's namespace holds the variables CodePipeline documents for its provider
/// (`data::pipeline_variables`). Providers without a documented list (stack outputs, a
/// function's output variables, actions the cited page predates) are not judged.
fn documented(producer: &Action, reference: &Reference, text: &Text, out: &mut Vec<Diagnostic>) {
    let provider = match producer.provider.value {
        Provider::ConnectionSource { .. } => "CodeStarSourceConnection",
        Provider::EcrSource { .. } => "ECR",
        Provider::S3Source => "S3",
        Provider::CodeCommitSource => "CodeCommit",
        _ => return,
    };
    let Some(keys) = crate::data::pipeline_variables(provider) else {
        return;
    };
    if keys.contains(&reference.name) {
        return;
    }
    let mut d = Diagnostic::new(
        Code::UnexportedVariable,
        format!(
            "`{}` ({} source `{}`) has no variable `{}`",
            reference.namespace,
            producer.provider.value.name(),
            producer.label.value,
            reference.name
        ),
        text.loc.file,
        reference.span.clone(),
        "never set",
    )
    .with_note(format!(
        "a {} source sets: {}",
        producer.provider.value.name(),
        keys.join(", ")
    ));
    if let Some(at) = &producer.namespace {
        d = d.with_secondary(at.loc.file, at.loc.span.clone(), "the source's namespace");
    }
    if let Some(s) = did_you_mean(reference.name, keys.iter().copied()) {
        let start = reference.span.start + 2 + reference.namespace.len() + 1;
        d = d.with_fix(format!("read `{s}`"), start..start + reference.name.len(), s);
    }
    out.push(d);
}

/// A build's namespace holds the variables its project exports.
fn exported(
    program: &Program,
    project: usize,
    producer: &Action,
    reference: &Reference,
    text: &Text,
    out: &mut Vec<Diagnostic>,
) {
    let Some(project) = program.projects.get(project) else {
        return;
    };
    if project.exported.iter().any(|v| v.value == reference.name) {
        return;
    }
    let names: Vec<&str> = project.exported.iter().map(|v| v.value.as_str()).collect();
    let mut d = Diagnostic::new(
        Code::UnexportedVariable,
        format!(
            "`{}` (project `{}`, run by `{}`) exports no variable `{}`",
            reference.namespace, project.header.name, producer.label.value, reference.name
        ),
        text.loc.file,
        reference.span.clone(),
        "never set",
    )
    .with_secondary(project.header.loc.file, project.header.loc.span.clone(), "the project");
    d = match did_you_mean(reference.name, names.iter().copied()) {
        Some(s) => {
            let start = reference.span.start + 2 + reference.namespace.len() + 1;
            d.with_suggestion(format!("read `{s}`"), start..start + reference.name.len(), s)
        }
        None if names.is_empty() && project.buildspec_in_file() => d.with_help(format!(
            "list it in the buildspec file's `env: exported-variables: [{}]`",
            reference.name
        )),
        None if names.is_empty() => d.with_help(format!(
            "list it in the project's `export`: `export {}`",
            reference.name
        )),
        None => d.with_note(format!("it exports: {}", names.join(", "))),
    };
    out.push(d);
}

//! Buildspec checks: shell variables that nothing defines, runtime versions the image does not
//! install, Docker without the privileged flag, and projects that build twice per merge.

use crate::data;
use crate::diagnostics::did_you_mean;
use crate::diagnostics::{Code, Diagnostic, SourceMap};
use crate::resolve::model::*;
use crate::resolve::Gaps;
use crate::vocabulary::{Enumerated, EnvironmentType, PhaseName, WebhookEvent};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// Variables every POSIX shell or login environment provides, and the ones bash sets itself
/// (the bash manual, "Bash Variables"), since commands may run under bash (`shell = bash`).
const SHELL_VARIABLES: &[&str] = &[
    "HOME",
    "PATH",
    "PWD",
    "OLDPWD",
    "USER",
    "SHELL",
    "HOSTNAME",
    "LANG",
    "TERM",
    "RANDOM",
    "IFS",
    "UID",
    "PPID",
    "OPTARG",
    "OPTIND",
    "REPLY",
    "SECONDS",
    "LINENO",
    "EUID",
    "SHLVL",
    "BASH",
    "BASHPID",
    "BASH_VERSION",
    "BASH_SOURCE",
    "BASH_REMATCH",
    "FUNCNAME",
    "PIPESTATUS",
    "HOSTTYPE",
    "OSTYPE",
    "MACHTYPE",
    "EPOCHSECONDS",
    "EPOCHREALTIME",
    "GROUPS",
];

/// Docker subcommands that talk to the daemon, which CodeBuild runs only in privileged mode
/// (`manifest` and `scout` talk to the registry instead).
const DOCKER_SUBCOMMANDS: &[&str] = &[
    "build",
    "push",
    "pull",
    "login",
    "run",
    "buildx",
    "compose",
    "tag",
    "images",
    "exec",
    "create",
    "start",
    "network",
    "volume",
    "save",
    "load",
    "inspect",
    "ps",
    "stop",
    "rm",
    "rmi",
    "system",
    "info",
    "image",
    "container",
    "cp",
    "logs",
    "kill",
    "commit",
    "import",
    "export",
    "history",
    "wait",
    "version",
];

pub fn check(
    sources: &SourceMap,
    program: &Program,
    gaps: &Gaps,
    pushes: &super::tags::Pushes,
    out: &mut Vec<Diagnostic>,
) {
    for (index, project) in program.projects.iter().enumerate() {
        if project.buildspec_unseen() {
            continue;
        }
        // Text of the project that was not read (a misspelt `enviroment` or `evn` block) may
        // hold the image, the privileged flag or the variables: what they would settle is not
        // judged, so one mistake gives one diagnostic.
        let unread = gaps.within(&project.header.item_loc).next().is_some();
        variables(sources, program, index, project, unread, out);
        runtimes(project, unread, out);
        if !unread {
            docker(sources, project, out);
        }
        push_login(sources, project, gaps, out);
        // A `pushes` entry that names nothing may be the repository pushed to.
        if !project.pushes_unread {
            push_targets(sources, program, project, out);
        }
        super::tags::check(program, pushes, index, out);
        super::folded::check(sources, project, out);
        removed_commands(sources, project, out);
        digests_known(project, out);
    }
    double_builds(program, out);
    project_sources(program, out);
    s3_locations(program, out);
    sourceless_buildspec_files(program, out);
    unexpanded_project_variables(sources, program, out);
    super::tags::unpushed_tags(sources, program, pushes, out);
}

/// A project's own environment variables (a buildspec file's project's `env`) are set as
/// written: a `$NAME` in one reaches the commands as those characters, not as the value.
/// (An inline buildspec sets such a value with its first command instead, where the shell
/// expands it.)
fn unexpanded_project_variables(sources: &SourceMap, program: &Program, out: &mut Vec<Diagnostic>) {
    for project in &program.projects {
        for var in project.project_variables() {
            let EnvValue::Plain(text) = &var.value else { continue };
            let raw = sources.source(text.loc.file).get(text.loc.span.clone()).unwrap_or("");
            let Some((name, at)) = shell_references(raw).into_iter().next() else {
                continue;
            };
            let start = text.loc.span.start + at;
            let written = if raw[at..].starts_with("${") {
                name.len() + 3
            } else {
                name.len() + 1
            };
            let as_written = raw.get(at..at + written).unwrap_or_default();
            out.push(
                Diagnostic::new(
                    Code::UnexpandedVariable,
                    format!(
                        "`{}` would hold the characters `{as_written}`: CodeBuild sets a project's variables as written",
                        var.name.value
                    ),
                    text.loc.file,
                    start..start + written,
                    "not expanded",
                )
                .with_help(format!(
                    "set it in a command of the buildspec file instead (`export {}=\"…${name}…\"`), where the shell expands it",
                    var.name.value
                ))
                .with_note("this project's buildspec is a file: the variables written here become the project's environment variables"),
            );
        }
    }
}

/// A buildspec file is read from the build's source: a project no pipeline runs and with no
/// `source` of its own builds with NO_SOURCE, where there is no file to read.
fn sourceless_buildspec_files(program: &Program, out: &mut Vec<Diagnostic>) {
    for (index, project) in program.projects.iter().enumerate() {
        let Some(buildspec) = &project.buildspec else { continue };
        if project.source.is_some() || project.s3_source.is_some() || program.runs_project(index) {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::BuildspecFileUnreadable,
                format!(
                    "project `{}` has no source for CodeBuild to read `{}` from",
                    project.header.name, buildspec.path.value
                ),
                buildspec.path.loc.file,
                buildspec.path.loc.span.clone(),
                "read from the build's source",
            )
            .with_secondary(
                project.header.loc.file,
                project.header.loc.span.clone(),
                "run by no pipeline, no `source`",
            )
            .with_help("run the project from a pipeline's `codebuild` action, or give it a `source = github(…)` or `source = s3(\"bucket/key.zip\")`")
            .with_note("without a source CodeBuild builds with NO_SOURCE, which takes the buildspec's text only"),
        );
    }
}

/// A project a pipeline runs reads its source from the pipeline and writes its output there:
/// an S3 source or `output_to` of its own would be ignored (CodePipeline sets both).
fn s3_locations(program: &Program, out: &mut Vec<Diagnostic>) {
    for (index, project) in program.projects.iter().enumerate() {
        let Some(pipeline) = program.runner(index) else {
            continue;
        };
        let written = [
            project
                .s3_source
                .as_ref()
                .map(|s| (&s.loc, "source = s3(…)", "its source")),
            project.output_to.as_ref().map(|o| (&o.loc, "output_to", "its output")),
        ];
        for (loc, member, what) in written.into_iter().flatten() {
            out.push(
                Diagnostic::new(
                    Code::S3Location,
                    format!(
                        "project `{}` runs in pipeline `{}`, which gives it {what}: `{member}` would be ignored",
                        project.header.name, pipeline.header.name
                    ),
                    loc.file,
                    loc.span.clone(),
                    "for a project no pipeline runs",
                )
                .with_secondary(pipeline.header.loc.file, pipeline.header.loc.span.clone(), "the pipeline that runs it")
                .with_help("the pipeline's artifacts are the build's source and output: read and write them with `input` and `output` in the action"),
            );
        }
    }
}

/// A project's own source: its connection must be to the host it names (CodeBuild reads the
/// repository as that host's source type), and its webhook events must be ones that host
/// sends (`WebhookEvent::on`).
fn project_sources(program: &Program, out: &mut Vec<Diagnostic>) {
    for project in &program.projects {
        let Some(source) = &project.source else { continue };
        let host = source.host.value;
        let connection = program.connections.get(source.connection.value);
        if let Some(provider) = connection.and_then(|c| c.provider.as_ref()) {
            if provider.value != host.connection_provider() {
                out.push(
                    Diagnostic::new(
                        Code::SourceHostMismatch,
                        format!(
                            "`{}(…)` reads a {} repository, but connection `{}` is to {}",
                            host.word(),
                            host.connection_provider().word(),
                            connection.map_or("", |c| c.header.name.as_str()),
                            provider.value.word()
                        ),
                        source.host.loc.file,
                        source.host.loc.span.clone(),
                        "another host",
                    )
                    .with_secondary(
                        provider.loc.file,
                        provider.loc.span.clone(),
                        "the connection's host",
                    ),
                );
            }
        }
        super::webhook::access(source, out);
        for event in &source.events {
            if !event.value.on(host) {
                let sent: Vec<&str> = WebhookEvent::ALL
                    .iter()
                    .filter(|e| e.on(host))
                    .map(|e| e.word())
                    .collect();
                out.push(
                    Diagnostic::new(
                        Code::SourceHostMismatch,
                        format!(
                            "{} sends no `{}` webhook event",
                            host.connection_provider().word(),
                            event.value.word()
                        ),
                        event.loc.file,
                        event.loc.span.clone(),
                        "never sent",
                    )
                    .with_note(format!(
                        "{} sends: {}",
                        host.connection_provider().word(),
                        sent.join(", ")
                    )),
                );
            }
        }
    }
}

/// `aws ecr get-login`: removed from AWS CLI version 2, which CodeBuild's curated images ship
/// (https://docs.aws.amazon.com/cli/latest/userguide/cliv2-migration-changes.html#cliv2-migration-ecr-get-login).
fn removed_commands(sources: &SourceMap, project: &Project, out: &mut Vec<Diagnostic>) {
    // A custom image may still ship version 1.
    if matches!(
        project.environment.image,
        Some(Image {
            image: ImageRef::Uri(_),
            ..
        })
    ) {
        return;
    }
    for command in commands(project) {
        let Command::Shell(text) = command else { continue };
        let raw = sources.source(text.loc.file).get(text.loc.span.clone()).unwrap_or("");
        for (at, _) in raw.match_indices("ecr get-login") {
            if raw[at + "ecr get-login".len()..].starts_with("-password") {
                continue;
            }
            let start = text.loc.span.start + at;
            out.push(
                Diagnostic::new(
                    Code::RemovedCliCommand,
                    "`aws ecr get-login` does not exist in AWS CLI version 2, which CodeBuild's images run",
                    text.loc.file,
                    start..start + "ecr get-login".len(),
                    "removed in AWS CLI v2",
                )
                .with_help(if project.buildspec_in_file() {
                    "log in with `aws ecr get-login-password --region $AWS_DEFAULT_REGION | docker login --username AWS --password-stdin ACCOUNT.dkr.ecr.REGION.amazonaws.com`"
                } else {
                    "log in with `run ecr_login(REPOSITORY)`, which pipes `aws ecr get-login-password` into `docker login`"
                })
                .with_note("AWS CLI v2 migration guide: https://docs.aws.amazon.com/cli/latest/userguide/cliv2-migration-changes.html#cliv2-migration-ecr-get-login"),
            );
        }
    }
}

fn commands(project: &Project) -> impl Iterator<Item = &Command> {
    project.phases.iter().flat_map(|p| p.commands.iter().chain(&p.finally))
}

/// `$NAME` and `${NAME}` in a command: (name, offset in the text).
pub fn shell_references(text: &str) -> Vec<(&str, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    let mut in_single_quotes = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => in_single_quotes = !in_single_quotes,
            b'\\' => i += 1,
            b'$' if !in_single_quotes => {
                let braced = bytes.get(i + 1) == Some(&b'{');
                let start = i + 1 + usize::from(braced);
                let len = bytes[start.min(bytes.len())..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                    .count();
                // `${NAME:-default}` and the other expansion operators give the variable a
                // fallback (or test it): only a plain reference counts as a use.
                let operator = braced
                    && bytes
                        .get(start + len)
                        .is_some_and(|b| matches!(b, b':' | b'-' | b'=' | b'?' | b'+' | b'#' | b'%' | b'/'));
                if len > 0 && !bytes[start].is_ascii_digit() && !operator {
                    found.push((&text[start..start + len], i));
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The first `$name` or `${name}` at or after `from` that is not the start of a longer name
/// (`$TAG` in `$TAG_NAME` is not `$TAG`), as (start, length).
fn find_reference(haystack: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    let bytes = haystack.as_bytes();
    let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    let mut at = from.min(bytes.len());
    while let Some(found) = bytes[at..].iter().position(|b| *b == b'$') {
        let dollar = at + found;
        let rest = &haystack[dollar + 1..];
        if let Some(after) = rest.strip_prefix(name) {
            if !word(after.as_bytes().first()) {
                return Some((dollar, name.len() + 1));
            }
        } else if let Some(after) = rest
            .strip_prefix('{')
            .and_then(|r| r.strip_prefix(name))
            .and_then(|r| r.strip_prefix('}'))
        {
            if !word(after.as_bytes().first()) {
                return Some((dollar, name.len() + 3));
            }
        }
        at = dollar + 1;
    }
    None
}

/// Names a command assigns: `NAME=…`, `export NAME=…`, `for NAME in`, `read NAME`.
fn assignments(text: &str, into: &mut BTreeSet<String>) {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '|' || c == '(')
        .filter(|w| !w.is_empty())
        .collect();
    for (index, word) in words.iter().enumerate() {
        if let Some((name, _)) = word.split_once('=') {
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                into.insert(name.to_string());
            }
        }
        // `${NAME:=default}` assigns as it expands.
        for (at, _) in word.match_indices("${") {
            let inner = &word[at + 2..];
            if let Some((name, _)) = inner.split_once(":=") {
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    into.insert(name.to_string());
                }
            }
        }
        // `printf -v NAME`, `getopts SPEC NAME`: the name after the option or the spec.
        if (*word == "printf" && words.get(index + 1) == Some(&"-v")) || *word == "getopts" {
            if let Some(name) = words.get(index + 2) {
                into.insert(name.trim_matches(['"', '\'']).to_string());
            }
        }
        let declaring = [
            "for",
            "read",
            "local",
            "export",
            "declare",
            "typeset",
            "readonly",
            "mapfile",
            "readarray",
        ];
        if declaring.contains(word) && index + 1 < words.len() {
            for name in words[index + 1..]
                .iter()
                .take_while(|w| w.starts_with('-') || w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            {
                into.insert(name.to_string());
            }
        }
    }
}

fn variables(
    sources: &SourceMap,
    program: &Program,
    index: usize,
    project: &Project,
    unread: bool,
    out: &mut Vec<Diagnostic>,
) {
    let mut declared: BTreeSet<String> = project.env.iter().map(|v| v.name.value.clone()).collect();
    declared.extend(project.exported.iter().map(|v| v.value.clone()));
    // Variables the actions that run the project set (`env` in a `codebuild` action).
    let set_by_actions = program
        .runs_of(index)
        .iter()
        .filter_map(|at| program.action(*at))
        .flat_map(|a| &a.env);
    declared.extend(set_by_actions.map(|v| v.name.value.clone()));
    for command in commands(project) {
        if let Command::Shell(text) = command {
            for run in text.literal_runs() {
                assignments(run, &mut declared);
            }
        }
    }
    let secondary = secondary_inputs(program, index);
    let mut reported: BTreeMap<String, (usize, usize, Option<String>)> = BTreeMap::new();
    // Every string that reaches the shell: the commands, and the image an image-definitions
    // output writes (its `printf` runs in `post_build`).
    let texts = commands(project)
        .filter_map(|c| match c {
            Command::Shell(text) => Some(text),
            _ => None,
        })
        .chain(project.outputs.iter().flat_map(ProjectOutput::images).map(|i| &i.image));
    for text in texts {
        let raw = sources.source(text.loc.file).get(text.loc.span.clone()).unwrap_or("");
        let bad = bad_substitutions(sources, program, text, out);
        let mut search_from = 0;
        for run in text.literal_runs() {
            for (name, offset) in shell_references(run) {
                // Where `$NAME` is written inside the string, for a precise span.
                let at = find_reference(raw, search_from, name);
                let span = match at {
                    Some((offset, len)) => {
                        search_from = offset + len;
                        text.loc.span.start + offset..text.loc.span.start + offset + len
                    }
                    None => text.loc.span.clone(),
                };
                // `${name.field}`: E0512's where the shell expands it, text where it does not
                // (single quotes, a quoted here-document): never a variable left unset.
                let dotted = run
                    .get(offset..)
                    .and_then(|r| r.strip_prefix("${"))
                    .and_then(|r| r.strip_prefix(name))
                    .is_some_and(|r| r.starts_with('.'));
                if bad.contains(name) || dotted {
                    continue;
                }
                if let Some(rest) = name.strip_prefix("CODEBUILD_") {
                    codebuild_variable(sources, text, name, rest, span, secondary.as_ref(), out);
                    continue;
                }
                let known = unread
                    || declared.contains(name)
                    || data::codebuild_variable(name).is_some()
                    || SHELL_VARIABLES.contains(&name);
                if known {
                    continue;
                }
                // One warning per variable: its first use, counting the others; its fix
                // (a near name) edits every use.
                if let Some((at, more, meant)) = reported.get_mut(name) {
                    *more += 1;
                    if *more <= 3 {
                        let first = &mut out[*at];
                        first.secondary.push(crate::diagnostics::Label::new(
                            text.loc.file,
                            span.clone(),
                            "used here too",
                        ));
                    }
                    if let (Some(meant), Some(fix)) = (meant.as_deref(), out[*at].fix.as_mut()) {
                        let replacement = sources.source(text.loc.file)[span.clone()].replacen(name, meant, 1);
                        fix.edits.push(crate::diagnostics::Edit {
                            file: text.loc.file,
                            span,
                            replacement,
                        });
                    }
                    continue;
                }
                let candidates: Vec<&str> = declared
                    .iter()
                    .map(String::as_str)
                    .chain(data::codebuild_variables().map(|(name, _)| name))
                    .collect();
                let mut d = Diagnostic::new(
                    Code::UndeclaredVariable,
                    format!("`${name}` is not set by this project or by CodeBuild"),
                    text.loc.file,
                    span.clone(),
                    "never set",
                )
                .with_help(if project.buildspec_in_file() {
                    format!("declare it in the buildspec file's `env: variables:` (`{name}: …`), or set it in an earlier command")
                } else {
                    format!("declare it in the project's `env {{ {name} = \"…\" }}`, or set it in an earlier command")
                });
                let meant = did_you_mean(name, candidates);
                if let Some(s) = meant {
                    let replacement = sources.source(text.loc.file)[span.clone()].replacen(name, s, 1);
                    d = d.with_suggestion(format!("replace with `${s}`"), span, replacement);
                }
                reported.insert(name.to_string(), (out.len(), 0, meant.map(str::to_string)));
                out.push(d);
            }
        }
    }
    for (at, more, _) in reported.into_values().filter(|(_, more, _)| *more > 3) {
        out[at].notes.push(format!("used {more} more times in this project"));
    }
}

/// The inputs of the actions that run project `index`: the primary ones (in
/// `$CODEBUILD_SRC_DIR`) and the others, each with where it is named: CodeBuild gives each of
/// those a `CODEBUILD_SRC_DIR_<name>` folder. `None` when no pipeline runs the project.
struct Inputs<'a> {
    primary: Vec<String>,
    secondary: Vec<&'a At<String>>,
    /// No webhook starts the project (it has no `source`): only pipelines do.
    webhook_never: bool,
}

fn secondary_inputs(program: &Program, index: usize) -> Option<Inputs<'_>> {
    let runs: Vec<&Action> = program
        .runs_of(index)
        .iter()
        .filter_map(|at| program.action(*at))
        .collect();
    if runs.is_empty() {
        return None;
    }
    let mut inputs = Inputs {
        primary: Vec::new(),
        secondary: Vec::new(),
        webhook_never: program.projects[index].source.is_none(),
    };
    for action in runs {
        let primary = action
            .config_text("primary_source")
            .and_then(Text::literal)
            .map(Cow::into_owned)
            .or_else(|| action.inputs.first().map(|i| i.value.clone()));
        inputs
            .secondary
            .extend(action.inputs.iter().filter(|i| Some(&i.value) != primary.as_ref()));
        inputs.primary.extend(primary);
    }
    Some(inputs)
}

/// A `CODEBUILD_` variable: CodeBuild's documented ones, and `CODEBUILD_SRC_DIR_<input>` for
/// each secondary input. AWS reserves the rest of the prefix for its own use; a name one typo
/// away from a documented one is that typo (the build would read an empty value). Others are
/// left alone: AWS adds variables after the page the data cites.
fn codebuild_variable(
    sources: &SourceMap,
    text: &Text,
    name: &str,
    rest: &str,
    span: std::ops::Range<usize>,
    inputs: Option<&Inputs>,
    out: &mut Vec<Diagnostic>,
) {
    if data::codebuild_variable(name).is_some() {
        // Set from the webhook's event: a build a pipeline starts has no event.
        if let (Some(inputs), true) = (inputs, rest.starts_with("WEBHOOK_")) {
            if inputs.webhook_never {
                out.push(
                    Diagnostic::new(
                        Code::WebhookVariableUnset,
                        format!("`${name}` is empty here: only a pipeline starts this project, and it has no webhook"),
                        text.loc.file,
                        span,
                        "always empty",
                    )
                    .with_note("CodeBuild sets `CODEBUILD_WEBHOOK_*` for builds a webhook event starts")
                    .with_help("read what the build has however it starts, such as `$CODEBUILD_RESOLVED_SOURCE_VERSION` (the commit the pipeline's source provided)"),
                );
            }
        }
        return;
    }
    let replace = |with: &str| sources.source(text.loc.file)[span.clone()].replacen(name, with, 1);
    if let Some(input) = rest.strip_prefix("SRC_DIR_") {
        let Some(Inputs { primary, secondary, .. }) = inputs else {
            return;
        };
        if secondary.iter().any(|i| i.value == input) {
            return;
        }
        let mut d = Diagnostic::new(
            Code::UnknownCodeBuildVariable,
            format!("`${name}` names no secondary input of the actions that run this project"),
            text.loc.file,
            span.clone(),
            "no such input",
        )
        .with_note("CodeBuild sets `CODEBUILD_SRC_DIR_<name>` for each input artifact but the primary one, which is `$CODEBUILD_SRC_DIR`");
        if let Some(first) = secondary.first() {
            d = d.with_secondary(first.loc.file, first.loc.span.clone(), "a secondary input");
        }
        match did_you_mean(input, secondary.iter().map(|i| i.value.as_str())) {
            _ if primary.iter().any(|p| p == input) => {
                d = d.with_fix(
                    format!("`{input}` is the primary input: read `$CODEBUILD_SRC_DIR`"),
                    span.clone(),
                    replace("CODEBUILD_SRC_DIR"),
                )
            }
            Some(s) => {
                d = d.with_fix(
                    format!("read input `{s}`"),
                    span.clone(),
                    replace(&format!("CODEBUILD_SRC_DIR_{s}")),
                )
            }
            None if secondary.is_empty() => {
                d = d.with_help("the actions that run this project have one input: read it from `$CODEBUILD_SRC_DIR`")
            }
            None => {}
        }
        out.push(d);
        return;
    }
    let Some(meant) = data::codebuild_variables()
        .map(|(known, _)| known)
        .find(|known| one_typo_apart(name, known))
    else {
        return;
    };
    out.push(
        Diagnostic::new(
            Code::UnknownCodeBuildVariable,
            format!("`${name}` is not a variable CodeBuild sets; `${meant}` is"),
            text.loc.file,
            span.clone(),
            "empty at run time",
        )
        .with_note("the `CODEBUILD_` prefix is CodeBuild's own: https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html")
        .with_fix(format!("replace with `${meant}`"), span.clone(), replace(meant)),
    );
}

/// One substitution, insertion, deletion or swap of neighbours apart, or equal but for case.
fn one_typo_apart(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (da, db) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    match (da.len(), db.len()) {
        (1, 1) | (0, 1) | (1, 0) => true,
        (2, 2) => da[0] == db[1] && da[1] == db[0],
        _ => false,
    }
}

/// The `name.field` of each `${name.field}` in `run` that the shell would expand: outside
/// single quotes, and before a here-document with a quoted delimiter (`<<'EOF'`).
fn expanded_dotted(run: &str) -> Vec<String> {
    let bytes = run.as_bytes();
    let (mut single, mut double) = (false, false);
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if !single => i += 1,
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'<' if !single && !double && run[i..].starts_with("<<") => {
                let delimiter = run[i + 2..].trim_start_matches(['-', ' ']);
                if delimiter.starts_with(['\'', '"', '\\']) {
                    break;
                }
            }
            b'$' if !single && run[i..].starts_with("${") && !run[i..].starts_with("${{") => {
                if let Some(close) = run[i + 2..].find('}') {
                    let inner = &run[i + 2..i + 2 + close];
                    if inner.contains('.') {
                        found.push(inner.to_string());
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// `${name.field}` in shell text: bash stops with "bad substitution". It is Terraform's or
/// GitHub Actions' spelling; in cruddur a compile-time value is `${{ name.field }}`. Returns
/// the names so reported, which the undeclared-variable rule then leaves alone.
fn bad_substitutions(
    sources: &SourceMap,
    program: &Program,
    text: &Text,
    out: &mut Vec<Diagnostic>,
) -> BTreeSet<String> {
    let raw = sources.source(text.loc.file).get(text.loc.span.clone()).unwrap_or("");
    // What the shell expands: not text in single quotes (`mvn -Dexec.args='${project.version}'`)
    // or in a here-document whose delimiter is quoted.
    let mut expanded: Vec<String> = text.literal_runs().flat_map(expanded_dotted).collect();
    let mut names = BTreeSet::new();
    for (at, _) in raw.match_indices("${") {
        let after = &raw[at + 2..];
        if after.starts_with('{') || raw[..at].ends_with('$') || raw[..at].ends_with('\\') {
            continue;
        }
        let Some(close) = after.find('}') else { continue };
        let inner = &after[..close];
        match expanded.iter().position(|e| e == inner) {
            Some(i) => {
                expanded.remove(i);
            }
            None => continue,
        }
        let Some((name, field)) = inner.split_once('.') else {
            continue;
        };
        let word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !word(name) || name.starts_with(|c: char| c.is_ascii_digit()) || !field.split('.').all(word) {
            continue;
        }
        // A pipeline namespace written `${ns.X}` is reported by the pipeline-variable rule.
        if program
            .pipelines
            .iter()
            .flat_map(|p| &p.stages)
            .flat_map(|s| &s.actions)
            .any(|a| a.namespace.as_ref().is_some_and(|n| n.value == name))
        {
            continue;
        }
        names.insert(name.to_string());
        let start = text.loc.span.start + at;
        let span = start..start + close + 3;
        let mut d = Diagnostic::new(
            Code::BadSubstitution,
            format!("bash stops at `${{{inner}}}`: \"bad substitution\""),
            text.loc.file,
            span.clone(),
            "not a shell variable",
        )
        .with_note("`${name.field}` is Terraform's and GitHub Actions' spelling; a shell variable name has no `.`");
        let is_item = name == "aws" || program.has_item_named(name);
        d = if is_item {
            d.with_suggestion(
                format!("write cruddur's `${{{{ {inner} }}}}`"),
                span,
                format!("${{{{ {inner} }}}}"),
            )
        } else {
            d.with_help(format!(
                "for a value known when compiling, write `${{{{ item.field }}}}`; for a shell variable, `${{{}}}`",
                name.to_ascii_uppercase()
            ))
        };
        out.push(d);
    }
    names
}

fn runtimes(project: &Project, unread: bool, out: &mut Vec<Diagnostic>) {
    let Some(image) = &project.environment.image else {
        if let Some(runtime) = project.runtimes.first().filter(|_| !unread) {
            out.push(Diagnostic::new(
                Code::UnknownRuntime,
                "`runtime` needs a curated image to install it; the project names none",
                runtime.name.loc.file,
                runtime.name.loc.span.clone(),
                "no image",
            ));
        }
        return;
    };
    // An image URI in CodeBuild's own namespace names a curated image: it must be a current
    // one, and one for a Linux environment (cruddur writes Linux environments only).
    if let ImageRef::Uri(uri) = &image.image {
        if let Some(identifier) = uri.literal().filter(|u| u.starts_with("aws/codebuild/")) {
            if data::codebuild_image(&identifier).is_none() {
                let windows = identifier.contains("windows");
                out.push(
                    Diagnostic::new(
                        Code::UnknownImage,
                        if windows {
                            format!("`{identifier}` is a Windows image; cruddur's projects run in Linux environments")
                        } else {
                            format!("`{identifier}` is not a current CodeBuild image")
                        },
                        image.loc.file,
                        image.loc.span.clone(),
                        if windows { "Windows image" } else { "unknown image" },
                    )
                    .with_note(format!(
                        "current images: {}",
                        data::codebuild_images()
                            .iter()
                            .map(|i| i.identifier)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .with_help(if windows {
                        "a Windows image needs a Windows environment type, which CodeBuild runs with its own shell (PowerShell); cruddur does not write one yet"
                    } else {
                        "name a current image with `amazonlinux_standard(…)`, `amazonlinux_aarch64_standard(…)` or `standard(…)`"
                    }),
                );
            }
        }
    }
    let ImageRef::Curated { family, version } = &image.image else {
        // A buildspec file may serve images built from the curated ones, which install
        // runtimes; on others CodeBuild skips the install with a warning in the log.
        if let Some(runtime) = project.runtimes.first().filter(|_| !project.buildspec_in_file()) {
            out.push(
                Diagnostic::new(
                    Code::UnknownRuntime,
                    "`runtime` works only with CodeBuild's curated images, not a custom image URI",
                    runtime.name.loc.file,
                    runtime.name.loc.span.clone(),
                    "custom image",
                )
                .with_secondary(image.loc.file, image.loc.span.clone(), "custom image"),
            );
        }
        return;
    };
    let identifier = family.identifier(version);
    let Some(known) = data::codebuild_image(&identifier) else {
        let prefix = identifier
            .rsplit_once(':')
            .map(|(p, _)| format!("{p}:"))
            .unwrap_or_default();
        let versions: Vec<&str> = data::codebuild_images()
            .iter()
            .filter_map(|i| i.identifier.strip_prefix(&prefix))
            .collect();
        out.push(
            Diagnostic::new(
                Code::UnknownImage,
                format!("`{identifier}` is not a current CodeBuild image"),
                image.loc.file,
                image.loc.span.clone(),
                "unknown image",
            )
            .with_note(if versions.is_empty() {
                "no versions known for this family".to_string()
            } else {
                format!("`{}` versions: {}", family.word(), versions.join(", "))
            }),
        );
        return;
    };
    // The environment type and the image must be built for the same processor.
    if let Some(env_type) = &project.environment.env_type {
        let wants_arm = env_type.value == EnvironmentType::LinuxArm;
        let is_arm = known.architecture == "aarch64";
        if wants_arm != is_arm && env_type.value != EnvironmentType::LinuxGpu {
            out.push(
                Diagnostic::new(
                    Code::UnknownImage,
                    format!(
                        "{} is built for {}, but `type = {}` runs on {}",
                        known.identifier,
                        known.architecture,
                        env_type.value.word(),
                        if wants_arm { "aarch64" } else { "x86_64" }
                    ),
                    image.loc.file,
                    image.loc.span.clone(),
                    "image for another processor",
                )
                .with_secondary(env_type.loc.file, env_type.loc.span.clone(), "the environment type")
                .with_help(if wants_arm {
                    "use `amazonlinux_aarch64_standard(…)`"
                } else {
                    "use `amazonlinux_standard(…)` or `standard(…)`, or `type = linux_arm`"
                }),
            );
        }
    }
    for runtime in &project.runtimes {
        let Some(versions) = known.runtime(runtime.name.value.as_str()) else {
            let names: Vec<&str> = known.runtimes.iter().map(|(name, _)| *name).collect();
            let mut d = Diagnostic::new(
                Code::UnknownRuntime,
                format!("{} does not install runtime `{}`", known.identifier, runtime.name.value),
                runtime.name.loc.file,
                runtime.name.loc.span.clone(),
                "unknown runtime",
            )
            .with_secondary(image.loc.file, image.loc.span.clone(), "the image")
            .with_note(format!("runtimes: {}", names.join(", ")));
            if let Some(s) = did_you_mean(&runtime.name.value, names) {
                d = d.with_suggestion(format!("replace with `{s}`"), runtime.name.loc.span.clone(), s);
            }
            out.push(d);
            continue;
        };
        let wanted = runtime.version.value.as_str();
        if !known.installs(&runtime.name.value, wanted) {
            out.push(
                Diagnostic::new(
                    Code::RuntimeVersion,
                    format!(
                        "{} installs {} {}, not `{wanted}`",
                        known.identifier,
                        runtime.name.value,
                        versions.join(", ")
                    ),
                    runtime.version.loc.file,
                    runtime.version.loc.span.clone(),
                    "not on this image",
                )
                .with_secondary(image.loc.file, image.loc.span.clone(), "the image")
                .with_note("CodeBuild also accepts `<major>.x` and `latest`")
                .with_help("pick a version the image installs, or another image"),
            );
        }
    }
}

/// Whether a command of the project talks to the Docker daemon.
pub(crate) fn runs_docker(project: &Project) -> bool {
    commands(project).any(|c| match c {
        Command::EcrLogin(_) => true,
        Command::Shell(text) => text.literal_runs().any(uses_docker),
    })
}

fn docker(sources: &SourceMap, project: &Project, out: &mut Vec<Diagnostic>) {
    if project.environment.privileged.as_ref().is_some_and(|p| p.value) {
        return;
    }
    let Some(command) = commands(project).find(|c| match c {
        Command::EcrLogin(_) => true,
        Command::Shell(text) => text.literal_runs().any(uses_docker),
    }) else {
        return;
    };
    let loc = command.loc();
    let mut d = Diagnostic::new(
        Code::DockerNeedsPrivileged,
        format!("project `{}` runs Docker but its environment is not privileged", project.header.name),
        loc.file,
        loc.span.clone(),
        "needs the Docker daemon",
    )
    .with_note("CodeBuild starts the Docker daemon only in privileged mode: without it this fails with \"Cannot connect to the Docker daemon\"");
    match make_privileged(sources, project) {
        Some(how) => d = how.apply(d),
        // `privileged` is written with a value that did not check: that error is the one to fix.
        None => return,
    }
    out.push(d);
}

/// How to turn privileged mode on in a project: the place and the edit, for a fix.
pub(crate) enum MakePrivileged {
    /// Written `false`: set it to `true`.
    Set(Loc),
    /// Not written: add it to the `environment` block, whose opening is at `.1`.
    Add(Loc, usize),
    /// No `environment` block to add it to.
    NoBlock,
}

impl MakePrivileged {
    pub(crate) fn apply(self, d: Diagnostic) -> Diagnostic {
        let (mut d, file) = match self {
            MakePrivileged::Set(flag) => (
                d.with_secondary(flag.file, flag.span.clone(), "privileged is off here")
                    .with_fix("set `privileged = true`", flag.span.clone(), "true"),
                flag.file,
            ),
            MakePrivileged::Add(env, at) => (
                d.with_secondary(env.file, env.span.start..at, "the environment")
                    .with_fix("add `privileged = true`", at..at, "\n    privileged = true"),
                env.file,
            ),
            MakePrivileged::NoBlock => {
                return d.with_help("add `environment { image = … privileged = true }` to the project");
            }
        };
        // The fix edits another place than the primary label: keep the file right.
        if let Some(fix) = &mut d.fix {
            fix.edits[0].file = file;
        }
        d
    }
}

/// `None` when `privileged` is written but did not check (`privileged = yes`): its own error
/// is the root mistake, and a fix adding a second `privileged` would be wrong.
pub(crate) fn make_privileged(sources: &SourceMap, project: &Project) -> Option<MakePrivileged> {
    match (&project.environment.privileged, &project.environment.loc) {
        (Some(flag), _) => Some(MakePrivileged::Set(flag.loc.clone())),
        (None, Some(env)) => {
            let text = sources.source(env.file).get(env.span.clone()).unwrap_or("");
            let written = text
                .match_indices("privileged")
                .any(|(i, _)| text[i + "privileged".len()..].trim_start().starts_with('='));
            if written {
                return None;
            }
            let brace = text.find('{')?;
            Some(MakePrivileged::Add(env.clone(), env.span.start + brace + 1))
        }
        (None, None) => Some(MakePrivileged::NoBlock),
    }
}

/// Pushing to ECR needs `docker login` first; the role's token permission alone does nothing.
/// Judged on the commands cruddur can see: a push inside a script is the script's business.
fn push_login(sources: &SourceMap, project: &Project, gaps: &Gaps, out: &mut Vec<Diagnostic>) {
    // A misspelt phase or command in the project may be the login (or the phase a fix would
    // add): report that, not a guess built on it.
    let item = &project.header.item_loc;
    let earlier_error = gaps.within(item).next().is_some();
    let Some(first_repository) = project.pushes.first() else {
        return;
    };
    if earlier_error {
        return;
    }
    // The commands in the order CodeBuild runs them (a phase's `finally` after its commands).
    let mut phases: Vec<&Phase> = project.phases.iter().collect();
    phases.sort_by_key(|p| p.name.value);
    let ordered = phases
        .iter()
        .flat_map(|p| p.commands.iter().chain(&p.finally).map(move |c| (*p, c)));
    let is_login = |c: &Command| match c {
        Command::EcrLogin(_) => true,
        Command::Shell(text) => text.literal_runs().any(|r| r.contains("docker login")),
    };
    let is_push = |c: &Command| match c {
        Command::Shell(text) => !pushed_images(&flattened(text)).is_empty(),
        Command::EcrLogin(_) => false,
    };
    let Some(position) = ordered.clone().position(|(_, c)| is_login(c) || is_push(c)) else {
        return;
    };
    let (push_phase, push) = ordered.clone().nth(position).expect("found above");
    if is_login(push) {
        return; // logged in before the first push
    }
    let later_login = ordered
        .skip(position + 1)
        .find(|(_, c)| is_login(c))
        .map(|(_, c)| c.loc().clone());
    let repository = sources
        .source(first_repository.loc.file)
        .get(first_repository.loc.span.clone())
        .unwrap_or("repository")
        .to_string();
    let (message, label) = match later_login {
        Some(_) => (
            format!(
                "project `{}` pushes an image before it logs in to ECR",
                project.header.name
            ),
            "pushed before the login",
        ),
        None => (
            format!(
                "project `{}` pushes an image but never logs in to ECR",
                project.header.name
            ),
            "no `docker login` before this push",
        ),
    };
    let mut d = Diagnostic::new(
        Code::PushWithoutLogin,
        message,
        push.loc().file,
        push.loc().span.clone(),
        label,
    )
    .with_note("without a login `docker push` fails with \"no basic auth credentials\"");
    d = match &later_login {
        Some(login) => d.with_secondary(login.file, login.span.clone(), "the login comes after the push"),
        None => d.with_secondary(
            first_repository.loc.file,
            first_repository.loc.span.clone(),
            "the project's `pushes`",
        ),
    };
    if project.buildspec_in_file() {
        // The registry's account and region may be parameters: written by the user, not guessed.
        out.push(d.with_help(
            "add `- aws ecr get-login-password --region $AWS_DEFAULT_REGION | docker login --username AWS --password-stdin ACCOUNT.dkr.ecr.REGION.amazonaws.com` to the commands of `pre_build` in the buildspec file",
        ));
        return;
    }
    // Log in first thing in `pre_build`, or in the push's own phase when that runs earlier
    // (adding `pre_build` before `build` or `post_build` when there is none).
    let login = format!("run ecr_login({repository})");
    let text = sources.source(item.file);
    let pre_build = project.phases.iter().find(|p| p.name.value == PhaseName::PreBuild);
    let target = match pre_build {
        Some(pre) if pre.name.value <= push_phase.name.value => Some(pre),
        _ if push_phase.name.value <= PhaseName::PreBuild => Some(push_phase),
        _ => None,
    };
    let edit = match target {
        Some(phase) => text
            .get(phase.loc.span.clone())
            .and_then(|t| t.find('{'))
            .map(|i| (phase.loc.span.start + i + 1, format!("\n    {login}"))),
        None => {
            let later = phases.iter().find(|p| p.name.value >= PhaseName::Build);
            later.map(|p| (p.loc.span.start, format!("phase pre_build {{\n    {login}\n  }}\n\n  ")))
        }
    };
    if let Some((at, insert)) = edit {
        d = d.with_fix(
            format!(
                "log in with `ecr_login({repository})` in {}",
                target.map_or(PhaseName::PreBuild, |p| p.name.value).word()
            ),
            at..at,
            insert,
        );
        if let Some(fix) = &mut d.fix {
            fix.edits[0].file = item.file;
        }
    }
    out.push(d);
}

/// The role of a project is granted pushes to the repositories in its `pushes` only: a push
/// to another (named in the command as `${{ repo.uri }}`) is denied at run time.
fn push_targets(sources: &SourceMap, program: &Program, project: &Project, out: &mut Vec<Diagnostic>) {
    let mut reported = BTreeSet::new();
    for command in project.phases.iter().flat_map(|p| p.commands.iter().chain(&p.finally)) {
        let Command::Shell(text) = command else { continue };
        let flat = flattened(text);
        // The pieces inside the pushed images, not any other in the command (a base image
        // pulled, a cache source).
        let pushed: Vec<&Piece> = pushed_images(&flat)
            .iter()
            .flat_map(|image| image.chars())
            .filter_map(|c| (c as u32).checked_sub(PLACEHOLDER))
            .filter_map(|i| text.pieces.get(i as usize))
            .collect();
        for piece in pushed {
            let Piece::Field { item, field, loc } = piece else {
                continue;
            };
            if item.kind != Kind::Repository
                || *field != Field::Uri
                || project.pushes.iter().any(|r| r.value == item.index)
                || !reported.insert(item.index)
            {
                continue;
            }
            let Some(repository) = program.repositories.get(item.index) else {
                continue;
            };
            let name = &repository.header.name;
            let mut d = Diagnostic::new(
                Code::PushUndeclared,
                format!(
                    "project `{}` pushes to `{name}`, which is not in its `pushes`",
                    project.header.name
                ),
                loc.file,
                loc.span.clone(),
                "pushed here",
            )
            .with_note("the project's role is granted (or, when explicit, checked for) pushes to the repositories in `pushes` only: this push would be denied");
            let text = sources.source(project.header.item_loc.file);
            let edit = match project.pushes.last() {
                Some(last) => {
                    d = d.with_secondary(last.loc.file, last.loc.span.clone(), "the repositories it may push to");
                    Some((last.loc.span.end, format!(", {name}")))
                }
                None => {
                    let item = &project.header.item_loc;
                    text.get(item.span.clone())
                        .and_then(|t| t.find('{'))
                        .map(|i| (item.span.start + i + 1, format!("\n  pushes = [{name}]")))
                }
            };
            if let Some((at, insert)) = edit {
                d = d.with_fix(format!("add `{name}` to `pushes`"), at..at, insert);
                if let Some(fix) = &mut d.fix {
                    fix.edits[0].file = project.header.item_loc.file;
                }
            }
            out.push(d);
        }
    }
}

/// E0529: `image_definitions(…, digest = true)` reads each image's digest from the build's
/// image store, where `docker push` and `docker pull` leave it; `docker buildx build --push`
/// pushes from the builder and leaves none there.
fn digests_known(project: &Project, out: &mut Vec<Diagnostic>) {
    let Some(ProjectOutput::ImageDefinitions {
        digest: Some(digest), ..
    }) = project.outputs.first()
    else {
        return;
    };
    if !digest.value {
        return;
    }
    let stored = project.shell_commands().any(|text| {
        text.literal_runs().any(|run| {
            simple_commands(run).any(|words| {
                matches!(
                    words.as_slice(),
                    ["docker", "push" | "pull", ..] | ["docker", "image", "push" | "pull", ..]
                )
            })
        })
    });
    if !stored {
        out.push(
            Diagnostic::new(
                Code::DigestNotInImageStore,
                format!(
                    "project `{}` deploys by digest, and no command pushes or pulls an image with Docker",
                    project.header.name
                ),
                digest.loc.file,
                digest.loc.span.clone(),
                "digest read from the image store",
            )
            .with_note("the digest is read with `docker image inspect` after the build: `docker push` and `docker pull` leave it there, `docker buildx build --push` does not")
            .with_help("push with `docker push` (after `docker buildx build --load`, if buildx builds it), or deploy by tag"),
        );
    }
}

/// The images a command pushes, as written: the argument of `docker push` / `docker image
/// push`, the `-t`/`--tag` values of `docker buildx build … --push`. Empty when it pushes none.
pub fn pushed_images(text: &str) -> Vec<&str> {
    let mut images = Vec::new();
    for words in simple_commands(text) {
        match words.as_slice() {
            ["docker", "push", rest @ ..] | ["docker", "image", "push", rest @ ..] => {
                images.extend(rest.iter().find(|w| !w.starts_with('-')));
            }
            ["docker", "buildx", "build", rest @ ..] if rest.contains(&"--push") => {
                for (i, word) in rest.iter().enumerate() {
                    match *word {
                        "-t" | "--tag" => images.extend(rest.get(i + 1)),
                        _ => images.extend(word.strip_prefix("--tag=")),
                    }
                }
            }
            _ => {}
        }
    }
    images
}

/// A command's text with each `${{ … }}` (and parameter or `aws` field) as one placeholder
/// character, so shell words can be read across them; the placeholder of piece `i` is
/// `char::from_u32(PLACEHOLDER + i)`.
pub(crate) fn flattened(text: &Text) -> String {
    text.pieces
        .iter()
        .enumerate()
        .map(|(i, piece)| match piece {
            Piece::Lit(lit) => lit.clone(),
            _ => char::from_u32(PLACEHOLDER + i as u32)
                .map(String::from)
                .unwrap_or_default(),
        })
        .collect()
}

/// Supplementary private use area: never in a command as written.
pub(crate) const PLACEHOLDER: u32 = 0xF0000;

pub fn uses_docker(text: &str) -> bool {
    simple_commands(text).any(|words| match words.as_slice() {
        ["docker", sub, ..] => DOCKER_SUBCOMMANDS.contains(sub),
        // The daemon itself, started by hand or as a service, and Compose v1.
        ["dockerd" | "docker-compose", ..] | ["service", "docker", ..] => true,
        _ => false,
    })
}

/// The words of each simple command in shell text: split at `;`, `&&`, `||`, `|`, line breaks
/// and command substitutions, from the command word on (after variable assignments, `sudo`,
/// `time`, `exec`).
pub(crate) fn simple_commands(text: &str) -> impl Iterator<Item = Vec<&str>> {
    let separators = |c: char| matches!(c, ';' | '&' | '|' | '\n' | '`' | '(' | ')');
    text.split(separators).map(|segment| {
        segment
            .split_whitespace()
            // Assignments, wrappers and the shell's own words before a command (`then docker …`).
            .skip_while(|w| {
                w.contains('=')
                    || matches!(
                        *w,
                        "sudo"
                            | "time"
                            | "exec"
                            | "$"
                            | "then"
                            | "do"
                            | "else"
                            | "elif"
                            | "if"
                            | "while"
                            | "until"
                            | "!"
                            | "{"
                    )
            })
            .collect()
    })
}

/// A project with its own webhook that a pipeline also runs, on the branch the pipeline's
/// source watches, builds every merge twice.
fn double_builds(program: &Program, out: &mut Vec<Diagnostic>) {
    for project_index in 0..program.projects.len() {
        let project = &program.projects[project_index];
        let Some(source) = &project.source else { continue };
        if !source
            .events
            .iter()
            .any(|e| matches!(e.value, WebhookEvent::Push | WebhookEvent::PullRequestMerged))
        {
            continue;
        }
        let mut pipelines: Vec<usize> = program.runs_of(project_index).iter().map(|at| at.pipeline).collect();
        pipelines.dedup();
        for pipeline in pipelines.into_iter().filter_map(|p| program.pipelines.get(p)) {
            let watching = pipeline.stages.first().into_iter().flat_map(|s| &s.actions).find(|a| {
                let Provider::ConnectionSource { connection, .. } = a.provider.value else {
                    return false;
                };
                let same_repo = match a.config("repo") {
                    Some(ConfigProperty {
                        value: ConfigValue::Text(repo),
                        ..
                    }) => repo.literal().is_some() && repo.literal() == source.repo.literal(),
                    _ => false,
                };
                let same_branch = match (a.config("branch"), &source.branch) {
                    (
                        Some(ConfigProperty {
                            value: ConfigValue::Text(branch),
                            ..
                        }),
                        Some(project_branch),
                    ) => branch.literal() == project_branch.literal(),
                    _ => true,
                };
                connection == source.connection.value && same_repo && same_branch
            });
            if let Some(action) = watching {
                out.push(
                    Diagnostic::new(
                        Code::DoubleBuild,
                        format!("project `{}` has its own webhook and is also run by pipeline `{}`: every merge builds twice", project.header.name, pipeline.header.name),
                        source.loc.file,
                        source.loc.span.clone(),
                        "webhook on the same repository and branch",
                    )
                    .with_secondary(action.label.loc.file, action.label.loc.span.clone(), "the pipeline's source watches the same branch")
                    .with_help("drop the project's `source` (the pipeline starts it), or give it a different branch"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_shell_references_outside_single_quotes() {
        let names: Vec<&str> = shell_references("echo $A ${B} '$C' \\$D $1 $$ ${E:-x} ${#F}")
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, ["A", "B"]);
    }

    #[test]
    fn finds_assignments() {
        let mut set = BTreeSet::new();
        assignments(
            "export TAG=$(git rev-parse HEAD); X=1 make; for f in *; do read -r line; done",
            &mut set,
        );
        assert!(
            set.contains("TAG") && set.contains("X") && set.contains("f") && set.contains("line"),
            "{set:?}"
        );
    }

    #[test]
    fn recognises_docker_commands() {
        assert!(uses_docker("docker build -t x ."));
        assert!(uses_docker("cd app && docker push x"));
        assert!(!uses_docker("echo docker"));
        assert!(!uses_docker("dockerize build"));
        assert!(!uses_docker("echo docker build is mentioned"));
        assert!(uses_docker("TAG=1 sudo docker push x"));
        assert!(uses_docker("echo $(docker images -q)"));
    }
}

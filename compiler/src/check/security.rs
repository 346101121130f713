//! Security rules for CI/CD, each with its own code: no plaintext secrets (in `env`, in URLs,
//! in exported variables, in command output), isolation (privileged mode only for Docker),
//! scanned and immutable images, no hard-coded accounts, logs and artifact encryption kept on.
//! IAM grants are checked in `grants`. Security rules can be waived with a reason.

use super::buildspec::uses_docker;
use crate::diagnostics::{Applicability, Code, Diagnostic, Edit, Fix, SourceMap};
use crate::resolve::model::*;
use crate::resolve::Gaps;
use crate::syntax::ast::{self, ExprKind, MemberKind, StrPart};
use crate::vocabulary::{Enumerated, TagMutability};
use std::borrow::Cow;
use std::sync::Arc;

pub fn check(
    sources: &SourceMap,
    files: &[(crate::diagnostics::FileId, Arc<ast::File>)],
    program: &Program,
    gaps: &Gaps,
    pushes: &super::tags::Pushes,
    out: &mut Vec<Diagnostic>,
) {
    let mut pull_request_reported = Vec::with_capacity(program.projects.len());
    for project in &program.projects {
        plaintext_secrets(project, out);
        exported_secrets(project, out);
        leaked_in_commands(project, out);
        downloaded_and_run(project, out);
        outsider_value_run_as_code(project, out);
        pull_request_reported.push(privileged_pull_request_build(program, project, out));
        privileged_without_docker(project, gaps, out);
        logs_and_encryption(project, out);
        mutable_tags_in_project(sources, project, out);
        if let Some(source) = &project.source {
            credentials_in_url(sources, &source.repo, out);
        }
        for var in &project.env {
            if let EnvValue::Plain(text) = &var.value {
                credentials_in_url(sources, text, out);
            }
        }
        for command in project.phases.iter().flat_map(|p| p.commands.iter().chain(&p.finally)) {
            if let Command::Shell(text) = command {
                credentials_in_url(sources, text, out);
            }
        }
    }
    super::access::check(program, &pull_request_reported, out);
    for pipeline in &program.pipelines {
        deploys_without_checks(program, pipeline, out);
        unreviewed_code_deployed(pipeline, out);
        failures_unnoticed(pipeline, out);
        plaintext_action_secrets(pipeline, out);
        for action in pipeline.stages.iter().flat_map(|s| &s.actions) {
            if let Some(ConfigProperty {
                value: ConfigValue::Text(repo),
                ..
            }) = action.config("repo")
            {
                credentials_in_url(sources, repo, out);
            }
        }
    }
    let fixed_tags = super::tags::fixed_tag_pushes(program, pushes);
    for (index, repository) in program.repositories.iter().enumerate() {
        repository_settings(sources, repository, fixed_tags.get(&index), out);
    }
    for (file, ast) in files {
        let home = program
            .aws
            .as_ref()
            .and_then(|a| a.account.as_ref())
            .and_then(crate::resolve::model::Text::literal);
        account_ids(sources, *file, ast, home.as_deref(), out);
        super::tokens::check(sources, *file, ast, out);
    }
    let mut buildspec_files: Vec<crate::diagnostics::FileId> = program
        .projects
        .iter()
        .filter_map(|p| p.buildspec.as_ref()?.file)
        .collect();
    buildspec_files.sort();
    buildspec_files.dedup();
    for file in buildspec_files {
        super::tokens::check_buildspec_file(sources, file, out);
    }
}

/// Variable names that say they hold a secret.
fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "CREDENTIAL",
    ]
    .iter()
    .any(|w| upper.contains(w))
}

/// Names that say what a secret is, not that they hold one: its id, where it is, how old it
/// may get (`DB_PASSWORD_SECRET_ID`, `TOKEN_ENDPOINT`, `SECRET_ROTATION_DAYS`, `API_KEY_HEADER`).
fn names_secret_metadata(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "_ID",
        "_ARN",
        "_NAME",
        "_PATH",
        "_FILE",
        "_ENDPOINT",
        "_URL",
        "_URI",
        "_HOST",
        "_HEADER",
        "_DAYS",
        "_TTL",
        "_TIMEOUT",
        "_LENGTH",
        "_TYPE",
        "_REGION",
        "_VERSION",
        "_PARAM",
        "_PARAMETER",
    ]
    .iter()
    .any(|suffix| upper.ends_with(suffix))
}

/// Values that cannot be a secret: a number, a boolean, an ARN, a URL without credentials (those
/// are judged by `credentials_in_url`).
fn plainly_not_secret(value: &str) -> bool {
    let value = value.trim();
    value.parse::<f64>().is_ok()
        || ["true", "false", "yes", "no", "on", "off"].contains(&value.to_ascii_lowercase().as_str())
        || value.starts_with("arn:")
        || ((value.starts_with("https://") || value.starts_with("http://")) && url_userinfo(value).is_none())
}

/// Forty characters of base64 with upper, lower case and digits: the shape of a secret key.
fn secret_key_shaped(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '/' || c == '+' || c == '='))
        .any(|word| {
            word.len() == 40
                && word.bytes().any(|b| b.is_ascii_uppercase())
                && word.bytes().any(|b| b.is_ascii_lowercase())
                && word.bytes().any(|b| b.is_ascii_digit())
        })
}

fn plaintext_secrets(project: &Project, out: &mut Vec<Diagnostic>) {
    let project_name = project
        .name
        .as_ref()
        .and_then(Text::literal)
        .unwrap_or(Cow::Borrowed(&project.header.name));
    for var in &project.env {
        let Some(why) = plaintext_secret(var) else { continue };
        let secret_id = format!("{project_name}/{}", var.name.value);
        let help = if project.buildspec_in_file() && var.loc.file != project.header.loc.file {
            format!(
                "store it in Secrets Manager as `{secret_id}` and read it under the buildspec's `env: secrets-manager:` as `{}: {secret_id}`",
                var.name.value
            )
        } else {
            format!(
                "store it in Secrets Manager as `{secret_id}` and read it with `{} = secrets_manager(\"{secret_id}\")`",
                var.name.value
            )
        };
        out.extend(plaintext_diagnostic(var, why, "the project", help));
    }
}

/// S0001 for a variable's plain value. No fix: the secret must be stored first, and its name
/// is the user's to choose.
fn plaintext_diagnostic(var: &EnvVar, why: &str, kept_in: &str, help: String) -> Option<Diagnostic> {
    let EnvValue::Plain(text) = &var.value else { return None };
    Some(
        Diagnostic::new(
            Code::PlaintextSecret,
            format!(
                "`{}` {why}: it would be stored in plain text in {kept_in} and shown in the console",
                var.name.value
            ),
            text.loc.file,
            text.loc.span.clone(),
            "plaintext secret",
        )
        .with_help(help)
        .with_note("rotate the value: it is already in this file's history"),
    )
}

/// The same for the variables a CodeBuild action sets (its `env`): they are kept in the
/// pipeline's definition.
fn plaintext_action_secrets(pipeline: &Pipeline, out: &mut Vec<Diagnostic>) {
    for action in pipeline.stages.iter().flat_map(|s| &s.actions) {
        for var in &action.env {
            let Some(why) = plaintext_secret(var) else { continue };
            let help = format!(
                "store it in Secrets Manager and read it with `{} = secrets_manager(\"secret-id\")`",
                var.name.value
            );
            out.extend(plaintext_diagnostic(var, why, "the pipeline", help));
        }
    }
}

/// Why a variable's plain value looks like a secret, if it does.
fn plaintext_secret(var: &EnvVar) -> Option<&'static str> {
    let EnvValue::Plain(text) = &var.value else { return None };
    let value = text.literal()?;
    // A known credential format is reported where it is written, by `tokens`.
    if !super::tokens::find(&value).is_empty() {
        return None;
    }
    secret_shaped(&var.name.value, &value)
}

/// Why a variable's value, written in an input `cruddur import` reads, looks like a secret, if
/// it does: a credential of a known format, or what S0001 reports.
pub(crate) fn imported_secret(name: &str, value: &str) -> Option<&'static str> {
    if !super::tokens::find(value).is_empty() {
        return Some("holds a credential of a known format");
    }
    if url_userinfo(value).is_some() {
        return Some("holds a URL with a password in it");
    }
    secret_shaped(name, value)
}

fn secret_shaped(name: &str, value: &str) -> Option<&'static str> {
    if secret_key_shaped(value) {
        Some("holds what looks like a secret access key")
    } else if secret_name(name)
        && !names_secret_metadata(name)
        && !value.is_empty()
        && !value.contains('$')
        && !value.contains("#{")
        && !plainly_not_secret(value)
    {
        Some("is named like a secret and holds a literal value")
    } else {
        None
    }
}

fn credentials_in_url(sources: &SourceMap, text: &Text, out: &mut Vec<Diagnostic>) {
    for run in text.literal_runs() {
        let Some((scheme_end, at)) = url_userinfo(run) else {
            continue;
        };
        let userinfo = &run[scheme_end..at];
        let raw = sources.source(text.loc.file).get(text.loc.span.clone()).unwrap_or("");
        let span = match raw.find(userinfo) {
            Some(offset) => text.loc.span.start + offset..text.loc.span.start + offset + userinfo.len(),
            None => text.loc.span.clone(),
        };
        out.push(
            Diagnostic::new(Code::CredentialsInUrl, "credentials are written inside a URL", text.loc.file, span, "user and password or token")
                .with_help("use a connection (`connection … { }`) for source access, or read the token from Secrets Manager into a variable")
                .with_note("URLs end up in logs, build output and the console"),
        );
    }
}

/// For `scheme://user:secret@host`: the end of `scheme://` and the position of `@`.
fn url_userinfo(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(found) = text[from..].find("://") {
        let start = from + found + 3;
        let authority_end = text[start..]
            .find(|c: char| c == '/' || c.is_whitespace() || c == '"' || c == '\'')
            .map_or(text.len(), |i| start + i);
        let authority = &text[start..authority_end];
        if let Some(at) = authority.rfind('@') {
            if authority[..at].contains(':') {
                return Some((start, start + at));
            }
        }
        from = start;
    }
    None
}

/// Variables holding secrets: read from Secrets Manager, or named like a secret (Parameter
/// Store holds configuration as often as secrets, so there the name decides).
fn secret_variables(project: &Project) -> Vec<&str> {
    project
        .env
        .iter()
        .filter(|v| matches!(v.value, EnvValue::SecretsManager(_)) || secret_name(&v.name.value))
        .map(|v| v.name.value.as_str())
        .collect()
}

fn exported_secrets(project: &Project, out: &mut Vec<Diagnostic>) {
    let secrets = secret_variables(project);
    for exported in &project.exported {
        if secrets.contains(&exported.value.as_str()) || secret_name(&exported.value) {
            out.push(
                Diagnostic::new(
                    Code::ExportedSecret,
                    format!(
                        "`{}` holds a secret and is exported: every later action and the console can read it",
                        exported.value
                    ),
                    exported.loc.file,
                    exported.loc.span.clone(),
                    "exported secret",
                )
                .with_help("export only values that are not secret; let each consumer read the secret itself"),
            );
        }
    }
}

fn leaked_in_commands(project: &Project, out: &mut Vec<Diagnostic>) {
    let secrets = secret_variables(project);
    if secrets.is_empty() {
        return;
    }
    for command in project.phases.iter().flat_map(|p| p.commands.iter().chain(&p.finally)) {
        let Command::Shell(text) = command else { continue };
        for run in text.literal_runs() {
            // `set -x` / `set -o xtrace`, and a shell started tracing (`bash -x script.sh`,
            // `sh -xe …`): every traced command shows the variables it uses, expanded.
            let tracing = run.split([';', '&', '|', '\n']).any(|c| {
                let words: Vec<&str> = c.split_whitespace().collect();
                let flags =
                    |w: &&str| (w.starts_with('-') && !w.starts_with("--") && w.contains('x')) || *w == "xtrace";
                match words.first() {
                    Some(&"set") => words.iter().skip(1).any(flags),
                    Some(&("bash" | "sh" | "zsh" | "dash" | "ksh")) => {
                        words.iter().skip(1).take_while(|w| w.starts_with('-')).any(flags)
                    }
                    _ => false,
                }
            });
            // Only references the shell expands: not in single quotes.
            let echoed = secrets.iter().find(|s| {
                printed_to_log(run)
                    .iter()
                    .any(|c| super::buildspec::shell_references(c).iter().any(|(name, _)| name == *s))
            });
            let dumped = environment_dump(run);
            let message = if let Some(command) = dumped {
                format!(
                    "`{command}` prints {}, including the secret{} {}, into the build log",
                    if command.starts_with("cat") {
                        "a credentials file"
                    } else {
                        "every variable"
                    },
                    if secrets.len() == 1 { "" } else { "s" },
                    secrets.join(", ")
                )
            } else if tracing {
                format!(
                    "shell tracing (`-x`) prints every command with its variables expanded, including the secret{} {}",
                    if secrets.len() == 1 { "" } else { "s" },
                    secrets.join(", ")
                )
            } else if let Some(secret) = echoed {
                format!("this command prints the secret `{secret}` into the build log")
            } else {
                continue;
            };
            out.push(
                Diagnostic::new(Code::SecretLeakedInCommand, message, text.loc.file, text.loc.span.clone(), "leaks a secret into the log")
                    .with_note("CodeBuild masks Secrets Manager values in logs only when they appear verbatim; encoded or partial values leak"),
            );
        }
    }
}

/// S0017: a script fetched from the network and run as it arrives (`curl … | sh`, `bash
/// <(curl …)`, `eval "$(wget -qO- …)"`): whatever the server (or anyone between) sends runs in
/// the build, with its role and secrets.
fn downloaded_and_run(project: &Project, out: &mut Vec<Diagnostic>) {
    for command in project.phases.iter().flat_map(|p| p.commands.iter().chain(&p.finally)) {
        let Command::Shell(text) = command else { continue };
        let Some(how) = text.literal_runs().find_map(runs_download) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                Code::DownloadedScriptRun,
                format!("`{how}` runs a script as it is downloaded, unchecked"),
                text.loc.file,
                text.loc.span.clone(),
                "downloaded and run",
            )
            .with_help("download it to a file, check its SHA-256 (`sha256sum -c`), then run the file; or install a pinned package"),
        );
    }
}

/// The variable whose value a pull request's author chooses: the name of the branch it comes
/// from (`refs/heads/<anything git allows>`, which may hold `$`, `` ` ``, `;`, `|`…). CodeBuild's
/// other webhook values on such a build are `pr/N` or names only the repository's writers
/// choose.
const PULL_REQUEST_BRANCH: &str = "CODEBUILD_WEBHOOK_HEAD_REF";

/// S0018: in a project started by pull requests, a command that parses the head branch's name
/// as shell code: `eval`, `sh -c "…"` (the outer shell puts the name into the code), or a
/// script written with it and run later. A plain `$NAME` is expanded as data, never parsed.
fn outsider_value_run_as_code(project: &Project, out: &mut Vec<Diagnostic>) {
    let started_by_pull_requests = project
        .source
        .as_ref()
        .is_some_and(|s| s.events.iter().any(|e| e.value.is_pull_request()));
    if !started_by_pull_requests {
        return;
    }
    let commands: Vec<&crate::resolve::model::Text> = project
        .phases
        .iter()
        .flat_map(|p| p.commands.iter().chain(&p.finally))
        .filter_map(|c| match c {
            Command::Shell(text) => Some(text),
            Command::EcrLogin(_) => None,
        })
        .collect();
    for (index, text) in commands.iter().enumerate() {
        let how = text.literal_runs().find_map(|run| {
            simple_commands(run).find_map(|command| {
                if !expands(command, PULL_REQUEST_BRANCH) {
                    return None;
                }
                let words = program_words(shell_words(command));
                let head = words.first().map(|w| w.rsplit('/').next().unwrap_or(w))?;
                // Only the text the inner shell parses counts: `sh -c 'git checkout "$1"' _
                // "$CODEBUILD_WEBHOOK_HEAD_REF"` passes the name as data.
                if let Some(code) = code_words(&words).filter(|_| head == "eval" || SHELLS.contains(&head)) {
                    if code.iter().any(|w| expands(w, PULL_REQUEST_BRANCH)) {
                        let how = if head == "eval" {
                            "`eval`".to_string()
                        } else {
                            format!("`{head} -c`")
                        };
                        return Some(format!("by {how}"));
                    }
                }
                // Written into a file that a later command runs.
                let script = written_to(command)?;
                commands[index + 1..]
                    .iter()
                    .any(|later| later.literal_runs().any(|run| runs_script(run, script)))
                    .then(|| format!("from `{script}`, written here and run by a later command"))
            })
        });
        let Some(how) = how else { continue };
        out.push(
            Diagnostic::new(
                Code::OutsiderValueRunAsCode,
                format!(
                    "the branch name a pull request's author chooses (`${PULL_REQUEST_BRANCH}`) is run as code {how}"
                ),
                text.loc.file,
                text.loc.span.clone(),
                "runs the branch name as code",
            )
            .with_secondary(
                project.source.as_ref().map_or(text.loc.file, |s| s.loc.file),
                project
                    .source
                    .as_ref()
                    .map_or(text.loc.span.clone(), |s| s.loc.span.clone()),
                "pull requests start this project",
            )
            .with_help(
                "use the variable as data: `git checkout \"$CODEBUILD_WEBHOOK_HEAD_REF\"`, without `eval` or `sh -c`",
            ),
        );
    }
}

/// S0019: a project pull requests start whose builds hold what the pull request's code must not
/// get: a Secrets Manager secret, push rights to a repository, or a permission that writes
/// (the IAM catalog's Write and Permissions management levels; a whole service's `svc:*`). Its
/// builds run the pull request's code (its tests, its scripts), with all of that. One
/// diagnostic per project, naming everything it holds; whether there was one.
fn privileged_pull_request_build(program: &Program, project: &Project, out: &mut Vec<Diagnostic>) -> bool {
    let Some(source) = project.source.as_ref().filter(|s| !s.restricts_pull_requests()) else {
        return false;
    };
    // A merged pull request's build runs what a maintainer merged, not the author's code.
    let Some(event) = source
        .events
        .iter()
        .find(|e| e.value.is_pull_request() && e.value != crate::vocabulary::WebhookEvent::PullRequestMerged)
    else {
        return false;
    };
    let mut held: Vec<(String, &crate::resolve::model::Loc)> = Vec::new();
    for var in &project.env {
        if let EnvValue::SecretsManager(_) = var.value {
            held.push((format!("the secret `{}`", var.name.value), &var.loc));
        }
    }
    for push in &project.pushes {
        if let Some(repository) = program.repositories.get(push.value) {
            held.push((format!("push rights to `{}`", repository.header.name), &push.loc));
        }
    }
    let role_allows = project
        .role
        .as_ref()
        .and_then(|r| program.roles.get(r.value))
        .map_or(&[][..], |r| r.allows.as_slice());
    // What every build writes (its logs, reports, artifacts and cache) is not a privilege in
    // a declared role; push rights are named above.
    let index = program.projects.iter().position(|p| std::ptr::eq(p, project));
    let basic: Vec<&str> = index
        .map(|index| crate::resolve::needs::project(program, index))
        .unwrap_or_default()
        .iter()
        .filter(|need| {
            use crate::resolve::needs::Resource;
            matches!(
                need.resource,
                Resource::LogGroup(_)
                    | Resource::ReportGroups(_)
                    | Resource::ArtifactBucket(_)
                    | Resource::ArtifactKey(_)
                    | Resource::ProjectKey(_)
                    | Resource::CacheObjects(_)
                    | Resource::CacheBucket(_)
                    | Resource::VpcParts(_)
                    | Resource::Repository(_)
            )
        })
        .map(|need| need.action)
        .collect();
    // A project's own `allow` adds to what is inferred, so all of it counts; a declared role
    // must also hold what every build writes, which is not counted.
    let own = project.allows.iter().flat_map(|a| &a.actions).map(|a| (a, true));
    let declared = role_allows.iter().flat_map(|a| &a.actions).map(|a| (a, false));
    for (action, own) in own.chain(declared) {
        if writes(&action.value) && (own || !basic.iter().any(|b| b.eq_ignore_ascii_case(&action.value))) {
            held.push((format!("the permission `{}`", action.value), &action.loc));
        }
    }
    let Some((_, first)) = held.first() else { return false };
    let first = (*first).clone();
    let what: Vec<&str> = held.iter().map(|(what, _)| what.as_str()).collect();
    let what = and_list(&what);
    let mut diagnostic = Diagnostic::new(
            Code::PrivilegedPullRequestBuild,
            format!(
                "pull requests start `{}`, whose builds run their code with {what}",
                project.header.name,
            ),
            event.loc.file,
            event.loc.span.clone(),
            "pull requests start it",
        )
        .with_secondary(first.file, first.span.clone(), "held by the pull request's code")
        .with_help(if source.asks_approval() {
            "test pull requests in a project without secrets or write permissions, and push or deploy from another project that pushes to the protected branch start; or approve with roles only trusted people hold (`github_write` and above)"
        } else {
            "test pull requests in a project without secrets or write permissions, and push or deploy from another project that pushes to the protected branch start; or let only trusted people start it: `actors = [\"<account id>\", …]` or `comment_approval = all_pull_requests`"
        });
    if let Some(open) = source.open_approver() {
        diagnostic = diagnostic.with_note(format!(
            "`{}` is held by anyone who can read a public repository: their pull requests build without an approval",
            open.value.word()
        ));
    }
    if let Some(note) = shared_role(program, project) {
        diagnostic = diagnostic.with_note(note);
    }
    // The pull request can also rewrite the commands the build runs with all of that, unless
    // changes to the buildspec start no build (AWS's webhook best practices).
    if let Some(buildspec) = project
        .buildspec
        .as_ref()
        .filter(|_| !excludes(source, &project.buildspec))
    {
        diagnostic = diagnostic
            .with_secondary(buildspec.path.loc.file, buildspec.path.loc.span.clone(), "the pull request can rewrite this")
            .with_note(format!(
                "the buildspec is read from the pull request's own checkout: its author can rewrite `{}` to run anything with what the build holds (write the buildspec in the project, keep it in S3, or `exclude_files = [\"{}\"]`)",
                buildspec.path.value, buildspec.path.value
            ));
    }
    out.push(diagnostic);
    true
}

/// Whether the source's `exclude_files` keeps changes to the buildspec file from starting
/// builds: its path, or a folder it is in.
fn excludes(source: &ProjectSource, buildspec: &Option<BuildspecFile>) -> bool {
    let Some(path) = buildspec.as_ref().map(|b| b.path.value.as_str()) else {
        return true;
    };
    source.exclude_files.iter().flat_map(|f| &f.value).any(|excluded| {
        excluded
            .literal()
            .is_some_and(|e| e == path || (e.ends_with('/') && path.starts_with(&*e)))
    })
}

/// `a`, `a and b`, `a, b and c`.
pub(super) fn and_list(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Who else acts with the project's declared role (CICD-SEC-5): pipelines, actions and other
/// projects. A pull request's code then acts as they do.
fn shared_role(program: &Program, project: &Project) -> Option<String> {
    let role = project.role.as_ref()?.value;
    let mut users: Vec<String> = Vec::new();
    for pipeline in &program.pipelines {
        if pipeline.role.as_ref().is_some_and(|r| r.value == role) {
            users.push(format!("pipeline `{}`", pipeline.header.name));
        }
        for action in pipeline.stages.iter().flat_map(|s| &s.actions) {
            if action.role.as_ref().is_some_and(|r| r.value == role) {
                let deploys = if deploys(action) { ", which deploys" } else { "" };
                users.push(format!(
                    "action `{}` of pipeline `{}`{deploys}",
                    action.label.value, pipeline.header.name
                ));
            }
        }
    }
    for other in &program.projects {
        if !std::ptr::eq(other, project) && other.role.as_ref().is_some_and(|r| r.value == role) {
            users.push(format!("project `{}`", other.header.name));
        }
    }
    let (last, rest) = users.split_last()?;
    let users = if rest.is_empty() {
        last.clone()
    } else {
        format!("{} and {last}", rest.join(", "))
    };
    let name = &program.roles.get(role)?.header.name;
    Some(format!(
        "role `{name}` is also the role of {users}: the pull request's code can do all they do (give the pull-request build a role of its own)"
    ))
}

/// Whether an IAM action (or pattern) grants a write: its access level in the IAM catalog, or
/// a whole service (`*`, `s3:*`). Other patterns are not judged.
fn writes(action: &str) -> bool {
    if action == "*" || action.ends_with(":*") {
        return true;
    }
    crate::data::iam::action(action)
        .is_some_and(|(_, _, facts)| matches!(facts.access, "Write" | "Permissions management"))
}

/// A simple command's words, split at blanks outside quotes and `$(…)`/`<(…)`, as written
/// (quotes kept).
fn shell_words(command: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let (mut single, mut double, mut depth) = (false, false, 0usize);
    let mut start = None;
    let mut chars = command.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let blank = c.is_whitespace() && !single && !double && depth == 0;
        if blank {
            if let Some(s) = start.take() {
                words.push(&command[s..i]);
            }
            continue;
        }
        start.get_or_insert(i);
        match c {
            '\\' if !single => {
                chars.next();
            }
            '\'' if !double && depth == 0 => single = !single,
            '"' if !single => double = !double,
            '$' | '<' if !single && chars.peek().is_some_and(|(_, n)| *n == '(') => {
                chars.next();
                depth += 1;
            }
            '(' if !single && depth > 0 => depth += 1,
            ')' if !single && depth > 0 => depth -= 1,
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push(&command[s..]);
    }
    words
}

/// `-c`, or options holding it (`-ec`, `-xc`): the shell runs its first operand as code.
fn is_c_option(word: &str) -> bool {
    word.starts_with('-') && !word.starts_with("--") && word.contains('c')
}

/// The words a command runs as code or as a script: for `eval`, its arguments; for a shell
/// or interpreter, its first operand (the `-c` text, or the script); none for other commands.
fn code_words<'a>(words: &[&'a str]) -> Option<Vec<&'a str>> {
    let (head, args) = words.split_first()?;
    let head = head.rsplit('/').next().unwrap_or(head);
    if head == "eval" {
        return Some(args.to_vec());
    }
    if !(SHELLS.contains(&head) || INTERPRETERS.contains(&head) || matches!(head, "source" | ".")) {
        return None;
    }
    let operand = args.iter().find(|w| !w.starts_with('-') || **w == "-")?;
    Some(vec![*operand])
}

/// The simple commands of a shell line, split at `;`, `&&`, `||`, `|` and line breaks.
fn simple_commands(run: &str) -> impl Iterator<Item = &str> {
    run.split([';', '\n'])
        .flat_map(|l| l.split("&&"))
        .flat_map(|l| l.split("||"))
        .flat_map(|l| l.split('|'))
}

/// Whether the shell expands `$NAME` (or `${NAME…}`) in a command: outside single quotes.
fn expands(command: &str, name: &str) -> bool {
    let (mut in_single_quotes, mut in_double_quotes) = (false, false);
    let bytes = command.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            // Inside double quotes a single quote is a character, and the shell still expands.
            b'\'' if !in_double_quotes => in_single_quotes = !in_single_quotes,
            b'"' if !in_single_quotes => in_double_quotes = !in_double_quotes,
            b'\\' if !in_single_quotes => i += 1,
            b'$' if !in_single_quotes => {
                let rest = &command[i + 1..];
                let rest = rest.strip_prefix('{').unwrap_or(rest);
                if rest.starts_with(name)
                    && !rest[name.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                {
                    return true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// The file a command writes its output into (`> run.sh`, `>> run.sh`), if any.
fn written_to(command: &str) -> Option<&str> {
    let at = command.rfind('>')?;
    let target = command[at + 1..].split_whitespace().next()?;
    (!target.starts_with('&')).then_some(target)
}

/// Whether a shell line runs the script at `path`: `sh path`, `bash path`, `source path`,
/// `. path`, `./path` or `path` as a command.
fn runs_script(run: &str, path: &str) -> bool {
    let bare = path.strip_prefix("./").unwrap_or(path);
    simple_commands(run).any(|command| {
        let words = program_words(command.split_whitespace().collect());
        match words.as_slice() {
            [head, rest @ ..] if SHELLS.contains(head) || matches!(*head, "source" | ".") => rest
                .iter()
                .find(|w| !w.starts_with('-'))
                .is_some_and(|w| w.strip_prefix("./").unwrap_or(w) == bare),
            [head, ..] => head.strip_prefix("./").unwrap_or(head) == bare && head.contains('/'),
            [] => false,
        }
    })
}

/// Commands that fetch from the network and write what they fetch to standard output.
const FETCHERS: &[&str] = &["curl", "wget"];
/// Shells: with no script argument they run what standard input holds.
const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "ash"];
/// Other interpreters: they run standard input only when given no script (or `-`); with `-m`
/// or `-c` (`python3 -m json.tool`) standard input is data.
const INTERPRETERS: &[&str] = &["python", "python3", "perl", "ruby", "node"];

/// How a shell line runs downloaded code, if it does (`curl … | bash`).
fn runs_download(run: &str) -> Option<String> {
    let name = |word: &str| word.rsplit('/').next().unwrap_or(word).to_string();
    // A line continued with `\` is one command.
    let run = run.replace("\\\n", " ");
    for list in run
        .split([';', '\n'])
        .flat_map(|l| l.split("&&"))
        .flat_map(|l| l.split("||"))
    {
        let stages: Vec<Vec<&str>> = list
            .split('|')
            .map(|c| program_words(c.split_whitespace().collect()))
            .collect();
        let fetcher = stages
            .iter()
            .position(|s| s.first().is_some_and(|w| FETCHERS.contains(&name(w).as_str())));
        if let Some(at) = fetcher {
            let runner = stages[at + 1..].iter().find(|s| runs_standard_input(s));
            if let (Some(runner), Some(fetch)) = (runner, stages[at].first()) {
                return Some(format!("{} … | {}", name(fetch), runner.join(" ")));
            }
        }
        // `bash <(curl …)`, `source <(wget …)`, `sh -c "$(curl …)"`, `eval "$(curl …)"`: the
        // download is the code, not an argument (`python3 update.py --ip "$(curl …)"`).
        let words = program_words(shell_words(list));
        let Some(head) = words.first().map(|w| name(w)) else {
            continue;
        };
        let runs_code = SHELLS.contains(&head.as_str())
            || INTERPRETERS.contains(&head.as_str())
            || matches!(head.as_str(), "eval" | "source" | ".");
        if !runs_code {
            continue;
        }
        let fetched = |word: &str, opens: &[&str]| {
            let word = word.trim_start_matches(['"', '\'']);
            FETCHERS
                .iter()
                .find(|f| opens.iter().any(|open| word.starts_with(&format!("{open}{f} "))))
        };
        let found = match code_words(&words) {
            // `eval` and `-c` run their text: a substitution in it runs the download.
            Some(code) if head == "eval" || words.iter().skip(1).any(|w| is_c_option(w)) => code.iter().find_map(|w| {
                FETCHERS
                    .iter()
                    .find(|f| ["$(", "`"].iter().any(|o| w.contains(&format!("{o}{f} "))))
            }),
            // Otherwise the script operand: `bash <(curl …)`, `source <(curl …)`.
            Some(code) => code.first().and_then(|w| fetched(w, &["<(", "$("])),
            None => None,
        };
        if let Some(fetch) = found {
            return Some(format!("{head} … {fetch} …"));
        }
    }
    None
}

/// A command's words from the program it runs: without `sudo` (and its options) and
/// variable assignments before it.
fn program_words(words: Vec<&str>) -> Vec<&str> {
    let mut rest = &words[..];
    while let [first, tail @ ..] = rest {
        if *first == "sudo" {
            rest = tail;
            while let [option, tail @ ..] = rest {
                if !option.starts_with('-') {
                    break;
                }
                rest = tail;
                // Options whose value is the next word: `sudo -u builder bash`.
                if matches!(
                    *option,
                    "-u" | "-g" | "-h" | "-p" | "-C" | "-D" | "-R" | "-T" | "-U" | "-r" | "-t"
                ) {
                    rest = rest.get(1..).unwrap_or_default();
                }
            }
        } else if first.contains('=') && !first.starts_with('-') {
            rest = tail;
        } else {
            break;
        }
    }
    rest.to_vec()
}

/// Whether a pipeline stage runs the code it reads on standard input: a shell with no script
/// argument (options only, or `-`), or another interpreter with no argument or `-`.
fn runs_standard_input(stage: &[&str]) -> bool {
    let Some(head) = stage.first() else { return false };
    let head = head.rsplit('/').next().unwrap_or(head);
    let args = &stage[1..];
    if SHELLS.contains(&head) {
        // `bash -s -- arg` runs standard input with arguments; `bash script.sh` runs the file.
        let script = args.iter().take_while(|a| **a != "--").find(|a| !a.starts_with('-'));
        return script.is_none() && !args.contains(&"-c");
    }
    INTERPRETERS.contains(&head) && (args.is_empty() || args == ["-"])
}

/// A command in `run` that prints the whole environment (`env`, `printenv`, `export -p`, `set`,
/// `declare -p`) or a credentials file, into the log: not redirected to a file, and not
/// filtered (`env | grep PATH` prints what the filter lets through).
fn environment_dump(run: &str) -> Option<String> {
    const CREDENTIAL_FILES: &[&str] = &[
        ".aws/credentials",
        ".npmrc",
        ".docker/config.json",
        ".netrc",
        ".git-credentials",
        ".pypirc",
    ];
    const SHOWN_AS_IS: &[&str] = &["sort", "tee", "cat", "less", "more"];
    for list in run
        .split([';', '\n'])
        .flat_map(|l| l.split("&&"))
        .flat_map(|l| l.split("||"))
    {
        let stages: Vec<Vec<&str>> = list.split('|').map(|c| c.split_whitespace().collect()).collect();
        let Some(first) = stages.first() else { continue };
        if first.iter().any(|w| w.starts_with('>')) {
            continue;
        }
        let shown = stages[1..]
            .iter()
            .all(|s| s.first().is_some_and(|w| SHOWN_AS_IS.contains(w)));
        if !shown {
            continue;
        }
        let dump = match first.as_slice() {
            ["env"] | ["printenv"] | ["set"] | ["export"] | ["export", "-p"] => true,
            ["declare" | "typeset", flag] => matches!(*flag, "-p" | "-x" | "-px" | "-xp"),
            ["cat", path] => CREDENTIAL_FILES.iter().any(|f| path.ends_with(f)),
            _ => false,
        };
        if dump {
            return Some(first.join(" "));
        }
    }
    None
}

/// The `echo`/`printf` commands of a shell line whose output reaches the build log: not those
/// redirected to a file (`> ~/.npmrc`) or piped into another command (`| docker login
/// --password-stdin`), except into `tee`, which prints too.
fn printed_to_log(run: &str) -> Vec<&str> {
    let mut printed = Vec::new();
    for list in run
        .split("&&")
        .flat_map(|l| l.split("||"))
        .flat_map(|l| l.split([';', '\n']))
    {
        let stages: Vec<&str> = list.split('|').collect();
        for (i, stage) in stages.iter().enumerate() {
            let stage = stage.trim_start();
            if !(stage.starts_with("echo ") || stage.starts_with("printf ")) {
                continue;
            }
            // Into another command it is that command's input; `tee` prints it too, unless its
            // own output goes to a file.
            let piped_away = stages
                .get(i + 1)
                .is_some_and(|next| next.split_whitespace().next() != Some("tee") || redirects_output(next));
            if !piped_away && !redirects_output(stage) {
                printed.push(stage);
            }
        }
    }
    printed
}

/// Whether a simple command sends its output to a file: `> file`, `>> file`, `&> file`, but
/// not `>&2` (still the log), `2> file` (errors only), or a `>` inside quotes.
fn redirects_output(command: &str) -> bool {
    // Blank out quoted text, so `echo "> $TOKEN"` is not read as a redirect.
    let mut plain = String::with_capacity(command.len());
    let mut quote = None;
    for c in command.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, c) => plain.push(c),
        }
        if quote.is_some() {
            plain.push(' ');
        }
    }
    plain
        .match_indices('>')
        .filter(|(at, _)| !plain[..*at].ends_with('2') && !plain[..*at].ends_with('>'))
        .any(|(at, _)| !plain[at + 1..].trim_start_matches('>').trim_start().starts_with('&'))
}

fn privileged_without_docker(project: &Project, gaps: &Gaps, out: &mut Vec<Diagnostic>) {
    let Some(flag) = project.environment.privileged.as_ref().filter(|p| p.value) else {
        return;
    };
    // A command that did not parse or resolve may be the one that uses Docker.
    if gaps.within(&project.header.item_loc).next().is_some() {
        return;
    }
    let docker = project
        .phases
        .iter()
        .flat_map(|p| p.commands.iter().chain(&p.finally))
        .any(|c| match c {
            Command::EcrLogin(_) => true,
            Command::Shell(text) => text.literal_runs().any(uses_docker),
        });
    // A project that pushes images needs Docker even before its commands say so (E0507 asks
    // for the login), and a Docker layer cache needs privileged mode (E0514): turning
    // privileged mode off would be the wrong fix.
    let layer_cache = project
        .cache_mode
        .as_ref()
        .is_some_and(|m| m.value == crate::vocabulary::CacheMode::DockerLayer);
    if !docker && project.pushes.is_empty() && !layer_cache && !project.buildspec_unseen() {
        out.push(
            Diagnostic::new(
                Code::PrivilegedWithoutDocker,
                format!("project `{}` runs privileged, but no command uses Docker", project.header.name),
                flag.loc.file,
                flag.loc.span.clone(),
                "not needed",
            )
            .with_note("privileged mode gives the build root access to its host's Docker daemon; keep it off unless a command needs Docker")
            .with_suggestion("turn it off", flag.loc.span.clone(), "false"),
        );
    }
}

fn logs_and_encryption(project: &Project, out: &mut Vec<Diagnostic>) {
    if let Some(flag) = project.logs_enabled.as_ref().filter(|l| !l.value) {
        out.push(
            Diagnostic::new(
                Code::BuildLogsDisabled,
                format!("project `{}` keeps no build logs", project.header.name),
                flag.loc.file,
                flag.loc.span.clone(),
                "logs off",
            )
            .with_note("without logs a failed or tampered build leaves no trace to investigate")
            .with_suggestion("keep logs", flag.loc.span.clone(), "true"),
        );
    }
    if let Some(flag) = project.artifact_encryption.as_ref().filter(|e| !e.value) {
        out.push(
            Diagnostic::new(
                Code::ArtifactEncryptionDisabled,
                format!("project `{}` writes its artifacts unencrypted", project.header.name),
                flag.loc.file,
                flag.loc.span.clone(),
                "encryption off",
            )
            .with_suggestion("encrypt them", flag.loc.span.clone(), "true"),
        );
    }
}

/// A `:latest` tag in a string: its span in the source.
/// The first `:latest` tag of an ECR image: after `${{ repo.uri }}`, a shell variable (the
/// `$REPOSITORY_URI:latest` habit) or a `….dkr.ecr.…` name. A local name (`docker tag
/// app:latest …`, `docker pull node:latest`) is not pushed anywhere.
fn latest_tag(sources: &SourceMap, text: &Text) -> Option<std::ops::Range<usize>> {
    let raw = sources.source(text.loc.file).get(text.loc.span.clone())?;
    let at = raw.match_indices(":latest").map(|(i, _)| i).find(|&i| {
        let whole_tag = !raw[i + 7..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let before = &raw[..i];
        let image = before.rsplit([' ', '"', '\'', '=', '\t', '\n']).next().unwrap_or("");
        let ecr = before.trim_end_matches("}}").trim_end().ends_with(".uri") && before.ends_with("}}")
            || image.starts_with('$')
            || image.contains(".dkr.ecr.");
        // `--cache-from …:latest` reads the last image as a cache; it tags and pushes nothing.
        let word_start = match before.strip_suffix("}}") {
            Some(_) => before.rfind("${{").unwrap_or(0),
            None => before.rfind([' ', '\t', '\n', '"']).map_or(0, |i| i + 1),
        };
        let cache_source = before[..word_start].trim_end().ends_with("--cache-from")
            || before[word_start..].starts_with("--cache-from=");
        whole_tag && ecr && !cache_source
    })?;
    Some(text.loc.span.start + at..text.loc.span.start + at + 7)
}

/// `latest` in the image an image-definitions output deploys. Pushed tags are judged in
/// `tags`, where the push is followed to its repository.
fn mutable_tags_in_project(sources: &SourceMap, project: &Project, out: &mut Vec<Diagnostic>) {
    for image in project.outputs.iter().flat_map(ProjectOutput::images).map(|i| &i.image) {
        let Some(span) = latest_tag(sources, image) else {
            continue;
        };
        out.push(
            Diagnostic::new(Code::MutableImageTag, "this deploys the mutable tag `latest`", image.loc.file, span.clone(), "moves with every push")
                .with_note("`latest` names a different image after every push: a deploy or rollback cannot say which image it runs")
                .with_suggestion("tag with the commit", span, ":$CODEBUILD_RESOLVED_SOURCE_VERSION"),
        );
    }
}

/// `fixed_tag`: where a build pushes a fixed tag to this repository, which immutable tags would
/// refuse on the second run (so that fix is not offered).
fn repository_settings(
    sources: &SourceMap,
    repository: &Repository,
    fixed_tag: Option<&Loc>,
    out: &mut Vec<Diagnostic>,
) {
    let item = &repository.header.item_loc;
    let text = sources.source(item.file);
    let insert_at = text
        .get(item.span.clone())
        .and_then(|t| t.find('{'))
        .map(|i| item.span.start + i + 1);
    let item_text = text.get(item.span.clone()).unwrap_or("");
    let fix_for = |flag: Option<&Loc>, name: &str, value: &str| -> Option<Fix> {
        match flag {
            Some(loc) => Some(Fix {
                message: format!("set `{name} = {value}`"),
                edits: vec![Edit {
                    file: loc.file,
                    span: loc.span.clone(),
                    replacement: value.to_string(),
                }],
                applicability: Applicability::Suggested,
            }),
            // Written with a value that did not check: that error comes first, no fix here.
            None if item_text.contains(name) => None,
            None => insert_at.map(|at| Fix {
                message: format!("add `{name} = {value}`"),
                edits: vec![Edit {
                    file: item.file,
                    span: at..at,
                    replacement: format!("\n  {name} = {value}"),
                }],
                applicability: Applicability::Suggested,
            }),
        }
    };
    // (setting written, problem, label, why, setting, safe value)
    let problems = [
        (
            repository.scan_on_push.as_ref().filter(|s| !s.value).map(|s| &s.loc),
            repository.scan_on_push.as_ref().is_none_or(|s| !s.value),
            "does not scan images on push",
            "no scan on push",
            "ECR basic scanning reports known vulnerabilities in each pushed image at no cost",
            ("scan_on_push", "true"),
        ),
        (
            repository.tag_mutability.as_ref().map(|m| &m.loc),
            repository
                .tag_mutability
                .as_ref()
                .is_none_or(|m| m.value == TagMutability::Mutable),
            "lets a pushed tag be overwritten",
            "mutable tags",
            "with mutable tags, the image a tag names can change after it was scanned and deployed (an ECS deploy can also pin its image by digest: `image_definitions(…, digest = true)`)",
            ("tag_mutability", TagMutability::Immutable.word()),
        ),
    ];
    for (flag, present, what, label, why, (setting, value)) in problems {
        if !present {
            continue;
        }
        let at = flag.unwrap_or(&repository.header.loc);
        let mut d = Diagnostic::new(
            Code::RepositoryUnscanned,
            format!("repository `{}` {what}", repository.header.name),
            at.file,
            at.span.clone(),
            label,
        )
        .with_note(why);
        match fixed_tag.filter(|_| setting == "tag_mutability") {
            Some(push) => {
                d = d
                    .with_secondary(push.file, push.span.clone(), "a fixed tag pushed here")
                    .with_help("immutable tags would refuse this fixed tag on the second run: tag the image with the commit first");
            }
            None => d.fix = fix_for(flag, setting, value),
        }
        out.push(d);
    }
}

/// A command that runs a test suite with a common runner (`pytest`, `npm test`, `go test`,
/// `mvn test`, …).
fn runs_tests(run: &str) -> bool {
    const RUNNERS: &[&str] = &[
        "pytest",
        "python -m pytest",
        "python3 -m pytest",
        "python -m unittest",
        "python3 -m unittest",
        "tox",
        "npm test",
        "npm run test",
        "npm t",
        "yarn test",
        "yarn run test",
        "pnpm test",
        "pnpm run test",
        "npx jest",
        "jest",
        "npx vitest",
        "vitest",
        "go test",
        "cargo test",
        "cargo nextest",
        "mvn test",
        "mvn verify",
        "./mvnw test",
        "./mvnw verify",
        "gradle test",
        "./gradlew test",
        "gradle check",
        "./gradlew check",
        "dotnet test",
        "rspec",
        "bundle exec rspec",
        "phpunit",
        "vendor/bin/phpunit",
        "make test",
        "make check",
    ];
    run.split([';', '&', '|', '\n', '(', ')'])
        .map(str::trim)
        .any(|command| {
            RUNNERS.iter().any(|runner| {
                command == *runner
                    || command
                        .strip_prefix(runner)
                        .is_some_and(|rest| rest.starts_with(char::is_whitespace))
            })
        })
}

fn deploys_without_checks(program: &Program, pipeline: &Pipeline, out: &mut Vec<Diagnostic>) {
    let checks = |action: &Action| match &action.provider.value {
        Provider::InspectorScan => true,
        // A test action is the pipeline's own word that it tests.
        Provider::CodeBuild { test: true, .. } => true,
        Provider::CodeBuild { project, .. } => program.projects.get(*project).is_some_and(|p| {
            // A push target that names nothing (reported) may be a scanned repository, and a
            // buildspec cruddur cannot see may run the tests.
            p.pushes_unread
                || p.buildspec_unseen()
                || !p.reports.is_empty()
                || p.pushes.iter().any(|r| {
                    program
                        .repositories
                        .get(r.value)
                        .is_some_and(|r| r.scan_on_push.as_ref().is_some_and(|s| s.value))
                })
                || p.phases.iter().flat_map(|ph| &ph.commands).any(|c| match c {
                    Command::Shell(text) => text.literal_runs().any(|r| {
                        ["trivy ", "grype ", "snyk ", "docker scout", "inspector-scan"]
                            .iter()
                            .any(|s| r.contains(s))
                            || runs_tests(r)
                    }),
                    Command::EcrLogin(_) => false,
                })
        }),
        _ => false,
    };
    for (stage_index, stage) in pipeline.stages.iter().enumerate() {
        for action in &stage.actions {
            if !deploys(action) {
                continue;
            }
            if !any_before(pipeline, stage_index, action, checks) {
                out.push(
                    Diagnostic::new(
                        Code::DeployWithoutChecks,
                        format!("`{}` deploys with no test or image scan before it", action.label.value),
                        action.label.loc.file,
                        action.label.loc.span.clone(),
                        "unchecked deploy",
                    )
                    .with_help("before it: an `inspector_scan` or `codebuild_test` action, a build that runs tests (pytest, npm test, go test, mvn test, …) or publishes a test `report`, a build pushing to a `scan_on_push` repository, or a scanner (trivy, grype, snyk) in a build"),
                );
            }
        }
    }
}

/// Whether an action puts new code or infrastructure somewhere.
pub(super) fn deploys(action: &Action) -> bool {
    match action.provider.value {
        Provider::Ecs { .. } | Provider::CodeDeployEcs | Provider::CodeDeploy | Provider::S3Deploy => true,
        // Deleting a stack or only creating a change set puts no new code anywhere.
        Provider::CloudFormation => !action.config("action_mode").is_some_and(|m| match &m.value {
            ConfigValue::Text(text) => text
                .literal()
                .is_some_and(|mode| ["DELETE_ONLY", "CHANGE_SET_REPLACE"].contains(&&*mode)),
            _ => false,
        }),
        _ => false,
    }
}

/// Whether an action that runs before `action` (of stage `stage_index`: in an earlier stage,
/// or earlier in its own) is one `wanted` accepts.
fn any_before(pipeline: &Pipeline, stage_index: usize, action: &Action, wanted: impl Fn(&Action) -> bool) -> bool {
    pipeline.stages[..=stage_index]
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.actions.iter().map(move |a| (i, a)))
        .any(|(i, earlier)| (i < stage_index || earlier.run_order() < action.run_order()) && wanted(earlier))
}

/// S0020: a trigger that starts the pipeline on code no one reviewed (a pull request's, or
/// any branch's), with a deploy and no approval before it. CodePipeline runs a pull request
/// trigger's execution on the commit of the pull request's source branch, and a push
/// trigger's on the branch pushed to, so the deploy ships that code with the pipeline's
/// roles. Tags, and branch patterns narrower than every branch, are not judged: who may push
/// them is the source host's setting.
fn unreviewed_code_deployed(pipeline: &Pipeline, out: &mut Vec<Diagnostic>) {
    use crate::vocabulary::{PullRequestEvent, TriggerKind};
    let unguarded = pipeline.stages.iter().enumerate().find_map(|(stage_index, stage)| {
        stage
            .actions
            .iter()
            .find(|a| deploys(a) && !any_before(pipeline, stage_index, a, |b| b.provider.value == Provider::Approval))
    });
    let Some(deploy) = unguarded else { return };
    for filter in pipeline
        .stages
        .iter()
        .flat_map(|s| &s.actions)
        .flat_map(|a| &a.triggers)
    {
        let every_branch = filter
            .list("branches")
            .and_then(|list| {
                list.patterns.iter().find(|p| {
                    p.literal()
                        .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c == '*'))
                })
            })
            .map(|pattern| &pattern.loc);
        let (whose, label, at) = match filter.kind.value {
            // A closed pull request's execution runs what was merged (or nothing new).
            TriggerKind::PullRequest
                if filter.events.is_empty() || filter.events.iter().any(|e| e.value != PullRequestEvent::Closed) =>
            {
                (
                    "a pull request's code",
                    "runs each pull request's code",
                    &filter.kind.loc,
                )
            }
            TriggerKind::Push if every_branch.is_some() => (
                "code pushed to any branch",
                "matches every branch",
                every_branch.unwrap_or(&filter.kind.loc),
            ),
            _ => continue,
        };
        out.push(
            Diagnostic::new(
                Code::UnreviewedCodeDeployed,
                format!(
                    "pipeline `{}` deploys {whose} with `{}`, and nothing approves it first",
                    pipeline.header.name, deploy.label.value
                ),
                at.file,
                at.span.clone(),
                label,
            )
            .with_secondary(deploy.label.loc.file, deploy.label.loc.span.clone(), "deploys it")
            .with_help("start the deploying pipeline from the protected branch only (`on push { branches = [\"main\"] }`) and check pull requests in a project of their own; or put an `approval()` action before the deploy"),
        );
    }
}

/// The pipeline events that say a run failed (AWS's event ids).
const FAILURE_EVENTS: [&str; 3] = [
    "codepipeline-pipeline-pipeline-execution-failed",
    "codepipeline-pipeline-stage-execution-failed",
    "codepipeline-pipeline-action-execution-failed",
];

/// S0021: a pipeline that deploys, with no `notify` rule for its failures. A failed deploy
/// then goes unseen until someone opens the console. Notifications set up outside the program
/// (an EventBridge rule, a chat integration) are not seen: a warning.
fn failures_unnoticed(pipeline: &Pipeline, out: &mut Vec<Diagnostic>) {
    let Some(deploy) = pipeline.stages.iter().flat_map(|s| &s.actions).find(|a| deploys(a)) else {
        return;
    };
    if pipeline
        .notifications
        .iter()
        .any(|n| n.events.iter().any(|e| FAILURE_EVENTS.contains(&e.value)))
    {
        return;
    }
    let name = &pipeline.header.name;
    let diagnostic = match pipeline.notifications.first() {
        // A rule is there: sending its failures too is what it lacks.
        Some(rule) => {
            let mut diagnostic = Diagnostic::new(
                Code::DeployFailureUnnoticed,
                format!("pipeline `{name}` deploys, and `notify {}` sends none of its failures", rule.label.value),
                rule.label.loc.file,
                rule.label.loc.span.clone(),
                "no failure event",
            );
            if let Some(last) = rule.events.last() {
                let end = last.loc.span.end;
                diagnostic = diagnostic.with_fix("add `execution_failed` to its events", end..end, ", execution_failed");
            }
            diagnostic
        }
        None => Diagnostic::new(
            Code::DeployFailureUnnoticed,
            format!("pipeline `{name}` deploys, and no one is told when it fails"),
            pipeline.header.loc.file,
            pipeline.header.loc.span.clone(),
            "no failure notification",
        )
        .with_help("add `notify failures { topic = \"arn:aws:sns:REGION:ACCOUNT:NAME\", events = [execution_failed] }` to the pipeline"),
    };
    out.push(diagnostic.with_secondary(deploy.label.loc.file, deploy.label.loc.span.clone(), "deploys here"));
}

/// Twelve-digit numbers in strings outside `aws { }` and `param` items.
fn account_ids(
    sources: &SourceMap,
    file: crate::diagnostics::FileId,
    ast: &ast::File,
    home: Option<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let text = sources.source(file);
    for member in ast
        .members
        .iter()
        .filter(|m| m.name.name != "aws" && m.name.name != "param")
    {
        visit_strings(member, &mut |span: &std::ops::Range<usize>| {
            let raw = &text[span.clone()];
            let bytes = raw.as_bytes();
            let mut i = 0;
            while i + 12 <= bytes.len() {
                let run = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                // Twelve digits that end a UUID (`…-8000-000000000000`) are not an account.
                let in_uuid = i >= 5 && bytes[i - 1] == b'-' && bytes[i - 5..i - 1].iter().all(u8::is_ascii_hexdigit);
                let hex_follows = bytes.get(i + run).is_some_and(|b| b.is_ascii_hexdigit());
                if run == 12
                    && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'-')
                    && !in_uuid
                    && !hex_follows
                {
                    let at = span.start + i..span.start + i + 12;
                    // Another account (a cross-account role's) is named once too, by a `param`.
                    let help = match home {
                        Some(home)
                            if home.len() == 12
                                && home.bytes().all(|b| b.is_ascii_digit())
                                && home.as_bytes() != &bytes[i..i + 12] =>
                        {
                            "another account's id: declare it once, `param other_account`, and write `${{ other_account }}` where it is used"
                        }
                        _ => "use `${{ aws.account }}` and set the account once in `aws { account = … }`, from a `param`",
                    };
                    out.push(
                        Diagnostic::new(Code::HardcodedAccountId, "an AWS account id is written into the pipeline", file, at, "hard-coded account id")
                            .with_help(help)
                            .with_note("hard-coded accounts break when the pipeline is deployed to another account, and reveal the account"),
                    );
                }
                i += run.max(1);
            }
        });
    }
}

pub(super) fn visit_strings(member: &ast::Member, f: &mut dyn FnMut(&std::ops::Range<usize>)) {
    fn expr(e: &ast::Expr, f: &mut dyn FnMut(&std::ops::Range<usize>)) {
        match &e.kind {
            ExprKind::Str(lit) if lit.parts.iter().any(|p| matches!(p, StrPart::Text(_))) => f(&e.span),
            ExprKind::List(items) => items.iter().for_each(|i| expr(i, f)),
            ExprKind::Call { args, .. } => args.iter().for_each(|a| expr(&a.value, f)),
            ExprKind::Field(base, _) => expr(base, f),
            _ => {}
        }
    }
    match &member.kind {
        MemberKind::Property(e) => expr(e, f),
        MemberKind::Statement(args) => args.iter().for_each(|a| expr(a, f)),
        MemberKind::Block { value, body, .. } => {
            if let Some(v) = value {
                expr(v, f);
            }
            for m in body.iter().flat_map(|b| &b.members) {
                visit_strings(m, f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{expands, runs_download, runs_script, written_to};

    #[test]
    fn downloaded_code_that_runs_is_found() {
        for run in [
            "curl -fsSL https://get.example.com | sh",
            "curl -sSL https://install.python-poetry.org | python3 -",
            "wget -qO- https://example.com/setup.sh | sudo -E bash -s -- --yes",
            "cd tools && curl -s https://x.io/i.sh | /bin/bash",
            "bash <(curl -s https://example.com/install.sh)",
            "sh -c \"$(curl -fsSL https://example.com/install.sh)\"",
            "eval \"$(wget -qO- https://example.com/env.sh)\"",
            "source <(curl -s https://example.com/env.sh)",
            "VERSION=1.2 curl -s https://example.com/i.sh | VERSION=1.2 bash",
            "curl -fsSL https://deb.nodesource.com/setup_20.x | sudo -E bash -",
            "curl --proto '=https' -sSf https://sh.rustup.rs | sh -s -- -y",
            "curl -s https://example.com/i.sh | sudo -u builder bash",
            "curl -fsSL https://example.com/i.sh \\\n  | sudo bash -",
            "bash -ec \"$(curl -fsSL https://example.com/install.sh)\"",
        ] {
            assert!(runs_download(run).is_some(), "{run}");
        }
    }

    #[test]
    fn downloads_kept_as_data_or_checked_first_are_not() {
        for run in [
            "curl -fsSL -o install.sh https://example.com/install.sh",
            "curl -s https://api.example.com/status | python3 -m json.tool",
            "curl -s https://api.example.com/status | jq .version",
            "curl -sL https://example.com/tool.tar.gz | tar xz",
            "curl -s https://example.com/SHA256SUMS | sha256sum -c -",
            "sh install.sh",
            "bash ./scripts/build.sh",
            "echo \"$(curl -s https://checkip.amazonaws.com)\"",
            "curl -s https://example.com/x || bash scripts/fallback.sh",
            "python3 update_dns.py --ip \"$(curl -s https://checkip.amazonaws.com)\"",
            "bash ./notify.sh \"$(curl -s https://example.com/status)\"",
            "node x.js $(curl -s https://example.com/v)",
            "wget -O - https://example.com/key.gpg | apt-key add -",
            "eval $(aws ecr get-login --no-include-email)",
            "eval \"$(ssh-agent -s)\"",
        ] {
            assert_eq!(runs_download(run), None, "{run}");
        }
    }

    #[test]
    fn the_branch_name_is_found_where_the_shell_expands_it() {
        let name = "CODEBUILD_WEBHOOK_HEAD_REF";
        assert!(expands("eval \"git checkout $CODEBUILD_WEBHOOK_HEAD_REF\"", name));
        assert!(expands(
            "bash -c \"echo ${CODEBUILD_WEBHOOK_HEAD_REF#refs/heads/}\"",
            name
        ));
        assert!(!expands("bash -c 'echo $CODEBUILD_WEBHOOK_HEAD_REF'", name));
        assert!(!expands("echo $CODEBUILD_WEBHOOK_HEAD_REFS", name));
        assert!(expands("sh -c \"git checkout '$CODEBUILD_WEBHOOK_HEAD_REF'\"", name));
        assert_eq!(written_to("echo \"x $V\" > run.sh"), Some("run.sh"));
        assert_eq!(written_to("echo x >&2"), None);
        assert!(runs_script("bash run.sh", "run.sh"));
        assert!(runs_script("./run.sh --fast", "run.sh"));
        assert!(runs_script(". ./run.sh", "run.sh"));
        assert!(!runs_script("cat run.sh", "run.sh"));
    }

    #[test]
    fn only_the_text_a_shell_parses_is_code() {
        use super::{code_words, program_words, shell_words};
        fn code(command: &str) -> Option<Vec<&str>> {
            code_words(&program_words(shell_words(command)))
        }
        assert_eq!(
            code("sh -c 'git checkout \"$1\"' _ \"$CODEBUILD_WEBHOOK_HEAD_REF\""),
            Some(vec!["'git checkout \"$1\"'"])
        );
        assert_eq!(code("bash ./ci/run.sh -c \"$X\""), Some(vec!["./ci/run.sh"]));
        assert_eq!(code("sudo -u builder bash -ec \"make $X\""), Some(vec!["\"make $X\""]));
        assert_eq!(code("eval \"git checkout $X\""), Some(vec!["\"git checkout $X\""]));
        assert_eq!(code("git checkout \"$X\""), None);
        assert_eq!(
            shell_words("bash <(curl -s https://x/i.sh) --yes"),
            ["bash", "<(curl -s https://x/i.sh)", "--yes"]
        );
    }
}

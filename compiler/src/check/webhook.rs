//! A project source's webhook settings: who may start builds (`actors`, comment approvals),
//! which changes do (`files`, `tags`, commit messages), and settings the webhook's events
//! leave without effect.

use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::model::*;
use crate::vocabulary::{ApproverRole, Enumerated, SourceHost, WebhookEvent};

/// Who may start a source's builds: `actors` are account ids (GitHub's are numbers), approver
/// roles are the host's and need a comment approval, and none of it does anything without the
/// `events` that create the webhook.
pub(super) fn access(source: &ProjectSource, out: &mut Vec<Diagnostic>) {
    let host = source.host.value;
    let approval = [
        source.comment_approval.as_ref().map(|c| ("comment_approval", &c.loc)),
        source.approvers.first().map(|a| ("approvers", &a.loc)),
    ];
    let changes = [
        source.files.as_ref().map(|f| ("files", &f.loc)),
        source.exclude_files.as_ref().map(|f| ("exclude_files", &f.loc)),
        source.commit_messages.as_ref().map(|f| ("commit_messages", &f.loc)),
        source
            .exclude_commit_messages
            .as_ref()
            .map(|f| ("exclude_commit_messages", &f.loc)),
    ];
    let tags = source.tags.as_ref().map(|t| ("tags", &t.loc));
    let head_branches = source.head_branches.as_ref().map(|h| ("head_branches", &h.loc));
    if source.events.is_empty() {
        let actors = source.actors.as_ref().map(|a| ("actors", &a.loc));
        let settings: Vec<_> = [tags, head_branches]
            .into_iter()
            .chain(changes)
            .chain(std::iter::once(actors))
            .chain(approval)
            .flatten()
            .collect();
        settings_without_effect(
            source,
            &settings,
            (
                "this source has no webhook `events`",
                "no webhook to apply it to",
                "no `events` here",
            ),
            "add the events that start builds (`events = [pull_request_created, …]`), or remove them",
            out,
        );
        return;
    }
    // CodeBuild filters file paths and commit messages on push and pull-request events only.
    let has = |wanted: &dyn Fn(WebhookEvent) -> bool| source.events.iter().any(|e| wanted(e.value));
    if !has(&|e| e == WebhookEvent::Push || e.is_pull_request()) {
        let settings: Vec<_> = changes.into_iter().flatten().collect();
        settings_without_effect(
            source,
            &settings,
            (
                "no push or pull request starts this source's builds",
                "no changes to match",
                "only release or workflow events here",
            ),
            "changed files and commit messages filter push and pull-request events: add one of them, or remove these filters",
            out,
        );
    }
    // Tags are pushed (HEAD_REF `refs/tags/…`) or released (TAG_NAME).
    if !has(&|e| {
        matches!(
            e,
            WebhookEvent::Push | WebhookEvent::Released | WebhookEvent::Prereleased
        )
    }) {
        let settings: Vec<_> = tags.into_iter().collect();
        settings_without_effect(
            source,
            &settings,
            (
                "no push or release starts this source's builds",
                "no tag to match",
                "no `push`, `released` or `prereleased` here",
            ),
            "tags filter pushes and releases: add `push` or `released` to the events, or remove `tags`",
            out,
        );
    }
    // Only a pull request comes from a branch of its own.
    if !has(&|e| e.is_pull_request()) {
        let settings: Vec<_> = source.head_branches.iter().map(|h| ("head_branches", &h.loc)).collect();
        settings_without_effect(
            source,
            &settings,
            (
                "no pull request starts this source's builds",
                "no pull request's branch to match",
                "no pull-request event here",
            ),
            "`head_branches` filters pull requests by the branch they come from: add pull-request events, or remove it",
            out,
        );
    }
    ref_patterns(source, out);
    commit_messages(source, out);
    for (name, paths) in [("files", &source.files), ("exclude_files", &source.exclude_files)] {
        let Some(paths) = paths else { continue };
        if paths.value.is_empty() {
            out.push(
                Diagnostic::new(
                    Code::WebhookFilePath,
                    format!("an empty `{name}` names no file"),
                    paths.loc.file,
                    paths.loc.span.clone(),
                    "no paths",
                )
                .with_help(if name == "files" {
                    "list the files whose changes start builds (a folder ends in `/`), or remove `files`: as it is, no change would start one"
                } else {
                    "list the files whose changes start no build, or remove `exclude_files`"
                }),
            );
        }
        for path in &paths.value {
            file_path(path, out);
        }
    }
    // An approval applies to pull requests: without one among the events it does nothing.
    if !source.events.iter().any(|e| e.value.is_pull_request()) {
        let settings: Vec<_> = approval.into_iter().flatten().collect();
        settings_without_effect(
            source,
            &settings,
            (
                "no pull request starts this source's builds",
                "no pull request to approve",
                "no pull-request event here",
            ),
            "add the pull-request events that start builds (`pull_request_created`, …), or remove them",
            out,
        );
    }
    if let Some(actors) = &source.actors {
        if actors.value.is_empty() {
            out.push(
                Diagnostic::new(
                    Code::WebhookActorNotAnId,
                    "an empty `actors` list lets no one start a build",
                    actors.loc.file,
                    actors.loc.span.clone(),
                    "no account ids",
                )
                .with_help("list the account ids whose pushes and pull requests start builds, or remove `actors` to let everyone's"),
            );
        }
        for actor in &actors.value {
            let Some(id) = actor.literal() else { continue };
            if host != SourceHost::GitHub {
                continue;
            }
            let digits = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
            if digits && id.starts_with('0') {
                // GitHub sends the id as a number: written with a leading zero it never matches.
                out.push(Diagnostic::new(
                    Code::WebhookActorNotAnId,
                    format!("`{id}` is not a GitHub account id: ids have no leading zero"),
                    actor.loc.file,
                    actor.loc.span.clone(),
                    "leading zero",
                ));
            } else if id.trim() != id && !id.trim().is_empty() && id.trim().bytes().all(|b| b.is_ascii_digit()) {
                out.push(
                    Diagnostic::new(
                        Code::WebhookActorNotAnId,
                        format!("`{id}` is not a GitHub account id: the spaces around the number are part of it"),
                        actor.loc.file,
                        actor.loc.span.clone(),
                        "spaces",
                    )
                    .with_help(format!("write `\"{}\"`", id.trim())),
                );
            } else if !digits {
                let name = id.trim().trim_start_matches('@');
                let lookup = if name.is_empty() || name.contains(char::is_whitespace) {
                    "the `id` field of https://api.github.com/users/NAME is a user's account id".to_string()
                } else {
                    format!("the `id` field of https://api.github.com/users/{name} is the account id")
                };
                out.push(
                    Diagnostic::new(
                        Code::WebhookActorNotAnId,
                        format!("`{id}` is not a GitHub account id: GitHub sends the sender's numeric id"),
                        actor.loc.file,
                        actor.loc.span.clone(),
                        "not a number",
                    )
                    .with_help(lookup),
                );
            }
        }
    }
    for role in &source.approvers {
        if role.value.host() != host {
            let own: Vec<&str> = ApproverRole::ALL
                .iter()
                .filter(|r| r.host() == host)
                .map(|r| r.word())
                .collect();
            out.push(
                Diagnostic::new(
                    Code::SourceHostMismatch,
                    format!(
                        "`{}` is a {} role, and this source is on {}",
                        role.value.word(),
                        role.value.host().connection_provider().word(),
                        host.connection_provider().word()
                    ),
                    role.loc.file,
                    role.loc.span.clone(),
                    "another host's role",
                )
                .with_secondary(source.host.loc.file, source.host.loc.span.clone(), "the source's host")
                .with_note(format!(
                    "{}'s roles: {}",
                    host.connection_provider().word(),
                    own.join(", ")
                )),
            );
        }
    }
    if let (Some(first), false) = (source.approvers.first(), source.asks_approval()) {
        let mut diagnostic = Diagnostic::new(
            Code::ApproversWithoutApproval,
            "approver roles apply only when pull requests wait for a comment approval",
            first.loc.file,
            first.loc.span.clone(),
            "approvers of nothing",
        )
        .with_help("set `comment_approval = all_pull_requests` (or `fork_pull_requests`), or remove `approvers`");
        if let Some(approval) = &source.comment_approval {
            diagnostic =
                diagnostic.with_secondary(approval.loc.file, approval.loc.span.clone(), "no approval asked for");
        }
        out.push(diagnostic);
    }
}

/// E0526: a webhook file path no changed file has. CodeBuild matches the paths of changed
/// files from the repository's root, with no leading `/` or `./`.
fn file_path(path: &Text, out: &mut Vec<Diagnostic>) {
    let Some(written) = path.literal() else { return };
    // `/./x` and `.//x` too: every leading `/` and `./`.
    let mut kept: &str = &written;
    while let Some(rest) = kept.strip_prefix('/').or_else(|| kept.strip_prefix("./")) {
        kept = rest;
    }
    let (message, label) = if let Some(pattern) = written.find(['*', '?', '[', ']', '{', '}']) {
        let character = &written[pattern..pattern + 1];
        let diagnostic = Diagnostic::new(
            Code::WebhookFilePath,
            format!(
                "`{written}` names a file with `{character}` in its name: paths here are written out, not patterns"
            ),
            path.loc.file,
            path.loc.span.clone(),
            "matched as written",
        )
        .with_help("list the folder (ending in `/`) or the files themselves");
        out.push(diagnostic);
        return;
    } else if written.is_empty() {
        ("an empty path names no file".to_string(), "no file")
    } else if kept.is_empty() {
        (
            format!("`{written}` names no file: list the files or folders under the repository's root"),
            "no file",
        )
    } else if kept.len() != written.len() {
        (
            format!(
                "no changed file's path starts with `{}`",
                &written[..written.len() - kept.len()]
            ),
            "never matches",
        )
    } else {
        return;
    };
    let mut diagnostic = Diagnostic::new(
        Code::WebhookFilePath,
        message,
        path.loc.file,
        path.loc.span.clone(),
        label,
    )
    .with_note("CodeBuild matches each changed file's path from the repository's root: `src/app.py`, `buildspec.yml`");
    // The string is written again, so only one with nothing to escape.
    if !kept.is_empty() && !kept.contains(['"', '\\', '$']) {
        diagnostic = diagnostic.with_fix(format!("write `{kept}`"), path.loc.span.clone(), format!("\"{kept}\""));
    }
    out.push(diagnostic);
}

/// E0525: one warning naming every setting that does nothing (the missing events are the one
/// mistake), at the first; the message gives the reason, then the two labels.
fn settings_without_effect(
    source: &ProjectSource,
    settings: &[(&str, &Loc)],
    (reason, label, source_label): (&str, &str, &str),
    help: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some((_, loc)) = settings.first() else { return };
    let names: Vec<String> = settings.iter().map(|(name, _)| format!("`{name}`")).collect();
    let (names, verb) = match names.split_last() {
        Some((last, [])) => (last.clone(), "does"),
        Some((last, rest)) => (format!("{} and {last}", rest.join(", ")), "do"),
        None => return,
    };
    out.push(
        Diagnostic::new(
            Code::WebhookFilterWithoutEvents,
            format!("{names} {verb} nothing: {reason}"),
            loc.file,
            loc.span.clone(),
            label,
        )
        .with_secondary(source.loc.file, source.loc.span.clone(), source_label)
        .with_help(help),
    );
}

/// What a list of ref patterns names: tags (`tags`) or the branches pull requests come from
/// (`head_branches`).
#[derive(Clone, Copy)]
struct Refs {
    noun: &'static str,
    argument: &'static str,
    prefix: &'static str,
    list_help: &'static str,
    other_ref_help: &'static str,
}

const TAGS: Refs = Refs {
    noun: "tag",
    argument: "tags",
    prefix: "refs/tags/",
    list_help: "list the tags whose pushes and releases start builds (`\"v*\"`), or remove `tags`",
    other_ref_help: "a branch goes in `branch`; `tags` lists tag names such as `\"v*\"`",
};

const HEAD_BRANCHES: Refs = Refs {
    noun: "branch",
    argument: "head_branches",
    prefix: "refs/heads/",
    list_help: "list the branches whose pull requests start builds (`\"feature/**\"`), or remove `head_branches`",
    other_ref_help: "`head_branches` lists branch names such as `\"feature/**\"`; tags go in `tags`",
};

/// E0527: a pattern of `tags` or `head_branches` that no ref matches: a ref written in full, a
/// bracket or brace left open, or a character git allows in no ref's name (`git check-ref-format`).
fn ref_patterns(source: &ProjectSource, out: &mut Vec<Diagnostic>) {
    for (patterns, refs) in [(&source.tags, TAGS), (&source.head_branches, HEAD_BRANCHES)] {
        let Some(patterns) = patterns else { continue };
        let noun = refs.noun;
        if patterns.value.is_empty() {
            out.push(
                Diagnostic::new(
                    Code::WebhookTagPattern,
                    format!("an empty `{}` matches no {noun}", refs.argument),
                    patterns.loc.file,
                    patterns.loc.span.clone(),
                    "no patterns",
                )
                .with_help(refs.list_help),
            );
        }
        for pattern in &patterns.value {
            if let Some(diagnostic) = ref_pattern(pattern, refs) {
                out.push(diagnostic);
            }
        }
    }
}

fn ref_pattern(pattern: &Text, refs: Refs) -> Option<Diagnostic> {
    let written = pattern.literal()?;
    let noun = refs.noun;
    let report = |message: String, label: &str| {
        Diagnostic::new(
            Code::WebhookTagPattern,
            message,
            pattern.loc.file,
            pattern.loc.span.clone(),
            label,
        )
    };
    let diagnostic = if written.is_empty() {
        report(
            format!("an empty {noun} pattern matches no {noun}"),
            &format!("no {noun}"),
        )
    } else if let Some(name) = written.strip_prefix(refs.prefix) {
        let mut diagnostic = report(
            format!(
                "`{written}` is matched against {noun} names, which do not start with `{}`",
                refs.prefix
            ),
            "never matches",
        )
        .with_note(format!("cruddur adds `{}` where CodeBuild matches a ref", refs.prefix));
        if !name.is_empty() && !name.contains(['"', '\\', '$']) {
            diagnostic = diagnostic.with_fix(
                format!("write `{name}`"),
                pattern.loc.span.clone(),
                format!("\"{name}\""),
            );
        }
        diagnostic
    } else if written.starts_with("refs/") {
        report(
            format!("`{written}` is a ref, not a {noun} name"),
            &format!("not a {noun}"),
        )
        .with_help(refs.other_ref_help)
    } else if let Some(reason) = never_in_a_ref(&written) {
        report(format!("no {noun} matches `{written}`: {noun} names have {reason}"), "never matches")
            .with_note("git allows no space, control character, `~`, `^`, `:`, `\\`, `..` or `@{` in a ref's name (`git check-ref-format`)")
    } else if let Err(open) = crate::vocabulary::glob::to_regex(&written) {
        let close = if open.opener == '[' { ']' } else { '}' };
        report(format!("the `{}` at column {} of `{written}` is never closed", open.opener, open.at + 1), "unclosed")
            .with_help(format!("close it with `{close}`; the patterns are globs: `*` within a name, `**` across `/`, `?`, `[abc]`, `{{a,b}}`"))
    } else {
        return None;
    };
    Some(diagnostic)
}

/// What no ref's name holds and `pattern` asks for, if anything: the characters and sequences
/// `git check-ref-format` rejects in every ref, outside the glob's own `*`, `?` and `[`.
fn never_in_a_ref(pattern: &str) -> Option<String> {
    if let Some(c) = pattern
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '~' | '^' | ':' | '\\'))
    {
        let shown = match c {
            ' ' => "spaces".to_string(),
            _ if c.is_whitespace() || c.is_control() => format!("`{}`", c.escape_default()),
            _ => format!("`{c}`"),
        };
        return Some(format!("no {shown}"));
    }
    ["..", "@{"]
        .into_iter()
        .find(|s| pattern.contains(s))
        .map(|s| format!("no `{s}`"))
}

/// E0528: a commit-message filter that matches every message: an empty list or an empty text.
/// Excluding them starts no build from any push or pull request; requiring them filters nothing
/// (a warning).
fn commit_messages(source: &ProjectSource, out: &mut Vec<Diagnostic>) {
    for (name, texts, exclude) in [
        ("commit_messages", &source.commit_messages, false),
        ("exclude_commit_messages", &source.exclude_commit_messages, true),
    ] {
        let Some(texts) = texts else { continue };
        if texts.value.is_empty() {
            out.push(
                Diagnostic::new(
                    Code::WebhookCommitMessage,
                    format!("an empty `{name}` lists no text"),
                    texts.loc.file,
                    texts.loc.span.clone(),
                    "no texts",
                )
                .with_help(if exclude {
                    "list the texts whose commits start no build (`\"[skip ci]\"`), or remove `exclude_commit_messages`"
                } else {
                    "list the texts a commit's message must contain to start a build, or remove `commit_messages`: as it is, none would"
                }),
            );
        }
        for text in &texts.value {
            if text.literal().as_deref() != Some("") {
                continue;
            }
            let mut diagnostic = Diagnostic::new(
                Code::WebhookCommitMessage,
                if exclude {
                    "every commit message contains the empty text: no push or pull request would start a build"
                } else {
                    "every commit message contains the empty text: it lets every push and pull request through"
                },
                text.loc.file,
                text.loc.span.clone(),
                "empty",
            )
            .with_help("write the text to look for, or remove it");
            if !exclude {
                diagnostic.severity = crate::diagnostics::Severity::Warning;
            }
            out.push(diagnostic);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::never_in_a_ref;
    use std::process::Command;

    /// What `never_in_a_tag` rejects, git rejects too, and what it lets through (outside glob
    /// characters) git accepts: checked with git itself where it is installed.
    #[test]
    fn tag_names_are_judged_as_git_judges_them() {
        let names = [
            "v1.0",
            "release/2.0",
            "v1 0",
            "v1~1",
            "v1^",
            "v:1",
            "v\\1",
            "v1..2",
            "v@{1}",
            "v\t1",
            "v1@2",
            "v{1}",
            "a,b",
        ];
        let Ok(version) = Command::new("git").arg("--version").output() else {
            eprintln!("git is not installed: skipped");
            return;
        };
        assert!(version.status.success());
        for name in names {
            let git_accepts = Command::new("git")
                .args(["check-ref-format", &format!("refs/tags/{name}")])
                .status()
                .unwrap()
                .success();
            assert_eq!(never_in_a_ref(name).is_none(), git_accepts, "{name:?}");
        }
    }
}

//! A buildspec kept in the repository (`buildspec = file("…")`), read into its project as if
//! its phases, variables, outputs and reports were written in the `.cruddur` file: every
//! buildspec check then judges it, and reports at its line in the YAML. What CodeBuild would
//! refuse to read is reported here (E0519), keys it does not know are warned about (E0521).
//! Source: AWS's buildspec reference,
//! https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html

use super::model::*;
use crate::diagnostics::{did_you_mean, Code, Diagnostic, FileId, SourceMap, Span};
use crate::syntax::yaml::{self, Node, NodeKind};
use crate::vocabulary::{Enumerated, OnFailure, PhaseName, ReportFormat, Shell};
use std::collections::BTreeMap;

/// The files a program reads besides its sources, by the path as written in `file("…")`: the
/// file once read, or why it could not be (the workspace reads them; the core does no I/O).
pub type Included = BTreeMap<String, Result<FileId, String>>;

const TOP: &[&str] = &[
    "version",
    "run-as",
    "env",
    "proxy",
    "batch",
    "phases",
    "reports",
    "artifacts",
    "cache",
];
const ENV: &[&str] = &[
    "shell",
    "variables",
    "parameter-store",
    "exported-variables",
    "secrets-manager",
    "git-credential-helper",
];
const PHASE: &[&str] = &["run-as", "on-failure", "runtime-versions", "commands", "finally"];
const ARTIFACTS: &[&str] = &[
    // `type: zip` is buildspec 0.1's, which CodeBuild still accepts and ignores.
    "type",
    "files",
    "name",
    "discard-paths",
    "base-directory",
    "exclude-paths",
    "enable-symlinks",
    "s3-prefix",
    "secondary-artifacts",
];
const REPORT: &[&str] = &["files", "base-directory", "discard-paths", "file-format"];
const CACHE: &[&str] = &["key", "fallback-keys", "action", "paths"];

/// What reading a buildspec file left out.
#[derive(Debug, Default)]
pub struct Unread {
    /// Part of it could not be read (reported): checks that need the whole project stay quiet.
    pub incomplete: bool,
    /// What unknown keys hold: a fix that names the key makes it read.
    pub unread: Vec<Loc>,
}

/// Reads the buildspec in `file` into `project`.
pub fn read(sources: &SourceMap, file: FileId, project: &mut Project, out: &mut Vec<Diagnostic>) -> Unread {
    let text = sources.source(file);
    let mut r = FileReader {
        file,
        text,
        out,
        complete: true,
        unread: Vec::new(),
    };
    let complete = read_into(&mut r, project);
    if !complete {
        // What the build outputs is then not known either: no file read from it is judged.
        for output in &mut project.outputs {
            if let ProjectOutput::Files { reshaped, .. } = output {
                *reshaped = true;
            }
        }
    }
    Unread {
        incomplete: !complete || !r.unread.is_empty(),
        unread: r.unread,
    }
}

fn read_into(r: &mut FileReader, project: &mut Project) -> bool {
    let text = r.text;
    let root = match yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            r.bad(0..0, "the buildspec file is empty", "no buildspec here");
            return false;
        }
        Err(error) => {
            r.bad(
                error.span,
                format!("the buildspec is not valid YAML: {}", error.message),
                "CodeBuild stops here",
            );
            return false;
        }
    };
    let Some(entries) = r.map(&root, "a buildspec") else {
        return false;
    };
    let mut version = None;
    // Version 0.1 named its variables `environment_variables: plaintext:` (as AWS's own 0.1
    // samples do: aws-samples/codepipeline-nested-cfn, cfn-nested-repo/buildspec.yml).
    let legacy = entries
        .iter()
        .any(|(k, v)| k.scalar() == Some("version") && v.scalar() == Some("0.1"));
    let mut top = TOP.to_vec();
    if legacy {
        top.push("environment_variables");
    }
    for (key_node, key, value) in r.keyed(entries, &top, "a buildspec") {
        match key {
            "version" => version = Some(value),
            "env" => r.env(value, project),
            "environment_variables" => r.legacy_variables(value, project),
            "phases" => r.phases(value, project),
            "artifacts" => r.artifacts(key_node, value, project),
            "reports" => r.reports(value, project),
            "cache" => r.cache(value, project),
            _ => {}
        }
    }
    match version {
        None => r.bad(
            root.span.start..root.span.start,
            "the buildspec has no `version`",
            "`version: 0.2` missing",
        ),
        Some(v) if matches!(v.scalar(), Some("0.2" | "0.1")) => {}
        Some(v) => r.bad(
            v.span.clone(),
            format!("buildspec version `{}` does not exist", v.scalar().unwrap_or("…")),
            "CodeBuild reads 0.2 (or the older 0.1)",
        ),
    }
    // A batch build's tasks set their own variables, image and privileged mode, and may each
    // name another buildspec (then this file needs no `phases`): not judged as one build.
    let batch = entries.iter().any(|(k, _)| k.scalar() == Some("batch"));
    if batch {
        r.complete = false;
    }
    if !batch && !entries.iter().any(|(k, _)| k.scalar() == Some("phases")) {
        r.bad(
            root.span.start..root.span.start,
            "the buildspec has no `phases`",
            "`phases` missing",
        );
    }
    r.complete
}

struct FileReader<'o> {
    file: FileId,
    text: &'o str,
    out: &'o mut Vec<Diagnostic>,
    complete: bool,
    unread: Vec<Loc>,
}

impl FileReader<'_> {
    fn bad(&mut self, span: Span, message: impl Into<String>, label: impl Into<String>) {
        self.complete = false;
        self.out.push(Diagnostic::new(
            Code::InvalidBuildspecFile,
            message,
            self.file,
            span,
            label,
        ));
    }

    fn loc(&self, span: &Span) -> Loc {
        Loc {
            file: self.file,
            span: span.clone(),
        }
    }

    fn at<T>(&self, value: T, node: &Node) -> At<T> {
        At {
            value,
            loc: self.loc(&node.span),
        }
    }

    /// The entries of a mapping; anything else is reported.
    fn map<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [(Node, Node)]> {
        match &node.kind {
            NodeKind::Map(entries) => Some(entries),
            _ if node.is_null() => Some(&[]),
            _ => {
                self.bad(
                    node.span.clone(),
                    format!("{what} must be a mapping of keys, not {}", node.describe()),
                    "expected `key: value` lines",
                );
                None
            }
        }
    }

    /// The entries of a mapping whose keys CodeBuild fixes: unknown keys are warned about (a
    /// near miss gets a fix) and keys given twice reported; the rest are given back.
    fn keys<'n>(&mut self, entries: &'n [(Node, Node)], known: &[&str], within: &str) -> Vec<(&'n str, &'n Node)> {
        self.keyed(entries, known, within)
            .into_iter()
            .map(|(_, name, value)| (name, value))
            .collect()
    }

    /// [`Self::keys`], with each key's node.
    fn keyed<'n>(
        &mut self,
        entries: &'n [(Node, Node)],
        known: &[&str],
        within: &str,
    ) -> Vec<(&'n Node, &'n str, &'n Node)> {
        let mut seen: Vec<&Node> = Vec::new();
        let mut out = Vec::new();
        for (key, value) in entries {
            let Some(name) = key.scalar() else {
                self.bad(
                    key.span.clone(),
                    format!("a key in {within} is {}", key.describe()),
                    "not a key",
                );
                continue;
            };
            if let Some(first) = seen.iter().find(|k| k.scalar() == Some(name)) {
                let first = first.span.clone();
                self.bad(
                    key.span.clone(),
                    format!("`{name}` is given twice in {within}"),
                    "given again here",
                );
                if let Some(d) = self.out.last_mut() {
                    *d = d.clone().with_secondary(self.file, first, "first given here");
                }
                continue;
            }
            seen.push(key);
            if !known.contains(&name) {
                let mut d = Diagnostic::new(
                    Code::UnknownBuildspecKey,
                    format!("`{name}` is not a key of {within}"),
                    self.file,
                    key.span.clone(),
                    "not a buildspec key",
                )
                .with_note(format!("{within} takes: {}", known.join(", ")));
                if let Some(meant) = did_you_mean(name, known.iter().copied()) {
                    d = d.with_fix(format!("replace with `{meant}`"), key.span.clone(), meant);
                }
                self.out.push(d);
                // A key that only holds an anchor (`.shared: &shared …`) is read where its
                // aliases are.
                if !value.anchored {
                    self.unread
                        .push(self.loc(&(key.span.start..value.span.end.max(key.span.end))));
                }
                continue;
            }
            out.push((key, name, value));
        }
        out
    }

    /// A string value.
    fn text(&mut self, node: &Node, what: &str) -> Option<Text> {
        match &node.kind {
            NodeKind::Scalar { value, .. } if !node.is_null() => Some(Text {
                pieces: vec![Piece::Lit(value.clone())],
                loc: self.loc(&node.span),
            }),
            _ => {
                self.bad(
                    node.span.clone(),
                    format!("{what} must be a string, not {}", node.describe()),
                    "expected a string",
                );
                None
            }
        }
    }

    /// A list of strings; one string is a list of one (`files: imagedefinitions.json`, as
    /// AWS's own tutorials write it), and an empty entry is no entry.
    fn texts(&mut self, node: &Node, what: &str) -> Vec<Text> {
        match &node.kind {
            NodeKind::Seq(items) => items
                .iter()
                .filter(|item| !item.is_null())
                .filter_map(|item| self.item(item, what))
                .collect(),
            _ if node.is_null() => Vec::new(),
            NodeKind::Scalar { .. } => self.text(node, what).into_iter().collect(),
            NodeKind::Map(_) => self.item(node, what).into_iter().collect(),
        }
    }

    /// One entry of a list of strings. A command YAML read as a mapping (`- echo Done: ok`)
    /// gets a fix quoting it.
    fn item(&mut self, node: &Node, what: &str) -> Option<Text> {
        if let NodeKind::Map(_) = node.kind {
            let mut d = Diagnostic::new(
                Code::InvalidBuildspecFile,
                format!("this entry of {what} is a mapping, not a string: YAML reads `: ` as a key and its value"),
                self.file,
                node.span.clone(),
                "read as `key: value`",
            )
            .with_note("CodeBuild stops with YAML_FILE_ERROR: expected a string, found subkeys");
            // One line written without quotes is the command as meant: quoting it keeps every
            // character (a plain scalar has no escapes).
            let raw = &self.text[node.span.clone()];
            if !raw.contains('\n') && !raw.starts_with(['"', '\'', '{', '[', '&', '*', '!', '?']) {
                d = d.with_fix(
                    "quote the whole entry",
                    node.span.clone(),
                    format!("'{}'", raw.replace('\'', "''")),
                );
            }
            self.complete = false;
            self.out.push(d);
            return None;
        }
        self.text(node, &format!("an entry of {what}"))
    }

    fn boolean(&mut self, node: &Node, what: &str) -> Option<At<bool>> {
        let value = match node.scalar() {
            Some("yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON") => true,
            Some("no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF") => false,
            _ => {
                self.bad(
                    node.span.clone(),
                    format!("{what} must be `yes` or `no`, not {}", node.describe()),
                    "expected yes or no",
                );
                return None;
            }
        };
        Some(self.at(value, node))
    }

    fn env(&mut self, node: &Node, project: &mut Project) {
        let Some(entries) = self.map(node, "`env`") else { return };
        for (key, value) in self.keys(entries, ENV, "`env`") {
            match key {
                "shell" => {
                    let shell = Shell::ALL.iter().copied().find(|s| Some(s.aws()) == value.scalar());
                    project.shell = shell.map(|s| self.at(s, value));
                    // Another shell (powershell.exe, cmd.exe, pwsh): the commands are not
                    // bash's, and the shell checks do not apply.
                    if shell.is_none() {
                        self.complete = false;
                    }
                }
                "variables" | "parameter-store" | "secrets-manager" => {
                    let Some(vars) = self.map(value, &format!("`env.{key}`")) else {
                        continue;
                    };
                    for (name, value_node) in vars {
                        let Some(var) = name.scalar() else { continue };
                        let Some(text) = self.text(value_node, &format!("the value of `{var}`")) else {
                            continue;
                        };
                        let value = match key {
                            "variables" => EnvValue::Plain(text),
                            "parameter-store" => EnvValue::ParameterStore(text),
                            _ => EnvValue::SecretsManager(text),
                        };
                        project.env.push(EnvVar {
                            name: self.at(var.to_string(), name),
                            value,
                            loc: self.loc(&(name.span.start..value_node.span.end.max(name.span.end))),
                        });
                    }
                }
                "exported-variables" => {
                    for name in self.texts(value, "`env.exported-variables`") {
                        if let Some(word) = name.literal() {
                            project.exported.push(At {
                                value: word.into_owned(),
                                loc: name.loc,
                            });
                        }
                    }
                }
                "git-credential-helper" => {
                    self.boolean(value, "`git-credential-helper`");
                }
                _ => {}
            }
        }
    }

    /// Version 0.1's `environment_variables: plaintext: {NAME: value}`.
    fn legacy_variables(&mut self, node: &Node, project: &mut Project) {
        let Some(entries) = self.map(node, "`environment_variables`") else {
            return;
        };
        for (_, value) in self.keys(entries, &["plaintext"], "`environment_variables`") {
            let Some(vars) = self.map(value, "`environment_variables.plaintext`") else {
                continue;
            };
            for (name, value_node) in vars {
                let Some(var) = name.scalar() else { continue };
                let Some(text) = self.text(value_node, &format!("the value of `{var}`")) else {
                    continue;
                };
                project.env.push(EnvVar {
                    name: self.at(var.to_string(), name),
                    value: EnvValue::Plain(text),
                    loc: self.loc(&(name.span.start..value_node.span.end.max(name.span.end))),
                });
            }
        }
    }

    fn phases(&mut self, node: &Node, project: &mut Project) {
        let Some(entries) = self.map(node, "`phases`") else {
            return;
        };
        let names: Vec<&str> = PhaseName::ALL.iter().map(|p| p.word()).collect();
        for (key_node, key, value) in self.keyed(entries, &names, "`phases`") {
            let Some(name) = PhaseName::from_word(key) else {
                continue;
            };
            let label = &key_node.span;
            let mut phase = Phase {
                name: At {
                    value: name,
                    loc: self.loc(label),
                },
                commands: Vec::new(),
                finally: Vec::new(),
                on_failure: None,
                run_as: None,
                loc: self.loc(&(label.start..value.span.end.max(label.end))),
            };
            let Some(body) = self.map(value, &format!("phase `{key}`")) else {
                continue;
            };
            for (member, value) in self.keys(body, PHASE, &format!("phase `{key}`")) {
                match member {
                    "commands" => {
                        phase.commands = self
                            .texts(value, "`commands`")
                            .into_iter()
                            .map(Command::Shell)
                            .collect()
                    }
                    "finally" => {
                        phase.finally = self.texts(value, "`finally`").into_iter().map(Command::Shell).collect()
                    }
                    "run-as" => phase.run_as = self.text(value, "`run-as`"),
                    "on-failure" => phase.on_failure = self.on_failure(value),
                    "runtime-versions" if name != PhaseName::Install => self.bad(
                        value.span.clone(),
                        format!("`runtime-versions` in phase `{key}`: CodeBuild installs runtimes in `install` only"),
                        "move it to the install phase",
                    ),
                    "runtime-versions" => {
                        let Some(runtimes) = self.map(value, "`runtime-versions`") else {
                            continue;
                        };
                        for (runtime, version) in runtimes {
                            let (Some(runtime_name), Some(version_text)) = (runtime.scalar(), version.scalar()) else {
                                self.bad(
                                    version.span.clone(),
                                    "a runtime version is a string",
                                    "expected `name: version`",
                                );
                                continue;
                            };
                            project.runtimes.push(Runtime {
                                name: self.at(runtime_name.to_string(), runtime),
                                version: self.at(version_text.to_string(), version),
                            });
                        }
                    }
                    _ => {}
                }
            }
            project.phases.push(phase);
        }
        // Phases run in their own order, whatever the order written.
        project.phases.sort_by_key(|p| p.name.value);
    }

    /// `ABORT`, `CONTINUE`, or a retry (`RETRY`, `RETRY-3`, `RETRY-regex`, `RETRY-3-regex`),
    /// which the model leaves out.
    fn on_failure(&mut self, node: &Node) -> Option<At<OnFailure>> {
        let value = node.scalar().unwrap_or("");
        if let Some(choice) = OnFailure::ALL.iter().copied().find(|o| o.aws() == value) {
            return Some(self.at(choice, node));
        }
        if value == "RETRY" || value.starts_with("RETRY-") {
            return None;
        }
        self.bad(
            node.span.clone(),
            format!("`on-failure` is ABORT, CONTINUE or RETRY…, not `{value}`"),
            "unknown on-failure value",
        );
        None
    }

    fn artifacts(&mut self, key: &Node, node: &Node, project: &mut Project) {
        let Some(entries) = self.map(node, "`artifacts`") else {
            return;
        };
        let mut patterns = None;
        let mut base_directory = None;
        let mut reshaped = false;
        for (key, value) in self.keys(entries, ARTIFACTS, "`artifacts`") {
            match key {
                "files" => patterns = Some(self.texts(value, "`artifacts.files`")),
                // The patterns are relative to it, and the artifact holds what they match.
                "base-directory" => base_directory = self.text(value, "`base-directory`"),
                "exclude-paths" => reshaped = true,
                "discard-paths" => reshaped |= self.boolean(value, "`discard-paths`").is_some_and(|d| d.value),
                "secondary-artifacts" => {
                    let Some(artifacts) = self.map(value, "`secondary-artifacts`") else {
                        continue;
                    };
                    for (label, body) in artifacts {
                        let Some(id) = label.scalar() else { continue };
                        let artifact = self.secondary(id, label, body);
                        project.artifacts.extend(artifact);
                    }
                }
                _ => {}
            }
        }
        match patterns {
            Some(patterns) => project.outputs.push(ProjectOutput::Files {
                patterns,
                base_directory,
                reshaped,
                loc: self.loc(&key.span),
            }),
            // Secondary artifacts alone need no primary files.
            None if !project.artifacts.is_empty() => {}
            None => self.bad(key.span.clone(), "`artifacts` has no `files`", "`files` missing"),
        }
    }

    fn secondary(&mut self, id: &str, label: &Node, body: &Node) -> Option<SecondaryArtifact> {
        let entries = self.map(body, &format!("secondary artifact `{id}`"))?;
        let mut artifact = SecondaryArtifact {
            label: self.at(id.to_string(), label),
            files: Vec::new(),
            base_directory: None,
            discard_paths: None,
            name: None,
        };
        let mut has_files = false;
        for (key, value) in self.keys(entries, ARTIFACTS, &format!("secondary artifact `{id}`")) {
            match key {
                "files" => {
                    has_files = true;
                    artifact.files = self.texts(value, "`files`");
                }
                "base-directory" => artifact.base_directory = self.text(value, "`base-directory`"),
                "discard-paths" => artifact.discard_paths = self.boolean(value, "`discard-paths`"),
                "name" => artifact.name = self.text(value, "`name`"),
                _ => {}
            }
        }
        if !has_files {
            self.bad(
                label.span.clone(),
                format!("secondary artifact `{id}` has no `files`"),
                "`files` missing",
            );
        }
        Some(artifact)
    }

    fn reports(&mut self, node: &Node, project: &mut Project) {
        let Some(entries) = self.map(node, "`reports`") else {
            return;
        };
        for (label, body) in entries {
            let Some(name) = label.scalar() else { continue };
            let Some(members) = self.map(body, &format!("report `{name}`")) else {
                continue;
            };
            let mut report = Report {
                label: self.at(name.to_string(), label),
                files: Vec::new(),
                base_directory: None,
                format: None,
            };
            for (key, value) in self.keys(members, REPORT, &format!("report `{name}`")) {
                match key {
                    "files" => report.files = self.texts(value, "`files`"),
                    "base-directory" => report.base_directory = self.text(value, "`base-directory`"),
                    "discard-paths" => {
                        self.boolean(value, "`discard-paths`");
                    }
                    "file-format" => {
                        let written = value.scalar().unwrap_or("");
                        // In any case: AWS's own templates write `VisualStudioTrx`
                        // (aws-cloudformation-templates, CodeBuild/DotNet).
                        match ReportFormat::ALL
                            .iter()
                            .copied()
                            .find(|f| f.aws().eq_ignore_ascii_case(written))
                        {
                            Some(format) => report.format = Some(self.at(format, value)),
                            None => {
                                let formats: Vec<&str> = ReportFormat::ALL.iter().map(|f| f.aws()).collect();
                                self.bad(
                                    value.span.clone(),
                                    format!("`{written}` is not a report file format"),
                                    "unknown file-format",
                                );
                                if let Some(d) = self.out.last_mut() {
                                    d.notes.push(format!("formats: {}", formats.join(", ")));
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            // A report group may be named by its ARN (an existing group): the role is then
            // granted that group.
            project.reports.push(report);
        }
    }

    fn cache(&mut self, node: &Node, project: &mut Project) {
        let Some(entries) = self.map(node, "`cache`") else {
            return;
        };
        for (key, value) in self.keys(entries, CACHE, "`cache`") {
            if key == "paths" {
                project.cache_paths = self.texts(value, "`cache.paths`");
            }
        }
    }
}

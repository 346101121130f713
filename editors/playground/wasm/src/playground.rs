//! The playground's program and its requests: a workspace in memory holding one example's
//! files, one of which the page edits. Every answer is the compiler's (`cruddur::ide`, the
//! analysis, the emitters), with byte offsets turned into Monaco's positions (1-based lines,
//! UTF-16 columns).

use cruddur::analysis::Analysis;
use cruddur::diagnostics::{Code, Diagnostic, FileId, SourceMap, Span};
use cruddur::ide::{self, ActionKind, CompletionKind};
use cruddur::workspace::{MemoryFs, Workspace};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Where the program's files are, in the workspace's memory.
const ROOT: &str = "/playground";
/// The program's configuration file, in its folder.
const CONFIG: &str = "cruddur.toml";

pub struct Playground {
    workspace: Workspace,
    /// The file the page edits.
    main: Option<FileId>,
    /// The last analysis in which the edited file parsed: its names still complete while the
    /// text does not parse.
    last_good: Option<Arc<Analysis>>,
}

impl Default for Playground {
    fn default() -> Self {
        Playground::new()
    }
}

impl Playground {
    pub fn new() -> Playground {
        Playground {
            workspace: Workspace::new(MemoryFs::new()),
            main: None,
            last_good: None,
        }
    }

    /// Answers one JSON request (`{"method": …, …}`) with `{"ok": …}` or `{"error": …}`.
    pub fn request(&mut self, request: &[u8]) -> String {
        let answer = match serde_json::from_slice::<Value>(request) {
            Ok(request) => self.answer(&request),
            Err(error) => Err(format!("the request is not JSON: {error}")),
        };
        match answer {
            Ok(value) => json!({ "ok": value }),
            Err(message) => json!({ "error": message }),
        }
        .to_string()
    }

    fn answer(&mut self, request: &Value) -> Result<Value, String> {
        let method = request["method"].as_str().unwrap_or_default();
        if method == "legend" {
            return Ok(json!({
                "types": ide::highlight::TOKEN_TYPES,
                "modifiers": ide::highlight::TOKEN_MODIFIERS,
            }));
        }
        if method == "explain" {
            // A diagnostic code's catalog entry, or the documentation of a word of the language.
            let word = request["code"].as_str().unwrap_or_default();
            return Ok(match word.parse::<Code>() {
                Ok(code) => cruddur::diagnostics::explain::entry(code).map_or(Value::Null, |text| json!(text)),
                Err(()) => ide::explain(word).map_or(Value::Null, Value::String),
            });
        }
        if method == "open" {
            return self.open(request);
        }
        let main = self.main.ok_or("no program is open")?;
        match method {
            "update" => {
                let text = request["text"].as_str().ok_or("`update` needs `text`")?;
                let path = self.workspace.path(main).to_path_buf();
                self.workspace.set_text(&path, text);
                Ok(self.analysis_json(main))
            }
            "hover" => {
                let offset = self.offset(main, request)?;
                let analysis = self.analysis(main);
                let sources = self.workspace.sources();
                Ok(ide::hover(&analysis, sources, main, offset).map_or(
                    Value::Null,
                    |hover| json!({ "markdown": hover.markdown, "range": range(sources, main, &hover.span) }),
                ))
            }
            "complete" => Ok(self.complete(main, request)?),
            "actions" => Ok(self.actions(main, request)?),
            "format" => Ok(match cruddur::format::format(self.workspace.sources().source(main)) {
                Ok(text) => json!({ "text": text }),
                Err(cruddur::format::FormatError::Syntax(_)) => {
                    json!({ "error": "the file has syntax errors: fix them to format it" })
                }
                Err(cruddur::format::FormatError::Unsafe(why)) => json!({ "error": why }),
            }),
            "tokens" => {
                let analysis = self.analysis(main);
                let tokens = ide::highlights(&analysis, main);
                Ok(json!({ "data": ide::highlight::encode(self.workspace.sources(), main, tokens) }))
            }
            "graph" => {
                let analysis = self.analysis(main);
                let errors = analysis.diagnostics.iter().filter(|d| d.is_error()).count();
                Ok(if errors > 0 {
                    let s = if errors == 1 { "" } else { "s" };
                    json!({ "error": format!("{errors} error{s}: the diagram is drawn once the program checks") })
                } else {
                    let programs = [(&analysis.program, analysis.artifacts.as_slice())];
                    json!({ "mermaid": cruddur::emit::graph::mermaid_programs(&programs) })
                })
            }
            "build" => Ok(self.build(main, request)),
            _ => Err(format!("no method `{method}`")),
        }
    }

    /// Starts a program: `files` by path relative to the example, `main` the edited one.
    fn open(&mut self, request: &Value) -> Result<Value, String> {
        let files = request["files"].as_object().ok_or("`open` needs `files`")?;
        let main = request["main"].as_str().ok_or("`open` needs `main`")?;
        let fs = MemoryFs::new();
        for (path, text) in files {
            let text = text.as_str().ok_or_else(|| format!("`{path}` is not text"))?;
            fs.insert(inside(path)?, text);
        }
        let main_path = inside(main)?;
        let text = files.get(main).and_then(Value::as_str).unwrap_or_default();
        self.workspace = Workspace::new(fs);
        self.last_good = None;
        let main = self.workspace.set_text(&main_path, text);
        self.main = Some(main);
        Ok(self.analysis_json(main))
    }

    fn analysis(&mut self, main: FileId) -> Arc<Analysis> {
        let analysis = self
            .workspace
            .analysis_of(main)
            .expect("the edited file is in the workspace");
        if analysis.ast(main).is_some() && !self.syntax_errors(&analysis, main) {
            self.last_good = Some(analysis.clone());
        }
        analysis
    }

    fn syntax_errors(&self, analysis: &Analysis, main: FileId) -> bool {
        analysis
            .diagnostics
            .iter()
            .any(|d| d.primary.file == main && d.is_error() && d.code.is_syntax())
    }

    fn analysis_json(&mut self, main: FileId) -> Value {
        let analysis = self.analysis(main);
        let (mine, elsewhere): (Vec<&Diagnostic>, Vec<&Diagnostic>) = analysis
            .diagnostics
            .iter()
            .filter(|d| d.is_active())
            .partition(|d| d.primary.file == main);
        let params: Vec<Value> = analysis
            .program
            .params
            .iter()
            .map(|p| {
                json!({
                    "name": p.header.name,
                    "default": p.default.as_ref().map(|d| d.value.clone()),
                    "description": p.description,
                })
            })
            .collect();
        let mut elsewhere: Vec<Value> = elsewhere.iter().map(|d| self.diagnostic(d)).collect();
        elsewhere.extend(self.config_finding(main));
        json!({
            "diagnostics": mine.iter().map(|d| self.diagnostic(d)).collect::<Vec<_>>(),
            "elsewhere": elsewhere,
            "params": params,
            "parsed": !self.syntax_errors(&analysis, main),
        })
    }

    /// A `cruddur.toml` the program's folder holds that cannot be used: a finding on it, where
    /// it is wrong, as the language server reports it. It has no code: it is not a finding of
    /// the program's.
    fn config_finding(&self, main: FileId) -> Option<Value> {
        let program = self.workspace.programs().iter().find(|p| p.files.contains(&main))?;
        let error = program.config_error.as_ref()?;
        let (line, column) = (error.line + 1, error.column + 1);
        Some(json!({
            "code": "",
            "title": format!("`{CONFIG}` cannot be used"),
            "severity": "error",
            "message": format!("`{CONFIG}` cannot be used: {}; the default configuration applies meanwhile", error.reason),
            "file": CONFIG,
            "range": { "startLineNumber": line, "startColumn": column, "endLineNumber": line, "endColumn": column + 1 },
            "related": [],
            "unnecessary": false,
            "fixable": false,
        }))
    }

    /// A finding as the page shows it.
    fn diagnostic(&self, d: &Diagnostic) -> Value {
        let sources = self.workspace.sources();
        let related: Vec<Value> = d
            .secondary
            .iter()
            .map(|label| {
                json!({
                    "file": self.name(label.file),
                    "range": range(sources, label.file, &label.span),
                    "message": label.message,
                })
            })
            .collect();
        json!({
            "code": d.code.as_str(),
            "title": d.code.title(),
            "severity": if d.is_error() { "error" } else { "warning" },
            "message": ide::actions::message(d),
            "file": self.name(d.primary.file),
            "range": range(sources, d.primary.file, &d.primary.span),
            "related": related,
            "unnecessary": ide::actions::unnecessary(d),
            "fixable": d.fix.is_some(),
        })
    }

    /// A file's path relative to the example.
    fn name(&self, file: FileId) -> String {
        let path = self.workspace.path(file);
        path.strip_prefix(ROOT).unwrap_or(path).to_string_lossy().into_owned()
    }

    /// The byte offset of the request's `line` and `column` in the edited file.
    fn offset(&self, main: FileId, request: &Value) -> Result<usize, String> {
        let number = |key: &str| {
            request[key]
                .as_u64()
                .filter(|n| *n >= 1)
                .map(|n| n as usize - 1)
                .ok_or_else(|| format!("`{key}` must be a number from 1"))
        };
        Ok(self
            .workspace
            .sources()
            .utf16_offset(main, number("line")?, number("column")?))
    }

    fn complete(&mut self, main: FileId, request: &Value) -> Result<Value, String> {
        let offset = self.offset(main, request)?;
        let analysis = self.analysis(main);
        let sources = self.workspace.sources();
        let source = sources.source(main);
        let mut found = ide::completions(&analysis, source, main, offset);
        // While the text does not parse, its last good analysis knows the names it hides.
        if let Some(stale) = self.last_good.as_ref().filter(|s| !Arc::ptr_eq(s, &analysis)) {
            for candidate in ide::completions(stale, source, main, offset) {
                if !found.iter().any(|c| c.label == candidate.label) {
                    found.push(candidate);
                }
            }
        }
        Ok(found
            .into_iter()
            .map(|c| {
                json!({
                    "label": c.label,
                    "kind": kind_name(c.kind),
                    "detail": c.detail,
                    "documentation": c.documentation,
                    "insert": c.insert,
                    "snippet": c.snippet,
                    "range": range(sources, main, &c.replace),
                })
            })
            .collect())
    }

    /// The code actions at a range of the edited file, or of another of the program's files
    /// (`file`: a buildspec it reads), each changing only that file.
    fn actions(&mut self, main: FileId, request: &Value) -> Result<Value, String> {
        let file = match request["file"].as_str() {
            Some(path) => self
                .workspace
                .file(&inside(path)?)
                .ok_or_else(|| format!("`{path}` is not a file of the program"))?,
            None => main,
        };
        let at = &request["range"];
        let position = |line: &str, column: &str| {
            let line = at[line].as_u64().ok_or("`range` needs Monaco's fields")?;
            let column = at[column].as_u64().ok_or("`range` needs Monaco's fields")?;
            Ok::<usize, String>(self.workspace.sources().utf16_offset(
                file,
                line.saturating_sub(1) as usize,
                column.saturating_sub(1) as usize,
            ))
        };
        let (start, end) = (
            position("startLineNumber", "startColumn")?,
            position("endLineNumber", "endColumn")?,
        );
        let analysis = self.analysis(main);
        let sources = self.workspace.sources();
        // The page's markers of the file are its active findings, in the analysis's order.
        let shown: Vec<usize> = analysis
            .diagnostics
            .iter()
            .enumerate()
            .filter(|(_, d)| d.is_active() && d.primary.file == file)
            .map(|(index, _)| index)
            .collect();
        Ok(ide::code_actions(&analysis, file, start, end)
            .into_iter()
            // The page applies an action to the file it was asked for: one that changes another is
            // not offered.
            .filter(|action| action.edits.iter().all(|e| e.file == file))
            .map(|action| {
                let edits: Vec<Value> = action
                    .edits
                    .iter()
                    .map(|e| json!({ "range": range(sources, file, &e.span), "text": e.replacement }))
                    .collect();
                let fixes: Vec<usize> = action
                    .fixes
                    .iter()
                    .filter_map(|index| shown.iter().position(|i| i == index))
                    .collect();
                json!({
                    "title": action.title,
                    "kind": match action.kind {
                        ActionKind::QuickFix => "quickfix",
                        ActionKind::FixAll => "source.fixAll",
                    },
                    "preferred": action.preferred,
                    "diagnostics": fixes,
                    "edits": edits,
                })
            })
            .collect())
    }

    /// What `cruddur build --param NAME=VALUE…` writes, or why it writes nothing: `checked`,
    /// the errors the check found (the page lists those already), or the build's own findings
    /// (a parameter without a value).
    fn build(&mut self, main: FileId, request: &Value) -> Value {
        let analysis = self.analysis(main);
        // An empty field is a parameter not given (the build says which it needs).
        let params: BTreeMap<String, String> = request["params"]
            .as_object()
            .unwrap_or(&Map::new())
            .iter()
            .filter_map(|(name, value)| Some((name.clone(), value.as_str()?.trim().to_string())))
            .filter(|(_, value)| !value.is_empty())
            .collect();
        let checked = analysis
            .diagnostics
            .iter()
            .filter(|d| d.is_active() && d.is_error())
            .count()
            // A `cruddur.toml` that cannot be used stops `cruddur build` before it starts.
            + usize::from(self.config_finding(main).is_some());
        let mut diagnostics = Vec::new();
        let mut files = Vec::new();
        if checked == 0 {
            match cruddur::emit::emit(&analysis.program, &params) {
                Ok(made) => {
                    files = made
                        .into_iter()
                        .map(|(path, text)| json!({ "path": path, "text": text }))
                        .collect()
                }
                Err(errors) => diagnostics = errors,
            }
        }
        cruddur::diagnostics::sort(&mut diagnostics);
        diagnostics.iter_mut().for_each(for_the_form);
        json!({
            "files": files,
            "checked": checked,
            "diagnostics": diagnostics.iter().map(|d| self.diagnostic(d)).collect::<Vec<_>>(),
            "ok": checked == 0 && !diagnostics.iter().any(Diagnostic::is_error),
        })
    }
}

/// A parameter without a value, said as the page asks for one: in its field of the form (the
/// command line's `--param`, and the CloudFormation template the CLI can write instead, are
/// not the page's).
fn for_the_form(d: &mut Diagnostic) {
    let Some(name) = d
        .help
        .as_deref()
        .and_then(|help| help.strip_prefix("pass it: `--param "))
        .and_then(|rest| rest.split_once("=VALUE`"))
        .map(|(name, _)| name.to_string())
    else {
        return;
    };
    d.help = Some(format!(
        "type its value in the `{name}` field of the form (`--param {name}=VALUE` to `cruddur build`), or give the parameter a default"
    ));
    d.notes
        .retain(|note| !note.contains("cruddur build --form cloudformation"));
}

/// A path of the example's, inside the playground's folder; none leaves it.
fn inside(path: &str) -> Result<PathBuf, String> {
    let relative = Path::new(path);
    if path.is_empty() || !relative.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(format!("`{path}` is not a relative path inside the example"));
    }
    Ok(Path::new(ROOT).join(relative))
}

/// A span as Monaco's `IRange`.
fn range(sources: &SourceMap, file: FileId, span: &Span) -> Value {
    let (start_line, start_column) = sources.utf16_position(file, span.start);
    let (end_line, end_column) = sources.utf16_position(file, span.end);
    json!({
        "startLineNumber": start_line + 1,
        "startColumn": start_column + 1,
        "endLineNumber": end_line + 1,
        "endColumn": end_column + 1,
    })
}

fn kind_name(kind: CompletionKind) -> &'static str {
    match kind {
        CompletionKind::Keyword => "keyword",
        CompletionKind::Member => "member",
        CompletionKind::Setting => "setting",
        CompletionKind::Value => "value",
        CompletionKind::Function => "function",
        CompletionKind::Provider => "provider",
        CompletionKind::Item(_) => "item",
        CompletionKind::Artifact => "artifact",
        CompletionKind::Field => "field",
        CompletionKind::Variable => "variable",
        CompletionKind::IamAction => "iam-action",
    }
}

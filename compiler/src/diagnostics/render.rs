//! Thin views of [`Diagnostic`]: a terminal report (`terminal`), a one-line-per-problem form for
//! editors and grep, and JSON for CI. Line and column numbers always come from [`SourceMap`].

use super::{Diagnostic, Label, Severity, SourceMap};
use serde_json::{json, Value};
use std::io::{self, Write};

/// Writes the terminal report of each diagnostic, followed by a summary line.
pub fn human(out: &mut dyn Write, diagnostics: &[Diagnostic], sources: &SourceMap, color: bool) -> io::Result<()> {
    super::terminal::human(out, diagnostics, sources, color)
}

/// `file:line:col: severity[CODE]: message`, one line per diagnostic.
pub fn short(out: &mut dyn Write, diagnostics: &[Diagnostic], sources: &SourceMap) -> io::Result<()> {
    for diagnostic in diagnostics.iter().filter(|d| d.is_active()) {
        let at = sources.line_col(diagnostic.primary.file, diagnostic.primary.span.start);
        writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            sources.name(diagnostic.primary.file),
            at.line,
            at.column,
            diagnostic.severity.as_str(),
            diagnostic.code,
            diagnostic.message
        )?;
    }
    Ok(())
}

/// A JSON document: `{"version": 1, "diagnostics": [...], "summary": {...}}`, written one
/// diagnostic at a time.
pub fn json(out: &mut dyn Write, diagnostics: &[Diagnostic], sources: &SourceMap) -> io::Result<()> {
    let document = json!({
        "version": 1,
        "diagnostics": STREAMED,
        "summary": {
            "errors": count(diagnostics, Severity::Error),
            "warnings": count(diagnostics, Severity::Warning),
            "suppressed": diagnostics.iter().filter(|d| !d.is_active()).count(),
        },
    });
    write_streamed(out, &document, diagnostics.iter().map(|d| diagnostic_json(d, sources)))
}

/// Stands in a document for the array `write_streamed` writes item by item.
pub(super) const STREAMED: &str = "\u{0}streamed array\u{0}";

/// Prints `document` as `serde_json::to_writer_pretty` would, followed by a line break, with
/// the string [`STREAMED`] replaced by the array of `items`, each built only when written: a
/// report of a hundred thousand problems is never held whole.
pub(super) fn write_streamed(
    out: &mut dyn Write,
    document: &Value,
    items: impl Iterator<Item = Value>,
) -> io::Result<()> {
    write_around(out, &Around::new(document)?, items)
}

/// A document printed, split where [`STREAMED`] stands: the text before and after it.
pub(super) struct Around {
    before: String,
    after: String,
}

impl Around {
    pub(super) fn new(document: &Value) -> io::Result<Around> {
        let text = serde_json::to_string_pretty(document).map_err(io::Error::other)?;
        let mark = serde_json::to_string(STREAMED).map_err(io::Error::other)?;
        let at = text.find(&mark).expect("the document holds the streamed array's mark");
        Ok(Around {
            before: text[..at].to_string(),
            after: text[at + mark.len()..].to_string(),
        })
    }
}

/// Writes a document split by [`Around::new`] with `items` as the array where it was split.
pub(super) fn write_around(out: &mut dyn Write, around: &Around, items: impl Iterator<Item = Value>) -> io::Result<()> {
    let before = around.before.as_str();
    let indent = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let indent = &indent[..indent.len() - indent.trim_start().len()];
    let inner = format!("{indent}  ");
    out.write_all(before.as_bytes())?;
    let mut items = items.peekable();
    if items.peek().is_none() {
        out.write_all(b"[]")?;
    } else {
        out.write_all(b"[")?;
        let mut first = true;
        for item in items {
            out.write_all(if first { b"\n" } else { b",\n" })?;
            first = false;
            let item = serde_json::to_string_pretty(&item).map_err(io::Error::other)?;
            for (index, line) in item.split('\n').enumerate() {
                if index > 0 {
                    out.write_all(b"\n")?;
                }
                out.write_all(inner.as_bytes())?;
                out.write_all(line.as_bytes())?;
            }
        }
        write!(out, "\n{indent}]")?;
    }
    out.write_all(around.after.as_bytes())?;
    writeln!(out)
}

/// One diagnostic as a JSON value, with line/column positions from the source map.
pub fn diagnostic_json(diagnostic: &Diagnostic, sources: &SourceMap) -> Value {
    json!({
        "code": diagnostic.code.as_str(),
        "severity": diagnostic.severity,
        "message": diagnostic.message,
        "file": sources.name(diagnostic.primary.file),
        "span": span_json(&diagnostic.primary, sources),
        "secondary": diagnostic.secondary.iter().map(|l| {
            let mut value = span_json(l, sources);
            value["file"] = json!(sources.name(l.file));
            value
        }).collect::<Vec<_>>(),
        "notes": diagnostic.notes,
        "help": diagnostic.help,
        "suppressed": diagnostic.suppressed.as_ref().map(|reason| json!({ "reason": reason })),
        "fix": diagnostic.fix.as_ref().map(|fix| json!({
            "message": fix.message,
            "applicability": fix.applicability.as_str(),
            "edits": fix.edits.iter().map(|edit| json!({
                "file": sources.name(edit.file),
                "start": edit.span.start,
                "end": edit.span.end,
                "replacement": edit.replacement,
            })).collect::<Vec<_>>(),
        })),
    })
}

fn span_json(label: &Label, sources: &SourceMap) -> Value {
    let start = sources.line_col(label.file, label.span.start);
    let end = sources.line_col(label.file, label.span.end);
    json!({
        "start": label.span.start,
        "end": label.span.end,
        "line": start.line,
        "column": start.column,
        "end_line": end.line,
        "end_column": end.column,
        "label": label.message,
    })
}

fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity && d.is_active())
        .count()
}

/// "2 errors, 1 warning" (or "no problems").
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = count(diagnostics, Severity::Error);
    let warnings = count(diagnostics, Severity::Warning);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let suppressed = diagnostics.iter().filter(|d| !d.is_active()).count();
    let main = match (errors, warnings) {
        (0, 0) => "no problems found".to_string(),
        (e, 0) => plural(e, "error"),
        (0, w) => plural(w, "warning"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    };
    if suppressed > 0 {
        format!("{main} ({suppressed} waived in the source)")
    } else {
        main
    }
}

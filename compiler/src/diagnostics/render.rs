//! Thin views of [`Diagnostic`]: a terminal report (`terminal`), a one-line-per-problem form for
//! editors and grep, and JSON for CI. Line and column numbers always come from [`SourceMap`].

use super::{Diagnostic, Label, Severity, SourceMap};
use serde::Serialize;
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
    write_streamed(
        out,
        &document,
        diagnostics.iter().map(|d| JsonDiagnostic::new(d, sources)),
    )
}

/// Stands in a document for the array `write_streamed` writes item by item.
pub(super) const STREAMED: &str = "\u{0}streamed array\u{0}";

/// Prints `document` as `serde_json::to_writer_pretty` would, followed by a line break, with
/// the string [`STREAMED`] replaced by the array of `items`, each serialized only when written:
/// a report of a hundred thousand problems is never held whole.
pub(super) fn write_streamed<T: Serialize>(
    out: &mut dyn Write,
    document: &Value,
    items: impl Iterator<Item = T>,
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
pub(super) fn write_around<T: Serialize>(
    out: &mut dyn Write,
    around: &Around,
    items: impl Iterator<Item = T>,
) -> io::Result<()> {
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
        // Each item is printed into one reused buffer, then written in one piece.
        let mut buffer = Vec::new();
        for item in items {
            buffer.clear();
            buffer.extend_from_slice(if first { b"\n" } else { b",\n" });
            first = false;
            buffer.extend_from_slice(inner.as_bytes());
            let formatter = Nested {
                depth: inner.len() / 2,
                has_value: false,
            };
            let mut serializer = serde_json::Serializer::with_formatter(&mut buffer, formatter);
            item.serialize(&mut serializer).map_err(io::Error::other)?;
            out.write_all(&buffer)?;
        }
        write!(out, "\n{indent}]")?;
    }
    out.write_all(around.after.as_bytes())?;
    writeln!(out)
}

/// `serde_json`'s pretty layout (two spaces a level) for a value nested `depth` levels deep:
/// an item of a streamed array is written straight to the output, already indented.
struct Nested {
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn line(&self, out: &mut (impl ?Sized + Write)) -> io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        out.write_all(b"\n")?;
        let mut width = self.depth * 2;
        while width > 0 {
            let step = width.min(SPACES.len());
            out.write_all(&SPACES[..step])?;
            width -= step;
        }
        Ok(())
    }

    fn open(&mut self, out: &mut (impl ?Sized + Write), bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close(&mut self, out: &mut (impl ?Sized + Write), bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(out)?;
        }
        out.write_all(bracket)
    }

    fn entry(&mut self, out: &mut (impl ?Sized + Write), first: bool) -> io::Result<()> {
        out.write_all(if first { b"" } else { b"," })?;
        self.line(out)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.entry(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.entry(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// One diagnostic as a JSON value, with line/column positions from the source map.
pub fn diagnostic_json(diagnostic: &Diagnostic, sources: &SourceMap) -> Value {
    serde_json::to_value(JsonDiagnostic::new(diagnostic, sources)).unwrap_or_default()
}

// The JSON report's shapes, borrowed from the diagnostic. Fields are in name order, as a
// `serde_json::Value` prints them: the report's layout is stable.

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    file: &'a str,
    fix: Option<JsonFix<'a>>,
    help: &'a Option<String>,
    message: &'a str,
    notes: &'a [String],
    secondary: Vec<JsonSpan<'a>>,
    severity: Severity,
    span: JsonSpan<'a>,
    suppressed: Option<JsonReason<'a>>,
}

#[derive(Serialize)]
struct JsonSpan<'a> {
    column: usize,
    end: usize,
    end_column: usize,
    end_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    label: &'a str,
    line: usize,
    start: usize,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    end: usize,
    file: &'a str,
    replacement: &'a str,
    start: usize,
}

#[derive(Serialize)]
struct JsonReason<'a> {
    reason: &'a str,
}

impl<'a> JsonDiagnostic<'a> {
    fn new(diagnostic: &'a Diagnostic, sources: &'a SourceMap) -> Self {
        JsonDiagnostic {
            code: diagnostic.code.as_str(),
            file: sources.name(diagnostic.primary.file),
            fix: diagnostic.fix.as_ref().map(|fix| JsonFix {
                applicability: fix.applicability.as_str(),
                edits: fix
                    .edits
                    .iter()
                    .map(|edit| JsonEdit {
                        end: edit.span.end,
                        file: sources.name(edit.file),
                        replacement: &edit.replacement,
                        start: edit.span.start,
                    })
                    .collect(),
                message: &fix.message,
            }),
            help: &diagnostic.help,
            message: &diagnostic.message,
            notes: &diagnostic.notes,
            secondary: diagnostic
                .secondary
                .iter()
                .map(|label| JsonSpan::new(label, sources, Some(sources.name(label.file))))
                .collect(),
            severity: diagnostic.severity,
            span: JsonSpan::new(&diagnostic.primary, sources, None),
            suppressed: diagnostic.suppressed.as_deref().map(|reason| JsonReason { reason }),
        }
    }
}

impl<'a> JsonSpan<'a> {
    fn new(label: &'a Label, sources: &SourceMap, file: Option<&'a str>) -> Self {
        let start = sources.line_col(label.file, label.span.start);
        let end = sources.line_col(label.file, label.span.end);
        JsonSpan {
            column: start.column,
            end: label.span.end,
            end_column: end.column,
            end_line: end.line,
            file,
            label: &label.message,
            line: start.line,
            start: label.span.start,
        }
    }
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

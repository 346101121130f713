//! Thin views of [`Diagnostic`]: a terminal report (ariadne), a one-line-per-problem form for
//! editors and grep, and JSON for CI. Line and column numbers always come from [`SourceMap`].

use super::{Diagnostic, Label, Severity, SourceMap};
use ariadne::{CharSet, Color, Config, IndexType, Report, ReportKind};
use serde_json::{json, Value};
use std::io::{self, Write};

/// Writes the terminal report of each diagnostic, followed by a summary line.
pub fn human(out: &mut dyn Write, diagnostics: &[Diagnostic], sources: &SourceMap, color: bool) -> io::Result<()> {
    let config = Config::default()
        .with_index_type(IndexType::Byte)
        .with_color(color)
        .with_char_set(CharSet::Unicode);
    let mut cache = ariadne::sources(
        sources_used(diagnostics)
            .into_iter()
            .map(|file| (sources.name(file).to_string(), sources.source(file).to_string())),
    );
    for diagnostic in diagnostics.iter().filter(|d| d.is_active()) {
        let kind = match diagnostic.severity {
            Severity::Error => ReportKind::Error,
            Severity::Warning => ReportKind::Warning,
        };
        let place = |label: &Label| {
            let source = sources.source(label.file);
            let start = super::source_map::clamp_to_char_boundary(source, label.span.start);
            let end = super::source_map::clamp_to_char_boundary(source, label.span.end.max(start));
            (sources.name(label.file).to_string(), start..end)
        };
        let primary_color = match diagnostic.severity {
            Severity::Error => Color::Red,
            Severity::Warning => Color::Yellow,
        };
        let mut report = Report::build(kind, place(&diagnostic.primary))
            .with_config(config)
            .with_code(diagnostic.code)
            .with_message(&diagnostic.message)
            .with_label(
                ariadne::Label::new(place(&diagnostic.primary))
                    .with_message(&diagnostic.primary.message)
                    .with_color(primary_color)
                    .with_order(0),
            );
        for (index, label) in diagnostic.secondary.iter().enumerate() {
            report = report.with_label(
                ariadne::Label::new(place(label))
                    .with_message(&label.message)
                    .with_color(Color::Blue)
                    .with_order(index as i32 + 1),
            );
        }
        for note in &diagnostic.notes {
            report = report.with_note(note);
        }
        if let Some(help) = &diagnostic.help {
            report = report.with_help(help);
        }
        if let Some(fix) = &diagnostic.fix {
            // `check --fix` applies fixes, not suggestions.
            report = report.with_help(match fix.applicability {
                super::Applicability::Machine => format!("fix: {}", fix.message),
                super::Applicability::Suggested => format!("suggestion: {}", fix.message),
                super::Applicability::Placeholder => format!("to fill in: {}", fix.message),
            });
        }
        report.finish().write(&mut cache, &mut *out)?;
    }
    writeln!(out, "{}", summary(diagnostics))
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

/// A JSON document: `{"version": 1, "diagnostics": [...], "summary": {...}}`.
pub fn json(out: &mut dyn Write, diagnostics: &[Diagnostic], sources: &SourceMap) -> io::Result<()> {
    let document = json!({
        "version": 1,
        "diagnostics": diagnostics.iter().map(|d| diagnostic_json(d, sources)).collect::<Vec<_>>(),
        "summary": {
            "errors": count(diagnostics, Severity::Error),
            "warnings": count(diagnostics, Severity::Warning),
            "suppressed": diagnostics.iter().filter(|d| !d.is_active()).count(),
        },
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
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

fn sources_used(diagnostics: &[Diagnostic]) -> Vec<super::FileId> {
    let mut files: Vec<_> = diagnostics
        .iter()
        .flat_map(|d| std::iter::once(d.primary.file).chain(d.secondary.iter().map(|l| l.file)))
        .collect();
    files.sort();
    files.dedup();
    files
}

//! The terminal report of a diagnostic: its message, then each file it points into with the
//! lines it points at, each label drawn under its text with its message, then help and notes.
//!
//! ```text
//! [E0504] Error: project `implicit` runs Docker but its environment is not privileged
//!     ╭─[ pipeline.cruddur:11:9 ]
//!     │
//!   7 │   environment {
//!     │   ──────┬──────
//!     │         ╰──────── the environment
//!     ┆
//!  11 │     run ecr_login(app)
//!     │         ───────┬──────
//!     │                ╰──────── needs the Docker daemon
//!     │
//!     │ Help: fix: add `privileged = true`
//! ────╯
//! ```
//!
//! Each file's heading names the place its first label points at (the primary label's, in its
//! own file). A long line is shown as a window around its labels, so a report costs the labels
//! it draws and never the length of the line: a minified file with thousands of problems on one
//! line prints in time proportional to the problems.

use super::{Diagnostic, Label, Severity, SourceMap};
use std::fmt::Write as _;
use std::io::{self, Write};

/// Lines longer than this many characters are shown as a window around their labels.
const MAX_LINE: usize = 120;
/// Characters of context kept on each side of the labels in a window.
const CONTEXT: usize = 24;

/// Writes the report of each shown diagnostic, then a summary line.
pub fn human(out: &mut dyn Write, diagnostics: &[Diagnostic], sources: &SourceMap, color: bool) -> io::Result<()> {
    let paint = Paint(color);
    let mut text = String::new();
    for diagnostic in diagnostics.iter().filter(|d| d.is_active()) {
        text.clear();
        report(&mut text, diagnostic, sources, paint);
        out.write_all(text.as_bytes())?;
    }
    writeln!(out, "{}", super::render::summary(diagnostics))
}

#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn wrap(self, out: &mut String, ink: Ink, text: &str) {
        if self.0 && ink != Ink::Plain && !text.is_empty() {
            let _ = write!(out, "\x1b[{}m{text}\x1b[0m", ink.ansi());
        } else {
            out.push_str(text);
        }
    }
}

/// ANSI styles, compared as codes (a drawn row compares one per character).
#[derive(Clone, Copy, PartialEq)]
enum Ink {
    Plain,
    Red,
    Yellow,
    Blue,
    Margin,
    Bold,
}

impl Ink {
    fn ansi(self) -> &'static str {
        match self {
            Ink::Plain => "",
            Ink::Red => "31",
            Ink::Yellow => "33",
            Ink::Blue => "34",
            Ink::Margin => "90",
            Ink::Bold => "1",
        }
    }
}

/// A label as drawn: its line and the characters it covers there.
struct Mark<'a> {
    line: usize,
    /// Columns (0-based characters) on the line; `end > start`.
    start: usize,
    end: usize,
    message: &'a str,
    color: Ink,
}

impl Mark<'_> {
    fn middle(&self) -> usize {
        self.start + (self.end - self.start) / 2
    }
}

fn report(out: &mut String, diagnostic: &Diagnostic, sources: &SourceMap, paint: Paint) {
    let (kind, kind_color) = match diagnostic.severity {
        Severity::Error => ("Error", Ink::Red),
        Severity::Warning => ("Warning", Ink::Yellow),
    };
    paint.wrap(out, kind_color, &format!("[{}] {kind}:", diagnostic.code));
    out.push(' ');
    // A message of several lines keeps its later lines under its first.
    let indent = " ".repeat(diagnostic.code.as_str().len() + kind.len() + 5);
    for (index, line) in diagnostic.message.split('\n').enumerate() {
        if index > 0 {
            out.push_str(&indent);
        }
        paint.wrap(out, Ink::Bold, line);
        out.push('\n');
    }

    // Labels by file, the primary's file first, in the order written.
    let labels: Vec<(&Label, Ink)> = std::iter::once((&diagnostic.primary, kind_color))
        .chain(diagnostic.secondary.iter().map(|l| (l, Ink::Blue)))
        .collect();
    let mut files: Vec<super::FileId> = Vec::new();
    for (label, _) in &labels {
        if !files.contains(&label.file) {
            files.push(label.file);
        }
    }
    let groups: Vec<(super::FileId, Vec<Mark>, usize)> = files
        .iter()
        .map(|&file| {
            let in_file: Vec<&(&Label, Ink)> = labels.iter().filter(|(l, _)| l.file == file).collect();
            // The heading's place: the first label written for this file.
            let heading = in_file[0].0.span.start;
            let marks = in_file.iter().map(|(l, color)| mark(l, *color, sources)).collect();
            (file, marks, heading)
        })
        .collect();
    let widest_line = groups
        .iter()
        .flat_map(|(_, marks, _)| marks.iter().map(|m| m.line + 1))
        .max()
        .unwrap_or(1);
    let width = widest_line.to_string().len();
    let margin = " ".repeat(width + 2);

    for (index, (file, mut marks, heading)) in groups.into_iter().enumerate() {
        let at = sources.line_col(file, heading);
        if index > 0 {
            rule(out, &margin, paint, "│", "");
        }
        out.push_str(&margin);
        paint.wrap(out, Ink::Margin, if index == 0 { "╭─[" } else { "├─[" });
        let _ = write!(out, " {}:{}:{} ", sources.name(file), at.line, at.column);
        paint.wrap(out, Ink::Margin, "]");
        out.push('\n');
        rule(out, &margin, paint, "│", "");
        marks.sort_by_key(|m| (m.line, m.start));
        let mut previous_line: Option<usize> = None;
        let mut rest = &marks[..];
        while let Some(first) = rest.first() {
            let count = rest.iter().take_while(|m| m.line == first.line).count();
            let (on_line, after) = rest.split_at(count);
            rest = after;
            if previous_line.is_some_and(|p| p + 1 < first.line) {
                rule(out, &margin, paint, "┆", "");
            }
            previous_line = Some(first.line);
            draw_line(out, sources, file, on_line, width, &margin, paint);
        }
    }

    let mut trailer: Vec<(&str, &str)> = Vec::new();
    if let Some(help) = &diagnostic.help {
        trailer.push(("Help", help));
    }
    let fix = diagnostic.fix.as_ref().map(|fix| match fix.applicability {
        super::Applicability::Machine => format!("fix: {}", fix.message),
        super::Applicability::Suggested => format!("suggestion: {}", fix.message),
        super::Applicability::Placeholder => format!("to fill in: {}", fix.message),
    });
    if let Some(fix) = &fix {
        trailer.push(("Help", fix));
    }
    for note in &diagnostic.notes {
        trailer.push(("Note", note));
    }
    for (heading, text) in trailer {
        rule(out, &margin, paint, "│", "");
        let mut lines = text.lines();
        let first = lines.next().unwrap_or("");
        rule(out, &margin, paint, "│", &format!(" {heading}: {first}"));
        for line in lines {
            rule(
                out,
                &margin,
                paint,
                "│",
                &format!(" {}{line}", " ".repeat(heading.len() + 2)),
            );
        }
    }
    paint.wrap(out, Ink::Margin, &format!("{}╯", "─".repeat(width + 2)));
    out.push('\n');
}

/// A margin row: the margin, a bar, then `text`.
fn rule(out: &mut String, margin: &str, paint: Paint, bar: &str, text: &str) {
    out.push_str(margin);
    paint.wrap(out, Ink::Margin, bar);
    out.push_str(text);
    out.push('\n');
}

/// Where a label is drawn: the line it starts on, from its first character to its last on that
/// line (one column for an empty span, such as the place something is missing).
fn mark<'a>(label: &'a Label, color: Ink, sources: &SourceMap) -> Mark<'a> {
    let (line, line_start) = sources.line_start(label.file, label.span.start);
    let line_end = sources.line_range(label.file, line).map_or(line_start, |r| r.end);
    let start = sources.chars_between(label.file, line_start, label.span.start);
    let end = sources.chars_between(
        label.file,
        line_start,
        label.span.end.min(line_end).max(label.span.start),
    );
    Mark {
        line,
        start,
        end: end.max(start + 1),
        message: &label.message,
        color,
    }
}

/// One line of source with the labels on it. Labels far apart on a long line are drawn under
/// separate windows of it.
fn draw_line(
    out: &mut String,
    sources: &SourceMap,
    file: super::FileId,
    marks: &[Mark],
    width: usize,
    margin: &str,
    paint: Paint,
) {
    let range = sources.line_range(file, marks[0].line).unwrap_or(0..0);
    let length = sources.chars_between(file, range.start, range.end);
    let mut rest = marks;
    while !rest.is_empty() {
        // A window holds the labels that fit in `MAX_LINE` characters from the first; one
        // label longer than that is cut.
        let (window, count) = if length <= MAX_LINE {
            ((0, length), rest.len())
        } else {
            let from = rest[0].start.saturating_sub(CONTEXT);
            let count = rest
                .iter()
                .take_while(|m| m.end <= from + MAX_LINE - CONTEXT || m.start == rest[0].start)
                .count();
            let last_end = rest[..count].iter().map(|m| m.end).max().unwrap_or(from);
            let to = (last_end + CONTEXT)
                .clamp(from + MAX_LINE, from + 2 * MAX_LINE)
                .min(length);
            ((from, to), count)
        };
        let (cluster, after) = rest.split_at(count);
        rest = after;
        let start = sources.offset_after(file, range.start, window.0);
        let end = sources.offset_after(file, start, window.1 - window.0);
        let text = &sources.source(file)[start..end];
        draw_window(out, text, length, window, cluster, width, margin, paint);
        if !rest.is_empty() {
            rule(out, margin, paint, "┆", "");
        }
    }
}

/// The characters `window` of a line (`text`), then its labels, in layers where they overlap.
#[allow(clippy::too_many_arguments)]
fn draw_window(
    out: &mut String,
    text: &str,
    length: usize,
    (from, to): (usize, usize),
    marks: &[Mark],
    width: usize,
    margin: &str,
    paint: Paint,
) {
    let lead = usize::from(from > 0);
    let _ = write!(out, " {:>width$} ", marks[0].line + 1);
    paint.wrap(out, Ink::Margin, "│");
    out.push(' ');
    if from > 0 {
        out.push('…');
    }
    // Tabs and other control characters are shown as one space, so columns line up.
    out.extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }));
    if to < length {
        out.push('…');
    }
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
    out.push('\n');

    // Layers of labels that do not overlap, each drawn under the line in turn.
    let mut layers: Vec<Vec<&Mark>> = Vec::new();
    for mark in marks {
        match layers
            .iter_mut()
            .find(|layer| layer.iter().all(|m| m.end <= mark.start || mark.end <= m.start))
        {
            Some(layer) => layer.push(mark),
            None => layers.push(vec![mark]),
        }
    }
    let column = |c: usize| c.saturating_sub(from).min(to - from + 1) + lead;
    for layer in layers {
        let mut row: Vec<(char, Ink)> = Vec::new();
        let put = |row: &mut Vec<(char, Ink)>, at: usize, c: char, color: Ink| {
            if row.len() <= at {
                row.resize(at + 1, (' ', Ink::Plain));
            }
            row[at] = (c, color);
        };
        for mark in &layer {
            for c in column(mark.start)..column(mark.end).max(column(mark.start) + 1) {
                put(&mut row, c, '─', mark.color);
            }
            put(&mut row, column(mark.middle()), '┬', mark.color);
        }
        draw_row(out, margin, &row, "", paint);
        let arrow_end = layer.iter().map(|m| column(m.end)).max().unwrap_or(0) + 2;
        for (index, mark) in layer.iter().enumerate().rev() {
            let mut row: Vec<(char, Ink)> = Vec::new();
            for left in &layer[..index] {
                put(&mut row, column(left.middle()), '│', left.color);
            }
            put(&mut row, column(mark.middle()), '╰', mark.color);
            for c in column(mark.middle()) + 1..arrow_end.max(column(mark.middle()) + 2) {
                put(&mut row, c, '─', mark.color);
            }
            let mut lines = mark.message.lines();
            draw_row(out, margin, &row, lines.next().unwrap_or(""), paint);
            let indent = row.len() + 1;
            for line in lines {
                let mut row: Vec<(char, Ink)> = Vec::new();
                for left in &layer[..index] {
                    put(&mut row, column(left.middle()), '│', left.color);
                }
                row.resize(indent - 1, (' ', Ink::Plain));
                draw_row(out, margin, &row, line, paint);
            }
        }
    }
}

/// A row under a line: the margin, the drawing, then a message.
fn draw_row(out: &mut String, margin: &str, row: &[(char, Ink)], message: &str, paint: Paint) {
    out.push_str(margin);
    paint.wrap(out, Ink::Margin, "│");
    out.push(' ');
    let mut run = String::new();
    let mut run_color = Ink::Plain;
    for &(c, color) in row {
        if color != run_color && !run.is_empty() {
            paint.wrap(out, run_color, &run);
            run.clear();
        }
        run_color = color;
        run.push(c);
    }
    paint.wrap(out, run_color, &run);
    if !message.is_empty() {
        out.push(' ');
        out.push_str(message);
    }
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
    out.push('\n');
}

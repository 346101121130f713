//! Prints a syntax tree in the canonical layout, placing each comment with its member.

use super::{INDENT, WIDTH};
use crate::diagnostics::{FileId, Span};
use crate::syntax::ast::{Body, Comment, Expr, ExprKind, Member, MemberKind, StrLit, StrPart};
use crate::syntax::{ast, lexer};

/// What starts a waiver comment.
const WAIVER: &str = "cruddur-allow(";

pub fn print(source: &str, file: &ast::File) -> String {
    let mut printer = Printer {
        source,
        comments: &file.comments,
        used: vec![false; file.comments.len()],
    };
    let lines = printer.members(&file.members, 0, 0..source.len());
    // Text copied as written (scripts, members kept as they were) brings its own line
    // endings: one kind throughout, the file's own (`\r\n` if its first line ends so).
    let mut out = lines.join("\n").replace("\r\n", "\n");
    while out.ends_with('\n') {
        out.pop();
    }
    if !out.is_empty() {
        out.push('\n');
    }
    let crlf = source.find('\n').is_some_and(|at| source[..at].ends_with('\r'));
    if crlf {
        out = out.replace('\n', "\r\n");
    }
    // A byte-order mark the file starts with stays.
    if source.starts_with('\u{feff}') {
        out.insert(0, '\u{feff}');
    }
    out
}

struct Printer<'a> {
    source: &'a str,
    comments: &'a [Comment],
    used: Vec<bool>,
}

/// A member printed: its lines (indented), and for a one-line property the width of its name,
/// so a run of them can align their `=`.
struct Printed {
    lines: Vec<String>,
    property_name: Option<usize>,
    /// A blank line goes before it (and before its leading comments).
    blank_before: bool,
    /// Its leading comments, printed above it.
    leading: Vec<String>,
    /// A comment after it on its last line.
    trailing: Option<String>,
}

impl<'a> Printer<'a> {
    fn indent(depth: usize) -> String {
        " ".repeat(depth * INDENT)
    }

    fn text(&self, span: &Span) -> &'a str {
        self.source.get(span.clone()).unwrap_or("")
    }

    fn comment_text(&self, comment: &Comment) -> String {
        let text = self.text(&comment.span);
        if comment.block {
            text.to_string()
        } else {
            text.trim_end().to_string()
        }
    }

    /// The indices of the comments inside `region`, used or not. Comments are in source order
    /// and do not overlap, so they are found by binary search: the printer asks for every
    /// member, and a scan of all comments each time would make large files quadratic.
    fn comments_within(&self, region: &Span) -> std::ops::Range<usize> {
        let start = self.comments.partition_point(|c| c.span.start < region.start);
        let mut end = self.comments.partition_point(|c| c.span.start < region.end);
        while end > start && self.comments[end - 1].span.end > region.end {
            end -= 1;
        }
        start..end
    }

    /// Unused comments inside `region`, in order.
    fn comments_in(&self, region: &Span) -> Vec<usize> {
        self.comments_within(region).filter(|&i| !self.used[i]).collect()
    }

    fn blank_between(&self, from: usize, to: usize) -> bool {
        self.source
            .get(from.min(to)..to)
            .is_some_and(|gap| gap.matches('\n').count() >= 2)
    }

    fn same_line(&self, from: usize, to: usize) -> bool {
        self.source.get(from.min(to)..to).is_some_and(|gap| !gap.contains('\n'))
    }

    /// The members of a block (or the file) inside `region`, with the comments around them.
    /// `depth` 0 is the file's items.
    fn members(&mut self, members: &[Member], depth: usize, region: Span) -> Vec<String> {
        let mut printed = Vec::with_capacity(members.len());
        let mut previous_end = region.start;
        for (index, member) in members.iter().enumerate() {
            let mut leading = Vec::new();
            let mut blank_before = false;
            let mut first = true;
            let mut cursor = previous_end;
            for c in self.comments_in(&(previous_end..member.span.start)) {
                let comment = &self.comments[c];
                if self.blank_between(cursor, comment.span.start) && (index > 0 || !leading.is_empty()) {
                    if first {
                        blank_before = true;
                    } else {
                        leading.push(String::new());
                    }
                }
                first = false;
                self.used[c] = true;
                leading.push(format!("{}{}", Self::indent(depth), self.comment_text(comment)));
                cursor = comment.span.end;
            }
            if self.blank_between(cursor, member.span.start) && (index > 0 || !leading.is_empty()) {
                if first {
                    blank_before = true;
                } else {
                    leading.push(String::new());
                }
            }
            // Items with a body, and the stages of a pipeline, are set apart by a blank line
            // (one-line items, such as `param`s, may stay together).
            let separated = if depth == 0 {
                member.body().is_some() || members[index.saturating_sub(1)].body().is_some()
            } else {
                member.name.name == "stage"
            };
            if index > 0 && separated {
                blank_before = true;
            }
            let next_start = members.get(index + 1).map_or(region.end, |m| m.span.start);
            let mut item = self.member(member, depth);
            item.blank_before = blank_before && index > 0;
            item.leading = leading;
            // Comments after the member on its last line stay there.
            let trailing: Vec<usize> = self
                .comments_in(&(member.span.end..next_start))
                .into_iter()
                .filter(|&c| self.same_line(member.span.end, self.comments[c].span.start))
                .collect();
            if !trailing.is_empty() {
                let comment: Vec<String> = trailing
                    .iter()
                    .map(|&c| {
                        self.used[c] = true;
                        self.comment_text(&self.comments[c])
                    })
                    .collect();
                let comment = comment.join(" ");
                // A waiver after a member covers the lines it is on: those stay as written,
                // with every member that shares them.
                if comment.contains(WAIVER) {
                    let mut first = index;
                    while first > 0 && self.same_line(members[first - 1].span.end, members[first].span.start) {
                        first -= 1;
                    }
                    let source_lines = self.text(&member.span).lines().count();
                    if first < index {
                        let merged: Vec<Printed> = printed.drain(printed.len() - (index - first)..).collect();
                        let head = &merged[0];
                        item.blank_before = head.blank_before;
                        item.leading = head.leading.clone();
                        item.lines = self.verbatim_span(members[first].span.start..member.span.end, depth);
                        item.property_name = None;
                    } else if item.lines.len() > 1 || source_lines > 1 {
                        item.lines = self.verbatim(member, depth);
                        item.property_name = None;
                    }
                }
                item.trailing = Some(comment);
            }
            previous_end = member.span.end;
            printed.push(item);
        }
        let mut lines = Vec::new();
        self.align(&mut printed, depth);
        let columns = comment_columns(&printed);
        for (item, column) in printed.into_iter().zip(columns) {
            if item.blank_before {
                lines.push(String::new());
            }
            lines.extend(item.leading);
            let mut body = item.lines;
            if let (Some(comment), Some(last)) = (item.trailing, body.last_mut()) {
                let pad = column.saturating_sub(last.chars().count()).max(1);
                last.push_str(&" ".repeat(pad));
                last.push_str(&comment);
            }
            lines.extend(body);
        }
        // Comments after the last member.
        let mut cursor = previous_end;
        for c in self.comments_in(&(previous_end..region.end)) {
            let comment = &self.comments[c];
            if self.blank_between(cursor, comment.span.start) && !lines.is_empty() {
                lines.push(String::new());
            }
            self.used[c] = true;
            lines.push(format!("{}{}", Self::indent(depth), self.comment_text(comment)));
            cursor = comment.span.end;
        }
        lines
    }

    /// Pads the names of runs of one-line properties so their `=` line up. A run ends at a
    /// blank line or at a member of another form.
    fn align(&self, printed: &mut [Printed], depth: usize) {
        let mut start = 0;
        while start < printed.len() {
            if printed[start].property_name.is_none() {
                start += 1;
                continue;
            }
            let mut end = start + 1;
            while end < printed.len()
                && printed[end].property_name.is_some()
                && !printed[end].blank_before
                && printed[end].leading.is_empty()
            {
                end += 1;
            }
            let width = printed[start..end]
                .iter()
                .filter_map(|p| p.property_name)
                .max()
                .unwrap_or(0);
            for item in &mut printed[start..end] {
                let name = item.property_name.unwrap_or(width);
                let line = &mut item.lines[0];
                let at = depth * INDENT + name;
                line.insert_str(at, &" ".repeat(width - name));
            }
            start = end;
        }
    }

    /// One member, with everything inside it; a member holding a comment the layout has no
    /// place for is copied as written.
    fn member(&mut self, member: &Member, depth: usize) -> Printed {
        // Only comments inside the member can be used by laying it out.
        let inside = self.comments_within(&member.span);
        let printed = self.member_layout(member, depth);
        if self.used[inside.clone()].iter().all(|&used| used) {
            return printed;
        }
        self.used[inside].fill(true);
        Printed {
            lines: self.verbatim(member, depth),
            property_name: None,
            blank_before: false,
            leading: Vec::new(),
            trailing: None,
        }
    }

    /// A member as written, on its own lines, its first line indented.
    fn verbatim(&self, member: &Member, depth: usize) -> Vec<String> {
        self.verbatim_span(member.span.clone(), depth)
    }

    /// Text as written, its first line indented.
    fn verbatim_span(&self, span: Span, depth: usize) -> Vec<String> {
        let mut lines: Vec<String> = self.text(&span).split('\n').map(str::to_string).collect();
        lines[0] = format!("{}{}", Self::indent(depth), lines[0]);
        lines
    }

    fn member_layout(&mut self, member: &Member, depth: usize) -> Printed {
        let indent = Self::indent(depth);
        let name = self.text(&member.name.span);
        let mut printed = Printed {
            lines: Vec::new(),
            property_name: None,
            blank_before: false,
            leading: Vec::new(),
            trailing: None,
        };
        match &member.kind {
            MemberKind::Property(value) => {
                let head = format!("{indent}{name} = ");
                let value = self.expr(value, head.chars().count(), depth);
                if value.len() == 1 {
                    printed.property_name = Some(name.len());
                }
                printed.lines = join(head, value);
            }
            MemberKind::Statement(args) => {
                let head = format!("{indent}{name} ");
                let mut lines = vec![head];
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        append(&mut lines, ", ");
                    }
                    let column = lines.last().map_or(0, |l| l.chars().count());
                    let value = self.expr(arg, column, depth);
                    let last = lines.pop().unwrap_or_default();
                    lines.extend(join(last, value));
                }
                printed.lines = lines;
            }
            MemberKind::Block { label, value, body } => {
                let mut lines = vec![format!("{indent}{name}")];
                if let Some(label) = label {
                    append(&mut lines, &format!(" {}", self.text(&label.span)));
                }
                if let Some(value) = value {
                    append(&mut lines, " = ");
                    let column = lines.last().map_or(0, |l| l.chars().count());
                    let value = self.expr(value, column, depth);
                    let last = lines.pop().unwrap_or_default();
                    lines.extend(join(last, value));
                }
                if let Some(body) = body {
                    self.body(body, depth, &mut lines);
                }
                printed.lines = lines;
            }
        }
        printed
    }

    /// ` { … }` after the member's head.
    fn body(&mut self, body: &Body, depth: usize, lines: &mut Vec<String>) {
        let inner = body.span.start + 1..body.span.end.saturating_sub(1).max(body.span.start + 1);
        // A comment on the line of `{`, before any member, stays on that line.
        let opener = self
            .comments_in(&inner)
            .into_iter()
            .next()
            .filter(|&c| self.same_line(body.span.start, self.comments[c].span.start))
            .filter(|&c| {
                body.members
                    .first()
                    .is_none_or(|m| self.comments[c].span.end <= m.span.start)
            });
        let opener_text = opener.map(|c| {
            self.used[c] = true;
            self.comment_text(&self.comments[c])
        });
        let members = self.members(&body.members, depth + 1, inner);
        if members.is_empty() && opener_text.is_none() {
            append(lines, " {}");
            return;
        }
        append(lines, " {");
        if let Some(comment) = opener_text {
            append(lines, &format!(" {comment}"));
        }
        lines.extend(members);
        lines.push(format!("{}}}", Self::indent(depth)));
    }

    /// An expression starting at `column`: its first line (without indentation) and any
    /// further lines (indented).
    fn expr(&mut self, expr: &Expr, column: usize, depth: usize) -> Vec<String> {
        let has_comments = !self.comments_in(&expr.span).is_empty();
        if !has_comments {
            if let Some(flat) = self.flat(expr) {
                if column + flat.chars().count() <= WIDTH
                    || !matches!(expr.kind, ExprKind::List(_) | ExprKind::Call { .. })
                {
                    return vec![flat];
                }
            }
        }
        match &expr.kind {
            ExprKind::List(items) => {
                let values: Vec<&Expr> = items.iter().collect();
                self.wrapped("[", "]", &values, &[], expr, depth)
            }
            ExprKind::Call { callee, args } => {
                let values: Vec<&Expr> = args.iter().map(|a| &a.value).collect();
                let names: Vec<Option<&str>> = args.iter().map(|a| a.name.as_ref().map(|n| n.name.as_str())).collect();
                let open = format!("{}(", self.text(&callee.span));
                self.wrapped(&open, ")", &values, &names, expr, depth)
            }
            ExprKind::Str(lit) if lit.triple => self.triple(expr, lit, depth),
            _ => vec![self.flat(expr).unwrap_or_else(|| self.text(&expr.span).to_string())],
        }
    }

    /// `open` elements one per line, each followed by a comma, then `close`; comments between
    /// elements stay where they were, relative to them.
    fn wrapped(
        &mut self,
        open: &str,
        close: &str,
        values: &[&Expr],
        names: &[Option<&str>],
        whole: &Expr,
        depth: usize,
    ) -> Vec<String> {
        let inner = Self::indent(depth + 1);
        let mut lines = vec![open.to_string()];
        let mut previous_end = whole.span.start + open.len().min(whole.span.len());
        let end = whole.span.end.saturating_sub(1);
        for (i, value) in values.iter().enumerate() {
            for c in self.comments_in(&(previous_end..value.span.start)) {
                self.used[c] = true;
                let text = self.comment_text(&self.comments[c]);
                if i > 0 && self.same_line(previous_end, self.comments[c].span.start) {
                    append(&mut lines, &format!(" {text}"));
                } else {
                    lines.push(format!("{inner}{text}"));
                }
            }
            let head = match names.get(i).copied().flatten() {
                Some(name) => format!("{inner}{name} = "),
                None => inner.clone(),
            };
            let printed = self.expr(value, head.chars().count(), depth + 1);
            lines.extend(join(head, printed));
            append(&mut lines, ",");
            previous_end = value.span.end;
        }
        for c in self.comments_in(&(previous_end..end)) {
            self.used[c] = true;
            let text = self.comment_text(&self.comments[c]);
            if !values.is_empty() && self.same_line(previous_end, self.comments[c].span.start) {
                append(&mut lines, &format!(" {text}"));
            } else {
                lines.push(format!("{inner}{text}"));
            }
        }
        lines.push(format!("{}{close}", Self::indent(depth)));
        lines
    }

    /// The expression on one line, if it fits on one (no line breaks inside).
    fn flat(&self, expr: &Expr) -> Option<String> {
        Some(match &expr.kind {
            ExprKind::Str(lit) => {
                let text = self.string(expr, lit);
                if text.contains('\n') {
                    if lit.triple {
                        return None;
                    }
                    return Some(text);
                }
                text
            }
            ExprKind::Name(ident) => ident.name.as_str().to_owned(),
            ExprKind::Number(_) | ExprKind::Duration(_) | ExprKind::Bool(_) | ExprKind::Error => {
                self.text(&expr.span).to_string()
            }
            ExprKind::Field(base, field) => format!("{}.{}", self.flat(base)?, field.name),
            ExprKind::Call { callee, args } => {
                let mut parts = Vec::with_capacity(args.len());
                for arg in args {
                    let value = self.flat(&arg.value)?;
                    parts.push(match &arg.name {
                        Some(name) => format!("{} = {value}", name.name),
                        None => value,
                    });
                }
                format!("{}({})", self.text(&callee.span), parts.join(", "))
            }
            ExprKind::List(items) => {
                let parts: Option<Vec<String>> = items.iter().map(|i| self.flat(i)).collect();
                format!("[{}]", parts?.join(", "))
            }
        })
    }

    /// A string as written, each `${{ path }}` spaced the one way.
    fn string(&self, expr: &Expr, lit: &StrLit) -> String {
        let mut out = String::new();
        let mut at = expr.span.start;
        for part in &lit.parts {
            let StrPart::Interp(interp) = part else { continue };
            out.push_str(self.text(&(at..interp.span.start)));
            let path: Vec<&str> = interp.path.iter().map(|i| i.name.as_str()).collect();
            out.push_str(&format!("${{{{ {} }}}}", path.join(".")));
            at = interp.span.end;
        }
        out.push_str(self.text(&(at..expr.span.end)));
        out
    }

    /// A `"""` string: its lines moved with the member, when that keeps its text.
    fn triple(&self, expr: &Expr, lit: &StrLit, depth: usize) -> Vec<String> {
        let text = self.string(expr, lit);
        let lines: Vec<&str> = text.split('\n').collect();
        let line_start = self.source[..expr.span.start].rfind('\n').map_or(0, |i| i + 1);
        let old = self.source[line_start..expr.span.start].len()
            - self.source[line_start..expr.span.start].trim_start_matches(' ').len();
        let new = depth * INDENT;
        let shifted: Option<Vec<String>> = lines[1..]
            .iter()
            .map(|line| {
                if line.trim().is_empty() && !line.ends_with("\"\"\"") {
                    return Some(line.to_string());
                }
                let spaces = line.len() - line.trim_start_matches(' ').len();
                if new >= old {
                    Some(format!("{}{line}", " ".repeat(new - old)))
                } else if spaces >= old - new {
                    Some(line[old - new..].to_string())
                } else {
                    None
                }
            })
            .collect();
        let as_written: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let Some(shifted) = shifted else { return as_written };
        let mut moved = vec![lines[0].to_string()];
        moved.extend(shifted);
        if same_text(&text, &moved.join("\n")) {
            moved
        } else {
            as_written
        }
    }
}

/// Where each member's trailing comment starts: one space after it, or, in a run of one-line
/// members with trailing comments (no blank line or comment between them), one space after
/// the longest of them, so the comments line up.
fn comment_columns(printed: &[Printed]) -> Vec<usize> {
    let width = |p: &Printed| p.lines.last().map_or(0, |l| l.chars().count());
    let mut columns = vec![0; printed.len()];
    let mut start = 0;
    while start < printed.len() {
        // Past the line width, a line goes its own way.
        let in_run = |p: &Printed| p.trailing.is_some() && p.lines.len() == 1 && width(p) < WIDTH;
        if !in_run(&printed[start]) {
            start += 1;
            continue;
        }
        let mut end = start + 1;
        while end < printed.len()
            && in_run(&printed[end])
            && !printed[end].blank_before
            && printed[end].leading.is_empty()
        {
            end += 1;
        }
        let column = printed[start..end].iter().map(width).max().unwrap_or(0) + 1;
        columns[start..end].iter_mut().for_each(|c| *c = column);
        start = end;
    }
    columns
}

/// Whether two `"""` literals decode to the same text.
fn same_text(a: &str, b: &str) -> bool {
    let decode = |text: &str| {
        let lexed = lexer::lex(text, FileId(0));
        lexed
            .strings
            .first()
            .map(|lit| {
                lit.parts
                    .iter()
                    .map(|p| match p {
                        StrPart::Text(t) => t.clone(),
                        StrPart::Interp(i) => {
                            let path: Vec<&str> = i.path.iter().map(|p| p.name.as_str()).collect();
                            format!("${{{{{}}}}}", path.join("."))
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    decode(a) == decode(b)
}

/// `head` followed by a printed expression: its first line goes on the head's line.
fn join(head: String, value: Vec<String>) -> Vec<String> {
    let mut value = value.into_iter();
    let mut lines = vec![format!("{head}{}", value.next().unwrap_or_default())];
    lines.extend(value);
    lines
}

fn append(lines: &mut Vec<String>, text: &str) {
    match lines.last_mut() {
        Some(last) => last.push_str(text),
        None => lines.push(text.to_string()),
    }
}

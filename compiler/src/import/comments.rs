//! The comments of a YAML input, kept: each goes above the member written from the node
//! after it, or at the end of the line of the node it follows; none is dropped (what no
//! member took goes at the end of its item).

use crate::diagnostics::Span;
use crate::syntax::yaml::{Node, NodeKind};

#[derive(Debug)]
pub(super) struct Comments {
    text: String,
    /// Full-line comments: where, and their text without `#`.
    lines: Vec<(usize, String, bool)>,
    /// Comments after a node on its line: the node's end, and the text.
    trailing: Vec<(usize, String, bool)>,
}

impl Comments {
    pub(super) fn new(text: &str, root: &Node) -> Comments {
        let mut multiline = Vec::new();
        let mut ends = Vec::new();
        spans(root, &mut multiline, &mut ends);
        // A block scalar's span starts at its text, after the indentation.
        let inside = |at: usize| multiline.iter().any(|s: &Span| s.start <= at && at < s.end);
        let mut lines = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let at = offset + (line.len() - trimmed.len());
            if trimmed.starts_with('#') && !inside(at) {
                lines.push((at, comment_text(trimmed), false));
            }
            offset += line.len();
        }
        let mut trailing = Vec::new();
        for end in ends {
            let rest = &text[end..];
            // After a key, past its `:`.
            let rest = rest.strip_prefix(':').unwrap_or(rest);
            let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
            let gap = line.len() - line.trim_start().len();
            if gap > 0 && line.trim_start().starts_with('#') {
                trailing.push((end, comment_text(line.trim_start()), false));
            }
        }
        trailing.dedup_by_key(|(end, _, _)| *end);
        Comments {
            text: text.to_string(),
            lines,
            trailing,
        }
    }

    /// The full-line comments before `offset` not taken yet, indented as they were relative
    /// to each other (commented-out YAML keeps its shape).
    pub(super) fn before(&mut self, offset: usize) -> Vec<String> {
        let taken: Vec<(usize, String)> = self
            .lines
            .iter_mut()
            .filter(|(at, _, taken)| *at < offset && !taken)
            .map(|(at, text, taken)| {
                *taken = true;
                (*at, text.clone())
            })
            .collect();
        let column = |at: usize| at - self.text[..at].rfind('\n').map_or(0, |n| n + 1);
        let least = taken.iter().map(|(at, _)| column(*at)).min().unwrap_or(0);
        taken
            .into_iter()
            .map(|(at, text)| format!("{}{text}", " ".repeat(column(at) - least)))
            .collect()
    }

    /// The comment after the node ending at `end`, on its line.
    pub(super) fn after(&mut self, end: usize) -> Option<String> {
        let (_, text, taken) = self.trailing.iter_mut().find(|(at, _, taken)| *at == end && !taken)?;
        *taken = true;
        Some(text.clone())
    }

    /// Every comment inside `span` (kept with the input's own lines), marked taken.
    pub(super) fn take_within(&mut self, span: &Span) {
        for (at, _, taken) in self.lines.iter_mut().chain(self.trailing.iter_mut()) {
            if span.start <= *at && *at <= span.end {
                *taken = true;
            }
        }
    }

    /// The comments inside `span`, full-line and trailing, in order, marked taken: what a
    /// member written on one line (`output files(…)`) keeps above it.
    pub(super) fn within(&mut self, span: &Span) -> Vec<String> {
        let mut found: Vec<(usize, String)> = self
            .lines
            .iter_mut()
            .chain(self.trailing.iter_mut())
            .filter(|(at, _, taken)| span.start <= *at && *at <= span.end && !taken)
            .map(|(at, text, taken)| {
                *taken = true;
                (*at, text.trim().to_string())
            })
            .collect();
        found.sort_by_key(|(at, _)| *at);
        found.into_iter().map(|(_, text)| text).collect()
    }

    /// What no member took, in order.
    pub(super) fn rest(&mut self) -> Vec<String> {
        let mut rest: Vec<(usize, String)> = self
            .lines
            .iter_mut()
            .chain(self.trailing.iter_mut())
            .filter(|(_, _, taken)| !taken)
            .map(|(at, text, taken)| {
                *taken = true;
                (*at, text.clone())
            })
            .collect();
        rest.sort();
        rest.into_iter().map(|(_, text)| text).collect()
    }
}

fn comment_text(line: &str) -> String {
    let text = line.trim_start_matches('#');
    text.strip_prefix(' ').unwrap_or(text).trim_end().to_string()
}

/// The spans of scalars written over several lines (their `#` lines are text, not comments),
/// and where every scalar ends.
fn spans(node: &Node, multiline: &mut Vec<Span>, ends: &mut Vec<usize>) {
    match &node.kind {
        NodeKind::Scalar { .. } => {
            multiline.push(node.span.clone());
            ends.push(node.span.end);
        }
        NodeKind::Seq(items) => items.iter().for_each(|i| spans(i, multiline, ends)),
        NodeKind::Map(entries) => {
            for (key, value) in entries {
                spans(key, multiline, ends);
                spans(value, multiline, ends);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_found_outside_scalars_only() {
        let text = "# top\nphases:\n  build:\n    commands:\n      # the tests\n      - make test # fast\n      - |\n        # not a comment\n        echo ok\n";
        let root = crate::syntax::yaml::parse(text).unwrap().unwrap();
        let mut comments = Comments::new(text, &root);
        let command = text.find("make test").unwrap();
        // Taken together, they keep their indentation relative to each other.
        assert_eq!(
            comments.before(command),
            vec!["top".to_string(), "      the tests".to_string()]
        );
        assert_eq!(comments.after(command + "make test".len()), Some("fast".to_string()));
        let rest = comments.rest();
        assert!(rest.is_empty(), "{rest:?}");
    }
}

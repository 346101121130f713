//! The `.cruddur` text an import writes: items and members built as a small tree, printed,
//! then laid out by the formatter, so imported programs read like written ones.

/// A block's members, in order.
#[derive(Clone, Debug, Default)]
pub struct Block {
    entries: Vec<Entry>,
}

#[derive(Clone, Debug)]
enum Entry {
    /// A member on one line (`name = "x"`, `run "make"`), with a comment after it.
    Line(String, Option<String>),
    /// `head { … }`, with comment lines above it.
    Nested(String, Block),
    /// `// …` lines.
    Comment(Vec<String>),
    Blank,
}

impl Block {
    pub fn new() -> Block {
        Block::default()
    }

    pub fn line(&mut self, text: impl Into<String>) -> &mut Self {
        self.entries.push(Entry::Line(text.into(), None));
        self
    }

    /// A member with a comment after it on its line.
    pub fn line_noted(&mut self, text: impl Into<String>, note: impl Into<String>) -> &mut Self {
        self.entries.push(Entry::Line(text.into(), Some(note.into())));
        self
    }

    /// `name = value`.
    pub fn property(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        self.line(format!("{name} = {}", value.into()))
    }

    pub fn block(&mut self, head: impl Into<String>, body: Block) -> &mut Self {
        self.entries.push(Entry::Nested(head.into(), body));
        self
    }

    /// Comment lines; text of several lines gives several comments.
    pub fn comment(&mut self, text: &str) -> &mut Self {
        let lines = text.lines().map(|l| l.trim_end().to_string()).collect();
        self.entries.push(Entry::Comment(lines));
        self
    }

    pub fn blank(&mut self) -> &mut Self {
        if !matches!(self.entries.last(), None | Some(Entry::Blank)) {
            self.entries.push(Entry::Blank);
        }
        self
    }

    /// Another block's members, after these.
    pub fn append(&mut self, other: Block) {
        self.entries.extend(other.entries);
    }

    /// Whether a member's line starts with `text`, at any depth.
    pub fn mentions(&self, text: &str) -> bool {
        self.entries.iter().any(|entry| match entry {
            Entry::Line(line, _) => line.starts_with(text),
            Entry::Nested(_, body) => body.mentions(text),
            _ => false,
        })
    }

    /// A member line at `at` among the entries (after the first `at` of them).
    pub fn insert_line(&mut self, at: usize, text: impl Into<String>) {
        let at = at.min(self.entries.len());
        self.entries.insert(at, Entry::Line(text.into(), None));
    }

    /// Every member line's `from` made `to`, at any depth.
    pub fn replace_text(&mut self, from: &str, to: &str) {
        for entry in &mut self.entries {
            match entry {
                Entry::Line(line, _) => *line = line.replace(from, to),
                Entry::Nested(head, body) => {
                    *head = head.replace(from, to);
                    body.replace_text(from, to);
                }
                _ => {}
            }
        }
    }

    /// The nested blocks with head `head` made one, at the first's place. A member of a later
    /// one that an earlier one sets already (`NAME = …`) is left out; their names are returned.
    pub fn merge_blocks(&mut self, head: &str) -> Vec<String> {
        let mut dropped = Vec::new();
        let Some(first) = self
            .entries
            .iter()
            .position(|e| matches!(e, Entry::Nested(h, _) if h == head))
        else {
            return dropped;
        };
        let mut later = Vec::new();
        let mut at = first + 1;
        while at < self.entries.len() {
            if matches!(&self.entries[at], Entry::Nested(h, _) if h == head) {
                if let Entry::Nested(_, body) = self.entries.remove(at) {
                    later.push(body);
                }
                // The blank line the removed block had before it goes too.
                if at > 0
                    && matches!(self.entries.get(at - 1), Some(Entry::Blank))
                    && matches!(self.entries.get(at), Some(Entry::Blank) | None)
                {
                    self.entries.remove(at - 1);
                    at -= 1;
                }
            } else {
                at += 1;
            }
        }
        let Entry::Nested(_, merged) = &mut self.entries[first] else {
            return dropped;
        };
        let name_of = |line: &str| line.split_once(" = ").map(|(n, _)| n.trim().to_string());
        for body in later {
            for entry in body.entries {
                if let Entry::Line(line, _) = &entry {
                    if let Some(name) = name_of(line) {
                        let set = merged
                            .entries
                            .iter()
                            .any(|e| matches!(e, Entry::Line(l, _) if name_of(l).as_deref() == Some(name.as_str())));
                        if set {
                            dropped.push(name);
                            continue;
                        }
                    }
                }
                merged.entries.push(entry);
            }
        }
        dropped
    }

    /// Whether `text` is in any member's line, at any depth.
    pub fn contains(&self, text: &str) -> bool {
        self.entries.iter().any(|entry| match entry {
            Entry::Line(line, _) => line.contains(text),
            Entry::Nested(head, body) => head.contains(text) || body.contains(text),
            _ => false,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn print(&self, depth: usize, out: &mut String) {
        let indent = "  ".repeat(depth);
        let entries = match self.entries.last() {
            Some(Entry::Blank) => &self.entries[..self.entries.len() - 1],
            _ => &self.entries[..],
        };
        for entry in entries {
            match entry {
                Entry::Line(text, note) => {
                    out.push_str(&indent);
                    // The lines of a `"""` string, one level in: `"""` removes the
                    // indentation its lines share, so the text stays the same.
                    for (n, line) in text.split('\n').enumerate() {
                        if n > 0 {
                            out.push('\n');
                            if !line.is_empty() {
                                out.push_str(&indent);
                                out.push_str("  ");
                            }
                        }
                        out.push_str(line);
                    }
                    if let Some(note) = note {
                        out.push_str(" // ");
                        out.push_str(note);
                    }
                    out.push('\n');
                }
                Entry::Nested(head, body) => {
                    out.push_str(&format!("{indent}{head} {{\n"));
                    body.print(depth + 1, out);
                    out.push_str(&format!("{indent}}}\n"));
                }
                Entry::Comment(lines) => {
                    for line in lines {
                        out.push_str(&indent);
                        out.push_str("//");
                        if !line.is_empty() {
                            out.push(' ');
                            out.push_str(line);
                        }
                        out.push('\n');
                    }
                }
                Entry::Blank => out.push('\n'),
            }
        }
    }
}

/// A whole program: items separated by blank lines, after a heading comment.
#[derive(Debug, Default)]
pub struct Program {
    pub heading: Vec<String>,
    items: Vec<(Vec<String>, String, Block)>,
}

impl Program {
    /// An item: comment lines above it, its head (`project build`), its members.
    pub fn item(&mut self, comments: Vec<String>, head: impl Into<String>, body: Block) {
        self.items.push((comments, head.into(), body));
    }

    /// The text, laid out by the formatter (which refuses only text that does not parse: a
    /// defect of the import, reported as such).
    pub fn print(&self) -> Result<String, String> {
        let mut out = String::new();
        for line in &self.heading {
            out.push_str(&format!("// {line}\n").replace("// \n", "//\n"));
        }
        for (comments, head, body) in &self.items {
            if !out.is_empty() {
                out.push('\n');
            }
            let mut top = Block::new();
            for comment in comments {
                top.comment(comment);
            }
            top.print(0, &mut out);
            // A param with nothing to say is its name alone.
            if body.is_empty() && head.starts_with("param ") {
                out.push_str(&format!("{head}\n"));
                continue;
            }
            out.push_str(&format!("{head} {{\n"));
            body.print(1, &mut out);
            out.push_str("}\n");
        }
        // A value a template computes, where no string wrote it (a comment, a description
        // put together from it): as the program writes such a value.
        let out = shown(&out);
        crate::format::format(&out).map_err(|e| match e {
            crate::format::FormatError::Syntax(d) => format!(
                "the imported program does not parse ({}):\n{out}",
                d.first().map(|d| d.message.as_str()).unwrap_or("")
            ),
            crate::format::FormatError::Unsafe(why) => why,
        })
    }
}

/// Text with the values a template computes (marked while it is read) as `${{ path }}`.
pub fn shown(text: &str) -> String {
    text.replace(super::MARK_OPEN, "${{ ").replace(super::MARK_CLOSE, " }}")
}

/// Text with the values a template computes written as their names alone: for what is
/// written out, such as a description.
pub fn plain(text: &str) -> String {
    text.replace([super::MARK_OPEN, super::MARK_CLOSE], "")
}

/// A `"…"` string holding `text` exactly: backslashes, quotes, `$` before `{{` (which would
/// start interpolation) and control characters escaped.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for (at, c) in text.char_indices() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '$' if text[at..].starts_with("${{") => out.push_str("\\$"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A string in which `${{ path }}` pieces are interpolation: the text around them is escaped
/// as by [`string`].
pub fn interpolated(pieces: &[Piece]) -> String {
    let mut out = String::from("\"");
    for piece in pieces {
        match piece {
            Piece::Text(text) => {
                let quoted = string(text);
                out.push_str(&quoted[1..quoted.len() - 1]);
            }
            Piece::Path(path) => out.push_str(&format!("${{{{ {path} }}}}")),
        }
    }
    out.push('"');
    out
}

/// A script of several lines as a `"""` string, which keeps its backslashes and quotes as
/// they are: when the text can be written so (no `"""` or `${{` in it, no indentation common
/// to its lines, which `"""` removes). A last line break is left out: a shell reads the
/// script the same without it.
pub fn script(pieces: &[Piece]) -> Option<String> {
    let mut body = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => body.push_str(text),
            Piece::Path(path) => body.push_str(&format!("${{{{ {path} }}}}")),
        }
    }
    let texts = pieces.iter().filter_map(|p| match p {
        Piece::Text(text) => Some(text.as_str()),
        Piece::Path(_) => None,
    });
    let body = body.strip_suffix('\n').unwrap_or(&body);
    let lines: Vec<&str> = body.lines().collect();
    let writable = lines.len() > 1
        && texts.clone().all(|t| !t.contains("${{") && !t.contains("\"\"\""))
        && !body.ends_with('"')
        && !body.contains('\r')
        && !body.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
        && lines
            .iter()
            .any(|l| !l.trim().is_empty() && !l.starts_with([' ', '\t']))
        && lines.first().is_some_and(|l| !l.trim().is_empty())
        && lines.last().is_some_and(|l| !l.trim().is_empty())
        && !lines.iter().any(|l| l.ends_with([' ', '\t']));
    writable.then(|| format!("\"\"\"\n{body}\n\"\"\""))
}

/// A piece of an imported string: text as it was, or a value cruddur fills in.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    Text(String),
    Path(String),
}

/// A list of strings, `["a", "b"]`.
pub fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|i| string(i)).collect();
    format!("[{}]", items.join(", "))
}

/// Whether a name can be written as a member's name (`NAME = …` in `env`): an identifier,
/// not one of the words the language keeps.
pub fn is_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(name, "true" | "false" | "export")
}

/// An identifier made from a name: lower case, `_` for anything else, never starting with a
/// digit; `fallback` for a name with no letter or digit.
pub fn identifier(name: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() {
        return fallback.to_string();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("{fallback}_{out}");
    }
    if matches!(out.as_str(), "true" | "false") {
        return format!("{out}_");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast;

    #[test]
    fn strings_read_back_as_written() {
        for text in [
            "plain",
            "quote \" and \\ backslash",
            "line\nbreak\ttab",
            "${{ not interpolation }}",
            "$HOME ${HOME}",
            "\u{7}bell",
            "ünïcode ✓",
        ] {
            let source = format!("project p {{\n  description = {}\n}}\n", string(text));
            let parsed = crate::syntax::parse(&source, crate::diagnostics::FileId(0));
            assert!(parsed.diagnostics.is_empty(), "{source}: {:?}", parsed.diagnostics);
            let ast::MemberKind::Block { body: Some(body), .. } = &parsed.file.members[0].kind else {
                panic!("{source}")
            };
            let ast::MemberKind::Property(value) = &body.members[0].kind else {
                panic!("{source}")
            };
            let ast::ExprKind::Str(literal) = &value.kind else {
                panic!("{source}")
            };
            let read = literal.as_plain().expect("no interpolation");
            assert_eq!(read, text);
        }
    }

    #[test]
    fn identifiers_are_names_of_the_language() {
        assert_eq!(identifier("backend-flask", "x"), "backend_flask");
        assert_eq!(identifier("My App!", "x"), "my_app");
        assert_eq!(identifier("2048-game", "project"), "project_2048_game");
        assert_eq!(identifier("---", "project"), "project");
        assert_eq!(identifier("true", "x"), "true_");
    }
}

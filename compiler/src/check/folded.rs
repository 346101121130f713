//! A command written across lines in a `"""` script without `\` at the line ends: the shell
//! runs each line as a command of its own, so `--delete` on its own line fails with "command
//! not found" and a leading `|` or `&&` is a syntax error. What the writer meant is plain from
//! the layout (a deeper-indented line that starts with an option or an operator), and so is
//! the fix: end the lines above with ` \`.
//!
//! Lines inside a here-document or a quoted string that spans lines are text, not commands,
//! and are not judged.

use crate::diagnostics::{Code, Diagnostic, Edit, SourceMap};
use crate::resolve::model::*;

pub fn check(sources: &SourceMap, project: &Project, out: &mut Vec<Diagnostic>) {
    for text in project.shell_commands() {
        let raw = sources.source(text.loc.file).get(text.loc.span.clone()).unwrap_or("");
        // A closed `"""` string (an unclosed one is reported as such).
        if raw.len() >= 6 && raw.starts_with("\"\"\"") && raw.ends_with("\"\"\"") {
            script(raw, text.loc.file, text.loc.span.start, out);
        }
    }
}

/// A line of the script: its text (without the quotes of the string) and where it starts in
/// the file.
struct Line<'a> {
    text: &'a str,
    start: usize,
}

fn lines(raw: &str, base: usize) -> Vec<Line<'_>> {
    let body = &raw[3..raw.len() - 3];
    let mut out = Vec::new();
    let mut offset = 3;
    for line in body.split_inclusive('\n') {
        out.push(Line {
            text: line.trim_end_matches(['\n', '\r']),
            start: base + offset,
        });
        offset += line.len();
    }
    out
}

/// A command being read: where its first line is indented, and the ends of its lines so far.
struct Open {
    indent: usize,
    /// The end of each line of the command (where a ` \` goes), and whether it leaves the
    /// command open for the next line already (`\`, `|`, `&&`).
    ends: Vec<(usize, bool)>,
}

fn script(raw: &str, file: crate::diagnostics::FileId, base: usize, out: &mut Vec<Diagnostic>) {
    let mut state = ShellState::default();
    let mut open: Option<Open> = None;
    // Lines of the command being read that continue it without `\`: (start, end) of each.
    let mut folded: Vec<(usize, usize)> = Vec::new();
    let flush = |open: &Option<Open>, folded: &mut Vec<(usize, usize)>, out: &mut Vec<Diagnostic>| {
        if let (Some(open), Some(&(start, end))) = (open, folded.first()) {
            out.push(diagnostic(file, open, folded, start..end));
        }
        folded.clear();
    };
    for line in lines(raw, base) {
        // Text of a here-document or of a string left open on an earlier line.
        if state.in_text() {
            state.read(line.text);
            flush(&open, &mut folded, out);
            open = None;
            continue;
        }
        let trimmed = line.text.trim_start();
        let indent = line.text.len() - trimmed.len();
        let end = line.start + line.text.trim_end().len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            flush(&open, &mut folded, out);
            open = None;
            continue;
        }
        let continued_by_writer = open.as_ref().and_then(|o| o.ends.last()).is_some_and(|&(_, open)| open);
        match open.as_mut() {
            Some(command) if continues(trimmed) && indent > command.indent && !continued_by_writer => {
                folded.push((line.start + indent, end));
                command.ends.push((end, ends_open(line.text)));
            }
            Some(command) if continued_by_writer => {
                command.ends.push((end, ends_open(line.text)));
            }
            _ => {
                flush(&open, &mut folded, out);
                open = Some(Open {
                    indent,
                    ends: vec![(end, ends_open(line.text))],
                });
            }
        }
        state.read(line.text);
    }
    flush(&open, &mut folded, out);
}

fn diagnostic(
    file: crate::diagnostics::FileId,
    open: &Open,
    folded: &[(usize, usize)],
    first: std::ops::Range<usize>,
) -> Diagnostic {
    // Every line of the command before the last folded one gets its ` \`.
    let last = folded.last().map_or(first.start, |&(start, _)| start);
    let edits: Vec<Edit> = open
        .ends
        .iter()
        .filter(|&&(end, open)| end < last && !open)
        .map(|&(end, _)| Edit {
            file,
            span: end..end,
            replacement: " \\".to_string(),
        })
        .collect();
    let lines = folded.len();
    let mut d = Diagnostic::new(
        Code::FoldedCommand,
        if lines == 1 {
            "this line continues the command above, but the line above does not end with `\\`".to_string()
        } else {
            format!("these {lines} lines continue the command above, but the lines before them do not end with `\\`")
        },
        file,
        first,
        "the shell runs this as a command of its own",
    )
    .with_note(
        "in a script each line is a command; a command written across lines ends each line but its last with ` \\`",
    );
    if let Some(first_edit) = edits.first() {
        d = d.with_fix("end the command's lines with ` \\`", first_edit.span.clone(), " \\");
        if let Some(fix) = &mut d.fix {
            fix.edits = edits;
        }
    }
    d
}

/// A line that can only be the continuation of the one above: an option (`--delete`), or a
/// pipe or list operator, which cannot start a command. A `case` pattern (`-h)`) is not one.
fn continues(trimmed: &str) -> bool {
    let word = trimmed.split_whitespace().next().unwrap_or("");
    if word.starts_with('-') {
        return !word.contains(')');
    }
    ["|", "||", "&&"].contains(&word)
}

/// The line leaves the command open for the next: a `\` at its end, or an operator a command
/// cannot end with.
fn ends_open(line: &str) -> bool {
    let line = line.trim_end();
    ["\\", "|", "||", "&&", "(", "{"].iter().any(|end| line.ends_with(end))
}

/// What the shell is inside of at the end of a line: a string opened and not closed, or a
/// here-document and its terminator.
#[derive(Default)]
struct ShellState {
    quote: Option<char>,
    heredoc: Option<(String, bool)>,
}

impl ShellState {
    fn in_text(&self) -> bool {
        self.quote.is_some() || self.heredoc.is_some()
    }

    fn read(&mut self, line: &str) {
        if let Some((word, strip_tabs)) = &self.heredoc {
            let candidate = if *strip_tabs {
                line.trim_start_matches('\t')
            } else {
                line
            };
            if candidate.trim_end() == word {
                self.heredoc = None;
            }
            return;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match (self.quote, c) {
                (Some('\''), '\'') => self.quote = None,
                (Some('\''), _) => {}
                (Some('"'), '\\') => i += 1,
                (Some('"'), '"') => self.quote = None,
                (Some(_), _) => {}
                (None, '\\') => i += 1,
                (None, '\'' | '"') => self.quote = Some(c),
                (None, '#') if i == 0 || chars[i - 1].is_whitespace() => break,
                (None, '<') if chars.get(i + 1) == Some(&'<') && chars.get(i + 2) != Some(&'<') => {
                    let rest: String = chars[i + 2..].iter().collect();
                    let strip_tabs = rest.starts_with('-');
                    let rest = rest.trim_start_matches('-').trim_start();
                    let word: String = rest
                        .trim_start_matches(['\'', '"'])
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !word.is_empty() {
                        self.heredoc = Some((word, strip_tabs));
                    }
                    return;
                }
                _ => {}
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    fn found(script: &str) -> Vec<String> {
        let raw = format!("\"\"\"\n{script}\"\"\"");
        let mut out = Vec::new();
        super::script(&raw, crate::diagnostics::FileId(0), 0, &mut out);
        out.into_iter()
            .map(|d| {
                let mut fixed = raw.clone();
                if let Some(fix) = &d.fix {
                    for edit in fix.edits.iter().rev() {
                        fixed.replace_range(edit.span.clone(), &edit.replacement);
                    }
                }
                format!(
                    "{} @{}\n{}",
                    d.message,
                    &raw[d.primary.span.clone()],
                    &fixed[4..fixed.len() - 3]
                )
            })
            .collect()
    }

    #[test]
    fn a_folded_command_is_found_and_joined() {
        let sync = found("aws s3 sync dist/ s3://bucket\n  --delete\n  --cache-control max-age=60\necho done\n");
        assert_eq!(
            sync,
            ["these 2 lines continue the command above, but the lines before them do not end with `\\` @--delete\naws s3 sync dist/ s3://bucket \\\n  --delete \\\n  --cache-control max-age=60\necho done\n"]
        );
        let piped = found("cat log\n  | grep ERROR\n");
        assert_eq!(piped.len(), 1);
        assert!(piped[0].ends_with("cat log \\\n  | grep ERROR\n"), "{piped:?}");
        let and = found("make build\n    && make test\n");
        assert_eq!(and.len(), 1);
    }

    #[test]
    fn commands_the_shell_reads_as_written_are_left_alone() {
        for script in [
            // Joined already.
            "aws s3 sync dist/ s3://bucket \\\n  --delete\n",
            "cat log |\n  grep ERROR\n",
            // Not deeper than the command: a new command (a mistake of another kind).
            "echo a\n--flag\n",
            // Text, not commands: a here-document, a string across lines.
            "cat > list.yml <<EOF\nitems:\n  - one\n  - two\nEOF\n",
            "cat > list.yml <<-'END'\n\t  - one\n\tEND\n",
            "echo 'first\n  - second'\n",
            // A case pattern.
            "case $1 in\n  -h) echo help ;;\nesac\n",
            // A comment, and a blank line between commands.
            "echo a\n  # --not-an-option\n",
        ] {
            assert_eq!(found(script), Vec::<String>::new(), "{script}");
        }
    }
}

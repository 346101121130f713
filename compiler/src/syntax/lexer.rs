//! Lexing: logos splits the text into raw tokens; this module then decodes literals (string
//! escapes, `${{ … }}` interpolations, triple-quoted dedent, durations), collects comments and
//! reports every lexical error. Nothing here panics on any input.

use super::ast::{Comment, Ident, Interp, StrLit, StrPart};
use super::token::Token;
use crate::diagnostics::{Code, Diagnostic, FileId, Span};
use logos::Logos;

#[derive(Logos, Clone, Copy, Debug, PartialEq)]
#[logos(skip r"[ \t\r\n\f\u{feff}]+")]
enum Raw {
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*")]
    Ident,
    /// `us-east-1`, `backend-flask`: not a name (names have no `-`); read as the string it
    /// was meant to be, and reported.
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)+")]
    HyphenatedWord,
    #[token("true")]
    True,
    #[token("false")]
    False,
    #[regex(r"[0-9]+(\.[0-9]+)?")]
    Number,
    /// A number with a unit suffix: validated as a duration below.
    #[regex(r"[0-9]+(\.[0-9]+)?[A-Za-z_][A-Za-z0-9_]*")]
    Suffixed,
    #[token("\"", string_body)]
    Str,
    #[token("\"\"\"", triple_body)]
    Triple,
    #[regex(r"//[^\n]*", allow_greedy = true)]
    LineComment,
    #[token("/*", block_comment_body)]
    BlockComment,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("=")]
    Eq,
    #[token(",")]
    Comma,
    #[token(".")]
    Dot,
    #[token(":")]
    Colon,
    #[token(";")]
    Semi,
}

/// Consumes a single-line string body up to and including its closing quote, or up to the end
/// of the line when it is unterminated (so one missing quote does not swallow the file).
fn string_body(lex: &mut logos::Lexer<Raw>) {
    let rest = lex.remainder().as_bytes();
    // A shell line continuation (` \` at a line's end) is followed when the string closes on
    // a later line: the string is read whole and reported once (`decode_string`), not as
    // code after a string that never closed.
    let len = string_length(rest, true).or_else(|| string_length(rest, false));
    lex.bump(len.unwrap_or(rest.len()).min(rest.len()));
}

/// The length of a `"…"` body up to and including its closing quote, or `None` when it
/// does not close. Without `continued`, a string stops (unclosed) at its line's end.
fn string_length(rest: &[u8], continued: bool) -> Option<usize> {
    let mut i = 0;
    while i < rest.len() {
        match rest[i] {
            b'\\' if line_break_at(rest, i + 1).is_some() => match (continued, line_break_at(rest, i + 1)) {
                (true, Some(len)) => i += 1 + len,
                // Unclosed: the backslash is the string's last character, not a token of its own.
                _ => return if continued { None } else { Some(i + 1) },
            },
            b'\\' => i += 2,
            // Followed over lines, the string must end its line as a value does (before a
            // comment or a closing bracket): `"C:\out\` then `x = "y"` is two mistakes'
            // worth of code, not one string.
            b'"' if continued => return ends_like_a_value(&rest[i + 1..]).then_some(i + 1),
            b'"' => return Some(i + 1),
            b'\n' => return if continued { None } else { Some(i) },
            _ => i += 1,
        }
    }
    if continued {
        None
    } else {
        Some(rest.len())
    }
}

/// Whether the text after a closing quote, to the end of its line, is what may follow a value.
/// Only its first visible character is read: a line of many strings costs each its own length.
fn ends_like_a_value(after: &[u8]) -> bool {
    let visible = after.iter().position(|b| *b == b'\n' || !b.is_ascii_whitespace());
    match visible.map(|at| &after[at..]) {
        None | Some([b'\n', ..]) => true,
        Some(rest) => rest.starts_with(b"//") || matches!(rest[0], b')' | b',' | b']' | b'}'),
    }
}

/// The length of the line break at `at` (`\n` or `\r\n`).
fn line_break_at(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at..) {
        Some([b'\n', ..]) => Some(1),
        Some([b'\r', b'\n', ..]) => Some(2),
        _ => None,
    }
}

fn triple_body(lex: &mut logos::Lexer<Raw>) {
    let rest = lex.remainder();
    let len = rest.find("\"\"\"").map_or(rest.len(), |at| at + 3);
    lex.bump(len);
}

fn block_comment_body(lex: &mut logos::Lexer<Raw>) {
    let rest = lex.remainder();
    let len = rest.find("*/").map_or(rest.len(), |at| at + 2);
    lex.bump(len);
}

/// The lexer's output: tokens for the parser, plus side tables.
#[derive(Debug, Default)]
pub struct Lexed {
    pub tokens: Vec<(Token, Span)>,
    /// Decoded string literals, indexed by [`Token::Str`].
    pub strings: Vec<StrLit>,
    pub comments: Vec<Comment>,
    pub diagnostics: Vec<Diagnostic>,
    /// A multi-line string or block comment ran to the end of the file: what is unclosed at
    /// the end is a consequence, not a mistake of its own.
    pub runs_to_end: bool,
}

pub fn lex(source: &str, file: FileId) -> Lexed {
    lex_from(source, 0, None, file).0
}

/// Lexes `source` from `start` (the start of a line) to its end, with spans in `source`.
/// With a `stop`, it ends before the first token that starts at or after `stop` if that token
/// starts exactly there and nothing unreadable is pending, and says so (`true`): a lexer
/// started at `stop` then reads the rest exactly as this one would have, since what a token
/// is depends only on the text from where it starts. Otherwise it reads on to the end.
pub fn lex_from(source: &str, start: usize, mut stop: Option<usize>, file: FileId) -> (Lexed, bool) {
    let mut out = Lexed::default();
    // About one token per five bytes in the examples: growing the vector by doubling would
    // copy it again and again on a large file.
    out.tokens
        .reserve(stop.unwrap_or(source.len()).saturating_sub(start) / 5);
    let mut lexer = Raw::lexer(&source[start..]);
    // Runs of unreadable characters are reported once, not once per character.
    let mut bad_run: Option<Span> = None;
    while let Some(raw) = lexer.next() {
        let span = lexer.span();
        let span = span.start + start..span.end + start;
        if let Some(at) = stop.filter(|at| span.start >= *at) {
            if span.start == at && bad_run.is_none() {
                return (out, true);
            }
            stop = None;
        }
        let raw = match raw {
            Ok(raw) => raw,
            Err(()) if source[span.clone()].starts_with('#') => {
                flush_bad_run(source, file, bad_run.take(), &mut out);
                hash_comment(span, file, &mut lexer, &mut out);
                continue;
            }
            Err(()) if source[span.clone()].starts_with(['\'', '\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}']) => {
                flush_bad_run(source, file, bad_run.take(), &mut out);
                if other_quotes(source, span.clone(), file, &mut lexer, &mut out) {
                    continue;
                }
                bad_run = Some(span);
                continue;
            }
            Err(()) => {
                match &mut bad_run {
                    Some(run) if run.end == span.start => run.end = span.end,
                    _ => {
                        flush_bad_run(source, file, bad_run.take(), &mut out);
                        bad_run = Some(span);
                    }
                }
                continue;
            }
        };
        if bad_run.is_some() {
            flush_bad_run(source, file, bad_run.take(), &mut out);
        }
        let token = match raw {
            Raw::Ident => Token::Ident,
            Raw::HyphenatedWord => {
                let word = &source[span.clone()];
                // After a keyword at the start of a line (`stage Build-and-Test {`) the word
                // names a block, and quotes would not make it a name.
                let line = &source[source[..span.start].rfind('\n').map_or(0, |nl| nl + 1)..span.start];
                let mut words = line.split_whitespace();
                let keyword = words.next();
                let is_label = line.ends_with([' ', '\t'])
                    && keyword.is_some_and(|w| w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                    && words.next().is_none();
                // A stage's, an action's, a report's or a pipeline variable's label is its name
                // in AWS, where `-` is allowed (`[A-Za-z0-9.@_-]`), and nothing refers to it by
                // name in cruddur: it is a label.
                if is_label && keyword.is_some_and(|k| ["stage", "action", "report", "variable"].contains(&k)) {
                    out.tokens.push((Token::Ident, span));
                    continue;
                }
                // The blocks whose AWS name a `name` property can set apart from the label.
                let takes_name = keyword
                    .is_some_and(|k| ["project", "pipeline", "repository", "service", "role", "stage"].contains(&k));
                let diagnostic = Diagnostic::new(
                    Code::UnexpectedCharacter,
                    format!("`{word}` is not a name: names cannot contain `-`"),
                    file,
                    span.clone(),
                    if is_label { "not a name" } else { "needs quotes" },
                );
                out.diagnostics.push(if is_label {
                    let name = word.replace('-', "_");
                    let help = if takes_name {
                        format!("names hold letters, digits and `_`; to keep `{word}` as the name in AWS, add `name = \"{word}\"` to the block")
                    } else {
                        "names hold letters, digits and `_`".to_string()
                    };
                    diagnostic
                        .with_help(help)
                        // For a stage or an action, the label is the name in AWS: a person decides.
                        .with_suggestion(format!("write `{name}`"), span.clone(), name)
                } else {
                    // A quote right before or after it would join the new one (`""` then
                    // `"n-d"` reads as `"""`, a triple-quoted string): a space keeps them apart.
                    let before = if joins_quotes(source[..span.start].chars().next_back()) { " " } else { "" };
                    let after = if source[span.end..].starts_with('"') { " " } else { "" };
                    diagnostic
                        .with_help("values such as regions and AWS names are strings")
                        .with_fix("quote it", span.clone(), format!("{before}\"{word}\"{after}"))
                });
                out.strings.push(StrLit {
                    parts: vec![StrPart::Text(word.to_string())],
                    triple: false,
                });
                Token::Str(out.strings.len() as u32 - 1)
            }
            Raw::True => Token::True,
            Raw::False => Token::False,
            Raw::Number => Token::Number,
            Raw::Suffixed => {
                let text = &source[span.clone()];
                if let Err(why) = duration_seconds(text) {
                    out.diagnostics.push(invalid_duration(text, why, file, span.clone()));
                }
                Token::Duration
            }
            Raw::Str => {
                let lit = decode_string(source, span.clone(), file, &mut out.diagnostics);
                out.strings.push(lit);
                Token::Str(out.strings.len() as u32 - 1)
            }
            Raw::Triple => {
                out.runs_to_end |= span.len() < 6 || !source[span.clone()].ends_with("\"\"\"");
                let lit = decode_triple(source, span.clone(), file, &mut out.diagnostics);
                out.strings.push(lit);
                Token::Str(out.strings.len() as u32 - 1)
            }
            Raw::LineComment => {
                out.comments.push(Comment { span, block: false });
                continue;
            }
            Raw::BlockComment => {
                if !source[span.clone()].ends_with("*/") || span.len() < 4 {
                    out.runs_to_end = true;
                    out.diagnostics.push(
                        Diagnostic::new(
                            Code::UnterminatedComment,
                            "block comment is never closed",
                            file,
                            span.start..span.start + 2,
                            "comment starts here",
                        )
                        .with_secondary(file, source.len()..source.len(), "file ends inside the comment")
                        .with_help("close the comment with `*/`"),
                    );
                }
                out.comments.push(Comment { span, block: true });
                continue;
            }
            Raw::LBrace => Token::LBrace,
            Raw::RBrace => Token::RBrace,
            Raw::LParen => Token::LParen,
            Raw::RParen => Token::RParen,
            Raw::LBracket => Token::LBracket,
            Raw::RBracket => Token::RBracket,
            Raw::Eq => Token::Eq,
            Raw::Comma => Token::Comma,
            Raw::Dot => Token::Dot,
            Raw::Colon => Token::Colon,
            Raw::Semi => Token::Semi,
        };
        out.tokens.push((token, span));
    }
    flush_bad_run(source, file, bad_run.take(), &mut out);
    (out, false)
}

/// Whether a `"` written after this character would join it: a straight quote, or one of the
/// quotes a fix makes straight (`'`, `“`, `”`, `‘`, `’`).
fn joins_quotes(c: Option<char>) -> bool {
    c.is_some_and(|c| matches!(c, '"' | '\'' | '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}'))
}

/// `# …` is read as a comment (so the rest of the line causes no further errors) and reported
/// with a fix to `//`.
fn hash_comment(span: Span, file: FileId, lexer: &mut logos::Lexer<Raw>, out: &mut Lexed) {
    let rest = lexer.remainder();
    let line_len = rest.find('\n').unwrap_or(rest.len());
    lexer.bump(line_len);
    out.diagnostics.push(
        Diagnostic::new(
            Code::UnexpectedCharacter,
            "unexpected character `#`",
            file,
            span.clone(),
            "not a comment in cruddur",
        )
        .with_help("comments start with `//`")
        .with_fix("replace `#` with `//`", span.clone(), "//"),
    );
    out.comments.push(Comment {
        span: span.start..span.end + line_len,
        block: false,
    });
}

/// `'text'` on one line is read as the string it was meant to be, and reported with a fix to
/// double quotes. Returns false when there is no closing quote on the line.
/// A string in the quotes of another language or of a word processor (`'text'`, `“text”`,
/// `‘text’`) closed on the same line: read as the string it was meant to be, with a fix to
/// straight double quotes (escaping what needs it).
fn other_quotes(source: &str, span: Span, file: FileId, lexer: &mut logos::Lexer<Raw>, out: &mut Lexed) -> bool {
    let opener = lexer.slice().chars().next().unwrap_or('\'');
    let closers: &[char] = match opener {
        '\u{201C}' | '\u{201D}' => &['\u{201D}', '\u{201C}'],
        '\u{2018}' | '\u{2019}' => &['\u{2019}', '\u{2018}'],
        _ => &['\''],
    };
    let rest = lexer.remainder();
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let Some(close) = line.find(closers) else { return false };
    let close_len = line[close..].chars().next().map_or(1, char::len_utf8);
    let text = &line[..close];
    let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
    // Escaping moves what follows: interpolation spans would no longer match the source.
    if escaped != text && text.contains("${{") {
        return false;
    }
    lexer.bump(close + close_len);
    let whole = span.start..span.end + close + close_len;
    let (message, label) = if opener == '\'' {
        ("strings are written in double quotes", "single-quoted")
    } else {
        ("strings are written in straight double quotes", "typographic quotes")
    };
    // A quote right before it, straight or one another fix makes straight, or a straight one
    // after it, would join the new ones (`''''` made `""""` opens a triple-quoted string): a
    // space keeps them apart.
    let before = if joins_quotes(source[..whole.start].chars().next_back()) {
        " "
    } else {
        ""
    };
    let after = if source[whole.end..].starts_with('"') { " " } else { "" };
    let diagnostic = Diagnostic::new(Code::UnexpectedCharacter, message, file, whole.clone(), label)
        .with_help("cruddur strings use \"…\"")
        .with_fix(
            "use double quotes",
            whole.clone(),
            format!("{before}\"{escaped}\"{after}"),
        );
    out.diagnostics.push(diagnostic);
    let lit = decode_string(&format!("\"{escaped}\""), 0..escaped.len() + 2, file, &mut Vec::new());
    out.strings.push(shift_spans(lit, span.end - 1));
    out.tokens.push((Token::Str(out.strings.len() as u32 - 1), whole));
    true
}

/// Moves interpolation spans of a literal decoded from a copy back to the source's offsets.
fn shift_spans(mut lit: StrLit, offset: usize) -> StrLit {
    for part in &mut lit.parts {
        if let StrPart::Interp(interp) = part {
            interp.span = interp.span.start + offset..interp.span.end + offset;
            for segment in &mut interp.path {
                segment.span = segment.span.start + offset..segment.span.end + offset;
            }
        }
    }
    lit
}

fn flush_bad_run(source: &str, file: FileId, run: Option<Span>, out: &mut Lexed) {
    let Some(span) = run else { return };
    let text = &source[span.clone()];
    let first = text.chars().next().unwrap_or('?');
    let help = match first {
        '\'' => "strings are written in double quotes: \"…\"",
        '-' => "names use letters, digits and `_`; write the AWS name as a string (`name = \"my-name\"`)",
        '$' => "shell variables and `${{ … }}` interpolations go inside a string",
        _ => "remove it, or put it inside a string",
    };
    let what = if text.chars().count() == 1 {
        format!("unexpected character `{}`", first.escape_debug())
    } else {
        format!("unexpected characters `{}`", text.escape_debug())
    };
    out.diagnostics.push(
        Diagnostic::new(
            Code::UnexpectedCharacter,
            what,
            file,
            span.clone(),
            "not part of the language",
        )
        .with_help(help),
    );
    out.tokens.push((Token::Error, span));
}

/// Parses `20m`, `1h30m`, `90s` into seconds; the error says what is wrong.
pub fn duration_seconds(text: &str) -> Result<u64, String> {
    let mut total: u64 = 0;
    let mut last_rank = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err("expected a number before each unit".into());
        }
        let value: u64 = rest[..digits].parse().map_err(|_| "number too large".to_string())?;
        rest = &rest[digits..];
        if rest.starts_with('.') {
            return Err("durations are whole numbers".into());
        }
        let unit_len = rest.bytes().take_while(|b| !b.is_ascii_digit()).count();
        let (unit, rank) = match &rest[..unit_len] {
            "h" => (3600, 1),
            "m" => (60, 2),
            "s" => (1, 3),
            other => return Err(format!("unknown unit `{other}` (use h, m or s)")),
        };
        if rank <= last_rank {
            return Err("units must each appear once, largest first".into());
        }
        last_rank = rank;
        total = value
            .checked_mul(unit)
            .and_then(|s| total.checked_add(s))
            .ok_or_else(|| "duration too large".to_string())?;
        rest = &rest[unit_len..];
    }
    Ok(total)
}

fn invalid_duration(text: &str, why: String, file: FileId, span: Span) -> Diagnostic {
    let unknown_unit = why.starts_with("unknown unit");
    let diagnostic = Diagnostic::new(
        Code::InvalidNumber,
        format!("invalid duration `{text}`: {why}"),
        file,
        span,
        why,
    )
    .with_help("write a whole number of hours, minutes and seconds, largest unit first: `20m`, `1h30m`, `45s`");
    if unknown_unit {
        // `2xlarge` is a value, not a duration: names cannot start with a digit, strings can.
        // Not a fix: where a duration is meant, quoting would be wrong.
        diagnostic.with_note(format!(
            "if it is a value rather than a duration, write it as a string: \"{text}\""
        ))
    } else {
        diagnostic
    }
}

/// Decodes `"…"`: escapes and interpolations. The span includes the quotes.
fn decode_string(source: &str, span: Span, file: FileId, diagnostics: &mut Vec<Diagnostic>) -> StrLit {
    let raw = &source[span.clone()];
    let terminated = raw.len() >= 2 && raw.ends_with('"') && !ends_with_escaped_quote(&raw[1..]);
    if !terminated {
        diagnostics.push(
            Diagnostic::new(
                Code::UnterminatedString,
                "string is never closed",
                file,
                span.start..span.start + 1,
                "string starts here",
            )
            .with_secondary(file, span.end..span.end, "line ends before a closing `\"`")
            .with_help("strings end on the line they start on; use \"\"\"…\"\"\" for text over several lines")
            // A last backslash would escape the closing quote: it is kept as a backslash.
            .with_fix(
                "close the string",
                span.end..span.end,
                if raw.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1 {
                    "\\\""
                } else {
                    "\""
                },
            ),
        );
        // A closer at the end of the line may be the code's, not the string's: a person decides.
        if raw.trim_end().ends_with(['}', ')', ']']) {
            if let Some(last) = diagnostics.pop() {
                diagnostics.push(last.suggested());
            }
        }
    }
    let body_end = if terminated { span.end - 1 } else { span.end };
    let body = &source[span.start + 1..body_end];
    // Most strings hold no escape and no `$`: their text is the body as written.
    if !body.bytes().any(|b| b == b'\\' || b == b'$') {
        return StrLit {
            parts: vec![StrPart::Text(body.to_string())],
            triple: false,
        };
    }
    let mut builder = PartsBuilder::default();
    let mut chars = body.char_indices().peekable();
    let base = span.start + 1;
    let mut continued = false;
    while let Some((i, c)) = chars.next() {
        let at = base + i;
        match c {
            '\\' if at + 1 < body_end && line_break_at(source.as_bytes(), at + 1).is_some() => {
                // A shell line continuation: the shell joins the lines, and so does the string.
                if !continued {
                    continued = true;
                    diagnostics.push(line_continuation(source, span.clone(), at, file));
                }
                while chars.peek().is_some_and(|(_, c)| matches!(c, '\r' | '\n')) {
                    chars.next();
                }
                // The shell drops the backslash and the line break only: indentation still
                // separates words. Runs of blanks are kept as one.
                let mut blank = builder.text.ends_with([' ', '\t']);
                while chars.peek().is_some_and(|(_, c)| matches!(c, ' ' | '\t')) {
                    chars.next();
                    blank = true;
                }
                if blank && !builder.text.ends_with([' ', '\t']) {
                    builder.text.push(' ');
                }
            }
            '\\' => {
                let Some((_, next)) = chars.next() else { break };
                let escape_end = at + 1 + next.len_utf8();
                let decoded = match next {
                    'n' => Some('\n'),
                    't' => Some('\t'),
                    'r' => Some('\r'),
                    '0' => Some('\0'),
                    '\\' => Some('\\'),
                    '"' => Some('"'),
                    '$' => Some('$'),
                    'u' => decode_unicode_escape(&source[escape_end..body_end]).map(|(c, len)| {
                        for _ in 0..len {
                            chars.next();
                        }
                        c
                    }),
                    _ => None,
                };
                match decoded {
                    Some(c) => builder.text.push(c),
                    None => {
                        let (message, label) = if next == 'u' {
                            (
                                "invalid Unicode escape: write `\\u{…}` with 1–6 hex digits of a code point"
                                    .to_string(),
                                "not a valid `\\u{…}`",
                            )
                        } else {
                            (format!("invalid escape `\\{}`", next.escape_debug()), "unknown escape")
                        };
                        diagnostics.push(
                            Diagnostic::new(Code::InvalidEscape, message, file, at..escape_end, label).with_help(
                                "valid escapes: \\n \\t \\r \\0 \\\\ \\\" \\$ \\u{…}; write `\\\\` for a backslash",
                            ),
                        );
                        builder.text.push(next);
                    }
                }
            }
            '$' if source[at..body_end].starts_with("${{") => {
                let consumed = interpolation(source, at, body_end, file, diagnostics, &mut builder);
                while chars.peek().is_some_and(|(j, _)| base + j < at + consumed) {
                    chars.next();
                }
            }
            c => {
                // The plain text up to the next escape or `$`, at once.
                let run_end = body[i..]
                    .find(['\\', '$'])
                    .map_or(body.len(), |k| i + k)
                    .max(i + c.len_utf8());
                builder.text.push_str(&body[i..run_end]);
                while chars.next_if(|(j, _)| *j < run_end).is_some() {}
            }
        }
    }
    builder.finish(false)
}

/// One diagnostic for a string continued over lines with ` \`: strings end on their line.
/// The fix joins the lines as the shell would; when the text has single quotes (inside which
/// the shell keeps a backslash and line break), a person checks it first.
fn line_continuation(source: &str, span: Span, at: usize, file: FileId) -> Diagnostic {
    let raw = &source[span.clone()];
    let mut joined = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('\\') {
        let after = &rest[i + 1..];
        let Some(len) = line_break_at(after.as_bytes(), 0) else {
            // The backslash and the character it escapes, whatever its width.
            let end = i + 1 + after.chars().next().map_or(0, char::len_utf8);
            joined.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        };
        let before = rest[..i].trim_end_matches([' ', '\t']);
        let next = after[len..].trim_start_matches([' ', '\t']);
        joined.push_str(before);
        // The shell drops the backslash and the line break only: blanks around them still
        // separate words, and no blanks join the words.
        if before.len() < i || next.len() < after.len() - len {
            joined.push(' ');
        }
        rest = next;
    }
    joined.push_str(rest);
    let d = Diagnostic::new(
        Code::UnterminatedString,
        "a string cannot continue on the next line with ` \\`",
        file,
        at..at + 1,
        "line continues here",
    )
    .with_help("strings end on the line they start on; for a long command, use a `\"\"\"` script, whose lines may end with ` \\`")
    .with_fix("join the lines into one command", span, joined);
    if raw.contains('\'') {
        d.suggested()
    } else {
        d
    }
}

fn ends_with_escaped_quote(body: &str) -> bool {
    // `"abc\"` is unterminated: count the backslashes before the final quote.
    let before = &body[..body.len().saturating_sub(1)];
    before.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

/// `u{1F600}` after the backslash: returns the char and how many chars after `u` it used.
fn decode_unicode_escape(rest: &str) -> Option<(char, usize)> {
    let inner = rest.strip_prefix('{')?;
    let close = inner.find('}')?;
    let hex = &inner[..close];
    if hex.is_empty() || hex.len() > 6 {
        return None;
    }
    let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
    Some((c, close + 2))
}

/// Decodes `"""…"""`: raw text (no escapes) with interpolations, dedented by the common
/// indentation of its lines, without the line break after the opening quotes and the
/// whitespace-only line before the closing ones.
fn decode_triple(source: &str, span: Span, file: FileId, diagnostics: &mut Vec<Diagnostic>) -> StrLit {
    let raw = &source[span.clone()];
    let terminated = raw.len() >= 6 && raw.ends_with("\"\"\"");
    if !terminated {
        diagnostics.push(
            Diagnostic::new(
                Code::UnterminatedString,
                "multi-line string is never closed",
                file,
                span.start..span.start + 3,
                "string starts here",
            )
            .with_secondary(file, span.end..span.end, "file ends inside the string")
            .with_help("close it with `\"\"\"`"),
        );
    }
    let body_start = span.start + 3;
    let body_end = if terminated { span.end - 3 } else { span.end };
    let body = &source[body_start..body_end];
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut offset = body_start;
    for line in body.split('\n') {
        lines.push((offset, line));
        offset += line.len() + 1;
    }
    if lines.len() > 1 && lines[0].1.trim().is_empty() {
        lines.remove(0);
    }
    if lines.len() > 1 && lines.last().is_some_and(|(_, l)| l.trim().is_empty()) {
        lines.pop();
    }
    let indent = lines
        .iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(_, l)| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let mut builder = PartsBuilder::default();
    for (index, (start, line)) in lines.iter().enumerate() {
        if index > 0 {
            builder.text.push('\n');
        }
        let line = line.strip_suffix('\r').unwrap_or(line);
        let skip = indent.min(line.len() - line.trim_start_matches([' ', '\t']).len());
        let line_start = start + skip;
        let line_end = start + line.len();
        let mut at = line_start;
        while at < line_end {
            let rest = &source[at..line_end];
            match rest.find("${{") {
                Some(0) => at += interpolation(source, at, line_end, file, diagnostics, &mut builder),
                Some(next) => {
                    builder.text.push_str(&rest[..next]);
                    at += next;
                }
                None => {
                    builder.text.push_str(rest);
                    at = line_end;
                }
            }
        }
    }
    builder.finish(true)
}

/// Reads `${{ path }}` starting at `at`; returns how many bytes it used.
fn interpolation(
    source: &str,
    at: usize,
    end: usize,
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
    builder: &mut PartsBuilder,
) -> usize {
    let inner_start = at + 3;
    let Some(close) = source[inner_start..end].find("}}") else {
        let mut diagnostic = Diagnostic::new(
            Code::UnterminatedInterpolation,
            "interpolation is never closed",
            file,
            at..end,
            "`${{` without `}}`",
        )
        .with_help("write `${{ item.field }}`; to keep a literal `${{` in a plain string, write `\\${{`");
        // Close it right after the name or field it starts with (`${{ repo.uri :tag` →
        // `${{ repo.uri }}:tag`); with no name there, there is nothing sure to close.
        let inner = &source[inner_start..end];
        let leading = inner.len() - inner.trim_start().len();
        let path_len = inner[leading..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
            .count();
        if path_len > 0 {
            let path_end = inner_start + leading + path_len;
            let spaces = source[path_end..end].len() - source[path_end..end].trim_start().len();
            diagnostic = diagnostic.with_fix("close the interpolation", path_end..path_end + spaces, " }}");
        }
        diagnostics.push(diagnostic);
        builder.text.push_str(&source[at..end]);
        return end - at;
    };
    let inner_end = inner_start + close;
    let span = at..inner_end + 2;
    match parse_path(source, inner_start..inner_end) {
        Some(path) => builder.push_interp(Interp {
            path,
            span: span.clone(),
        }),
        None => {
            diagnostics.push(
                Diagnostic::new(
                    Code::InvalidInterpolation,
                    match source[inner_start..inner_end].trim() {
                        "" => "empty interpolation".to_string(),
                        text => format!("`{text}` is not a name or field"),
                    },
                    file,
                    span.clone(),
                    "expected `${{ item.field }}`",
                )
                .with_help("an interpolation names an item or one of its fields, such as `${{ backend_flask.uri }}`"),
            );
            builder.text.push_str(&source[span.clone()]);
        }
    }
    span.len()
}

/// `name(.name)*` with optional surrounding spaces.
fn parse_path(source: &str, range: Span) -> Option<Vec<Ident>> {
    let text = &source[range.clone()];
    let leading = text.len() - text.trim_start().len();
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    let mut path = Vec::new();
    let mut offset = range.start + leading;
    for segment in trimmed.split('.') {
        let valid = segment
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && segment.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return None;
        }
        path.push(Ident {
            name: segment.into(),
            span: offset..offset + segment.len(),
        });
        offset += segment.len() + 1;
    }
    Some(path)
}

#[derive(Default)]
struct PartsBuilder {
    parts: Vec<StrPart>,
    text: String,
}

impl PartsBuilder {
    fn push_interp(&mut self, interp: Interp) {
        if !self.text.is_empty() {
            self.parts.push(StrPart::Text(std::mem::take(&mut self.text)));
        }
        self.parts.push(StrPart::Interp(interp));
    }

    fn finish(mut self, triple: bool) -> StrLit {
        if !self.text.is_empty() || self.parts.is_empty() {
            self.parts.push(StrPart::Text(self.text));
        }
        StrLit {
            parts: self.parts,
            triple,
        }
    }
}

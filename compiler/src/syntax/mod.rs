//! Source text to syntax tree: [`lexer`] → [`delimiters`] → [`direct`], or [`parser`] for a
//! file with syntax errors. [`parse`] never fails: it returns the best tree it could build
//! and every problem it found.

pub mod ast;
mod delimiters;
mod direct;
pub mod lexer;
mod parser;
pub mod token;
pub mod yaml;

use crate::diagnostics::{Code, Diagnostic, FileId, Span};
use chumsky::error::{RichPattern, RichReason};
use chumsky::prelude::*;
pub use delimiters::MAX_NESTING;
use std::borrow::Cow;
use token::Token;

/// Larger files are refused before lexing, with a clear error.
pub const MAX_FILE_SIZE: usize = 32 * 1024 * 1024;

/// Message of the parser's custom error for `name: value`.
const COLON_MESSAGE: &str = "properties are written `name = value`, not `name: value`";

pub struct Parsed {
    pub file: ast::File,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn parse(source: &str, file: FileId) -> Parsed {
    if source.len() > MAX_FILE_SIZE {
        let diagnostic = Diagnostic::new(
            Code::FileTooLarge,
            format!("file is {} bytes; the limit is {} bytes", source.len(), MAX_FILE_SIZE),
            file,
            0..0,
            "file not read",
        )
        .with_help("split the pipeline definitions into several files");
        return Parsed {
            file: ast::File {
                unparsed: vec![Span::default()],
                ..ast::File::default()
            },
            diagnostics: vec![diagnostic],
        };
    }

    let lexed = match seam(source) {
        Some(seam) => match read_in_halves(source, file, seam, true) {
            Halves::Read(parsed) => return parsed,
            Halves::Lexed(lexed) => lexed,
            Halves::Unread => lexer::lex(source, file),
        },
        None => lexer::lex(source, file),
    };
    read(source, file, lexed)
}

/// Where a large file is split to be read on two threads: the start of the first line after
/// its middle that begins with a name at the left margin (in a formatted file, a top-level
/// member). `None` for a small file, or where there is no second core.
fn seam(source: &str) -> Option<usize> {
    if !crate::parallel::two_threads(source.len() > crate::parallel::LARGE_PROGRAM) {
        return None;
    }
    let bytes = source.as_bytes();
    let mut at = source.len() / 2;
    while let Some(newline) = bytes[at..].iter().position(|b| *b == b'\n') {
        at += newline + 1;
        if bytes.get(at).is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') {
            return Some(at);
        }
    }
    None
}

enum Halves {
    /// Both halves read without a problem: the file's tree.
    Read(Parsed),
    /// The first half's lexer could not stop at the seam (a string or comment runs across
    /// it) and lexed the whole file.
    Lexed(lexer::Lexed),
    /// A half has a problem: the file is read again as a whole, for the messages.
    Unread,
}

/// Reads the text before `seam` on this thread and the text after it on another (if `threads`
/// is set; one after the other if not, where tests try every seam). A half read
/// without any problem (no diagnostic, balanced delimiters, accepted by the direct reader)
/// builds the tree the whole file would: the first half's lexer checks that a token starts at
/// the seam (so the second half's tokens are the whole file's), balanced halves meet at depth
/// zero, and the direct reader never looks past a complete top-level member for anything a
/// member can start with. `syntax/tests.rs` and the `check` fuzz target compare it with
/// reading the file whole, at every seam.
fn read_in_halves(source: &str, file: FileId, seam: usize, threads: bool) -> Halves {
    let (first, second) = crate::parallel::join(
        threads,
        || match lexer::lex_from(source, 0, Some(seam), file) {
            (lexed, true) => Ok(read_clean(source, file, lexed)),
            (lexed, false) => Err(lexed),
        },
        || read_clean(source, file, lexer::lex_from(source, seam, None, file).0),
    );
    match (first, second) {
        (Err(whole), _) => Halves::Lexed(whole),
        (Ok(Some((mut members, mut comments))), Some((more_members, more_comments))) => {
            members.extend(more_members);
            comments.extend(more_comments);
            Halves::Read(Parsed {
                file: ast::File {
                    members,
                    comments,
                    unparsed: Vec::new(),
                },
                diagnostics: Vec::new(),
            })
        }
        _ => Halves::Unread,
    }
}

/// The members and comments of a part of a file, if it has no problem at all.
fn read_clean(source: &str, file: FileId, lexed: lexer::Lexed) -> Option<(Vec<ast::Member>, Vec<ast::Comment>)> {
    if !lexed.diagnostics.is_empty() || lexed.runs_to_end {
        return None;
    }
    let mut diagnostics = Vec::new();
    // Without a diagnostic, balancing found every delimiter closed at its depth.
    let tokens = delimiters::balance(source, lexed.tokens, file, false, &mut diagnostics);
    if !diagnostics.is_empty() {
        return None;
    }
    let members = direct::file(source, &tokens, lexed.strings)?;
    Some((members, lexed.comments))
}

/// Reads lexed text into a tree: directly, or with the grammar when it has a syntax error.
fn read(source: &str, file: FileId, lexed: lexer::Lexed) -> Parsed {
    let mut diagnostics = lexed.diagnostics;
    let tokens = delimiters::balance(source, lexed.tokens, file, lexed.runs_to_end, &mut diagnostics);
    // Unreadable text was reported by the lexer; the parser does not see it.
    let readable: Cow<[(Token, Span)]> = if tokens.iter().any(|(t, _)| *t == Token::Error) {
        Cow::Owned(tokens.iter().filter(|(t, _)| *t != Token::Error).cloned().collect())
    } else {
        Cow::Borrowed(&tokens)
    };
    // A file without syntax errors is read directly; only one with errors goes through the
    // grammar, which recovers and describes them.
    let members = match direct::file(source, &readable, lexed.strings) {
        Some(members) => members,
        None => {
            // The direct reader moved string literals out of the table: read them again.
            let strings = lexer::lex(source, file).strings;
            let (members, errors) = grammar(source, &readable, &strings);
            for error in errors {
                diagnostics.push(convert_error(&error, source, &tokens, file));
            }
            members.unwrap_or_default()
        }
    };
    crate::diagnostics::sort(&mut diagnostics);
    Parsed {
        file: ast::File {
            members,
            comments: lexed.comments,
            unparsed: diagnostics
                .iter()
                .filter(|d| drops_text(d.code))
                .map(|d| d.primary.span.clone())
                .collect(),
        },
        diagnostics,
    }
}

/// Reads `source` in two halves split at `seam` (the start of a line) and whole, for tests and
/// fuzzing: an error where the halves read without a problem but build another tree than the
/// whole file, or where the first half's lexer lexed the whole file differently; else whether
/// the halves were read.
#[doc(hidden)]
pub fn compare_halves(source: &str, seam: usize) -> Result<bool, String> {
    let whole = || read(source, FileId(0), lexer::lex(source, FileId(0)));
    match read_in_halves(source, FileId(0), seam, false) {
        Halves::Read(halves) => {
            let whole = whole();
            if !whole.diagnostics.is_empty() {
                return Err(format!(
                    "the halves read clean, the whole file has {:?}",
                    whole.diagnostics
                ));
            }
            if halves.file != whole.file {
                return Err(format!(
                    "different trees:\nhalves: {:#?}\nwhole: {:#?}",
                    halves.file, whole.file
                ));
            }
            return Ok(true);
        }
        Halves::Lexed(lexed) => {
            let again = lexer::lex(source, FileId(0));
            if (lexed.tokens, lexed.strings, lexed.comments) != (again.tokens, again.strings, again.comments) {
                return Err("the first half's lexer, reading on, lexed the file differently".into());
            }
        }
        Halves::Unread => {}
    }
    Ok(false)
}

/// Reads `source` both ways, the direct reader and the grammar without recovery, for tests
/// and fuzzing: whether the file has no syntax error, or where the two readers disagree (the
/// direct reader accepts only what the grammar accepts, builds the same tree, and leaves no
/// error-free file to the grammar).
#[doc(hidden)]
pub fn compare_readers(source: &str) -> Result<bool, String> {
    if source.len() > MAX_FILE_SIZE {
        return Ok(false);
    }
    let lexed = lexer::lex(source, FileId(0));
    let mut diagnostics = Vec::new();
    let tokens = delimiters::balance(source, lexed.tokens, FileId(0), lexed.runs_to_end, &mut diagnostics);
    let tokens: Vec<(Token, Span)> = tokens.into_iter().filter(|(t, _)| *t != Token::Error).collect();
    let direct = direct::file(source, &tokens, lexed.strings.clone());
    let chumsky_tokens: Vec<(Token, SimpleSpan)> =
        tokens.iter().map(|(t, s)| (*t, SimpleSpan::from(s.clone()))).collect();
    let eoi = SimpleSpan::from(source.len()..source.len());
    let quick = parser::file::<_, chumsky::error::EmptyErr>(source, &lexed.strings)
        .parse(chumsky_tokens[..].split_token_span(eoi));
    match (direct, quick.has_errors()) {
        (None, true) => Ok(false),
        (Some(direct), false) => match quick.into_output() {
            Some(members) if members == direct => Ok(true),
            grammar => Err(format!("different trees:\ndirect: {direct:#?}\ngrammar: {grammar:#?}")),
        },
        (Some(_), true) => Err("the direct reader accepts a file the grammar rejects".into()),
        (None, false) => Err("the direct reader rejects a file the grammar accepts".into()),
    }
}

/// The file read by the chumsky grammar, with recovery: the members it could read, and the
/// errors.
fn grammar<'a>(
    source: &'a str,
    tokens: &[(Token, Span)],
    strings: &'a [ast::StrLit],
) -> (Option<Vec<ast::Member>>, Vec<parser::ParseError<'a>>) {
    let tokens: Vec<(Token, SimpleSpan)> = tokens.iter().map(|(t, s)| (*t, SimpleSpan::from(s.clone()))).collect();
    let eoi = SimpleSpan::from(source.len()..source.len());
    let (members, errors) = parser::file::<_, parser::ParseError>(source, strings)
        .parse(tokens[..].split_token_span(eoi))
        .into_output_errors();
    let errors = errors.into_iter().map(|e| e.into_owned()).collect();
    (members, errors)
}

/// Whether a syntax problem leaves text out of the tree (a member skipped to the next line,
/// unreadable characters, a value that is not one, the rest of a file in an unclosed comment,
/// a too-deep group), rather than reading it as meant (a closer inserted or replaced, a string
/// ended at the line's end, an escape kept).
fn drops_text(code: Code) -> bool {
    matches!(
        code,
        Code::UnexpectedCharacter
            | Code::UnterminatedComment
            | Code::InvalidNumber
            | Code::UnexpectedToken
            | Code::NestingTooDeep
            | Code::FileTooLarge
    )
}

fn convert_error(error: &parser::ParseError<'_>, source: &str, tokens: &[(Token, Span)], file: FileId) -> Diagnostic {
    let span = error.span().into_range();
    match error.reason() {
        RichReason::ExpectedFound { found: Some(found), .. } if **found == Token::Colon => Diagnostic::new(
            Code::UnexpectedToken,
            "expected `=`, found `:`",
            file,
            span.clone(),
            "use `=` here",
        )
        .with_note(COLON_MESSAGE)
        .with_fix("replace `:` with `=`", span, " ="),
        RichReason::ExpectedFound {
            expected,
            found: Some(found),
        } if **found == Token::Eq && matches!(expected.as_slice(), [RichPattern::Token(t)] if **t == Token::LBrace) => {
            let end = span.end + source[span.end..].len() - source[span.end..].trim_start_matches([' ', '\t']).len();
            Diagnostic::new(
                Code::UnexpectedToken,
                "a block takes no `=`",
                file,
                span.clone(),
                "not needed",
            )
            .with_help("write `name { … }`")
            .with_fix("remove the `=`", span.start..end, "")
        }
        RichReason::Custom(message) => Diagnostic::new(Code::UnexpectedToken, message.clone(), file, span, "here"),
        RichReason::ExpectedFound { expected, found } => {
            let found_text = match found.as_deref() {
                None => "end of file".to_string(),
                // Closers of unclosed blocks are inserted with an empty span.
                Some(Token::RBrace) if span.is_empty() => "the end of the unclosed block".to_string(),
                Some(Token::RBracket) if span.is_empty() => "the end of the unclosed list".to_string(),
                Some(Token::RParen) if span.is_empty() => "the end of the unclosed arguments".to_string(),
                Some(token) => describe_found(*token, &source[span.clone()]),
            };
            let expected_text = describe_expected(expected);
            let message = format!("expected {expected_text}, found {found_text}");
            // A token that starts a new line was not what the previous line needed: point at the
            // end of the previous line, where the missing piece belongs.
            let starts_line = found.is_some()
                && source[..span.start]
                    .rfind('\n')
                    .is_some_and(|nl| source[nl..span.start].trim().is_empty());
            let previous_end = tokens
                .iter()
                .rev()
                .find(|(_, s)| s.end <= span.start && s.end < span.start)
                .map(|(_, s)| s.end);
            match (starts_line, previous_end) {
                (true, Some(end)) => Diagnostic::new(
                    Code::UnexpectedToken,
                    message,
                    file,
                    end..end,
                    format!("expected {expected_text} here"),
                )
                .with_secondary(file, span, format!("the next line starts with {found_text}")),
                _ => Diagnostic::new(
                    Code::UnexpectedToken,
                    message,
                    file,
                    span,
                    format!("unexpected {found_text}"),
                ),
            }
        }
    }
}

fn describe_found(token: Token, text: &str) -> String {
    match token {
        Token::Ident | Token::LineIdent | Token::Number | Token::Duration => format!("{} `{}`", token.describe(), text),
        _ => token.describe().to_string(),
    }
}

fn describe_expected(expected: &[RichPattern<'_, Token>]) -> String {
    let mut names: Vec<String> = expected
        .iter()
        .filter_map(|pattern| match pattern {
            RichPattern::Token(token) => Some(token.describe().to_string()),
            RichPattern::Label(label) => Some(label.to_string()),
            RichPattern::EndOfInput => Some("end of file".to_string()),
            _ => None,
        })
        .collect();
    names.sort();
    names.dedup();
    // After `=` a block is accepted only to report the `=` (`environment = { … }`): what is
    // expected there is a value.
    if names.iter().any(|n| n == "value") {
        names.retain(|n| n != "`{`");
    }
    match names.len() {
        0 => "something else".to_string(),
        1 => names.remove(0),
        _ => {
            let last = names.pop().unwrap_or_default();
            format!("{} or {}", names.join(", "), last)
        }
    }
}

#[cfg(test)]
mod tests;

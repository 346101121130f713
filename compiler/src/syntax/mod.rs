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

    let lexed = lexer::lex(source, file);
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

//! Balances `{}`, `()` and `[]` before parsing, the way a reader would: an unclosed brace is
//! reported at the brace (with a second span where the block visibly ends), a stray closer is
//! dropped, and nesting deeper than [`MAX_NESTING`] is cut off. The parser then always sees
//! balanced delimiters, so one missing `}` cannot turn the rest of the file into errors.

use super::token::Token;
use crate::diagnostics::{Code, Diagnostic, FileId, Span};

/// Deeper nesting than this is an error; it also bounds the parser's recursion.
pub const MAX_NESTING: usize = 32;

struct Open {
    token: Token,
    span: Span,
    /// Column of the first token on the opener's line.
    line_indent: usize,
    /// Byte offset where the opener's line starts.
    line_start: usize,
    /// Whether the first line of the body (after the opener's line) is indented past
    /// `line_indent`; only then does indentation tell where the block should have ended.
    body_indented: Option<bool>,
    /// A matching closer comes later: the block is closed, however it is indented.
    closed_later: bool,
}

/// Which openers (by token index) a matching closer closes, in a plain pass that ignores
/// indentation: only the others are left for indentation to close. When closers are missing,
/// a pair whose closer starts a line at another indentation than its opener's line is not
/// trusted either: the closer more likely belongs to an outer block (`phase install {` left
/// open, its `}` taken by the next phase), so indentation decides where that block ends.
fn closed_openers(source: &str, tokens: &[(Token, Span)]) -> Vec<bool> {
    let mut closed = vec![false; tokens.len()];
    let mut pairs = Vec::new();
    let mut stack: Vec<(usize, Token)> = Vec::new();
    for (index, (token, _)) in tokens.iter().enumerate() {
        if token.closer().is_some() {
            stack.push((index, *token));
        } else if token.is_closer() {
            if let Some(position) = stack.iter().rposition(|(_, open)| open.closer() == Some(*token)) {
                closed[stack[position].0] = true;
                pairs.push((stack[position].0, index));
                stack.truncate(position);
            }
        }
    }
    if !stack.is_empty() {
        // The indentation of a line, and whether the token starts it.
        let line = |at: usize| {
            let start = source[..at].rfind('\n').map_or(0, |nl| nl + 1);
            let text = &source[start..];
            let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
            (indent, start + indent == at)
        };
        for (opener, closer) in pairs {
            let (opener_indent, _) = line(tokens[opener].1.start);
            let (closer_indent, starts_line) = line(tokens[closer].1.start);
            if starts_line && closer_indent != opener_indent {
                closed[opener] = false;
            }
        }
    }
    closed
}

/// `quiet_at_end`: do not report delimiters left open at the end of the file (the lexer
/// already reported a string or comment that swallowed the rest of it).
pub fn balance(
    source: &str,
    tokens: Vec<(Token, Span)>,
    file: FileId,
    quiet_at_end: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Token, Span)> {
    if nested_properly(&tokens) {
        return mark_in_place(source, tokens, file, diagnostics);
    }
    let tokens = insert_missing_openers(source, tokens, file, diagnostics);
    if nested_properly(&tokens) {
        return mark_in_place(source, tokens, file, diagnostics);
    }
    balance_general(source, tokens, file, quiet_at_end, diagnostics)
}

/// A line of tokens, for [`insert_missing_openers`].
struct Line {
    first: usize,
    last: usize,
    indent: usize,
    /// Inside `( … )` or `[ … ]` at its end: the line goes on, it opens nothing.
    in_list: bool,
}

/// A block whose `{` was left out (`stage Deploy` over an indented body and a `}` lined up
/// with it) leaves one `}` too many, and balancing would pair every later brace wrongly: the
/// block's `}` would close the enclosing one, and what follows would land outside it. When a
/// `}` has no opener, a line that reads as a block's header without its `{` (it ends in a name
/// or `)`, the lines after it are indented further, and the next line back at its indentation
/// is a `}` that pairs with no brace of that indentation) gets the `{`, reported there.
fn insert_missing_openers(
    source: &str,
    tokens: Vec<(Token, Span)>,
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Token, Span)> {
    // Braces paired without regard to indentation: the closers left over, and each closer's
    // opener.
    let mut stray = 0;
    let mut opener_of = vec![None; tokens.len()];
    let mut stack = Vec::new();
    for (index, (token, _)) in tokens.iter().enumerate() {
        match token {
            Token::LBrace => stack.push(index),
            Token::RBrace => match stack.pop() {
                Some(opener) => opener_of[index] = Some(opener),
                None => stray += 1,
            },
            _ => {}
        }
    }
    if stray == 0 {
        return tokens;
    }
    let lines = lines_of(source, &tokens);
    let spans: Vec<Span> = tokens.iter().map(|(_, span)| span.clone()).collect();
    let line_of_token = |index: usize| lines.partition_point(|line| line.last < index);
    let mut inserts = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        if inserts.len() == stray {
            break;
        }
        let (first, last) = (&tokens[line.first].0, &tokens[line.last].0);
        let header = matches!(first, Token::Ident | Token::LineIdent)
            && matches!(last, Token::Ident | Token::LineIdent | Token::RParen)
            && !line.in_list;
        let body_below = lines.get(at + 1).is_some_and(|next| next.indent > line.indent);
        if !header || !body_below {
            continue;
        }
        let Some(end) = lines[at + 1..].iter().find(|l| l.indent <= line.indent) else {
            continue;
        };
        let closer = end.first;
        let unpaired = opener_of[closer].is_none_or(|opener| lines[line_of_token(opener)].indent != line.indent);
        if end.indent == line.indent && tokens[closer].0 == Token::RBrace && unpaired {
            inserts.push((line.first, line.last, closer));
        }
    }
    if inserts.is_empty() {
        return tokens;
    }
    let newlines: Vec<usize> = source.match_indices('\n').map(|(at, _)| at).collect();
    let mut with_openers = Vec::with_capacity(tokens.len() + inserts.len());
    let mut next = inserts.iter().peekable();
    for (index, token) in tokens.into_iter().enumerate() {
        let after_header = next.peek().filter(|(_, after, _)| *after == index).is_some();
        let end = token.1.end;
        with_openers.push(token);
        if !after_header {
            continue;
        }
        let (first, _, closer) = *next.next().expect("peeked");
        let last = spans[index].clone();
        // The header as written (`stage Deploy`), unless it is long.
        let header = &source[spans[first].start..last.end];
        let name = if header.len() <= 48 && !header.contains('\n') {
            header
        } else {
            &source[last.clone()]
        };
        let closer_span = spans[closer].clone();
        let closer_line = newlines.partition_point(|&nl| nl < closer_span.start) + 1;
        diagnostics.push(
            Diagnostic::new(
                Code::UnmatchedClosingDelimiter,
                format!("missing `{{` after `{name}`: the `}}` on line {closer_line} has no opening brace"),
                file,
                last.clone(),
                "a `{` is missing after this",
            )
            .with_secondary(file, closer_span, "closes the block that `{` opens")
            .with_suggestion("insert `{`", end..end, " {"),
        );
        with_openers.push((Token::LBrace, end..end));
    }
    with_openers
}

/// The lines that hold tokens: a token starts a line when a line break comes before it.
fn lines_of(source: &str, tokens: &[(Token, Span)]) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut depth = 0usize;
    let mut prev_end = 0;
    for (index, (token, span)) in tokens.iter().enumerate() {
        if index == 0 || last_newline(&source[prev_end.min(span.start)..span.start]).is_some() {
            let line_start = source[..span.start].rfind('\n').map_or(0, |nl| nl + 1);
            lines.push(Line {
                first: index,
                last: index,
                indent: span.start - line_start,
                in_list: false,
            });
        }
        match token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
            _ => {}
        }
        let line = lines.last_mut().expect("the first token starts a line");
        line.last = index;
        line.in_list = depth > 0;
        prev_end = span.end;
    }
    lines
}

/// [`balance`] for any tokens: closes, drops and cuts off as the module comment says.
fn balance_general(
    source: &str,
    tokens: Vec<(Token, Span)>,
    file: FileId,
    quiet_at_end: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Token, Span)> {
    let mut out = Vec::with_capacity(tokens.len() + 4);
    let mut stack: Vec<Open> = Vec::new();
    let mut prev_end = 0;
    let mut line_indent = 0;
    // Start of the current line; tokens never span lines except strings and comments, which
    // the gap scan below accounts for.
    let mut line_start = 0;
    // While `Some(depth)`, tokens are dropped until the too-deep opener is closed.
    let mut skipping: Option<usize> = None;

    let closed = closed_openers(source, &tokens);
    for (index, (token, span)) in tokens.iter().enumerate() {
        let (token, span) = (*token, span.clone());
        let gap_start = prev_end.min(span.start);
        let newline_in_gap = last_newline(&source[gap_start..span.start]);
        if let Some(nl) = newline_in_gap {
            line_start = gap_start + nl + 1;
        }
        let first_on_line = prev_end == 0 || newline_in_gap.is_some();
        let column = span.start - line_start;
        // A multi-line string ends on a later line than it starts on.
        if let Some(nl) = matches!(token, Token::Str(_))
            .then(|| last_newline(&source[span.clone()]))
            .flatten()
        {
            line_start = span.start + nl + 1;
        }
        if first_on_line {
            line_indent = column;
        }

        if let Some(depth) = &mut skipping {
            if token.closer().is_some() {
                *depth += 1;
            } else if token.is_closer() {
                *depth -= 1;
                if *depth == 0 {
                    skipping = None;
                }
            }
            prev_end = span.end;
            continue;
        }

        // Outside `( … )` and `[ … ]` a line break ends a member: a comma before it is stray.
        if token == Token::Comma
            && stack.last().is_none_or(|open| open.token == Token::LBrace)
            && ends_line_before_member(source, &tokens, index)
        {
            diagnostics.push(stray_comma(file, span.clone()));
            prev_end = span.end;
            continue;
        }

        if first_on_line {
            let at_closer = token.is_closer();
            close_by_indentation(
                &mut stack,
                &mut out,
                column,
                &span,
                prev_end,
                source,
                file,
                diagnostics,
                at_closer,
            );
        }

        if token.closer().is_some() {
            if stack.len() >= MAX_NESTING {
                diagnostics.push(
                    Diagnostic::new(
                        Code::NestingTooDeep,
                        format!("nesting deeper than {MAX_NESTING} levels"),
                        file,
                        span.clone(),
                        "too deep",
                    )
                    .with_help("flatten the structure; everything inside this delimiter is skipped"),
                );
                skipping = Some(1);
                prev_end = span.end;
                continue;
            }
            stack.push(Open {
                token,
                span: span.clone(),
                line_indent,
                line_start: span.start - column,
                body_indented: None,
                closed_later: closed[index],
            });
            out.push((token, span.clone()));
        } else if token.is_closer() {
            match stack.iter().rposition(|open| open.token.closer() == Some(token)) {
                Some(index) => {
                    // Everything opened after the match is unclosed.
                    let unclosed = stack.split_off(index + 1);
                    let at = span.start..span.start;
                    report_unclosed(
                        unclosed,
                        at,
                        "closed by this outer delimiter first",
                        false,
                        source,
                        file,
                        &mut out,
                        diagnostics,
                    );
                    stack.pop();
                    out.push((token, span.clone()));
                }
                None => match stack.last() {
                    Some(open) => {
                        let expected = open.token.closer().unwrap_or(Token::RBrace);
                        // On the opener's line a wrong closer is a typo for the right one;
                        // further down it is more likely stray, and is dropped.
                        let same_line = !source[open.line_start..span.start].contains('\n');
                        let diagnostic = Diagnostic::new(
                            Code::MismatchedDelimiter,
                            format!(
                                "mismatched closing delimiter: expected `{}`, found `{}`",
                                expected.text(),
                                token.text()
                            ),
                            file,
                            span.clone(),
                            "does not close the open delimiter",
                        )
                        .with_secondary(file, open.span.clone(), "the delimiter still open");
                        if same_line {
                            diagnostics.push(diagnostic.with_fix(
                                format!("replace with `{}`", expected.text()),
                                span.clone(),
                                expected.text(),
                            ));
                            stack.pop();
                            out.push((expected, span.clone()));
                        } else {
                            diagnostics.push(diagnostic.with_fix("remove it", span.clone(), ""));
                        }
                    }
                    None => {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::UnmatchedClosingDelimiter,
                                format!("unmatched closing `{}`", token.text()),
                                file,
                                span.clone(),
                                "nothing is open here",
                            )
                            .with_fix("remove it", span.clone(), ""),
                        );
                    }
                },
            }
        } else {
            if let Some(open) = stack.last_mut() {
                if open.body_indented.is_none() && first_on_line {
                    open.body_indented = Some(column > open.line_indent);
                }
            }
            let token = if token == Token::Ident && first_on_line {
                Token::LineIdent
            } else {
                token
            };
            out.push((token, span.clone()));
        }
        prev_end = span.end;
    }

    let end = source.len();
    let quiet = quiet_at_end;
    report_unclosed(
        stack,
        end..end,
        "file ends here",
        quiet,
        source,
        file,
        &mut out,
        diagnostics,
    );
    out
}

fn stray_comma(file: FileId, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnexpectedToken,
        "stray `,` at the end of a line: members are separated by line breaks",
        file,
        span.clone(),
        "not needed",
    )
    .with_fix("remove the comma", span, "")
}

/// Whether every opener is closed by the next closer at its depth, no closer is stray, and no
/// nesting is too deep: the usual case, where balancing changes nothing but the marks below.
fn nested_properly(tokens: &[(Token, Span)]) -> bool {
    let mut stack: Vec<Token> = Vec::with_capacity(MAX_NESTING);
    for (token, _) in tokens {
        if let Some(closer) = token.closer() {
            if stack.len() >= MAX_NESTING {
                return false;
            }
            stack.push(closer);
        } else if token.is_closer() && stack.pop() != Some(*token) {
            return false;
        }
    }
    stack.is_empty()
}

/// [`balance`] for properly nested tokens, without copying them: marks identifiers that start a
/// line and drops stray commas, as the general pass would.
fn mark_in_place(
    source: &str,
    mut tokens: Vec<(Token, Span)>,
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Token, Span)> {
    // Whether the innermost open delimiter is a brace (or none is open), per depth.
    let mut in_braces: Vec<bool> = Vec::with_capacity(MAX_NESTING);
    let mut stray = Vec::new();
    let mut prev_end = 0;
    for index in 0..tokens.len() {
        let (token, ref span) = tokens[index];
        if token == Token::Comma
            && in_braces.last().copied().unwrap_or(true)
            && ends_line_before_member(source, &tokens, index)
        {
            stray.push(index);
            prev_end = span.end;
            continue;
        }
        let first_on_line = prev_end == 0 || last_newline(&source[prev_end.min(span.start)..span.start]).is_some();
        prev_end = span.end;
        if token.closer().is_some() {
            in_braces.push(token == Token::LBrace);
        } else if token.is_closer() {
            in_braces.pop();
        } else if token == Token::Ident && first_on_line {
            tokens[index].0 = Token::LineIdent;
        }
    }
    if stray.is_empty() {
        return tokens;
    }
    for &index in &stray {
        diagnostics.push(stray_comma(file, tokens[index].1.clone()));
    }
    let mut stray = stray.into_iter().peekable();
    let mut index = 0;
    tokens.retain(|_| {
        let keep = stray.peek() != Some(&index);
        if !keep {
            stray.next();
        }
        index += 1;
        keep
    });
    tokens
}

/// A line that starts at or left of an open block's own indentation, when the block's body
/// was indented, means the block should have ended before it.
#[allow(clippy::too_many_arguments)]
fn close_by_indentation(
    stack: &mut Vec<Open>,
    out: &mut Vec<(Token, Span)>,
    column: usize,
    span: &Span,
    prev_end: usize,
    source: &str,
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
    at_closer: bool,
) {
    while let Some(open) = stack.last() {
        // A block's body may be unindented (then indentation tells nothing); a list or call
        // continued on a line no further right than where it started has ended.
        let indentation_counts = match open.token {
            Token::LBrace => open.body_indented == Some(true),
            _ => open.body_indented != Some(false),
        };
        // A closer that starts a line closes the block it lines up with: only blocks opened
        // further right are left open before it.
        if open.closed_later
            || !indentation_counts
            || column > open.line_indent
            || (at_closer && column == open.line_indent)
        {
            break;
        }
        let open = stack.pop().expect("stack is not empty");
        let closer = open.token.closer().unwrap_or(Token::RBrace);
        let line_start = span.start - column;
        let indent = &source[line_start..span.start];
        let mut diagnostic = Diagnostic::new(
            Code::UnclosedDelimiter,
            format!("unclosed `{}`", open.token.text()),
            file,
            open.span.clone(),
            "opened here",
        )
        .with_secondary(
            file,
            span.clone(),
            format!("expected `{}` before this line", closer.text()),
        );
        if indent.chars().all(|c| c == ' ' || c == '\t') {
            diagnostic = diagnostic.with_fix(
                format!("insert `{}`", closer.text()),
                line_start..line_start,
                format!("{}{}\n", " ".repeat(open.line_indent), closer.text()),
            );
        }
        diagnostics.push(diagnostic);
        out.push((closer, prev_end..prev_end));
    }
}

/// Where the last line break in `text` is (bytes, not characters: this runs on every token).
fn last_newline(text: &str) -> Option<usize> {
    text.as_bytes().iter().rposition(|b| *b == b'\n')
}

/// Whether the comma at `index` ends a line (the JSON and HCL habit `name = value,`) before
/// the end of the block or the next member (`name =`, `name {`). A statement's list may go on
/// after a line break (`input Code,` then `Docs`): that comma is not stray.
fn ends_line_before_member(source: &str, tokens: &[(Token, Span)], index: usize) -> bool {
    let span = &tokens[index].1;
    let Some((next, next_span)) = tokens.get(index + 1) else {
        return true;
    };
    if !source[span.end..next_span.start].contains('\n') {
        return false;
    }
    match next {
        Token::RBrace => true,
        // `name =`, `name {`, `name:`, or a labelled `name LABEL {` / `name LABEL =`.
        Token::Ident | Token::LineIdent => {
            let same_line = |k: usize| {
                tokens
                    .get(k)
                    .filter(|(_, s)| !source[next_span.end..s.start].contains('\n'))
            };
            match same_line(index + 2) {
                Some((Token::Eq | Token::LBrace | Token::Colon, _)) => true,
                Some((Token::Ident | Token::Str(_), _)) => {
                    matches!(same_line(index + 3), Some((Token::Eq | Token::LBrace, _)))
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// Reports delimiters left open when `at` is reached (outermost first in `unclosed`) and
/// inserts their closers there. One fix, on the innermost, inserts all closers in order, so
/// applying every fix gives the right text.
#[allow(clippy::too_many_arguments)]
fn report_unclosed(
    unclosed: Vec<Open>,
    at: Span,
    why: &str,
    quiet: bool,
    source: &str,
    file: FileId,
    out: &mut Vec<(Token, Span)>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut all_closers = String::new();
    let at_end = at.start == source.len();
    for open in unclosed.iter().rev() {
        let closer = open.token.closer().unwrap_or(Token::RBrace);
        out.push((closer, at.clone()));
        if at_end {
            if !all_closers.is_empty() || !source.ends_with('\n') {
                all_closers.push('\n');
            }
            all_closers.push_str(&" ".repeat(open.line_indent));
        }
        all_closers.push_str(closer.text());
    }
    if at_end && !all_closers.is_empty() && source.ends_with('\n') {
        all_closers.push('\n');
    }
    if quiet {
        return;
    }
    let innermost = unclosed.len().saturating_sub(1);
    for (index, open) in unclosed.iter().enumerate() {
        let closer = open.token.closer().unwrap_or(Token::RBrace);
        let mut diagnostic = Diagnostic::new(
            Code::UnclosedDelimiter,
            format!("unclosed `{}`", open.token.text()),
            file,
            open.span.clone(),
            "opened here",
        )
        .with_secondary(file, at.clone(), why.to_string());
        if index == innermost {
            let message = if unclosed.len() == 1 {
                format!("insert `{}`", closer.text())
            } else {
                format!("insert the {} missing closers", unclosed.len())
            };
            diagnostic = diagnostic.with_fix(message, at.clone(), all_closers.clone());
        }
        diagnostics.push(diagnostic);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::lexer::lex;
    use proptest::prelude::*;

    /// Both passes over one text: the tokens and the diagnostics they give.
    fn both(source: &str) -> Option<(String, String)> {
        let lexed = lex(source, FileId(0));
        if !nested_properly(&lexed.tokens) {
            return None;
        }
        let (mut fast, mut general) = (Vec::new(), Vec::new());
        let a = mark_in_place(source, lexed.tokens.clone(), FileId(0), &mut fast);
        let b = balance_general(source, lexed.tokens, FileId(0), lexed.runs_to_end, &mut general);
        Some((format!("{a:?} {fast:?}"), format!("{b:?} {general:?}")))
    }

    #[test]
    fn the_in_place_pass_agrees_with_the_general_one_on_the_examples() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut compared = 0;
        for folder in ["examples", "tests/ui"] {
            let mut stack = vec![root.join(folder)];
            while let Some(dir) = stack.pop() {
                for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                    let path = entry.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if path.extension().is_some_and(|e| e == "cruddur") {
                        let text = std::fs::read_to_string(&path).unwrap();
                        if let Some((fast, general)) = both(&text) {
                            assert_eq!(fast, general, "{}", path.display());
                            compared += 1;
                        }
                    }
                }
            }
        }
        assert!(compared > 100, "only {compared} files compared");
    }

    proptest! {
        #[test]
        fn the_in_place_pass_agrees_with_the_general_one(
            parts in prop::collection::vec(
                prop::sample::select(vec![
                    "a", "b = 1", ",", "\n", "  ", "{", "}", "(", ")", "[", "]", "\"s\"", "\"x\ny\"", "x {", ":",
                ]),
                0..40,
            )
        ) {
            let text: String = parts.concat();
            if let Some((fast, general)) = both(&text) {
                prop_assert_eq!(fast, general);
            }
        }
    }
}

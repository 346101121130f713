//! `cruddur fmt`: one canonical layout for `.cruddur` files (see `spec/language.md`, "Layout").
//!
//! The formatter prints the syntax tree again: members one per line, two spaces per block,
//! `=` aligned within a run of properties, one blank line between items and between stages,
//! `${{ path }}` spaced, lists and call arguments wrapped one per line past 100 columns.
//! Literals are copied as written and nothing is reordered. Every comment stays with the
//! member it belongs to (above it, or after it on its line); a member holding a comment the
//! printer has no place for is copied as written. A file with syntax errors is refused, and
//! output that would not parse to the same tree is never returned.

mod printer;
#[cfg(test)]
mod tests;

use crate::diagnostics::{Diagnostic, FileId};
use crate::syntax::{self, ast};

/// How wide a line may get before lists and call arguments wrap.
pub const WIDTH: usize = 100;
/// Spaces per level of nesting.
pub const INDENT: usize = 2;

#[derive(Debug)]
pub enum FormatError {
    /// The text has syntax errors: it is left as it is.
    Syntax(Vec<Diagnostic>),
    /// The layout would have changed what the text means (a bug): it is left as it is.
    Unsafe(String),
}

/// The text in the canonical layout.
pub fn format(source: &str) -> Result<String, FormatError> {
    let parsed = syntax::parse(source, FileId(0));
    let errors: Vec<Diagnostic> = parsed.diagnostics.into_iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        return Err(FormatError::Syntax(errors));
    }
    let formatted = printer::print(source, &parsed.file);
    if formatted != source {
        verify(source, &parsed.file, &formatted)?;
    }
    Ok(formatted)
}

/// The formatted text must parse to the same tree, with the same comments, in the same order.
fn verify(source: &str, before: &ast::File, formatted: &str) -> Result<(), FormatError> {
    let after = syntax::parse(formatted, FileId(0));
    if after.diagnostics.iter().any(Diagnostic::is_error) {
        return Err(FormatError::Unsafe("the formatted text does not parse".to_string()));
    }
    if shape(before) != shape(&after.file) {
        return Err(FormatError::Unsafe(
            "the formatted text means something else".to_string(),
        ));
    }
    let comments = |text: &str, file: &ast::File| -> Vec<String> {
        file.comments
            .iter()
            .map(|c| comment_text(&text[c.span.clone()]))
            .collect()
    };
    if comments(source, before) != comments(formatted, &after.file) {
        return Err(FormatError::Unsafe(
            "the formatted text lost or moved a comment".to_string(),
        ));
    }
    // Waivers cover what is on their lines: the same findings must be waived. (Text with no
    // waiver has nothing to compare, and checking it twice would be most of fmt's time.)
    if source.contains(crate::analysis::WAIVER_MARK) && findings(source) != findings(formatted) {
        return Err(FormatError::Unsafe(
            "the layout would change what a waiver covers".to_string(),
        ));
    }
    Ok(())
}

/// What checking the text alone finds, without positions: codes, messages, and whether each
/// is waived.
fn findings(text: &str) -> Vec<(crate::diagnostics::Code, String, bool)> {
    let mut sources = crate::diagnostics::SourceMap::new();
    let file = sources.add("", text.to_string());
    let mut found: Vec<_> = crate::analysis::analyze(&sources, &[file])
        .diagnostics
        .into_iter()
        .map(|d| (d.code, d.message, d.suppressed.is_some()))
        .collect();
    found.sort();
    found
}

/// A comment's text with trailing spaces removed (and, for block comments, each line's).
fn comment_text(text: &str) -> String {
    text.lines().map(str::trim).collect::<Vec<_>>().join("\n")
}

/// The tree without positions: what the text means.
fn shape(file: &ast::File) -> Vec<ast::Member> {
    let mut members = file.members.clone();
    for member in &mut members {
        erase_member(member);
    }
    members
}

fn erase_member(member: &mut ast::Member) {
    member.span = 0..0;
    member.name.span = 0..0;
    match &mut member.kind {
        ast::MemberKind::Property(expr) => erase_expr(expr),
        ast::MemberKind::Statement(args) => args.iter_mut().for_each(erase_expr),
        ast::MemberKind::Block { label, value, body } => {
            if let Some(label) = label {
                label.span = 0..0;
            }
            if let Some(value) = value {
                erase_expr(value);
            }
            if let Some(body) = body {
                body.span = 0..0;
                body.members.iter_mut().for_each(erase_member);
            }
        }
    }
}

fn erase_expr(expr: &mut ast::Expr) {
    expr.span = 0..0;
    match &mut expr.kind {
        ast::ExprKind::Str(lit) => {
            for part in &mut lit.parts {
                if let ast::StrPart::Interp(interp) = part {
                    interp.span = 0..0;
                    interp.path.iter_mut().for_each(|i| i.span = 0..0);
                }
            }
        }
        ast::ExprKind::Name(ident) => ident.span = 0..0,
        ast::ExprKind::Field(base, field) => {
            erase_expr(base);
            field.span = 0..0;
        }
        ast::ExprKind::Call { callee, args } => {
            callee.span = 0..0;
            for arg in args {
                if let Some(name) = &mut arg.name {
                    name.span = 0..0;
                }
                erase_expr(&mut arg.value);
            }
        }
        ast::ExprKind::List(items) => items.iter_mut().for_each(erase_expr),
        ast::ExprKind::Number(_) | ast::ExprKind::Duration(_) | ast::ExprKind::Bool(_) | ast::ExprKind::Error => {}
    }
}

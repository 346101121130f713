//! Folding ranges: blocks and lists that span lines, `"""` scripts, and runs of comments.

use crate::diagnostics::Span;
use crate::syntax::ast::{self, Expr, ExprKind, MemberKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    Region,
    Comment,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fold {
    pub span: Span,
    pub kind: FoldKind,
}

/// What can fold in a file, outermost first; the editor drops those on one line.
pub fn folding_ranges(source: &str, file: &ast::File) -> Vec<Fold> {
    let mut folds = Vec::new();
    members(&file.members, &mut folds);
    comments(source, &file.comments, &mut folds);
    folds.sort_by_key(|f| (f.span.start, std::cmp::Reverse(f.span.end)));
    folds
}

fn members(members: &[ast::Member], out: &mut Vec<Fold>) {
    for member in members {
        match &member.kind {
            MemberKind::Property(value) => expr(value, out),
            MemberKind::Statement(values) => values.iter().for_each(|v| expr(v, out)),
            MemberKind::Block { value, body, .. } => {
                if let Some(value) = value {
                    expr(value, out);
                }
                if let Some(body) = body {
                    out.push(region(&body.span));
                    self::members(&body.members, out);
                }
            }
        }
    }
}

fn expr(value: &Expr, out: &mut Vec<Fold>) {
    match &value.kind {
        ExprKind::List(items) => {
            out.push(region(&value.span));
            items.iter().for_each(|item| expr(item, out));
        }
        ExprKind::Call { args, .. } => args.iter().for_each(|arg| expr(&arg.value, out)),
        ExprKind::Str(text) if text.triple => out.push(region(&value.span)),
        _ => {}
    }
}

fn region(span: &Span) -> Fold {
    Fold {
        span: span.clone(),
        kind: FoldKind::Region,
    }
}

/// A block comment, or consecutive line comments with only blank space between them.
fn comments(source: &str, comments: &[ast::Comment], out: &mut Vec<Fold>) {
    let mut run: Option<Span> = None;
    for comment in comments {
        if comment.block {
            out.push(Fold {
                span: comment.span.clone(),
                kind: FoldKind::Comment,
            });
            continue;
        }
        match &mut run {
            Some(span)
                if source[span.end..comment.span.start].trim().is_empty()
                    && source[span.end..comment.span.start].matches('\n').count() == 1 =>
            {
                span.end = comment.span.end;
            }
            _ => {
                out.extend(run.take().map(|span| Fold {
                    span,
                    kind: FoldKind::Comment,
                }));
                run = Some(comment.span.clone());
            }
        }
    }
    out.extend(run.map(|span| Fold {
        span,
        kind: FoldKind::Comment,
    }));
}

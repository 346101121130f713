//! Waivers: `// cruddur-allow(S0005): reason` lifts the named security rules for the member
//! that follows the comment (or, after code on a line, for that line). A waived diagnostic is
//! kept, marked suppressed with its reason, so JSON and SARIF can show it to reviewers. A
//! waiver must name security rules and give a reason; one that waives nothing is reported.

use crate::diagnostics::{Code, Diagnostic, FileId, SourceMap, Span};
use crate::syntax::ast::{self, Member};
use std::sync::Arc;

/// What starts a waiver in a comment; text without it holds no waiver.
pub const MARK: &str = "cruddur-allow(";

struct Waiver {
    codes: Vec<Code>,
    reason: String,
    scope: Span,
    comment: Span,
    used: bool,
}

pub fn apply(sources: &SourceMap, files: &[(FileId, Arc<ast::File>)], out: &mut Vec<Diagnostic>) {
    let mut reports = Vec::new();
    for (file, ast) in files {
        let text = sources.source(*file);
        // Most files waive nothing: one search of the file saves one per comment.
        if !text.contains(MARK) {
            continue;
        }
        let mut waivers = Vec::new();
        for comment in &ast.comments {
            let body = &text[comment.span.clone()];
            let Some(at) = body.find(MARK) else { continue };
            let start = comment.span.start + at;
            let rest = &body[at + MARK.len()..];
            let Some(close) = rest.find(')') else {
                reports.push(invalid(*file, start..comment.span.end, "waiver is missing its `)`"));
                continue;
            };
            let mut codes = Vec::new();
            let mut bad = false;
            for name in rest[..close].split(',').map(str::trim) {
                match name.parse::<Code>() {
                    Ok(code) if code.is_security_rule() => codes.push(code),
                    Ok(code) => {
                        bad = true;
                        reports.push(invalid(
                            *file,
                            start..comment.span.end,
                            &format!("{code} is not a security rule and cannot be waived"),
                        ));
                    }
                    Err(()) => {
                        bad = true;
                        reports.push(invalid(
                            *file,
                            start..comment.span.end,
                            &format!("`{name}` is not a rule code"),
                        ));
                    }
                }
            }
            let reason = rest[close + 1..]
                .trim_start()
                .strip_prefix(':')
                .map(str::trim)
                .unwrap_or("")
                .trim_end_matches("*/")
                .trim();
            if reason.is_empty() {
                reports.push(invalid(
                    *file,
                    start..comment.span.end,
                    "waiver gives no reason: write `// cruddur-allow(CODE): why this is acceptable`",
                ));
                continue;
            }
            if bad || codes.is_empty() {
                continue;
            }
            let line_start = text[..comment.span.start].rfind('\n').map_or(0, |i| i + 1);
            let alone = text[line_start..comment.span.start].trim().is_empty();
            let scope = if alone {
                match next_member(&ast.members, comment.span.end) {
                    Some(member) => comment.span.start..member.span.end,
                    None => comment.span.clone(),
                }
            } else {
                let line_end = text[comment.span.end..]
                    .find('\n')
                    .map_or(text.len(), |i| comment.span.end + i);
                line_start..line_end
            };
            waivers.push(Waiver {
                codes,
                reason: reason.to_string(),
                scope,
                comment: comment.span.clone(),
                used: false,
            });
        }
        for diagnostic in out
            .iter_mut()
            .filter(|d| d.primary.file == *file && d.suppressed.is_none())
        {
            let span = &diagnostic.primary.span;
            if let Some(waiver) = waivers
                .iter_mut()
                .find(|w| w.codes.contains(&diagnostic.code) && w.scope.start <= span.start && span.end <= w.scope.end)
            {
                diagnostic.suppressed = Some(waiver.reason.clone());
                waiver.used = true;
            }
        }
        for waiver in waivers.iter().filter(|w| !w.used) {
            let codes: Vec<&str> = waiver.codes.iter().map(|c| c.as_str()).collect();
            reports.push(
                Diagnostic::new(
                    Code::UnusedWaiver,
                    format!("waiver for {} waives nothing", codes.join(", ")),
                    *file,
                    waiver.comment.clone(),
                    "nothing to waive here",
                )
                .with_help("remove it, or move it directly above the member it is for")
                .with_suggestion("remove the waiver", waiver.comment.clone(), ""),
            );
        }
    }
    out.extend(reports);
}

fn invalid(file: FileId, span: Span, message: &str) -> Diagnostic {
    Diagnostic::new(Code::InvalidWaiver, message.to_string(), file, span, "invalid waiver")
        .with_help("write `// cruddur-allow(CODE): reason` with the S code of the rule to waive, as reported; only security rules (S codes) can be waived")
}

/// The first member after `offset` in the block the comment is in (never one outside it).
fn next_member(members: &[Member], offset: usize) -> Option<&Member> {
    for member in members {
        if member.span.start >= offset {
            return Some(member);
        }
        if member.span.end > offset {
            // The comment is inside this member: look only among its own members.
            return member.body().and_then(|body| next_member(&body.members, offset));
        }
    }
    None
}

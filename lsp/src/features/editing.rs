//! Completion, hover, formatting and code actions, in LSP's terms.

use crate::convert;
use crate::features::diagnostics;
use crate::features::navigation::workspace_edit;
use crate::session::View;
use cruddur::diagnostics::{Applicability, Diagnostic, Edit};
use cruddur::ide::{self, CompletionKind};
use cruddur::syntax;
use tower_lsp_server::ls_types as lsp;

pub fn completion(view: &View, position: lsp::Position) -> Vec<lsp::CompletionItem> {
    let offset = view.offset(position);
    let source = view.sources.source(view.file);
    let mut found = ide::completions(&view.analysis, source, view.file, offset);
    // Names come from the analysis; when the file does not parse now, its last good analysis
    // knows the items the broken text hides.
    if let Some(stale) = view.stale {
        let more = ide::completions(&stale.analysis, source, view.file, offset);
        for candidate in more {
            if !found.iter().any(|c| c.label == candidate.label) {
                found.push(candidate);
            }
        }
    }
    found
        .into_iter()
        .enumerate()
        .map(|(rank, c)| lsp::CompletionItem {
            label: c.label.clone(),
            kind: Some(completion_kind(c.kind)),
            detail: Some(c.detail),
            documentation: (!c.documentation.is_empty()).then_some(lsp::Documentation::MarkupContent(
                lsp::MarkupContent {
                    kind: lsp::MarkupKind::Markdown,
                    value: c.documentation,
                },
            )),
            // The compiler's order (members before values, nearer names first) is kept.
            sort_text: Some(format!("{rank:05}")),
            filter_text: Some(c.label),
            insert_text_format: Some(if c.snippet {
                lsp::InsertTextFormat::SNIPPET
            } else {
                lsp::InsertTextFormat::PLAIN_TEXT
            }),
            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
                range: convert::range(view.sources, view.file, &c.replace),
                new_text: c.insert,
            })),
            ..Default::default()
        })
        .collect()
}

fn completion_kind(kind: CompletionKind) -> lsp::CompletionItemKind {
    match kind {
        CompletionKind::Keyword => lsp::CompletionItemKind::KEYWORD,
        CompletionKind::Member => lsp::CompletionItemKind::PROPERTY,
        CompletionKind::Setting => lsp::CompletionItemKind::FIELD,
        CompletionKind::Value => lsp::CompletionItemKind::ENUM_MEMBER,
        CompletionKind::Function => lsp::CompletionItemKind::FUNCTION,
        CompletionKind::Provider => lsp::CompletionItemKind::MODULE,
        CompletionKind::Item(_) => lsp::CompletionItemKind::REFERENCE,
        CompletionKind::Artifact => lsp::CompletionItemKind::FILE,
        CompletionKind::Field => lsp::CompletionItemKind::FIELD,
        CompletionKind::Variable => lsp::CompletionItemKind::VARIABLE,
        CompletionKind::IamAction => lsp::CompletionItemKind::VALUE,
    }
}

pub fn hover(view: &View, position: lsp::Position) -> Option<lsp::Hover> {
    let file = view.file;
    let (hover, _) = view.answer(position, |analysis, sources, offset| {
        Some((ide::hover(analysis, sources, file, offset)?, file))
    })?;
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: hover.markdown,
        }),
        range: Some(convert::range(view.sources, file, &hover.span)),
    })
}

/// The whole file in the canonical layout, as one edit of the lines that change; nothing for
/// a file that does not parse.
pub fn formatting(view: &View) -> Option<Vec<lsp::TextEdit>> {
    let source = view.sources.source(view.file);
    let formatted = cruddur::format::format(source).ok()?;
    Some(minimal_edit(source, &formatted).into_iter().collect())
}

/// The top-level items the range touches, each in the canonical layout.
pub fn range_formatting(view: &View, range: lsp::Range) -> Option<Vec<lsp::TextEdit>> {
    let source = view.sources.source(view.file);
    let (start, end) = (view.offset(range.start), view.offset(range.end));
    let parsed = syntax::parse(source, view.file);
    if parsed.diagnostics.iter().any(|d| d.is_error()) {
        return None;
    }
    let mut edits = Vec::new();
    for item in &parsed.file.members {
        if item.span.end < start || item.span.start > end {
            continue;
        }
        let text = &source[item.span.clone()];
        let formatted = cruddur::format::format(text).ok()?;
        let formatted = formatted.strip_suffix('\n').unwrap_or(&formatted);
        if formatted != text {
            edits.push(lsp::TextEdit {
                range: convert::range(view.sources, view.file, &item.span),
                new_text: formatted.to_string(),
            });
        }
    }
    Some(edits)
}

/// One edit replacing the lines between the common first and last lines of two texts.
fn minimal_edit(before: &str, after: &str) -> Option<lsp::TextEdit> {
    if before == after {
        return None;
    }
    let (common, suffix) = convert::common_ends(before, after);
    // Whole lines only: back to the start of the line where the texts part.
    let prefix = before[..common].rfind('\n').map_or(0, |at| at + 1);
    let (b, a) = (before.as_bytes(), after.as_bytes());
    let mut suffix = suffix.min(b.len().min(a.len()) - prefix);
    let line_start = |text: &[u8], at: usize| at == prefix || text[at - 1] == b'\n';
    while suffix > 0 && !(line_start(b, b.len() - suffix) && line_start(a, a.len() - suffix)) {
        suffix -= 1;
    }
    let (start, end) = (prefix, before.len() - suffix);
    Some(lsp::TextEdit {
        range: lsp::Range::new(
            convert::text_position(before, start),
            convert::text_position(before, end),
        ),
        new_text: after[prefix..after.len() - suffix].to_string(),
    })
}

/// The fixes of the findings the range touches, one action each; mechanical fixes are
/// preferred (an editor applies them with one keystroke). Then "fix all" for the file.
pub fn code_actions(view: &View, range: lsp::Range) -> Vec<lsp::CodeActionOrCommand> {
    let (start, end) = (view.offset(range.start), view.offset(range.end));
    let mut actions = Vec::new();
    let mut mechanical: Vec<&Edit> = Vec::new();
    for d in view.analysis.diagnostics.iter() {
        if d.primary.file != view.file || !d.is_active() {
            continue;
        }
        let Some(fix) = &d.fix else { continue };
        let preferred = fix.applicability == Applicability::Machine;
        if preferred {
            mechanical.extend(fix.edits.iter());
        }
        if d.primary.span.end < start || d.primary.span.start > end {
            continue;
        }
        actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title: fix.message.clone(),
            kind: Some(lsp::CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostics::to_lsp(view.session, d)]),
            edit: Some(workspace_edit(view.session, &fix.edits)),
            is_preferred: Some(preferred),
            ..Default::default()
        }));
    }
    actions.extend(missing_settings(view, start, end));
    if let Some(edits) = disjoint(mechanical) {
        actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title: "Fix all mechanical problems in the file".to_string(),
            kind: Some(lsp::CodeActionKind::SOURCE_FIX_ALL),
            edit: Some(workspace_edit(view.session, &edits)),
            ..Default::default()
        }));
    }
    actions
}

/// "Add the missing required settings": every slot one item or action lacks, in one action
/// (each is also offered alone, as its finding's fix).
fn missing_settings(view: &View, start: usize, end: usize) -> Option<lsp::CodeActionOrCommand> {
    let slots: Vec<&Diagnostic> = view
        .analysis
        .diagnostics
        .iter()
        .filter(|d| d.primary.file == view.file && d.is_active())
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Placeholder)
        })
        .collect();
    // The item or action at the range: the one whose name the findings point at.
    let at = slots
        .iter()
        .find(|d| d.primary.span.start <= end && start <= d.primary.span.end)?
        .primary
        .span
        .clone();
    let group: Vec<&Diagnostic> = slots.into_iter().filter(|d| d.primary.span == at).collect();
    if group.len() < 2 {
        return None;
    }
    let edits: Vec<Edit> = group
        .iter()
        .flat_map(|d| d.fix.iter().flat_map(|f| f.edits.clone()))
        .collect();
    Some(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title: "Add the missing required settings, to fill in".to_string(),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(group.iter().map(|d| diagnostics::to_lsp(view.session, d)).collect()),
        edit: Some(workspace_edit(view.session, &edits)),
        ..Default::default()
    }))
}

/// Edits that do not overlap (the first of two that do is kept), or none.
fn disjoint(mut edits: Vec<&Edit>) -> Option<Vec<Edit>> {
    edits.sort_by_key(|e| (e.file, e.span.start, e.span.end));
    let mut out: Vec<Edit> = Vec::new();
    for edit in edits {
        let overlaps = out
            .last()
            .is_some_and(|last| last.file == edit.file && last.span.end > edit.span.start);
        if !overlaps && !out.contains(edit) {
            out.push(edit.clone());
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(before: &str, edit: &lsp::TextEdit) -> String {
        let start = convert::text_offset(before, edit.range.start);
        let end = convert::text_offset(before, edit.range.end);
        format!("{}{}{}", &before[..start], edit.new_text, &before[end..])
    }

    #[test]
    fn a_minimal_edit_changes_only_the_lines_that_differ() {
        for (before, after) in [
            ("a\nb\nc\n", "a\nB\nc\n"),
            ("a\nb\nc\n", "a\nc\n"),
            ("a\nc\n", "a\nb\nc\n"),
            ("x", "x\n"),
            ("a\nb", "a\nb\n"),
            ("", "a\n"),
            ("a\na\n", "a\n"),
        ] {
            let edit = minimal_edit(before, after).unwrap();
            assert_eq!(apply(before, &edit), after, "{before:?} -> {after:?}: {edit:?}");
        }
        let edit = minimal_edit("a\nb\nc\n", "a\nB\nc\n").unwrap();
        assert_eq!(edit.range.start, lsp::Position::new(1, 0));
        assert_eq!(edit.range.end, lsp::Position::new(2, 0));
        assert!(minimal_edit("same", "same").is_none());
    }
}

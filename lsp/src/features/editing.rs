//! Completion, hover, formatting and code actions, in LSP's terms.

use crate::convert;
use crate::features::diagnostics;
use crate::features::navigation::workspace_edit;
use crate::session::View;
use cruddur::ide::{self, ActionKind, CompletionKind};
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

/// The fixes of the findings the range touches (`ide::code_actions`), in LSP's terms.
pub fn code_actions(view: &View, range: lsp::Range) -> Vec<lsp::CodeActionOrCommand> {
    let (start, end) = (view.offset(range.start), view.offset(range.end));
    ide::code_actions(&view.analysis, view.file, start, end)
        .into_iter()
        .map(|action| {
            let fixes: Vec<lsp::Diagnostic> = action
                .fixes
                .iter()
                .map(|&index| diagnostics::to_lsp(view.session, &view.analysis.diagnostics[index]))
                .collect();
            lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: action.title,
                kind: Some(match action.kind {
                    ActionKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
                    ActionKind::FixAll => lsp::CodeActionKind::SOURCE_FIX_ALL,
                }),
                diagnostics: (!fixes.is_empty()).then_some(fixes),
                edit: Some(workspace_edit(view.session, &action.edits)),
                is_preferred: (action.kind == ActionKind::QuickFix).then_some(action.preferred),
                ..Default::default()
            })
        })
        .collect()
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

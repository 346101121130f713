//! Folding ranges, semantic tokens, inlay hints and signature help, in LSP's terms.

use crate::convert;
use crate::session::View;
use cruddur::ide::{self, FoldKind};
use tower_lsp_server::ls_types as lsp;

pub fn folding_ranges(view: &View) -> Vec<lsp::FoldingRange> {
    let (analysis, sources, moved) = view.whole_file();
    let Some(ast) = analysis.ast(view.file) else {
        return Vec::new();
    };
    let mut out: Vec<lsp::FoldingRange> = Vec::new();
    for fold in ide::folding_ranges(sources.source(view.file), ast) {
        let (Some(start), Some(end)) = (
            moved.to_new(view.file, fold.span.start),
            moved.to_new(view.file, fold.span.end),
        ) else {
            continue;
        };
        let start = convert::position(view.sources, view.file, start).line;
        let mut end = convert::position(view.sources, view.file, end).line;
        // A block's closing brace stays in sight.
        if fold.kind == FoldKind::Region {
            end = end.saturating_sub(1);
        }
        if end <= start || out.iter().any(|f| f.start_line == start) {
            continue;
        }
        out.push(lsp::FoldingRange {
            start_line: start,
            end_line: end,
            kind: Some(match fold.kind {
                FoldKind::Region => lsp::FoldingRangeKind::Region,
                FoldKind::Comment => lsp::FoldingRangeKind::Comment,
            }),
            ..Default::default()
        });
    }
    out
}

pub fn legend() -> lsp::SemanticTokensLegend {
    lsp::SemanticTokensLegend {
        token_types: ide::highlight::TOKEN_TYPES
            .iter()
            .map(|t| lsp::SemanticTokenType::new(t))
            .collect(),
        token_modifiers: ide::highlight::TOKEN_MODIFIERS
            .iter()
            .map(|m| lsp::SemanticTokenModifier::new(m))
            .collect(),
    }
}

/// The file's tokens (`ide::highlights`, from the last good analysis moved to the text now).
pub fn semantic_tokens(view: &View) -> lsp::SemanticTokens {
    let (analysis, _, moved) = view.whole_file();
    let tokens = ide::highlights(analysis, view.file)
        .into_iter()
        .filter_map(|mut token| {
            token.span = moved.to_new(view.file, token.span.start)?..moved.to_new(view.file, token.span.end)?;
            Some(token)
        });
    let data = ide::highlight::encode(view.sources, view.file, tokens)
        .chunks_exact(5)
        .map(|t| lsp::SemanticToken {
            delta_line: t[0],
            delta_start: t[1],
            length: t[2],
            token_type: t[3],
            token_modifiers_bitset: t[4],
        })
        .collect();
    lsp::SemanticTokens { result_id: None, data }
}

/// The hints in `range` (all of the file's when the file does not parse, from its last good
/// analysis).
pub fn inlay_hints(view: &View, range: lsp::Range) -> Vec<lsp::InlayHint> {
    let (analysis, _, moved) = view.whole_file();
    let (start, end) = (view.offset(range.start), view.offset(range.end));
    ide::inlay_hints(analysis, view.file)
        .into_iter()
        .filter_map(|hint| {
            let offset = moved.to_new(view.file, hint.offset)?;
            (start..=end).contains(&offset).then(|| lsp::InlayHint {
                position: convert::position(view.sources, view.file, offset),
                label: lsp::InlayHintLabel::String(hint.label),
                kind: Some(lsp::InlayHintKind::TYPE),
                text_edits: None,
                tooltip: Some(lsp::InlayHintTooltip::String(hint.tooltip)),
                padding_left: None,
                padding_right: None,
                data: None,
            })
        })
        .collect()
}

pub fn signature_help(view: &View, position: lsp::Position) -> Option<lsp::SignatureHelp> {
    let source = view.sources.source(view.file);
    let signature = ide::signature_help(source, view.file, view.offset(position))?;
    let utf16 = |at: usize| signature.label[..at].chars().map(char::len_utf16).sum::<usize>() as u32;
    let parameters = signature
        .params
        .iter()
        .map(|span| lsp::ParameterInformation {
            label: lsp::ParameterLabel::LabelOffsets([utf16(span.start), utf16(span.end)]),
            documentation: None,
        })
        .collect();
    Some(lsp::SignatureHelp {
        signatures: vec![lsp::SignatureInformation {
            label: signature.label.clone(),
            documentation: Some(lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: signature.doc,
            })),
            parameters: Some(parameters),
            active_parameter: signature.active.map(|a| a as u32),
        }],
        active_signature: Some(0),
        active_parameter: signature.active.map(|a| a as u32),
    })
}

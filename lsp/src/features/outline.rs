//! Folding ranges, semantic tokens, inlay hints and signature help, in LSP's terms.

use crate::convert;
use crate::session::View;
use cruddur::ide::{self, FoldKind, Highlight};
use cruddur::vocabulary::Kind;
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

/// The token types the server uses, in the legend's order.
pub const TOKEN_TYPES: &[lsp::SemanticTokenType] = &[
    lsp::SemanticTokenType::KEYWORD,
    lsp::SemanticTokenType::PROPERTY,
    lsp::SemanticTokenType::PARAMETER,
    lsp::SemanticTokenType::VARIABLE,
    lsp::SemanticTokenType::CLASS,
    lsp::SemanticTokenType::NAMESPACE,
    lsp::SemanticTokenType::FUNCTION,
    lsp::SemanticTokenType::METHOD,
    lsp::SemanticTokenType::STRUCT,
    lsp::SemanticTokenType::ENUM_MEMBER,
    lsp::SemanticTokenType::MACRO,
    lsp::SemanticTokenType::COMMENT,
];

pub const TOKEN_MODIFIERS: &[lsp::SemanticTokenModifier] = &[
    lsp::SemanticTokenModifier::DECLARATION,
    lsp::SemanticTokenModifier::DEFAULT_LIBRARY,
];

pub fn legend() -> lsp::SemanticTokensLegend {
    lsp::SemanticTokensLegend {
        token_types: TOKEN_TYPES.to_vec(),
        token_modifiers: TOKEN_MODIFIERS.to_vec(),
    }
}

fn token_type(highlight: Highlight) -> (lsp::SemanticTokenType, bool) {
    use lsp::SemanticTokenType as T;
    match highlight {
        Highlight::Keyword => (T::KEYWORD, false),
        Highlight::Member => (T::PROPERTY, false),
        Highlight::Item(Kind::Param) => (T::PARAMETER, false),
        Highlight::Item(Kind::Let) => (T::VARIABLE, false),
        Highlight::Item(_) => (T::CLASS, false),
        Highlight::Stage => (T::NAMESPACE, false),
        Highlight::Action => (T::FUNCTION, false),
        Highlight::Phase => (T::METHOD, false),
        Highlight::Artifact => (T::STRUCT, false),
        Highlight::EnumValue => (T::ENUM_MEMBER, true),
        Highlight::Function => (T::FUNCTION, true),
        Highlight::Provider => (T::MACRO, true),
        Highlight::Field => (T::PROPERTY, true),
        Highlight::Comment => (T::COMMENT, false),
    }
}

/// The file's tokens, line by line (a token on several lines is cut at line ends).
pub fn semantic_tokens(view: &View) -> lsp::SemanticTokens {
    let (analysis, _, moved) = view.whole_file();
    let text = view.sources.source(view.file);
    let mut data = Vec::new();
    let mut last = lsp::Position::new(0, 0);
    for token in ide::highlights(analysis, view.file) {
        let (Some(start), Some(end)) = (
            moved.to_new(view.file, token.span.start),
            moved.to_new(view.file, token.span.end),
        ) else {
            continue;
        };
        let (ty, library) = token_type(token.highlight);
        let ty = TOKEN_TYPES.iter().position(|t| *t == ty).unwrap_or(0) as u32;
        let modifiers = u32::from(token.definition) | (u32::from(library) << 1);
        let mut from = start;
        while from < end {
            let line_end = text[from..end].find('\n').map_or(end, |at| from + at);
            let piece = text[from..line_end].trim_end_matches('\r');
            if !piece.is_empty() {
                let at = convert::position(view.sources, view.file, from);
                let length = piece.chars().map(char::len_utf16).sum::<usize>() as u32;
                data.push(lsp::SemanticToken {
                    delta_line: at.line - last.line,
                    delta_start: if at.line == last.line {
                        at.character - last.character
                    } else {
                        at.character
                    },
                    length,
                    token_type: ty,
                    token_modifiers_bitset: modifiers,
                });
                last = at;
            }
            from = line_end + 1;
        }
    }
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

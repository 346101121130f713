//! Go to definition, references, rename and symbols, in LSP's terms.

use crate::convert;
use crate::session::{Session, View};
use cruddur::diagnostics::{Edit, FileId};
use cruddur::ide::{self, Symbol, SymbolKind as Kind};
use cruddur::resolve::model::Loc;
use cruddur::vocabulary;
use std::collections::HashMap;
use tower_lsp_server::ls_types::{self as lsp, Uri};

fn location(view: &View, loc: &Loc) -> Option<lsp::Location> {
    Some(lsp::Location {
        uri: view.session.uri(loc.file)?,
        range: convert::range(view.sources, loc.file, &loc.span),
    })
}

pub fn definition(view: &View, position: lsp::Position) -> Option<lsp::GotoDefinitionResponse> {
    let file = view.file;
    let loc = view.answer(position, |analysis, sources, offset| {
        ide::definition(analysis, sources, file, offset)
    })?;
    Some(lsp::GotoDefinitionResponse::Scalar(location(view, &loc)?))
}

pub fn references(view: &View, position: lsp::Position, include_declaration: bool) -> Vec<lsp::Location> {
    let file = view.file;
    view.answer(position, |analysis, sources, offset| {
        let found = ide::references(analysis, sources, file, offset, include_declaration);
        (!found.is_empty()).then_some(found)
    })
    .unwrap_or_default()
    .iter()
    .filter_map(|loc| location(view, loc))
    .collect()
}

/// The name under the cursor and its range, or why it cannot be renamed. Renaming works on
/// the current text only: a file that does not parse is not renamed from an older analysis.
pub fn prepare_rename(view: &View, position: lsp::Position) -> Result<lsp::PrepareRenameResponse, String> {
    let offset = view.offset(position);
    let (loc, name) = ide::prepare_rename(&view.analysis, view.sources, view.file, offset)?;
    Ok(lsp::PrepareRenameResponse::RangeWithPlaceholder {
        range: convert::range(view.sources, loc.file, &loc.span),
        placeholder: name,
    })
}

pub fn rename(view: &View, position: lsp::Position, new_name: &str) -> Result<lsp::WorkspaceEdit, String> {
    if !view.parses() {
        return Err("the file has syntax errors: fix them before renaming".to_string());
    }
    let offset = view.offset(position);
    let edits = ide::rename(&view.analysis, view.sources, view.file, offset, new_name)?;
    Ok(workspace_edit(view.session, &edits))
}

/// Edits of the compiler's, by file, in LSP's terms.
pub fn workspace_edit(session: &Session, edits: &[Edit]) -> lsp::WorkspaceEdit {
    let sources = session.workspace().sources();
    let mut changes: HashMap<Uri, Vec<lsp::TextEdit>> = HashMap::new();
    for edit in edits {
        let Some(uri) = session.uri(edit.file) else { continue };
        changes.entry(uri).or_default().push(lsp::TextEdit {
            range: convert::range(sources, edit.file, &edit.span),
            new_text: edit.replacement.clone(),
        });
    }
    lsp::WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }
}

/// The outline of a file: items, a pipeline's stages and actions, a project's phases.
pub fn document_symbols(view: &View) -> Vec<lsp::DocumentSymbol> {
    let (analysis, _, moved) = view.whole_file();
    let Some(ast) = analysis.ast(view.file) else {
        return Vec::new();
    };
    let file = view.file;
    let to_new = |offset| moved.to_new(file, offset);
    ide::document_symbols(ast)
        .into_iter()
        .filter_map(|symbol| document_symbol(view, file, symbol, &to_new))
        .collect()
}

#[allow(deprecated)] // `deprecated` must be written, as `None`.
fn document_symbol(
    view: &View,
    file: FileId,
    symbol: Symbol,
    to_new: &dyn Fn(usize) -> Option<usize>,
) -> Option<lsp::DocumentSymbol> {
    let span = to_new(symbol.span.start)?..to_new(symbol.span.end)?;
    let selection = to_new(symbol.selection.start)?..to_new(symbol.selection.end)?;
    let children: Vec<lsp::DocumentSymbol> = symbol
        .children
        .into_iter()
        .filter_map(|child| document_symbol(view, file, child, to_new))
        .collect();
    Some(lsp::DocumentSymbol {
        name: symbol.name,
        detail: Some(symbol.detail),
        kind: symbol_kind(&symbol.kind),
        tags: None,
        deprecated: None,
        range: convert::range(view.sources, file, &span),
        selection_range: convert::range(view.sources, file, &selection),
        children: (!children.is_empty()).then_some(children),
    })
}

pub fn symbol_kind(kind: &Kind) -> lsp::SymbolKind {
    match kind {
        Kind::Settings => lsp::SymbolKind::NAMESPACE,
        Kind::Item(kind) => match kind {
            vocabulary::Kind::Param => lsp::SymbolKind::CONSTANT,
            vocabulary::Kind::Let => lsp::SymbolKind::VARIABLE,
            vocabulary::Kind::Connection => lsp::SymbolKind::INTERFACE,
            vocabulary::Kind::Repository => lsp::SymbolKind::PACKAGE,
            vocabulary::Kind::Service => lsp::SymbolKind::OBJECT,
            vocabulary::Kind::Role => lsp::SymbolKind::KEY,
            vocabulary::Kind::Project => lsp::SymbolKind::CLASS,
            vocabulary::Kind::Pipeline => lsp::SymbolKind::MODULE,
            vocabulary::Kind::StageTemplate => lsp::SymbolKind::NAMESPACE,
        },
        Kind::Stage => lsp::SymbolKind::NAMESPACE,
        Kind::Action => lsp::SymbolKind::FUNCTION,
        Kind::Phase => lsp::SymbolKind::METHOD,
        Kind::Artifact => lsp::SymbolKind::FILE,
        Kind::Report => lsp::SymbolKind::STRUCT,
    }
}

/// Symbols of every file whose name holds the query's letters in order (ignoring case), with
/// the name of what holds them: `deploy` in `backend › Deploy`.
#[allow(deprecated)]
pub fn workspace_symbols(session: &mut Session, query: &str) -> Vec<lsp::SymbolInformation> {
    let query = query.to_lowercase();
    let mut out = Vec::new();
    for (file, analysis) in session.all_files() {
        let Some(ast) = analysis.ast(file) else { continue };
        let Some(uri) = session.uri(file) else { continue };
        let sources = session.workspace().sources();
        let mut stack: Vec<(Symbol, Option<String>)> = ide::document_symbols(ast)
            .into_iter()
            .rev()
            .map(|s| (s, None))
            .collect();
        while let Some((mut symbol, container)) = stack.pop() {
            let children = std::mem::take(&mut symbol.children);
            let path = match &container {
                Some(outer) => format!("{outer} › {}", symbol.name),
                None => symbol.name.clone(),
            };
            stack.extend(children.into_iter().rev().map(|c| (c, Some(path.clone()))));
            if !matches_fuzzy(&symbol.name.to_lowercase(), &query) {
                continue;
            }
            out.push(lsp::SymbolInformation {
                name: symbol.name.clone(),
                kind: symbol_kind(&symbol.kind),
                tags: None,
                deprecated: None,
                location: lsp::Location {
                    uri: uri.clone(),
                    range: convert::range(sources, file, &symbol.selection),
                },
                container_name: container,
            });
        }
    }
    out
}

fn matches_fuzzy(name: &str, query: &str) -> bool {
    let mut letters = name.chars();
    query.chars().all(|q| letters.any(|c| c == q))
}

//! Document symbols: a file's outline. Items, with a pipeline's stages and their actions and a
//! project's phases, artifacts and reports nested below them.

use crate::diagnostics::Span;
use crate::resolve::symbols::declared_name;
use crate::syntax::ast::{self, MemberKind};
use crate::vocabulary::{self, Kind};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    /// `aws { … }`.
    Settings,
    Item(Kind),
    Stage,
    Action,
    Phase,
    Artifact,
    Report,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    /// What it is, in words: "project", "stage", "action: codebuild".
    pub detail: String,
    pub kind: SymbolKind,
    /// The whole member.
    pub span: Span,
    /// Its name.
    pub selection: Span,
    pub children: Vec<Symbol>,
}

pub fn document_symbols(ast: &ast::File) -> Vec<Symbol> {
    ast.members.iter().filter_map(item).collect()
}

fn item(member: &ast::Member) -> Option<Symbol> {
    let spec = vocabulary::item(&member.name.name)?;
    let Some(kind) = spec.kind else {
        return Some(Symbol {
            name: spec.keyword.to_string(),
            detail: spec.keyword.to_string(),
            kind: SymbolKind::Settings,
            span: member.span.clone(),
            selection: member.name.span.clone(),
            children: Vec::new(),
        });
    };
    let label = declared_name(member)?;
    let children = match (kind, member.body()) {
        (Kind::Pipeline, Some(body)) => labelled(body, "stage", SymbolKind::Stage, |stage| {
            stage
                .body()
                .map(|b| labelled(b, "action", SymbolKind::Action, |_| Vec::new()))
                .unwrap_or_default()
        }),
        (Kind::Project, Some(body)) => {
            let mut children = labelled(body, "phase", SymbolKind::Phase, |_| Vec::new());
            children.extend(labelled(body, "artifact", SymbolKind::Artifact, |_| Vec::new()));
            children.extend(labelled(body, "report", SymbolKind::Report, |_| Vec::new()));
            children.sort_by_key(|s| s.span.start);
            children
        }
        _ => Vec::new(),
    };
    Some(Symbol {
        name: label.name.as_str().to_owned(),
        detail: spec.keyword.to_string(),
        kind: SymbolKind::Item(kind),
        span: member.span.clone(),
        selection: label.span.clone(),
        children,
    })
}

/// The members of `body` named `keyword` that have a label.
fn labelled(
    body: &ast::Body,
    keyword: &str,
    kind: SymbolKind,
    children: impl Fn(&ast::Member) -> Vec<Symbol>,
) -> Vec<Symbol> {
    body.members
        .iter()
        .filter(|m| m.name.name == keyword)
        .filter_map(|m| {
            let label = m.label()?;
            let detail = match &m.kind {
                MemberKind::Block { value: Some(value), .. } => match crate::analysis::query::action_provider(value) {
                    Some(provider) => format!("{keyword}: {}", provider.name),
                    None => keyword.to_string(),
                },
                _ => keyword.to_string(),
            };
            Some(Symbol {
                name: label.name.as_str().to_owned(),
                detail,
                kind: kind.clone(),
                span: m.span.clone(),
                selection: label.span.clone(),
                children: children(m),
            })
        })
        .collect()
}

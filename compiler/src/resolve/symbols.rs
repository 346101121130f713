//! The names of a program: every named item of every file, collected before anything is
//! lowered so references resolve in any order and across files.

use super::model::{ItemId, Kind, Loc};
use crate::diagnostics::{Code, Diagnostic, FileId};
use crate::syntax::ast::{self, MemberKind};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

pub struct Symbol {
    pub id: ItemId,
    pub loc: Loc,
    /// The item's AWS name when written as plain text (`name = "backend-flask"`): a quoted
    /// reference that gives it instead of the item's name can be pointed at the item.
    pub aws_name: Option<String>,
}

fn aws_name(member: &ast::Member) -> Option<String> {
    let MemberKind::Block { body: Some(body), .. } = &member.kind else {
        return None;
    };
    body.members
        .iter()
        .find(|m| m.name.name == "name")
        .and_then(|m| match &m.kind {
            MemberKind::Property(ast::Expr {
                kind: ast::ExprKind::Str(lit),
                ..
            }) => lit.as_plain(),
            _ => None,
        })
}

#[derive(Default)]
pub struct Symbols {
    pub by_name: HashMap<String, Symbol>,
    /// Per kind, the items in source order: (file, member).
    pub items: HashMap<Kind, Vec<(FileId, usize)>>,
    /// `aws { }` blocks: (file, member index).
    pub aws: Vec<(FileId, usize)>,
    /// Items whose name was taken already (reported): per kind, (file, member). They are still
    /// checked, so their own mistakes are not hidden behind the duplicate name.
    pub duplicates: HashMap<Kind, Vec<(FileId, usize)>>,
    /// The names and kinds of those: a reference that wants one of them is not reported again.
    pub duplicate_kinds: HashSet<(String, Kind)>,
}

impl Symbols {
    pub fn collect(
        files: &[(FileId, Arc<ast::File>)],
        out: &mut Vec<Diagnostic>,
        unresolved: &mut Vec<Loc>,
    ) -> Symbols {
        let mut symbols = Symbols::default();
        for (file, ast) in files {
            for (member_index, member) in ast.members.iter().enumerate() {
                if member.name.name == "aws" {
                    if let Some(&(first_file, first)) = symbols.aws.first() {
                        let first_span = files
                            .iter()
                            .find(|(f, _)| *f == first_file)
                            .map(|(_, a)| a.members[first].name.span.clone())
                            .unwrap_or_default();
                        unresolved.push(Loc {
                            file: *file,
                            span: member.name.span.clone(),
                        });
                        out.push(
                            Diagnostic::new(
                                Code::DuplicateItem,
                                "a program has one `aws` block",
                                *file,
                                member.name.span.clone(),
                                "second `aws` block",
                            )
                            .with_secondary(first_file, first_span, "first `aws` block"),
                        );
                    } else {
                        symbols.aws.push((*file, member_index));
                    }
                    continue;
                }
                let Some(kind) = Kind::from_keyword(&member.name.name) else {
                    continue;
                };
                let Some(label) = declared_name(member) else { continue };
                let list = symbols.items.entry(kind).or_default();
                let id = ItemId {
                    kind,
                    index: list.len(),
                };
                let loc = Loc {
                    file: *file,
                    span: label.span.clone(),
                };
                if let Some(first) = symbols.by_name.get(label.name.as_str()) {
                    unresolved.push(loc.clone());
                    out.push(
                        Diagnostic::new(
                            Code::DuplicateItem,
                            format!("`{}` is defined twice", label.name),
                            *file,
                            label.span.clone(),
                            format!("second definition, as {}", kind.article()),
                        )
                        .with_secondary(
                            first.loc.file,
                            first.loc.span.clone(),
                            format!("first defined here, as {}", first.id.kind.article()),
                        )
                        .with_help("item names are shared by all kinds of items in a program; rename one of them"),
                    );
                    symbols.duplicates.entry(kind).or_default().push((*file, member_index));
                    symbols.duplicate_kinds.insert((label.name.as_str().to_owned(), kind));
                    continue;
                }
                list.push((*file, member_index));
                symbols.by_name.insert(
                    label.name.as_str().to_owned(),
                    Symbol {
                        id,
                        loc,
                        aws_name: aws_name(member),
                    },
                );
            }
        }
        symbols
    }

    pub fn get(&self, name: &str) -> Option<&Symbol> {
        self.by_name.get(name)
    }

    /// Names of the given kind (or all, with `None`), for "did you mean".
    pub fn names_of(&self, kind: Option<Kind>) -> impl Iterator<Item = &str> {
        self.by_name
            .iter()
            .filter(move |(_, s)| kind.is_none_or(|k| s.id.kind == k))
            .map(|(name, _)| name.as_str())
    }

    pub fn suggest(&self, name: &str, kind: Option<Kind>) -> Option<String> {
        let mut names: Vec<&str> = self.names_of(kind).collect();
        names.sort();
        crate::diagnostics::did_you_mean(name, names).map(str::to_string)
    }
}

/// The label of `KIND NAME …`, or of `param NAME` written as a statement.
pub fn declared_name(member: &ast::Member) -> Option<&ast::Ident> {
    match &member.kind {
        MemberKind::Block { label: Some(label), .. } => Some(label),
        MemberKind::Statement(args) if args.len() == 1 => match &args[0].kind {
            ast::ExprKind::Name(ident) => Some(ident),
            _ => None,
        },
        _ => None,
    }
}

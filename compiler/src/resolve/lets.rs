//! `let` values, expanded once each, every `let` after those it names, without recursion: a
//! chain of fifty thousand `let`s costs fifty thousand expansions and no deeper stack than
//! one. Cycles are found on the way: each tangle of `let`s that refer to one another is reported
//! (a walk meets every such tangle by a reference back into its own path), each cycle found
//! once, at the `let` written first; `let`s caught in a tangle through another's cycle resolve
//! to nothing, quietly, and resolve once that cycle is broken.

use super::model::Piece;
use super::values::Reader;
use crate::diagnostics::{Code, Diagnostic, FileId};
use crate::syntax::ast::Name;
use crate::syntax::ast::{Expr, ExprKind, Ident, StrPart};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// A reference from one `let`'s value to another `let`: its name and where it is written.
#[derive(Clone, Copy)]
struct Edge<'e> {
    target: &'e str,
    file: FileId,
    ident: &'e Ident,
}

/// The `let`s a value names where its text would expand them: a bare name, or an
/// interpolation of one name (`item.field` of a `let` is an error reported elsewhere).
fn edges<'e>(file: FileId, expr: &'e Expr, lets: &HashMap<Name, (FileId, &Expr)>) -> Vec<Edge<'e>> {
    let names: Vec<&Ident> = match &expr.kind {
        ExprKind::Name(ident) => vec![ident],
        ExprKind::Str(lit) => lit
            .parts
            .iter()
            .filter_map(|part| match part {
                StrPart::Interp(interp) if interp.path.len() == 1 => interp.path.first(),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    names
        .into_iter()
        // `aws.field` is read before any `let` of that name (`Reader::path`).
        .filter(|ident| ident.name != "aws" && lets.contains_key(ident.name.as_str()))
        .map(|ident| Edge {
            target: &ident.name,
            file,
            ident,
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Visit {
    /// On the walk's path, at this depth.
    Open(usize),
    Done,
}

impl Reader<'_> {
    /// Expands every `let` into `let_values`, the ones a value names first, and reports each
    /// cycle (E0205). Diagnostics inside values are left to each `let`'s own check.
    pub fn expand_lets(&mut self) {
        let lets = self.lets;
        let mut names: Vec<(&Name, FileId, &Expr)> = lets.iter().map(|(n, &(f, e))| (n, f, e)).collect();
        // Written order, so what is found first, and reported, does not depend on hashing.
        names.sort_by_key(|&(_, file, expr)| (file, expr.span.start));
        let mut visit: HashMap<&str, Visit> = HashMap::default();
        let mut order: Vec<&str> = Vec::new();
        let mut cyclic: HashSet<&str> = HashSet::default();
        let mut reported: HashSet<&str> = HashSet::default();
        for &(root, file, expr) in &names {
            if visit.contains_key(root.as_str()) {
                continue;
            }
            // The walk's path: each `let`, the reference it was reached by, its edges and the
            // next edge to follow.
            let mut path: Vec<(&str, Option<Edge>, Vec<Edge>, usize)> = vec![(root, None, edges(file, expr, lets), 0)];
            visit.insert(root, Visit::Open(0));
            while let Some((name, _, out, next)) = path.last_mut() {
                let Some(edge) = out.get(*next) else {
                    visit.insert(name, Visit::Done);
                    order.push(name);
                    path.pop();
                    continue;
                };
                *next += 1;
                let target = edge.target;
                match visit.get(target).copied() {
                    Some(Visit::Done) => {}
                    Some(Visit::Open(depth)) => {
                        let edge = *edge;
                        self.cycle(&path[depth..], edge, &mut cyclic, &mut reported);
                    }
                    None => {
                        let edge = *edge;
                        let (target_file, target_expr) = lets[target];
                        visit.insert(target, Visit::Open(path.len()));
                        path.push((target, Some(edge), edges(target_file, target_expr, lets), 0));
                    }
                }
            }
        }
        // Each value once, after the values it names: each expansion finds those already made.
        for name in order {
            let value = if cyclic.contains(&name) {
                None
            } else {
                let (file, expr) = lets[name];
                let saved = std::mem::replace(&mut self.file, file);
                self.quiet += 1;
                let text = self.text(expr);
                self.quiet -= 1;
                self.file = saved;
                text.map(|t| t.pieces)
            };
            self.let_values.insert(name.to_string(), value);
        }
    }

    /// Reports the cycle the walk closed: `path` from the `let` it returned to, and the
    /// reference that closed it. It is told from the `let` written first, at the reference
    /// that leads back to it, once per such `let`.
    fn cycle<'e>(
        &mut self,
        path: &[(&'e str, Option<Edge<'e>>, Vec<Edge<'e>>, usize)],
        closing: Edge<'e>,
        cyclic: &mut HashSet<&'e str>,
        reported: &mut HashSet<&'e str>,
    ) {
        let members: Vec<&str> = path.iter().map(|(name, ..)| *name).collect();
        cyclic.extend(members.iter().copied());
        let first = (0..members.len())
            .min_by_key(|&i| {
                let (file, expr) = self.lets[members[i]];
                (file, expr.span.start)
            })
            .unwrap_or(0);
        let name = members[first];
        if !reported.insert(name) {
            return;
        }
        // The reference into the first-written `let`: from the one before it on the cycle.
        let into = if first == 0 {
            &closing
        } else {
            path[first].1.as_ref().unwrap_or(&closing)
        };
        let mut around: Vec<String> = members[first..]
            .iter()
            .chain(&members[..first])
            .map(|m| m.to_string())
            .collect();
        // A long cycle is told by its ends.
        if around.len() > 12 {
            let hidden = around.len() - 9;
            around.splice(5..around.len() - 4, [format!("… {hidden} more …")]);
        }
        around.push(name.to_string());
        self.gaps.unresolved.push(super::model::Loc {
            file: into.file,
            span: into.ident.span.clone(),
        });
        self.out.push(
            Diagnostic::new(
                Code::LetCycle,
                format!("`let {name}` refers to itself: {}", around.join(" → ")),
                into.file,
                into.ident.span.clone(),
                "cycle closes here",
            )
            .with_help("a `let` must not depend on itself, directly or through other `let`s"),
        );
    }

    /// A `let`'s value, as `expand_lets` made it.
    pub(super) fn expand_let(&mut self, ident: &Ident) -> Option<Vec<Piece>> {
        self.let_values.get(ident.name.as_str()).cloned().flatten()
    }
}

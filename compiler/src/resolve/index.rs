//! Where each name of a program is defined and every place it is referred to, as lowering
//! resolved them: what go-to-definition, find-references and rename are answered from.

use super::model::{At, ItemId, Loc};
use crate::diagnostics::FileId;
use crate::syntax::ast::Name;

/// What a reference refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Item(ItemId),
    /// `${{ aws.account }}`, `${{ aws.region }}`.
    Aws,
}

/// A name as written where it is used: `backend_flask` in `pushes = [backend_flask]`, or in
/// `${{ backend_flask.uri }}` (with its field).
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    pub name: Name,
    /// The name's span.
    pub loc: Loc,
    /// `None` when no item has the name (reported).
    pub target: Option<Target>,
    /// `.uri` in `${{ backend_flask.uri }}`.
    pub field: Option<At<Name>>,
}

/// A named item where it is defined.
#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    pub name: String,
    pub id: ItemId,
    /// The name's span (its label).
    pub loc: Loc,
    /// A second definition of a name taken already (reported); references go to the first.
    pub duplicate: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Index {
    /// In source order (by file, then position).
    pub definitions: Vec<Definition>,
    /// In source order (by file, then position).
    pub references: Vec<Reference>,
}

impl Index {
    pub(crate) fn finish(&mut self) {
        self.definitions
            .sort_by_key(|d| (d.loc.file, d.loc.span.start, d.duplicate));
        self.references.sort_by_key(|r| (r.loc.file, r.loc.span.start));
        self.references.dedup_by(|a, b| a.loc == b.loc);
    }

    /// The first definition of an item.
    pub fn definition(&self, id: ItemId) -> Option<&Definition> {
        self.definitions.iter().find(|d| d.id == id && !d.duplicate)
    }

    /// The definition whose name is at `offset`.
    pub fn definition_at(&self, file: FileId, offset: usize) -> Option<&Definition> {
        self.definitions
            .iter()
            .find(|d| d.loc.file == file && contains(&d.loc, offset))
    }

    /// The reference whose name or field is at `offset`.
    pub fn reference_at(&self, file: FileId, offset: usize) -> Option<&Reference> {
        let end = self
            .references
            .partition_point(|r| (r.loc.file, r.loc.span.start) <= (file, offset));
        self.references[..end]
            .iter()
            .rev()
            .take_while(|r| r.loc.file == file)
            .find(|r| contains(&r.loc, offset) || r.field.as_ref().is_some_and(|f| contains(&f.loc, offset)))
    }

    /// Every reference to `target`, in source order.
    pub fn references_to(&self, target: Target) -> impl Iterator<Item = &Reference> {
        self.references.iter().filter(move |r| r.target == Some(target))
    }
}

/// Whether `offset` is in `loc`'s span, its end included (a cursor right after a name is on it).
fn contains(loc: &Loc, offset: usize) -> bool {
    loc.span.start <= offset && offset <= loc.span.end
}

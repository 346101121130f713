//! Names and values: the syntax trees of one program become a [`model::Program`], with every
//! reference resolved and every value typed.

pub mod artifacts;
pub mod buildspec_file;
pub mod containers;
pub mod index;
mod lets;
pub mod lower;
pub mod model;
pub mod needs;
pub mod render;
pub mod structure;
pub mod symbols;
pub mod templates;
pub mod values;

use crate::diagnostics::{Diagnostic, FileId, SourceMap};
use crate::syntax::ast;
use model::Loc;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What did not make it into the model, as typed facts: checks whose findings would only echo
/// a problem already reported ask these, never the diagnostics.
#[derive(Clone, Debug, Default)]
pub struct Gaps {
    /// Text that did not parse, and members the schema does not take where they are written:
    /// items, references and members may hide there.
    pub unread: Vec<Loc>,
    /// Values that did not resolve or were rejected: lowered without them.
    pub unresolved: Vec<Loc>,
}

impl Gaps {
    /// Whether any text of the program was left unread.
    pub fn any_unread(&self) -> bool {
        !self.unread.is_empty()
    }

    /// Where gaps start inside `loc`.
    pub fn within<'a>(&'a self, loc: &'a Loc) -> impl Iterator<Item = usize> + 'a {
        self.unread
            .iter()
            .chain(&self.unresolved)
            .filter(move |gap| gap.file.source_file() == loc.file.source_file() && loc.span.contains(&gap.span.start))
            .map(|gap| gap.span.start)
    }
}

/// Checks the files' structure against the vocabulary, then lowers them into one program.
/// `elsewhere`: names defined by other programs of the same run, with the file each is in.
pub fn resolve(
    sources: &SourceMap,
    files: &[(FileId, Arc<ast::File>)],
    elsewhere: &BTreeMap<String, String>,
    included: &buildspec_file::Included,
    out: &mut Vec<Diagnostic>,
) -> lower::Lowered {
    let mut unread = Vec::new();
    for (file, ast) in files {
        unread.extend(ast.unparsed.iter().map(|span| Loc {
            file: *file,
            span: span.clone(),
        }));
        unread.extend(structure::check_file(*file, ast, sources.source(*file), out));
    }
    let mut lowered = lower::lower(sources, files, elsewhere, included, out);
    lowered.gaps.unread.extend(unread);
    lowered.artifacts = artifacts::graphs(&lowered.program);
    lowered
}

//! Names and values: the syntax trees of one program become a [`model::Program`], with every
//! reference resolved and every value typed.

pub mod artifacts;
pub mod buildspec_file;
pub mod containers;
mod fields;
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
    resolve_split(sources, files, elsewhere, included, out, large(sources, files))
}

fn resolve_split(
    sources: &SourceMap,
    files: &[(FileId, Arc<ast::File>)],
    elsewhere: &BTreeMap<String, String>,
    included: &buildspec_file::Included,
    out: &mut Vec<Diagnostic>,
    split: bool,
) -> lower::Lowered {
    // The structure check and the lowering read the trees independently: on a large program,
    // side by side. The structure's findings come first either way.
    let ((mut lowered, lower_found), (unread, structure_found)) = crate::parallel::join(
        split,
        || {
            let mut found = Vec::new();
            (lower::lower(sources, files, elsewhere, included, &mut found), found)
        },
        || {
            let (mut unread, mut found) = (Vec::new(), Vec::new());
            for (file, ast) in files {
                unread.extend(ast.unparsed.iter().map(|span| Loc {
                    file: *file,
                    span: span.clone(),
                }));
                unread.extend(structure::check_file(*file, ast, sources.source(*file), &mut found));
            }
            (unread, found)
        },
    );
    out.extend(structure_found);
    out.extend(lower_found);
    lowered.gaps.unread.extend(unread);
    fields::cycles(&lowered.program, out);
    lowered.artifacts = artifacts::graphs(&lowered.program);
    lowered
}

/// Whether a program is large enough for its analysis to use a second thread
/// ([`crate::parallel::LARGE_PROGRAM`] bytes of source).
pub fn large(sources: &SourceMap, files: &[(FileId, Arc<ast::File>)]) -> bool {
    files.iter().map(|(file, _)| sources.source(*file).len()).sum::<usize>() > crate::parallel::LARGE_PROGRAM
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::SourceMap;

    #[test]
    fn a_large_program_resolves_the_same_on_two_threads_as_on_one() {
        // Copies of the seed with a structure mistake (an unknown property) and a lowering one
        // (an unknown name) in each.
        let text = crate::generate::generate(3_000)
            .replace("    compute    = small", "    computer = small\n    compute    = small")
            .replace("codebuild(bake_", "codebuild(baked_");
        let mut sources = SourceMap::new();
        let file = sources.add("large.cruddur", text);
        let files = vec![(file, crate::analysis::Parsed::new(&sources, file).ast.clone())];
        let resolve = |split| {
            let mut found = Vec::new();
            let lowered = super::resolve_split(
                &sources,
                &files,
                &Default::default(),
                &Default::default(),
                &mut found,
                split,
            );
            (found, lowered.program, lowered.gaps.unread)
        };
        let (one, two) = (resolve(false), resolve(true));
        let codes: std::collections::BTreeSet<_> = one.0.iter().map(|d| d.code).collect();
        assert!(codes.len() >= 2, "findings of both steps: {codes:?}");
        assert_eq!(one, two);
    }
}

//! Checks on one lowered program: what AWS would reject or get wrong at run time (pipeline
//! wiring, roles and grants, buildspec commands, AWS names) and the security rules. The
//! structure and the values were checked while resolving ([`crate::resolve`]).

mod access;
mod accounts;
mod aws_names;
pub mod buildspec;
mod containers;
mod dependencies;
mod environment;
mod folded;
mod grants;
mod notifications;
mod ordering;
pub mod owasp;
mod roles;
pub(crate) mod security;
mod tags;
mod tokens;
mod triggers;
mod unused;
mod variables;
mod waivers;
mod webhook;
pub use waivers::MARK as WAIVER_MARK;
mod wiring;

use crate::diagnostics::{Diagnostic, FileId, SourceMap};
use crate::resolve::lower::Lowered;
use crate::syntax::ast;
use std::sync::Arc;

/// Runs every check on a lowered program. The checks are independent of each other: each
/// reads the model and the resolver's typed facts (never another check's findings), so their
/// order does not matter. Waivers are applied afterwards, to every finding, by
/// [`apply_waivers`].
///
/// On a large program the checks run in two groups of about equal cost, on two threads.
pub fn check(sources: &SourceMap, files: &[(FileId, Arc<ast::File>)], lowered: &Lowered) -> Vec<Diagnostic> {
    check_split(sources, files, lowered, crate::resolve::large(sources, files))
}

fn check_split(
    sources: &SourceMap,
    files: &[(FileId, Arc<ast::File>)],
    lowered: &Lowered,
    split: bool,
) -> Vec<Diagnostic> {
    let pushes = tags::Pushes::new(sources, &lowered.program);
    let (mut out, second) = crate::parallel::join(
        split,
        || wiring_and_builds(sources, lowered, &pushes),
        || security_and_variables(sources, files, lowered, &pushes),
    );
    out.extend(second);
    out
}

/// Unused items, AWS names, how the pipelines are wired, what their builds run, and the roles
/// they run with.
fn wiring_and_builds(sources: &SourceMap, lowered: &Lowered, pushes: &tags::Pushes) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let program = &lowered.program;
    unused::check(lowered, &mut out);
    aws_names::check(program, &mut out);
    accounts::check(program, &mut out);
    wiring::check(program, &lowered.artifacts, &lowered.gaps, &mut out);
    containers::check(program, &mut out);
    ordering::check(program, &mut out);
    triggers::check(program, &mut out);
    triggers::schedules(program, &mut out);
    notifications::check(program, &mut out);
    buildspec::check(sources, program, &lowered.gaps, pushes, &mut out);
    environment::check(sources, program, &lowered.gaps, &mut out);
    roles::check(sources, program, &mut out);
    grants::check(program, &mut out);
    out
}

/// The security rules and pipeline variables.
fn security_and_variables(
    sources: &SourceMap,
    files: &[(FileId, Arc<ast::File>)],
    lowered: &Lowered,
    pushes: &tags::Pushes,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let program = &lowered.program;
    security::check(sources, files, program, &lowered.gaps, pushes, &mut out);
    dependencies::check(program, &mut out);
    variables::check(sources, program, &mut out);
    out
}

/// Marks findings waived in the source as suppressed, and reports waivers that are malformed
/// or waive nothing.
pub fn apply_waivers(sources: &SourceMap, files: &[(FileId, Arc<ast::File>)], diagnostics: &mut Vec<Diagnostic>) {
    waivers::apply(sources, files, diagnostics);
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::SourceMap;
    use crate::generate;

    #[test]
    fn the_checks_find_the_same_on_two_threads_as_on_one() {
        // Copies of the seed with findings for both groups of checks: a hard-coded account
        // (security) and a variable no one sets (buildspec).
        let text = generate::generate(3_000).replace(
            "docker push $IMAGE_URI",
            "docker push $IMAGE_URI:$NOT_SET && echo 123456789012",
        );
        let mut sources = SourceMap::new();
        let file = sources.add("large.cruddur", text);
        let parsed = crate::analysis::Parsed::new(&sources, file);
        let files = vec![(file, parsed.ast.clone())];
        let lowered = crate::resolve::resolve(
            &sources,
            &files,
            &Default::default(),
            &Default::default(),
            &mut Vec::new(),
        );
        let one = super::check_split(&sources, &files, &lowered, false);
        let two = super::check_split(&sources, &files, &lowered, true);
        let codes = |found: &[crate::diagnostics::Diagnostic]| {
            found.iter().map(|d| d.code).collect::<std::collections::BTreeSet<_>>()
        };
        assert!(codes(&one).len() >= 2, "findings from both groups: {:?}", codes(&one));
        assert_eq!(one, two);
    }
}

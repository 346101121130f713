//! Checks on one lowered program: what AWS would reject or get wrong at run time (pipeline
//! wiring, roles and grants, buildspec commands, AWS names) and the security rules. The
//! structure and the values were checked while resolving ([`crate::resolve`]).

mod accounts;
mod aws_names;
pub mod buildspec;
mod containers;
mod environment;
mod folded;
mod grants;
mod notifications;
mod ordering;
pub mod owasp;
mod roles;
mod security;
mod tags;
mod tokens;
mod triggers;
mod unused;
mod variables;
mod waivers;
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
pub fn check(sources: &SourceMap, files: &[(FileId, Arc<ast::File>)], lowered: &Lowered) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let program = &lowered.program;
    let pushes = tags::Pushes::new(sources, program);
    unused::check(lowered, &mut out);
    aws_names::check(program, &mut out);
    accounts::check(program, &mut out);
    wiring::check(program, &lowered.artifacts, &lowered.gaps, &mut out);
    containers::check(program, &mut out);
    ordering::check(program, &mut out);
    triggers::check(program, &mut out);
    triggers::schedules(program, &mut out);
    notifications::check(program, &mut out);
    buildspec::check(sources, program, &lowered.gaps, &pushes, &mut out);
    environment::check(sources, program, &lowered.gaps, &mut out);
    roles::check(sources, program, &mut out);
    grants::check(program, &mut out);
    security::check(sources, files, program, &lowered.gaps, &pushes, &mut out);
    variables::check(sources, program, &mut out);
    out
}

/// Marks findings waived in the source as suppressed, and reports waivers that are malformed
/// or waive nothing.
pub fn apply_waivers(sources: &SourceMap, files: &[(FileId, Arc<ast::File>)], diagnostics: &mut Vec<Diagnostic>) {
    waivers::apply(sources, files, diagnostics);
}

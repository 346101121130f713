//! Checks on one program: structure (against the [`schema`]), then names and values (in
//! [`crate::resolve`]), then what AWS would reject or get wrong at run time: pipeline wiring,
//! roles and buildspec commands.

mod aws_names;
pub mod buildspec;
mod grants;
mod roles;
mod security;
mod unused;
mod waivers;
mod wiring;

use crate::diagnostics::{Diagnostic, FileId, SourceMap};
use crate::resolve::{self, model::Program};
use crate::syntax::ast;

pub struct Checked {
    pub program: Program,
    pub artifacts: Vec<resolve::artifacts::ArtifactGraph>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn check(sources: &SourceMap, files: &[(FileId, ast::File)]) -> Checked {
    let mut out = Vec::new();
    let lowered = resolve::resolve(sources, files, &mut out);
    unused::check(&lowered, &mut out);
    aws_names::check(&lowered.program, &mut out);
    wiring::check(&lowered.program, &lowered.artifacts, &lowered.gaps, &mut out);
    buildspec::check(sources, &lowered.program, &lowered.gaps, &mut out);
    roles::check(sources, &lowered.program, &mut out);
    grants::check(&lowered.program, &mut out);
    security::check(sources, files, &lowered.program, &mut out);
    waivers::apply(sources, files, &mut out);
    Checked {
        program: lowered.program,
        artifacts: lowered.artifacts,
        diagnostics: out,
    }
}

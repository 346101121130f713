//! Checks on the syntax trees of one program.

pub mod schema;
mod structure;

use crate::diagnostics::{Diagnostic, FileId};
use crate::syntax::ast;

pub fn check(files: &[(FileId, ast::File)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (file, ast) in files {
        structure::check_file(*file, ast, &mut out);
    }
    out
}

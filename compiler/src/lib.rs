//! cruddur: a declarative language for AWS CI/CD pipelines.
//!
//! Layers, data flowing one way: [`syntax`] (text → tree) → [`check`] (structure, names,
//! wiring) → emit. [`diagnostics`] is beside them all. The CLI and the language server both
//! call [`analyze`].

pub mod check;
pub mod config;
pub mod diagnostics;
pub mod emit;
pub mod resolve;
pub mod syntax;
pub mod vocabulary;

use diagnostics::{Diagnostic, FileId, SourceMap};

/// The result of analysing a set of files that form one program.
pub struct Analysis {
    pub files: Vec<(FileId, syntax::ast::File)>,
    pub program: resolve::model::Program,
    /// Each pipeline's artifacts, by pipeline index.
    pub artifacts: Vec<resolve::artifacts::ArtifactGraph>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and checks the given files (already in `sources`) as one program.
pub fn analyze(sources: &SourceMap, files: &[FileId]) -> Analysis {
    let mut diagnostics = Vec::new();
    let mut parsed = Vec::with_capacity(files.len());
    for &file in files {
        let result = syntax::parse(sources.source(file), file);
        diagnostics.extend(result.diagnostics);
        parsed.push((file, result.file));
    }
    let checked = check::check(sources, &parsed);
    diagnostics.extend(checked.diagnostics);
    diagnostics::sort(&mut diagnostics);
    Analysis {
        files: parsed,
        program: checked.program,
        artifacts: checked.artifacts,
        diagnostics,
    }
}
pub mod data;

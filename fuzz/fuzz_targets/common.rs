#![allow(dead_code)] // each target uses part of it
//! What the targets share: an input read as the files of one program.

use cruddur::diagnostics::{render, sarif, Diagnostic, FileId, SourceMap};

/// At most this many files in one program.
const MAX_FILES: usize = 4;

/// The input split at NUL bytes into the files of one program (text, lossily decoded).
pub fn program(data: &[u8]) -> (SourceMap, Vec<FileId>) {
    let mut sources = SourceMap::new();
    let files = data
        .splitn(MAX_FILES, |b| *b == 0)
        .enumerate()
        .map(|(i, part)| sources.add(format!("f{i}.cruddur"), String::from_utf8_lossy(part).into_owned()))
        .collect();
    (sources, files)
}

/// Writes the diagnostics in every output format (to nowhere).
pub fn render_all(diagnostics: &[Diagnostic], sources: &SourceMap) {
    let mut sink = std::io::sink();
    render::human(&mut sink, diagnostics, sources, true).unwrap();
    render::short(&mut sink, diagnostics, sources).unwrap();
    render::json(&mut sink, diagnostics, sources).unwrap();
    sarif::write(&mut sink, diagnostics, sources).unwrap();
}

/// Codes of syntax errors (E00xx).
pub fn is_syntax_error(d: &Diagnostic) -> bool {
    d.is_error() && d.code.as_str().starts_with("E00")
}

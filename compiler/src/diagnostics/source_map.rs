//! The one map from byte offsets to lines and columns, shared by every renderer and the
//! language server. It is codespan-reporting's line index; nothing else computes lines.

use codespan_reporting::files::{Files, SimpleFiles};
use std::sync::Arc;

/// Identifies one source file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub usize);

/// A 1-based line and column; the column counts Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Source files by id, with their line index.
#[derive(Default)]
pub struct SourceMap {
    files: SimpleFiles<String, Arc<str>>,
}

impl SourceMap {
    pub fn new() -> Self {
        SourceMap::default()
    }

    pub fn add(&mut self, name: impl Into<String>, source: impl Into<Arc<str>>) -> FileId {
        FileId(self.files.add(name.into(), source.into()))
    }

    pub fn name(&self, file: FileId) -> &str {
        self.files.get(file.0).map(|f| f.name().as_str()).unwrap_or("<unknown>")
    }

    pub fn source(&self, file: FileId) -> &str {
        self.files.get(file.0).map(|f| &**f.source()).unwrap_or("")
    }

    /// The line and column of a byte offset, clamped to the file.
    pub fn line_col(&self, file: FileId, offset: usize) -> LineCol {
        let offset = clamp_to_char_boundary(self.source(file), offset);
        match self.files.location(file.0, offset) {
            Ok(location) => LineCol {
                line: location.line_number,
                column: location.column_number,
            },
            Err(_) => LineCol { line: 1, column: 1 },
        }
    }

    /// The 0-based line index and the byte offset where that line starts.
    pub fn line_start(&self, file: FileId, offset: usize) -> (usize, usize) {
        let line = self.files.line_index(file.0, offset).unwrap_or(0);
        let start = self.files.line_range(file.0, line).map(|r| r.start).unwrap_or(0);
        (line, start)
    }
}

/// Moves an offset back to the nearest character boundary (and into the file).
pub fn clamp_to_char_boundary(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

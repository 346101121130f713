//! The one map from byte offsets to lines and columns, shared by every renderer and the
//! language server. It is codespan-reporting's line index; nothing else computes lines.

use codespan_reporting::files::{Files, SimpleFile};
use std::sync::Arc;

/// Identifies one source file in a [`SourceMap`]. Lowering may tag it with an instance of a
/// stage template (`in_instance`): the same text, read for one of the stages made from it, so
/// what is found there is told apart per stage. Every [`SourceMap`] lookup reads the file
/// itself; the analysis removes the tag before anything leaves it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub usize);

/// Bits of a [`FileId`] that number the file; those above number the instance (plus one).
/// Twenty leave room for a million files and, on 32-bit targets, 4,095 instances.
const FILE_BITS: u32 = 20;

impl FileId {
    /// The largest instance number a tag holds.
    pub const MAX_INSTANCE: usize = (usize::MAX >> FILE_BITS) - 1;

    /// This file, read for instance `instance` of a stage template.
    pub fn in_instance(self, instance: usize) -> FileId {
        FileId(self.source_file().0 | ((instance + 1) << FILE_BITS))
    }

    /// The file itself, without an instance tag.
    pub fn source_file(self) -> FileId {
        FileId(self.0 & ((1 << FILE_BITS) - 1))
    }

    /// The instance this file was read for, if it is tagged.
    pub fn instance(self) -> Option<usize> {
        (self.0 >> FILE_BITS).checked_sub(1)
    }
}

/// A 1-based line and column; the column counts Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Source files by id, with their line index. A file keeps its id when its text is replaced
/// (an editor's buffer changing), so analyses and editors can refer to it by id.
#[derive(Default, Clone)]
pub struct SourceMap {
    files: Vec<SimpleFile<String, Arc<str>>>,
}

impl SourceMap {
    pub fn new() -> Self {
        SourceMap::default()
    }

    pub fn add(&mut self, name: impl Into<String>, source: impl Into<Arc<str>>) -> FileId {
        self.files.push(SimpleFile::new(name.into(), source.into()));
        FileId(self.files.len() - 1)
    }

    /// Replaces a file's text, keeping its id and name.
    pub fn set_source(&mut self, file: FileId, source: impl Into<Arc<str>>) {
        if let Some(entry) = self.files.get_mut(file.source_file().0) {
            *entry = SimpleFile::new(entry.name().clone(), source.into());
        }
    }

    pub fn name(&self, file: FileId) -> &str {
        self.files
            .get(file.source_file().0)
            .map(|f| f.name().as_str())
            .unwrap_or("<unknown>")
    }

    pub fn source(&self, file: FileId) -> &str {
        self.files
            .get(file.source_file().0)
            .map(|f| &**f.source())
            .unwrap_or("")
    }

    /// The line and column of a byte offset, clamped to the file.
    pub fn line_col(&self, file: FileId, offset: usize) -> LineCol {
        let offset = clamp_to_char_boundary(self.source(file), offset);
        let Some(entry) = self.files.get(file.source_file().0) else {
            return LineCol { line: 1, column: 1 };
        };
        match entry.location((), offset) {
            Ok(location) => LineCol {
                line: location.line_number,
                column: location.column_number,
            },
            Err(_) => LineCol { line: 1, column: 1 },
        }
    }

    /// The byte range of a 0-based line, its line break left out (`None` past the last line).
    pub fn line_range(&self, file: FileId, line: usize) -> Option<std::ops::Range<usize>> {
        let entry = self.files.get(file.source_file().0)?;
        let range = entry.line_range((), line).ok()?;
        let text = &entry.source()[range.clone()];
        let content = text.trim_end_matches('\n').trim_end_matches('\r');
        Some(range.start..range.start + content.len())
    }

    /// The 0-based line index and the byte offset where that line starts.
    pub fn line_start(&self, file: FileId, offset: usize) -> (usize, usize) {
        let Some(entry) = self.files.get(file.source_file().0) else {
            return (0, 0);
        };
        let line = entry.line_index((), offset).unwrap_or(0);
        let start = entry.line_range((), line).map(|r| r.start).unwrap_or(0);
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

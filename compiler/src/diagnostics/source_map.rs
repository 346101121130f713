//! The one map from byte offsets to lines and columns, shared by every renderer and the
//! language server; nothing else computes lines. A lookup costs a binary search, whatever the
//! length of the line: a file of one long line with many problems on it must not make each
//! one cost the line.

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
    files: Vec<File>,
}

/// One file's text and line index, as [`SourceMap::saved`] kept them.
pub(crate) struct SavedFile(File);

#[derive(Clone)]
struct File {
    name: String,
    source: Arc<str>,
    /// Where each line starts; lines end at `\n`.
    line_starts: Vec<usize>,
    /// Where each character of more than one byte starts, with the bytes beyond the first of
    /// it and of every such character before it: what turns a byte offset into a column.
    wide: Vec<(usize, usize)>,
}

impl File {
    fn new(name: String, source: Arc<str>) -> File {
        let (line_starts, wide) = index(source.as_bytes());
        File {
            name,
            source,
            line_starts,
            wide,
        }
    }

    /// The 0-based line holding a byte offset.
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset) - 1
    }

    /// Bytes beyond the first of the characters that start before `offset`.
    fn extra_before(&self, offset: usize) -> usize {
        match self.wide.partition_point(|&(at, _)| at < offset) {
            0 => 0,
            n => self.wide[n - 1].1,
        }
    }

    /// The byte offset `chars` characters after the character boundary `from` (or the end).
    fn offset_after(&self, from: usize, chars: usize) -> usize {
        // A character's index in the file is its offset less the extra bytes before it.
        let target = from - self.extra_before(from) + chars;
        let before = self.wide.partition_point(|&(at, extra)| {
            let own = self.source[at..].chars().next().map_or(0, |c| c.len_utf8() - 1);
            at - (extra - own) < target
        });
        let extra = if before == 0 { 0 } else { self.wide[before - 1].1 };
        (target + extra).min(self.source.len())
    }

    /// Characters between two byte offsets (character boundaries, `from` ≤ `to`).
    fn chars_between(&self, from: usize, to: usize) -> usize {
        (to - from) - (self.extra_before(to) - self.extra_before(from))
    }
}

/// Where each line starts, and where each character of more than one byte starts (with the
/// bytes beyond the first of it and of those before it). Eight bytes are tested at a time:
/// most words of a file hold neither a line break nor a byte of a wide character.
fn index(text: &[u8]) -> (Vec<usize>, Vec<(usize, usize)>) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
    line_starts.push(0);
    let mut wide = Vec::new();
    let mut extra = 0;
    let mut scan = |bytes: &[u8], base: usize| {
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                line_starts.push(base + i + 1);
            } else if b >= 0xC0 {
                // The first byte of a character says its length (continuation bytes are
                // 0x80–0xBF).
                extra += if b >= 0xF0 {
                    3
                } else if b >= 0xE0 {
                    2
                } else {
                    1
                };
                wide.push((base + i, extra));
            }
        }
    };
    let mut chunks = text.chunks_exact(8);
    let mut base = 0;
    for chunk in chunks.by_ref() {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let newlines = word ^ (ONES * u64::from(b'\n'));
        let has_newline = newlines.wrapping_sub(ONES) & !newlines & HIGH != 0;
        if has_newline || word & HIGH != 0 {
            scan(chunk, base);
        }
        base += 8;
    }
    scan(chunks.remainder(), base);
    (line_starts, wide)
}

impl SourceMap {
    pub fn new() -> Self {
        SourceMap::default()
    }

    pub fn add(&mut self, name: impl Into<String>, source: impl Into<Arc<str>>) -> FileId {
        self.files.push(File::new(name.into(), source.into()));
        FileId(self.files.len() - 1)
    }

    /// Replaces a file's text, keeping its id and name.
    pub fn set_source(&mut self, file: FileId, source: impl Into<Arc<str>>) {
        if let Some(entry) = self.files.get_mut(file.source_file().0) {
            *entry = File::new(std::mem::take(&mut entry.name), source.into());
        }
    }

    /// A file's text and line index, to put back with [`SourceMap::restore`].
    pub(crate) fn saved(&self, file: FileId) -> Option<SavedFile> {
        self.files.get(file.source_file().0).cloned().map(SavedFile)
    }

    /// Puts back what [`SourceMap::saved`] kept of a file.
    pub(crate) fn restore(&mut self, file: FileId, saved: SavedFile) {
        if let Some(entry) = self.files.get_mut(file.source_file().0) {
            *entry = saved.0;
        }
    }

    /// Every file added, in order.
    pub fn files(&self) -> impl Iterator<Item = FileId> + '_ {
        (0..self.files.len()).map(FileId)
    }

    pub fn name(&self, file: FileId) -> &str {
        self.files
            .get(file.source_file().0)
            .map(|f| f.name.as_str())
            .unwrap_or("<unknown>")
    }

    pub fn source(&self, file: FileId) -> &str {
        self.files.get(file.source_file().0).map(|f| &*f.source).unwrap_or("")
    }

    /// The line and column of a byte offset, clamped to the file.
    pub fn line_col(&self, file: FileId, offset: usize) -> LineCol {
        let Some(entry) = self.files.get(file.source_file().0) else {
            return LineCol { line: 1, column: 1 };
        };
        let offset = clamp_to_char_boundary(&entry.source, offset);
        let line = entry.line_index(offset);
        LineCol {
            line: line + 1,
            column: entry.chars_between(entry.line_starts[line], offset) + 1,
        }
    }

    /// The number of characters between two byte offsets of a file (clamped to it).
    pub fn chars_between(&self, file: FileId, from: usize, to: usize) -> usize {
        let Some(entry) = self.files.get(file.source_file().0) else {
            return 0;
        };
        let from = clamp_to_char_boundary(&entry.source, from);
        let to = clamp_to_char_boundary(&entry.source, to.max(from));
        entry.chars_between(from, to)
    }

    /// The byte offset `chars` characters after `from` (clamped to the file).
    pub fn offset_after(&self, file: FileId, from: usize, chars: usize) -> usize {
        let Some(entry) = self.files.get(file.source_file().0) else {
            return 0;
        };
        entry.offset_after(clamp_to_char_boundary(&entry.source, from), chars)
    }

    /// The 0-based line and UTF-16 column of a byte offset (clamped to the file): how editors
    /// count (LSP's default encoding, Monaco's columns).
    pub fn utf16_position(&self, file: FileId, offset: usize) -> (usize, usize) {
        let text = self.source(file);
        let offset = clamp_to_char_boundary(text, offset);
        let (line, line_start) = self.line_start(file, offset);
        (line, utf16_len(&text[line_start..offset]))
    }

    /// The byte offset of a 0-based line and UTF-16 column: clamped to the line's end (before
    /// its line break), and to the file's end past the last line.
    pub fn utf16_offset(&self, file: FileId, line: usize, column: usize) -> usize {
        let text = self.source(file);
        match self.line_range(file, line) {
            Some(range) => range.start + utf16_column_offset(&text[range], column),
            None => text.len(),
        }
    }

    /// The byte range of a 0-based line, its line break left out (`None` past the last line).
    pub fn line_range(&self, file: FileId, line: usize) -> Option<std::ops::Range<usize>> {
        let entry = self.files.get(file.source_file().0)?;
        let start = *entry.line_starts.get(line)?;
        let end = entry.line_starts.get(line + 1).copied().unwrap_or(entry.source.len());
        let line = &entry.source[start..end];
        let content = line
            .strip_suffix('\n')
            .map_or(line, |l| l.strip_suffix('\r').unwrap_or(l));
        Some(start..start + content.len())
    }

    /// The 0-based line index and the byte offset where that line starts.
    pub fn line_start(&self, file: FileId, offset: usize) -> (usize, usize) {
        let Some(entry) = self.files.get(file.source_file().0) else {
            return (0, 0);
        };
        let line = entry.line_index(offset.min(entry.source.len()));
        (line, entry.line_starts[line])
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

/// The UTF-16 code units of a text.
pub fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// The byte offset of a UTF-16 column in one line (its end if the column is past it).
pub fn utf16_column_offset(line: &str, column: usize) -> usize {
    let mut units = 0;
    for (at, c) in line.char_indices() {
        if units >= column {
            return at;
        }
        units += c.len_utf16();
    }
    line.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Lines and columns counted the slow way.
    fn naive(source: &str, offset: usize) -> LineCol {
        let before = &source[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        LineCol {
            line: before.matches('\n').count() + 1,
            column: source[line_start..offset].chars().count() + 1,
        }
    }

    proptest! {
        #[test]
        fn line_col_counts_lines_and_characters(source in "(a|é|€|𝄞|\n|\r\n| ){0,60}") {
            let mut map = SourceMap::new();
            let file = map.add("f", source.as_str());
            let offsets: Vec<usize> = source.char_indices().map(|(i, _)| i).chain([source.len()]).collect();
            for (index, &offset) in offsets.iter().enumerate() {
                prop_assert_eq!(map.line_col(file, offset), naive(&source, offset));
                for (ahead, &later) in offsets[index..].iter().enumerate() {
                    prop_assert_eq!(map.offset_after(file, offset, ahead), later);
                    prop_assert_eq!(map.chars_between(file, offset, later), ahead);
                }
            }
        }
    }

    #[test]
    fn lines_ranges_and_starts() {
        let mut map = SourceMap::new();
        let file = map.add("f", "ab\r\né\n\nlast");
        assert_eq!(map.line_range(file, 0), Some(0..2));
        assert_eq!(map.line_range(file, 1), Some(4..6));
        assert_eq!(map.line_range(file, 2), Some(7..7));
        assert_eq!(map.line_range(file, 3), Some(8..12));
        assert_eq!(map.line_range(file, 4), None);
        assert_eq!(map.line_start(file, 5), (1, 4));
        assert_eq!(
            map.line_col(file, 5),
            LineCol { line: 2, column: 1 },
            "inside `é`: its start"
        );
        assert_eq!(
            map.line_col(file, 99),
            LineCol { line: 4, column: 5 },
            "past the end: the end"
        );
        assert_eq!(map.chars_between(file, 0, 12), 11);
        assert_eq!(map.offset_after(file, 4, 1), 6, "after `é`");
        assert_eq!(map.offset_after(file, 0, 99), 12, "past the end: the end");
    }
}

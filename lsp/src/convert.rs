//! Between the compiler's byte offsets and LSP's positions (zero-based line, UTF-16 column: the
//! protocol's default encoding), and between file paths and URIs.

use cruddur::diagnostics::{clamp_to_char_boundary, utf16_column_offset, utf16_len, FileId, SourceMap, Span};
use std::path::{Path, PathBuf};
use tower_lsp_server::ls_types::{Position, Range, Uri};

/// The LSP position of a byte offset.
pub fn position(sources: &SourceMap, file: FileId, offset: usize) -> Position {
    let (line, character) = sources.utf16_position(file, offset);
    Position::new(line as u32, character as u32)
}

/// The LSP range of a span.
pub fn range(sources: &SourceMap, file: FileId, span: &Span) -> Range {
    Range {
        start: position(sources, file, span.start),
        end: position(sources, file, span.end),
    }
}

/// The byte offset of an LSP position (clamped to its line, and to the file).
pub fn offset(sources: &SourceMap, file: FileId, position: Position) -> usize {
    sources.utf16_offset(file, position.line as usize, position.character as usize)
}

/// The byte offset of an LSP position in text that has no line index (an edit being applied).
pub fn text_offset(text: &str, position: Position) -> usize {
    let mut start = 0;
    for _ in 0..position.line {
        match text[start..].find('\n') {
            Some(at) => start += at + 1,
            None => return text.len(),
        }
    }
    let end = text[start..].find('\n').map_or(text.len(), |at| start + at);
    let line = text[start..end].strip_suffix('\r').unwrap_or(&text[start..end]);
    start + utf16_column_offset(line, position.character as usize)
}

/// The LSP position of a byte offset in text that has no line index.
pub fn text_position(text: &str, offset: usize) -> Position {
    let offset = clamp_to_char_boundary(text, offset);
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    Position {
        line: before.matches('\n').count() as u32,
        character: utf16_len(&text[line_start..offset]) as u32,
    }
}

/// The lengths in bytes of the longest common start and end of two texts, not overlapping:
/// what an edit that turned one into the other left alone.
pub fn common_ends(a: &str, b: &str) -> (usize, usize) {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    (prefix, suffix)
}

/// The path a document's URI stands for. A URI that names no file (an unsaved `untitled:`
/// buffer) gets a path of its own that no file on disk has, so it is a program by itself.
pub fn path_of(uri: &Uri) -> PathBuf {
    match uri.to_file_path() {
        Some(path) if uri.scheme().as_str() == "file" => path.into_owned(),
        _ => {
            let text = uri.as_str();
            let safe: String = text
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let mut path = PathBuf::from("/\u{0}unsaved").join(safe);
            if path.extension().is_none_or(|e| e != cruddur::workspace::EXTENSION) {
                path.set_extension(cruddur::workspace::EXTENSION);
            }
            path
        }
    }
}

/// The URI of a file found on disk.
pub fn uri_of(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_code_units() {
        let text = "let x = \"☕🚀\" ~\r\nnext";
        // `let x = "` is 9 units, `☕` one, `🚀` two, then `" ` two: `~` is at column 14.
        let tilde = text.find('~').unwrap();
        assert_eq!(text_position(text, tilde), Position::new(0, 14));
        assert_eq!(text_offset(text, Position::new(0, 14)), tilde);
        let mut sources = SourceMap::new();
        let file = sources.add("a", text);
        assert_eq!(position(&sources, file, tilde), Position::new(0, 14));
        assert_eq!(offset(&sources, file, Position::new(0, 14)), tilde);
        // Past the end of a line: its end, before `\r\n`; past the last line: the file's end.
        assert_eq!(offset(&sources, file, Position::new(0, 99)), tilde + 1);
        assert_eq!(text_offset(text, Position::new(0, 99)), tilde + 1);
        assert_eq!(offset(&sources, file, Position::new(7, 0)), text.len());
        assert_eq!(text_offset(text, Position::new(7, 0)), text.len());
        assert_eq!(text_position(text, text.len()), Position::new(1, 4));
    }

    #[test]
    fn unsaved_buffers_get_a_path_no_file_has() {
        let uri: Uri = "untitled:Untitled-1".parse().unwrap();
        let path = path_of(&uri);
        assert!(path.to_string_lossy().contains("Untitled-1"), "{path:?}");
        assert_eq!(path.extension().unwrap(), "cruddur");
        let uri = uri_of(Path::new("/w/a b.cruddur")).unwrap();
        assert_eq!(path_of(&uri), PathBuf::from("/w/a b.cruddur"));
    }
}

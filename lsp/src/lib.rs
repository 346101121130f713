//! The cruddur language server's analysis layer: plain functions from text to answers, kept
//! free of any LSP framework so they are testable without a client. The transport (tower-lsp)
//! will be one thin module over these.
//!
//! Editors address text by line and UTF-16 code unit (LSP's default position encoding); the
//! compiler by byte offset. [`position`] converts through the compiler's one source map.

use cruddur::diagnostics::{Diagnostic, FileId, Severity, SourceMap};

/// A zero-based line and UTF-16 column, as LSP counts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

/// A diagnostic as an editor shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditorDiagnostic {
    pub start: Position,
    pub end: Position,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
}

/// The LSP position of a byte offset.
pub fn position(sources: &SourceMap, file: FileId, offset: usize) -> Position {
    let text = sources.source(file);
    let offset = offset.min(text.len());
    let (line, line_start) = sources.line_start(file, offset);
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    Position {
        line: line as u32,
        character: character as u32,
    }
}

/// Analyses one document and returns its diagnostics in editor coordinates.
pub fn diagnostics(uri: &str, text: &str) -> Vec<EditorDiagnostic> {
    let mut sources = SourceMap::new();
    let file = sources.add(uri, text.to_string());
    let analysis = cruddur::analyze(&sources, &[file]);
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.primary.file == file)
        .map(|d: &Diagnostic| EditorDiagnostic {
            start: position(&sources, file, d.primary.span.start),
            end: position(&sources, file, d.primary.span.end),
            severity: d.severity,
            code: d.code.as_str(),
            message: d.message.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_code_units() {
        // `let x = "` is 9 units, `☕` one, `🚀` two, then `" ` two: `~` is at column 14.
        let text = "let x = \"☕🚀\" ~";
        let found = diagnostics("file:///a.cruddur", text);
        let error = found
            .iter()
            .find(|d| d.code == "E0001")
            .expect("the unexpected character");
        assert_eq!(error.start, Position { line: 0, character: 14 });
        assert_eq!(error.end, Position { line: 0, character: 15 });
    }

    #[test]
    fn lines_are_zero_based_and_crlf_aware() {
        let text = "project a {\r\n  name: \"a\"\r\n}\r\n";
        let found = diagnostics("file:///a.cruddur", text);
        let error = found.iter().find(|d| d.code == "E0010").expect("the `:`");
        assert_eq!(error.start, Position { line: 1, character: 6 });
    }
}

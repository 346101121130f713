//! The cruddur language server's analysis layer: plain functions from a workspace to answers,
//! kept free of any LSP framework so they are testable without a client. The transport
//! (tower-lsp-server) will be one thin module over these and over `cruddur::ide`.
//!
//! Editors address text by line and UTF-16 code unit (LSP's default position encoding); the
//! compiler by byte offset. [`position`] and [`offset`] convert through the compiler's one
//! source map.

use cruddur::diagnostics::{FileId, Severity, SourceMap};
use cruddur::workspace::Workspace;

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
    let offset = cruddur::diagnostics::clamp_to_char_boundary(text, offset);
    let (line, line_start) = sources.line_start(file, offset);
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    Position {
        line: line as u32,
        character: character as u32,
    }
}

/// The byte offset of an LSP position (clamped to its line, and to the file).
pub fn offset(sources: &SourceMap, file: FileId, position: Position) -> usize {
    let text = sources.source(file);
    let Some(line) = sources.line_range(file, position.line as usize) else {
        return text.len();
    };
    let mut units = 0;
    for (at, c) in text[line.clone()].char_indices() {
        if units >= position.character as usize {
            return line.start + at;
        }
        units += c.len_utf16();
    }
    line.end
}

/// The diagnostics of one file, from the analysis of the program it belongs to (so names
/// defined in the program's other files resolve), in editor coordinates.
pub fn diagnostics(workspace: &mut Workspace, file: FileId) -> Vec<EditorDiagnostic> {
    let Some(analysis) = workspace.analysis_of(file) else {
        return Vec::new();
    };
    let sources = workspace.sources();
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.primary.file == file && d.is_active())
        .map(|d| EditorDiagnostic {
            start: position(sources, file, d.primary.span.start),
            end: position(sources, file, d.primary.span.end),
            severity: d.severity,
            code: d.code.as_str(),
            message: d.message.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cruddur::workspace::MemoryFs;
    use std::path::Path;

    fn one_file(text: &str) -> (Workspace, FileId) {
        let mut workspace = Workspace::new(MemoryFs::new());
        let file = workspace.set_text(Path::new("/w/a.cruddur"), text);
        (workspace, file)
    }

    #[test]
    fn columns_count_utf16_code_units() {
        // `let x = "` is 9 units, `☕` one, `🚀` two, then `" ` two: `~` is at column 14.
        let (mut workspace, file) = one_file("let x = \"☕🚀\" ~");
        let found = diagnostics(&mut workspace, file);
        let error = found
            .iter()
            .find(|d| d.code == "E0001")
            .expect("the unexpected character");
        assert_eq!(error.start, Position { line: 0, character: 14 });
        assert_eq!(error.end, Position { line: 0, character: 15 });
        let sources = workspace.sources();
        assert_eq!(offset(sources, file, error.start), "let x = \"☕🚀\" ".len());
    }

    #[test]
    fn lines_are_zero_based_and_crlf_aware() {
        let (mut workspace, file) = one_file("project a {\r\n  name: \"a\"\r\n}\r\n");
        let found = diagnostics(&mut workspace, file);
        let error = found.iter().find(|d| d.code == "E0010").expect("the `:`");
        assert_eq!(error.start, Position { line: 1, character: 6 });
        assert_eq!(offset(workspace.sources(), file, error.start), 19);
        // Past the end of a line or of the file: clamped.
        assert_eq!(
            offset(workspace.sources(), file, Position { line: 1, character: 99 }),
            24
        );
        assert_eq!(
            offset(workspace.sources(), file, Position { line: 9, character: 0 }),
            29
        );
    }

    #[test]
    fn names_from_the_programs_other_files_resolve() {
        let fs = MemoryFs::new()
            .with("/p/cruddur.toml", "")
            .with("/p/repo.cruddur", "repository r {\n  name = \"rr\"\n}\n");
        let mut workspace = Workspace::new(fs);
        workspace.add_folder(Path::new("/p"));
        let file = workspace.set_text(Path::new("/p/build.cruddur"), "let image = \"${{ r.uri }}\"\n");
        let found = diagnostics(&mut workspace, file);
        assert!(found.iter().all(|d| d.code != "E0202"), "{found:?}");
        // Alone, the same file does not know `r`.
        let (mut alone, file) = one_file("let image = \"${{ r.uri }}\"\n");
        let found = diagnostics(&mut alone, file);
        assert!(found.iter().any(|d| d.code == "E0202"), "{found:?}");
    }
}

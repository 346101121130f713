//! The front end never panics and always returns spans inside the file, whatever it is given:
//! arbitrary bytes, random token soup, and every prefix of every example (what an editor sends
//! while someone types).

use cruddur::diagnostics::{render, SourceMap};
use proptest::prelude::*;
use std::path::Path;

/// Analyses `text`, renders the diagnostics every way, and checks every span is in bounds.
fn analyze_and_render(text: &str) {
    let mut sources = SourceMap::new();
    let file = sources.add("input.cruddur", text.to_string());
    let analysis = cruddur::analyze(&sources, &[file]);
    for d in &analysis.diagnostics {
        for label in std::iter::once(&d.primary).chain(&d.secondary) {
            assert!(
                label.span.start <= label.span.end,
                "inverted span {:?} in {d:?}",
                label.span
            );
            assert!(
                label.span.end <= text.len(),
                "span {:?} past the end ({}) in {d:?}",
                label.span,
                text.len()
            );
            assert!(
                text.is_char_boundary(label.span.start) && text.is_char_boundary(label.span.end),
                "span not on char boundaries: {d:?}"
            );
        }
        if let Some(fix) = &d.fix {
            for edit in &fix.edits {
                assert!(
                    edit.span.end <= text.len()
                        && text.is_char_boundary(edit.span.start)
                        && text.is_char_boundary(edit.span.end)
                );
            }
        }
    }
    let mut sink = Vec::new();
    render::human(&mut sink, &analysis.diagnostics, &sources, false).unwrap();
    render::short(&mut sink, &analysis.diagnostics, &sources).unwrap();
    render::json(&mut sink, &analysis.diagnostics, &sources).unwrap();
}

const VOCABULARY: &[&str] = &[
    "project",
    "pipeline",
    "stage",
    "action",
    "phase",
    "run",
    "input",
    "output",
    "env",
    "aws",
    "let",
    "param",
    "x",
    "bake",
    "=",
    "==",
    ":",
    ";",
    ",",
    ".",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "\"s\"",
    "\"${{ a.b }}\"",
    "\"${{\"",
    "\"\\q\"",
    "\"open",
    "\"\"\"\n  t\n\"\"\"",
    "\"\"\"",
    "20m",
    "1h30m",
    "5x",
    "3.12",
    "42",
    "true",
    "false",
    "//c\n",
    "/*",
    "*/",
    "#",
    "'q'",
    "'",
    "\n",
    "\n  ",
    " ",
    "\t",
    "é",
    "☕",
    "\r\n",
    "\u{feff}",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        analyze_and_render(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_strings_never_panic(text in "\\PC{0,300}") {
        analyze_and_render(&text);
    }

    #[test]
    fn random_token_sequences_never_panic(indices in proptest::collection::vec(0..VOCABULARY.len(), 0..120)) {
        let text: String = indices.iter().map(|&i| VOCABULARY[i]).collect::<Vec<_>>().join(" ");
        analyze_and_render(&text);
    }
}

fn examples() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut texts: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cruddur"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    texts.sort();
    assert!(texts.len() >= 2);
    texts
}

#[test]
fn every_prefix_of_every_example_never_panics() {
    for text in examples() {
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            analyze_and_render(&text[..end]);
        }
    }
}

#[test]
fn every_example_with_one_line_removed_never_panics() {
    for text in examples() {
        let lines: Vec<&str> = text.lines().collect();
        for skip in 0..lines.len() {
            let edited: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, l)| *l)
                .collect();
            analyze_and_render(&edited.join("\n"));
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let text = format!("let x = {}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let mut sources = SourceMap::new();
    let file = sources.add("deep.cruddur", text);
    let analysis = cruddur::analyze(&sources, &[file]);
    assert!(analysis.diagnostics.iter().any(|d| d.code.as_str() == "E0014"));
}

#[test]
fn oversized_file_is_refused_with_a_clear_error() {
    let text = "// padding\n".repeat(cruddur::syntax::MAX_FILE_SIZE / 11 + 2);
    let mut sources = SourceMap::new();
    let file = sources.add("huge.cruddur", text);
    let analysis = cruddur::analyze(&sources, &[file]);
    assert_eq!(analysis.diagnostics.len(), 1);
    assert_eq!(analysis.diagnostics[0].code.as_str(), "E0015");
    assert!(analysis.diagnostics[0].message.contains("limit"));
}

/// Applies every mechanical fix of one file and returns the syntax errors before and after.
fn syntax_errors_before_and_after_fixing(text: &str) -> (usize, usize) {
    use cruddur::workspace::{MemoryFs, Workspace};
    let syntax = |analysis: &cruddur::analysis::Analysis| {
        analysis
            .diagnostics
            .iter()
            .filter(|d| d.is_error() && d.code.as_str().starts_with("E00"))
            .count()
    };
    let path = std::path::Path::new("/w/f.cruddur");
    let mut workspace = Workspace::new(MemoryFs::new());
    let file = workspace.set_text(path, text);
    let before = syntax(&workspace.analysis_of(file).unwrap());
    let program = workspace.program_of(file).unwrap();
    cruddur::fix::fix_program(&mut workspace, program, &|_| true);
    (before, syntax(&workspace.analysis_of(file).unwrap()))
}

#[test]
fn quoting_a_word_next_to_a_string_adds_no_syntax_error() {
    // Found by fuzzing: `""n-d` quoted as `"""n-d"` opened a triple-quoted string.
    for text in [
        "c[[[[[[[[\n\"\"n-d]]]]]]]]",
        "c[[[[[[[[\nn-d\"\"]]]]]]]]",
        "let x = [\"\"n-d\"\"]\n",
        // Found by fuzzing: `''` pairs made straight one by one were `""""`, a triple quote.
        "let x = ''''''''''\n",
        "let x = ['''n-d]\n",
        "let x = [\u{201C}\u{201D}'']\n",
    ] {
        let (before, after) = syntax_errors_before_and_after_fixing(text);
        assert!(
            after <= before,
            "{text:?}: {before} syntax errors before the fixes, {after} after"
        );
    }
}

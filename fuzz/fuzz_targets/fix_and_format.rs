//! One file: every mechanical fix applied, then checked again (a fix never adds a syntax
//! error); then formatted (formatting its output changes nothing, and the formatted program
//! has the findings the original had).
#![no_main]

use cruddur::diagnostics::Applicability;
use cruddur::workspace::{MemoryFs, Workspace};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

#[path = "common.rs"]
mod common;

/// The most fixable findings an input may have to be fixed (see below).
const MAX_FIXABLE: usize = 16;

fn codes(text: &str) -> Vec<&'static str> {
    let mut sources = cruddur::diagnostics::SourceMap::new();
    let file = sources.add("f.cruddur", text.to_string());
    let mut codes: Vec<&'static str> = cruddur::analyze(&sources, &[file])
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    codes.sort();
    codes
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = Path::new("/fuzz/f.cruddur");
    let mut workspace = Workspace::new(MemoryFs::new());
    let file = workspace.set_text(path, text);
    let before = workspace.analysis_of(file).expect("the file's program");
    let syntax_before = before.diagnostics.iter().filter(|d| common::is_syntax_error(d)).count();
    // Fixing re-checks the program for each group of fixes it tries, so an input with hundreds
    // of fixable findings (the fuzzer drifts to 4 KB of stray brackets) costs up to half a
    // second and holds the run to about 70 inputs a second. Inputs with more than
    // `MAX_FIXABLE` are formatted, not fixed: the fixes themselves, and how a refused group is
    // split, are the same with fewer. (Measured on the 26,000 inputs of a long run's corpus:
    // 11 ms an input with every input fixed, 1.3 ms with this limit.)
    let fixable = before
        .diagnostics
        .iter()
        .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Machine))
        .count();
    if fixable <= MAX_FIXABLE {
        let program = workspace.program_of(file).expect("the file's program");
        cruddur::fix::fix_program(&mut workspace, program, &|_| true);
        let after = workspace.analysis_of(file).expect("the file's program");
        let syntax_after = after.diagnostics.iter().filter(|d| common::is_syntax_error(d)).count();
        assert!(
            syntax_after <= syntax_before,
            "fixes added a syntax error: {:?}",
            after.diagnostics
        );
    }

    if let Ok(formatted) = cruddur::format::format(text) {
        let again = cruddur::format::format(&formatted).expect("formatted text formats");
        assert_eq!(again, formatted, "formatting is not idempotent");
        assert_eq!(codes(&formatted), codes(text), "formatting changed the findings");
    }
});

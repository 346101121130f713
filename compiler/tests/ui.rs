//! UI tests: every `tests/ui/*.cruddur` is checked and its diagnostics, rendered as users see
//! them (short form, then the terminal report without colour), must equal `*.stderr` byte for
//! byte. Run with `BLESS=1` to rewrite the expected files after an intended change.
//!
//! Each case also proves its fixes are machine-applicable: applying every fix must leave no
//! diagnostic of the fixed codes at the fixed places.

use cruddur::analysis::{Included, Parsed};
use cruddur::diagnostics::{render, FileId, SourceMap};
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/ui")
}

/// Adds a case and the files it reads (`buildspec = file("…")`, below `tests/ui/`) to
/// `sources`; `texts` overrides what is on disk (a fixed file).
fn load(
    sources: &mut SourceMap,
    name: &str,
    text: &str,
    texts: &std::collections::BTreeMap<String, String>,
) -> (FileId, Included) {
    let file = sources.add(name, text.to_string());
    let parsed = Parsed::new(sources, file);
    let mut included = Included::new();
    for path in cruddur::analysis::included_paths(&[parsed]) {
        let shown = format!("tests/ui/{path}");
        let read = match texts.get(&shown) {
            Some(text) => Ok(text.clone()),
            // Worded as the workspace words them.
            None if corpus().join(&path).is_dir() => Err("it is a folder".to_string()),
            None => std::fs::read_to_string(corpus().join(&path)).map_err(|_| "no such file or directory".to_string()),
        };
        included.insert(path, read.map(|text| sources.add(shown, text)));
    }
    (file, included)
}

fn render_case(name: &str, text: &str) -> String {
    let mut sources = SourceMap::new();
    let (file, included) = load(&mut sources, name, text, &Default::default());
    let analysis = cruddur::analysis::analyze_with(&sources, &[file], &included);
    let mut out = Vec::new();
    render::short(&mut out, &analysis.diagnostics, &sources).unwrap();
    out.extend_from_slice(b"---\n");
    render::human(&mut out, &analysis.diagnostics, &sources, false).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn ui_cases_match_expected_output() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cruddur"))
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 25,
        "expected at least 25 UI cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = format!("tests/ui/{}", case.file_name().unwrap().to_string_lossy());
        let text = std::fs::read_to_string(case).unwrap();
        let actual = render_case(&name, &text);
        let expected_path = case.with_extension("stderr");
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{name}: output differs from {}\n--- actual ---\n{actual}",
                expected_path.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} UI case(s) failed (BLESS=1 to update):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_expected_file_has_a_case() {
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "stderr") {
            assert!(
                path.with_extension("cruddur").exists(),
                "{} has no .cruddur case",
                path.display()
            );
        }
    }
}

/// Applies all fixes of a case (non-overlapping, back to front) and re-checks: the fixed
/// diagnostics must be gone.
#[test]
fn fixes_remove_what_they_fix() {
    let mut fixed_any = 0;
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "cruddur") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut sources = SourceMap::new();
        let (file, included) = load(&mut sources, "case", &text, &Default::default());
        let before = cruddur::analysis::analyze_with(&sources, &[file], &included).diagnostics;
        let mut edits: Vec<_> = before
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .flat_map(|f| f.edits.iter())
            .collect();
        if edits.is_empty() {
            continue;
        }
        edits.sort_by_key(|e| (e.file, e.span.start, e.span.end));
        // Each file's edits, back to front; an edit overlapping one applied is left out.
        let mut texts = std::collections::BTreeMap::new();
        let mut last: Option<(FileId, usize)> = None;
        for edit in edits.iter().rev() {
            if last.is_some_and(|(f, start)| f == edit.file && edit.span.end > start) {
                continue;
            }
            let name = if edit.file == file {
                "case".to_string()
            } else {
                sources.name(edit.file).to_string()
            };
            let current = texts
                .entry(name)
                .or_insert_with(|| sources.source(edit.file).to_string());
            current.replace_range(edit.span.clone(), &edit.replacement);
            last = Some((edit.file, edit.span.start));
        }
        let fixed = texts.remove("case").unwrap_or_else(|| text.clone());
        let mut sources = SourceMap::new();
        let (file, included) = load(&mut sources, "fixed", &fixed, &texts);
        let after = cruddur::analysis::analyze_with(&sources, &[file], &included).diagnostics;
        // A fix must not write broken code: no syntax or structure errors, and no IAM or
        // security problems, of kinds the file did not have. (Other new diagnostics are
        // problems the fixes revealed by making the code readable.)
        let codes_before: std::collections::BTreeSet<_> = before.iter().map(|d| d.code).collect();
        let broken = |code: &str| {
            code.starts_with("E00") || code.starts_with("E01") || code.starts_with("E04") || code.starts_with('S')
        };
        let new_codes: Vec<_> = after
            .iter()
            .filter(|d| !codes_before.contains(&d.code) && broken(d.code.as_str()))
            .map(|d| (d.code, d.message.clone()))
            .collect();
        assert!(
            new_codes.is_empty(),
            "{}: fixes introduced {new_codes:?}; fixed text:\n{fixed}",
            path.display()
        );
        // Per code: what remains after fixing is at most what was there minus what was fixed.
        let mut fixed_per_code = std::collections::BTreeMap::new();
        // A placeholder leaves its finding until a person fills the slot in.
        let removes = |d: &&cruddur::diagnostics::Diagnostic| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability != cruddur::diagnostics::Applicability::Placeholder)
        };
        for d in before.iter().filter(removes) {
            *fixed_per_code.entry(d.code).or_insert(0usize) += 1;
        }
        for (code, fixed_count) in fixed_per_code {
            let was = before.iter().filter(|d| d.code == code).count();
            let now = after.iter().filter(|d| d.code == code).count();
            assert!(
                now + fixed_count <= was,
                "{}: fixing {fixed_count} {code} left {now} of {was}; fixed text:\n{fixed}",
                path.display()
            );
        }
        fixed_any += 1;
    }
    assert!(
        fixed_any >= 5,
        "expected fixes in at least 5 UI cases, found {fixed_any}"
    );
}

/// The deliberately vulnerable programs of `tests/goat/` (one per family of the OWASP Top 10
/// CI/CD risks): each planted flaw is marked on its line with `// expect: CODE`, and `check`
/// must report exactly those, each at its line, and nothing else. Together they plant every
/// security rule.
#[test]
fn goat_programs_are_caught_in_full_and_nothing_else() {
    use std::collections::BTreeSet;
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/goat");
    let mut programs: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cruddur"))
        .collect();
    programs.sort();
    let mut planted_codes = BTreeSet::new();
    let mut failures = Vec::new();
    for program in &programs {
        let name = program.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(program).unwrap();
        let mut expected = BTreeSet::new();
        for (n, line) in text.lines().enumerate() {
            if let Some((_, codes)) = line.split_once("// expect: ") {
                for code in codes.split(',').map(str::trim) {
                    expected.insert((n + 1, code.to_string()));
                    planted_codes.insert(code.to_string());
                }
            }
        }
        assert!(!expected.is_empty(), "{name} plants no flaw");
        let mut sources = SourceMap::new();
        let file = sources.add(name.clone(), text.clone());
        let analysis = cruddur::analysis::analyze_with(&sources, &[file], &Included::new());
        let found: BTreeSet<(usize, String)> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.suppressed.is_none())
            .map(|d| {
                let line = text[..d.primary.span.start].matches('\n').count() + 1;
                (line, d.code.as_str().to_string())
            })
            .collect();
        for missed in expected.difference(&found) {
            failures.push(format!("{name}:{}: {} not reported", missed.0, missed.1));
        }
        for extra in found.difference(&expected) {
            failures.push(format!("{name}:{}: {} reported, not planted", extra.0, extra.1));
        }
    }
    for code in cruddur::diagnostics::Code::ALL.iter().filter(|c| c.is_security_rule()) {
        if !planted_codes.contains(code.as_str()) {
            failures.push(format!("no goat program plants {}", code.as_str()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! The terminal report where the text is awkward: labels in several files with multi-byte text
//! before them, labels far apart on one long line, tabs.

use cruddur::diagnostics::{render, SourceMap};

fn human(files: &[(&str, &str)]) -> String {
    let mut sources = SourceMap::new();
    let ids: Vec<_> = files.iter().map(|(name, text)| sources.add(*name, *text)).collect();
    let analysis = cruddur::analyze(&sources, &ids);
    let mut out = Vec::new();
    render::human(&mut out, &analysis.diagnostics, &sources, false).unwrap();
    String::from_utf8(out).unwrap()
}

/// Found by fuzzing: a secondary label in another file, after multi-byte text, made the
/// renderer slice inside a character.
#[test]
fn a_label_in_another_file_after_multibyte_text() {
    let first = format!("// {}\naws {{\n  region = \"us-east-1\"\n}}\n", "é".repeat(40));
    let report = human(&[
        ("a.cruddur", &first),
        ("b.cruddur", "aws {\n  region = \"us-east-1\"\n}\n"),
    ]);
    assert!(report.contains("[E0201]"), "{report}");
    // Each file is headed by the place its own label points at.
    assert!(report.contains("╭─[ b.cruddur:1:1 ]"), "{report}");
    assert!(report.contains("├─[ a.cruddur:2:1 ]"), "{report}");
}

/// A secondary label on an earlier line than the primary is drawn in line order, and the
/// heading keeps the primary's place.
#[test]
fn labels_are_drawn_in_line_order_under_the_primarys_heading() {
    let text = include_str!("../../tests/ui/buildspec-docker-needs-privileged.cruddur");
    let report = human(&[("p.cruddur", text)]);
    let environment = report.find("  7 │   environment").expect("the environment's line");
    let run = report.find(" 11 │     run ecr_login").expect("the run's line");
    assert!(environment < run, "{report}");
    assert!(report.contains("╭─[ p.cruddur:11:9 ]"), "{report}");
    assert!(!report.contains("├─["), "one file, one heading: {report}");
}

/// A minified line: each label is shown in a window of the line, not the whole line, and the
/// columns in the heading count characters.
#[test]
fn long_lines_are_shown_as_windows_around_their_labels() {
    let mut text = String::from("aws { region = \"us-east-1\" } ");
    text.push_str(&"let é = 1 ".repeat(2_000)); // duplicate names: errors all along the line
    text.push('\n');
    let report = human(&[("long.cruddur", &text)]);
    let longest = report.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 300, "a row of {longest} characters");
    assert!(report.contains('…'), "{}", &report[..2000]);
    assert!(report.contains("long.cruddur:1:"), "{}", &report[..2000]);
}

#[test]
fn tabs_keep_the_underline_under_its_text() {
    let text = "project p {\n\tenvironment {\n\t\tcompute = huge\n\t}\n}\n";
    let report = human(&[("t.cruddur", text)]);
    let line = report.lines().find(|l| l.contains("compute = huge")).expect("the line");
    let under = report
        .lines()
        .skip_while(|l| !l.contains("compute = huge"))
        .nth(1)
        .unwrap();
    let value = line.find("huge").unwrap();
    assert_eq!(under.find('─').or(under.find('┬')), Some(value), "{report}");
}

/// JSON and SARIF are written one diagnostic at a time, byte for byte as the whole document
/// would print.
#[test]
fn streamed_json_and_sarif_equal_the_whole_documents() {
    use cruddur::diagnostics::sarif;
    for case in ["buildspec-docker-needs-privileged", "wiring-unused-artifact"] {
        let text =
            std::fs::read_to_string(format!("{}/../tests/ui/{case}.cruddur", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let mut sources = SourceMap::new();
        let file = sources.add("case.cruddur", text);
        let diagnostics = cruddur::analyze(&sources, &[file]).diagnostics;
        assert!(!diagnostics.is_empty());
        for diagnostics in [&diagnostics[..], &[]] {
            let mut streamed = Vec::new();
            sarif::write(&mut streamed, diagnostics, &sources).unwrap();
            let whole = serde_json::to_string_pretty(&sarif::document(diagnostics, &sources)).unwrap() + "\n";
            assert_eq!(String::from_utf8(streamed).unwrap(), whole);

            let mut streamed = Vec::new();
            render::json(&mut streamed, diagnostics, &sources).unwrap();
            let whole = serde_json::json!({
                "version": 1,
                "diagnostics": diagnostics.iter().map(|d| render::diagnostic_json(d, &sources)).collect::<Vec<_>>(),
                "summary": {
                    "errors": diagnostics.iter().filter(|d| d.is_active() && d.is_error()).count(),
                    "warnings": diagnostics.iter().filter(|d| d.is_active() && !d.is_error()).count(),
                    "suppressed": diagnostics.iter().filter(|d| !d.is_active()).count(),
                },
            });
            let whole = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert_eq!(String::from_utf8(streamed).unwrap(), whole);
        }
    }
}

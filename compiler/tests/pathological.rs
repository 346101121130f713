//! Programs of pathological shapes, each analysed and reported in every output format within a
//! generous limit: what grows with the program must grow linearly, and a quadratic (or worse)
//! regression takes far longer than the limit. The limits hold for a debug build on a slow
//! machine; `cargo bench -p cruddur` measures the release build.

use cruddur::diagnostics::{render, sarif, SourceMap};
use std::time::{Duration, Instant};

/// Far above what each shape takes in a debug build (a few seconds at most), far below what a
/// quadratic step on these sizes would.
const LIMIT: Duration = Duration::from_secs(60);

const SOURCE_STAGE: &str = r#"  stage Source {
    action Source = s3_source() {
      bucket = "my-source-bucket"
      key    = "src.zip"
      output Code
    }
  }
"#;

/// Analyses `text`, writes its diagnostics in every format, and returns the codes found.
fn check(name: &str, text: String) -> Vec<&'static str> {
    let started = Instant::now();
    let mut sources = SourceMap::new();
    let file = sources.add(format!("{name}.cruddur"), text);
    let analysis = cruddur::analyze(&sources, &[file]);
    let diagnostics = &analysis.diagnostics;
    let mut sink = std::io::sink();
    render::human(&mut sink, diagnostics, &sources, true).unwrap();
    render::short(&mut sink, diagnostics, &sources).unwrap();
    render::json(&mut sink, diagnostics, &sources).unwrap();
    sarif::write(&mut sink, diagnostics, &sources).unwrap();
    let took = started.elapsed();
    assert!(took < LIMIT, "{name}: {took:?}");
    let mut codes: Vec<&'static str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    codes.sort();
    codes.dedup();
    codes
}

fn approvals(count: usize) -> String {
    (0..count).map(|i| format!("    action A{i} = approval()\n")).collect()
}

#[test]
fn five_thousand_stages() {
    let stages: String = (0..5_000)
        .map(|i| format!("  stage S{i} {{\n    action A{i} = approval()\n  }}\n"))
        .collect();
    let codes = check(
        "stages",
        format!("pipeline p {{\n  name = \"p\"\n{SOURCE_STAGE}{stages}}}\n"),
    );
    assert!(codes.contains(&"E0338"), "{codes:?}");
}

#[test]
fn ten_thousand_actions_in_one_stage() {
    let text = format!(
        "pipeline p {{\n  name = \"p\"\n{SOURCE_STAGE}  stage Approve {{\n{}  }}\n}}\n",
        approvals(10_000)
    );
    assert!(check("actions", text).contains(&"E0338"));
}

#[test]
fn a_one_megabyte_string() {
    let text = format!(
        "project p {{\n  name = \"p\"\n  description = \"{}\"\n  environment {{\n    image = amazonlinux_standard(\"5.0\")\n  }}\n  phase build {{\n    run \"make\"\n  }}\n}}\n",
        "é".repeat(500_000)
    );
    // The description is longer than CodeBuild takes; the report shows a window of its line.
    let codes = check("string", text);
    assert!(!codes.is_empty());
}

#[test]
fn a_hundred_thousand_run_lines() {
    let runs: String = (0..100_000).map(|i| format!("    run \"echo {i}\"\n")).collect();
    let text = format!(
        "project p {{\n  name = \"p\"\n  environment {{\n    image = amazonlinux_standard(\"5.0\")\n  }}\n  phase build {{\n{runs}  }}\n}}\n"
    );
    check("runs", text);
}

#[test]
fn ten_thousand_deep_nesting() {
    let text = format!("let x = {}\"1\"{}\n", "[".repeat(10_000), "]".repeat(10_000));
    assert!(check("nesting", text).contains(&"E0014"));
}

#[test]
fn a_fifty_thousand_let_chain() {
    let mut text: String = (0..50_000).map(|i| format!("let v{i} = v{}\n", i + 1)).collect();
    text.push_str("let v50000 = \"backend-flask\"\nrepository r {\n  name = v0\n  scan_on_push = true\n  tag_mutability = immutable\n}\n");
    // Only that the repository is used nowhere: the chain resolves to a valid name.
    assert_eq!(check("chain", text), ["E0204"]);
}

#[test]
fn a_fifty_thousand_let_cycle_is_one_error() {
    let text: String = (0..50_000)
        .map(|i| format!("let v{i} = v{}\n", (i + 1) % 50_000))
        .collect();
    let mut sources = SourceMap::new();
    let file = sources.add("cycle.cruddur", text);
    let analysis = cruddur::analyze(&sources, &[file]);
    let cycles: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "E0205")
        .collect();
    assert_eq!(cycles.len(), 1, "one cycle, one report");
    assert!(
        cycles[0].message.len() < 300,
        "a long cycle is told by its ends: {}",
        cycles[0].message
    );
}

#[test]
fn a_hundred_thousand_diagnostics_on_one_line() {
    // Every `let` but the first defines `v` again: one error each, all on one line.
    let text: String = (0..100_000).map(|i| format!("let v = \"{i}\" ")).collect::<String>() + "\n";
    let started = Instant::now();
    let mut sources = SourceMap::new();
    let file = sources.add("line.cruddur", text);
    let analysis = cruddur::analyze(&sources, &[file]);
    assert!(analysis.diagnostics.len() >= 99_999, "{}", analysis.diagnostics.len());
    let mut sink = std::io::sink();
    render::human(&mut sink, &analysis.diagnostics, &sources, false).unwrap();
    render::short(&mut sink, &analysis.diagnostics, &sources).unwrap();
    render::json(&mut sink, &analysis.diagnostics, &sources).unwrap();
    sarif::write(&mut sink, &analysis.diagnostics, &sources).unwrap();
    assert!(started.elapsed() < LIMIT, "{:?}", started.elapsed());
}

#[test]
fn patterns_of_many_stars() {
    // Found by fuzzing: each star of an action pattern tried every split of the rest (a role's
    // `allow` with eighty stars took longer than any timeout).
    let stars = "*".repeat(80);
    let text = format!(
        r#"role deployer {{
  name  = "deployer"
  trust = [codepipeline]
  allow {{
    actions   = ["{stars}iam:PassRole"]
    resources = ["*"]
  }}
}}
project proj {{
  name = "proj"
  role = deployer
  output files("{stars}x", "a/{stars}/**/{stars}**/y")
}}
"#
    );
    check("stars", text);
    // So did artifact patterns, matched against the files a deploy action reads.
    let started = Instant::now();
    let path = "a/".repeat(50) + "b";
    for pattern in [
        format!("{stars}x"),
        format!("a/{stars}/**/{stars}**/y"),
        "**/".repeat(40) + "c",
    ] {
        assert!(
            !cruddur::resolve::artifacts::pattern_matches(&pattern, &path),
            "{pattern}"
        );
    }
    assert!(started.elapsed() < LIMIT, "{:?}", started.elapsed());
}

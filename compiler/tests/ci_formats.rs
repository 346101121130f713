//! The reports for CI systems (`--format github|junit|gitlab|checkstyle`): snapshots of a few UI
//! cases (`tests/formats/`, rewritten with `BLESS=1`), and over the whole UI corpus, each report
//! says what `--format json` says. The XML reports are read by junitparser and the checkstyle
//! reader of the conformance step (tests/conformance/validate.py).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn cruddur(args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cruddur"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    (output.status.code(), String::from_utf8(output.stdout).unwrap())
}

/// Cases that between them have errors and warnings, waived findings, a finding in a buildspec
/// file, a syntax error, and a file without findings.
const CASES: &[&str] = &[
    "tests/ui/names-unknown-reference.cruddur",
    "tests/ui/security-wildcards-and-waivers.cruddur",
    "tests/ui/buildspec-file-checked-like-phases.cruddur",
    "tests/ui/parse-missing-opening-brace.cruddur",
    "examples/01-minimal.cruddur",
];

#[test]
fn reports_match_their_snapshots() {
    let mut stale = Vec::new();
    for (format, file) in [
        ("github", "github.txt"),
        ("junit", "junit.xml"),
        ("gitlab", "gitlab.json"),
        ("checkstyle", "checkstyle.xml"),
    ] {
        let mut args = vec!["check", "--format", format];
        args.extend(CASES);
        let (status, report) = cruddur(&args);
        assert_eq!(status, Some(1), "{format}: the cases have errors");
        let path = root().join("tests/formats").join(file);
        if std::env::var_os("BLESS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &report).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(report.as_str()) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} differ from the output (BLESS=1 rewrites them)"
    );
}

/// A finding as the reports place it: file, line, column, end line, end column, severity, code,
/// message.
type Finding = (String, u64, u64, u64, u64, String, String, String);

/// `--format json`'s findings, not waived.
fn findings(json: &str) -> Vec<Finding> {
    let report: Value = serde_json::from_str(json).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["suppressed"].is_null())
        .map(|d| {
            let n = |key: &str| d["span"][key].as_u64().unwrap();
            let s = |v: &Value| v.as_str().unwrap().to_string();
            (
                s(&d["file"]),
                n("line"),
                n("column"),
                n("end_line"),
                n("end_column"),
                s(&d["severity"]),
                s(&d["code"]),
                s(&d["message"]),
            )
        })
        .collect()
}

/// GitHub's workflow-command grammar (`::COMMAND key=value,…::message`, with `%`, CR, LF, and in
/// values `:` and `,`, percent-encoded), read back.
fn unescape(text: &str) -> String {
    text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn over_the_ui_corpus_github_commands_parse_and_say_what_json_says() {
    let (_, json) = cruddur(&["check", "--format", "json", "tests/ui/"]);
    let expected = findings(&json);
    let (_, commands) = cruddur(&["check", "--format", "github", "tests/ui/"]);
    let line = regex_lite::Regex::new(r"^::(error|warning|notice) ([^:]*)::(.*)$").unwrap();
    let mut read = Vec::new();
    for command in commands.lines() {
        let captures = line
            .captures(command)
            .unwrap_or_else(|| panic!("not a workflow command: {command}"));
        let mut properties = std::collections::BTreeMap::new();
        for property in captures[2].split(',') {
            let (key, value) = property
                .split_once('=')
                .unwrap_or_else(|| panic!("{property} in {command}"));
            assert!(
                ["file", "line", "col", "endLine", "endColumn", "title"].contains(&key),
                "unknown property {key}"
            );
            assert!(!value.contains([':', ',', '\n', '\r']), "{command}");
            properties.insert(key, unescape(value));
        }
        let message = &captures[3];
        assert!(!message.contains(['\n', '\r']), "{command}");
        let number = |key: &str| properties[key].parse::<u64>().unwrap();
        let title = &properties["title"];
        let text = unescape(message);
        read.push((
            properties["file"].clone(),
            number("line"),
            number("col"),
            number("endLine"),
            number("endColumn"),
            captures[1].to_string(),
            title[..title.find(' ').unwrap()].to_string(),
            text.lines().next().unwrap().to_string(),
        ));
    }
    assert!(read.len() > 300, "only {} commands", read.len());
    // A message of more than one line is compared by its first.
    let expected: Vec<_> = expected
        .into_iter()
        .map(|mut f| {
            f.7 = f.7.lines().next().unwrap_or_default().to_string();
            f
        })
        .collect();
    assert_eq!(read, expected);
}

#[test]
fn over_the_ui_corpus_gitlab_issues_are_complete_and_fingerprints_unique_and_stable() {
    let (_, json) = cruddur(&["check", "--format", "json", "tests/ui/"]);
    let expected = findings(&json);
    let (_, report) = cruddur(&["check", "--format", "gitlab", "tests/ui/"]);
    let issues: Vec<Value> = serde_json::from_str(&report).unwrap();
    assert_eq!(issues.len(), expected.len());
    let mut fingerprints = std::collections::BTreeSet::new();
    for (issue, (file, line, _, end_line, _, severity, code, message)) in issues.iter().zip(&expected) {
        // The fields GitLab requires, as its documentation lists them.
        assert_eq!(issue["check_name"], code.as_str());
        assert!(issue["description"].as_str().unwrap().contains(message.as_str()));
        assert_eq!(issue["location"]["path"], file.as_str());
        assert_eq!(issue["location"]["lines"]["begin"], *line);
        assert_eq!(issue["location"]["lines"]["end"], *end_line);
        let expected_severity = if severity == "warning" { "minor" } else { "major" };
        assert!(
            issue["severity"] == expected_severity || (severity == "error" && issue["severity"] == "critical"),
            "{issue}"
        );
        let fingerprint = issue["fingerprint"].as_str().unwrap();
        assert!(fingerprint.len() == 32 && fingerprint.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(fingerprints.insert(fingerprint.to_string()), "{fingerprint} repeats");
    }
    let (_, again) = cruddur(&["check", "--format", "gitlab", "tests/ui/"]);
    assert_eq!(report, again, "the report differs between runs");
}

/// A finding keeps its fingerprint when lines are added above it, so GitLab sees the same issue.
#[test]
fn gitlab_fingerprints_survive_lines_added_above() {
    let dir = std::env::temp_dir().join(format!("cruddur-ci-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let case = root().join("tests/ui/names-unknown-reference.cruddur");
    let text = std::fs::read_to_string(&case).unwrap();
    let fingerprints = |text: &str| {
        let file = dir.join("case.cruddur");
        std::fs::write(&file, text).unwrap();
        let (_, report) = cruddur(&["check", "--format", "gitlab", file.to_str().unwrap()]);
        let issues: Vec<Value> = serde_json::from_str(&report).unwrap();
        issues
            .iter()
            .map(|i| {
                (
                    i["fingerprint"].clone(),
                    i["location"]["lines"]["begin"].as_u64().unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    let before = fingerprints(&text);
    let after = fingerprints(&format!("// a comment\n// another\n{text}"));
    assert_eq!(before.len(), after.len());
    for ((a, line_a), (b, line_b)) in before.iter().zip(&after) {
        assert_eq!(a, b);
        assert_eq!(line_a + 2, *line_b);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

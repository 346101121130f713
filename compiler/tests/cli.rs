//! The `cruddur` command as users and CI run it: exit codes, output formats, input errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cruddur(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cruddur"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cruddur-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn examples_check_clean() {
    let output = cruddur(&["check", "examples/"]);
    assert_eq!(output.status.code(), Some(0), "{}{}", stdout(&output), stderr(&output));
    assert_eq!(stdout(&output), "no problems found\n");
}

#[test]
fn errors_exit_one_in_every_format() {
    for format in ["human", "short", "json"] {
        let output = cruddur(&[
            "check",
            "tests/ui/recovery-three-independent-errors.cruddur",
            "--format",
            format,
        ]);
        assert_eq!(output.status.code(), Some(1), "format {format}");
    }
}

#[test]
fn short_format_is_one_line_per_problem() {
    let output = cruddur(&[
        "check",
        "tests/ui/recovery-three-independent-errors.cruddur",
        "--format",
        "short",
    ]);
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 7, "{text}");
    assert!(text.starts_with("tests/ui/recovery-three-independent-errors.cruddur:2:10: error[E0002]: "));
}

#[test]
fn json_format_is_a_document_with_positions_and_fixes() {
    let output = cruddur(&[
        "check",
        "tests/ui/parse-colon-instead-of-equals.cruddur",
        "--format",
        "json",
    ]);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["version"], 1);
    assert_eq!(document["summary"]["errors"], 2);
    let first = &document["diagnostics"][0];
    assert_eq!(first["code"], "E0010");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["span"]["line"], 2);
    assert_eq!(first["span"]["column"], 7);
    assert_eq!(first["fix"]["edits"][0]["replacement"], " =");
}

#[test]
fn color_is_off_when_piped_and_on_when_asked() {
    let plain = cruddur(&["check", "tests/ui/parse-stray-equals.cruddur"]);
    assert!(!stdout(&plain).contains('\u{1b}'));
    let colored = cruddur(&["check", "tests/ui/parse-stray-equals.cruddur", "--color", "always"]);
    assert!(stdout(&colored).contains('\u{1b}'));
}

#[test]
fn explain_prints_the_catalog_entry() {
    let output = cruddur(&["explain", "E0011"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).starts_with("## E0011: unclosed delimiter"));
    let unknown = cruddur(&["explain", "E9999"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("not a cruddur diagnostic code"));
}

#[test]
fn missing_file_is_a_usage_error() {
    let output = cruddur(&["check", "no/such/file.cruddur"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read `no/such/file.cruddur`: no such file or directory"));
}

#[test]
fn directory_without_sources_is_a_usage_error() {
    let dir = temp_dir("empty");
    let output = cruddur(&["check", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no .cruddur files in directory"));
}

#[test]
fn non_utf8_input_is_a_usage_error() {
    let dir = temp_dir("latin1");
    let file = dir.join("bad.cruddur");
    std::fs::write(&file, b"project caf\xe9 {}\n").unwrap();
    let output = cruddur(&["check", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("is not UTF-8 text (invalid byte at offset 11)"));
}

#[test]
fn no_arguments_prints_usage_and_exits_two() {
    let output = cruddur(&["check"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("Usage"));
}

#[test]
fn help_and_version() {
    let help = cruddur(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("cruddur explain E0011"));
    let version = cruddur(&["--version"]);
    assert_eq!(
        stdout(&version).trim(),
        format!("cruddur {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn files_of_a_project_directory_form_one_program() {
    let dir = temp_dir("project");
    std::fs::write(dir.join("cruddur.toml"), "").unwrap();
    std::fs::write(dir.join("a.cruddur"), "repository images {\n  name = \"images\"\n}\n").unwrap();
    std::fs::write(
        dir.join("b.cruddur"),
        "project bake {\n  name   = \"bake\"\n  pushes = [images]\n  environment {\n    image = amazonlinux_standard(\"5.0\")\n  }\n}\n",
    )
    .unwrap();
    let clean = cruddur(&["check", dir.to_str().unwrap(), "--format", "short"]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "a reference across files resolves: {}",
        stdout(&clean)
    );

    std::fs::write(dir.join("c.cruddur"), "repository images {\n  name = \"other\"\n}\n").unwrap();
    let duplicate = cruddur(&["check", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(duplicate.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_slice(&duplicate.stdout).unwrap();
    let first = &document["diagnostics"][0];
    assert_eq!(first["code"], "E0201");
    assert!(first["file"].as_str().unwrap().ends_with("c.cruddur"));
    assert!(first["secondary"][0]["file"].as_str().unwrap().ends_with("a.cruddur"));
}

#[test]
fn files_outside_a_project_are_separate_programs() {
    let dir = temp_dir("standalone");
    std::fs::write(dir.join("a.cruddur"), "repository images {\n  name = \"images\"\n}\n").unwrap();
    std::fs::write(dir.join("b.cruddur"), "repository images {\n  name = \"images\"\n}\n").unwrap();
    let output = cruddur(&["check", dir.to_str().unwrap(), "--format", "short"]);
    // Two programs, each with an unused repository; no duplicate across them.
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output).matches("E0204").count(), 2);
    assert!(!stdout(&output).contains("E0201"));
}

//! The server's command line: `--version` and `--help` answer on standard output, `--stdio`
//! (which many clients pass) is accepted, and anything else is refused on standard error, so a
//! client never reads usage text as LSP.

use std::io::Write;
use std::process::{Command, Stdio};

fn server(args: &[&str], input: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cruddur-lsp"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn version_and_help_answer_on_standard_output() {
    let version = server(&["--version"], "");
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&version.stdout),
        format!("cruddur-lsp {}\n", env!("CARGO_PKG_VERSION"))
    );
    let help = server(&["--help"], "");
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("Usage: cruddur-lsp [--stdio]"));
}

#[test]
fn stdio_is_accepted_and_served() {
    // Closed input without `shutdown`: the session ends with status 1, having served.
    let output = server(&["--stdio"], "");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(output.stderr, b"");
    assert_eq!(output.stdout, b"");
}

#[test]
fn an_unknown_argument_is_refused_on_standard_error() {
    let output = server(&["--tcp"], "");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(output.stdout, b"");
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("cruddur-lsp: unknown argument `--tcp`"));
}

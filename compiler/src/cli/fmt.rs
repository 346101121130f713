//! `cruddur fmt`: files rewritten in place (each atomically), `--check` to list the ones that
//! would change, `-` for standard input. A file with syntax errors is never touched.

use super::output;
use cruddur::diagnostics::{render, SourceMap};
use cruddur::format::{self, FormatError};
use cruddur::workspace::{OsFs, Workspace};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

pub fn run(paths: &[PathBuf], check: bool) -> i32 {
    if paths.iter().any(|p| p.as_os_str() == "-") {
        if paths.len() > 1 {
            eprintln!("error: `-` formats standard input alone; name no other paths with it");
            return 2;
        }
        return stdin(check);
    }
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() { &default[..] } else { paths };
    let workspace = Workspace::new(OsFs);
    let files = match workspace.find_sources(paths) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    let mut failed = false;
    let mut changed = 0;
    for path in &files {
        let text = match workspace.read_source(path) {
            Ok(text) => text,
            Err(message) => {
                eprintln!("error: {message}");
                return 2;
            }
        };
        let Some(formatted) = formatted(path, &text) else {
            failed = true;
            continue;
        };
        if formatted == text {
            continue;
        }
        changed += 1;
        if check {
            println!("{}", path.display());
            continue;
        }
        if let Err(message) = output::write_file(path, &formatted) {
            eprintln!("error: {message}");
            return 2;
        }
    }
    if check {
        if changed > 0 {
            eprintln!(
                "{changed} of {} file{} not formatted: run `cruddur fmt`",
                files.len(),
                if files.len() == 1 { " is" } else { "s are" }
            );
        }
        return i32::from(failed || changed > 0);
    }
    if changed > 0 {
        eprintln!("formatted {changed} file{}", if changed == 1 { "" } else { "s" });
    }
    i32::from(failed)
}

/// The formatted text, or `None` with the reason printed.
fn formatted(path: &Path, text: &str) -> Option<String> {
    match format::format(text) {
        Ok(formatted) => Some(formatted),
        Err(FormatError::Syntax(diagnostics)) => {
            let mut sources = SourceMap::new();
            let _ = sources.add(path.display().to_string(), text.to_string());
            eprintln!("error: `{}` has syntax errors; it is left as it is:", path.display());
            let _ = render::short(&mut io::stderr().lock(), &diagnostics, &sources);
            None
        }
        Err(FormatError::Unsafe(why)) => {
            eprintln!(
                "error: `{}` is left as it is: {why} (a bug in cruddur fmt; please report it with the file)",
                path.display()
            );
            None
        }
    }
}

fn stdin(check: bool) -> i32 {
    let mut text = String::new();
    if let Err(error) = io::stdin().read_to_string(&mut text) {
        eprintln!("error: cannot read standard input: {error}");
        return 2;
    }
    let result = formatted(Path::new("<stdin>"), &text);
    if check {
        let changed = result.as_ref().is_some_and(|f| *f != text);
        if changed {
            println!("<stdin>");
        }
        return i32::from(result.is_none() || changed);
    }
    // Text that cannot be formatted goes out as it came in: an editor piping its buffer
    // through `cruddur fmt -` keeps it.
    let (output, code) = match &result {
        Some(formatted) => (formatted.as_str(), 0),
        None => (text.as_str(), 1),
    };
    let mut out = io::stdout().lock();
    match out.write_all(output.as_bytes()).and_then(|_| out.flush()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write output: {error}");
            2
        }
        _ => code,
    }
}

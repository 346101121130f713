//! `cruddur import`: reads existing definitions (buildspec files, for now) and writes one
//! `.cruddur` program, then checks it. Remarks say what was kept as a comment, filled in or
//! moved out; the program is written whole or not at all (an input CodeBuild would refuse
//! writes nothing; one whose commands have mistakes is written, with them reported, exit 1),
//! and an existing file is never replaced.

use super::{report_to, ColorChoice, Format, Reporting};
use cruddur::diagnostics::{Diagnostic, SourceMap};
use cruddur::import::{self, RemarkKind};
use cruddur::workspace::{OsFs, Workspace};
use std::path::{Path, PathBuf};

pub fn run(files: &[PathBuf], output: Option<&Path>, keep_roles: bool, color: ColorChoice) -> i32 {
    // Refused before anything is read or said.
    if let Some(path) = output.filter(|p| p.exists()) {
        eprintln!("error: `{}` exists; import writes a new file only", path.display());
        return 2;
    }
    let mut sources = SourceMap::new();
    let mut ids = Vec::new();
    let mut seen = Vec::new();
    for path in files {
        // The same file named twice is read once.
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if path.as_os_str() != "-" && seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let read = if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map(|_| bytes)
        } else if path.is_dir() {
            eprintln!("error: `{}` is a folder: name the files to import", path.display());
            return 2;
        } else {
            std::fs::read(path)
        };
        let text = match read {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    eprintln!("error: `{}` is not UTF-8 text", path.display());
                    return 2;
                }
            },
            Err(error) => {
                eprintln!("error: cannot read `{}`: {error}", path.display());
                return 2;
            }
        };
        let name = if path.as_os_str() == "-" {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        ids.push(sources.add(name, text));
    }
    let options = import::Options { keep_roles };
    let imported = match import::import_with(&mut sources, &ids, &options) {
        Ok(imported) => imported,
        Err(diagnostics) => {
            let _ = report_to(
                &mut std::io::stderr(),
                &diagnostics,
                &sources,
                Format::Human,
                Reporting::new(color),
            );
            eprintln!("nothing was written");
            return 1;
        }
    };
    // Diagnostics go to standard error: standard output is the program. The program is
    // checked where it will be written (the current folder without -o), so the buildspec
    // files it names are read from there, as `cruddur check` will read them.
    let here = std::env::current_dir().unwrap_or_default();
    let path = match output {
        Some(path) => here.join(path),
        None => here.join("imported.cruddur"),
    };
    let mut workspace = Workspace::new(OsFs);
    let file = workspace.set_text(&path, imported.text.clone());
    let Some(analysis) = workspace.analysis_of(file) else {
        eprintln!("error: the imported program could not be checked");
        return 2;
    };
    let program = workspace.sources().clone();
    let errors: Vec<Diagnostic> = analysis.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
    for kind in [
        RemarkKind::Kept,
        RemarkKind::Inferred,
        RemarkKind::Moved,
        RemarkKind::ToDo,
    ] {
        for remark in imported.remarks.iter().filter(|r| r.kind == kind) {
            let at = sources.line_col(remark.file, remark.span.start);
            eprintln!(
                "{}:{}:{}: {}: {}",
                sources.name(remark.file),
                at.line,
                at.column,
                kind.word(),
                remark.message
            );
        }
    }
    // An input with its own mistakes (a command CodeBuild's images no longer have, say) is
    // imported whole: the errors are the input's, for `cruddur check` to show with their fixes.
    if !imported.audit.is_empty() {
        eprintln!("least-privilege audit:");
        for line in &imported.audit {
            eprintln!("  {line}");
        }
    }
    if !errors.is_empty() {
        let _ = report_to(
            &mut std::io::stderr(),
            &errors,
            &program,
            Format::Human,
            Reporting::new(color),
        );
    }
    let warnings = analysis.diagnostics.len() - errors.len();
    match output {
        None => print!("{}", imported.text),
        Some(path) => {
            if path.exists() {
                eprintln!(
                    "error: `{}` appeared while importing; nothing was written",
                    path.display()
                );
                return 2;
            }
            if let Err(message) = super::output::write_file(path, &imported.text) {
                eprintln!("error: {message}");
                return 2;
            }
            let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
            eprintln!(
                "wrote {} from {}; {}",
                path.display(),
                plural(files.len(), "file"),
                match (errors.len(), warnings) {
                    (0, 0) => "it checks clean".to_string(),
                    (0, 1) => "it checks with 1 warning: `cruddur check` shows it".to_string(),
                    (0, w) => format!("it checks with {w} warnings: `cruddur check` shows them"),
                    (e, _) if errors.iter().any(|d| d.fix.is_some()) => format!(
                        "it has {} from the input (above): `cruddur check --fix` applies the mechanical fixes",
                        plural(e, "error")
                    ),
                    (e, _) => format!("it has {} from the input (above)", plural(e, "error")),
                }
            );
        }
    }
    if errors.is_empty() {
        0
    } else {
        1
    }
}

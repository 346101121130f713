//! Finding, grouping and reading the source files named on the command line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const EXTENSION: &str = "cruddur";

/// Expands directories (recursively, sorted) and keeps explicitly named files as they are.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        let metadata =
            std::fs::metadata(path).map_err(|e| format!("cannot read `{}`: {}", path.display(), io_reason(&e)))?;
        if metadata.is_dir() {
            let before = files.len();
            walk(path, &mut files)?;
            if files.len() == before {
                return Err(format!("no .{EXTENSION} files in directory `{}`", path.display()));
            }
        } else {
            files.push(path.clone());
        }
    }
    // A file named twice (directly and through its folder) is read once.
    let mut seen = std::collections::HashSet::new();
    files.retain(|file| seen.insert(std::fs::canonicalize(file).unwrap_or_else(|_| file.clone())));
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read directory `{}`: {}", dir.display(), io_reason(&e)))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|entry| entry.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, files)?;
        } else if path.extension().is_some_and(|ext| ext == EXTENSION) {
            files.push(path);
        }
    }
    Ok(())
}

/// A program: its files, and the project root (holding `cruddur.toml`) if it has one.
pub struct Program<'a> {
    pub root: Option<PathBuf>,
    pub files: Vec<&'a Path>,
}

/// Groups files into programs: the files under one directory holding a `cruddur.toml` form
/// one program; every other file is a program of its own.
pub fn programs(files: &[PathBuf]) -> Vec<Program<'_>> {
    let mut by_root: BTreeMap<PathBuf, Vec<&Path>> = BTreeMap::new();
    let mut programs = Vec::new();
    for file in files {
        match project_root(file) {
            Some(root) => by_root.entry(root).or_default().push(file),
            None => programs.push(Program {
                root: None,
                files: vec![file.as_path()],
            }),
        }
    }
    programs.extend(by_root.into_iter().map(|(root, files)| Program {
        root: Some(root),
        files,
    }));
    programs
}

/// Every `.cruddur` file of the project at `root`: naming one file or folder of a project
/// checks the whole program it belongs to (its other files define what it refers to).
pub fn project_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let _ = walk(root, &mut files);
    files
}

/// The project's `cruddur.toml`, read and checked.
pub fn config(root: &Path) -> Result<cruddur::config::Config, String> {
    let path = root.join("cruddur.toml");
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read `{}`: {}", path.display(), io_reason(&e)))?;
    cruddur::config::Config::parse(&text).map_err(|e| format!("`{}`: {e}", path.display()))
}

fn project_root(file: &Path) -> Option<PathBuf> {
    let absolute = std::fs::canonicalize(file).ok()?;
    absolute
        .ancestors()
        .skip(1)
        .find(|dir| dir.join("cruddur.toml").is_file())
        .map(Path::to_path_buf)
}

/// Reads a source file as UTF-8 text.
pub fn read(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read `{}`: {}", path.display(), io_reason(&e)))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "`{}` is not UTF-8 text (invalid byte at offset {}); .{EXTENSION} files must be UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// How a file is named in diagnostics: relative to the working directory when inside it.
pub fn display_name(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| std::fs::canonicalize(&cwd).ok())
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf));
    relative.unwrap_or_else(|| path.to_path_buf()).display().to_string()
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

//! Writing an output folder all at once: files go to a fresh sibling folder, which then takes
//! the target's place. A failure leaves the old folder (or none) — never a half-written one.
//! A folder that is not empty and was not written by cruddur is never replaced.

use cruddur::emit::Files;
use std::path::{Component, Path, PathBuf};

/// Marks a folder as cruddur's output, safe to replace on the next build.
const MARKER: &str = ".cruddur-output";

pub fn write_folder(out: &Path, files: &Files) -> Result<(), String> {
    if out.exists() {
        if !out.is_dir() {
            return Err(format!("`{}` exists and is not a folder", out.display()));
        }
        // The folder is replaced whole: never the one the user stands in, or one above it.
        if let (Ok(target), Ok(here)) = (std::fs::canonicalize(out), std::env::current_dir()) {
            if here.starts_with(&target) {
                return Err(format!(
                    "`{}` is the current folder or holds it, and `--out` is replaced whole; choose a folder inside it, such as `--out build`",
                    out.display()
                ));
            }
        }
        let empty = std::fs::read_dir(out)
            .map_err(|e| format!("cannot read `{}`: {e}", out.display()))?
            .next()
            .is_none();
        if !empty && !out.join(MARKER).exists() {
            return Err(format!(
                "`{}` is not empty and was not written by cruddur; choose a new or empty folder",
                out.display()
            ));
        }
    }
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let staging = parent.join(format!(".{name}.cruddur-new-{}", std::process::id()));
    let result = write_all(&staging, files).and_then(|_| swap_in(&staging, out));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(staging: &Path, files: &Files) -> Result<(), String> {
    std::fs::create_dir_all(staging).map_err(|e| format!("cannot create `{}`: {e}", staging.display()))?;
    for (relative, contents) in files {
        let path = inside(staging, relative)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
        }
        std::fs::write(&path, contents).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    std::fs::write(
        staging.join(MARKER),
        "This folder is written by `cruddur build` and replaced whole by the next build.\n",
    )
    .map_err(|e| format!("cannot write the output marker: {e}"))
}

/// `relative` joined to `root`, refusing anything that would leave it.
fn inside(root: &Path, relative: &str) -> Result<PathBuf, String> {
    let path = Path::new(relative);
    if path.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(root.join(path))
    } else {
        Err(format!("refusing to write `{relative}`: outside the output folder"))
    }
}

fn swap_in(staging: &Path, out: &Path) -> Result<(), String> {
    if out.exists() {
        let old = staging.with_extension("old");
        std::fs::rename(out, &old).map_err(|e| format!("cannot move the old `{}` aside: {e}", out.display()))?;
        if let Err(e) = std::fs::rename(staging, out) {
            let _ = std::fs::rename(&old, out);
            return Err(format!("cannot move the new output into `{}`: {e}", out.display()));
        }
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    } else {
        std::fs::rename(staging, out).map_err(|e| format!("cannot move the new output into `{}`: {e}", out.display()))
    }
}

/// Replaces a file's contents all at once: the new text goes to a sibling file that then
/// takes the file's place (keeping its permissions), so a failure leaves the old file whole.
pub fn write_file(path: &Path, contents: &str) -> Result<(), String> {
    // Through a link, the file it points to is the one rewritten; the link stays.
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let path = target.as_path();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staging = path.with_file_name(format!(".{name}.cruddur-{}", std::process::id()));
    let result = std::fs::write(&staging, contents)
        .and_then(|_| match std::fs::metadata(path) {
            Ok(metadata) => std::fs::set_permissions(&staging, metadata.permissions()),
            Err(_) => Ok(()),
        })
        .and_then(|_| std::fs::rename(&staging, path));
    if let Err(error) = result {
        let _ = std::fs::remove_file(&staging);
        return Err(format!("cannot write `{}`: {error}", path.display()));
    }
    Ok(())
}

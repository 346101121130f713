//! Writing an output folder all at once: files go to a fresh sibling folder as they are made,
//! which then takes the target's place. A failure leaves the old folder (or none) — never a
//! half-written one.
//! A folder that is not empty and was not written by cruddur is never replaced.

use cruddur::emit::Sink;
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// Marks a folder as cruddur's output, safe to replace on the next build.
const MARKER: &str = ".cruddur-output";

/// An output folder being written: each file goes, as soon as it is made, to a fresh sibling
/// folder, which takes the target's place on [`Staging::commit`]. Dropped uncommitted (errors
/// were found, or writing failed), the sibling is removed and the target left as it was.
pub struct Staging {
    out: PathBuf,
    /// The sibling folder, made when the first file comes.
    dir: Option<PathBuf>,
    /// Folders made inside it so far.
    made: BTreeSet<PathBuf>,
    /// Folders above `out` this build made, deepest first: removed again if it fails.
    made_above: Vec<PathBuf>,
    /// Every path written, to catch two programs writing one file.
    paths: BTreeSet<String>,
    clash: Option<String>,
    error: Option<String>,
}

impl Staging {
    pub fn new(out: &Path) -> Self {
        Staging {
            out: out.to_path_buf(),
            dir: None,
            made: BTreeSet::new(),
            made_above: Vec::new(),
            paths: BTreeSet::new(),
            clash: None,
            error: None,
        }
    }

    /// A path two programs both wrote, if any.
    pub fn clash(&self) -> Option<&str> {
        self.clash.as_deref()
    }

    /// How many files were written.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// Whether writing has already failed or clashed: nothing more will be written.
    pub fn stopped(&self) -> bool {
        self.error.is_some() || self.clash.is_some()
    }

    /// Marks the folder as cruddur's and puts it in the target's place.
    pub fn commit(mut self) -> Result<(), String> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let dir = self.open()?;
        std::fs::write(
            dir.join(MARKER),
            "This folder is written by `cruddur build` and replaced whole by the next build.\n",
        )
        .map_err(|e| format!("cannot write the output marker: {e}"))?;
        swap_in(&dir, &self.out)?;
        self.dir = None;
        self.made_above.clear();
        Ok(())
    }

    /// The sibling folder, made (after checking that the target may be replaced) on first use.
    fn open(&mut self) -> Result<PathBuf, String> {
        if let Some(dir) = &self.dir {
            return Ok(dir.clone());
        }
        let out = &self.out;
        check_replaceable(out)?;
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        self.made_above = parent
            .ancestors()
            .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
            .map(Path::to_path_buf)
            .collect();
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let dir = parent.join(format!(".{name}.cruddur-new-{}", std::process::id()));
        // Left by an earlier run of this process id that was killed: not ours to keep.
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
        self.dir = Some(dir.clone());
        Ok(dir)
    }

    fn write(&mut self, relative: &str, contents: &str) -> Result<(), String> {
        let root = self.open()?;
        let path = inside(&root, relative)?;
        if let Some(folder) = path.parent() {
            if folder != root && !self.made.contains(folder) {
                std::fs::create_dir_all(folder).map_err(|e| format!("cannot create `{}`: {e}", folder.display()))?;
                self.made.insert(folder.to_path_buf());
            }
        }
        std::fs::write(&path, contents).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
    }
}

impl Sink for Staging {
    fn file(&mut self, path: String, contents: String) {
        if self.stopped() {
            return;
        }
        if !self.paths.insert(path.clone()) {
            self.clash = Some(path);
        } else if let Err(error) = self.write(&path, &contents) {
            self.error = Some(error);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        // Only if still empty: nothing but this build has put anything there.
        for folder in &self.made_above {
            let _ = std::fs::remove_dir(folder);
        }
    }
}

/// `out` may be replaced whole: it is missing, empty or cruddur's, and not where the user is.
fn check_replaceable(out: &Path) -> Result<(), String> {
    if !out.exists() {
        return Ok(());
    }
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
    Ok(())
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

//! Each diagnostic's `codeDescription` links to its explanation (`cruddur explain CODE`). An
//! installed server has no copy of the spec beside it, so it writes each code's entry to a
//! Markdown file in the user's cache folder once per version and links there; a client may
//! name another place (`initializationOptions.explanations`, e.g. the spec on the web).

use cruddur::diagnostics::{explain, Code};
use std::path::{Path, PathBuf};

/// The `file://` base the explanations are linked from, or `None` when they cannot be written.
pub fn write_to_cache() -> Option<String> {
    let folder = cache_folder()?
        .join("cruddur")
        .join(env!("CARGO_PKG_VERSION"))
        .join("explain");
    write(&folder).ok()?;
    let uri = crate::convert::uri_of(&folder.join("E0000.md"))?;
    Some(uri.as_str().strip_suffix("E0000.md")?.to_string() + "{code}.md")
}

fn cache_folder() -> Option<PathBuf> {
    let from = |var: &str| std::env::var_os(var).filter(|v| !v.is_empty()).map(PathBuf::from);
    from("XDG_CACHE_HOME").or_else(|| from("HOME").map(|home| home.join(".cache")))
}

/// Writes every code's entry (each file whole, or not at all).
fn write(folder: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(folder)?;
    for &code in Code::ALL {
        let path = folder.join(format!("{}.md", code.as_str()));
        let Some(entry) = explain::entry(code) else { continue };
        let text = format!("{entry}\n");
        if std::fs::read_to_string(&path).is_ok_and(|t| t == text) {
            continue;
        }
        let partial = folder.join(format!(".{}.md.{}", code.as_str(), std::process::id()));
        std::fs::write(&partial, &text)?;
        std::fs::rename(&partial, &path)?;
    }
    Ok(())
}

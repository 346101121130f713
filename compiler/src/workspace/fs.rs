//! The compiler's one seam to the file system: the workspace reads sources and `cruddur.toml`
//! through a [`FileSystem`], so the same core runs on disk (the CLI, the language server), in
//! memory (tests) and where there is no disk at all.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

pub trait FileSystem: Send + Sync {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    fn is_dir(&self, path: &Path) -> bool;
    fn is_file(&self, path: &Path) -> bool;
    /// The entries of a directory (files and directories), in any order.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>>;
    /// The absolute path with `.`, `..` and links resolved; an error for a path that does
    /// not exist.
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
    /// The directory relative paths are read from, and file names shown relative to.
    fn current_dir(&self) -> Option<PathBuf>;
}

/// The real file system.
pub struct OsFs;

impl FileSystem for OsFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        std::fs::read_dir(path)?.map(|entry| entry.map(|e| e.path())).collect()
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }

    fn current_dir(&self) -> Option<PathBuf> {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| std::fs::canonicalize(&cwd).ok())
    }
}

/// Files in memory, for tests and hosts without a disk. Paths are absolute; directories exist
/// where files are below them. Clones share the files, so a test can change them under a
/// workspace as an editor or a build would change a disk.
#[derive(Default, Clone)]
pub struct MemoryFs {
    files: Arc<RwLock<BTreeMap<PathBuf, Vec<u8>>>>,
}

impl MemoryFs {
    pub fn new() -> MemoryFs {
        MemoryFs::default()
    }

    pub fn with(self, path: impl Into<PathBuf>, text: impl Into<Vec<u8>>) -> MemoryFs {
        self.insert(path, text);
        self
    }

    pub fn insert(&self, path: impl Into<PathBuf>, text: impl Into<Vec<u8>>) {
        self.write().insert(normalize(&path.into()), text.into());
    }

    pub fn remove(&self, path: &Path) {
        self.write().remove(&normalize(path));
    }

    fn read_files(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<PathBuf, Vec<u8>>> {
        self.files.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<PathBuf, Vec<u8>>> {
        self.files.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// `a/./b/../c` → `a/c`, lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

impl FileSystem for MemoryFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.read_files()
            .get(&normalize(path))
            .cloned()
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }

    fn is_dir(&self, path: &Path) -> bool {
        let path = normalize(path);
        self.read_files().keys().any(|f| f != &path && f.starts_with(&path))
    }

    fn is_file(&self, path: &Path) -> bool {
        self.read_files().contains_key(&normalize(path))
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let path = normalize(path);
        if !self.is_dir(&path) {
            return Err(io::Error::from(io::ErrorKind::NotFound));
        }
        let mut entries: Vec<PathBuf> = self
            .read_files()
            .keys()
            .filter_map(|f| f.strip_prefix(&path).ok()?.components().next())
            .map(|c| path.join(c))
            .collect();
        entries.dedup();
        Ok(entries)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        let path = normalize(path);
        if self.is_file(&path) || self.is_dir(&path) {
            Ok(path)
        } else {
            Err(io::Error::from(io::ErrorKind::NotFound))
        }
    }

    fn current_dir(&self) -> Option<PathBuf> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_fs_has_directories_where_files_are() {
        let fs = MemoryFs::new()
            .with("/p/cruddur.toml", "")
            .with("/p/a.cruddur", "x")
            .with("/p/sub/b.cruddur", "y");
        assert!(fs.is_dir(Path::new("/p")) && fs.is_dir(Path::new("/p/sub")));
        assert!(fs.is_file(Path::new("/p/./sub/../a.cruddur")));
        let mut entries = fs.read_dir(Path::new("/p")).unwrap();
        entries.sort();
        assert_eq!(
            entries,
            ["/p/a.cruddur", "/p/cruddur.toml", "/p/sub"].map(PathBuf::from)
        );
        assert!(fs.read(Path::new("/q")).is_err());
    }
}

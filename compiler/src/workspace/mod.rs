//! A workspace: the `.cruddur` files it holds (from disk, or an editor's unsaved buffer, which
//! wins over disk), the programs they form, each program's `cruddur.toml`, and the analysis of
//! each program, kept until one of its files changes.
//!
//! A program is every `.cruddur` file below a folder holding a `cruddur.toml`; a file outside
//! any such folder is a program of its own. The CLI and the language server both go through
//! here, and the core reads nothing from disk except through the workspace's [`FileSystem`].

pub mod fs;

use crate::analysis::config::{Config, ConfigError};
use crate::analysis::{self, Analysis, Parsed};
use crate::diagnostics::source_map::SavedFile;
use crate::diagnostics::{FileId, SourceMap};
pub use fs::{FileSystem, MemoryFs, OsFs};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const EXTENSION: &str = "cruddur";
pub const CONFIG_FILE: &str = "cruddur.toml";

pub struct Workspace {
    fs: Box<dyn FileSystem>,
    sources: SourceMap,
    /// By file id.
    files: Vec<FileEntry>,
    by_path: HashMap<PathBuf, FileId>,
    /// Each project folder's `cruddur.toml`, read.
    configs: BTreeMap<PathBuf, Result<Config, ConfigError>>,
    programs: Vec<Program>,
    /// How many times the programs were regrouped: a snapshot's analyses belong to the
    /// grouping it was taken in.
    groupings: usize,
}

struct FileEntry {
    /// The path as given (or found).
    path: PathBuf,
    /// Its canonical form, the key files are known by.
    key: PathBuf,
    /// The text is an editor's buffer, not what is on disk.
    overlay: bool,
    /// Removed files keep their id, unused.
    live: bool,
    /// Read for a program (a buildspec file), not a `.cruddur` source: never parsed as one,
    /// never a program of its own.
    included: bool,
    parsed: Option<Parsed>,
    /// The names of the file's items, as of the last parse: when they change, other programs'
    /// notes about names defined elsewhere change too.
    names: Vec<String>,
}

/// Files and analyses as they were: see [`Workspace::snapshot`].
pub struct Snapshot {
    files: Vec<SavedEntry>,
    programs: Vec<SavedProgram>,
    grouping: usize,
}

/// A program's analysis, the files it read besides its sources, and where it looked.
type SavedProgram = (Option<Arc<Analysis>>, Vec<FileId>, Vec<PathBuf>);

struct SavedEntry {
    id: FileId,
    text: SavedFile,
    overlay: bool,
    live: bool,
    parsed: Option<Parsed>,
    names: Vec<String>,
}

/// One program of the workspace.
pub struct Program {
    /// The folder holding its `cruddur.toml`, if it has one.
    pub root: Option<PathBuf>,
    /// Its files, in the order they were found.
    pub files: Vec<FileId>,
    pub config: Config,
    /// Why `cruddur.toml` could not be used, and where in it (the default configuration
    /// applies meanwhile).
    pub config_error: Option<ConfigError>,
    /// The files its last analysis read besides its sources (`buildspec = file("…")`).
    pub included: Vec<FileId>,
    /// Where those files were looked for, found or not: a change there is a change of the
    /// program.
    wanted: Vec<PathBuf>,
    analysis: Option<Arc<Analysis>>,
}

impl Workspace {
    pub fn new(fs: impl FileSystem + 'static) -> Workspace {
        Workspace {
            fs: Box::new(fs),
            sources: SourceMap::new(),
            files: Vec::new(),
            by_path: HashMap::new(),
            configs: BTreeMap::new(),
            programs: Vec::new(),
            groupings: 0,
        }
    }

    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    pub fn programs(&self) -> &[Program] {
        &self.programs
    }

    /// The file at `path`, if the workspace holds it.
    pub fn file(&self, path: &Path) -> Option<FileId> {
        self.known(path).filter(|id| self.files[id.0].live)
    }

    /// The id the file at `path` has or had.
    fn known(&self, path: &Path) -> Option<FileId> {
        self.by_path.get(&self.key(path)).copied()
    }

    /// The path a file was given or found as.
    pub fn path(&self, file: FileId) -> &Path {
        self.files.get(file.0).map_or(Path::new(""), |f| f.path.as_path())
    }

    /// The program a file belongs to.
    pub fn program_of(&self, file: FileId) -> Option<usize> {
        self.programs.iter().position(|p| p.files.contains(&file))
    }

    /// Loads what a command line names: files, and folders searched for `.cruddur` files.
    /// Naming one file of a project loads its whole program. The errors are the CLI's usage
    /// errors: a path that cannot be read, a folder without sources, a file that is not UTF-8
    /// text, a `cruddur.toml` that is not valid. Returns the files named (directly or in a
    /// folder named), not the rest of their programs.
    pub fn load(&mut self, paths: &[PathBuf]) -> Result<Vec<FileId>, String> {
        let found = self.collect(paths)?;
        // Files are numbered program by program, so diagnostics keep that order.
        let mut standalone = Vec::new();
        let mut roots: BTreeSet<PathBuf> = BTreeSet::new();
        for path in &found {
            match self.project_root(path) {
                Some(root) => {
                    roots.insert(root);
                }
                None => standalone.push(path.clone()),
            }
        }
        for path in standalone {
            self.read_file(&path)?;
        }
        for root in &roots {
            self.read_config(root)?;
            let mut files = Vec::new();
            self.walk(root, &mut files);
            for path in files {
                self.read_file(&path)?;
            }
        }
        self.regroup();
        Ok(found.iter().filter_map(|path| self.file(path)).collect())
    }

    /// Adds every `.cruddur` file below a folder (an editor's workspace folder). Files that
    /// cannot be read are left out.
    pub fn add_folder(&mut self, folder: &Path) {
        let mut files = Vec::new();
        self.walk(folder, &mut files);
        for path in files {
            let _ = self.read_file(&path);
        }
        self.regroup();
    }

    /// Sets a file's text from an editor buffer: it wins over the file on disk until
    /// [`Workspace::remove_text`]. A file the workspace did not hold joins its program (and
    /// brings the program's other files along).
    pub fn set_text(&mut self, path: &Path, text: impl Into<Arc<str>>) -> FileId {
        let text = text.into();
        let id = match self.file(path) {
            Some(id) => {
                self.sources.set_source(id, text);
                id
            }
            None => {
                let id = self.insert(path, text);
                if let Some(root) = self.project_root(path) {
                    let _ = self.read_config(&root);
                    let mut files = Vec::new();
                    self.walk(&root, &mut files);
                    for other in files {
                        let _ = self.read_file(&other);
                    }
                }
                self.regroup();
                id
            }
        };
        let entry = &mut self.files[id.0];
        entry.overlay = true;
        entry.live = true;
        self.changed(id);
        id
    }

    /// Drops an editor buffer: the file reads from disk again, or leaves the workspace if it
    /// is not on disk.
    pub fn remove_text(&mut self, path: &Path) {
        let Some(id) = self.known(path) else { return };
        self.files[id.0].overlay = false;
        self.reload(path);
    }

    /// Drops a file from the workspace whatever is on disk (an editor closed a file that is
    /// not below any of its folders).
    pub fn forget(&mut self, path: &Path) {
        let Some(id) = self.known(path) else { return };
        let entry = &mut self.files[id.0];
        entry.overlay = false;
        entry.live = false;
        entry.parsed = None;
        self.regroup();
    }

    /// A file changed on disk (a watcher's notice): `.cruddur` files are read again unless an
    /// editor buffer holds them, and a changed `cruddur.toml` regroups the programs.
    pub fn changed_on_disk(&mut self, path: &Path) {
        if path.file_name().is_some_and(|n| n == CONFIG_FILE) {
            let Some(folder) = self.key(path).parent().map(Path::to_path_buf) else {
                return;
            };
            if self.fs.is_file(path) {
                let _ = self.read_config(&folder);
            } else {
                self.configs.remove(&folder);
            }
            // A new `cruddur.toml` brings the folder's files into one program.
            let mut files = Vec::new();
            self.walk(&folder, &mut files);
            for file in files {
                let _ = self.read_file(&file);
            }
            self.regroup();
            return;
        }
        let key = self.key(path);
        for program in &mut self.programs {
            if program.wanted.contains(&key) {
                program.analysis = None;
            }
        }
        match self.known(path) {
            Some(id) if self.files[id.0].overlay => {}
            Some(id) if self.files[id.0].included && !self.fs.is_file(path) => {
                self.files[id.0].live = false;
                self.changed(id);
            }
            Some(_) => self.reload(path),
            None if self.fs.is_file(path) && is_source(path) => {
                let _ = self.read_file(path);
                self.regroup();
            }
            None => {}
        }
    }

    /// What some files and every program's analysis are now, to put back with
    /// [`Workspace::restore`] after trying an edit: undoing it then costs no new parse or
    /// analysis. Files are parsed first, so what is kept is complete.
    pub fn snapshot(&mut self, files: &[FileId]) -> Snapshot {
        self.parse_changed();
        Snapshot {
            files: files
                .iter()
                .filter_map(|&id| {
                    let entry = self.files.get(id.0)?;
                    Some(SavedEntry {
                        id,
                        text: self.sources.saved(id)?,
                        overlay: entry.overlay,
                        live: entry.live,
                        parsed: entry.parsed.clone(),
                        names: entry.names.clone(),
                    })
                })
                .collect(),
            programs: self
                .programs
                .iter()
                .map(|p| (p.analysis.clone(), p.included.clone(), p.wanted.clone()))
                .collect(),
            grouping: self.groupings,
        }
    }

    /// Puts back the files and analyses of a [`Snapshot`] taken since the programs were last
    /// regrouped (setting the text of files the workspace holds does not regroup them).
    pub fn restore(&mut self, snapshot: Snapshot) {
        for saved in snapshot.files {
            self.sources.restore(saved.id, saved.text);
            let entry = &mut self.files[saved.id.0];
            entry.overlay = saved.overlay;
            entry.live = saved.live;
            entry.parsed = saved.parsed;
            entry.names = saved.names;
        }
        if snapshot.grouping == self.groupings {
            for (program, (analysis, included, wanted)) in self.programs.iter_mut().zip(snapshot.programs) {
                program.analysis = analysis;
                program.included = included;
                program.wanted = wanted;
            }
        } else {
            for program in &mut self.programs {
                program.analysis = None;
            }
        }
    }

    /// The analysis of program `index`, worked out again only when one of its files changed.
    pub fn analysis(&mut self, index: usize) -> Arc<Analysis> {
        self.parse_changed();
        if let Some(analysis) = &self.programs[index].analysis {
            return analysis.clone();
        }
        let elsewhere = self.names_elsewhere(index);
        let program = &self.programs[index];
        let parsed: Vec<Parsed> = program
            .files
            .iter()
            .filter_map(|f| self.files[f.0].parsed.clone())
            .collect();
        let included = self.read_included(index, &parsed);
        let program = &self.programs[index];
        let analysis = Arc::new(analysis::analyze_parsed(
            &self.sources,
            &parsed,
            &program.config,
            &elsewhere,
            &included,
        ));
        self.programs[index].analysis = Some(analysis.clone());
        analysis
    }

    /// Every path program `index` reads, in its canonical form: its sources, its
    /// `cruddur.toml`, and the files it names (`file("…")`), found or not. Read off its parsed
    /// sources: the program is not analysed (`cruddur check --changed-since` picks the programs
    /// to analyse with it).
    pub fn inputs(&mut self, index: usize) -> Vec<PathBuf> {
        self.parse_changed();
        let program = &self.programs[index];
        let mut paths: Vec<PathBuf> = program.files.iter().map(|f| self.files[f.0].key.clone()).collect();
        if let Some(root) = &program.root {
            paths.push(self.key(&root.join(CONFIG_FILE)));
        }
        let parsed: Vec<Parsed> = program
            .files
            .iter()
            .filter_map(|f| self.files[f.0].parsed.clone())
            .collect();
        if let Some(root) = self.program_root(index) {
            for written in analysis::included_paths(&parsed) {
                paths.push(self.key(&root.join(written)));
            }
        }
        paths
    }

    /// A path in the canonical form [`Workspace::inputs`] gives (a file that no longer exists
    /// by its folder's canonical form).
    pub fn canonical(&self, path: &Path) -> PathBuf {
        self.key(path)
    }

    /// The folder a program's paths (`file("…")`) are relative to: its `cruddur.toml`'s, or
    /// its one file's.
    fn program_root(&self, index: usize) -> Option<PathBuf> {
        let program = self.programs.get(index)?;
        match &program.root {
            Some(root) => Some(root.clone()),
            None => {
                let file = program.files.first()?;
                self.files[file.0].key.parent().map(Path::to_path_buf)
            }
        }
    }

    /// Reads the files program `index` names besides its sources, by the path as written.
    fn read_included(&mut self, index: usize, parsed: &[Parsed]) -> analysis::Included {
        let mut included = analysis::Included::new();
        let mut ids = Vec::new();
        let mut wanted = Vec::new();
        let Some(root) = self.program_root(index) else {
            return included;
        };
        let real_root = self.key(&root);
        for written in analysis::included_paths(parsed) {
            let path = root.join(&written);
            let key = self.key(&path);
            wanted.push(key.clone());
            let result = match self.file(&path) {
                // Read again: an editor's client may not report changes to files it has not
                // opened (no watcher), and reading a buildspec is cheap.
                Some(id) if self.files[id.0].included => {
                    if !self.files[id.0].overlay {
                        if let Ok(text) = self.read_source(&path) {
                            if *self.sources.source(id) != *text {
                                self.sources.set_source(id, text);
                            }
                        }
                    }
                    Ok(id)
                }
                Some(_) => Err("it is a .cruddur source of a program, not a buildspec".to_string()),
                _ if is_source(&path) => Err("it is a .cruddur source, not a buildspec".to_string()),
                _ if self.fs.is_dir(&path) => Err("it is a folder".to_string()),
                // A link out of the repository: CodeBuild's checkout would not hold its target.
                _ if self.fs.is_file(&path) && !key.starts_with(&real_root) => Err(format!(
                    "it is a link to `{}`, outside the repository `{}`",
                    key.display(),
                    real_root.display()
                )),
                _ => self.read_source(&path).map(|text| {
                    let id = self.insert(&path, text.into());
                    self.files[id.0].included = true;
                    id
                }),
            };
            let result = result.map_err(|e| match e.split_once("`: ") {
                Some((_, reason)) => format!("{reason} (looked for `{}`)", path.display()),
                None => e,
            });
            if let Ok(id) = result {
                ids.push(id);
            }
            included.insert(written, result);
        }
        let program = &mut self.programs[index];
        program.included = ids;
        program.wanted = wanted;
        included
    }

    /// Every program's analysis, in program order.
    pub fn analyses(&mut self) -> Vec<Arc<Analysis>> {
        (0..self.programs.len()).map(|i| self.analysis(i)).collect()
    }

    /// The analysis of the program that holds `file`.
    pub fn analysis_of(&mut self, file: FileId) -> Option<Arc<Analysis>> {
        let index = self.program_of(file)?;
        Some(self.analysis(index))
    }

    fn key(&self, path: &Path) -> PathBuf {
        if let Ok(key) = self.fs.canonicalize(path) {
            return key;
        }
        // A buffer not saved yet: its folder may exist.
        match (path.parent(), path.file_name()) {
            (Some(parent), Some(name)) => match self.fs.canonicalize(parent) {
                Ok(parent) => parent.join(name),
                Err(_) => path.to_path_buf(),
            },
            _ => path.to_path_buf(),
        }
    }

    /// The `.cruddur` files named on a command line, folders searched (sorted), each once.
    pub fn find_sources(&self, paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
        self.collect(paths)
    }

    /// Reads a file (a source or a `cruddur.toml`) as UTF-8 text, through the workspace's
    /// file system.
    pub fn read_source(&self, path: &Path) -> Result<String, String> {
        let bytes = self
            .fs
            .read(path)
            .map_err(|e| format!("cannot read `{}`: {}", path.display(), io_reason(&e)))?;
        String::from_utf8(bytes).map_err(|e| {
            format!(
                "`{}` is not UTF-8 text (invalid byte at offset {}); cruddur reads UTF-8 only",
                path.display(),
                e.utf8_error().valid_up_to()
            )
        })
    }

    /// Files named on a command line, folders expanded (sorted), each file once.
    fn collect(&self, paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
        let mut files = Vec::new();
        for path in paths {
            if self.fs.is_dir(path) {
                let before = files.len();
                self.walk_checked(path, &mut files)?;
                if files.len() == before {
                    return Err(format!("no .{EXTENSION} files in directory `{}`", path.display()));
                }
            } else if self.fs.is_file(path) && !is_source(path) {
                // `check examples/*` names a README too: read as a program it would give
                // a page of syntax errors that say nothing useful.
                return Err(format!(
                    "`{}` is not a .{EXTENSION} file; name .{EXTENSION} files or the folders holding them",
                    path.display()
                ));
            } else if self.fs.is_file(path) {
                files.push(path.clone());
            } else {
                return Err(format!(
                    "cannot read `{}`: {}",
                    path.display(),
                    self.fs
                        .read(path)
                        .err()
                        .map_or_else(|| "not a file".to_string(), |e| io_reason(&e))
                ));
            }
        }
        let mut seen = std::collections::HashSet::new();
        files.retain(|file| seen.insert(self.key(file)));
        Ok(files)
    }

    /// Every `.cruddur` file below `dir`, sorted; a folder that cannot be read is an error.
    fn walk_checked(&self, dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
        let mut seen = HashSet::new();
        self.walk_from(dir, files, &mut seen, true)
    }

    /// Every `.cruddur` file below `dir`, sorted; unreadable folders are skipped.
    fn walk(&self, dir: &Path, files: &mut Vec<PathBuf>) {
        let mut seen = HashSet::new();
        let _ = self.walk_from(dir, files, &mut seen, false);
    }

    /// The walk below a folder. Hidden folders (`.git`) and `node_modules` are not entered,
    /// and a folder reached again through a link is not walked twice, so a link to an
    /// ancestor (`/usr/bin/X11 -> .`) cannot make the walk endless. With `strict`, a folder
    /// that cannot be read is an error; otherwise it is skipped.
    fn walk_from(
        &self,
        dir: &Path,
        files: &mut Vec<PathBuf>,
        seen: &mut HashSet<PathBuf>,
        strict: bool,
    ) -> Result<(), String> {
        let canonical = self.fs.canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if !seen.insert(canonical) {
            return Ok(());
        }
        let mut paths = match self.fs.read_dir(dir) {
            Ok(paths) => paths,
            Err(e) if strict => return Err(format!("cannot read directory `{}`: {}", dir.display(), io_reason(&e))),
            Err(_) => return Ok(()),
        };
        paths.sort();
        for path in paths {
            if self.fs.is_dir(&path) {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if !name.starts_with('.') && name != "node_modules" {
                    self.walk_from(&path, files, seen, strict)?;
                }
            } else if is_source(&path) {
                files.push(path);
            }
        }
        Ok(())
    }

    /// The nearest folder above `file` that holds a `cruddur.toml`.
    fn project_root(&self, file: &Path) -> Option<PathBuf> {
        let absolute = self.key(file);
        absolute
            .ancestors()
            .skip(1)
            .find(|dir| self.fs.is_file(&dir.join(CONFIG_FILE)))
            .map(Path::to_path_buf)
    }

    /// Reads a project folder's `cruddur.toml` (again); the programs take it at the next
    /// regrouping.
    fn read_config(&mut self, root: &Path) -> Result<(), String> {
        let path = root.join(CONFIG_FILE);
        let result = match self.read_source(&path) {
            Ok(text) => Config::parse(&text),
            Err(reason) => Err(ConfigError {
                reason,
                line: 0,
                column: 0,
            }),
        };
        let outcome = result
            .as_ref()
            .map(|_| ())
            .map_err(|e| format!("{}:{e}", path.display()));
        self.configs.insert(root.to_path_buf(), result);
        outcome
    }

    /// Reads a source file from disk (unless an editor buffer holds it).
    fn read_file(&mut self, path: &Path) -> Result<FileId, String> {
        if let Some(id) = self.file(path) {
            return Ok(id);
        }
        let text = self.read_source(path)?;
        Ok(self.insert(path, text.into()))
    }

    /// Adds (or revives) a file with the given text.
    fn insert(&mut self, path: &Path, text: Arc<str>) -> FileId {
        let key = self.key(path);
        if let Some(&id) = self.by_path.get(&key) {
            self.sources.set_source(id, text);
            self.files[id.0].live = true;
            self.changed(id);
            return id;
        }
        let id = self.sources.add(self.display_name(path), text);
        self.files.push(FileEntry {
            path: path.to_path_buf(),
            key: key.clone(),
            overlay: false,
            live: true,
            included: false,
            parsed: None,
            names: Vec::new(),
        });
        self.by_path.insert(key, id);
        id
    }

    /// Reads a file again from disk, or removes it if it is gone.
    fn reload(&mut self, path: &Path) {
        let Some(id) = self.known(path) else { return };
        // Text that can no longer be read (gone, or not UTF-8) leaves the program.
        match self.read_source(path).ok() {
            Some(text) => {
                self.sources.set_source(id, text);
                let revived = !self.files[id.0].live;
                self.files[id.0].live = true;
                self.changed(id);
                if revived {
                    self.regroup();
                }
            }
            None => {
                self.files[id.0].live = false;
                self.files[id.0].parsed = None;
                self.regroup();
            }
        }
    }

    /// A file's text changed: its parse and its program's analysis are stale.
    fn changed(&mut self, id: FileId) {
        self.files[id.0].parsed = None;
        if let Some(index) = self.program_of(id) {
            self.programs[index].analysis = None;
        }
        for program in &mut self.programs {
            if program.included.contains(&id) {
                program.analysis = None;
            }
        }
    }

    /// Parses files whose text changed; when the names a file defines changed, the notes
    /// other programs make about names defined elsewhere may change: all analyses are stale.
    fn parse_changed(&mut self) {
        let mut names_changed = false;
        for index in 0..self.files.len() {
            let entry = &self.files[index];
            if !entry.live || entry.parsed.is_some() || entry.included {
                continue;
            }
            let parsed = Parsed::new(&self.sources, FileId(index));
            let names = parsed.item_names();
            let entry = &mut self.files[index];
            names_changed |= entry.names != names;
            entry.names = names;
            entry.parsed = Some(parsed);
        }
        if names_changed {
            for program in &mut self.programs {
                program.analysis = None;
            }
        }
    }

    /// Names defined by the other programs, each with the first file (in program order) that
    /// defines it.
    fn names_elsewhere(&self, index: usize) -> BTreeMap<String, String> {
        let mut names = BTreeMap::new();
        for (other, program) in self.programs.iter().enumerate() {
            if other == index {
                continue;
            }
            for file in &program.files {
                for name in &self.files[file.0].names {
                    names
                        .entry(name.clone())
                        .or_insert_with(|| self.sources.name(*file).to_string());
                }
            }
        }
        names
    }

    /// Groups the live files into programs: one per folder with a `cruddur.toml`, one per
    /// file outside such folders (those first, in file order; then by folder).
    fn regroup(&mut self) {
        self.groupings += 1;
        let mut standalone = Vec::new();
        let mut rooted: BTreeMap<PathBuf, Vec<FileId>> = BTreeMap::new();
        for (index, entry) in self.files.iter().enumerate() {
            if !entry.live || entry.included {
                continue;
            }
            match self.project_root(&entry.key) {
                Some(root) => rooted.entry(root).or_default().push(FileId(index)),
                None => standalone.push(FileId(index)),
            }
        }
        let mut programs = Vec::new();
        for file in standalone {
            programs.push(Program {
                root: None,
                files: vec![file],
                config: Config::default(),
                config_error: None,
                included: Vec::new(),
                wanted: Vec::new(),
                analysis: None,
            });
        }
        for (root, files) in rooted {
            if !self.configs.contains_key(&root) {
                let _ = self.read_config(&root);
            }
            let (config, config_error) = match &self.configs[&root] {
                Ok(config) => (config.clone(), None),
                Err(error) => (Config::default(), Some(error.clone())),
            };
            programs.push(Program {
                root: Some(root),
                files,
                config,
                config_error,
                included: Vec::new(),
                wanted: Vec::new(),
                analysis: None,
            });
        }
        self.programs = programs;
    }

    /// How a file is named in diagnostics: relative to the working directory when inside it.
    fn display_name(&self, path: &Path) -> String {
        let relative = self
            .fs
            .current_dir()
            .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf));
        relative.unwrap_or_else(|| path.to_path_buf()).display().to_string()
    }
}

fn is_source(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == EXTENSION)
}

#[cfg(test)]
mod tests;

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

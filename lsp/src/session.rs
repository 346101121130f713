//! The server's state, without any transport: the workspace (open buffers over the files of
//! the workspace folders), what has been published, and the last analysis of each file that
//! parsed. Notifications change it; requests read it through [`View`]s. Every answer is a
//! plain function of an analysis (`cruddur::ide`), converted here to LSP's types.

use crate::convert::{self, path_of, uri_of};
use crate::features::{self, DiagnosticsOptions};
use cruddur::analysis::Analysis;
use cruddur::diagnostics::{FileId, SourceMap};
use cruddur::workspace::{FileSystem, Workspace, CONFIG_FILE, EXTENSION};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_lsp_server::ls_types::{self as lsp, Uri};

/// How the client wants things, read from `initialize`.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub diagnostics: DiagnosticsOptions,
}

pub struct Session {
    workspace: Workspace,
    folders: Vec<PathBuf>,
    /// The URI each file is known by to the client.
    uris: HashMap<FileId, Uri>,
    /// Open documents and their versions.
    open: HashMap<FileId, i32>,
    /// What each file's published diagnostics were computed from, and what they were.
    published: BTreeMap<FileId, Published>,
    /// `cruddur.toml` files whose error was published.
    config_errors: BTreeMap<PathBuf, cruddur::analysis::config::ConfigError>,
    /// The last analysis in which each file parsed without error, with the text it had.
    last_good: HashMap<FileId, Snapshot>,
    /// The options changed since the last publication: every file's diagnostics are
    /// computed again.
    republish: bool,
    pub options: Options,
}

struct Published {
    analysis: Arc<Analysis>,
    diagnostics: Vec<lsp::Diagnostic>,
}

/// A whole program, as cruddur's own requests read it.
pub struct ProgramView {
    pub analysis: Arc<Analysis>,
    pub files: Vec<FileId>,
    /// Its `cruddur.toml` has an error (published on that file).
    pub config_broken: bool,
}

/// An analysis and the texts it was made from.
#[derive(Clone)]
pub struct Snapshot {
    pub analysis: Arc<Analysis>,
    pub sources: Arc<SourceMap>,
}

impl Session {
    pub fn new(fs: impl FileSystem + 'static, options: Options) -> Session {
        Session {
            workspace: Workspace::new(fs),
            folders: Vec::new(),
            uris: HashMap::new(),
            open: HashMap::new(),
            published: BTreeMap::new(),
            config_errors: BTreeMap::new(),
            last_good: HashMap::new(),
            republish: false,
            options,
        }
    }

    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    /// Shows warnings as errors, or not; true when that changed what is published.
    pub fn set_deny_warnings(&mut self, deny: bool) -> bool {
        let changed = self.options.diagnostics.deny_warnings != deny;
        self.options.diagnostics.deny_warnings = deny;
        self.republish |= changed;
        changed
    }

    /// The analysis of the program holding `file`, with the program's files and whether its
    /// `cruddur.toml` is broken.
    pub fn program(&mut self, file: FileId) -> Option<ProgramView> {
        let analysis = self.analysis(file)?;
        let index = self.workspace.program_of(file)?;
        let program = &self.workspace.programs()[index];
        Some(ProgramView {
            analysis,
            files: program.files.clone(),
            config_broken: program.config_error.is_some(),
        })
    }

    pub fn add_folder(&mut self, folder: &Path) {
        self.folders.push(folder.to_path_buf());
        self.workspace.add_folder(folder);
    }

    /// A folder left the workspace: its files that are not open leave too.
    pub fn remove_folder(&mut self, folder: &Path) {
        self.folders.retain(|f| f != folder);
        let leaving: Vec<PathBuf> = self
            .workspace
            .programs()
            .iter()
            .flat_map(|p| p.files.iter())
            .filter(|f| !self.open.contains_key(f))
            .map(|&f| self.workspace.path(f).to_path_buf())
            .filter(|path| path.starts_with(folder) && !self.in_folder(path))
            .collect();
        for path in leaving {
            self.workspace.forget(&path);
        }
    }

    fn in_folder(&self, path: &Path) -> bool {
        self.folders.iter().any(|folder| path.starts_with(folder))
    }

    /// The file a URI names, if the workspace holds it.
    pub fn file(&self, uri: &Uri) -> Option<FileId> {
        self.workspace.file(&path_of(uri))
    }

    pub fn uri(&self, file: FileId) -> Option<Uri> {
        self.uris
            .get(&file)
            .cloned()
            .or_else(|| uri_of(self.workspace.path(file)))
    }

    pub fn did_open(&mut self, uri: Uri, version: i32, text: String) -> FileId {
        let file = self.workspace.set_text(&path_of(&uri), text);
        self.uris.insert(file, uri);
        self.open.insert(file, version);
        file
    }

    /// Applies a client's changes, in order: ranged edits, or the whole text.
    pub fn did_change(&mut self, uri: &Uri, version: i32, changes: Vec<lsp::TextDocumentContentChangeEvent>) {
        let Some(file) = self.file(uri) else { return };
        let mut text = self.workspace.sources().source(file).to_string();
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = convert::text_offset(&text, range.start);
                    let end = convert::text_offset(&text, range.end).max(start);
                    text.replace_range(start..end, &change.text);
                }
                None => text = change.text,
            }
        }
        self.workspace.set_text(&path_of(uri), text);
        self.open.insert(file, version);
    }

    /// The buffer is dropped: the file reads from disk again if it is one of the workspace's,
    /// else it leaves the workspace (and its diagnostics are cleared).
    pub fn did_close(&mut self, uri: &Uri) {
        let path = path_of(uri);
        let Some(file) = self.workspace.file(&path) else { return };
        self.open.remove(&file);
        if self.in_folder(&path) {
            self.workspace.remove_text(&path);
        } else {
            self.workspace.forget(&path);
        }
    }

    /// Files created, changed or deleted on disk (a watcher's notices).
    pub fn did_change_watched(&mut self, uris: &[Uri]) {
        for uri in uris {
            let path = path_of(uri);
            // YAML files may be buildspec files a program reads.
            let is_ours = path
                .extension()
                .is_some_and(|e| e == EXTENSION || e == "yml" || e == "yaml")
                || path.file_name().is_some_and(|n| n == CONFIG_FILE);
            if is_ours {
                self.workspace.changed_on_disk(&path);
            }
        }
    }

    /// The analysis of the program holding `file`, remembered as the file's last good one
    /// when the file parses.
    pub fn analysis(&mut self, file: FileId) -> Option<Arc<Analysis>> {
        let analysis = self.workspace.analysis_of(file)?;
        self.remember(file, &analysis);
        Some(analysis)
    }

    /// Keeps `analysis` as the last good one of `file` if the file parses in it.
    fn remember(&mut self, file: FileId, analysis: &Arc<Analysis>) {
        let known = self
            .last_good
            .get(&file)
            .is_some_and(|s| Arc::ptr_eq(&s.analysis, analysis));
        let parses = !analysis
            .diagnostics
            .iter()
            .any(|d| d.primary.file == file && features::is_syntax_error(d));
        if known || !parses {
            return;
        }
        // The files of one program share one copy of the texts.
        let sources = match self.last_good.values().find(|s| Arc::ptr_eq(&s.analysis, analysis)) {
            Some(snapshot) => snapshot.sources.clone(),
            None => Arc::new(self.workspace.sources().clone()),
        };
        self.last_good.insert(
            file,
            Snapshot {
                analysis: analysis.clone(),
                sources,
            },
        );
    }

    /// What a request at `file` reads: the analysis given (from [`Session::analysis`]) and,
    /// when the file does not parse now, the last one in which it did.
    pub fn view(&self, file: FileId, analysis: Arc<Analysis>) -> View<'_> {
        let stale = self
            .last_good
            .get(&file)
            .filter(|s| !Arc::ptr_eq(&s.analysis, &analysis));
        View {
            session: self,
            file,
            analysis,
            sources: self.workspace.sources(),
            stale,
        }
    }

    /// The diagnostics to publish now: every file of every program whose analysis changed
    /// since the last call, if its diagnostics changed, and an empty list for each file that
    /// had some and has left the workspace.
    pub fn publish(&mut self) -> Vec<lsp::PublishDiagnosticsParams> {
        let mut out = Vec::new();
        let mut live: HashSet<FileId> = HashSet::new();
        for index in 0..self.workspace.programs().len() {
            let analysis = self.workspace.analysis(index);
            // With the buildspec files the program reads: their findings are shown in them.
            let program = &self.workspace.programs()[index];
            let files: Vec<FileId> = program.files.iter().chain(&program.included).copied().collect();
            for file in files {
                live.insert(file);
                let unchanged = !self.republish
                    && self
                        .published
                        .get(&file)
                        .is_some_and(|p| Arc::ptr_eq(&p.analysis, &analysis));
                if unchanged {
                    continue;
                }
                // An open file's analysis is kept for requests made once it stops parsing.
                if self.open.contains_key(&file) {
                    self.remember(file, &analysis);
                }
                let diagnostics = features::diagnostics(self, &analysis, file);
                // A file seen for the first time with nothing to say is not announced.
                let same = match self.published.get(&file) {
                    Some(before) => before.diagnostics == diagnostics,
                    None => diagnostics.is_empty(),
                };
                self.published.insert(
                    file,
                    Published {
                        analysis: analysis.clone(),
                        diagnostics: diagnostics.clone(),
                    },
                );
                if same {
                    continue;
                }
                if let Some(uri) = self.uri(file) {
                    out.push(lsp::PublishDiagnosticsParams {
                        uri,
                        diagnostics,
                        version: self.open.get(&file).copied(),
                    });
                }
            }
        }
        let gone: Vec<FileId> = self.published.keys().filter(|f| !live.contains(f)).copied().collect();
        for file in gone {
            let had = self.published.remove(&file).is_some_and(|p| !p.diagnostics.is_empty());
            self.last_good.remove(&file);
            if had {
                if let Some(uri) = self.uri(file) {
                    out.push(lsp::PublishDiagnosticsParams {
                        uri,
                        diagnostics: Vec::new(),
                        version: None,
                    });
                }
            }
        }
        self.republish = false;
        out.extend(self.publish_config_errors());
        out
    }

    /// A `cruddur.toml` that cannot be used: its error, on its first line.
    fn publish_config_errors(&mut self) -> Vec<lsp::PublishDiagnosticsParams> {
        let mut now: BTreeMap<PathBuf, cruddur::analysis::config::ConfigError> = BTreeMap::new();
        for program in self.workspace.programs() {
            if let (Some(root), Some(error)) = (&program.root, &program.config_error) {
                now.insert(root.join(CONFIG_FILE), error.clone());
            }
        }
        let mut out = Vec::new();
        for (path, error) in &now {
            if self.config_errors.get(path) != Some(error) {
                if let Some(uri) = uri_of(path) {
                    out.push(lsp::PublishDiagnosticsParams {
                        uri,
                        diagnostics: vec![features::config_diagnostic(error)],
                        version: None,
                    });
                }
            }
        }
        for path in self.config_errors.keys().filter(|p| !now.contains_key(*p)) {
            if let Some(uri) = uri_of(path) {
                out.push(lsp::PublishDiagnosticsParams {
                    uri,
                    diagnostics: Vec::new(),
                    version: None,
                });
            }
        }
        self.config_errors = now;
        out
    }

    /// Every file of the workspace with the analysis of its program (workspace symbols).
    pub fn all_files(&mut self) -> Vec<(FileId, Arc<Analysis>)> {
        let mut out = Vec::new();
        for index in 0..self.workspace.programs().len() {
            let analysis = self.workspace.analysis(index);
            for &file in &self.workspace.programs()[index].files {
                out.push((file, analysis.clone()));
            }
        }
        out
    }
}

/// What one request reads.
pub struct View<'a> {
    pub session: &'a Session,
    pub file: FileId,
    pub analysis: Arc<Analysis>,
    /// The current texts.
    pub sources: &'a SourceMap,
    /// The file's last analysis that parsed, when the current one does not.
    pub stale: Option<&'a Snapshot>,
}

impl View<'_> {
    /// The file parses as it is now.
    pub fn parses(&self) -> bool {
        !self
            .analysis
            .diagnostics
            .iter()
            .any(|d| d.primary.file == self.file && features::is_syntax_error(d))
    }

    /// The byte offset of a position in the current text.
    pub fn offset(&self, position: lsp::Position) -> usize {
        convert::offset(self.sources, self.file, position)
    }

    /// The current analysis' answer at `position` or, when it has none and the file does not
    /// parse, the last good analysis' answer with its places moved to the current text.
    pub fn answer<T: Relocate>(
        &self,
        position: lsp::Position,
        feature: impl Fn(&Analysis, &SourceMap, usize) -> Option<T>,
    ) -> Option<T> {
        let offset = self.offset(position);
        if let Some(answer) = feature(&self.analysis, self.sources, offset) {
            return Some(answer);
        }
        let stale = self.stale?;
        let moved = Moved::new(&stale.sources, self.sources);
        let old_offset = moved.to_old(self.file, offset)?;
        let answer = feature(&stale.analysis, &stale.sources, old_offset)?;
        answer.relocate(&|file, offset| moved.to_new(file, offset))
    }

    /// The analysis to answer a whole-file request from: the last good one when the file does
    /// not parse now, with a way to move its places to the current text.
    pub fn whole_file(&self) -> (&Analysis, &SourceMap, Moved<'_>) {
        match self.stale {
            Some(stale) => (
                &stale.analysis,
                &stale.sources,
                Moved::new(&stale.sources, self.sources),
            ),
            None => (&self.analysis, self.sources, Moved::new(self.sources, self.sources)),
        }
    }
}

/// Places in an older text moved to the newer one: what lies before the edited stretch keeps
/// its offset, what lies after it shifts, and what was inside it is gone.
pub struct Moved<'a> {
    old: &'a SourceMap,
    new: &'a SourceMap,
}

impl Moved<'_> {
    pub fn new<'a>(old: &'a SourceMap, new: &'a SourceMap) -> Moved<'a> {
        Moved { old, new }
    }

    pub fn to_new(&self, file: FileId, offset: usize) -> Option<usize> {
        shift(self.old.source(file), self.new.source(file), offset)
    }

    pub fn to_old(&self, file: FileId, offset: usize) -> Option<usize> {
        shift(self.new.source(file), self.old.source(file), offset)
    }
}

/// `offset` in `from` as an offset in `to`, when it lies in their common prefix or suffix.
fn shift(from: &str, to: &str, offset: usize) -> Option<usize> {
    if std::ptr::eq(from, to) || from == to {
        return Some(offset);
    }
    let (prefix, suffix) = convert::common_ends(from, to);
    let (a, b) = (from.as_bytes(), to.as_bytes());
    if offset <= prefix {
        Some(offset)
    } else if offset >= a.len() - suffix {
        Some(offset + b.len() - a.len())
    } else {
        None
    }
}

/// An answer whose places can be moved from an older text to the current one.
pub trait Relocate: Sized {
    fn relocate(self, to_new: &dyn Fn(FileId, usize) -> Option<usize>) -> Option<Self>;
}

impl Relocate for cruddur::resolve::model::Loc {
    fn relocate(self, to_new: &dyn Fn(FileId, usize) -> Option<usize>) -> Option<Self> {
        Some(cruddur::resolve::model::Loc {
            file: self.file,
            span: to_new(self.file, self.span.start)?..to_new(self.file, self.span.end)?,
        })
    }
}

impl Relocate for Vec<cruddur::resolve::model::Loc> {
    fn relocate(self, to_new: &dyn Fn(FileId, usize) -> Option<usize>) -> Option<Self> {
        Some(self.into_iter().filter_map(|loc| loc.relocate(to_new)).collect())
    }
}

/// A hover and the file its span is in.
impl Relocate for (cruddur::ide::Hover, FileId) {
    fn relocate(self, to_new: &dyn Fn(FileId, usize) -> Option<usize>) -> Option<Self> {
        let (mut hover, file) = self;
        hover.span = to_new(file, hover.span.start)?..to_new(file, hover.span.end)?;
        Some((hover, file))
    }
}

/// A rename's span and the name it changes.
impl Relocate for (cruddur::resolve::model::Loc, String) {
    fn relocate(self, to_new: &dyn Fn(FileId, usize) -> Option<usize>) -> Option<Self> {
        Some((self.0.relocate(to_new)?, self.1))
    }
}

#[cfg(test)]
mod tests {
    use super::shift;

    #[test]
    fn places_outside_the_edit_move_with_it() {
        let old = "abc XYZ def";
        let new = "abc Q def";
        assert_eq!(shift(old, new, 2), Some(2));
        assert_eq!(shift(old, new, 8), Some(6));
        assert_eq!(shift(old, new, 5), None);
        assert_eq!(shift(new, old, 6), Some(8));
        // A repeated letter at the edit is counted once, not twice.
        assert_eq!(shift("aa", "a", 2), Some(1));
        assert_eq!(shift("a", "aa", 1), Some(1));
    }
}

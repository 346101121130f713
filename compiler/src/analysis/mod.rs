//! The analysis of one program: its syntax trees, its model, what every name refers to, its
//! artifact graphs, the permissions its roles need, and its diagnostics (severities from
//! `cruddur.toml` applied). The CLI, the language server and any later front end read this.

pub mod config;
mod instances;
pub mod query;

use crate::check;
use crate::diagnostics::{self, Diagnostic, FileId, SourceMap};
pub use crate::resolve::buildspec_file::Included;
use crate::resolve::needs::{self, RoleUser};
use crate::resolve::{self, artifacts::ArtifactGraph, index::Index, model::Program, Gaps};
use crate::syntax::{self, ast};
use config::Config;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

/// One file of a program, parsed.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub file: FileId,
    pub ast: Arc<ast::File>,
    /// Lexical and syntax problems.
    pub diagnostics: Arc<[Diagnostic]>,
}

impl Parsed {
    pub fn new(sources: &SourceMap, file: FileId) -> Parsed {
        let parsed = syntax::parse(sources.source(file), file);
        Parsed {
            file,
            ast: Arc::new(parsed.file),
            diagnostics: parsed.diagnostics.into(),
        }
    }

    /// The names of the file's items, as the resolver collects them.
    pub fn item_names(&self) -> Vec<String> {
        self.ast
            .members
            .iter()
            .filter(|m| resolve::model::Kind::from_keyword(&m.name.name).is_some())
            .filter_map(resolve::symbols::declared_name)
            .map(|label| label.name.as_str().to_owned())
            .collect()
    }
}

/// What starts a waiver in a comment: text without it holds no waiver.
pub use check::WAIVER_MARK;

pub struct Analysis {
    pub files: Vec<(FileId, Arc<ast::File>)>,
    pub program: Program,
    /// Each pipeline's artifacts, by pipeline index.
    pub artifacts: Vec<ArtifactGraph>,
    /// Definitions and references.
    pub index: Index,
    /// What did not make it into the model.
    pub gaps: Gaps,
    /// Sorted; severities as configured, rules turned off left out.
    pub diagnostics: Vec<Diagnostic>,
    /// The rules the configuration turns off (`cruddur.toml`).
    pub rules_off: Vec<crate::diagnostics::Code>,
    permissions: OnceLock<Vec<RolePermissions>>,
}

/// A role of the program: declared, or inferred for a project or pipeline without one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RoleRef {
    Declared(usize),
    Project(usize),
    Pipeline(usize),
}

/// What one role must be allowed, and the line that needs each permission. For a declared
/// role, the needs of everything that runs in it.
#[derive(Clone, Debug, PartialEq)]
pub struct RolePermissions {
    pub role: RoleRef,
    pub needs: Vec<needs::Need>,
}

/// Analyses already parsed files as one program. `elsewhere`: names defined by other programs
/// of the same run, with the file each is in (an unknown name found there is pointed at).
pub fn analyze_parsed(
    sources: &SourceMap,
    parsed: &[Parsed],
    config: &Config,
    elsewhere: &BTreeMap<String, String>,
    included: &Included,
) -> Analysis {
    let files: Vec<(FileId, Arc<ast::File>)> = parsed.iter().map(|p| (p.file, p.ast.clone())).collect();
    let mut found = Vec::new();
    let mut lowered = resolve::resolve(sources, &files, elsewhere, included, &mut found);
    found.extend(check::check(sources, &files, &lowered));
    let mut found = instances::report_once(&lowered.program, found);
    instances::untag_gaps(&mut lowered.gaps);
    instances::untag_artifacts(&mut lowered.artifacts);
    check::apply_waivers(sources, &files, &mut found);
    let mut diagnostics: Vec<Diagnostic> = parsed.iter().flat_map(|p| p.diagnostics.iter().cloned()).collect();
    diagnostics.append(&mut found);
    config.apply(&mut diagnostics);
    diagnostics::sort(&mut diagnostics);
    Analysis {
        files,
        program: lowered.program,
        artifacts: lowered.artifacts,
        index: lowered.index,
        gaps: lowered.gaps,
        diagnostics,
        rules_off: config.rules_off(),
        permissions: OnceLock::new(),
    }
}

/// Parses and analyses the given files (already in `sources`) as one program, with the
/// default configuration.
pub fn analyze(sources: &SourceMap, files: &[FileId]) -> Analysis {
    let parsed: Vec<Parsed> = files.iter().map(|&file| Parsed::new(sources, file)).collect();
    analyze_parsed(sources, &parsed, &Config::default(), &BTreeMap::new(), &Included::new())
}

/// Like [`analyze`], with the files the program reads besides its sources already in
/// `sources` (see [`included_paths`]).
pub fn analyze_with(sources: &SourceMap, files: &[FileId], included: &Included) -> Analysis {
    let parsed: Vec<Parsed> = files.iter().map(|&file| Parsed::new(sources, file)).collect();
    analyze_parsed(sources, &parsed, &Config::default(), &BTreeMap::new(), included)
}

/// The paths a program's files name in `buildspec = file("…")`, for the workspace to read
/// before the analysis (the core does no I/O).
pub fn included_paths(parsed: &[Parsed]) -> BTreeSet<String> {
    let mut paths = BTreeSet::new();
    for p in parsed {
        for item in &p.ast.members {
            for member in item.body().map_or(&[][..], |b| &b.members) {
                let ast::MemberKind::Property(value) = &member.kind else {
                    continue;
                };
                let ast::ExprKind::Call { callee, args } = &value.kind else {
                    continue;
                };
                if member.name.name != "buildspec" || callee.name != "file" {
                    continue;
                }
                if let [arg] = args.as_slice() {
                    if let ast::ExprKind::Str(text) = &arg.value.kind {
                        paths.extend(text.as_plain());
                    }
                }
            }
        }
    }
    paths
}

impl Analysis {
    /// The syntax tree of one of the program's files.
    pub fn ast(&self, file: FileId) -> Option<&ast::File> {
        self.files.iter().find(|(f, _)| *f == file).map(|(_, ast)| &**ast)
    }

    /// Every role and what it needs (worked out on first use).
    pub fn permissions(&self) -> &[RolePermissions] {
        self.permissions.get_or_init(|| permissions(&self.program))
    }
}

fn permissions(program: &Program) -> Vec<RolePermissions> {
    let mut by_role: BTreeMap<RoleRef, Vec<needs::Need>> = BTreeMap::new();
    for index in 0..program.roles.len() {
        by_role.insert(RoleRef::Declared(index), Vec::new());
    }
    for user in needs::role_users(program) {
        let role = match (user.declared(program), user) {
            (Some(declared), _) => RoleRef::Declared(declared.value),
            (None, RoleUser::Project(index)) => RoleRef::Project(index),
            (None, RoleUser::Pipeline(index)) => RoleRef::Pipeline(index),
            (None, RoleUser::Action(_)) => continue,
        };
        by_role.entry(role).or_default().extend(user.needs(program));
    }
    by_role
        .into_iter()
        .map(|(role, needs)| RolePermissions { role, needs })
        .collect()
}

//! Command-line interface: argument parsing, reading inputs, choosing a renderer.
//! Exit codes: 0 clean (warnings allowed), 1 errors in the sources, 2 usage or I/O problems.

mod fix;
mod fmt;
mod import;
mod init;
mod output;

use clap::{Parser, Subcommand, ValueEnum};
use cruddur::diagnostics::{ci, explain, render, Code, Diagnostic, FileId, SourceMap};
use cruddur::workspace::{OsFs, Workspace};
use cruddur::Analysis;
use std::collections::HashSet;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

const EXAMPLES: &str = "\
Examples:
  cruddur check examples/                   check every .cruddur file under examples/
  cruddur check pipeline.cruddur --format short
  cruddur check ci/ --format json > diagnostics.json
  cruddur build examples/02-cruddur-backend-fargate.cruddur --out build/ --param account_id=123456789012
  cruddur check ci/ --fix --dry-run          show the fixes cruddur would apply, as a diff
  cruddur fmt                               lay out every .cruddur file below this folder
  cruddur graph pipeline.cruddur --format mermaid
  cruddur explain E0011                     what an error code means and how to fix it
  cruddur init --template fargate           a starting program from an example (--list for all)
  cruddur explain compute                   what a word of the language means in AWS";

#[derive(Parser)]
#[command(
    name = "cruddur",
    version,
    about = "Compiler for .cruddur pipeline definitions: checks them and emits what AWS CodePipeline, CodeBuild and IAM take",
    after_help = EXAMPLES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check .cruddur files and report every problem found
    #[command(after_help = EXAMPLES)]
    Check {
        /// Files or directories (searched recursively for *.cruddur)
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// How to print diagnostics
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// When to colour terminal output
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        /// `--deny warnings`: warnings fail the check too (exit 1)
        #[arg(long, value_enum, value_name = "WHAT")]
        deny: Option<Deny>,
        /// Apply every machine-applicable fix (again while new ones appear), write each
        /// changed file at once, and report what changed and what remains
        #[arg(long)]
        fix: bool,
        /// With --fix: print the changes as a unified diff instead of writing them (the exit
        /// status is the files' as they are)
        #[arg(long, requires = "fix", conflicts_with = "format")]
        dry_run: bool,
        /// Check only the programs that read a file changed since git's REF (their sources,
        /// `cruddur.toml`, the files they name), counted from where HEAD left REF, with the
        /// changes not committed and the files not yet added
        #[arg(long, value_name = "REF", conflicts_with = "fix")]
        changed_since: Option<String>,
    },
    /// Check, then write buildspecs, CodeBuild/CodePipeline definitions, IAM policies and
    /// CloudFormation templates into a folder (nothing is written unless everything checks)
    #[command(after_help = EXAMPLES)]
    Build {
        /// Files or directories (searched recursively for *.cruddur)
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// The folder to write; replaced whole, and only if empty or written by cruddur before
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// A parameter value, e.g. --param account_id=123456789012 (repeatable)
        #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
        params: Vec<(String, String)>,
        /// What to write: the CLI definitions (which need every value), the CloudFormation
        /// templates (which take parameters as template parameters), or both
        #[arg(long, value_enum, default_value_t = FormChoice::All)]
        form: FormChoice,
        /// How to print diagnostics
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// When to colour terminal output
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Print each pipeline as a diagram: stages, actions, artifacts on the edges
    Graph {
        /// Files or directories
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Diagram language
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
    },
    /// Rewrite .cruddur files in the canonical layout (see spec/language.md, "Layout")
    #[command(
        after_help = "Examples:\n  cruddur fmt                      format every .cruddur file below the current folder\n  cruddur fmt --check examples/    list files that are not formatted; exit 1 if any\n  cruddur fmt - < a.cruddur        format standard input to standard output"
    )]
    Fmt {
        /// Files or directories (default: the current directory); `-` formats standard input
        /// to standard output
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Write nothing: list the files that would change, and exit 1 if any would
        #[arg(long)]
        check: bool,
    },
    /// Write a starting program from a template made from the examples, and print what to
    /// run next; nothing is overwritten
    #[command(
        after_help = "Examples:\n  cruddur init --list                                   the templates, one line each\n  cruddur init                                          pipeline.cruddur from the `minimal` template\n  cruddur init --template fargate --repo acme/shop --branch release --region eu-west-1 ci/pipeline.cruddur"
    )]
    Init {
        /// The program file to write (the template's other files go beside it)
        #[arg(value_name = "PATH", default_value = "pipeline.cruddur")]
        path: PathBuf,
        /// The template (see --list)
        #[arg(long, default_value = "minimal")]
        template: String,
        /// List the templates and exit
        #[arg(long)]
        list: bool,
        /// The repository the pipeline builds, OWNER/NAME
        #[arg(long, value_name = "OWNER/NAME")]
        repo: Option<String>,
        /// The branch that starts it
        #[arg(long)]
        branch: Option<String>,
        /// The AWS Region it runs in
        #[arg(long)]
        region: Option<String>,
    },
    /// Read buildspec files, CodeBuild projects (`aws codebuild batch-get-projects` output),
    /// pipelines (`aws codepipeline get-pipeline` output) and CloudFormation templates into one
    /// .cruddur program and check it; print what was kept as a comment, filled in, moved out,
    /// or is left to do
    #[command(
        after_help = "Examples:\n  cruddur import buildspec.yml                      print the program\n  cruddur import api/buildspec.yml web/buildspec.yml -o ci.cruddur\n  aws codebuild batch-get-projects --names api > api.json && cruddur import api.json -o ci.cruddur\n  cruddur import pipeline.json projects.json -o ci.cruddur   a pipeline with its projects\n  cruddur import template.yml -o ci.cruddur          a CloudFormation template"
    )]
    Import {
        /// The files to read (`-`: standard input)
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The program file to write (a new file); standard output when not given
        #[arg(short, long, value_name = "OUT.cruddur")]
        output: Option<PathBuf>,
        /// Keep the roles as the input has them (with their policies when given, then `check`
        /// reports what they lack) instead of the least-privilege roles cruddur infers
        #[arg(long)]
        keep_roles: bool,
        /// When to colour terminal output
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Print the documentation of a diagnostic code (e.g. E0011), or of a word of the
    /// language: an item, a member (`compute`, `project.environment.compute`), a provider or
    /// a setting (`github.repo`)
    Explain {
        /// A code such as E0011, or a word such as `compute`
        code: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Source excerpts with labels, for people
    Human,
    /// One line per problem: file:line:col: severity[CODE]: message
    Short,
    /// A JSON document, for tools
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub and others)
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request
    Github,
    /// JUnit XML: a test case per rule and file, for CodeBuild report groups, GitLab, Jenkins
    Junit,
    /// GitLab Code Quality JSON, with fingerprints stable across runs
    Gitlab,
    /// Checkstyle XML
    Checkstyle,
    /// `check` only: a review against OWASP's Top 10 CI/CD Security Risks, in Markdown (per
    /// pipeline and project: findings per risk, the rules that looked, what a program cannot
    /// show)
    Owasp,
}

#[derive(Clone, Copy, ValueEnum)]
enum Deny {
    Warnings,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormChoice {
    /// Both forms
    All,
    /// The AWS CLI inputs (buildspecs, CodeBuild and CodePipeline definitions, IAM, events)
    Cli,
    /// The CloudFormation templates
    Cloudformation,
}

impl From<FormChoice> for cruddur::emit::Forms {
    fn from(choice: FormChoice) -> Self {
        match choice {
            FormChoice::All => cruddur::emit::Forms::All,
            FormChoice::Cli => cruddur::emit::Forms::Cli,
            FormChoice::Cloudformation => cruddur::emit::Forms::CloudFormation,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    Mermaid,
    Dot,
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err(format!("expected NAME=VALUE, got `{text}`")),
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Command::Check {
            format: Format::Owasp,
            fix: true,
            ..
        }
        | Command::Build {
            format: Format::Owasp, ..
        } => {
            eprintln!("error: `--format owasp` is a review written by `cruddur check` (without --fix)");
            2
        }
        Command::Check {
            paths,
            format,
            color,
            deny,
            fix: true,
            dry_run,
            ..
        } => fix::run(&paths, format, color, deny.is_some(), dry_run),
        Command::Check {
            paths,
            format,
            color,
            deny,
            changed_since,
            ..
        } => check(&paths, format, color, deny.is_some(), changed_since.as_deref()),
        Command::Build {
            paths,
            out,
            params,
            form,
            format,
            color,
        } => build(&paths, &out, &params, form.into(), format, color),
        Command::Graph { paths, format } => graph(&paths, format),
        Command::Fmt { paths, check } => fmt::run(&paths, check),
        Command::Explain { code } => explain_code(&code),
        Command::Import {
            files,
            output,
            keep_roles,
            color,
        } => import::run(&files, output.as_deref(), keep_roles, color),
        Command::Init {
            path,
            template,
            list,
            repo,
            branch,
            region,
        } => init::run(&template, &path, &init::Values { repo, branch, region }, list),
    }
}

/// The programs named by `paths`, analysed, with their sources.
fn analyze(paths: &[PathBuf]) -> Result<(SourceMap, Vec<Arc<Analysis>>), i32> {
    let mut workspace = Workspace::new(OsFs);
    workspace.load(paths).map_err(|message| {
        eprintln!("error: {message}");
        2
    })?;
    let analyses = workspace.analyses();
    let sources = workspace.sources().clone();
    // Its trees and caches are not needed again (see `check`: the process ends soon).
    std::mem::forget(workspace);
    Ok((sources, analyses))
}

/// How a report is written besides its format: `deny_warnings`, warnings fail the check (a
/// JUnit report counts them as failures); `checked`, the files checked (a JUnit report has a
/// passing case for each without findings), every file read when `None`.
#[derive(Clone, Copy)]
struct Reporting<'a> {
    color: ColorChoice,
    deny_warnings: bool,
    checked: Option<&'a [cruddur::diagnostics::FileId]>,
}

impl Reporting<'_> {
    fn new(color: ColorChoice) -> Self {
        Reporting {
            color,
            deny_warnings: false,
            checked: None,
        }
    }
}

fn report(diagnostics: &[Diagnostic], sources: &SourceMap, format: Format, how: Reporting) -> Result<(), i32> {
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    report_to(&mut out, diagnostics, sources, format, how)
}

fn report_to(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    format: Format,
    how: Reporting,
) -> Result<(), i32> {
    let written = match format {
        Format::Human => {
            let color = match how.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            render::human(out, diagnostics, sources, color)
        }
        Format::Short => render::short(out, diagnostics, sources),
        Format::Json => render::json(out, diagnostics, sources),
        Format::Sarif => cruddur::diagnostics::sarif::write(out, diagnostics, sources),
        Format::Github => ci::github(out, diagnostics, sources),
        Format::Junit => {
            let every: Vec<_> = sources.files().collect();
            ci::junit(
                out,
                diagnostics,
                sources,
                how.checked.unwrap_or(&every),
                how.deny_warnings,
            )
        }
        Format::Gitlab => ci::gitlab(out, diagnostics, sources),
        Format::Checkstyle => ci::checkstyle(out, diagnostics, sources),
        // Written by `check`, which has the programs; refused elsewhere (see `run`).
        Format::Owasp => Ok(()),
    };
    match written.and_then(|_| out.flush()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write output: {error}");
            Err(2)
        }
        _ => Ok(()),
    }
}

/// Programs analysed, with their sources and, when only some were, the files those read.
type Analysed = (SourceMap, Vec<Arc<Analysis>>, Vec<FileId>);

/// The programs named by `paths` that read a file changed since `reference`, analysed, with
/// the sources and the files they read.
fn analyze_changed(paths: &[PathBuf], reference: &str) -> Result<Analysed, i32> {
    let changed = changed_files(reference, &paths[0]).map_err(|message| {
        eprintln!("error: --changed-since {reference}: {message}");
        2
    })?;
    let mut workspace = Workspace::new(OsFs);
    workspace.load(paths).map_err(|message| {
        eprintln!("error: {message}");
        2
    })?;
    let changed: HashSet<PathBuf> = changed.iter().map(|path| workspace.canonical(path)).collect();
    let total = workspace.programs().len();
    let selected: Vec<usize> = (0..total)
        .filter(|&index| workspace.inputs(index).iter().any(|path| changed.contains(path)))
        .collect();
    let analyses: Vec<Arc<Analysis>> = selected.iter().map(|&index| workspace.analysis(index)).collect();
    let files = selected
        .iter()
        .flat_map(|&index| {
            let program = &workspace.programs()[index];
            program.files.iter().chain(&program.included).copied()
        })
        .collect();
    let s = if total == 1 { "" } else { "s" };
    eprintln!(
        "--changed-since {reference}: {} of {total} program{s} read a changed file, and only those are checked",
        selected.len()
    );
    let sources = workspace.sources().clone();
    std::mem::forget(workspace);
    Ok((sources, analyses, files))
}

/// The files changed since `reference`, from where HEAD left it (`git diff REF...`), with
/// the changes not committed and the files not added yet; absolute paths. Asked of the
/// repository that holds `near` (the first path checked).
fn changed_files(reference: &str, near: &std::path::Path) -> Result<Vec<PathBuf>, String> {
    let folder = if near.is_dir() {
        near
    } else {
        near.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."))
    };
    let git = |args: &[&str]| -> Result<String, String> {
        let output = std::process::Command::new("git")
            .args(args)
            .current_dir(folder)
            .output()
            .map_err(|error| format!("cannot run git: {error}"))?;
        if !output.status.success() {
            return Err(format!(
                "`git {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        String::from_utf8(output.stdout)
            .map_err(|_| format!("`git {}` printed a path that is not UTF-8", args.join(" ")))
    };
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?.trim_end());
    let top_text = top.to_string_lossy().into_owned();
    let base = git(&["merge-base", reference, "HEAD"])?;
    let diff = git(&[
        "-C",
        &top_text,
        "diff",
        "--name-only",
        "--no-renames",
        "-z",
        base.trim(),
        "--",
    ])?;
    let added = git(&["-C", &top_text, "ls-files", "--others", "--exclude-standard", "-z"])?;
    Ok(diff
        .split('\0')
        .chain(added.split('\0'))
        .filter(|path| !path.is_empty())
        .map(|path| top.join(path))
        .collect())
}

fn check(
    paths: &[PathBuf],
    format: Format,
    color: ColorChoice,
    deny_warnings: bool,
    changed_since: Option<&str>,
) -> i32 {
    let (sources, analyses, checked) = match changed_since {
        Some(reference) => match analyze_changed(paths, reference) {
            Ok((sources, analyses, files)) => (sources, analyses, Some(files)),
            Err(code) => return code,
        },
        None => match analyze(paths) {
            Ok((sources, analyses)) => (sources, analyses, None),
            Err(code) => return code,
        },
    };
    // One program's diagnostics are sorted already; several programs' are merged.
    let diagnostics: std::borrow::Cow<[Diagnostic]> = match analyses.as_slice() {
        [one] => one.diagnostics.as_slice().into(),
        many => {
            let mut all: Vec<Diagnostic> = many.iter().flat_map(|a| a.diagnostics.iter().cloned()).collect();
            cruddur::diagnostics::sort(&mut all);
            all.into()
        }
    };
    let reported = match format {
        Format::Owasp => {
            // The review has the security findings; what else fails the check goes to stderr,
            // one line each, so an exit status of 1 is explained.
            let others: Vec<Diagnostic> = diagnostics
                .iter()
                .filter(|d| !d.code.is_security_rule() && (d.is_error() || (deny_warnings && d.is_active())))
                .cloned()
                .collect();
            let mut err = io::stderr().lock();
            let _ = render::short(&mut err, &others, &sources);
            owasp_review(&analyses, &sources)
        }
        _ => report(
            &diagnostics,
            &sources,
            format,
            Reporting {
                color,
                deny_warnings,
                checked: checked.as_deref(),
            },
        ),
    };
    if let Err(code) = reported {
        return code;
    }
    let failing = |d: &&Diagnostic| d.is_error() || (deny_warnings && d.is_active());
    let status = i32::from(diagnostics.iter().any(|d| failing(&d)));
    // The process ends now: the system takes its memory back faster than freeing a large
    // program's trees and diagnostics one allocation at a time would.
    std::mem::forget(diagnostics);
    std::mem::forget((analyses, sources));
    status
}

/// The OWASP review of each program, one after the other.
fn owasp_review(analyses: &[Arc<Analysis>], sources: &SourceMap) -> Result<(), i32> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut written = Ok(());
    for (index, analysis) in analyses.iter().enumerate() {
        let review =
            cruddur::check::owasp::report(&analysis.program, &analysis.diagnostics, &analysis.rules_off, sources);
        let separator = if index == 0 { "" } else { "\n---\n\n" };
        written = written.and_then(|()| write!(out, "{separator}{review}"));
    }
    match written.and_then(|()| out.flush()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write output: {error}");
            Err(2)
        }
        _ => Ok(()),
    }
}

fn build(
    paths: &[PathBuf],
    out: &std::path::Path,
    params: &[(String, String)],
    forms: cruddur::emit::Forms,
    format: Format,
    color: ColorChoice,
) -> i32 {
    let (sources, analyses) = match analyze(paths) {
        Ok(result) => result,
        Err(code) => return code,
    };
    let declared: std::collections::BTreeSet<&str> = analyses
        .iter()
        .flat_map(|a| &a.program.params)
        .map(|p| p.header.name.as_str())
        .collect();
    // CI scripts pass one set of parameters to many programs: one a program does not declare
    // is ignored, with a word in case it is a misspelling.
    for (name, _) in params {
        if !declared.contains(name.as_str()) {
            let known: Vec<&str> = declared.iter().copied().collect();
            let meant = cruddur::diagnostics::did_you_mean(name, known.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            eprintln!(
                "warning: `--param {name}=…` is ignored: no parameter `{name}` is declared{}{meant}",
                if known.is_empty() {
                    String::new()
                } else {
                    format!(" (parameters: {})", known.join(", "))
                }
            );
        }
    }
    let mut given = std::collections::BTreeMap::new();
    for (name, value) in params {
        if value.is_empty() {
            eprintln!("error: `--param {name}=` gives no value; write `--param {name}=VALUE`");
            return 2;
        }
        if let Some(first) = given.insert(name.clone(), value.clone()) {
            if first != *value {
                eprintln!("error: `--param {name}` is given twice, as `{first}` and as `{value}`: give it once");
                return 2;
            }
        }
    }
    let mut diagnostics: Vec<Diagnostic> = analyses.iter().flat_map(|a| a.diagnostics.iter().cloned()).collect();
    // Each file goes to disk as it is made (into a folder that replaces `out` only at the end),
    // so a large build never holds all its output in memory.
    let mut staging = output::Staging::new(out);
    if !diagnostics.iter().any(|d| d.is_error()) {
        for analysis in &analyses {
            if let Err(errors) = cruddur::emit::emit_forms_into(&analysis.program, &given, forms, &mut staging) {
                diagnostics.extend(errors);
            }
            if staging.stopped() {
                break;
            }
        }
    }
    cruddur::diagnostics::sort(&mut diagnostics);
    let failed = diagnostics.iter().any(|d| d.is_error());
    if !diagnostics.is_empty() || failed {
        if let Err(code) = report(&diagnostics, &sources, format, Reporting::new(color)) {
            return code;
        }
    }
    if failed {
        eprintln!("nothing written: fix the errors above");
        return 1;
    }
    if let Some(path) = staging.clash() {
        eprintln!("error: two programs write `{path}`; build them into separate folders");
        return 2;
    }
    let written = staging.len();
    match staging.commit() {
        Ok(()) => {
            let files = if written == 1 { "file" } else { "files" };
            eprintln!("wrote {written} {files} to {}", out.display());
            0
        }
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
}

fn graph(paths: &[PathBuf], format: GraphFormat) -> i32 {
    let (sources, analyses) = match analyze(paths) {
        Ok(result) => result,
        Err(code) => return code,
    };
    let errors: Vec<Diagnostic> = analyses
        .iter()
        .flat_map(|a| a.diagnostics.iter().filter(|d| d.is_error()).cloned())
        .collect();
    if !errors.is_empty() {
        let _ = report(&errors, &sources, Format::Human, Reporting::new(ColorChoice::Auto));
        return 1;
    }
    let pipelines: Vec<_> = analyses
        .iter()
        .flat_map(|a| a.program.pipelines.iter().zip(&a.artifacts))
        .collect();
    let text = match format {
        GraphFormat::Mermaid => {
            let programs: Vec<_> = analyses.iter().map(|a| (&a.program, a.artifacts.as_slice())).collect();
            cruddur::emit::graph::mermaid_programs(&programs)
        }
        // Graphviz reads one graph after another from one file.
        GraphFormat::Dot => pipelines
            .iter()
            .map(|(p, graph)| cruddur::emit::graph::dot(p, graph))
            .chain(analyses.iter().map(|a| cruddur::emit::graph::dot_projects(&a.program)))
            .collect(),
    };
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write output: {error}");
            2
        }
        _ => 0,
    }
}

fn looks_like_code(word: &str) -> bool {
    word.len() == 5 && word.starts_with(['E', 'e', 'S', 's']) && word[1..].bytes().all(|b| b.is_ascii_digit())
}

/// Hover Markdown as terminal text: no bold marks, links as `text: address`, code blocks
/// indented.
fn plain(markdown: &str) -> String {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push(format!("    {line}"));
            continue;
        }
        let mut text = line.replace("**", "");
        while let (Some(open), Some(middle)) = (text.find('['), text.find("](")) {
            let Some(close) = text[middle..].find(')').map(|c| middle + c) else {
                break;
            };
            if open > middle {
                break;
            }
            let label = text[open + 1..middle].to_string();
            let url = text[middle + 2..close].to_string();
            text.replace_range(open..=close, &format!("{label}: {url}"));
        }
        out.push(text);
    }
    out.join("\n")
}

/// A diagnostic code's catalog entry, or the documentation of a word of the language.
fn explain_code(word: &str) -> i32 {
    let text = match word.parse::<Code>() {
        Ok(code) => match explain::entry(code) {
            // The catalog links the language reference beside it; from a terminal, the path
            // in the repository is what a reader can open.
            Some(text) => text.replace("](language.md#", "](spec/language.md#"),
            None => {
                eprintln!("error: {word} has no documentation entry");
                return 2;
            }
        },
        Err(()) if looks_like_code(word) => {
            eprintln!("error: `{word}` is no diagnostic code of cruddur (they run E0001… and S0001…)");
            return 2;
        }
        Err(()) => match cruddur::ide::explain(word) {
            Ok(text) => plain(&text),
            Err(why) => {
                eprintln!("error: {why}");
                return 2;
            }
        },
    };
    let mut out = io::stdout().lock();
    match writeln!(out, "{text}").and_then(|_| out.flush()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write output: {error}");
            2
        }
        _ => 0,
    }
}

//! `cruddur check --format owasp`: a review of a program against OWASP's Top 10 CI/CD Security
//! Risks, in Markdown, for a team to attach to a change. For each pipeline and each project:
//! the findings of the security rules under each risk (waived ones with their reason), the
//! rules that looked and found nothing, and the risks no rule of cruddur looks at. What a
//! program cannot show (branch protection, the source host's members, services outside AWS)
//! is said once, per risk, at the end. Which rule goes with which risk is
//! [`crate::diagnostics::taxonomy`]'s.

use crate::diagnostics::taxonomy::{self, Risk, RISKS};
use crate::diagnostics::{Code, Diagnostic, FileId, SourceMap, Span};
use crate::resolve::model::{Loc, Program};
use std::fmt::Write;

/// What a program cannot tell about each risk, by risk number: this project's reading of
/// OWASP's description of the risk, for what lies outside a `.cruddur` program.
const UNSEEN: [(u8, &str); 10] = [
    (
        1,
        "branch protection: who may push or merge to the branches the pipelines and webhooks watch, and reviews required before a merge",
    ),
    (
        2,
        "who may change these roles, pipelines, projects and repositories: IAM users and SSO, the source host's members and their permissions, identities no one uses any more",
    ),
    (
        3,
        "the registries builds fetch packages from, and how the package managers resolve names (lock files, private package names a public registry could also serve)",
    ),
    (
        4,
        "what a pull request may change in the repository (CODEOWNERS, branch protection), and what the scripts and build files the commands run from the repository do",
    ),
    (
        5,
        "what the build hosts and their network can reach, and permissions granted outside this program (other policies on the same roles, resource policies)",
    ),
    (
        6,
        "how the secrets builds read are scoped and rotated, and the tokens of the source host",
    ),
    (
        7,
        "the configuration of the source host, the connections and the account outside this program (CloudTrail, S3 Block Public Access, the organization's policies)",
    ),
    (
        8,
        "third-party services connected to the repository or the account: the source host's apps and webhooks other than CodeBuild's, and what they may do",
    ),
    (
        9,
        "signatures on images and packages, and what a deploy verifies beyond the image it is given",
    ),
    (
        10,
        "where logs go after CodeBuild and CodePipeline: retention, alerts, CloudTrail, and who reads them",
    ),
];

/// The kinds of item the review has sections for.
#[derive(Clone, Copy, PartialEq)]
enum Scope {
    Pipeline,
    Project,
}

/// Whether a security rule looks at items of this kind (a repository's scan settings, S0011,
/// are neither's: its findings are listed with the items used elsewhere).
fn looks_at(code: Code, scope: Scope) -> bool {
    match code {
        Code::DeployWithoutChecks | Code::UnreviewedCodeDeployed | Code::DeployFailureUnnoticed => {
            scope == Scope::Pipeline
        }
        Code::ArtifactEncryptionDisabled
        | Code::MutableImageTag
        | Code::ExportedSecret
        | Code::SecretLeakedInCommand
        | Code::PrivilegedWithoutDocker
        | Code::BuildLogsDisabled
        | Code::DownloadedScriptRun
        | Code::UnpinnedInstall
        | Code::MutableBuildImage
        | Code::OutsiderValueRunAsCode
        | Code::PrivilegedPullRequestBuild
        | Code::DeployFromEveryBranch => scope == Scope::Project,
        Code::RepositoryUnscanned => false,
        _ => true,
    }
}

/// An item the review has a section for.
struct Section<'p> {
    scope: Scope,
    title: String,
    loc: &'p Loc,
    /// What else it says: the projects a pipeline runs, the pipeline that runs a project.
    about: Option<String>,
    findings: Vec<&'p Diagnostic>,
}

/// The review of one program, in Markdown. `rules_off`: the rules the configuration turns
/// off, which looked at nothing.
pub fn report(program: &Program, diagnostics: &[Diagnostic], rules_off: &[Code], sources: &SourceMap) -> String {
    let mut sections: Vec<Section> = Vec::new();
    for (index, pipeline) in program.pipelines.iter().enumerate() {
        let runs: Vec<String> = program
            .projects
            .iter()
            .enumerate()
            .filter(|(p, _)| program.runs_of(*p).iter().any(|run| run.pipeline == index))
            .map(|(_, project)| format!("`{}`", project.header.name))
            .collect();
        sections.push(Section {
            scope: Scope::Pipeline,
            title: format!("Pipeline `{}`", pipeline.header.name),
            loc: &pipeline.header.item_loc,
            about: (!runs.is_empty()).then(|| format!("Runs projects {}.", runs.join(", "))),
            findings: Vec::new(),
        });
    }
    for (index, project) in program.projects.iter().enumerate() {
        let about = match program.runner(index) {
            Some(pipeline) => format!("Run by pipeline `{}`.", pipeline.header.name),
            None => match project.source.as_ref().filter(|s| !s.events.is_empty()) {
                Some(source) => format!("Started by its source's webhook: {}.", who_starts(source)),
                None => "Run by no pipeline.".to_string(),
            },
        };
        sections.push(Section {
            scope: Scope::Project,
            title: format!("Project `{}`", project.header.name),
            loc: &project.header.item_loc,
            about: Some(about),
            findings: Vec::new(),
        });
    }
    let mut elsewhere: Vec<&Diagnostic> = Vec::new();
    for diagnostic in diagnostics.iter().filter(|d| d.code.is_security_rule()) {
        // Where it is written, else where it is used: a finding in a stage template names the
        // stage made from it (a second label inside the pipeline).
        let places = std::iter::once(&diagnostic.primary).chain(&diagnostic.secondary);
        let at = places
            .filter_map(|label| sections.iter().position(|s| holds(s.loc, label.file, &label.span)))
            .next();
        match at {
            Some(index) => sections[index].findings.push(diagnostic),
            None => elsewhere.push(diagnostic),
        }
    }
    let unchecked = diagnostics
        .iter()
        .filter(|d| d.is_error() && !d.code.is_security_rule())
        .count();

    let mut out = String::new();
    let _ = writeln!(out, "# CI/CD security review\n");
    let _ = writeln!(
        out,
        "The [{}]({}) for each pipeline and project: what cruddur found under each risk, the rules that \
         looked and found nothing, and the risks none of its rules looks at. What a program cannot \
         show is listed at the end. Checked by cruddur {}.",
        taxonomy::OWASP_NAME,
        taxonomy::OWASP_URL,
        env!("CARGO_PKG_VERSION")
    );
    if unchecked > 0 {
        let _ = writeln!(
            out,
            "\n**The program does not check: {unchecked} error{} (`cruddur check` shows {}).** Parts of it \
             that could not be read were not reviewed.",
            if unchecked == 1 { "" } else { "s" },
            if unchecked == 1 { "it" } else { "them" },
        );
    }
    if !rules_off.is_empty() {
        let off: Vec<&str> = rules_off.iter().map(|c| c.as_str()).collect();
        let _ = writeln!(
            out,
            "\nTurned off in `cruddur.toml`, so not applied: {}.",
            off.join(", ")
        );
    }
    if sections.is_empty() {
        let _ = writeln!(out, "\nThe program has no pipeline and no project.");
    }
    for section in &sections {
        let _ = writeln!(
            out,
            "\n## {} ({})\n",
            section.title,
            place(sources, section.loc.file, &section.loc.span)
        );
        if let Some(about) = &section.about {
            let _ = writeln!(out, "{about}\n");
        }
        write_table(&mut out, section.scope, rules_off, &section.findings);
        write_findings(&mut out, &section.findings, sources);
    }
    if !elsewhere.is_empty() {
        let _ = writeln!(out, "\n## Elsewhere in the program\n");
        let _ = writeln!(
            out,
            "Findings in items the pipelines and projects use (roles, repositories…).\n"
        );
        write_findings(&mut out, &elsewhere, sources);
    }
    let _ = writeln!(out, "\n## What the program cannot show\n");
    for risk in &RISKS {
        let unseen = UNSEEN
            .iter()
            .find(|(n, _)| *n == risk.number)
            .map_or("", |(_, text)| text);
        let _ = writeln!(out, "- **{}** {}: {unseen}.", risk.id(), risk.title);
    }
    out
}

/// Who may start a webhook's builds, as the source says.
fn who_starts(source: &crate::resolve::model::ProjectSource) -> String {
    use crate::vocabulary::{CommentApproval, Enumerated};
    let mut said = Vec::new();
    match &source.actors {
        Some(actors) if !actors.value.is_empty() => {
            said.push(format!("only the events of {} listed account(s)", actors.value.len()))
        }
        _ => said.push("anyone's events".to_string()),
    }
    if source.events.iter().any(|e| e.value.is_pull_request()) {
        let approval = match source.comment_approval.as_ref().map(|c| c.value) {
            Some(CommentApproval::AllPullRequests) => "every pull request waits for an approval",
            Some(CommentApproval::ForkPullRequests) => "pull requests from forks wait for an approval",
            Some(CommentApproval::Disabled) => "pull requests build without an approval",
            None => "no comment approval is set (CodeBuild's default applies)",
        };
        said.push(approval.to_string());
        if !source.approvers.is_empty() && source.comment_approval.is_some() {
            let roles: Vec<String> = source
                .approvers
                .iter()
                .map(|r| format!("`{}`", r.value.word()))
                .collect();
            said.push(format!("approvers {}", roles.join(", ")));
        }
    }
    said.join("; ")
}

/// Whether the item at `loc` holds the span.
fn holds(loc: &Loc, file: FileId, span: &Span) -> bool {
    loc.file.source_file() == file.source_file() && loc.span.start <= span.start && span.end <= loc.span.end
}

fn place(sources: &SourceMap, file: FileId, span: &Span) -> String {
    let at = sources.line_col(file, span.start);
    format!("`{}:{}:{}`", sources.name(file), at.line, at.column)
}

/// The security rules under a risk that look at items of this kind, unless turned off.
fn rules(risk: &Risk, scope: Scope, rules_off: &[Code]) -> Vec<Code> {
    Code::ALL
        .iter()
        .copied()
        .filter(|code| {
            looks_at(*code, scope)
                && !rules_off.contains(code)
                && taxonomy::risks(*code).any(|r| r.number == risk.number)
        })
        .collect()
}

/// One row per risk: its open findings, waived ones, and the rules that looked.
fn write_table(out: &mut String, scope: Scope, rules_off: &[Code], findings: &[&Diagnostic]) {
    let _ = writeln!(out, "| Risk | Found | Waived | Rules that looked |");
    let _ = writeln!(out, "| --- | --- | --- | --- |");
    for risk in &RISKS {
        let under = |d: &&&Diagnostic| taxonomy::risks(d.code).any(|r| r.number == risk.number);
        let open = findings.iter().filter(under).filter(|d| d.is_active()).count();
        let waived = findings.iter().filter(under).filter(|d| !d.is_active()).count();
        let rules: Vec<&str> = rules(risk, scope, rules_off).iter().map(|c| c.as_str()).collect();
        let looked = if rules.is_empty() {
            "none: see the end".to_string()
        } else {
            rules.join(", ")
        };
        let count = |n: usize| if n == 0 { "—".to_string() } else { n.to_string() };
        let _ = writeln!(
            out,
            "| {} {} | {} | {} | {looked} |",
            risk.id(),
            risk.title,
            count(open),
            count(waived)
        );
    }
}

fn write_findings(out: &mut String, findings: &[&Diagnostic], sources: &SourceMap) {
    if findings.is_empty() {
        return;
    }
    let _ = writeln!(out);
    for finding in findings {
        let mut risks: Vec<&Risk> = taxonomy::risks(finding.code).collect();
        risks.sort_by_key(|r| r.number);
        let risks: Vec<String> = risks.iter().map(|r| r.id()).collect();
        let status = match &finding.suppressed {
            Some(reason) => format!("waived ({reason})"),
            None => finding.severity.as_str().to_string(),
        };
        let _ = writeln!(
            out,
            "- **{}** {} {status} at {}: {}",
            risks.join(", "),
            finding.code.as_str(),
            place(sources, finding.primary.file, &finding.primary.span),
            finding.message.replace('\n', " ")
        );
    }
}

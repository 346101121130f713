//! `cruddur import`: definitions a team already has, read into one `.cruddur` program that
//! checks. What the language cannot say is kept as a comment where it belonged and listed as
//! a remark; what the program needs but the input does not say is filled in, marked with a
//! comment; account ids become parameters and secrets become Secrets Manager references,
//! never literals. The core reads text it is given (no I/O), like the rest of the compiler.
//!
//! Readers: buildspec files (`buildspec`), CodeBuild projects (`codebuild`), CodePipeline
//! pipelines (`codepipeline`), CloudFormation templates (`cloudformation`, which rewrites
//! their projects and pipelines into the CLI's shapes for the other two). The text of every string passes through
//! [`Context::pieces`], which puts the account, the Region and the repositories' URIs back as
//! the values cruddur fills in.

mod audit;
mod buildspec;
mod cloudformation;
mod codebuild;
mod codepipeline;
mod comments;
mod registry;
mod tree;
pub mod writer;

use crate::diagnostics::{Code, Diagnostic, FileId, SourceMap, Span};
use crate::syntax::yaml::{self, Node};
use std::collections::BTreeMap;
use writer::{Block, Piece};

/// What an import wrote and what it has to tell.
#[derive(Debug)]
pub struct Imported {
    /// The program, formatted.
    pub text: String,
    pub remarks: Vec<Remark>,
    /// The least-privilege audit of the roles given with the projects, as lines to print.
    pub audit: Vec<String>,
}

/// Something the reader of an imported program must know: a piece of the input kept as a
/// comment, a setting filled in, a value moved out of the program.
#[derive(Clone, Debug, PartialEq)]
pub struct Remark {
    pub file: FileId,
    pub span: Span,
    pub kind: RemarkKind,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemarkKind {
    /// Not expressible in cruddur: kept as a comment.
    Kept,
    /// Filled in from what the commands need.
    Inferred,
    /// A secret or an account id taken out of the program.
    Moved,
    /// What the program still needs from its author for the build to work.
    ToDo,
}

impl RemarkKind {
    pub fn word(self) -> &'static str {
        match self {
            RemarkKind::Kept => "kept as a comment",
            RemarkKind::Inferred => "filled in",
            RemarkKind::Moved => "moved out",
            RemarkKind::ToDo => "to do",
        }
    }
}

/// Around a value the program computes (`aws.account`, a param) in text read from a template:
/// private-use characters, which no input holds.
pub(crate) const MARK_OPEN: char = '\u{E000}';
pub(crate) const MARK_CLOSE: char = '\u{E001}';

/// The text that stands for `path` until it is written as `${{ path }}`.
pub(crate) fn mark(path: &str) -> String {
    format!("{MARK_OPEN}{path}{MARK_CLOSE}")
}

/// The path of a text that is one marked value and nothing else.
pub(crate) fn marked(text: &str) -> Option<&str> {
    let inner = text.strip_prefix(MARK_OPEN)?.strip_suffix(MARK_CLOSE)?;
    (!inner.contains(MARK_OPEN) && !inner.contains(MARK_CLOSE)).then_some(inner)
}

/// An item as written: comment lines above it, its head, its members.
pub(crate) type Item = (Vec<String>, String, Block);

/// Reads every file into one program. A file that is not valid input, or not of a kind
/// cruddur imports, gives diagnostics instead (nothing is written from a partial read).
pub fn import(sources: &mut SourceMap, files: &[FileId]) -> Result<Imported, Vec<Diagnostic>> {
    import_with(sources, files, &Options::default())
}

/// How to import.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Write the projects' and pipelines' roles as the input has them (their inline policies
    /// as `allow` blocks, or the role by its ARN), instead of the roles cruddur infers.
    pub keep_roles: bool,
}

/// [`import`], with options.
pub fn import_with(sources: &mut SourceMap, files: &[FileId], options: &Options) -> Result<Imported, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut roots = Vec::new();
    for &file in files {
        match read(sources, file) {
            Ok((kind, root)) => roots.push((file, kind, root)),
            Err(diagnostics) => errors.extend(diagnostics),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut cx = Context::default();
    let mut policies = Vec::new();
    // A template's projects and pipelines, in the CLI's shape, read as the CLI's are.
    let mut roots: Vec<(FileId, Kind, Node)> = roots
        .into_iter()
        .flat_map(|(file, kind, root)| match kind {
            Kind::Template => {
                let converted = cloudformation::convert(&mut cx, file, &root);
                let projects = converted.projects.into_iter().map(move |p| (file, Kind::CodeBuild, p));
                let pipelines = converted.pipelines.into_iter().map(move |p| (file, Kind::Pipeline, p));
                projects.chain(pipelines).collect::<Vec<_>>()
            }
            _ => vec![(file, kind, root)],
        })
        .collect();
    // Projects first: pipelines name them.
    roots.sort_by_key(|(_, kind, _)| *kind == Kind::Pipeline);
    // The roles a template writes, audited as given roles are.
    let template_file = files[0];
    policies.extend(cx.template_policies.iter().cloned().map(|p| (template_file, p)));
    for (file, kind, root) in &roots {
        match kind {
            Kind::Buildspec => buildspec::scan(&mut cx, sources, *file, root),
            Kind::CodeBuild => codebuild::scan(&mut cx, root),
            Kind::Pipeline => codepipeline::scan(&mut cx, *file, root),
            Kind::RolePolicy => policies.extend(audit::read(sources, *file).map(|p| (*file, p))),
            Kind::Template => {}
        }
    }
    let mut items = Vec::new();
    for (file, kind, root) in &roots {
        match kind {
            Kind::Buildspec => items.push(buildspec::project(&mut cx, sources, *file, root)),
            Kind::CodeBuild => {
                for project in codebuild::project_nodes(root) {
                    items.push(codebuild::project(&mut cx, sources, *file, project));
                }
            }
            Kind::Pipeline => {
                let refused = codepipeline::refused(*file, root);
                if !refused.is_empty() {
                    cx.errors.extend(refused);
                    continue;
                }
                codepipeline::root_extras(&mut cx, *file, root);
                if let Some(missing) = codepipeline::missing_projects(&cx, *file, root) {
                    cx.errors.push(missing);
                    continue;
                }
                for pipeline in codepipeline::pipeline_nodes(root) {
                    items.push(codepipeline::pipeline(&mut cx, sources, *file, pipeline));
                }
            }
            Kind::RolePolicy | Kind::Template => {}
        }
    }
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    if items.is_empty() {
        return Err(vec![Diagnostic::new(
            Code::Unimportable,
            "the files hold no project or pipeline to import",
            files[0],
            0..0,
            "nothing here",
        )]);
    }
    if cx.region.is_none() {
        cx.remark(
            files[0],
            0..0,
            RemarkKind::ToDo,
            "the input names no Region: give the program one (`aws { region = \"…\" }`) before `cruddur build` writes the CLI definitions",
        );
    }
    // A template's `AWS::AccountId`: the program uses the account, which no input named.
    let uses_account = items
        .iter()
        .map(|(_, _, body)| body)
        .chain(cx.created_roles.iter().map(|(_, _, body)| body))
        .any(|body| body.contains("${{ aws.account }}"))
        // A role cruddur creates is named by an ARN holding the account.
        || !cx.created_roles.is_empty();
    if cx.accounts.is_empty() && uses_account {
        cx.remark(
            files[0],
            0..0,
            RemarkKind::ToDo,
            "the input names no account and the program uses it (`${{ aws.account }}`): give the program one (`aws { account = account_id }` with `param account_id`) before `cruddur build`",
        );
    }
    if items.iter().any(|(_, _, body)| body.mentions("buildspec = file(")) {
        cx.remark(
            files[0],
            0..0,
            RemarkKind::ToDo,
            "`buildspec = file(\"…\")` is read from the program's folder: write the program at the repository's root",
        );
    }
    apply_schedules(&mut cx, &mut items);
    apply_notifications(&mut cx, &mut items);
    declare_template_values(&mut cx, &mut items, files[0]);
    // A repository an input names but no template made exists already.
    let existing: Vec<String> = cx
        .repositories
        .keys()
        .filter(|name| !cx.repository_members.contains_key(*name))
        .map(|name| format!("`{name}`"))
        .collect();
    if !existing.is_empty() {
        cx.remark(
            files[0],
            0..0,
            RemarkKind::ToDo,
            format!(
                "cruddur's template creates the ECR {} {}; where one exists already, keep it out of the stack (or import it into the stack) before deploying",
                if existing.len() == 1 { "repository" } else { "repositories" },
                existing.join(", ")
            ),
        );
    }
    // The audit weighs the roles cruddur infers, so it comes before roles are kept.
    let audit = if policies.is_empty() {
        Vec::new()
    } else {
        audit_roles(&mut cx, &items, &policies)
    };
    if options.keep_roles {
        keep_roles(&mut cx, &mut items, &policies, files[0]);
    }
    let mut program = writer::Program::default();
    program.heading = vec![format!(
        "Imported by `cruddur import` from {}.",
        files
            .iter()
            .map(|f| format!("`{}`", sources.name(*f)))
            .collect::<Vec<_>>()
            .join(", ")
    )];
    cx.write_shared(&mut program);
    for (comments, head, body) in items.iter().cloned() {
        program.item(comments, head, body);
    }
    let text = program.print().map_err(|why| {
        vec![Diagnostic::new(
            Code::Unimportable,
            format!("the import wrote a program cruddur cannot lay out (a defect of cruddur): {why}"),
            files[0],
            0..0,
            "imported from here",
        )]
    })?;
    let accounts: Vec<String> = cx
        .accounts
        .iter()
        .enumerate()
        .map(|(n, id)| match n {
            0 => format!("`--param account_id={id}`"),
            n => format!("`--param account_id_{}={id}`", n + 1),
        })
        .collect();
    if !accounts.is_empty() {
        cx.remark(
            files[0],
            0..0,
            RemarkKind::Moved,
            format!(
                "account ids are params, not written in the program: {}",
                accounts.join(" ")
            ),
        );
    }
    for (_, _, param, arn) in cx.connections.clone() {
        if let Some(arn) = arn.filter(|a| !a.contains(MARK_OPEN)) {
            cx.remark(
                files[0],
                0..0,
                RemarkKind::Moved,
                format!("the connection is a param: `--param {param}={arn}`"),
            );
        }
    }
    // Values the program computes read as the program writes them; one remark said once.
    for remark in &mut cx.remarks {
        remark.message = remark.message.replace(MARK_OPEN, "${{ ").replace(MARK_CLOSE, " }}");
    }
    let mut seen = Vec::new();
    cx.remarks.retain(|r| {
        let key = (r.file, r.span.clone(), r.message.clone());
        let new = !seen.contains(&key);
        seen.push(key);
        new
    });
    cx.remarks.sort_by_key(|r| (r.file, r.span.start));
    let audit: Vec<String> = audit.iter().map(|line| writer::shown(line)).collect();
    Ok(Imported {
        text,
        remarks: cx.remarks,
        audit,
    })
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Buildspec,
    /// An inline policy of a role (`aws iam get-role-policy` output), for the audit.
    RolePolicy,
    /// CodeBuild projects as the AWS CLI prints or takes them.
    CodeBuild,
    /// A CodePipeline pipeline as the AWS CLI prints or takes it.
    Pipeline,
    /// A CloudFormation template.
    Template,
}

/// The file's kind, from its shape, and its tree.
fn read(sources: &SourceMap, file: FileId) -> Result<(Kind, Node), Vec<Diagnostic>> {
    let text = sources.source(file);
    let unreadable = |span: Span, message: String, label: &str| {
        vec![Diagnostic::new(
            Code::Unimportable,
            message,
            file,
            span,
            label.to_string(),
        )]
    };
    let root = match yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => return Err(unreadable(0..0, "the file is empty".into(), "nothing to import")),
        Err(error) => {
            return Err(unreadable(
                error.span,
                format!("the file is not valid YAML or JSON: {}", error.message),
                "cannot read past here",
            ))
        }
    };
    let keys: Vec<&str> = root
        .entries()
        .unwrap_or(&[])
        .iter()
        .filter_map(|(k, _)| k.scalar())
        .collect();
    let has = |key: &str| keys.contains(&key);
    if has("PolicyDocument") && has("RoleName") {
        return match audit::read(sources, file) {
            Some(_) => Ok((Kind::RolePolicy, root)),
            None => Err(unreadable(
                root.span.start..root.span.start,
                "a role policy `cruddur import` cannot read: it takes `aws iam get-role-policy` output".into(),
                "a role policy",
            )),
        };
    }
    if has("Resources") || has("AWSTemplateFormatVersion") {
        return Ok((Kind::Template, root));
    }
    if has("pipeline") || has("stages") {
        let pipeline = codepipeline::pipeline_nodes(&root)[0];
        let stages = pipeline
            .entries()
            .unwrap_or(&[])
            .iter()
            .find(|(k, _)| k.scalar() == Some("stages"));
        return match stages.map(|(_, v)| &v.kind) {
            Some(yaml::NodeKind::Seq(_)) => Ok((Kind::Pipeline, root)),
            _ => Err(unreadable(
                root.span.start..root.span.start,
                "a pipeline `cruddur import` cannot read: it takes `aws codepipeline get-pipeline` output, a pipeline with a list of `stages`".into(),
                "a pipeline without stages",
            )),
        };
    }
    if has("projects") || (has("name") && has("source") && has("environment")) {
        return Ok((Kind::CodeBuild, root));
    }
    if !(has("phases") || has("version")) {
        return Err(unreadable(
            root.span.start..root.span.start,
            "not a file `cruddur import` reads: a buildspec has `version` and `phases`, a CodeBuild project `name`, `source` and `environment`, a pipeline `stages`, a CloudFormation template `Resources`, a role policy `RoleName` and `PolicyDocument`".into(),
            "unknown kind of file",
        ));
    }
    // CodeBuild's own reading: what it would refuse is an error here too.
    let errors = buildspec::refused(sources, file);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((Kind::Buildspec, root))
}

/// A role a template makes, by the ARN its references give.
#[derive(Clone, Debug)]
pub(crate) struct TemplateRole {
    pub arn: String,
    pub name: String,
    /// The services its trust policy names, as cruddur's words.
    pub trust: Vec<String>,
    pub file: FileId,
    pub span: Span,
}

/// A template's notification rule of a project or a pipeline, to be its `notify`.
#[derive(Clone, Debug)]
pub(crate) struct Notification {
    pub kind: &'static str,
    /// The project's or pipeline's name.
    pub name: String,
    /// The rule's own name.
    pub rule: String,
    pub topic: String,
    pub events: Vec<String>,
    pub file: FileId,
    pub span: Span,
}

/// A template parameter, as a param: its default (not a secret's) and description.
#[derive(Clone, Debug)]
pub(crate) struct TemplateParam {
    pub id: String,
    pub default: Option<String>,
    pub description: Option<String>,
    pub secret: bool,
}

/// A CodeBuild project as the audit needs it: its name, its role's name, the account and
/// Region it runs in (from its ARN, or its role's account), whether a pipeline runs it, and
/// whether its buildspec is a file of its source.
#[derive(Clone, Debug)]
pub(crate) struct ProjectRole {
    pub project: String,
    pub role: String,
    /// The role's ARN as the input has it.
    pub arn: String,
    pub account: Option<String>,
    pub region: Option<String>,
    pub pipeline: bool,
    pub buildspec_file: bool,
}

/// What the files imported so far share: the accounts and Region they name, the image
/// repositories builds push to, the identifiers taken, and the remarks.
#[derive(Debug, Default)]
pub(crate) struct Context {
    /// Account ids in the order first seen: the first is `aws.account`, the others params.
    accounts: Vec<String>,
    region: Option<String>,
    /// Repositories pushed to, by name: their identifier.
    repositories: BTreeMap<String, String>,
    /// What CodeBuild would refuse in an input read inside another (a project's buildspec).
    errors: Vec<Diagnostic>,
    /// Identifiers of items, taken.
    taken: Vec<String>,
    /// Connections: what names them (an ARN, or a provider), identifier, param, ARN.
    connections: Vec<(String, String, String, Option<String>)>,
    /// Each imported CodeBuild project's role and where it runs, for the audit.
    project_roles: Vec<ProjectRole>,
    /// The projects whose commands call AWS (to-dos the audit's need does not hold).
    calls_aws: Vec<String>,
    /// While the audit writes a project's program: the account and Region it runs in.
    aws_override: Option<(String, String)>,
    /// AWS names of the projects, taken.
    names: Vec<String>,
    /// The identifier of each project, by its name.
    project_ids: BTreeMap<String, String>,
    /// Params the items refer to (secrets not copied): identifier, description, comment.
    params: Vec<(String, String, String)>,
    /// The projects the imported pipelines run, by name.
    pipeline_projects: Vec<String>,
    /// The host of each connection an imported project reads through (`github`…), by ARN.
    connection_hosts: BTreeMap<String, String>,
    /// The containers each project's buildspec names in imagedefinitions.json, by project name.
    image_definitions: BTreeMap<String, Vec<String>>,
    /// ECS services deploy actions update: cluster, name, identifier, container value.
    services: Vec<(String, String, String, String)>,
    /// Existing roles actions run in: ARN, identifier.
    roles: Vec<(String, String)>,
    /// While a project's inline buildspec is read: the project's plain variables and the
    /// Region variables CodeBuild sets, for the images its commands push.
    project_vars: Vec<(String, String)>,
    /// Params standing for template resources in role policies: identifier, description.
    /// Declared when a role holding them is written.
    policy_params: Vec<(String, String)>,
    /// Roles a template makes that actions or stacks use.
    template_roles: Vec<TemplateRole>,
    /// Those written as roles cruddur creates: ARN, identifier, members.
    created_roles: Vec<(String, String, Block)>,
    /// Notification rules a template gives projects and pipelines.
    notifications: Vec<Notification>,
    /// Schedules a template gives projects and pipelines: kind, name, expression, where.
    schedules: Vec<(&'static str, String, String, FileId, Span)>,
    /// How deep in intrinsics the value being worked out is (0: not in one).
    resolve_depth: usize,
    /// The template resources whose values are being worked out, outermost first.
    resolving: Vec<String>,
    /// While a template's role policy is read for the audit: references make no params.
    reading_policy: bool,
    /// The param standing for each template resource's name or attribute (`Logical.Attr`).
    resource_params: BTreeMap<String, String>,
    /// The template buckets that were pipelines' artifact stores (their params).
    store_buckets: Vec<(String, String)>,
    /// A template was read: its stack's account and Region are the audit's own.
    from_template: bool,
    /// The inline policies of a template's roles, for the audit.
    template_policies: Vec<audit::RolePolicy>,
    /// Each imported pipeline's name, its role's name and the role's account, for the audit.
    pipeline_roles: Vec<(String, String, Option<String>)>,
    /// Each imported pipeline's identifier and its role's ARN, by the pipeline's name.
    pipeline_ids: BTreeMap<String, (String, String)>,
    /// Repositories only an ECR source action names, by name.
    watched: Vec<String>,
    /// Variables whose secret values were moved out, for the remark that says so.
    secrets_moved: Vec<String>,
    /// Buckets a template makes: the param that stands for the name, the logical id.
    template_buckets: Vec<(String, String)>,
    /// The logical id of each project and pipeline read from a template, by its name.
    logical_ids: BTreeMap<String, String>,
    /// A template's parameters, as params.
    template_params: Vec<TemplateParam>,
    /// Their identifiers, by logical id.
    template_param_ids: BTreeMap<String, String>,
    /// What a template says of its repositories beyond the name, by name: members.
    repository_members: BTreeMap<String, Vec<(String, String)>>,
    remarks: Vec<Remark>,
}

impl Context {
    pub(crate) fn remark(&mut self, file: FileId, span: Span, kind: RemarkKind, message: impl Into<String>) {
        self.remarks.push(Remark {
            file,
            span,
            kind,
            message: message.into(),
        });
    }

    /// An identifier for an item, unique in the program.
    fn identifier(&mut self, name: &str, fallback: &str) -> String {
        let base = writer::identifier(name, fallback);
        let mut id = base.clone();
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        self.taken.push(id.clone());
        id
    }

    /// Input lines kept as a comment where they belonged (`heading`, then the lines, their
    /// account ids as the program's values), and the remark that says so.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn keep(
        &mut self,
        block: &mut Block,
        file: FileId,
        input: &str,
        span: Span,
        heading: &str,
        kind: RemarkKind,
        remark: impl Into<String>,
    ) {
        let lines = self.comment_text(&source_lines(input, &span));
        block.comment(&format!("import: {heading}:\n{lines}"));
        self.remark(file, span, kind, remark);
    }

    /// A project name no other project of the program has: `name`, `name-2`, ….
    fn project_name(&mut self, name: String) -> String {
        let mut unique = name.clone();
        let mut n = 2;
        while self.names.contains(&unique) {
            unique = format!("{name}-{n}");
            n += 1;
        }
        self.names.push(unique.clone());
        unique
    }

    /// The connection a source signs in with: one per ARN (or per provider when the input
    /// names none), its ARN a param.
    fn connection(&mut self, provider: &str, arn: Option<&str>) -> String {
        let key = arn.unwrap_or(provider).to_string();
        if let Some((_, id, _, _)) = self.connections.iter().find(|(k, ..)| *k == key) {
            return id.clone();
        }
        let id = self.identifier(&provider.to_ascii_lowercase(), "connection");
        // A template's parameter holds the ARN: that param is the connection's.
        let param = match arn.and_then(marked) {
            Some(path) => path.to_string(),
            None => self.identifier(&format!("{id}_connection_arn"), "connection_arn"),
        };
        if let Some(arn) = arn {
            self.connection_hosts
                .insert(arn.to_string(), provider.to_ascii_lowercase());
        }
        self.connections.push((key, id.clone(), param, arn.map(str::to_string)));
        id
    }

    /// The ECS service a deploy action updates: one per cluster and name. Its container is the
    /// one the build's imagedefinitions.json names, or else a param the author passes.
    fn service(&mut self, file: FileId, action: &Node, cluster: &str, name: &str, container: Option<String>) -> String {
        if let Some((.., id, _)) = self.services.iter().find(|(c, n, ..)| c == cluster && n == name) {
            return id.clone();
        }
        let base = writer::identifier(name, "service");
        let id = match self.taken.contains(&base) {
            true => self.identifier(&format!("{base}_service"), "service"),
            false => self.identifier(name, "service"),
        };
        let container = match container {
            Some(container) => self.string(&container),
            None => {
                let param = self.identifier(&format!("{id}_container"), "container");
                // A param's description is written out, without `${{ … }}`.
                let service = self.written_out(name);
                self.params.push((
                    param.clone(),
                    format!("the container of ECS service {service} that deploys update"),
                    "import: the container name is in the service's task definition, not in the pipeline".to_string(),
                ));
                self.remark(
                    file,
                    action.span.clone(),
                    RemarkKind::ToDo,
                    format!("the ECS service {name}'s container is not in the input: pass it, `--param {param}=<the container name in its task definition>`"),
                );
                param
            }
        };
        self.remark(
            file,
            action.span.clone(),
            RemarkKind::ToDo,
            format!("the roles of ECS service {name}'s task definition are not in the pipeline: give `service {id}` its `execution_role` and `task_role`, or the deploy, which registers a new revision, is denied iam:PassRole"),
        );
        self.services
            .push((cluster.to_string(), name.to_string(), id.clone(), container));
        id
    }

    /// An existing role an action runs in, by its ARN.
    fn role_by_arn(&mut self, arn: &str) -> String {
        if let Some((_, id)) = self.roles.iter().find(|(a, _)| a == arn) {
            return id.clone();
        }
        if let Some(id) = self.template_role(arn) {
            return id;
        }
        let name = arn.rsplit('/').next().unwrap_or(arn);
        let id = self.identifier(name, "role");
        self.roles.push((arn.to_string(), id.clone()));
        id
    }

    /// A role the template makes, written as a role cruddur creates: its name, what it trusts,
    /// its inline policies' Allow statements. `None` for any other ARN.
    pub(crate) fn template_role(&mut self, arn: &str) -> Option<String> {
        if let Some((_, id, _)) = self.created_roles.iter().find(|(a, ..)| a == arn) {
            return Some(id.clone());
        }
        let role = self.template_roles.iter().find(|r| r.arn == arn)?.clone();
        let base = writer::identifier(&writer::shown(&role.name), "role");
        let id = self.identifier(&base, "role");
        let mut body = Block::new();
        body.property("name", self.string(&role.name));
        let trust = match role.trust.is_empty() {
            true => vec!["codepipeline".to_string()],
            false => role.trust.clone(),
        };
        body.property("trust", format!("[{}]", trust.join(", ")));
        let policies: Vec<audit::RolePolicy> = self
            .template_policies
            .iter()
            .filter(|p| p.role == role.name)
            .cloned()
            .collect();
        for policy in &policies {
            allow_blocks(self, &mut body, policy, role.file);
            // The template's resources the statements name: params now.
            let text = policy.document.to_string();
            for (id, description) in self.policy_params.clone() {
                if text.contains(&mark(&id)) && !self.params.iter().any(|(p, ..)| *p == id) {
                    self.params.push((
                        id.clone(),
                        description,
                        "import: a role's statement names it; the template made it".to_string(),
                    ));
                }
            }
        }
        self.remark(
            role.file,
            role.span.clone(),
            RemarkKind::Inferred,
            format!(
                "the template's role {} is written as a role cruddur creates, with its statements ({} polic{}): `cruddur check` weighs them",
                writer::shown(&role.name),
                policies.len(),
                if policies.len() == 1 { "y" } else { "ies" }
            ),
        );
        self.created_roles.push((arn.to_string(), id.clone(), body));
        Some(id)
    }

    /// An account id seen in the input.
    fn account(&mut self, id: &str) {
        if !self.accounts.iter().any(|a| a == id) {
            self.accounts.push(id.to_string());
        }
    }

    /// The value that stands for an account id in the program; `None` for one the input's
    /// values did not name (in a key, say), which stays as written.
    fn account_path(&self, id: &str) -> Option<String> {
        match self.accounts.iter().position(|a| a == id)? {
            0 => Some("aws.account".to_string()),
            n => Some(format!("account_id_{}", n + 1)),
        }
    }

    /// A string as the program writes it: account ids, the Region of an ECR registry and the
    /// URIs of the repositories pushed to put back as `${{ … }}`.
    pub(crate) fn pieces(&self, text: &str) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find(MARK_OPEN) {
            let Some(len) = rest[start..].find(MARK_CLOSE) else {
                break;
            };
            pieces.extend(registry::pieces(self, &rest[..start]));
            pieces.push(Piece::Path(rest[start + MARK_OPEN.len_utf8()..start + len].to_string()));
            rest = &rest[start + len + MARK_CLOSE.len_utf8()..];
        }
        pieces.extend(registry::pieces(self, rest));
        // Neighbouring texts, joined.
        let mut joined: Vec<Piece> = Vec::new();
        for piece in pieces {
            match (joined.last_mut(), piece) {
                (Some(Piece::Text(last)), Piece::Text(text)) => last.push_str(&text),
                (_, piece) => joined.push(piece),
            }
        }
        joined
    }

    pub(crate) fn string(&self, text: &str) -> String {
        writer::interpolated(&self.pieces(text))
    }

    /// Text written out, for a member that takes no `${{ … }}` (a description): a template
    /// parameter's default in place of the parameter, other computed values by their names.
    pub(crate) fn written_out(&self, text: &str) -> String {
        let mut out = text.to_string();
        for param in &self.template_params {
            if let Some(default) = &param.default {
                out = out.replace(&mark(&param.id), default);
            }
        }
        writer::plain(&out)
    }

    /// A list of strings, each as [`Context::string`] writes it.
    pub(crate) fn list(&self, items: &[String]) -> String {
        let items: Vec<String> = items.iter().map(|i| self.string(i)).collect();
        format!("[{}]", items.join(", "))
    }

    /// Text for a comment, its account ids written as the program's values.
    pub(crate) fn comment_text(&self, text: &str) -> String {
        self.pieces(text)
            .into_iter()
            .map(|piece| match piece {
                Piece::Text(text) => text,
                Piece::Path(path) => format!("${{{{ {path} }}}}"),
            })
            .collect()
    }

    /// The params, `aws` block and repositories the items refer to.
    fn write_shared(&mut self, program: &mut writer::Program) {
        if !self.accounts.is_empty() && self.aws_override.is_none() {
            let mut param = Block::new();
            param.property(
                "description",
                writer::string("AWS account of the build (was written in the input)"),
            );
            program.item(
                vec!["import: the input named this account: pass it when building, `--param account_id=…`".to_string()],
                "param account_id",
                param,
            );
            for n in 1..self.accounts.len() {
                let mut param = Block::new();
                param.property("description", writer::string("another AWS account the input names"));
                program.item(
                    vec![format!("import: `--param account_id_{}=…`", n + 1)],
                    format!("param account_id_{}", n + 1),
                    param,
                );
            }
        }
        if self.aws_override.is_some() {
            for n in 1..self.accounts.len() {
                program.item(Vec::new(), format!("param account_id_{}", n + 1), Block::new());
            }
        }
        for (id, description, comment) in &self.params {
            let mut param = Block::new();
            param.property("description", writer::string(description));
            program.item(vec![comment.clone()], format!("param {id}"), param);
        }
        for param in &self.template_params {
            let mut block = Block::new();
            if let Some(description) = &param.description {
                block.property("description", writer::string(description));
            }
            let head = match &param.default {
                Some(default) => format!("param {} = {}", param.id, writer::string(default)),
                None => format!("param {}", param.id),
            };
            let comments = match param.secret {
                true => vec!["import: a secret of the template (NoEcho)".to_string()],
                false => Vec::new(),
            };
            program.item(comments, head, block);
        }
        for (_, id, param, arn) in &self.connections {
            if arn.as_deref().is_some_and(|a| marked(a).is_some()) {
                let mut connection = Block::new();
                connection.property("arn", param.clone());
                program.item(Vec::new(), format!("connection {id}"), connection);
                continue;
            }
            let mut block = Block::new();
            block.property(
                "description",
                writer::string("ARN of the approved CodeConnections connection"),
            );
            let comment = match arn {
                Some(_) => format!("import: `--param {param}=<the connection's ARN>`"),
                None => {
                    "import: the source signed in with a token; approve a CodeConnections connection and pass\nits ARN"
                        .to_string()
                }
            };
            program.item(vec![comment], format!("param {param}"), block);
            let mut connection = Block::new();
            connection.property("arn", param.clone());
            program.item(Vec::new(), format!("connection {id}"), connection);
        }
        if let Some((account, region)) = self.aws_override.clone() {
            let mut aws = Block::new();
            aws.property("account", writer::string(&account));
            aws.property("region", writer::string(&region));
            program.item(Vec::new(), "aws", aws);
        } else if !self.accounts.is_empty() || self.region.is_some() {
            let mut aws = Block::new();
            if !self.accounts.is_empty() {
                aws.property("account", "account_id");
            }
            if let Some(region) = &self.region {
                aws.property("region", writer::string(region));
            }
            program.item(Vec::new(), "aws", aws);
        }
        for (_, id, body) in &self.created_roles {
            program.item(
                vec!["import: a role the template made for an action or a stack, as cruddur creates it".to_string()],
                format!("role {id}"),
                body.clone(),
            );
        }
        for (arn, id) in &self.roles {
            let mut role = Block::new();
            role.property("arn", self.string(arn));
            program.item(
                vec!["import: an existing role an action runs in".to_string()],
                format!("role {id}"),
                role,
            );
        }
        for (name, id) in &self.repositories {
            let mut repository = Block::new();
            repository.property("name", self.string(name));
            for (member, value) in self.repository_members.get(name).into_iter().flatten() {
                repository.property(member, value.clone());
            }
            let role = match self.watched.contains(name) {
                true => "an ECR source watches",
                false => "the build pushes to",
            };
            program.item(
                vec![format!("import: the ECR repository {role} (cruddur's template creates it; keep it out\nof a stack when it exists already)")],
                format!("repository {id}"),
                repository,
            );
        }
        for (cluster, name, id, container) in &self.services {
            let mut service = Block::new();
            service.property("cluster", self.string(cluster));
            service.property("name", self.string(name));
            service.property("container", container.clone());
            program.item(
                vec![
                    "import: the ECS service a deploy action updates (it exists already; cruddur does not create it)"
                        .to_string(),
                ],
                format!("service {id}"),
                service,
            );
        }
    }
}

/// Each schedule a template gives a project or a pipeline, as its `schedule`; one for what was
/// not imported, or a project a pipeline runs (it runs on the pipeline's), is remarked.
fn apply_schedules(cx: &mut Context, items: &mut [Item]) {
    for (kind, name, expression, file, span) in cx.schedules.clone() {
        let id = match kind {
            "project" if !cx.pipeline_projects.contains(&name) => cx.project_ids.get(&name).cloned(),
            "pipeline" => cx.pipeline_ids.get(&name).map(|(id, _)| id.clone()),
            _ => None,
        };
        let item = id.and_then(|id| items.iter_mut().find(|(_, head, _)| *head == format!("{kind} {id}")));
        match item {
            Some((_, _, body)) if !body.mentions("schedule =") => {
                body.insert_line(1, format!("schedule = {}", cx.string(&expression)));
                cx.remark(
                    file,
                    span,
                    RemarkKind::Inferred,
                    format!("the template's EventBridge schedule ({expression}) is the {kind}'s `schedule`: cruddur writes the rule and its role"),
                );
            }
            _ => cx.remark(
                file,
                span,
                RemarkKind::Kept,
                format!("the schedule of {} is not imported: it starts no imported project or pipeline of its own (a project a pipeline runs runs on the pipeline's)", writer::shown(&name)),
            ),
        }
    }
}

/// Each notification rule a template gives a project or a pipeline, as its `notify`. cruddur
/// names the rule `<name>-<label>`: a rule named so keeps its name; another is renamed, and
/// said so.
fn apply_notifications(cx: &mut Context, items: &mut [Item]) {
    for rule in cx.notifications.clone() {
        let id = match rule.kind {
            "project" => cx.project_ids.get(&rule.name).cloned(),
            _ => cx.pipeline_ids.get(&rule.name).map(|(id, _)| id.clone()),
        };
        let item = id.and_then(|id| {
            items
                .iter_mut()
                .find(|(_, head, _)| *head == format!("{} {id}", rule.kind))
        });
        let Some((_, _, body)) = item else {
            cx.remark(
                rule.file,
                rule.span,
                RemarkKind::Kept,
                format!(
                    "the notification rule {} is not imported: it is of no imported {}",
                    writer::shown(&rule.rule),
                    rule.kind
                ),
            );
            continue;
        };
        let own = rule
            .rule
            .strip_prefix(&format!("{}-", rule.name))
            .filter(|l| writer::is_name(l));
        let label = own.map_or_else(
            || writer::identifier(&writer::shown(&rule.rule), "notify"),
            str::to_string,
        );
        let mut block = Block::new();
        block.property("topic", cx.string(&rule.topic));
        block.property("events", format!("[{}]", rule.events.join(", ")));
        body.blank();
        body.block(format!("notify {label}"), block);
        let message = match own {
            Some(_) => format!(
                "the notification rule {} is the {}'s `notify {label}`",
                writer::shown(&rule.rule),
                rule.kind
            ),
            None => format!(
                "the notification rule {} is the {}'s `notify {label}`, which cruddur names `{}-{label}`",
                writer::shown(&rule.rule),
                rule.kind,
                writer::shown(&rule.name)
            ),
        };
        cx.remark(rule.file, rule.span, RemarkKind::Inferred, message);
    }
}

/// A template's parameters the imported items do not use are left out (said so); the buckets
/// it makes that they use become params.
fn declare_template_values(cx: &mut Context, items: &mut [Item], file: FileId) {
    // The bucket a template made for a pipeline's artifacts is that pipeline's bucket.
    for (bucket, pipeline) in &cx.store_buckets {
        let roles = cx.created_roles.iter_mut().map(|(_, _, body)| body);
        for body in items.iter_mut().map(|(_, _, body)| body).chain(roles) {
            body.replace_text(
                &format!("${{{{ {bucket} }}}}"),
                &format!("${{{{ {pipeline}.artifact_bucket }}}}"),
            );
        }
    }
    let items = &*items;
    // What the shared items hold: the services' and roles' values, the repositories' names.
    let shared: String = cx
        .services
        .iter()
        .flat_map(|(cluster, name, _, container)| [cluster.clone(), name.clone(), container.clone()])
        .chain(cx.roles.iter().map(|(arn, _)| arn.clone()))
        .chain(cx.repositories.keys().cloned())
        .collect::<Vec<_>>()
        .join("\n");
    let used = |id: &str| {
        shared.contains(&mark(id))
            || shared.split('\n').any(|v| v == id)
            || items
                .iter()
                .any(|(_, _, body)| body.contains(&format!("${{{{ {id} }}}}")) || body.contains(&format!("= {id}")))
    };
    let connection_params: Vec<String> = cx.connections.iter().map(|(_, _, p, _)| p.clone()).collect();
    let unused: Vec<String> = cx
        .template_params
        .iter()
        .filter(|p| !used(&p.id) && !connection_params.contains(&p.id))
        .map(|p| p.id.clone())
        .collect();
    if !unused.is_empty() {
        cx.template_params.retain(|p| !unused.contains(&p.id));
        cx.remark(
            file,
            0..0,
            RemarkKind::Inferred,
            format!(
                "the template's parameters {} are left out: nothing imported uses them",
                unused.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", ")
            ),
        );
    }
    for param in cx.template_params.clone().iter().filter(|p| p.secret) {
        cx.remark(
            file,
            0..0,
            RemarkKind::ToDo,
            format!("`{}` is a secret of the template (NoEcho), now a param: keep its value in Secrets Manager or Parameter Store rather than pass it on a command line", param.id),
        );
    }
    for (id, logical) in cx.template_buckets.clone() {
        if used(&id) {
            cx.params.push((
                id.clone(),
                format!("the name of the bucket {logical} the template made"),
                format!("import: the template made the bucket {logical}, which is not imported"),
            ));
            cx.remark(
                file,
                0..0,
                RemarkKind::ToDo,
                format!("the bucket {logical} the template made is not imported, and the program uses its name: pass it, `--param {id}=…`"),
            );
        }
    }
}

/// `--keep-roles`: each project's and pipeline's role as the input has it. With its inline
/// policies, a role cruddur creates under the old name, trusting the services that use it,
/// its Allow statements as `allow` blocks (then `cruddur check` reports what it lacks); without
/// them, the existing role by its ARN.
fn keep_roles(cx: &mut Context, items: &mut Vec<Item>, policies: &[(FileId, audit::RolePolicy)], file: FileId) {
    // (item identifier, role name, role ARN, trusted service)
    let mut users: Vec<(String, String, String, &str)> = Vec::new();
    for project in &cx.project_roles {
        if let Some(id) = cx.project_ids.get(&project.project) {
            users.push((id.clone(), project.role.clone(), project.arn.clone(), "codebuild"));
        }
    }
    for (pipeline, role, _) in &cx.pipeline_roles {
        if let Some((id, arn)) = cx.pipeline_ids.get(pipeline) {
            users.push((id.clone(), role.clone(), arn.clone(), "codepipeline"));
        }
    }
    let mut roles: Vec<(String, String, String, Vec<&str>)> = Vec::new();
    for (item, role, arn, trust) in &users {
        let id = match roles.iter_mut().find(|(_, name, ..)| name == role) {
            Some((id, _, _, trusts)) => {
                if !trusts.contains(trust) {
                    trusts.push(trust);
                }
                id.clone()
            }
            None => {
                let base = writer::identifier(role, "role");
                let base = match base.ends_with("role") {
                    true => base,
                    false => format!("{base}_role"),
                };
                let id = cx.identifier(&base, "role");
                roles.push((id.clone(), role.clone(), arn.clone(), vec![trust]));
                id
            }
        };
        if let Some((_, _, body)) = items
            .iter_mut()
            .find(|(_, head, _)| head.ends_with(&format!(" {item}")))
        {
            body.insert_line(1, format!("role = {id}"));
        }
    }
    let mut written = Vec::new();
    for (id, name, arn, trusts) in roles {
        let mine: Vec<&audit::RolePolicy> = policies.iter().map(|(_, p)| p).filter(|p| p.role == name).collect();
        let mut body = Block::new();
        if mine.is_empty() {
            // A role named without its ARN (a template's `!Ref Role`) is the account's.
            let arn = match arn.starts_with("arn:") {
                true => arn,
                false => format!("arn:aws:iam::{}:role/{arn}", mark("aws.account")),
            };
            body.property("arn", cx.string(&arn));
            cx.remark(
                file,
                0..0,
                RemarkKind::ToDo,
                format!("the role {name} is kept by its ARN (`--keep-roles`), its policies not given: give `aws iam get-role-policy` output for it and `cruddur check` weighs what it grants"),
            );
        } else {
            body.property("name", cx.string(&name));
            body.property("trust", format!("[{}]", trusts.join(", ")));
            for policy in &mine {
                allow_blocks(cx, &mut body, policy, file);
            }
            cx.remark(
                file,
                0..0,
                RemarkKind::ToDo,
                format!("the role {name} is kept as written (`--keep-roles`): cruddur's template creates it under that name, so delete the old role (or rename this one) before deploying"),
            );
        }
        written.push((
            vec![format!("import: the role as the input has it (`--keep-roles`)")],
            format!("role {id}"),
            body,
        ));
    }
    items.splice(0..0, written);
}

/// A policy's Allow statements as `allow` blocks; what a block cannot say (Deny, NotAction,
/// NotResource, a condition it cannot write) is kept as a comment and remarked.
fn allow_blocks(cx: &mut Context, body: &mut Block, policy: &audit::RolePolicy, file: FileId) {
    let statements = match &policy.document["Statement"] {
        serde_json::Value::Array(items) => items.clone(),
        one @ serde_json::Value::Object(_) => vec![one.clone()],
        _ => Vec::new(),
    };
    let list = |v: &serde_json::Value| -> Vec<String> {
        match v {
            serde_json::Value::String(s) => vec![s.clone()],
            serde_json::Value::Array(items) => items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
            _ => Vec::new(),
        }
    };
    for statement in statements {
        let conditions = conditions(cx, &statement["Condition"]);
        let writable = statement["Effect"].as_str() == Some("Allow")
            && statement["NotAction"].is_null()
            && statement["NotResource"].is_null()
            && conditions.is_some();
        if !writable {
            let text = serde_json::to_string(&statement).unwrap_or_default();
            body.blank();
            body.comment(&format!(
                "import: kept from policy {} (an `allow` block cannot say it):
{}",
                policy.name,
                cx.comment_text(&text)
            ));
            cx.remark(
                file,
                0..0,
                RemarkKind::Kept,
                format!("a statement of the role {}'s policy {}: Deny, NotAction, NotResource or a condition `allow` cannot hold", policy.role, policy.name),
            );
            continue;
        }
        let actions: Vec<String> = list(&statement["Action"]).iter().map(|a| writer::string(a)).collect();
        let resources: Vec<String> = list(&statement["Resource"]).iter().map(|r| cx.string(r)).collect();
        let mut block = Block::new();
        block.property("actions", format!("[{}]", actions.join(", ")));
        block.property("resources", format!("[{}]", resources.join(", ")));
        if let Some(conditions) = conditions.filter(|c| !c.is_empty()) {
            block.property("conditions", format!("[{}]", conditions.join(", ")));
        }
        body.blank();
        body.block("allow", block);
    }
}

/// A statement's `Condition` as `condition(…)` calls; `None` when one cannot be written.
fn conditions(cx: &Context, condition: &serde_json::Value) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let Some(operators) = condition.as_object() else {
        return condition.is_null().then_some(out);
    };
    for (operator, keys) in operators {
        for (key, value) in keys.as_object()? {
            let value = match value {
                serde_json::Value::String(v) => cx.string(v),
                serde_json::Value::Array(items) => {
                    let items: Option<Vec<String>> = items.iter().map(|i| i.as_str().map(|s| cx.string(s))).collect();
                    format!("[{}]", items?.join(", "))
                }
                serde_json::Value::Bool(b) => writer::string(&b.to_string()),
                _ => return None,
            };
            out.push(format!(
                "condition({}, {}, {value})",
                writer::string(operator),
                writer::string(key)
            ));
        }
    }
    Some(out)
}

/// The audit of each project and pipeline whose role's policies were given: a project alone
/// (or, when an imported pipeline runs it, the whole program), built with the account and
/// Region it runs in and the input's own values, its written policy compared with its old
/// role's.
fn audit_roles(cx: &mut Context, items: &[Item], policies: &[(FileId, audit::RolePolicy)]) -> Vec<String> {
    let file = policies[0].0;
    if cx.project_roles.is_empty() && cx.pipeline_roles.is_empty() {
        cx.remark(
            file,
            0..0,
            RemarkKind::ToDo,
            "the roles are not audited: a buildspec alone does not say its project's name or role; import the project (`aws codebuild batch-get-projects`) with them",
        );
        return Vec::new();
    }
    let mine = |role: &str| -> Vec<&audit::RolePolicy> {
        policies.iter().map(|(_, p)| p).filter(|p| p.role == role).collect()
    };
    let mut lines = Vec::new();
    let mut audited: Vec<String> = Vec::new();
    // The whole program, built once, for what pipelines run.
    let mut whole: Option<Option<crate::emit::Files>> = None;
    for project in cx.project_roles.clone() {
        let old = mine(&project.role);
        if old.is_empty() {
            continue;
        }
        audited.push(project.role.clone());
        // Run by an imported pipeline, whatever its own source says.
        let in_pipeline = cx.pipeline_projects.contains(&project.project);
        let why_not = if project.pipeline && !in_pipeline {
            Some("a pipeline runs it, and the pipeline is not imported: its role reads and writes the pipeline's artifacts")
        } else if project.buildspec_file {
            Some("its buildspec is a file of its source, which is not here")
        } else {
            None
        };
        let stack = cx
            .from_template
            .then(|| (STACK_ACCOUNT.to_string(), STACK_REGION.to_string()));
        let (Some(account), Some(region)) = (
            project
                .account
                .clone()
                .or_else(|| cx.accounts.first().cloned())
                .or_else(|| stack.clone().map(|s| s.0)),
            project
                .region
                .clone()
                .or_else(|| cx.region.clone())
                .or_else(|| stack.clone().map(|s| s.1)),
        ) else {
            cx.remark(
                file,
                0..0,
                RemarkKind::ToDo,
                format!(
                    "`{}` is not audited: the input names neither its account nor its Region",
                    project.project
                ),
            );
            continue;
        };
        if let Some(why) = why_not {
            cx.remark(
                file,
                0..0,
                RemarkKind::ToDo,
                format!("`{}` is not audited: {why}", project.project),
            );
            continue;
        }
        let built = if in_pipeline {
            whole
                .get_or_insert_with(|| build_alone(cx, &items.iter().collect::<Vec<_>>(), &account, &region))
                .clone()
        } else {
            let id = cx.project_ids.get(&project.project).cloned().unwrap_or_default();
            let Some(item) = items.iter().find(|(_, head, _)| head.ends_with(&format!(" {id}"))) else {
                continue;
            };
            build_alone(cx, &[item], &account, &region)
        };
        let (values, made) = audit_values(cx, &account, &region);
        let name = concrete(&project.project, &values, &account, &region);
        let policy = built.as_ref().and_then(|built| {
            let definition: serde_json::Value =
                serde_json::from_str(built.get(&format!("codebuild/{name}.json"))?).ok()?;
            role_policy(built, definition["serviceRole"].as_str()?)
        });
        match policy {
            Some(policy) => {
                let calls = cx.calls_aws.contains(&project.project);
                let old = concrete_policies(&old, &values, &account, &region);
                let old: Vec<&audit::RolePolicy> = old.iter().collect();
                let found = audit::audit(&name, &old, &policy, calls);
                lines.extend(written_back(cx, found, &made, &account, &region));
            }
            None => cx.remark(
                file,
                0..0,
                RemarkKind::ToDo,
                format!(
                    "`{}` is not audited: its program does not build (`cruddur check` says why)",
                    project.project
                ),
            ),
        }
    }
    for (pipeline, role, account) in cx.pipeline_roles.clone() {
        let old = mine(&role);
        if old.is_empty() {
            continue;
        }
        audited.push(role.clone());
        let stack = cx
            .from_template
            .then(|| (STACK_ACCOUNT.to_string(), STACK_REGION.to_string()));
        let (Some(account), Some(region)) = (
            account
                .or_else(|| cx.accounts.first().cloned())
                .or_else(|| stack.clone().map(|s| s.0)),
            cx.region.clone().or_else(|| stack.clone().map(|s| s.1)),
        ) else {
            cx.remark(
                file,
                0..0,
                RemarkKind::ToDo,
                format!("`{pipeline}` is not audited: the input names neither its account nor its Region"),
            );
            continue;
        };
        let built = whole
            .get_or_insert_with(|| build_alone(cx, &items.iter().collect::<Vec<_>>(), &account, &region))
            .clone();
        let (values, made) = audit_values(cx, &account, &region);
        let name = concrete(&pipeline, &values, &account, &region);
        let policy = built.as_ref().and_then(|built| {
            let definition: serde_json::Value =
                serde_json::from_str(built.get(&format!("codepipeline/{name}.json"))?).ok()?;
            role_policy(built, definition["pipeline"]["roleArn"].as_str()?)
        });
        match policy {
            Some(policy) => {
                let old = concrete_policies(&old, &values, &account, &region);
                let old: Vec<&audit::RolePolicy> = old.iter().collect();
                let found = audit::audit_of(&name, "the pipeline", &old, &policy, false);
                lines.extend(written_back(cx, found, &made, &account, &region));
            }
            None => cx.remark(
                file,
                0..0,
                RemarkKind::ToDo,
                format!("`{pipeline}` is not audited: its program does not build (`cruddur check` says why)"),
            ),
        }
    }
    for (file, policy) in policies {
        if !audited.contains(&policy.role) {
            cx.remark(
                *file,
                0..0,
                RemarkKind::ToDo,
                format!(
                    "the role {} is no imported project's or pipeline's: not audited",
                    policy.role
                ),
            );
        }
    }
    lines
}

/// The values the audit builds with: the params' (the input's own, else made up, the made-up
/// ones also returned), and the account and Region as `aws.account` and `aws.region`.
fn audit_values(cx: &Context, account: &str, region: &str) -> (BTreeMap<String, String>, Vec<(String, String)>) {
    let mut params: BTreeMap<String, String> = BTreeMap::new();
    let mut made: Vec<(String, String)> = Vec::new();
    for (n, other) in cx.accounts.iter().enumerate().skip(1) {
        params.insert(format!("account_id_{}", n + 1), other.clone());
    }
    for (_, _, param, arn) in &cx.connections {
        let arn = arn.clone().filter(|a| !a.contains(MARK_OPEN)).unwrap_or_else(|| {
            format!("arn:aws:codeconnections:{region}:{account}:connection/the-connection-to-approve")
        });
        params.insert(param.clone(), arn);
    }
    // A made-up value that is a name AWS takes: the param's own, in dashes.
    let mut made_up = |param: &str| {
        let value = format!("{}-value", param.replace('_', "-"));
        made.push((param.to_string(), value.clone()));
        value
    };
    for (param, ..) in &cx.params {
        params.insert(param.clone(), made_up(param));
    }
    for param in &cx.template_params {
        // A connection's ARN is given above.
        if params.contains_key(&param.id) {
            continue;
        }
        let value = param.default.clone().unwrap_or_else(|| made_up(&param.id));
        params.insert(param.id.clone(), value);
    }
    // The bucket a template made for the pipeline's artifacts is the one cruddur makes.
    for (id, _) in &cx.template_buckets {
        let value = match cx.store_buckets.iter().any(|(b, _)| b == id) {
            true => format!("cruddur-artifacts-{account}-{region}"),
            false => made_up(id),
        };
        params.insert(id.clone(), value);
    }
    (params, made)
}

/// Text with the program's marked values as the audit built them.
fn concrete(text: &str, values: &BTreeMap<String, String>, account: &str, region: &str) -> String {
    let mut out = text
        .replace(&mark("aws.account"), account)
        .replace(&mark("aws.region"), region);
    for (param, value) in values {
        out = out.replace(&mark(param), value);
    }
    out
}

/// A policy document with its marked values as the audit built them.
fn concrete_document(
    document: &serde_json::Value,
    values: &BTreeMap<String, String>,
    account: &str,
    region: &str,
) -> serde_json::Value {
    match document {
        serde_json::Value::String(text) => serde_json::Value::String(concrete(text, values, account, region)),
        serde_json::Value::Array(items) => serde_json::Value::Array(
            items
                .iter()
                .map(|i| concrete_document(i, values, account, region))
                .collect(),
        ),
        serde_json::Value::Object(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), concrete_document(v, values, account, region)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn concrete_policies(
    policies: &[&audit::RolePolicy],
    values: &BTreeMap<String, String>,
    account: &str,
    region: &str,
) -> Vec<audit::RolePolicy> {
    policies
        .iter()
        .map(|p| audit::RolePolicy {
            role: concrete(&p.role, values, account, region),
            name: concrete(&p.name, values, account, region),
            document: concrete_document(&p.document, values, account, region),
        })
        .collect()
}

/// The account and Region a template's stack is audited in; the audit's lines write them
/// back as `${AWS::AccountId}` and `${AWS::Region}`.
const STACK_ACCOUNT: &str = "000000000000";
const STACK_REGION: &str = "us-east-1";

/// Audit lines with what the audit made up written as the program's values: a template's
/// stack account and Region, the params it gave values.
fn written_back(
    cx: &Context,
    lines: Vec<String>,
    made: &[(String, String)],
    account: &str,
    region: &str,
) -> Vec<String> {
    lines
        .into_iter()
        .map(|mut line| {
            for (param, value) in made {
                line = line.replace(value, &format!("${{{{ {param} }}}}"));
            }
            if cx.from_template && account == STACK_ACCOUNT {
                line = line.replace(STACK_ACCOUNT, "${AWS::AccountId}");
                if cx.region.is_none() && region == STACK_REGION {
                    line = line.replace(&format!(":{STACK_REGION}:"), ":${AWS::Region}:");
                }
            }
            line
        })
        .collect()
}

/// The policy cruddur wrote for the role of this ARN.
fn role_policy(built: &crate::emit::Files, arn: &str) -> Option<serde_json::Value> {
    let role = arn.rsplit('/').next()?;
    serde_json::from_str(built.get(&format!("iam/{role}.policy.json"))?).ok()
}

/// The items built on their own, in one account and Region, with the input's own values for
/// the params (made-up ones for the values the input did not hold).
fn build_alone(cx: &mut Context, items: &[&Item], account: &str, region: &str) -> Option<crate::emit::Files> {
    let mut program = writer::Program::default();
    cx.aws_override = Some((account.to_string(), region.to_string()));
    cx.write_shared(&mut program);
    cx.aws_override = None;
    for item in items {
        program.item(item.0.clone(), item.1.clone(), item.2.clone());
    }
    let text = program.print().ok()?;
    let params = audit_values(cx, account, region).0;
    let mut sources = SourceMap::new();
    let id = sources.add("audit.cruddur", text);
    let analysis = crate::analyze(&sources, &[id]);
    // Errors that leave what the program needs of IAM as it is (a retired image, privileged
    // mode, an ECR login that is missing or AWS CLI v1's, artifacts left unencrypted) do not
    // stop the audit.
    // Nor do security findings and what a written role (a template's, kept as it was) lacks
    // or grants wrongly: the roles cruddur infers are what is weighed.
    let beside_iam = |d: &Diagnostic| {
        d.code.as_str().starts_with('S')
            || matches!(
                d.code.as_str(),
                "E0503" | "E0504" | "E0507" | "E0510" | "E0402" | "E0403" | "E0405" | "E0406"
            )
    };
    if analysis.diagnostics.iter().any(|d| d.is_error() && !beside_iam(d)) {
        return None;
    }
    crate::emit::emit_forms(&analysis.program, &params, crate::emit::Forms::Cli).ok()
}

/// A variable that holds an account id: named so (`AWS_ACCOUNT_ID`, `ACCOUNT`), twelve digits.
fn account_variable(name: &str, value: &str) -> bool {
    name.to_ascii_uppercase().contains("ACCOUNT") && value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit())
}

/// The text of the input lines a node spans, from its key's line on, without their common
/// indentation: what a comment keeps.
fn source_lines(text: &str, span: &Span) -> String {
    let start = text[..span.start].rfind('\n').map_or(0, |n| n + 1);
    // A block scalar's span takes in the line breaks after it.
    let last = text[..span.end.max(span.start)].trim_end().len().max(span.start);
    let end = text[last..].find('\n').map_or(text.len(), |n| last + n);
    let lines: Vec<&str> = text[start..end].lines().map(str::trim_end).collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or("").to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

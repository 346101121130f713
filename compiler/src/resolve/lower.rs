//! From syntax trees to the [`Program`] model: each item's members read as typed values,
//! references resolved through [`Symbols`]. Problems with one value are reported and that value
//! is left out; the rest of the item is still lowered, so later checks see as much as possible.

use super::buildspec_file::{self, Included};
use super::index::{Definition, Index};
use super::model::*;
use super::symbols::{declared_name, Symbols};
use super::templates;
use super::values::{through_parameter, Reader};
use super::Gaps;
use crate::data;
use crate::diagnostics::{did_you_mean, Code, Diagnostic, FileId, SourceMap};
use crate::syntax::ast::{self, Body, Expr, ExprKind, Member, MemberKind, Name};
use crate::vocabulary::{
    self, ApproverRole, Calls, CommentApproval, Enumerated, ImageFamily, PhaseName, ProviderKind, SourceHost,
    TrustedService, WebhookEvent,
};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;
use std::sync::Arc;

pub struct Lowered {
    pub program: Program,
    /// Items referenced somewhere; the checker reports the others as unused.
    pub used: HashSet<ItemId>,
    pub symbols: Symbols,
    pub gaps: Gaps,
    /// Each pipeline's artifacts, by pipeline index.
    pub artifacts: Vec<super::artifacts::ArtifactGraph>,
    pub index: Index,
}

/// Lowers the files of one program. `elsewhere`: names defined by other programs of the same
/// run, with the file each is in.
pub fn lower(
    sources: &SourceMap,
    files: &[(FileId, Arc<ast::File>)],
    elsewhere: &BTreeMap<String, String>,
    included: &Included,
    out: &mut Vec<Diagnostic>,
) -> Lowered {
    let mut gaps = Gaps::default();
    let symbols = Symbols::collect(files, out, &mut gaps.unresolved);
    let member_at = |file: FileId, index: usize| -> &Member {
        let ast = &files
            .iter()
            .find(|(f, _)| *f == file)
            .expect("symbol files are program files")
            .1;
        &ast.members[index]
    };
    let mut lets = HashMap::default();
    for &(file, index) in symbols.items.get(&Kind::Let).map(Vec::as_slice).unwrap_or(&[]) {
        if let MemberKind::Block {
            label: Some(label),
            value: Some(value),
            ..
        } = &member_at(file, index).kind
        {
            lets.insert(label.name.clone(), (file, value));
        }
    }
    let templates: Vec<(FileId, &Member)> = symbols
        .items
        .get(&Kind::StageTemplate)
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .map(|&(file, index)| (file, member_at(file, index)))
        .collect();
    let mut used = HashSet::default();
    let mut program = Program::default();
    let mut reader = Reader {
        symbols: &symbols,
        lets: &lets,
        file: FileId::default(),
        out: Vec::new(),
        gaps: &mut gaps,
        references: Vec::new(),
        elsewhere,
        quiet: 0,
        used: &mut used,
        let_values: HashMap::default(),
        scope: None,
        parameters_used: HashSet::default(),
        templates: &templates,
        instances: Vec::new(),
        pipeline: String::new(),
        troubled_templates: HashSet::default(),
    };

    reader.expand_lets();
    if let Some(&(file, index)) = symbols.aws.first() {
        reader.file = file;
        program.aws = Some(lower_aws(&mut reader, member_at(file, index)));
    }
    let kinds = [
        Kind::Let,
        Kind::Param,
        Kind::Connection,
        Kind::Repository,
        Kind::Service,
        Kind::Role,
        Kind::Project,
        Kind::StageTemplate,
        Kind::Pipeline,
    ];
    // Items by kind, duplicates last: their indices are never referred to (names resolve to the
    // first definition), and a program with a duplicate is never emitted.
    let mut definitions = Vec::new();
    // Buildspec files read so far: a file two projects share is reported on once.
    let mut buildspec_files = HashSet::default();
    for kind in kinds {
        let items = symbols.items.get(&kind).map(Vec::as_slice).unwrap_or(&[]);
        let duplicates = symbols.duplicates.get(&kind).map(Vec::as_slice).unwrap_or(&[]);
        for (position, &(file, index)) in items.iter().chain(duplicates).enumerate() {
            reader.file = file;
            let member = member_at(file, index);
            let Some(label) = declared_name(member) else { continue };
            definitions.push(Definition {
                name: label.name.as_str().to_owned(),
                id: ItemId { kind, index: position },
                loc: reader.loc(&label.span),
                duplicate: position >= items.len(),
            });
            let header = Header {
                name: label.name.as_str().to_owned(),
                loc: Loc {
                    file,
                    span: label.span.clone(),
                },
                item_loc: Loc {
                    file,
                    span: member.span.clone(),
                },
            };
            let body = member.body();
            let empty = Body {
                members: Vec::new(),
                span: member.span.end..member.span.end,
            };
            let body = body.unwrap_or(&empty);
            match kind {
                Kind::Let => {
                    // Checked once here, where diagnostics inside it are reported; its value was expanded
                    // quietly before any item (`expand_lets`).
                    if let MemberKind::Block { value: Some(value), .. } = &member.kind {
                        reader.text(value);
                    }
                }
                Kind::Param => program.params.push(lower_param(&mut reader, header, member, body)),
                Kind::Connection => program.connections.push(lower_connection(&mut reader, header, body)),
                Kind::Repository => program.repositories.push(lower_repository(&mut reader, header, body)),
                Kind::Service => program.services.push(lower_service(&mut reader, header, body)),
                Kind::Role => program.roles.push(lower_role(&mut reader, header, body)),
                Kind::Project => {
                    let mut project = lower_project(&mut reader, header, body);
                    read_buildspec_file(&mut reader, sources, included, &mut project, &mut buildspec_files);
                    program.projects.push(project);
                }
                Kind::Pipeline => {
                    // Its stages may read the text of the pipeline for as long as the reader.
                    static NO_BODY: Body = Body {
                        members: Vec::new(),
                        span: 0..0,
                    };
                    let body = member.body().unwrap_or(&NO_BODY);
                    program.pipelines.push(lower_pipeline(&mut reader, header, body))
                }
                Kind::StageTemplate => {
                    program
                        .stage_templates
                        .push(templates::lower_template(&mut reader, header, body))
                }
            }
        }
    }
    program.instances = std::mem::take(&mut reader.instances);
    templates::unused_parameters(&mut reader, &program);
    out.append(&mut reader.out);
    let mut index = Index {
        definitions,
        references: std::mem::take(&mut reader.references),
    };
    // A name in a template's text is one reference, however many stages are made from it.
    for reference in &mut index.references {
        reference.loc.file = reference.loc.file.source_file();
        if let Some(field) = &mut reference.field {
            field.loc.file = field.loc.file.source_file();
        }
    }
    index.finish();
    drop(reader);
    Lowered {
        program,
        used,
        symbols,
        gaps,
        artifacts: Vec::new(),
        index,
    }
}

/// The value of `name = value`.
fn property(member: &Member) -> Option<&Expr> {
    match &member.kind {
        MemberKind::Property(expr) => Some(expr),
        _ => None,
    }
}

/// Reports each member the vocabulary says an item of `kind` requires that is not written.
fn require_all(r: &mut Reader, kind: Kind, header: &Header, body: &Body) {
    for property_name in vocabulary::item_of_kind(kind).required {
        require(r, property_name, header, body, kind.keyword());
    }
}

/// Reports a required property that is not written (one written with a bad value was
/// reported already); for `name`, the fix inserts one derived from the item.
fn require(r: &mut Reader, property_name: &str, header: &Header, body: &Body, kind: &str) {
    // A misspelt one (`nmae`) is reported as unknown, with the fix that renames it.
    // (`containers` for `container` is one of those near names.)
    // (The exact name first: a near miss costs an edit distance per member.)
    let members = &body.members;
    if members.iter().any(|m| m.name.name == property_name)
        || members
            .iter()
            .any(|m| did_you_mean(&m.name.name, [property_name]).is_some())
    {
        return;
    }
    let mut diagnostic = Diagnostic::new(
        Code::MissingProperty,
        format!("{kind} `{}` has no `{property_name}`", header.name),
        header.loc.file,
        header.loc.span.clone(),
        format!("`{property_name}` missing"),
    );
    let slot = vocabulary::item(kind)
        .and_then(|item| {
            vocabulary::members_of(item.form)
                .iter()
                .find(|m| m.name == property_name)
        })
        .and_then(|member| member.ty.empty_slot());
    if let (Some(slot), true) = (slot.filter(|_| property_name != "name"), body.span.len() >= 2) {
        // The slot, for a person to fill: an empty value does not check.
        let at = body.span.start + 1;
        diagnostic = diagnostic.with_placeholder(
            format!("add `{property_name} = {slot}`"),
            at..at,
            format!("\n  {property_name} = {slot}"),
        );
    }
    if property_name == "name" && body.span.len() >= 2 {
        let suggested = header.name.replace('_', "-");
        let at = body.span.start + 1;
        diagnostic = diagnostic
            .with_help(format!(
                "`{property_name}` is the name in AWS; the item name `{}` is the name in this file",
                header.name
            ))
            .with_suggestion(
                format!("add `name = \"{suggested}\"`"),
                at..at,
                format!("\n  name = \"{suggested}\""),
            );
    }
    r.report(diagnostic);
}

/// A required text written empty (`cluster = ""`) is as good as missing.
fn require_text(r: &mut Reader, text: &Option<Text>, property_name: &str, header: &Header, kind: &str) {
    let Some(text) = text else { return };
    if text.literal().as_deref() == Some("") {
        r.report(Diagnostic::new(
            Code::MissingProperty,
            format!("{kind} `{}` has an empty `{property_name}`", header.name),
            text.loc.file,
            text.loc.span.clone(),
            "empty",
        ));
    }
}

/// Checks a literal AWS name against the API model's length and pattern.
fn aws_name(r: &mut Reader, text: &Option<Text>, limit: &str, what: &str) {
    if let Some(d) = text.as_ref().and_then(|t| invalid_name(t, limit, what)) {
        r.report(d);
    }
}

/// E0209 for a literal `text` that breaks `limit` (`data::limit`), a name of kind `what`;
/// `None` when it keeps to it or is not known until build time.
pub fn invalid_name(text: &Text, limit: &str, what: &str) -> Option<Diagnostic> {
    let value = text.literal()?;
    let why = data::check_name(limit, &value).err()?;
    let source = data::limit(limit);
    Some(
        Diagnostic::new(
            Code::InvalidAwsName,
            format!("`{value}` is not a valid {what}: {why}"),
            text.loc.file,
            text.loc.span.clone(),
            format!("AWS rejects this {what}"),
        )
        .with_note(format!(
            "the constraint is the {} API's `{}` shape",
            source.service, source.shape
        )),
    )
}

fn lower_aws(r: &mut Reader, member: &Member) -> Aws {
    let mut aws = Aws {
        loc: r.loc(&member.span),
        ..Aws::default()
    };
    for m in member.body().map(|b| b.members.as_slice()).unwrap_or(&[]) {
        let Some(value) = property(m) else { continue };
        match m.name.name.as_str() {
            "account" => {
                let text = r.text(value);
                aws.account = plain_aws_value(r, text, m);
                if let Some(account) = aws.account.as_ref().and_then(Text::literal) {
                    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
                        r.report(Diagnostic::new(
                            Code::InvalidAwsName,
                            format!("`{account}` is not an AWS account id: 12 digits"),
                            r.file,
                            value.span.clone(),
                            "not 12 digits",
                        ));
                    }
                }
            }
            "region" => {
                let text = r.text(value);
                aws.region = plain_aws_value(r, text, m);
                check_region(r, &aws.region, "the region used in ARNs");
            }
            _ => {}
        }
    }
    aws
}

/// The account or region as written, if it is text and parameters only: every ARN and URI the
/// program makes is built from them, so one that reads `aws.…` or an item's field (an ARN, a
/// URI) would be built from itself (E0213).
fn plain_aws_value(r: &mut Reader, text: Option<Text>, member: &Member) -> Option<Text> {
    let text = text?;
    let read = text.pieces.iter().find_map(|piece| match piece {
        Piece::Aws { field, loc } => Some((format!("`aws.{}`", field.word()), loc)),
        Piece::Field { field, loc, .. } => Some((format!("an item's `{}`", field.word()), loc)),
        Piece::Lit(_) | Piece::Param { .. } => None,
    });
    let Some((what, loc)) = read else {
        return Some(text);
    };
    r.report(
        Diagnostic::new(
            Code::AwsValueNotPlain,
            format!("the `aws` block's `{}` cannot read {what}", member.name.name),
            loc.file,
            loc.span.clone(),
            "read here",
        )
        .with_secondary(
            text.loc.file,
            text.loc.span.clone(),
            "every ARN and URI is made from this value",
        )
        .with_help("write the value as text, or pass it with a `param`"),
    );
    None
}

/// E0209 for a region written as text that is not one (with a fix when it is mechanical).
fn check_region(r: &mut Reader, text: &Option<Text>, label: &str) {
    let Some(text) = text else { return };
    let Some(region) = text.literal() else { return };
    let Some(problem) = region_problem(&region) else { return };
    let mut d = Diagnostic::new(
        Code::InvalidAwsName,
        format!("`{region}` is {problem}"),
        text.loc.file,
        text.loc.span.clone(),
        label,
    );
    let lower = region.to_ascii_lowercase();
    let zone = region.trim_end_matches(|c: char| c.is_ascii_lowercase());
    let fixed = [lower.as_str(), zone]
        .into_iter()
        .find(|f| *f != region && region_problem(f).is_none());
    if let Some(fixed) = fixed {
        d = d.with_fix(format!("use `{fixed}`"), text.loc.span.clone(), format!("\"{fixed}\""));
    }
    r.report(d);
}

/// Why a region name is not one cruddur can emit for, if it is not: its shape (`us-east-1`,
/// `ap-southeast-2`), or a partition other than `aws`, whose ARNs and endpoints differ.
pub fn region_problem(region: &str) -> Option<&'static str> {
    let parts: Vec<&str> = region.split('-').collect();
    let shaped = parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty();
    if !shaped {
        let zone = region.trim_end_matches(|c: char| c.is_ascii_lowercase());
        return Some(if zone != region && region_problem(zone).is_none() {
            "an Availability Zone, not a region"
        } else {
            "not an AWS region such as us-east-1"
        });
    }
    if parts[0] == "cn" || parts[1] == "gov" || parts[1].starts_with("iso") {
        return Some(
            "outside the standard `aws` partition: cruddur emits `arn:aws:` ARNs and `amazonaws.com` endpoints only",
        );
    }
    None
}

fn lower_param(r: &mut Reader, header: Header, member: &Member, body: &Body) -> Param {
    let mut param = Param {
        header,
        default: None,
        description: None,
    };
    if let MemberKind::Block { value: Some(value), .. } = &member.kind {
        param.default = r.literal(value, "a parameter's default");
    }
    for m in &body.members {
        let Some(value) = property(m) else { continue };
        match m.name.name.as_str() {
            "default" => param.default = r.literal(value, "a parameter's default"),
            "description" => param.description = r.literal(value, "a description").map(|d| d.value),
            _ => {}
        }
    }
    param
}

fn lower_connection(r: &mut Reader, header: Header, body: &Body) -> Connection {
    let mut c = Connection {
        header,
        name: None,
        provider: None,
        arn: None,
    };
    for m in &body.members {
        let Some(value) = property(m) else { continue };
        match m.name.name.as_str() {
            "name" => c.name = r.text(value),
            "provider" => c.provider = r.choice(value),
            "arn" => c.arn = r.text(value),
            _ => {}
        }
    }
    // An existing connection (`arn`) needs nothing else, even while its value is wrong (that
    // value's own finding says what is).
    if c.arn.is_none() && !body.members.iter().any(|m| m.name.name == "arn") {
        require_all(r, Kind::Connection, &c.header, body);
    }
    aws_name(r, &c.name, "connection_name", "connection name");
    c
}

fn lower_repository(r: &mut Reader, header: Header, body: &Body) -> Repository {
    let mut repo = Repository {
        header,
        name: None,
        scan_on_push: None,
        tag_mutability: None,
    };
    for m in &body.members {
        let Some(value) = property(m) else { continue };
        match m.name.name.as_str() {
            "name" => repo.name = r.text(value),
            "scan_on_push" => repo.scan_on_push = r.boolean(value),
            "tag_mutability" => repo.tag_mutability = r.choice(value),
            _ => {}
        }
    }
    require_all(r, Kind::Repository, &repo.header, body);
    aws_name(r, &repo.name, "repository_name", "ECR repository name");
    repo
}

fn lower_service(r: &mut Reader, header: Header, body: &Body) -> Service {
    let mut s = Service {
        header,
        cluster: None,
        name: None,
        containers: Vec::new(),
        containers_loc: None,
        task_role: None,
        execution_role: None,
        task_family: None,
    };
    let mut containers_given: Option<&Member> = None;
    for m in &body.members {
        let Some(value) = property(m) else { continue };
        match m.name.name.as_str() {
            "cluster" => s.cluster = r.text(value),
            "name" => s.name = r.text(value),
            "container" | "containers" => {
                if let Some(first) = containers_given {
                    // One list of the task definition's containers: both are read, so what
                    // names a container of either is not reported again.
                    r.report(
                        Diagnostic::new(
                            Code::DuplicateMember,
                            format!("service `{}` names its containers twice", s.header.name),
                            r.file,
                            m.name.span.clone(),
                            format!("`{}` after `{}`", m.name.name, first.name.name),
                        )
                        .with_secondary(r.file, first.name.span.clone(), "containers named here")
                        .with_help(
                            "write `container = \"…\"` for one container, `containers = [\"…\", …]` for several",
                        ),
                    );
                }
                let merged = containers_given.is_some();
                containers_given.get_or_insert(m);
                let before = s.containers.len();
                s.containers_loc.get_or_insert_with(|| r.loc(&value.span));
                let list = matches!(value.kind, ExprKind::List(_));
                if m.name.name == "container" && list {
                    // Several containers under the name for one: read as meant.
                    r.report(
                        Diagnostic::new(
                            Code::WrongType,
                            "`container` names one container; a list of them is `containers`",
                            r.file,
                            m.name.span.clone(),
                            "takes a string",
                        )
                        .with_fix("rename to `containers`", m.name.span.clone(), "containers"),
                    );
                }
                if m.name.name == "container" && !list {
                    s.containers.extend(r.text(value));
                } else {
                    s.containers.extend(texts(r, value, "container names"));
                    if matches!(&value.kind, ExprKind::List(items) if items.is_empty()) {
                        r.report(Diagnostic::new(
                            Code::MissingProperty,
                            format!("service `{}` names no container", s.header.name),
                            r.file,
                            value.span.clone(),
                            "empty list",
                        ));
                    }
                }
                if merged {
                    // What the second member adds; a name both give was reported with them.
                    let (first, added) = s.containers.split_at(before);
                    let added: Vec<Text> = added
                        .iter()
                        .filter(|c| {
                            !first
                                .iter()
                                .any(|f| f.literal().is_some() && f.literal() == c.literal())
                        })
                        .cloned()
                        .collect();
                    s.containers.truncate(before);
                    s.containers.extend(added);
                }
            }
            "task_role" => s.task_role = r.text(value),
            "execution_role" => s.execution_role = r.text(value),
            "task_family" => s.task_family = r.text(value),
            _ => {}
        }
    }
    require_all(r, Kind::Service, &s.header, body);
    require_text(r, &s.cluster, "cluster", &s.header, "service");
    require_text(r, &s.name, "name", &s.header, "service");
    for (n, container) in s.containers.iter().enumerate() {
        let Some(name) = container.literal() else { continue };
        if name.is_empty() {
            r.report(Diagnostic::new(
                Code::MissingProperty,
                format!("service `{}` has an empty container name", s.header.name),
                container.loc.file,
                container.loc.span.clone(),
                "empty",
            ));
        }
        let earlier = s.containers[..n]
            .iter()
            .find(|c| c.literal().as_deref() == Some(&*name));
        if let Some(earlier) = earlier {
            let mut diagnostic = Diagnostic::new(
                Code::DuplicateMember,
                format!("container `{name}` listed twice"),
                container.loc.file,
                container.loc.span.clone(),
                "listed again",
            )
            .with_secondary(earlier.loc.file, earlier.loc.span.clone(), "first listed here");
            // From the end of the name before it, in the same list: the comma goes too.
            let before = &s.containers[n - 1].loc;
            let list = s.containers_loc.as_ref().map(|l| l.span.clone()).unwrap_or_default();
            if before.file == container.loc.file
                && list.start <= before.span.start
                && container.loc.span.end <= list.end
            {
                diagnostic = diagnostic.with_fix("remove it", before.span.end..container.loc.span.end, "");
            }
            r.report(diagnostic);
        }
    }
    name_not_arn(r, &s.cluster, "cluster");
    name_not_arn(r, &s.name, "service");
    name_not_arn(r, &s.task_family, "task definition family");
    s
}

/// What is wrong with a KMS key's ARN, in [`Text::shape`] form (parts not yet known are
/// `Text::HOLE` and taken as right), or `None`.
pub fn kms_key_problem(written: &str) -> Option<&'static str> {
    if written == Text::HOLE {
        return None;
    }
    let hole = |part: &str| part.contains(Text::HOLE);
    let parts: Vec<&str> = written.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", partition, "kms", region, account, resource]
            if !partition.is_empty()
                && (hole(region) || region_problem(region).is_none())
                && (hole(account) || account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
                && resource
                    .strip_prefix("key/")
                    .is_some_and(|id| !id.is_empty() && !id.contains(' ')) =>
        {
            None
        }
        ["arn", _, "kms", _, _, resource] if resource.starts_with("alias/") => Some("an alias ARN"),
        _ if written.starts_with("alias/") => Some("an alias"),
        _ if written.contains(Text::HOLE) => None,
        _ if !written.starts_with("arn:") => Some("a key id"),
        _ => Some("not a KMS key ARN"),
    }
}

/// A KMS key named by its key ARN. An alias or a bare key id cannot scope the permissions the
/// roles are granted (IAM authorizes a key's use by the key's ARN), and CodePipeline reads
/// only a key ARN for an action in another account
/// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_EncryptionKey.html).
fn kms_key(r: &mut Reader, text: &Option<Text>, what: &str) {
    let Some(key) = text.as_ref() else { return };
    // Parts known only at build time (`${{ aws.account }}`, a `param`) are taken as right,
    // and judged again when the value is rendered.
    let Some(problem) = kms_key_problem(&key.shape()) else {
        return;
    };
    r.report(
        Diagnostic::new(
            Code::KmsKey,
            format!("{what} must be a KMS key ARN, arn:aws:kms:REGION:ACCOUNT:key/ID"),
            key.loc.file,
            key.loc.span.clone(),
            problem,
        )
        .with_note("the roles cruddur infers are granted the key by its ARN, and CodePipeline accepts only a key ARN for an action in another account")
        .with_help("find the key's ARN with `aws kms describe-key --key-id alias/NAME --query KeyMetadata.Arn`"),
    );
}

/// `artifact_store { region bucket key }`: the Region and the bucket are needed.
fn artifact_store(r: &mut Reader, member: &Member, body: &Body) -> ArtifactStore {
    let mut store = ArtifactStore {
        region: None,
        bucket: None,
        key: None,
        loc: r.loc(&member.span),
    };
    for m in &body.members {
        let Some(value) = property(m) else { continue };
        match m.name.name.as_str() {
            "region" => {
                store.region = r.text(value);
                check_region(r, &store.region, "the store's Region");
            }
            "bucket" => store.bucket = r.text(value),
            "key" => {
                store.key = r.text(value);
                kms_key(r, &store.key, "the store's key");
            }
            _ => {}
        }
    }
    for needed in ["region", "bucket"] {
        let written = |m: &Member| m.name.name == needed || did_you_mean(&m.name.name, [needed]).is_some();
        if !body.members.iter().any(written) {
            r.report(
                Diagnostic::new(
                    Code::MissingProperty,
                    format!("an `artifact_store` needs `{needed}`"),
                    r.file,
                    member.name.span.clone(),
                    format!("`{needed}` missing"),
                )
                .with_help("write `artifact_store { region = \"eu-west-1\" bucket = \"my-artifacts-eu-west-1\" }`: an existing, versioned bucket of that Region"),
            );
        }
    }
    store
}

/// ECS names go into ARNs that cruddur builds (`…:service/CLUSTER/NAME`) and into the ECS
/// action's `ClusterName`: an ARN there makes both wrong. The fix keeps the name at its end.
fn name_not_arn(r: &mut Reader, text: &Option<Text>, what: &str) {
    let Some(text) = text else { return };
    let Some(value) = text.literal() else { return };
    if !value.starts_with("arn:") {
        return;
    }
    let last = value
        .rsplit(['/', ':'])
        .find(|part| !part.is_empty() && !part.bytes().all(|b| b.is_ascii_digit()));
    let mut diagnostic = Diagnostic::new(
        Code::InvalidAwsName,
        format!("the {what} is written as an ARN: give its name"),
        text.loc.file,
        text.loc.span.clone(),
        "an ARN, not a name",
    );
    if let Some(name) = last.filter(|n| !n.starts_with("arn")) {
        diagnostic = diagnostic.with_fix(
            format!("use the name `{name}`"),
            text.loc.span.clone(),
            format!("\"{name}\""),
        );
    }
    r.report(diagnostic);
}

fn lower_role(r: &mut Reader, header: Header, body: &Body) -> Role {
    let mut role = Role {
        header,
        arn: None,
        name: None,
        description: None,
        trust: Vec::new(),
        trust_loc: None,
        allows: Vec::new(),
        managed_policies: Vec::new(),
    };
    for m in &body.members {
        match (m.name.name.as_str(), &m.kind) {
            ("arn", MemberKind::Property(value)) => {
                role.arn = r.text(value);
                role_arn(r, &role.arn);
            }
            ("name", MemberKind::Property(value)) => role.name = r.text(value),
            ("description", MemberKind::Property(value)) => role.description = r.text(value),
            ("trust", MemberKind::Property(value)) => {
                role.trust_loc = Some(r.loc(&value.span));
                let items = r.list(value, "service principals");
                if items.is_some_and(|items| items.is_empty()) {
                    r.report(
                        Diagnostic::new(
                            Code::MissingProperty,
                            format!("role `{}` trusts no service", role.header.name),
                            r.file,
                            value.span.clone(),
                            "empty",
                        )
                        .with_help(format!(
                            "name who assumes it, e.g. `trust = [codebuild]`; services: {}",
                            TrustedService::SPEC.words().collect::<Vec<_>>().join(", ")
                        )),
                    );
                }
                for item in items.unwrap_or(&[]) {
                    role.trust.extend(r.choice(item));
                }
            }
            ("managed_policies", MemberKind::Property(value)) => {
                for item in r.list(value, "policy ARNs").unwrap_or(&[]) {
                    role.managed_policies.extend(r.text(item));
                }
            }
            ("allow", MemberKind::Block { body: Some(allow), .. }) => role.allows.push(lower_allow(r, m, allow)),
            _ => {}
        }
    }
    match &role.arn {
        Some(arn) => existing_role_members(r, &role, arn, body),
        None => require_all(r, Kind::Role, &role.header, body),
    }
    aws_name(r, &role.name, "role_name", "IAM role name");
    role
}

/// Whether a text is an IAM role's ARN: `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`.
pub fn role_arn_valid(written: &str) -> bool {
    let parts: Vec<&str> = written.splitn(6, ':').collect();
    matches!(parts.as_slice(),
        ["arn", partition, "iam", "", account, resource]
            if !partition.is_empty()
                && account.len() == 12
                && account.bytes().all(|b| b.is_ascii_digit())
                && resource.strip_prefix("role/").is_some_and(|name| !name.is_empty() && !name.ends_with('/')))
}

/// `arn:aws:iam::ACCOUNT:role/PATH/NAME`, when written out (else judged when rendered).
fn role_arn(r: &mut Reader, arn: &Option<Text>) {
    let Some(text) = arn else { return };
    let Some(written) = text.literal() else { return };
    if !role_arn_valid(&written) {
        r.report(
            Diagnostic::new(
                Code::WrongType,
                "a role's `arn` is an IAM role ARN, arn:aws:iam::ACCOUNT:role/NAME",
                text.loc.file,
                text.loc.span.clone(),
                "not a role ARN",
            )
            .with_note("IAM role ARNs have no Region: the fourth field is empty"),
        );
    }
}

/// An existing role is used as it is: what cruddur would write into a role it creates is not
/// taken beside its `arn`.
fn existing_role_members(r: &mut Reader, role: &Role, arn: &Text, body: &Body) {
    for m in &body.members {
        if matches!(m.name.name.as_str(), "name" | "trust" | "allow" | "managed_policies") {
            r.skip(
                Diagnostic::new(
                    Code::ExistingRole,
                    format!(
                        "role `{}` is an existing role, named by its `arn`: cruddur does not write its `{}`",
                        role.header.name, m.name.name
                    ),
                    r.file,
                    m.span.clone(),
                    "for a role cruddur creates",
                )
                .with_secondary(arn.loc.file, arn.loc.span.clone(), "the existing role")
                .with_help(
                    "change the role where it is defined (cruddur writes what it needs into iam/existing/), or remove `arn` to have cruddur create the role",
                )
                // One of two ways out: offered, not applied.
                .with_suggestion(format!("remove `{}`", m.name.name), m.span.clone(), ""),
            );
        }
    }
}

fn lower_allow(r: &mut Reader, member: &Member, body: &Body) -> Allow {
    let mut allow = Allow {
        sid: None,
        actions: Vec::new(),
        resources: Vec::new(),
        conditions: Vec::new(),
        actions_loc: None,
        resources_loc: None,
        loc: r.loc(&member.span),
    };
    let mut has_actions = false;
    let mut has_resources = false;
    for m in &body.members {
        let Some(value) = property(m) else { continue };
        match m.name.name.as_str() {
            "sid" => allow.sid = r.literal(value, "a statement id").map(|s| s.value),
            "actions" => {
                has_actions = true;
                allow.actions_loc = Some(r.loc(&value.span));
                let items = r.list(value, "IAM actions");
                empty_list(r, items, value, "actions");
                for item in items.unwrap_or(&[]) {
                    allow.actions.extend(r.literal(item, "an IAM action"));
                }
            }
            "conditions" => {
                for item in r.list(value, "conditions").unwrap_or(&[]) {
                    allow.conditions.extend(condition(r, item));
                }
            }
            "resources" => {
                has_resources = true;
                allow.resources_loc = Some(r.loc(&value.span));
                let items = r.list(value, "resource ARNs");
                empty_list(r, items, value, "resources");
                for item in items.unwrap_or(&[]) {
                    allow.resources.extend(r.text(item));
                }
            }
            _ => {}
        }
    }
    for (present, what) in [(has_actions, "actions"), (has_resources, "resources")] {
        if !present {
            r.report(Diagnostic::new(
                Code::MissingProperty,
                format!("`allow` has no `{what}`"),
                r.file,
                member.name.span.clone(),
                format!("`{what}` missing"),
            ));
        }
    }
    allow
}

/// An IAM statement with no action or no resource is one IAM refuses (MalformedPolicyDocument).
fn empty_list(r: &mut Reader, items: Option<&[Expr]>, value: &Expr, what: &str) {
    if items.is_some_and(<[Expr]>::is_empty) {
        r.report(
            Diagnostic::new(
                Code::MissingProperty,
                format!("`allow` has an empty `{what}`: IAM refuses a statement without {what}"),
                r.file,
                value.span.clone(),
                "empty",
            )
            .with_help(format!("name the {what} it allows, or remove the `allow` block")),
        );
    }
}

fn lower_project(r: &mut Reader, header: Header, body: &Body) -> Project {
    let mut p = Project {
        header,
        name: None,
        description: None,
        badge: None,
        timeout: None,
        queued_timeout: None,
        source: None,
        role: None,
        pushes: Vec::new(),
        shell: None,
        environment: Environment::default(),
        env: Vec::new(),
        exported: Vec::new(),
        runtimes: Vec::new(),
        phases: Vec::new(),
        outputs: Vec::new(),
        artifacts: Vec::new(),
        reports: Vec::new(),
        cache_paths: Vec::new(),
        cache_mode: None,
        cache_location: None,
        logs_enabled: None,
        artifact_encryption: None,
        encryption_key: None,
        schedule: None,
        s3_source: None,
        buildspec_s3: None,
        output_to: None,
        vpc: None,
        logs_group: None,
        logs_stream: None,
        allows: Vec::new(),
        buildspec: None,
        notifications: Vec::new(),
        output_unread: false,
        pushes_unread: false,
    };
    let build_timeout = data::limit(data::limits::BUILD_TIMEOUT);
    let queued_timeout = data::limit(data::limits::QUEUED_TIMEOUT);
    for m in &body.members {
        match (m.name.name.as_str(), &m.kind) {
            ("name", MemberKind::Property(v)) => p.name = r.text(v),
            ("description", MemberKind::Property(v)) => p.description = r.text(v),
            ("badge", MemberKind::Property(v)) => p.badge = r.boolean(v),
            ("allow", MemberKind::Block { body: Some(allow), .. }) => p.allows.push(lower_allow(r, m, allow)),
            ("artifact_encryption", MemberKind::Property(v)) => p.artifact_encryption = r.boolean(v),
            ("schedule", MemberKind::Property(v)) => p.schedule = r.text(v),
            ("encryption_key", MemberKind::Property(v)) => {
                p.encryption_key = r.text(v);
                kms_key(r, &p.encryption_key, "the project's encryption key");
            }
            ("timeout", MemberKind::Property(v)) => {
                p.timeout = r.minutes(
                    v,
                    build_timeout.min.unwrap_or(5),
                    build_timeout.max.unwrap_or(2160),
                    "a build timeout",
                )
            }
            ("queued_timeout", MemberKind::Property(v)) => {
                p.queued_timeout = r.minutes(
                    v,
                    queued_timeout.min.unwrap_or(5),
                    queued_timeout.max.unwrap_or(480),
                    "a queued timeout",
                )
            }
            ("source", MemberKind::Property(v)) => match &v.kind {
                ExprKind::Call { callee, args } if callee.name == "s3" => {
                    p.s3_source = s3_location(r, v, args, "an S3 source, s3(\"bucket/path/source.zip\")");
                    s3_object(r, p.s3_source.as_ref());
                }
                _ => p.source = project_source(r, v),
            },
            ("output_to", MemberKind::Property(v)) => p.output_to = output_to(r, v),
            ("vpc", MemberKind::Block { body: Some(b), .. }) => p.vpc = Some(vpc(r, m, b)),
            ("buildspec", MemberKind::Property(v)) => match &v.kind {
                ExprKind::Call { callee, args } if callee.name == "s3" => {
                    p.buildspec_s3 = s3_location(r, v, args, "a buildspec in S3, s3(\"bucket/path/buildspec.yml\")");
                    buildspec_object(r, p.buildspec_s3.as_ref());
                }
                _ => p.buildspec = buildspec_path(r, v),
            },
            (
                "notify",
                MemberKind::Block {
                    label: Some(label),
                    body: Some(b),
                    ..
                },
            ) => p
                .notifications
                .push(notification::<crate::vocabulary::BuildNotificationEvent>(
                    r, label, m, b,
                )),
            ("role", MemberKind::Property(v)) => p.role = r.reference(v, Kind::Role),
            ("pushes", MemberKind::Property(v)) => {
                let items = r.list(v, "repositories");
                p.pushes_unread |= items.is_none();
                for item in items.unwrap_or(&[]) {
                    let pushed = r.reference(item, Kind::Repository);
                    p.pushes_unread |= pushed.is_none();
                    p.pushes.extend(pushed);
                }
            }
            ("shell", MemberKind::Property(v)) => p.shell = r.choice(v),
            ("environment", MemberKind::Block { body: Some(b), .. }) => p.environment = environment(r, m, b),
            ("env", MemberKind::Block { body: Some(b), .. }) => env(r, b, &mut p),
            (
                "runtime",
                MemberKind::Block {
                    label: Some(label),
                    value: Some(v),
                    ..
                },
            ) => {
                if let Some(version) = r.literal(v, "a runtime version") {
                    p.runtimes.push(Runtime {
                        name: r.at(label.name.as_str().to_owned(), &label.span),
                        version,
                    });
                }
            }
            (
                "phase",
                MemberKind::Block {
                    label: Some(label),
                    body: Some(b),
                    ..
                },
            ) => {
                if let Some(first) = p.phases.iter().find(|ph| ph.name.value.word() == label.name) {
                    r.skip(
                        Diagnostic::new(
                            Code::DuplicateMember,
                            format!("phase `{}` is given twice", label.name),
                            r.file,
                            label.span.clone(),
                            "given again here",
                        )
                        .with_secondary(first.name.loc.file, first.name.loc.span.clone(), "first given here")
                        .with_help("put all of a phase's commands in one `phase` block"),
                    );
                    continue;
                }
                if let Some(name) = r.choice::<PhaseName>(&Expr {
                    kind: ExprKind::Name(label.clone()),
                    span: label.span.clone(),
                }) {
                    p.phases.push(phase(r, name, m, b));
                }
            }
            ("output", MemberKind::Statement(args)) => {
                for arg in args {
                    let Some(output) = project_output(r, arg) else {
                        p.output_unread = true;
                        continue;
                    };
                    if let Some(first) = p.outputs.first() {
                        // The primary artifact is one; more files are named secondary artifacts.
                        let first = first.loc().clone();
                        r.skip(
                            Diagnostic::new(Code::DuplicateMember, "a project has one `output`", r.file, arg.span.clone(), "second output")
                                .with_secondary(first.file, first.span, "the project's output")
                                .with_help("put more files in the same `files(…)`, or in a secondary `artifact NAME { files = […] }`"),
                        );
                        continue;
                    }
                    p.outputs.push(output);
                }
            }
            (
                "artifact",
                MemberKind::Block {
                    label: Some(label),
                    body: Some(b),
                    ..
                },
            ) => p.artifacts.push(secondary_artifact(r, label, b)),
            (
                "report",
                MemberKind::Block {
                    label: Some(label),
                    body: Some(b),
                    ..
                },
            ) => p.reports.push(report(r, label, b)),
            ("cache", MemberKind::Block { body: Some(b), .. }) => {
                for c in &b.members {
                    let Some(v) = property(c) else { continue };
                    match c.name.name.as_str() {
                        "paths" => {
                            for item in r.list(v, "paths").unwrap_or(&[]) {
                                p.cache_paths.extend(r.text(item));
                            }
                        }
                        "mode" => p.cache_mode = r.choice(v),
                        "location" => p.cache_location = r.text(v),
                        _ => {}
                    }
                }
            }
            ("logs", MemberKind::Block { body: Some(b), .. }) => {
                for c in &b.members {
                    let Some(v) = property(c) else { continue };
                    match c.name.name.as_str() {
                        "enabled" => p.logs_enabled = r.boolean(v),
                        "group" => p.logs_group = r.text(v),
                        "stream" => p.logs_stream = r.text(v),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(loc) = p
        .buildspec
        .as_ref()
        .map(|b| &b.path.loc)
        .or(p.buildspec_s3.as_ref().map(|t| &t.loc))
    {
        inline_beside_file(r, body, loc);
    }
    require_all(r, Kind::Project, &p.header, body);
    aws_name(r, &p.name, "project_name", "CodeBuild project name");
    p
}

/// The arguments of a call to the one value function a place takes (`calls` has one); a value
/// that is no call, or a call to another function, is reported.
fn only_call<'e>(r: &mut Reader, expr: &'e Expr, calls: Calls, what: &str, written: &str) -> Option<&'e [ast::Arg]> {
    let name = calls.names()[0];
    let ExprKind::Call { callee, args } = &expr.kind else {
        r.wrong_type(expr, &format!("`{written}`"));
        return None;
    };
    if callee.name != name {
        r.unknown_choice(
            Code::UnknownValue,
            format!("`{}` is not {what}", callee.name),
            callee,
            "unknown",
            format!("write `{written}`"),
            calls.names(),
        );
        return None;
    }
    Some(args)
}

/// `file("path")`: the path, checked to name a file below the repository root.
fn buildspec_path(r: &mut Reader, expr: &Expr) -> Option<BuildspecFile> {
    let args = only_call(
        r,
        expr,
        Calls::Buildspec,
        "a buildspec source",
        "file(\"path/buildspec.yml\")",
    )?;
    let [arg] = args else {
        r.report(Diagnostic::new(
            Code::WrongType,
            "`file` takes one path",
            r.file,
            expr.span.clone(),
            "one argument expected",
        ));
        return None;
    };
    let path = r.literal(&arg.value, "a file path")?;
    // The workspace reads the file before the program is lowered: the path is written out.
    if !matches!(&arg.value.kind, ExprKind::Str(s) if s.as_plain().is_some()) {
        r.wrong_type(
            &arg.value,
            "the path written as a string, such as `\"ci/buildspec.yml\"`",
        );
        return None;
    }
    let escapes = path.value.starts_with('/')
        || path.value.contains('\\')
        || std::path::Path::new(&path.value)
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir));
    if path.value.trim().is_empty() || escapes {
        r.report(
            Diagnostic::new(
                Code::BuildspecFileUnreadable,
                format!("`{}` is not a path inside the repository", path.value),
                r.file,
                path.loc.span.clone(),
                "CodeBuild reads the buildspec from the build's source",
            )
            .with_help(
                "write the path from the repository root with `/`, without `..`: `file(\"backend/buildspec.yml\")`",
            ),
        );
        return None;
    }
    Some(BuildspecFile { path, file: None })
}

/// The members a buildspec file replaces, as written in the project.
/// (`env` variables stay: they become the project's own environment variables.)
const BUILDSPEC_MEMBERS: &[&str] = &["shell", "runtime", "phase", "output", "artifact", "report"];

/// Buildspec members written in a project that names a buildspec file: CodeBuild would read
/// only the file.
fn inline_beside_file(r: &mut Reader, body: &Body, file: &Loc) {
    let exports = body
        .members
        .iter()
        .filter(|m| m.name.name == "env")
        .filter_map(Member::body)
        .flat_map(|b| &b.members)
        .filter(|m| m.name.name == "export");
    for m in body.members.iter().chain(exports) {
        let cache_paths = m.name.name == "cache"
            && m.body()
                .is_some_and(|b| b.members.iter().any(|c| c.name.name == "paths"));
        if !BUILDSPEC_MEMBERS.contains(&m.name.name.as_str()) && !cache_paths && m.name.name != "export" {
            continue;
        }
        let what = match m.name.name.as_str() {
            _ if cache_paths => "`cache { paths }`".to_string(),
            "export" => "`export` (the buildspec's `exported-variables`)".to_string(),
            name => format!("`{name}`"),
        };
        r.report(
            Diagnostic::new(
                Code::BuildspecBesideFile,
                format!("{what} belongs in the buildspec, and this project reads its buildspec from a file"),
                r.file,
                m.name.span.clone(),
                "CodeBuild would not see this",
            )
            .with_secondary(file.file, file.span.clone(), "the buildspec CodeBuild reads")
            .with_help("move it into the buildspec file, or drop `buildspec = …` and write the whole buildspec here"),
        );
    }
}

/// Reads a project's buildspec file into it: what the workspace read for its path, or why it
/// could not. Buildspec members written in the project besides it are reported and dropped.
fn read_buildspec_file(
    r: &mut Reader,
    sources: &SourceMap,
    included: &Included,
    project: &mut Project,
    read_before: &mut HashSet<FileId>,
) {
    let Some(buildspec) = &mut project.buildspec else {
        return;
    };
    let path_loc = buildspec.path.loc.clone();
    let (message, label, note) = match included.get(&buildspec.path.value) {
        Some(Ok(file)) => {
            buildspec.file = Some(*file);
            (String::new(), "", "")
        }
        Some(Err(why)) => (
            format!("cannot read buildspec file `{}`: {why}", buildspec.path.value),
            "not readable",
            "cruddur reads the file from the repository root: the folder holding cruddur.toml, or else the folder of the .cruddur file",
        ),
        None => (
            format!("buildspec file `{}` was not read", buildspec.path.value),
            "not read",
            "only a workspace (the cruddur command, the language server) reads files besides the program's sources",
        ),
    };
    if buildspec.file.is_none() {
        r.report(
            Diagnostic::new(
                Code::BuildspecFileUnreadable,
                message,
                path_loc.file,
                path_loc.span.clone(),
                label,
            )
            .with_note(note),
        );
        return;
    }
    let file = buildspec.file.expect("set above");
    // The project's `env` variables stay: CodeBuild sets them as the project's own.
    project.shell = None;
    project.exported.clear();
    project.runtimes.clear();
    project.phases.clear();
    project.outputs.clear();
    project.artifacts.clear();
    project.reports.clear();
    project.cache_paths.clear();
    let mut found = Vec::new();
    let read = buildspec_file::read(sources, file, project, &mut found);
    // What the file holds is reported once, with the first project that reads it.
    if read_before.insert(file) {
        r.out.append(&mut found);
    }
    r.gaps.unread.extend(read.unread);
    if read.incomplete {
        r.gaps.unresolved.push(path_loc);
    }
}

fn environment(r: &mut Reader, member: &Member, body: &Body) -> Environment {
    let mut env = Environment {
        loc: Some(r.loc(&member.span)),
        ..Environment::default()
    };
    for m in &body.members {
        let Some(v) = property(m) else { continue };
        match m.name.name.as_str() {
            "image" => env.image = image(r, v),
            "compute" => env.compute = r.choice(v),
            "privileged" => env.privileged = r.boolean(v),
            "type" => env.env_type = r.choice(v),
            "registry_credential" => env.registry_credential = r.text(v),
            _ => {}
        }
    }
    if !body.members.iter().any(|m| m.name.name == "image") {
        r.report(
            Diagnostic::new(
                Code::MissingProperty,
                "`environment` has no `image`",
                r.file,
                member.name.span.clone(),
                "`image` missing",
            )
            .with_help("for example `image = amazonlinux_standard(\"5.0\")`"),
        );
    }
    env
}

fn image(r: &mut Reader, expr: &Expr) -> Option<Image> {
    let loc = r.loc(&expr.span);
    match &expr.kind {
        ExprKind::Call { callee, args } => {
            let Some(family) = ImageFamily::from_word(&callee.name) else {
                let families = Calls::Image.names();
                r.unknown_choice(
                    Code::UnknownValue,
                    format!("`{}` is not an image family", callee.name),
                    callee,
                    "unknown image family",
                    format!(
                        "image families: {}; or write an image URI as a string",
                        families.join(", ")
                    ),
                    families,
                );
                return None;
            };
            let [arg] = args.as_slice() else {
                r.report(Diagnostic::new(
                    Code::WrongType,
                    format!("`{0}` takes one version, e.g. `{0}(\"5.0\")`", family.word()),
                    r.file,
                    expr.span.clone(),
                    "one argument expected",
                ));
                return None;
            };
            let version = r.literal(&arg.value, "an image version")?;
            Some(Image {
                image: ImageRef::Curated {
                    family,
                    version: version.value,
                },
                loc,
            })
        }
        _ => r.text(expr).map(|uri| Image {
            image: ImageRef::Uri(uri),
            loc,
        }),
    }
}

fn env(r: &mut Reader, body: &Body, p: &mut Project) {
    let vars = env_vars(r, body, &mut p.exported);
    p.env.extend(vars);
}

/// The variables of an `env { … }` block; its `export` statements go to `exported`.
fn env_vars(r: &mut Reader, body: &Body, exported: &mut Vec<At<String>>) -> Vec<EnvVar> {
    let mut vars = Vec::new();
    for m in &body.members {
        match &m.kind {
            MemberKind::Property(v) => {
                let Some(value) = env_value(r, v) else { continue };
                vars.push(EnvVar {
                    name: r.at(m.name.name.as_str().to_owned(), &m.name.span),
                    value,
                    loc: r.loc(&m.span),
                });
            }
            MemberKind::Statement(args) if m.name.name == "export" => {
                for arg in args {
                    match &arg.kind {
                        ExprKind::Name(ident) => exported.push(r.at(ident.name.as_str().to_owned(), &ident.span)),
                        _ => r.wrong_type(arg, "a variable name"),
                    }
                }
            }
            _ => {}
        }
    }
    vars
}

/// A variable's value: text, `parameter_store(…)` or `secrets_manager(…)`.
fn env_value(r: &mut Reader, v: &Expr) -> Option<EnvValue> {
    through_parameter!(r, v, env_value);
    match &v.kind {
        ExprKind::Call { callee, args } if callee.name == "parameter_store" || callee.name == "secrets_manager" => {
            let [arg] = args.as_slice() else {
                r.report(Diagnostic::new(
                    Code::WrongType,
                    format!("`{}` takes one name", callee.name),
                    r.file,
                    v.span.clone(),
                    "one argument expected",
                ));
                return None;
            };
            let text = r.text(&arg.value)?;
            Some(if callee.name == "parameter_store" {
                EnvValue::ParameterStore(text)
            } else {
                EnvValue::SecretsManager(text)
            })
        }
        ExprKind::Call { callee, .. } => {
            r.unknown_choice(
                Code::UnknownValue,
                format!("`{}` is not a variable source", callee.name),
                callee,
                "unknown",
                "a variable is a string, `parameter_store(\"/name\")` or `secrets_manager(\"id:key\")`",
                Calls::EnvValue.names(),
            );
            None
        }
        _ => r.text(v).map(EnvValue::Plain),
    }
}

fn phase(r: &mut Reader, name: At<PhaseName>, member: &Member, body: &Body) -> Phase {
    let mut phase = Phase {
        name,
        commands: Vec::new(),
        finally: Vec::new(),
        on_failure: None,
        run_as: None,
        loc: r.loc(&member.span),
    };
    for m in &body.members {
        match (m.name.name.as_str(), &m.kind) {
            ("run", MemberKind::Statement(args)) => phase.commands.extend(args.iter().filter_map(|a| command(r, a))),
            ("finally", MemberKind::Block { body: Some(b), .. }) => {
                for f in &b.members {
                    if let ("run", MemberKind::Statement(args)) = (f.name.name.as_str(), &f.kind) {
                        phase.finally.extend(args.iter().filter_map(|a| command(r, a)));
                    }
                }
            }
            ("on_failure", MemberKind::Property(v)) => phase.on_failure = r.choice(v),
            ("run_as", MemberKind::Property(v)) => phase.run_as = r.text(v),
            _ => {}
        }
    }
    phase
}

fn command(r: &mut Reader, expr: &Expr) -> Option<Command> {
    match &expr.kind {
        ExprKind::Call { callee, args } if callee.name == "ecr_login" => {
            let [arg] = args.as_slice() else {
                r.report(Diagnostic::new(
                    Code::WrongType,
                    "`ecr_login` takes one repository",
                    r.file,
                    expr.span.clone(),
                    "one argument expected",
                ));
                return None;
            };
            let repo = r.reference(&arg.value, Kind::Repository)?;
            Some(Command::EcrLogin(At {
                value: repo.value,
                loc: r.loc(&expr.span),
            }))
        }
        ExprKind::Call { callee, .. } => {
            r.unknown_choice(
                Code::UnknownValue,
                format!("`{}` is not a command", callee.name),
                callee,
                "unknown command",
                "a command is a string, or `ecr_login(repository)`",
                Calls::Command.names(),
            );
            None
        }
        _ => r.text(expr).map(Command::Shell),
    }
}

fn project_output(r: &mut Reader, expr: &Expr) -> Option<ProjectOutput> {
    let loc = r.loc(&expr.span);
    let ExprKind::Call { callee, args } = &expr.kind else {
        r.wrong_type(
            expr,
            "`image_definitions(service, image = \"…\")` or `files(\"glob\", …)`",
        );
        return None;
    };
    match callee.name.as_str() {
        "image_definitions" => image_definitions(r, expr, args, loc),
        "files" => {
            let patterns: Vec<Text> = args
                .iter()
                .filter(|a| a.name.is_none())
                .filter_map(|a| r.text(&a.value))
                .collect();
            let mut base_directory = None;
            for arg in args {
                match &arg.name {
                    Some(name) if name.name == "base_directory" => base_directory = r.text(&arg.value),
                    Some(name) => r.report(Diagnostic::new(
                        Code::WrongType,
                        format!("`files` has no argument `{}`", name.name),
                        r.file,
                        name.span.clone(),
                        "unknown argument",
                    )),
                    None => {}
                }
            }
            if patterns.is_empty() {
                r.report(Diagnostic::new(
                    Code::WrongType,
                    "`files` takes at least one glob pattern",
                    r.file,
                    expr.span.clone(),
                    "no patterns",
                ));
                return None;
            }
            Some(ProjectOutput::Files {
                patterns,
                base_directory,
                reshaped: false,
                loc,
            })
        }
        other => {
            r.unknown_choice(
                Code::UnknownValue,
                format!("`{other}` is not a project output"),
                callee,
                "unknown output",
                "outputs: image_definitions(service, image = \"…\"), files(\"glob\", …)",
                Calls::ProjectOutput.names(),
            );
            None
        }
    }
}

/// `image_definitions(service, image = "…")` for the service's only container, or
/// `image_definitions(service, container("name", image = "…"), …)` for several.
fn image_definitions(r: &mut Reader, expr: &Expr, args: &[ast::Arg], loc: Loc) -> Option<ProjectOutput> {
    const FORM: &str = "`image_definitions(service, image = \"…\")`, or `image_definitions(service, container(\"name\", image = \"…\"), …)`";
    let mut service = None;
    let mut images = Vec::new();
    let mut digest = None;
    // Images written, read or not: one that could not be read was reported.
    let mut written = 0;
    for (n, arg) in args.iter().enumerate() {
        // Removing an image takes the comma before it: from the end of the argument before.
        let removal = n
            .checked_sub(1)
            .map(|before| args[before].value.span.end..arg.value.span.end);
        match (&arg.name, &arg.value.kind) {
            (Some(name), _) if name.name == "image" => {
                written += 1;
                if let Some(image) = r.text(&arg.value) {
                    images.push(ContainerImage {
                        container: None,
                        image,
                        loc: r.loc(&(name.span.start..arg.value.span.end)),
                        removal,
                    });
                }
            }
            (Some(name), _) if name.name == "digest" => digest = r.boolean(&arg.value),
            (Some(name), _) => r.report(
                Diagnostic::new(
                    Code::WrongType,
                    format!("`image_definitions` has no argument `{}`", name.name),
                    r.file,
                    name.span.clone(),
                    "unknown argument",
                )
                .with_help(format!("write {FORM}")),
            ),
            (None, ExprKind::Call { callee, args: inner }) if callee.name == "container" => {
                written += 1;
                if let Some(mut image) = container_image(r, &arg.value, inner) {
                    image.removal = removal;
                    images.push(image);
                }
            }
            (None, _) if service.is_none() => service = Some(&arg.value),
            (None, _) => r.report(
                Diagnostic::new(
                    Code::WrongType,
                    "`image_definitions` takes one service",
                    r.file,
                    arg.value.span.clone(),
                    "extra argument",
                )
                .with_help(format!("write {FORM}")),
            ),
        }
    }
    if service.is_none() || written == 0 {
        r.report(
            Diagnostic::new(
                Code::WrongType,
                match service {
                    None => "`image_definitions` needs the service the images are for",
                    Some(_) => "`image_definitions` needs an image",
                },
                r.file,
                expr.span.clone(),
                "arguments missing",
            )
            .with_help(format!("write {FORM}")),
        );
        return None;
    }
    let service = r.reference(service?, Kind::Service)?;
    // Images that could not be read were reported; the others are still judged.
    (!images.is_empty()).then_some(ProjectOutput::ImageDefinitions {
        service,
        images,
        digest,
        loc,
    })
}

/// `container("name", image = "…")` in `image_definitions`.
fn container_image(r: &mut Reader, call: &Expr, args: &[ast::Arg]) -> Option<ContainerImage> {
    const FORM: &str = "write `container(\"name\", image = \"…\")`";
    let positional: Vec<&ast::Arg> = args.iter().filter(|a| a.name.is_none()).collect();
    let image = args.iter().find(|a| a.name.as_ref().is_some_and(|n| n.name == "image"));
    if let (None, [_, unnamed]) = (image, positional.as_slice()) {
        // `container("nginx", "$IMAGE")`: the image, without its name.
        let at = unnamed.value.span.start;
        r.report(
            Diagnostic::new(
                Code::WrongType,
                "the image in `container(…)` is written `image = \"…\"`",
                r.file,
                unnamed.value.span.clone(),
                "image without `image =`",
            )
            .with_fix("write `image = `", at..at, "image = "),
        );
        return None;
    }
    let mut stray = false;
    for arg in positional.iter().skip(1) {
        stray = true;
        r.report(
            Diagnostic::new(
                Code::WrongType,
                "`container` takes one container name",
                r.file,
                arg.value.span.clone(),
                "extra argument",
            )
            .with_help(FORM),
        );
    }
    for name in args
        .iter()
        .filter_map(|a| a.name.as_ref())
        .filter(|n| n.name != "image")
    {
        stray = true;
        r.report(
            Diagnostic::new(
                Code::WrongType,
                format!("`container` has no argument `{}`", name.name),
                r.file,
                name.span.clone(),
                "unknown argument",
            )
            .with_help(FORM),
        );
    }
    let (Some(name), Some(image)) = (positional.first(), image) else {
        if !stray {
            let missing = if image.is_none() {
                "`image = \"…\"`"
            } else {
                "the container's name"
            };
            r.report(
                Diagnostic::new(
                    Code::WrongType,
                    format!("`container` needs {missing}"),
                    r.file,
                    call.span.clone(),
                    "argument missing",
                )
                .with_help(FORM),
            );
        }
        return None;
    };
    Some(ContainerImage {
        container: Some(r.text(&name.value)?),
        image: r.text(&image.value)?,
        loc: r.loc(&call.span),
        removal: None,
    })
}

fn texts(r: &mut Reader, expr: &Expr, what: &str) -> Vec<Text> {
    if let Some(bound) = r.bound(expr) {
        return r
            .in_argument(bound, expr, |r, value| Some(texts(r, value, what)))
            .unwrap_or_default();
    }
    r.list(expr, what)
        .unwrap_or(&[])
        .iter()
        .filter_map(|item| r.text(item))
        .collect()
}

fn secondary_artifact(r: &mut Reader, label: &ast::Ident, body: &Body) -> SecondaryArtifact {
    let mut a = SecondaryArtifact {
        label: r.at(label.name.as_str().to_owned(), &label.span),
        files: Vec::new(),
        base_directory: None,
        discard_paths: None,
        name: None,
    };
    for m in &body.members {
        let Some(v) = property(m) else { continue };
        match m.name.name.as_str() {
            "files" => a.files = texts(r, v, "glob patterns"),
            "base_directory" => a.base_directory = r.text(v),
            "discard_paths" => a.discard_paths = r.boolean(v),
            "name" => a.name = r.text(v),
            _ => {}
        }
    }
    a
}

fn report(r: &mut Reader, label: &ast::Ident, body: &Body) -> Report {
    let mut rep = Report {
        label: r.at(label.name.as_str().to_owned(), &label.span),
        files: Vec::new(),
        base_directory: None,
        format: None,
    };
    for m in &body.members {
        let Some(v) = property(m) else { continue };
        match m.name.name.as_str() {
            "files" => rep.files = texts(r, v, "glob patterns"),
            "base_directory" => rep.base_directory = r.text(v),
            "format" => rep.format = r.choice(v),
            _ => {}
        }
    }
    rep
}

/// `vpc { id subnets security_groups }`: ids of the forms EC2 gives them, the lists within the
/// counts CodeBuild takes (botocore's VpcConfig).
fn vpc(r: &mut Reader, member: &Member, body: &Body) -> Vpc {
    let mut vpc = Vpc {
        id: None,
        subnets: Vec::new(),
        security_groups: Vec::new(),
        loc: r.loc(&member.span),
    };
    for m in &body.members {
        let Some(value) = property(m) else { continue };
        match m.name.name.as_str() {
            "id" => {
                vpc.id = r.text(value);
                ec2_id(r, vpc.id.as_ref(), "vpc-", "a VPC id");
            }
            "subnets" | "security_groups" => {
                let (prefix, what, limit) = if m.name.name == "subnets" {
                    ("subnet-", "a subnet id", data::limits::VPC_SUBNETS)
                } else {
                    ("sg-", "a security group id", data::limits::VPC_SECURITY_GROUPS)
                };
                let texts = texts(r, value, what);
                for text in &texts {
                    ec2_id(r, Some(text), prefix, what);
                }
                let limit = data::limit(limit);
                let (min, max) = (limit.min.unwrap_or(1) as usize, limit.max.unwrap_or(u64::MAX) as usize);
                // Counted as written (a value that is not a list is reported by `texts`).
                let written = match &value.kind {
                    ExprKind::List(items) => Some(items.len()),
                    _ => None,
                };
                if written.is_some_and(|n| n < min || n > max) {
                    r.report(Diagnostic::new(
                        Code::OutOfRange,
                        format!("a build's VPC takes {min} to {max} {}", m.name.name.replace('_', " ")),
                        r.file,
                        value.span.clone(),
                        format!("{min} to {max}"),
                    ));
                }
                if m.name.name == "subnets" {
                    vpc.subnets = texts;
                } else {
                    vpc.security_groups = texts;
                }
            }
            _ => {}
        }
    }
    for needed in ["id", "subnets", "security_groups"] {
        if !body.members.iter().any(|m| m.name.name == needed) {
            r.report(
                Diagnostic::new(
                    Code::MissingProperty,
                    format!("a build's `vpc` needs `{needed}`"),
                    r.file,
                    member.name.span.clone(),
                    format!("`{needed}` missing"),
                )
                .with_help("write `vpc { id = \"vpc-…\" subnets = [\"subnet-…\"] security_groups = [\"sg-…\"] }`"),
            );
        }
    }
    vpc
}

/// An EC2 id written out: its prefix and hexadecimal digits (`subnet-0123abcd`).
fn ec2_id(r: &mut Reader, text: Option<&Text>, prefix: &str, what: &str) {
    let Some(text) = text else { return };
    let Some(written) = text.literal() else { return };
    let digits = written.strip_prefix(prefix);
    if digits.is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_hexdigit())) {
        return;
    }
    r.report(Diagnostic::new(
        Code::InvalidAwsName,
        format!("`{written}` is not {what}: {prefix} and hexadecimal digits"),
        text.loc.file,
        text.loc.span.clone(),
        format!("not {what}"),
    ));
}

/// An S3 source names an object (a .zip file) or a folder in its bucket, not the bucket alone:
/// CodeBuild reads BUCKET/KEY.
fn s3_object(r: &mut Reader, location: Option<&Text>) {
    let Some(text) = location else { return };
    let Some(written) = text.literal() else { return };
    let written = written.trim_start_matches("s3://");
    if written.split_once('/').is_some_and(|(_, key)| !key.is_empty()) {
        return;
    }
    r.report(
        Diagnostic::new(
            Code::WrongType,
            format!("`{written}` is a bucket: an S3 source is an object in it, \"bucket/path/source.zip\""),
            text.loc.file,
            text.loc.span.clone(),
            "no object key",
        )
        .with_note("CodeBuild reads a .zip object, or a folder ending in `/`, from the bucket"),
    );
}

/// A buildspec in S3 is one object: CodeBuild takes its ARN, `arn:aws:s3:::bucket/key`.
fn buildspec_object(r: &mut Reader, location: Option<&Text>) {
    let Some(text) = location else { return };
    let Some(written) = text.literal() else { return };
    let written = written.trim_start_matches("s3://");
    let why = match written.split_once('/') {
        Some((bucket, key)) if !bucket.is_empty() && !key.is_empty() && !key.ends_with('/') => return,
        Some((_, key)) if key.ends_with('/') => format!("`{written}` is a folder: a buildspec is one object in it"),
        _ => format!("`{written}` is a bucket: a buildspec is one object in it"),
    };
    r.report(
        Diagnostic::new(
            Code::WrongType,
            why,
            text.loc.file,
            text.loc.span.clone(),
            "no object key",
        )
        .with_help("name the object: `s3(\"bucket/path/buildspec.yml\")`"),
    );
}

/// `s3("bucket/key")`: one location, written as text.
fn s3_location(r: &mut Reader, expr: &Expr, args: &[ast::Arg], what: &str) -> Option<Text> {
    let [arg] = args else {
        r.report(Diagnostic::new(
            Code::WrongType,
            format!("{what} takes one location"),
            r.file,
            expr.span.clone(),
            "one argument expected",
        ));
        return None;
    };
    if let Some(name) = &arg.name {
        r.report(Diagnostic::new(
            Code::WrongType,
            format!("`s3` has no argument `{}`", name.name),
            r.file,
            name.span.clone(),
            "unknown argument",
        ));
        return None;
    }
    r.text(&arg.value)
}

/// `output_to = s3("bucket/path", name = "…", zip = true, build_id = true)`.
fn output_to(r: &mut Reader, expr: &Expr) -> Option<S3Output> {
    let args = only_call(
        r,
        expr,
        Calls::OutputTo,
        "an S3 location",
        "s3(\"bucket/path\", name = \"app.zip\", zip = true)",
    )?;
    let mut location = None;
    let mut output = S3Output {
        location: Text {
            pieces: Vec::new(),
            loc: r.loc(&expr.span),
        },
        name: None,
        zip: None,
        build_id: None,
        loc: r.loc(&expr.span),
    };
    for arg in args {
        match arg.name.as_ref().map(|n| n.name.as_str()) {
            None if location.is_none() => location = r.text(&arg.value),
            Some("name") => output.name = r.text(&arg.value),
            Some("zip") => output.zip = r.boolean(&arg.value),
            Some("build_id") => output.build_id = r.boolean(&arg.value),
            _ => r.report(
                Diagnostic::new(
                    Code::WrongType,
                    "`s3` takes a location and `name`, `zip`, `build_id`",
                    r.file,
                    arg.value.span.clone(),
                    "not an argument of `s3`",
                )
                .with_note("s3(\"bucket/path\", name = \"app.zip\", zip = true, build_id = true)"),
            ),
        }
    }
    let Some(location) = location else {
        r.report(Diagnostic::new(
            Code::WrongType,
            "`output_to` needs a location: `s3(\"bucket/path\")`",
            r.file,
            expr.span.clone(),
            "no location",
        ));
        return None;
    };
    output.location = location;
    Some(output)
}

fn project_source(r: &mut Reader, expr: &Expr) -> Option<ProjectSource> {
    let ExprKind::Call { callee, args } = &expr.kind else {
        r.wrong_type(expr, "`github(connection, \"owner/repo\", events = […])`");
        return None;
    };
    let Some(host) = vocabulary::SourceHost::from_word(&callee.name) else {
        let hosts = Calls::ProjectSource.names();
        r.unknown_choice(
            Code::UnknownValue,
            format!("`{}` is not a project source", callee.name),
            callee,
            "unknown source",
            format!("sources: {}", hosts.join(", ")),
            hosts,
        );
        return None;
    };
    let positional: Vec<&ast::Arg> = args.iter().filter(|a| a.name.is_none()).collect();
    let [connection, repo] = positional.as_slice() else {
        r.report(Diagnostic::new(
            Code::WrongType,
            format!("`{}` takes a connection and \"owner/repo\"", callee.name),
            r.file,
            expr.span.clone(),
            "two arguments expected",
        ));
        return None;
    };
    let connection = r.reference(&connection.value, Kind::Connection)?;
    let repo = r.text(&repo.value)?;
    let mut events = Vec::new();
    let mut branch = None;
    let mut files = None;
    let mut exclude_files = None;
    let mut tags = None;
    let mut head_branches = None;
    let mut commit_messages = None;
    let mut exclude_commit_messages = None;
    let mut actors = None;
    let mut comment_approval = None;
    let mut approvers = Vec::new();
    let mut seen: Vec<&ast::Ident> = Vec::new();
    for arg in args {
        let Some(name) = &arg.name else { continue };
        // As with a member given twice, the first is used: a second `comment_approval` must
        // not quietly replace the first.
        if let Some(first) = seen.iter().find(|s| s.name == name.name) {
            r.report(
                Diagnostic::new(
                    Code::DuplicateMember,
                    format!("argument `{}` is given twice", name.name),
                    r.file,
                    name.span.clone(),
                    "given again",
                )
                .with_secondary(r.file, first.span.clone(), "first given here, and used")
                .with_help("remove one of them"),
            );
            continue;
        }
        seen.push(name);
        match name.name.as_str() {
            "events" => {
                for item in r.list(&arg.value, "webhook events").unwrap_or(&[]) {
                    events.extend(r.choice::<WebhookEvent>(item));
                }
            }
            "branch" => branch = r.text(&arg.value),
            "files" => files = text_list(r, &arg.value, "file paths"),
            "exclude_files" => exclude_files = text_list(r, &arg.value, "file paths"),
            "tags" => tags = text_list(r, &arg.value, "tag patterns"),
            "head_branches" => head_branches = text_list(r, &arg.value, "branch patterns"),
            "commit_messages" => commit_messages = text_list(r, &arg.value, "commit message texts"),
            "exclude_commit_messages" => exclude_commit_messages = text_list(r, &arg.value, "commit message texts"),
            "actors" => actors = text_list(r, &arg.value, "account ids"),
            "comment_approval" => comment_approval = r.choice::<CommentApproval>(&arg.value),
            "approvers" => {
                for item in r.list(&arg.value, "approver roles").unwrap_or(&[]) {
                    approvers.extend(r.choice::<ApproverRole>(item));
                }
            }
            other => r.report(
                Diagnostic::new(
                    Code::WrongType,
                    format!("`{}` has no argument `{other}`", callee.name),
                    r.file,
                    name.span.clone(),
                    "unknown argument",
                )
                .with_note(
                    "arguments: events = […], branch = \"…\", head_branches = […], tags = […], files = […], exclude_files = […], commit_messages = […], exclude_commit_messages = […], actors = […], comment_approval = …, approvers = […]",
                ),
            ),
        }
    }
    Some(ProjectSource {
        host: r.at(host, &callee.span),
        connection,
        repo,
        events,
        branch,
        files,
        exclude_files,
        tags,
        head_branches,
        commit_messages,
        exclude_commit_messages,
        actors,
        comment_approval,
        approvers,
        loc: r.loc(&expr.span),
    })
}

/// A list of texts, with the span of the whole list; `None` (reported) when it is no list.
fn text_list(r: &mut Reader, value: &Expr, what: &str) -> Option<At<Vec<Text>>> {
    let items = r.list(value, what)?;
    let texts = items.iter().filter_map(|item| r.text(item)).collect();
    Some(r.at(texts, &value.span))
}

fn pipeline_variable(
    r: &mut Reader,
    label: &ast::Ident,
    value: Option<&Expr>,
    body: Option<&Body>,
) -> PipelineVariable {
    let name = r.at(label.name.as_str().to_owned(), &label.span);
    let as_text = |at: &At<String>| Text {
        pieces: vec![Piece::Lit(at.value.clone())],
        loc: at.loc.clone(),
    };
    aws_name(
        r,
        &Some(as_text(&name)),
        "pipeline_variable_name",
        "pipeline variable name",
    );
    let default = value.and_then(|v| r.text(v));
    aws_name(r, &default, "pipeline_variable_value", "pipeline variable value");
    let mut description = None;
    for m in body.map_or(&[][..], |b| &b.members) {
        if let ("description", Some(v)) = (m.name.name.as_str(), property(m)) {
            description = r.text(v);
        }
    }
    aws_name(
        r,
        &description,
        "pipeline_variable_description",
        "pipeline variable description",
    );
    PipelineVariable {
        name,
        default,
        description,
    }
}

/// A `notify` block, its events of the kind `E` (a project's or a pipeline's).
fn notification<E: Enumerated>(r: &mut Reader, label: &ast::Ident, member: &Member, body: &Body) -> Notification {
    let mut notification = Notification {
        label: r.at(label.name.as_str().to_owned(), &label.span),
        topic: None,
        events: Vec::new(),
        loc: r.loc(&member.span),
    };
    for m in &body.members {
        let Some(v) = property(m) else { continue };
        match m.name.name.as_str() {
            "topic" => notification.topic = r.text(v),
            "events" => {
                for item in r.list(v, "events").unwrap_or(&[]) {
                    if let Some(event) = r.choice::<E>(item) {
                        notification.events.push(At {
                            value: event.value.aws(),
                            loc: event.loc,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    for required in ["topic", "events"] {
        if !body.members.iter().any(|m| m.name.name == required) {
            r.report(
                Diagnostic::new(
                    Code::MissingProperty,
                    format!("`notify {}` has no `{required}`", label.name),
                    r.file,
                    label.span.clone(),
                    format!("`{required}` missing"),
                )
                .with_help(if required == "topic" {
                    "name the SNS topic: `topic = \"arn:aws:sns:REGION:ACCOUNT:NAME\"`"
                } else {
                    "name the events that send a notification: `events = […]`"
                }),
            );
        }
    }
    notification
}

fn trigger_filter(
    r: &mut Reader,
    kind: At<crate::vocabulary::TriggerKind>,
    member: &Member,
    body: &Body,
) -> TriggerFilter {
    let mut filter = TriggerFilter {
        kind,
        lists: Vec::new(),
        events: Vec::new(),
        events_loc: None,
        loc: r.loc(&member.span),
    };
    for m in &body.members {
        let Some(v) = property(m) else { continue };
        if m.name.name == "events" {
            filter.events_loc = Some(r.loc(&v.span));
            filter.events = events(r, v);
            continue;
        }
        filter.lists.push(PatternList {
            name: r.at(m.name.name.as_str().to_owned(), &m.name.span),
            patterns: texts(r, v, "glob patterns"),
            loc: r.loc(&v.span),
        });
    }
    filter
}

/// A pull request filter's `events`.
fn events(r: &mut Reader, v: &Expr) -> Vec<At<crate::vocabulary::PullRequestEvent>> {
    if let Some(bound) = r.bound(v) {
        return r
            .in_argument(bound, v, |r, value| Some(events(r, value)))
            .unwrap_or_default();
    }
    let items = r.list(v, "pull request events").unwrap_or(&[]);
    items.iter().filter_map(|item| r.choice(item)).collect()
}

fn lower_pipeline<'a>(r: &mut Reader<'a>, header: Header, body: &'a Body) -> Pipeline {
    r.pipeline = header.name.clone();
    let mut p = Pipeline {
        header,
        name: None,
        role: None,
        artifact_bucket: None,
        artifact_key: None,
        artifact_stores: Vec::new(),
        stages: Vec::new(),
        allows: Vec::new(),
        variables: Vec::new(),
        execution_mode: None,
        notifications: Vec::new(),
        schedule: None,
    };
    for m in &body.members {
        match (m.name.name.as_str(), &m.kind) {
            ("name", MemberKind::Property(v)) => p.name = r.text(v),
            ("role", MemberKind::Property(v)) => p.role = r.reference(v, Kind::Role),
            (
                "variable",
                MemberKind::Block {
                    label: Some(label),
                    value,
                    body,
                },
            ) => {
                if let Some(first) = p.variables.iter().find(|v| v.name.value == label.name) {
                    r.skip(
                        Diagnostic::new(
                            Code::DuplicateMember,
                            format!("pipeline variable `{}` is declared twice", label.name),
                            r.file,
                            label.span.clone(),
                            "declared again here",
                        )
                        .with_secondary(
                            first.name.loc.file,
                            first.name.loc.span.clone(),
                            "first declared here",
                        ),
                    );
                    continue;
                }
                let variable = pipeline_variable(r, label, value.as_ref(), body.as_ref());
                p.variables.push(variable);
            }
            ("allow", MemberKind::Block { body: Some(allow), .. }) => p.allows.push(lower_allow(r, m, allow)),
            ("artifact_bucket", MemberKind::Property(v)) => p.artifact_bucket = r.text(v),
            ("artifact_key", MemberKind::Property(v)) => {
                p.artifact_key = r.text(v);
                kms_key(r, &p.artifact_key, "the artifact key");
            }
            ("artifact_store", MemberKind::Block { body: Some(b), .. }) => {
                p.artifact_stores.push(artifact_store(r, m, b))
            }
            ("execution_mode", MemberKind::Property(v)) => p.execution_mode = r.choice(v),
            ("schedule", MemberKind::Property(v)) => p.schedule = r.text(v),
            (
                "notify",
                MemberKind::Block {
                    label: Some(label),
                    body: Some(b),
                    ..
                },
            ) => p
                .notifications
                .push(notification::<crate::vocabulary::PipelineNotificationEvent>(
                    r, label, m, b,
                )),
            (
                "stage",
                MemberKind::Block {
                    label: Some(label),
                    value: Some(v),
                    body,
                },
            ) => p.stages.extend(templates::instance(r, label, m, v, body.as_ref())),
            (
                "stage",
                MemberKind::Block {
                    label: Some(label),
                    body: Some(b),
                    ..
                },
            ) => p.stages.push(stage(r, label, m, b)),
            _ => {}
        }
    }
    require_all(r, Kind::Pipeline, &p.header, body);
    aws_name(r, &p.name, "pipeline_name", "pipeline name");
    p
}

fn stage(r: &mut Reader, label: &ast::Ident, member: &Member, body: &Body) -> Stage {
    let mut stage = Stage {
        label: r.at(label.name.as_str().to_owned(), &label.span),
        name: None,
        actions: Vec::new(),
        loc: r.loc(&member.span),
        instance: None,
        on_failure: None,
    };
    stage_members(r, &mut stage, body);
    stage_name(r, &stage);
    stage
}

/// A stage's `name` and actions, read in the reader's file (a template's, for a stage made
/// from one).
pub(super) fn stage_members(r: &mut Reader, stage: &mut Stage, body: &Body) {
    for m in &body.members {
        match (m.name.name.as_str(), &m.kind) {
            ("name", MemberKind::Property(v)) => stage.name = r.text(v),
            ("on_failure", MemberKind::Property(v)) => stage.on_failure = r.choice(v),
            (
                "action",
                MemberKind::Block {
                    label: Some(label),
                    value: Some(v),
                    body: action_body,
                },
            ) => {
                if let Some(action) = action(r, label, m, v, action_body.as_ref()) {
                    stage.actions.push(action);
                }
            }
            _ => {}
        }
    }
}

/// Checks the stage's AWS name: its `name`, or its label.
pub(super) fn stage_name(r: &mut Reader, stage: &Stage) {
    let name_text = stage.name.clone().or_else(|| {
        Some(Text {
            pieces: vec![Piece::Lit(stage.label.value.clone())],
            loc: stage.label.loc.clone(),
        })
    });
    aws_name(r, &name_text, "stage_name", "stage name");
}

fn action(r: &mut Reader, label: &ast::Ident, member: &Member, value: &Expr, body: Option<&Body>) -> Option<Action> {
    let provider = provider(r, value);
    let mut action = Action {
        label: r.at(label.name.as_str().to_owned(), &label.span),
        provider: provider?,
        inputs: Vec::new(),
        outputs: Vec::new(),
        run_order: None,
        namespace: None,
        region: None,
        role: None,
        config: Vec::new(),
        env: Vec::new(),
        triggers: Vec::new(),
        body: body.map(|b| r.loc(&b.span)),
        loc: r.loc(&member.span),
    };
    let label_text = Some(Text {
        pieces: vec![Piece::Lit(label.name.as_str().to_owned())],
        loc: r.loc(&label.span),
    });
    aws_name(r, &label_text, "action_name", "action name");
    for m in body.map(|b| b.members.as_slice()).unwrap_or(&[]) {
        match (m.name.name.as_str(), &m.kind) {
            // `output = Code` was reported as written in the wrong form; read it as meant.
            ("input" | "output", MemberKind::Statement(_) | MemberKind::Property(_)) => {
                let args = match &m.kind {
                    MemberKind::Statement(args) => args.as_slice(),
                    MemberKind::Property(value) => std::slice::from_ref(value),
                    MemberKind::Block { .. } => &[],
                };
                for arg in args {
                    let Some(at) = artifact_name(r, arg) else { continue };
                    if m.name.name == "input" {
                        action.inputs.push(at);
                    } else {
                        action.outputs.push(at);
                    }
                }
            }
            ("run_order", MemberKind::Property(v)) => {
                let limit = data::limit(data::limits::RUN_ORDER);
                action.run_order = r
                    .integer(v, limit.min.unwrap_or(1), limit.max.unwrap_or(999), "`run_order`")
                    .map(|n| At {
                        value: n.value as u32,
                        loc: n.loc,
                    });
            }
            ("namespace", MemberKind::Property(v)) => {
                action.namespace = r.literal(v, "a namespace");
                let text = action.namespace.as_ref().map(|n| Text {
                    pieces: vec![Piece::Lit(n.value.clone())],
                    loc: n.loc.clone(),
                });
                aws_name(r, &text, "action_namespace", "action namespace");
            }
            ("region", MemberKind::Property(v)) => {
                action.region = r.text(v);
                check_region(r, &action.region, "the region the action runs in");
            }
            ("role", MemberKind::Property(v)) => action.role = r.reference(v, Kind::Role),
            (
                "on",
                MemberKind::Block {
                    label: Some(label),
                    body: Some(b),
                    ..
                },
            ) => {
                // A label is a word of the language, never a template parameter's value.
                let scope = r.scope.take();
                let kind = r.choice(&Expr {
                    kind: ExprKind::Name(label.clone()),
                    span: label.span.clone(),
                });
                r.scope = scope;
                let Some(kind) = kind else {
                    continue;
                };
                action.triggers.push(trigger_filter(r, kind, m, b));
            }
            ("env", MemberKind::Block { body: Some(b), .. }) => {
                if action.provider.value.project().is_none() {
                    r.report(
                        Diagnostic::new(
                            Code::UnknownConfiguration,
                            format!("a `{}` action takes no `env`", action.provider.value.name()),
                            r.file,
                            m.name.span.clone(),
                            "only CodeBuild actions set variables",
                        )
                        .with_note("`env` becomes a CodeBuild action's EnvironmentVariables"),
                    );
                    continue;
                }
                let mut scratch = Vec::new();
                action.env = env_vars(r, b, &mut scratch);
            }
            (_, MemberKind::Property(v)) => {
                if let Some(value) = config_value(r, v) {
                    action.config.push(ConfigProperty {
                        key: r.at(m.name.name.as_str().to_owned(), &m.name.span),
                        setting: action.provider.value.spec().setting(&m.name.name),
                        value,
                        loc: r.loc(&m.span),
                    });
                }
            }
            _ => {}
        }
    }
    Some(action)
}

/// An artifact's name in `input` and `output`.
fn artifact_name(r: &mut Reader, arg: &Expr) -> Option<At<String>> {
    through_parameter!(r, arg, artifact_name);
    let ident = match &arg.kind {
        ExprKind::Name(ident) => ident.clone(),
        // A dashed word (`Source-Output`), already reported by the lexer (which made it a
        // string without quotes): read it as the name meant.
        ExprKind::Str(lit)
            if lit
                .as_plain()
                .is_some_and(|t| t.len() == arg.span.len() && t.contains('-')) =>
        {
            ast::Ident {
                name: lit.as_plain().unwrap_or_default().into(),
                span: arg.span.clone(),
            }
        }
        _ => {
            r.wrong_type(arg, "an artifact name");
            return None;
        }
    };
    let text = Some(Text {
        pieces: vec![Piece::Lit(ident.name.as_str().to_owned())],
        loc: r.loc(&ident.span),
    });
    aws_name(r, &text, "artifact_name", "artifact name");
    Some(r.at(ident.name.as_str().to_owned(), &ident.span))
}

/// A provider setting's value: text, a boolean, a number or a list of texts.
fn config_value(r: &mut Reader, v: &Expr) -> Option<ConfigValue> {
    through_parameter!(r, v, config_value);
    match &v.kind {
        ExprKind::Bool(b) => Some(ConfigValue::Bool(*b)),
        ExprKind::Number(n) => Some(ConfigValue::Number(n.clone())),
        ExprKind::List(items) => Some(ConfigValue::List(
            items.iter().filter_map(|i| setting_text(r, i)).collect(),
        )),
        _ => setting_text(r, v).map(ConfigValue::Text),
    }
}

fn provider(r: &mut Reader, expr: &Expr) -> Option<At<Provider>> {
    let loc = r.loc(&expr.span);
    let (callee, args) = match &expr.kind {
        ExprKind::Call { callee, args } => (callee, args.as_slice()),
        ExprKind::Name(ident) => (ident, &[][..]),
        _ => {
            r.wrong_type(expr, "a provider such as `codebuild(project)`");
            return None;
        }
    };
    let name = callee.name.as_str();
    let Some(spec) = vocabulary::provider(name) else {
        let names: Vec<&str> = vocabulary::providers::PROVIDERS.iter().map(|p| p.name).collect();
        r.unknown_choice(
            Code::UnknownProvider,
            format!("`{name}` is not an action provider"),
            callee,
            "unknown provider",
            format!("providers: {}", names.join(", ")),
            names,
        );
        return None;
    };
    let target = match (spec.argument, args) {
        (Some(kind), [arg]) if arg.name.is_none() => Some(r.reference(&arg.value, kind)?.value),
        (Some(kind), _) => {
            r.report(Diagnostic::new(
                Code::ProviderArguments,
                format!("`{name}` takes one argument: {}", kind.article()),
                r.file,
                expr.span.clone(),
                format!("write `{name}({})`", kind.keyword()),
            ));
            return None;
        }
        (None, []) => None,
        (None, _) => {
            r.report(
                Diagnostic::new(
                    Code::ProviderArguments,
                    format!("`{name}` takes no arguments"),
                    r.file,
                    expr.span.clone(),
                    "arguments given",
                )
                .with_help("its settings are properties in the action's body"),
            );
            return None;
        }
    };
    let connection_source = |host| target.map(|connection| Provider::ConnectionSource { host, connection });
    let provider = match spec.kind {
        ProviderKind::GitHub => connection_source(SourceHost::GitHub),
        ProviderKind::Bitbucket => connection_source(SourceHost::Bitbucket),
        ProviderKind::GitLab => connection_source(SourceHost::GitLab),
        ProviderKind::Ecr => target.map(|repository| Provider::EcrSource { repository }),
        ProviderKind::CodeBuild => target.map(|project| Provider::CodeBuild { project, test: false }),
        ProviderKind::CodeBuildTest => target.map(|project| Provider::CodeBuild { project, test: true }),
        ProviderKind::Ecs => target.map(|service| Provider::Ecs { service }),
        ProviderKind::S3Source => Some(Provider::S3Source),
        ProviderKind::CodeCommit => Some(Provider::CodeCommitSource),
        ProviderKind::CodeDeployEcs => Some(Provider::CodeDeployEcs),
        ProviderKind::CodeDeploy => Some(Provider::CodeDeploy),
        ProviderKind::Lambda => Some(Provider::Lambda),
        ProviderKind::S3Deploy => Some(Provider::S3Deploy),
        ProviderKind::CloudFormation => Some(Provider::CloudFormation),
        ProviderKind::Approval => Some(Provider::Approval),
        ProviderKind::InspectorScan => Some(Provider::InspectorScan),
    }?;
    Some(At { value: provider, loc })
}

/// `condition("Operator", "key", value-or-list)`.
fn condition(r: &mut Reader, expr: &Expr) -> Option<Condition> {
    let args = only_call(
        r,
        expr,
        Calls::Condition,
        "a condition",
        "condition(\"StringEquals\", \"iam:PassedToService\", \"ecs-tasks.amazonaws.com\")",
    )?;
    let [operator, key, value] = args else {
        r.report(Diagnostic::new(
            Code::WrongType,
            "`condition` takes an operator, a key and a value (or a list of values)",
            r.file,
            expr.span.clone(),
            "three arguments expected",
        ));
        return None;
    };
    let operator = r.literal(&operator.value, "a condition operator")?;
    let key = r.literal(&key.value, "a condition key")?;
    let values = match &value.value.kind {
        ExprKind::List(items) => items.iter().filter_map(|i| r.text(i)).collect(),
        _ => vec![r.text(&value.value)?],
    };
    Some(Condition { operator, key, values })
}

/// A setting's text. A bare word that names no item (`action_mode = CREATE_UPDATE`) is what
/// AWS's setting values look like: reported (settings are strings) and read as that string.
fn setting_text(r: &mut Reader, expr: &Expr) -> Option<Text> {
    if let ExprKind::Name(ident) = &expr.kind {
        // In a template, a near miss of a parameter is that parameter misspelt, not a word.
        let parameters = r.parameter_names();
        let misspelt = did_you_mean(&ident.name, parameters.iter().map(Name::as_str)).is_some();
        if r.symbols.get(&ident.name).is_none() && r.bound(expr).is_none() && !misspelt {
            r.report(
                Diagnostic::new(
                    Code::WrongType,
                    format!("settings are strings: write \"{}\"", ident.name),
                    r.file,
                    expr.span.clone(),
                    "a bare word",
                )
                .with_fix("quote it", expr.span.clone(), format!("\"{}\"", ident.name)),
            );
            return Some(Text {
                pieces: vec![Piece::Lit(ident.name.as_str().to_owned())],
                loc: r.loc(&expr.span),
            });
        }
    }
    r.text(expr)
}

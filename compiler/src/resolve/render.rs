//! Rendering model values as text, for four targets: literal text (the CLI definitions and the
//! buildspec files, where account, region and parameters are known values), CloudFormation
//! (`Fn::Sub` strings with pseudo-parameters, template parameters and resource attributes),
//! cruddur source (`${{ aws.account }}`…, for fixes that insert code) and samples (literal, with
//! stand-ins for unknown values, for checks that compare ARNs).

use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::model::*;
use crate::resolve::needs::Resource;
use serde_json::{json, Value};
use std::collections::BTreeMap;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Literal,
    CloudFormation,
    /// The inside of a cruddur string, with `${{ … }}` for compile-time values.
    Source,
    /// Literal, never failing: unknown values become stand-ins of the right shape.
    Sample,
}

/// What output needs to turn a program's values into strings.
pub struct Env<'a> {
    pub program: &'a Program,
    /// Parameter values by parameter index (from `--param` or the default); borrowed, as
    /// every output of a program shares them.
    pub params: std::borrow::Cow<'a, [Option<String>]>,
    pub target: Target,
    pub errors: &'a mut Vec<Diagnostic>,
    /// Parameters rendered as CloudFormation parameters.
    pub used_params: std::collections::BTreeSet<usize>,
    /// Problems reported already: each is reported once, however often the value is used.
    pub reported: rustc_hash::FxHashSet<Problem>,
    /// How many values rendered so far had a missing piece (reported or not): a value with
    /// one is not judged again, as its mistake is the missing piece.
    gaps: usize,
    /// The account ARNs are rendered in instead of the program's, while the permissions of a
    /// role of another account are written: what its actions act on is in its account.
    pub account_override: Option<String>,
    /// The Region ARNs are rendered in instead of the program's, while the needs of an action
    /// in another Region are written.
    pub region_override: Option<String>,
    /// The fields being rendered, innermost last: a field whose text reads itself (E0214,
    /// reported by the resolver) renders as nothing instead of without end.
    rendering: Vec<(ItemId, Field)>,
}

/// A value output needs that is missing or invalid.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Problem {
    /// `aws { account }` or `aws { region }` is not written.
    AwsValue(Field),
    Param(usize),
    ConnectionArn(usize),
    /// A value written at this place is not valid where it is used.
    Invalid(Loc),
}

/// What a sample environment renders for a parameter with no default: its value is known
/// only at build time, so checks must not judge text that holds it.
pub const UNKNOWN: &str = "\u{E000}";

impl Env<'_> {
    /// A sample environment: renders without errors, for checks.
    pub fn sample<'p>(program: &'p Program, errors: &'p mut Vec<Diagnostic>) -> Env<'p> {
        let defaults: Vec<_> = program
            .params
            .iter()
            .map(|p| p.default.as_ref().map(|d| d.value.clone()))
            .collect();
        Env::new(program, defaults, Target::Sample, errors)
    }

    /// An environment that writes cruddur source, for fixes.
    pub fn source<'p>(program: &'p Program, errors: &'p mut Vec<Diagnostic>) -> Env<'p> {
        Env::new(program, Vec::new(), Target::Source, errors)
    }

    /// An environment for `target` with parameter values by parameter index.
    pub fn new<'p>(
        program: &'p Program,
        params: impl Into<std::borrow::Cow<'p, [Option<String>]>>,
        target: Target,
        errors: &'p mut Vec<Diagnostic>,
    ) -> Env<'p> {
        Env {
            program,
            params: params.into(),
            target,
            errors,
            used_params: Default::default(),
            reported: Default::default(),
            gaps: 0,
            account_override: None,
            region_override: None,
            rendering: Vec::new(),
        }
    }

    fn missing(&mut self, problem: Problem, loc: &Loc, message: String, help: String) {
        self.gaps += 1;
        if matches!(self.target, Target::Sample | Target::Source) || !self.reported.insert(problem) {
            return;
        }
        self.errors.push(
            Diagnostic::new(Code::MissingValue, message, loc.file, loc.span.clone(), "needed here")
                .with_help(help)
                .with_note("the CLI definitions need it; the CloudFormation template does not (parameters stay template parameters, a connection is created by the stack): `cruddur build --form cloudformation` writes the template alone"),
        );
    }

    /// The account id, or `${AWS::AccountId}` for CloudFormation.
    pub fn account(&mut self, why: &Loc) -> String {
        if let Some(account) = &self.account_override {
            return account.clone();
        }
        match self.target {
            Target::CloudFormation => "${AWS::AccountId}".into(),
            Target::Source => "${{ aws.account }}".into(),
            _ => {
                let text = self.program.aws.as_ref().and_then(|a| a.account.clone());
                self.aws_value(text, Field::Account, why)
            }
        }
    }

    pub fn region(&mut self, why: &Loc) -> String {
        if let Some(region) = &self.region_override {
            return region.clone();
        }
        match self.target {
            Target::CloudFormation => "${AWS::Region}".into(),
            Target::Source => "${{ aws.region }}".into(),
            _ => {
                let text = self.program.aws.as_ref().and_then(|a| a.region.clone());
                self.aws_value(text, Field::Region, why)
            }
        }
    }

    fn aws_value(&mut self, text: Option<Text>, field: Field, why: &Loc) -> String {
        let account = field == Field::Account;
        // Any account or region will do for the shape of an ARN.
        let sample = if account { "123456789012" } else { "us-east-1" };
        let word = field.word();
        match text {
            Some(text) => {
                let gaps = self.gaps;
                let value = self.text(&text);
                if self.target == Target::Sample && value.contains(UNKNOWN) {
                    return sample.into();
                }
                if self.gaps != gaps {
                    return value;
                }
                // A value given with `--param` was never checked: check it where it is used.
                let problem = if account {
                    (value.len() != 12 || !value.bytes().all(|b| b.is_ascii_digit()))
                        .then_some("not an AWS account id (12 digits)")
                } else {
                    crate::resolve::lower::region_problem(&value)
                };
                if let (Target::Literal, Some(what)) = (self.target, problem) {
                    if self.reported.insert(Problem::Invalid(text.loc.clone())) {
                        self.errors.push(Diagnostic::new(
                            Code::InvalidAwsName,
                            format!("`{value}` is {what}"),
                            text.loc.file,
                            text.loc.span.clone(),
                            format!("the {word} used in ARNs"),
                        ));
                    }
                }
                value
            }
            None if self.target == Target::Sample => sample.into(),
            None => {
                self.missing(
                    Problem::AwsValue(field),
                    why,
                    format!("the AWS {word} is needed for an ARN here, and the program has no `aws {{ {word} = … }}`"),
                    format!("add `{word} = …` to the `aws` block (a `param` lets you pass it with `--param`)"),
                );
                String::new()
            }
        }
    }

    /// Renders text. For CloudFormation the result is the body of an `Fn::Sub` (`${` in
    /// literal text escaped as `${!`).
    pub fn text(&mut self, text: &Text) -> String {
        let mut out = String::new();
        for piece in &text.pieces {
            match piece {
                Piece::Lit(lit) => match self.target {
                    Target::Literal | Target::Sample => out.push_str(lit),
                    Target::CloudFormation => out.push_str(&lit.replace("${", "${!")),
                    Target::Source => {
                        out.push_str(&lit.replace('\\', "\\\\").replace('"', "\\\"").replace("${{", "\\${{"))
                    }
                },
                Piece::Aws { field, loc } => {
                    let value = match field {
                        Field::Account => self.account(loc),
                        Field::Region => self.region(loc),
                        // The resolver lets through only `aws.account` and `aws.region`.
                        _ => String::new(),
                    };
                    out.push_str(&value);
                }
                Piece::Param { param, loc } => out.push_str(&self.param(*param, loc)),
                Piece::Field { item, field, loc } => {
                    let value = self.field(*item, *field, loc);
                    out.push_str(&value);
                }
            }
        }
        out
    }

    /// `text` with no compile-time pieces left as `${…}` (Literal), or an `Fn::Sub` value.
    pub fn value(&mut self, text: &Text) -> Value {
        let rendered = self.text(text);
        self.wrap(rendered)
    }

    /// The ARN of an S3 object written `bucket/key` (or `s3://bucket/key`), rendered: how
    /// CodeBuild names a buildspec kept in S3, and what its role reads.
    pub fn s3_object_arn(&mut self, location: &Text) -> String {
        format!("arn:aws:s3:::{}", self.text(location).trim_start_matches("s3://"))
    }

    /// A rendered string as a JSON value: `Fn::Sub` when it holds substitutions.
    pub fn wrap(&self, rendered: String) -> Value {
        match self.target {
            Target::CloudFormation if needs_sub(&rendered) => json!({ "Fn::Sub": rendered }),
            Target::CloudFormation => Value::String(rendered.replace("${!", "${")),
            Target::Literal | Target::Source | Target::Sample => Value::String(rendered),
        }
    }

    fn param(&mut self, index: usize, loc: &Loc) -> String {
        let Some(param) = self.program.params.get(index) else {
            return String::new();
        };
        match self.target {
            Target::CloudFormation => {
                self.used_params.insert(index);
                return format!("${{{}}}", logical_id(&param.header.name, ""));
            }
            Target::Source => return format!("${{{{ {} }}}}", param.header.name),
            _ => {}
        }
        match self.params.get(index).cloned().flatten() {
            Some(value) => value,
            None if self.target == Target::Sample => UNKNOWN.into(),
            None => {
                let name = param.header.name.clone();
                self.missing(
                    Problem::Param(index),
                    loc,
                    format!("parameter `{name}` has no value"),
                    format!("pass it: `--param {name}=VALUE`, or give the parameter a default"),
                );
                String::new()
            }
        }
    }

    /// `field` of the item of `kind` at `index`.
    fn field_of(&mut self, kind: Kind, index: usize, field: Field, loc: &Loc) -> String {
        self.field(ItemId { kind, index }, field, loc)
    }

    /// `item.field`.
    pub fn field(&mut self, item: ItemId, field: Field, loc: &Loc) -> String {
        if self.target == Target::Source && !matches!(item.kind, Kind::Param | Kind::Let) {
            let name = self.program.header(item).map(|h| h.name.clone()).unwrap_or_default();
            return format!("${{{{ {name}.{} }}}}", field.word());
        }
        if self.rendering.contains(&(item, field)) {
            return String::new();
        }
        self.rendering.push((item, field));
        let value = self.field_value(item, field, loc);
        self.rendering.pop();
        value
    }

    fn field_value(&mut self, item: ItemId, field: Field, loc: &Loc) -> String {
        let program = self.program;
        let text = |text: &Option<Text>, env: &mut Self| text.as_ref().map(|t| env.text(t)).unwrap_or_default();
        match (item.kind, field) {
            (Kind::Repository, Field::Name) => text(&program.repositories[item.index].name, self),
            (Kind::Repository, Field::Uri) => {
                let name = text(&program.repositories[item.index].name, self);
                format!(
                    "{}.dkr.ecr.{}.amazonaws.com/{name}",
                    self.account(loc),
                    self.region(loc)
                )
            }
            (Kind::Repository, Field::Arn) => {
                let name = text(&program.repositories[item.index].name, self);
                format!(
                    "arn:aws:ecr:{}:{}:repository/{name}",
                    self.region(loc),
                    self.account(loc)
                )
            }
            (Kind::Connection, Field::Name) => text(&program.connections[item.index].name, self),
            (Kind::Connection, Field::Arn) => self.connection_arn(item.index, loc),
            (Kind::Service, Field::Cluster) => text(&program.services[item.index].cluster, self),
            (Kind::Service, Field::Name) => text(&program.services[item.index].name, self),
            (Kind::Service, Field::Container) => text(&program.services[item.index].containers.first().cloned(), self),
            (Kind::Role, Field::Name) => self.role_name(item.index),
            (Kind::Role, Field::Arn) => match &program.roles[item.index].arn {
                Some(arn) => self.text(arn),
                None => {
                    let name = self.role_name(item.index);
                    format!("arn:aws:iam::{}:role/{name}", self.account(loc))
                }
            },
            (Kind::Project, Field::Name) => text(&program.projects[item.index].name, self),
            (Kind::Project, Field::Arn) => {
                let name = text(&program.projects[item.index].name, self);
                format!(
                    "arn:aws:codebuild:{}:{}:project/{name}",
                    self.region(loc),
                    self.account(loc)
                )
            }
            (Kind::Pipeline, Field::Name) => text(&program.pipelines[item.index].name, self),
            (Kind::Pipeline, Field::Arn) => {
                let name = text(&program.pipelines[item.index].name, self);
                format!("arn:aws:codepipeline:{}:{}:{name}", self.region(loc), self.account(loc))
            }
            (Kind::Pipeline, Field::ArtifactBucket) => self.artifact_bucket(item.index),
            // The resolver lets through only the fields the vocabulary gives each kind.
            _ => String::new(),
        }
    }

    /// A declared role's name in AWS: its `name`, or the item's name.
    fn role_name(&mut self, index: usize) -> String {
        let role = &self.program.roles[index];
        match (&role.arn, &role.name) {
            // The name is the ARN's last part (after any path).
            (Some(arn), _) => {
                let arn = self.text(arn);
                arn.rsplit('/').next().unwrap_or_default().to_string()
            }
            (None, Some(name)) => self.text(name),
            (None, None) => role.header.name.clone(),
        }
    }

    pub fn connection_arn(&mut self, index: usize, loc: &Loc) -> String {
        let connection = &self.program.connections[index];
        match (&connection.arn, self.target) {
            (_, Target::Source) => format!("${{{{ {}.arn }}}}", connection.header.name),
            (Some(arn), Target::Literal) => {
                let gaps = self.gaps;
                let value = self.text(arn);
                let valid = self.gaps != gaps
                    || ["arn:aws:codeconnections:", "arn:aws:codestar-connections:"]
                        .iter()
                        .any(|p| value.starts_with(p))
                        && value.contains(":connection/");
                if !valid && self.reported.insert(Problem::Invalid(arn.loc.clone())) {
                    self.errors.push(Diagnostic::new(
                        Code::InvalidAwsName,
                        format!(
                            "`{value}` is not a connection ARN (arn:aws:codeconnections:REGION:ACCOUNT:connection/ID)"
                        ),
                        arn.loc.file,
                        arn.loc.span.clone(),
                        "the connection's ARN",
                    ));
                }
                value
            }
            (Some(arn), _) => self.text(arn),
            (None, Target::CloudFormation) => format!("${{{}}}", logical_id(&connection.header.name, "Connection")),
            (None, Target::Sample) => format!(
                "arn:aws:codestar-connections:{}:{}:connection/x",
                self.region(loc),
                self.account(loc)
            ),
            (None, Target::Literal) => {
                let name = connection.header.name.clone();
                self.missing(
                    Problem::ConnectionArn(index),
                    loc,
                    format!("connection `{name}` has no ARN for the CLI definitions"),
                    "a connection's ARN is known only once it exists (a person approves it once in the console): create it, then give the connection `arn = …`, from a `param`".to_string(),
                );
                String::new()
            }
        }
    }

    /// A text setting of an action (`stack`, `function`, `role_arn`), rendered for a policy's
    /// resource: a pipeline variable (`#{ns.NAME}`) is known only when the action runs, so it
    /// becomes `*` (a policy naming the text as written would match nothing).
    fn action_setting(&mut self, at: ActionRef, key: &str) -> Option<String> {
        let action = self.program.action(at)?;
        match &action.config(key)?.value {
            ConfigValue::Text(text) => Some(without_pipeline_variables(&self.text(text))),
            _ => None,
        }
    }

    /// The name of the S3 bucket that holds a pipeline's artifacts.
    pub fn artifact_bucket(&mut self, pipeline: usize) -> String {
        let p = &self.program.pipelines[pipeline];
        match &p.artifact_bucket {
            Some(bucket) => self.text(bucket),
            None if self.target == Target::CloudFormation => "${ArtifactBucket}".into(),

            None => {
                // The pipeline's own account, even while another account's role is written.
                let loc = p.header.loc.clone();
                let other = (self.account_override.take(), self.region_override.take());
                let bucket = format!("cruddur-artifacts-{}-{}", self.account(&loc), self.region(&loc));
                (self.account_override, self.region_override) = other;
                bucket
            }
        }
    }

    /// The ARNs a need applies to, in the Region of the action that needs it.
    pub fn need_arns(&mut self, need: &super::needs::Need) -> Vec<String> {
        let region = need
            .region
            .as_ref()
            .map(|r| self.text(r))
            .or(self.region_override.clone());
        let saved = std::mem::replace(&mut self.region_override, region);
        let arns = self.resource_arns(&need.resource, &need.why);
        self.region_override = saved;
        arns
    }

    /// ARNs a permission applies to.
    pub fn resource_arns(&mut self, resource: &Resource, why: &Loc) -> Vec<String> {
        let program = self.program;
        match resource {
            Resource::Any | Resource::Unmodelled => vec!["*".into()],
            Resource::Role(i) => vec![self.field_of(Kind::Role, *i, Field::Arn, why)],
            Resource::ImageRepository(arn) => vec![arn.clone()],
            Resource::ActionRoleArn(at) => self.action_setting(*at, "role_arn").into_iter().collect(),
            Resource::Stack(at) => match self.action_setting(*at, "stack") {
                Some(stack) => vec![format!(
                    "arn:aws:cloudformation:{}:{}:stack/{stack}/*",
                    self.region(why),
                    self.account(why)
                )],
                None => vec!["*".into()],
            },
            Resource::ClusterTasks(i) => {
                let cluster = self.field_of(Kind::Service, *i, Field::Cluster, why);
                let (region, account) = (self.region(why), self.account(why));
                vec![
                    format!("arn:aws:ecs:{region}:{account}:task/{cluster}/*"),
                    format!("arn:aws:ecs:{region}:{account}:container-instance/{cluster}/*"),
                ]
            }
            Resource::ScannedRepository(at) => match self.action_setting(*at, "repository") {
                Some(name) => vec![format!(
                    "arn:aws:ecr:{}:{}:repository/{name}",
                    self.region(why),
                    self.account(why)
                )],
                None => vec!["*".into()],
            },
            Resource::PipelineLogs(p) => {
                let name = self.field_of(Kind::Pipeline, *p, Field::Name, why);
                let base = format!(
                    "arn:aws:logs:{}:{}:log-group:/aws/codepipeline/{name}",
                    self.region(why),
                    self.account(why)
                );
                vec![base.clone(), format!("{base}:*")]
            }
            Resource::AnyTaskDefinition => vec![format!(
                "arn:aws:ecs:{}:{}:task-definition/*",
                self.region(why),
                self.account(why)
            )],
            Resource::AnyRole => vec![format!("arn:aws:iam::{}:role/*", self.account(why))],
            Resource::SourceObject(at) => match (self.action_setting(*at, "bucket"), self.action_setting(*at, "key")) {
                (Some(bucket), Some(key)) => {
                    vec![format!("arn:aws:s3:::{bucket}"), format!("arn:aws:s3:::{bucket}/{key}")]
                }
                (Some(bucket), None) => vec![format!("arn:aws:s3:::{bucket}"), format!("arn:aws:s3:::{bucket}/*")],
                _ => vec!["*".into()],
            },
            Resource::CacheObjects(i) | Resource::CacheBucket(i) => {
                let Some(location) = program.projects.get(*i).and_then(|p| p.cache_location.as_ref()) else {
                    return Vec::new();
                };
                let location = self.text(location);
                let location = location.trim_start_matches("s3://").trim_end_matches('/');
                let (bucket, prefix) = location.split_once('/').unwrap_or((location, ""));
                match resource {
                    Resource::CacheBucket(_) => vec![format!("arn:aws:s3:::{bucket}")],
                    _ if prefix.is_empty() => vec![format!("arn:aws:s3:::{bucket}/*")],
                    _ => vec![format!("arn:aws:s3:::{bucket}/{prefix}/*")],
                }
            }
            Resource::S3SourceObject(i) => {
                let Some(source) = program.projects.get(*i).and_then(|p| p.s3_source.as_ref()) else {
                    return Vec::new();
                };
                let location = self.text(source);
                let location = location.trim_start_matches("s3://");
                // A folder source (`bucket/path/`) is read object by object.
                if location.ends_with('/') {
                    vec![format!("arn:aws:s3:::{location}*")]
                } else {
                    vec![format!("arn:aws:s3:::{location}")]
                }
            }
            Resource::S3BuildspecObject(i) => match program.projects.get(*i).and_then(|p| p.buildspec_s3.as_ref()) {
                Some(object) => vec![self.s3_object_arn(object)],
                None => Vec::new(),
            },
            Resource::S3OutputObjects(i) => {
                let Some(output) = program.projects.get(*i).and_then(|p| p.output_to.as_ref()) else {
                    return Vec::new();
                };
                let location = self.text(&output.location);
                let (bucket, path) = S3Output::split(&location);
                if path.is_empty() {
                    vec![format!("arn:aws:s3:::{bucket}/*")]
                } else {
                    vec![format!("arn:aws:s3:::{bucket}/{path}/*")]
                }
            }
            Resource::VpcParts(i) => {
                let (region, account) = (self.region(why), self.account(why));
                let mut arns = vec![format!("arn:aws:ec2:{region}:{account}:network-interface/*")];
                if let Some(vpc) = program.projects.get(*i).and_then(|p| p.vpc.as_ref()) {
                    for subnet in &vpc.subnets {
                        arns.push(format!("arn:aws:ec2:{region}:{account}:subnet/{}", self.text(subnet)));
                    }
                    for group in &vpc.security_groups {
                        arns.push(format!(
                            "arn:aws:ec2:{region}:{account}:security-group/{}",
                            self.text(group)
                        ));
                    }
                }
                arns
            }
            Resource::RegistrySecret(i) => match program
                .projects
                .get(*i)
                .and_then(|p| p.environment.registry_credential.as_ref())
            {
                Some(secret) => {
                    let id = self.text(secret);
                    self.secret_arn(id, why)
                }
                None => Vec::new(),
            },
            Resource::S3Buckets(i) => {
                let Some(project) = program.projects.get(*i) else {
                    return Vec::new();
                };
                let mut buckets = Vec::new();
                if let Some(source) = &project.s3_source {
                    let location = self.text(source);
                    buckets.push(S3Output::split(&location).0.to_string());
                }
                if let Some(output) = &project.output_to {
                    let location = self.text(&output.location);
                    buckets.push(S3Output::split(&location).0.to_string());
                }
                buckets.sort();
                buckets.dedup();
                buckets.into_iter().map(|b| format!("arn:aws:s3:::{b}")).collect()
            }
            Resource::CodeCommitRepository(at) => match self.action_setting(*at, "repository") {
                Some(name) => vec![format!(
                    "arn:aws:codecommit:{}:{}:{name}",
                    self.region(why),
                    self.account(why)
                )],
                None => vec!["*".into()],
            },
            Resource::DeployBucket(at) => match self.action_setting(*at, "bucket") {
                Some(bucket) => vec![format!("arn:aws:s3:::{bucket}/*")],
                None => vec!["*".into()],
            },
            Resource::DeploymentGroup(at) => match (
                self.action_setting(*at, "application"),
                self.action_setting(*at, "deployment_group"),
            ) {
                (Some(app), Some(group)) => {
                    let (region, account) = (self.region(why), self.account(why));
                    vec![
                        format!("arn:aws:codedeploy:{region}:{account}:application:{app}"),
                        format!("arn:aws:codedeploy:{region}:{account}:deploymentgroup:{app}/{group}"),
                        format!("arn:aws:codedeploy:{region}:{account}:deploymentconfig:*"),
                    ]
                }
                _ => vec!["*".into()],
            },
            Resource::Topic(at) => match self.action_setting(*at, "notification_arn") {
                Some(topic) => vec![topic],
                None => vec!["*".into()],
            },
            Resource::Function(at) => match self.action_setting(*at, "function") {
                Some(function) if function.starts_with("arn:") => vec![function],
                Some(function) => vec![format!(
                    "arn:aws:lambda:{}:{}:function:{function}",
                    self.region(why),
                    self.account(why)
                )],
                None => vec!["*".into()],
            },
            Resource::Repository(i) => vec![self.field_of(Kind::Repository, *i, Field::Arn, why)],
            Resource::LogGroup(i) => {
                let project = &program.projects[*i];
                let group = match &project.logs_group {
                    Some(group) => self.text(group),
                    None => format!("/aws/codebuild/{}", self.field_of(Kind::Project, *i, Field::Name, why)),
                };
                let base = format!(
                    "arn:aws:logs:{}:{}:log-group:{group}",
                    self.region(why),
                    self.account(why)
                );
                vec![base.clone(), format!("{base}:*")]
            }
            Resource::ArtifactBucket(p) => {
                // The pipeline's own bucket, and those of its stores in other Regions.
                let mut buckets = vec![self.artifact_bucket(*p)];
                for store in &program.pipelines[*p].artifact_stores {
                    buckets.extend(store.bucket.as_ref().map(|b| self.text(b)));
                }
                buckets
                    .iter()
                    .flat_map(|bucket| [format!("arn:aws:s3:::{bucket}"), format!("arn:aws:s3:::{bucket}/*")])
                    .collect()
            }
            Resource::ArtifactKey(p) => super::needs::artifact_keys(&program.pipelines[*p])
                .map(|key| self.text(key))
                .collect(),
            Resource::ProjectKey(i) => program.projects[*i]
                .encryption_key
                .as_ref()
                .map(|key| self.text(key))
                .into_iter()
                .collect(),
            Resource::Connection(i) => vec![self.connection_arn(*i, why)],
            Resource::Project(i) => vec![self.field_of(Kind::Project, *i, Field::Arn, why)],
            Resource::Service(i) => {
                let cluster = self.field_of(Kind::Service, *i, Field::Cluster, why);
                let name = self.field_of(Kind::Service, *i, Field::Name, why);
                vec![format!(
                    "arn:aws:ecs:{}:{}:service/{cluster}/{name}",
                    self.region(why),
                    self.account(why)
                )]
            }
            Resource::ServiceRoles(i) => {
                let service = &program.services[*i];
                let mut arns = Vec::new();
                for role in [&service.task_role, &service.execution_role].into_iter().flatten() {
                    let name = self.text(role);
                    arns.push(if name.starts_with("arn:") {
                        name
                    } else {
                        format!("arn:aws:iam::{}:role/{name}", self.account(why))
                    });
                }
                arns
            }
            Resource::TaskDefinition(i) => {
                let family = program.services[*i]
                    .task_family
                    .clone()
                    .map(|f| self.text(&f))
                    .unwrap_or_else(|| "*".into());
                let suffix = if family == "*" {
                    "*".to_string()
                } else {
                    format!("{family}:*")
                };
                vec![format!(
                    "arn:aws:ecs:{}:{}:task-definition/{suffix}",
                    self.region(why),
                    self.account(why)
                )]
            }
            Resource::ReportGroups(i) => {
                // Groups the project creates are named `<project>-<label>`; a buildspec file
                // may name an existing group by its ARN instead.
                let reports = program.projects.get(*i).map_or(&[][..], |p| &p.reports[..]);
                let mut arns: Vec<String> = reports
                    .iter()
                    .filter(|r| r.label.value.starts_with("arn:"))
                    .map(|r| r.label.value.clone())
                    .collect();
                if reports.iter().any(|r| !r.label.value.starts_with("arn:")) {
                    let name = self.field_of(Kind::Project, *i, Field::Name, why);
                    arns.insert(
                        0,
                        format!(
                            "arn:aws:codebuild:{}:{}:report-group/{name}-*",
                            self.region(why),
                            self.account(why)
                        ),
                    );
                }
                arns
            }
            Resource::Parameter { project, var } => match env_source(program, *project, *var) {
                Some(path) => {
                    let path = self.text(path);
                    self.parameter_arn(path, why)
                }
                None => Vec::new(),
            },
            Resource::Secret { project, var } => match env_source(program, *project, *var) {
                Some(id) => {
                    let id = self.text(id);
                    self.secret_arn(id, why)
                }
                None => Vec::new(),
            },
            // A pipeline variable in the name is resolved when the action runs: any value.
            Resource::ActionParameter { at, var } => match action_env_source(program, *at, *var) {
                Some(path) => {
                    let path = without_pipeline_variables(&self.text(path));
                    self.parameter_arn(path, why)
                }
                None => Vec::new(),
            },
            Resource::ActionSecret { at, var } => match action_env_source(program, *at, *var) {
                Some(id) => {
                    let id = without_pipeline_variables(&self.text(id));
                    self.secret_arn(id, why)
                }
                None => Vec::new(),
            },
        }
    }

    /// A Parameter Store parameter, by its name or ARN.
    fn parameter_arn(&mut self, path: String, why: &Loc) -> Vec<String> {
        if path.starts_with("arn:") {
            return vec![path];
        }
        vec![format!(
            "arn:aws:ssm:{}:{}:parameter/{}",
            self.region(why),
            self.account(why),
            path.trim_start_matches('/')
        )]
    }

    /// A Secrets Manager secret. CodeBuild reads `secret-id:json-key:version-stage:version-id`,
    /// and the secret id is a name or an ARN (`arn:aws:secretsmanager:R:A:secret:NAME-xxxxxx`,
    /// seven fields). A name's ARN ends in a random six-character suffix.
    fn secret_arn(&mut self, id: String, why: &Loc) -> Vec<String> {
        if id.starts_with("arn:") {
            return vec![id.split(':').take(7).collect::<Vec<_>>().join(":")];
        }
        let name = id.split(':').next().unwrap_or(&id).to_string();
        vec![format!(
            "arn:aws:secretsmanager:{}:{}:secret:{name}-??????",
            self.region(why),
            self.account(why)
        )]
    }
}

/// The name or ARN a CodeBuild action's `env` variable reads.
fn action_env_source(program: &Program, at: ActionRef, var: usize) -> Option<&Text> {
    match &program.action(at)?.env.get(var)?.value {
        EnvValue::ParameterStore(text) | EnvValue::SecretsManager(text) => Some(text),
        EnvValue::Plain(_) => None,
    }
}

/// The name or ARN a project's `env` variable reads from Parameter Store or Secrets Manager.
fn env_source(program: &Program, project: usize, var: usize) -> Option<&Text> {
    match &program.projects.get(project)?.env.get(var)?.value {
        EnvValue::ParameterStore(text) | EnvValue::SecretsManager(text) => Some(text),
        EnvValue::Plain(_) => None,
    }
}

fn needs_sub(rendered: &str) -> bool {
    let mut rest = rendered;
    while let Some(at) = rest.find("${") {
        if !rest[at + 2..].starts_with('!') {
            return true;
        }
        rest = &rest[at + 3..];
    }
    false
}

/// A CloudFormation logical id: `backend_flask` + `Repository` → `BackendFlaskRepository`.
/// `text` with each `#{…}` replaced by `*`.
pub fn without_pipeline_variables(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("#{") {
        let Some(end) = rest[at..].find('}') else { break };
        out.push_str(&rest[..at]);
        out.push('*');
        rest = &rest[at + end + 1..];
    }
    out.push_str(rest);
    out
}

pub fn logical_id(name: &str, suffix: &str) -> String {
    let mut id = String::new();
    for part in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            id.push(first.to_ascii_uppercase());
            id.push_str(chars.as_str());
        }
    }
    id.push_str(suffix);
    id
}

/// Parameter values from `--param NAME=VALUE` and defaults, by parameter index.
pub fn param_values(program: &Program, given: &BTreeMap<String, String>) -> Vec<Option<String>> {
    program
        .params
        .iter()
        .map(|p| {
            given
                .get(&p.header.name)
                .cloned()
                .or_else(|| p.default.as_ref().map(|d| d.value.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceMap;

    /// Every field the vocabulary gives a kind renders to something.
    #[test]
    fn every_field_of_every_kind_renders() {
        let text = "aws {\n  account = \"123456789012\"\n  region = \"us-east-1\"\n}\nconnection c {\n  name = \"cc\"\n  provider = GitHub\n}\nrepository r {\n  name = \"rr\"\n}\nservice s {\n  cluster = \"k\"\n  name = \"s\"\n  container = \"c\"\n}\nrole o {\n  trust = [codebuild]\n}\nproject p {\n  name = \"pp\"\n}\npipeline q {\n  name = \"qq\"\n}\n";
        let mut sources = SourceMap::new();
        let file = sources.add("fields", text);
        let analysis = crate::analyze(&sources, &[file]);
        let mut errors = Vec::new();
        let mut env = Env::sample(&analysis.program, &mut errors);
        for &kind in Kind::ALL {
            for spec in kind.fields() {
                let value = env.field(ItemId { kind, index: 0 }, spec.field, &Loc::default());
                assert!(!value.is_empty(), "{}.{} renders nothing", kind.keyword(), spec.name);
            }
        }
    }
}

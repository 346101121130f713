//! Two resources of one kind with one AWS name: AWS keeps one (CodeBuild, CodePipeline) or
//! refuses the second (IAM, whose role names ignore case), so the program cannot be created
//! as written. Judged on names known at check time; names built from parameters are left to
//! `cruddur build`, which refuses to write two files with one name.

use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::model::*;
use std::collections::BTreeMap;

/// A Parameter Store name as `PutParameter` takes it
/// (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html):
/// letters, digits and `_.-`, with `/` between the levels of a hierarchy, whose name then
/// starts with `/`; at most fifteen levels; not starting with `aws` or `ssm`.
fn parameter_name_problem(name: &str) -> Option<(String, Option<String>)> {
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/')))
    {
        return Some((
            format!("`{c}` is not allowed (letters, digits, `_.-`, and `/` between levels)"),
            None,
        ));
    }
    if name.contains('/') && !name.starts_with('/') {
        return Some(("a name in a hierarchy starts with `/`".into(), Some(format!("/{name}"))));
    }
    let first = name
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if first.starts_with("aws") || first.starts_with("ssm") {
        return Some(("a name cannot start with `aws` or `ssm`".into(), None));
    }
    if name.matches('/').count() > 15 {
        return Some(("a hierarchy has at most fifteen levels".into(), None));
    }
    None
}

fn parameter_names(program: &Program, out: &mut Vec<Diagnostic>) {
    for var in program.projects.iter().flat_map(|p| &p.env) {
        let EnvValue::ParameterStore(text) = &var.value else {
            continue;
        };
        let Some(name) = text.literal() else { continue };
        if let Some(problem) = parameter_name_problem(&name) {
            out.push(not_a_name(
                text,
                &name,
                "a Parameter Store name",
                "not a parameter name",
                problem,
            ));
        }
    }
}

/// E0209 for a name AWS would refuse, with the name meant as a fix when it is mechanical.
fn not_a_name(
    text: &Text,
    name: &str,
    what: &str,
    label: &str,
    (problem, fixed): (String, Option<String>),
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::InvalidAwsName,
        format!("`{name}` is not {what}: {problem}"),
        text.loc.file,
        text.loc.span.clone(),
        label,
    );
    match fixed {
        Some(fixed) => d.with_fix(
            format!("write `{fixed}`"),
            text.loc.span.clone(),
            format!("\"{fixed}\""),
        ),
        None => d,
    }
}

/// What no S3 bucket name has ever been: cruddur names existing buckets, and buckets made
/// before March 2018 in us-east-1 may have upper case, `_` and up to 255 characters, so only
/// the rules of every era are applied (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html,
/// "Legacy bucket naming rules"). A bucket-style access point alias (`…-s3alias`) is
/// accepted where a bucket name is. Returns the problem and, when mechanical, the name meant.
fn bucket_name_problem(name: &str) -> Option<(String, Option<String>)> {
    if let Some(rest) = name.strip_prefix("s3://") {
        let fixed = (!rest.trim_end_matches('/').contains('/') && !rest.is_empty())
            .then(|| rest.trim_end_matches('/').to_string());
        return Some(("a bucket name is written without `s3://`".into(), fixed));
    }
    // An ARN with a key after the bucket says more than the bucket: no fix guesses it.
    if let Some(rest) = name.strip_prefix("arn:aws:s3:::") {
        let fixed = (!rest.contains('/') && !rest.is_empty()).then(|| rest.to_string());
        return Some(("this is the bucket's ARN; the setting takes its name".into(), fixed));
    }
    if name.contains('/') {
        return Some((
            "a bucket name has no `/`: a path inside the bucket is an object key".into(),
            None,
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
    {
        return Some((format!("`{c}` is not allowed (letters, digits, `.`, `-`, `_`)"), None));
    }
    if name.len() < 3 || name.len() > 255 {
        return Some((
            "a bucket name has 3 to 63 characters (255 for buckets made before March 2018)".into(),
            None,
        ));
    }
    None
}

fn bucket_names(program: &Program, out: &mut Vec<Diagnostic>) {
    let settings = program
        .pipelines
        .iter()
        .flat_map(|p| &p.stages)
        .flat_map(|s| &s.actions)
        .filter(|a| matches!(a.provider.value, Provider::S3Source | Provider::S3Deploy))
        .filter_map(|a| match &a.config("bucket")?.value {
            ConfigValue::Text(text) => Some(text),
            _ => None,
        });
    let stores = program.pipelines.iter().flat_map(|p| {
        p.artifact_bucket
            .iter()
            .chain(p.artifact_stores.iter().filter_map(|s| s.bucket.as_ref()))
    });
    for text in settings.chain(stores) {
        bucket_name(text, out);
    }
    // A cache location, an S3 source and an S3 output are `bucket/…`: the bucket is the part
    // before the first `/`.
    let locations = program.projects.iter().flat_map(|p| {
        p.cache_location
            .iter()
            .chain(p.s3_source.iter())
            .chain(p.output_to.iter().map(|o| &o.location))
    });
    for text in locations {
        let Some(location) = text.literal() else { continue };
        if location.starts_with("s3://") || location.starts_with("arn:") {
            bucket_name(text, out);
            continue;
        }
        let bucket = location.split('/').next().unwrap_or_default();
        if let Some((problem, _)) = bucket_name_problem(bucket) {
            out.push(not_a_name(
                text,
                bucket,
                "an S3 bucket name",
                "not a bucket name",
                (problem, None),
            ));
        }
    }
}

/// E0209 for a bucket name AWS would refuse.
fn bucket_name(text: &Text, out: &mut Vec<Diagnostic>) {
    let Some(name) = text.literal() else { return };
    // A pipeline variable is resolved at run time.
    if name.contains("#{") {
        return;
    }
    if let Some(problem) = bucket_name_problem(&name) {
        out.push(not_a_name(
            text,
            &name,
            "an S3 bucket name",
            "not a bucket name",
            problem,
        ));
    }
}

pub fn check(program: &Program, out: &mut Vec<Diagnostic>) {
    parameter_names(program, out);
    bucket_names(program, out);
    for group in program.projects.iter().filter_map(|p| p.logs_group.as_ref()) {
        out.extend(crate::resolve::lower::invalid_name(
            group,
            "log_group_name",
            "CloudWatch Logs group name",
        ));
    }
    // A second project or pipeline of a name is reported once, not again for its role.
    let mut projects = Names::new("CodeBuild project", false);
    let project_names: Vec<Option<(String, Loc)>> = program
        .projects
        .iter()
        .map(|p| {
            literal(&p.name).filter(|(name, loc)| projects.add(name, loc, format!("project `{}`", p.header.name), out))
        })
        .collect();
    let mut pipelines = Names::new("pipeline", false);
    let pipeline_names: Vec<Option<(String, Loc)>> = program
        .pipelines
        .iter()
        .map(|p| {
            literal(&p.name)
                .filter(|(name, loc)| pipelines.add(name, loc, format!("pipeline `{}`", p.header.name), out))
        })
        .collect();
    let mut roles = Names::new("IAM role", true);
    // An existing role (named by its `arn`) has its name already.
    for role in program.roles.iter().filter(|r| r.arn.is_none()) {
        let owner = format!("role `{}`", role.header.name);
        match literal(&role.name) {
            Some((name, loc)) => roles.add(&name, &loc, owner, out),
            None if role.name.is_none() => roles.add(&role.header.name, &role.header.loc, owner, out),
            None => true,
        };
    }
    // Inferred roles are named after their project or pipeline.
    for (project, name) in program.projects.iter().zip(&project_names) {
        if let (None, Some((name, loc))) = (&project.role, name) {
            let owner = format!("the inferred role of project `{}`", project.header.name);
            roles.add(&role_name(name, "codebuild"), loc, owner, out);
        }
    }
    for (pipeline, name) in program.pipelines.iter().zip(&pipeline_names) {
        if let (None, Some((name, loc))) = (&pipeline.role, name) {
            let owner = format!("the inferred role of pipeline `{}`", pipeline.header.name);
            roles.add(&role_name(name, "codepipeline"), loc, owner, out);
        }
    }
}

fn literal(text: &Option<Text>) -> Option<(String, Loc)> {
    let text = text.as_ref()?;
    Some((text.literal()?.into_owned(), text.loc.clone()))
}

struct Names {
    kind: &'static str,
    ignore_case: bool,
    /// By key (the name, lower-cased where AWS ignores case): where, whose, as written.
    seen: BTreeMap<String, (Loc, String, String)>,
}

impl Names {
    fn new(kind: &'static str, ignore_case: bool) -> Self {
        Names {
            kind,
            ignore_case,
            seen: BTreeMap::new(),
        }
    }

    /// Records a name; false, and reported, when it is taken.
    fn add(&mut self, name: &str, loc: &Loc, owner: String, out: &mut Vec<Diagnostic>) -> bool {
        let key = if self.ignore_case {
            name.to_lowercase()
        } else {
            name.to_string()
        };
        let Some((first_loc, first_owner, first_name)) = self.seen.get(&key) else {
            self.seen.insert(key, (loc.clone(), owner, name.to_string()));
            return true;
        };
        let case = if first_name != name {
            " (IAM role names ignore case)"
        } else {
            ""
        };
        out.push(
            Diagnostic::new(
                Code::DuplicateAwsName,
                format!(
                    "{owner} and {first_owner} would both be the {} `{name}`{case}",
                    self.kind
                ),
                loc.file,
                loc.span.clone(),
                "second use of the name",
            )
            .with_secondary(
                first_loc.file,
                first_loc.span.clone(),
                format!("{first_owner} is named here"),
            )
            .with_help(
                "AWS names of one kind must differ within an account and region: give one of them another `name`",
            ),
        );
        false
    }
}

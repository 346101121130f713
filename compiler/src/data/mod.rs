//! Facts about AWS, generated from cited sources by the scripts in `tools/` and embedded at
//! build time. Each JSON file names its generator and source; none is edited by hand. Their
//! text is borrowed in place (`&'static str`), so loading a table allocates little: every
//! run of the CLI pays for the tables it reads.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A CodePipeline action type: artifact counts and configuration keys.
#[derive(Debug)]
pub struct ActionType {
    pub category: &'static str,
    pub owner: &'static str,
    pub provider: &'static str,
    pub version: &'static str,
    /// (min, max)
    pub input_artifacts: (u32, u32),
    pub output_artifacts: (u32, u32),
    pub configuration: &'static [ConfigKey],
    pub docs_page: &'static str,
}

#[derive(Debug)]
pub struct ConfigKey {
    pub name: &'static str,
    pub required: bool,
    pub values: &'static [&'static str],
}

/// Source: `tools/gen_action_types.py` from the AWS CodePipeline User Guide action reference.
/// Every CLI run that checks a pipeline reads this table, so it is generated as Rust data
/// (`action_types.rs`, beside the JSON it mirrors) rather than decoded at each start.
pub fn action_types() -> &'static [ActionType] {
    static TABLE: &[ActionType] = include!("action_types.rs");
    TABLE
}

pub fn action_type(category: &str, provider: &str) -> Option<&'static ActionType> {
    action_types()
        .iter()
        .find(|t| t.category == category && t.provider == provider)
}

/// A CodeBuild curated image and the runtime versions it installs.
#[derive(Debug, Deserialize)]
pub struct CodeBuildImage {
    pub identifier: &'static str,
    pub aliases: Vec<&'static str>,
    pub architecture: &'static str,
    pub os: &'static str,
    pub runtimes: BTreeMap<&'static str, Vec<&'static str>>,
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
struct CodeBuildImages {
    images: Vec<CodeBuildImage>,
}

/// Source: `tools/gen_codebuild_runtimes.py` from the images' published `runtimes.yml`.
pub fn codebuild_images() -> &'static [CodeBuildImage] {
    static TABLE: OnceLock<Vec<CodeBuildImage>> = OnceLock::new();
    TABLE.get_or_init(|| {
        serde_json::from_str::<CodeBuildImages>(include_str!("codebuild_images.json"))
            .expect("embedded codebuild_images.json is valid")
            .images
    })
}

pub fn codebuild_image(identifier: &str) -> Option<&'static CodeBuildImage> {
    codebuild_images()
        .iter()
        .find(|image| image.identifier == identifier || image.aliases.contains(&identifier))
}

/// A length, pattern or range constraint from AWS's API models.
#[derive(Debug, Deserialize)]
pub struct Limit {
    pub service: &'static str,
    pub shape: &'static str,
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub pattern: Option<String>,
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
struct Limits {
    limits: BTreeMap<&'static str, Limit>,
}

/// The names of the limits the language's values are held to.
pub mod limits {
    /// A project's `timeout`, in minutes.
    pub const BUILD_TIMEOUT: &str = "build_timeout_minutes";
    /// A project's `queued_timeout`, in minutes.
    pub const QUEUED_TIMEOUT: &str = "queued_timeout_minutes";
    /// An action's `run_order`.
    pub const RUN_ORDER: &str = "run_order";
    /// The subnets of a build's `vpc`.
    pub const VPC_SUBNETS: &str = "vpc_subnets";
    /// The security groups of a build's `vpc`.
    pub const VPC_SECURITY_GROUPS: &str = "vpc_security_groups";
}

/// Source: `tools/gen_aws_limits.py` from botocore's service models.
pub fn limit(name: &str) -> &'static Limit {
    limits_table()
        .get(name)
        .unwrap_or_else(|| panic!("aws_limits.json has no limit `{name}`"))
}

fn limits_table() -> &'static BTreeMap<&'static str, Limit> {
    static TABLE: OnceLock<BTreeMap<&'static str, Limit>> = OnceLock::new();
    TABLE.get_or_init(|| {
        serde_json::from_str::<Limits>(include_str!("aws_limits.json"))
            .expect("embedded aws_limits.json is valid")
            .limits
    })
}

/// Whether `value` meets the limit's length and (anchored) pattern.
pub fn check_name(name: &str, value: &str) -> Result<(), String> {
    let limit = limit(name);
    let length = value.chars().count() as u64;
    if let Some(min) = limit.min.filter(|&min| length < min) {
        return Err(format!("at least {min} characters"));
    }
    if let Some(max) = limit.max.filter(|&max| length > max) {
        return Err(format!("at most {max} characters (this one has {length})"));
    }
    if let Some(pattern) = limit.pattern.as_deref() {
        if !pattern::matches_whole(pattern, value) {
            return Err(format!("must match `{pattern}`"));
        }
    }
    Ok(())
}

/// A CodePipeline quota on a pipeline's shape.
#[derive(Debug, Deserialize)]
pub struct Quota {
    pub min: Option<usize>,
    pub max: usize,
    /// The row of AWS's quotas page it comes from.
    pub row: &'static str,
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
struct Quotas {
    quotas: BTreeMap<&'static str, Quota>,
}

/// The names of the quotas the checker holds pipelines to.
pub mod quotas {
    pub const STAGES_PER_PIPELINE: &str = "stages_per_pipeline";
    pub const ACTIONS_PER_STAGE: &str = "actions_per_stage";
    pub const ACTIONS_PER_PIPELINE: &str = "actions_per_pipeline";
}

/// Source: `tools/gen_pipeline_quotas.py` from the CodePipeline User Guide's quotas page.
pub fn pipeline_quota(name: &str) -> &'static Quota {
    static TABLE: OnceLock<BTreeMap<&'static str, Quota>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            serde_json::from_str::<Quotas>(include_str!("pipeline_quotas.json"))
                .expect("embedded pipeline_quotas.json is valid")
                .quotas
        })
        .get(name)
        .unwrap_or_else(|| panic!("pipeline_quotas.json has no quota `{name}`"))
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
struct PipelineVariables {
    defined: BTreeMap<&'static str, Vec<&'static str>>,
}

/// The output variables CodePipeline documents for an action provider whose variable keys are
/// fixed (`CodeStarSourceConnection`, `ECR`, `S3` sources…); `None` for the others.
/// Source: `tools/gen_pipeline_variables.py` from the CodePipeline User Guide's variables
/// reference.
pub fn pipeline_variables(provider: &str) -> Option<&'static [&'static str]> {
    static TABLE: OnceLock<BTreeMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            serde_json::from_str::<PipelineVariables>(include_str!("pipeline_variables.json"))
                .expect("embedded pipeline_variables.json is valid")
                .defined
        })
        .get(provider)
        .map(Vec::as_slice)
}

#[derive(Deserialize)]
struct Variable {
    name: &'static str,
    doc: &'static str,
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
struct Variables {
    variables: Vec<Variable>,
}

/// The environment variables CodeBuild sets in every build, with a line of documentation.
/// Source: `tools/gen_codebuild_variables.py` from the CodeBuild User Guide, "Environment
/// variables in build environments".
pub fn codebuild_variables() -> impl Iterator<Item = (&'static str, &'static str)> {
    static TABLE: OnceLock<Vec<Variable>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            serde_json::from_str::<Variables>(include_str!("codebuild_variables.json"))
                .expect("embedded codebuild_variables.json is valid")
                .variables
        })
        .iter()
        .map(|v| (v.name, v.doc))
}

/// The documentation of a variable CodeBuild sets.
pub fn codebuild_variable(name: &str) -> Option<&'static str> {
    codebuild_variables().find(|(n, _)| *n == name).map(|(_, doc)| doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The action types as Rust data hold exactly what action_types.json holds (both are written
    /// by tools/gen_action_types.py; an edit to one alone fails here).
    #[test]
    fn action_types_as_rust_data_match_the_json() {
        let json: serde_json::Value = serde_json::from_str(include_str!("action_types.json")).unwrap();
        let written: Vec<serde_json::Value> = action_types()
            .iter()
            .map(|t| {
                serde_json::json!({
                    "category": t.category,
                    "owner": t.owner,
                    "provider": t.provider,
                    "version": t.version,
                    "input_artifacts": [t.input_artifacts.0, t.input_artifacts.1],
                    "output_artifacts": [t.output_artifacts.0, t.output_artifacts.1],
                    "configuration": t.configuration.iter().map(|c| {
                        let mut key = serde_json::json!({ "name": c.name, "required": c.required });
                        if !c.values.is_empty() {
                            key["values"] = serde_json::json!(c.values);
                        }
                        key
                    }).collect::<Vec<_>>(),
                    "docs_page": t.docs_page,
                })
            })
            .collect();
        assert_eq!(json["action_types"], serde_json::Value::Array(written));
    }

    #[test]
    fn tables_load_and_hold_what_the_checker_needs() {
        assert_eq!(action_types().len(), 28);
        let codebuild = action_type("Build", "CodeBuild").unwrap();
        assert_eq!(
            (codebuild.input_artifacts, codebuild.output_artifacts),
            ((1, 5), (0, 5))
        );
        let ecs = action_type("Deploy", "ECS").unwrap();
        assert_eq!(ecs.input_artifacts, (1, 1));
        let image = codebuild_image("aws/codebuild/amazonlinux2-x86_64-standard:5.0").unwrap();
        assert_eq!(image.identifier, "aws/codebuild/amazonlinux-x86_64-standard:5.0");
        assert!(image.runtimes["python"].contains(&"3.12"));
        assert!(codebuild_variable("CODEBUILD_RESOLVED_SOURCE_VERSION").is_some());
        assert!(codebuild_variable("AWS_REGION").is_some());
        assert_eq!(pipeline_quota(quotas::STAGES_PER_PIPELINE).min, Some(2));
        assert!(pipeline_quota(quotas::ACTIONS_PER_STAGE).max >= 50);
    }

    #[test]
    fn names_are_checked_against_aws_patterns() {
        assert!(check_name("pipeline_name", "cruddur-backend-fargate").is_ok());
        assert!(check_name("pipeline_name", "has space").is_err());
        assert!(check_name("project_name", "-leading-dash").is_err());
        assert!(check_name("repository_name", "backend-flask").is_ok());
        assert!(check_name("repository_name", "Backend").is_err());
        assert!(check_name("connection_name", &"x".repeat(33)).is_err());
    }
}

pub mod iam;
mod pattern;

//! Facts about AWS, generated from cited sources by the scripts in `tools/` and embedded at
//! build time. Each JSON file names its generator and source; none is edited by hand. Their
//! text is borrowed in place (`&'static str`), so loading a table allocates little: every
//! run of the CLI pays for the tables it reads.

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
#[derive(Debug)]
pub struct CodeBuildImage {
    pub identifier: &'static str,
    pub aliases: &'static [&'static str],
    pub architecture: &'static str,
    pub os: &'static str,
    /// By runtime name, sorted.
    pub runtimes: &'static [(&'static str, &'static [&'static str])],
}

impl CodeBuildImage {
    /// The versions of a runtime the image installs.
    pub fn runtime(&self, name: &str) -> Option<&'static [&'static str]> {
        self.runtimes
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, versions)| *versions)
    }

    /// Whether a `runtime-versions` entry installs on the image: a version it lists, its
    /// `<major>.x`, `latest`, or a variable's value (known at run time).
    pub fn installs(&self, name: &str, wanted: &str) -> bool {
        self.runtime(name).is_some_and(|versions| {
            wanted == "latest"
                || wanted.contains('$')
                || versions.contains(&wanted)
                || wanted
                    .strip_suffix(".x")
                    .is_some_and(|major| versions.iter().any(|v| v.split('.').next() == Some(major)))
        })
    }
}

// The tables below, like the action types, are Rust data written by tools/gen_rust_tables.py
// from the JSON beside them (which their own generators write from the cited sources): every
// CLI run reads some of them, and nothing is decoded when it starts.

/// Source: `tools/gen_codebuild_runtimes.py` from the images' published `runtimes.yml`.
pub fn codebuild_images() -> &'static [CodeBuildImage] {
    static TABLE: &[CodeBuildImage] = include!("codebuild_images.rs");
    TABLE
}

pub fn codebuild_image(identifier: &str) -> Option<&'static CodeBuildImage> {
    codebuild_images()
        .iter()
        .find(|image| image.identifier == identifier || image.aliases.contains(&identifier))
}

/// A length, pattern or range constraint from AWS's API models.
#[derive(Debug)]
pub struct Limit {
    pub service: &'static str,
    pub shape: &'static str,
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub pattern: Option<&'static str>,
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
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, limit)| limit)
        .unwrap_or_else(|| panic!("aws_limits.json has no limit `{name}`"))
}

fn limits_table() -> &'static [(&'static str, Limit)] {
    static TABLE: &[(&str, Limit)] = include!("aws_limits.rs");
    TABLE
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
    if let Some(pattern) = limit.pattern {
        if !pattern::matches_whole(pattern, value) {
            return Err(format!("must match `{pattern}`"));
        }
    }
    Ok(())
}

/// A CodePipeline quota on a pipeline's shape.
#[derive(Debug)]
pub struct Quota {
    pub min: Option<usize>,
    pub max: usize,
    /// The row of AWS's quotas page it comes from.
    pub row: &'static str,
}

/// The names of the quotas the checker holds pipelines to.
pub mod quotas {
    pub const STAGES_PER_PIPELINE: &str = "stages_per_pipeline";
    pub const ACTIONS_PER_STAGE: &str = "actions_per_stage";
    pub const ACTIONS_PER_PIPELINE: &str = "actions_per_pipeline";
}

/// Source: `tools/gen_pipeline_quotas.py` from the CodePipeline User Guide's quotas page.
pub fn pipeline_quota(name: &str) -> &'static Quota {
    static TABLE: &[(&str, Quota)] = include!("pipeline_quotas.rs");
    TABLE
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, quota)| quota)
        .unwrap_or_else(|| panic!("pipeline_quotas.json has no quota `{name}`"))
}

/// The output variables CodePipeline documents for an action provider whose variable keys are
/// fixed (`CodeStarSourceConnection`, `ECR`, `S3` sources…); `None` for the others.
/// Source: `tools/gen_pipeline_variables.py` from the CodePipeline User Guide's variables
/// reference.
pub fn pipeline_variables(provider: &str) -> Option<&'static [&'static str]> {
    static TABLE: &[(&str, &[&str])] = include!("pipeline_variables.rs");
    TABLE.iter().find(|(p, _)| *p == provider).map(|(_, keys)| *keys)
}

struct Variable {
    name: &'static str,
    doc: &'static str,
}

/// The environment variables CodeBuild sets in every build, with a line of documentation.
/// Source: `tools/gen_codebuild_variables.py` from the CodeBuild User Guide, "Environment
/// variables in build environments".
pub fn codebuild_variables() -> impl Iterator<Item = (&'static str, &'static str)> {
    static TABLE: &[Variable] = include!("codebuild_variables.rs");
    TABLE.iter().map(|v| (v.name, v.doc))
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

    /// The tables gen_rust_tables.py writes as Rust data hold what their JSON holds.
    #[test]
    fn small_tables_as_rust_data_match_their_json() {
        use serde_json::{json, Value};
        let read = |text: &str| -> Value { serde_json::from_str(text).unwrap() };

        let images: Vec<Value> = codebuild_images()
            .iter()
            .map(|i| {
                let runtimes: serde_json::Map<String, Value> =
                    i.runtimes.iter().map(|(n, v)| (n.to_string(), json!(v))).collect();
                json!({ "identifier": i.identifier, "aliases": i.aliases, "architecture": i.architecture,
                        "os": i.os, "runtimes": runtimes })
            })
            .collect();
        assert_eq!(read(include_str!("codebuild_images.json"))["images"], json!(images));

        let mut limits = read(include_str!("aws_limits.json"))["limits"].clone();
        for limit in limits.as_object_mut().unwrap().values_mut() {
            limit.as_object_mut().unwrap().remove("type"); // not read by the compiler
        }
        let written: serde_json::Map<String, Value> = limits_table()
            .iter()
            .map(|(name, l)| {
                let mut limit = json!({ "service": l.service, "shape": l.shape });
                for (key, value) in [("min", l.min), ("max", l.max)] {
                    if let Some(value) = value {
                        limit[key] = json!(value);
                    }
                }
                if let Some(pattern) = l.pattern {
                    limit["pattern"] = json!(pattern);
                }
                (name.to_string(), limit)
            })
            .collect();
        assert_eq!(limits, Value::Object(written));

        let quotas = read(include_str!("pipeline_quotas.json"))["quotas"].clone();
        for (name, quota) in quotas.as_object().unwrap() {
            let written = pipeline_quota(name);
            assert_eq!(quota["max"], json!(written.max), "{name}");
            assert_eq!(
                quota.get("min").cloned().unwrap_or(Value::Null),
                json!(written.min),
                "{name}"
            );
            assert_eq!(quota["row"], json!(written.row), "{name}");
        }

        let variables = read(include_str!("pipeline_variables.json"))["defined"].clone();
        for (provider, keys) in variables.as_object().unwrap() {
            assert_eq!(*keys, json!(pipeline_variables(provider).unwrap()), "{provider}");
        }

        let written: Vec<Value> = codebuild_variables()
            .map(|(name, doc)| json!({ "name": name, "doc": doc }))
            .collect();
        assert_eq!(
            read(include_str!("codebuild_variables.json"))["variables"],
            json!(written)
        );
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
        assert!(image.runtime("python").unwrap().contains(&"3.12"));
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

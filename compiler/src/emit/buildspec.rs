//! Buildspec version 0.2 for a project: env, phases (runtime versions, commands, finally,
//! on-failure, run-as), reports, artifacts (with the `imagedefinitions.json` an ECS deploy
//! reads) and cache. Serialized with serde-saphyr, which quotes every string that YAML would
//! otherwise read as something else (`yes`, `3.10`, `12:30`…).

use crate::resolve::model::*;
use crate::resolve::render::Env;
use crate::vocabulary::{Enumerated, PhaseName};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
pub struct Buildspec {
    version: f64,
    #[serde(skip_serializing_if = "BuildEnv::is_empty")]
    env: BuildEnv,
    phases: Phases,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    reports: BTreeMap<String, ReportGroup>,
    #[serde(skip_serializing_if = "Option::is_none")]
    artifacts: Option<Artifacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cache: Option<Cache>,
}

impl Buildspec {
    fn empty() -> Buildspec {
        Buildspec {
            version: 0.2,
            env: BuildEnv::default(),
            phases: Phases::default(),
            reports: BTreeMap::new(),
            artifacts: None,
            cache: None,
        }
    }
}

#[derive(Serialize, Default)]
struct BuildEnv {
    #[serde(skip_serializing_if = "Option::is_none")]
    shell: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    variables: BTreeMap<String, String>,
    #[serde(rename = "parameter-store", skip_serializing_if = "BTreeMap::is_empty")]
    parameter_store: BTreeMap<String, String>,
    #[serde(rename = "secrets-manager", skip_serializing_if = "BTreeMap::is_empty")]
    secrets_manager: BTreeMap<String, String>,
    #[serde(rename = "exported-variables", skip_serializing_if = "Vec::is_empty")]
    exported_variables: Vec<String>,
}

impl BuildEnv {
    fn is_empty(&self) -> bool {
        self.shell.is_none()
            && self.variables.is_empty()
            && self.parameter_store.is_empty()
            && self.secrets_manager.is_empty()
            && self.exported_variables.is_empty()
    }
}

#[derive(Serialize, Default)]
struct Phases {
    #[serde(skip_serializing_if = "Option::is_none")]
    install: Option<Phase>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pre_build: Option<Phase>,
    #[serde(skip_serializing_if = "Option::is_none")]
    build: Option<Phase>,
    #[serde(skip_serializing_if = "Option::is_none")]
    post_build: Option<Phase>,
}

#[derive(Serialize, Default)]
struct Phase {
    #[serde(rename = "run-as", skip_serializing_if = "Option::is_none")]
    run_as: Option<String>,
    #[serde(rename = "on-failure", skip_serializing_if = "Option::is_none")]
    on_failure: Option<String>,
    #[serde(rename = "runtime-versions", skip_serializing_if = "BTreeMap::is_empty")]
    runtime_versions: BTreeMap<String, String>,
    commands: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    finally: Vec<String>,
}

#[derive(Serialize)]
struct ReportGroup {
    files: Vec<String>,
    #[serde(rename = "base-directory", skip_serializing_if = "Option::is_none")]
    base_directory: Option<String>,
    #[serde(rename = "file-format", skip_serializing_if = "Option::is_none")]
    file_format: Option<String>,
}

#[derive(Serialize, Default)]
struct Artifacts {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    files: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(rename = "base-directory", skip_serializing_if = "Option::is_none")]
    base_directory: Option<String>,
    #[serde(rename = "discard-paths", skip_serializing_if = "Option::is_none")]
    discard_paths: Option<String>,
    #[serde(rename = "secondary-artifacts", skip_serializing_if = "BTreeMap::is_empty")]
    secondary_artifacts: BTreeMap<String, Artifacts>,
}

#[derive(Serialize)]
struct Cache {
    paths: Vec<String>,
}

/// The file the ECS deploy action reads.
pub use crate::resolve::artifacts::IMAGE_DEFINITIONS_FILE;

/// A shell word that is exactly `text`.
pub fn single_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// A shell word that expands `$VARIABLES` in `text` but nothing else.
pub fn double_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if matches!(c, '"' | '\\' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

pub fn buildspec(env: &mut Env, project: &Project) -> Buildspec {
    let mut spec = Buildspec::empty();
    spec.env.shell = project.shell.as_ref().map(|s| s.value.aws().to_string());
    // CodeBuild does not expand `$VARIABLES` in `env.variables`: a value that refers to
    // other variables is set by the first command instead, where the shell expands it.
    let mut exports = Vec::new();
    for var in &project.env {
        let name = var.name.value.clone();
        match &var.value {
            EnvValue::Plain(text) if text.literal_runs().any(|run| run.contains('$')) => {
                exports.push(format!("export {name}={}", double_quote(&env.text(text))));
                None
            }
            EnvValue::Plain(text) => spec.env.variables.insert(name, env.text(text)),
            EnvValue::ParameterStore(text) => spec.env.parameter_store.insert(name, env.text(text)),
            EnvValue::SecretsManager(text) => spec.env.secrets_manager.insert(name, env.text(text)),
        };
    }
    spec.env.exported_variables = project.exported.iter().map(|v| v.value.clone()).collect();

    for phase in &project.phases {
        let mut out = Phase {
            run_as: phase.run_as.as_ref().map(|r| env.text(r)),
            on_failure: phase.on_failure.as_ref().map(|f| f.value.aws().to_string()),
            runtime_versions: BTreeMap::new(),
            commands: phase.commands.iter().map(|c| command(env, c)).collect(),
            finally: phase.finally.iter().map(|c| command(env, c)).collect(),
        };
        if phase.name.value == PhaseName::Install {
            out.runtime_versions = runtime_versions(project);
        }
        *phase_slot(&mut spec.phases, phase.name.value) = Some(out);
    }
    if !project.runtimes.is_empty() && spec.phases.install.is_none() {
        spec.phases.install = Some(Phase {
            runtime_versions: runtime_versions(project),
            ..Phase::default()
        });
    }
    if !exports.is_empty() {
        let phases = &mut spec.phases;
        let first = [
            &mut phases.install,
            &mut phases.pre_build,
            &mut phases.build,
            &mut phases.post_build,
        ]
        .into_iter()
        .find(|p| p.is_some());
        let slot = match first {
            Some(slot) => slot,
            None => &mut phases.pre_build,
        };
        let phase = slot.get_or_insert_with(Phase::default);
        phase.commands.splice(0..0, exports);
    }

    let mut artifacts = Artifacts::default();
    match project.outputs.first() {
        Some(ProjectOutput::ImageDefinitions {
            service,
            images,
            digest,
            ..
        }) => {
            let service = env.program.services.get(service.value);
            let by_digest = digest.as_ref().is_some_and(|d| d.value);
            let mut format = Vec::new();
            let mut values = Vec::new();
            for (n, image) in images.iter().enumerate() {
                let container = service
                    .and_then(|s| s.container_of(image))
                    .map(|c| env.text(c))
                    .unwrap_or_default();
                format.push(r#"{"name":"%s","imageUri":"%s"}"#);
                values.push(single_quote(&container));
                let uri = env.text(&image.image);
                if by_digest {
                    let (command, variable) = digest_of(env, &uri, n + 1, &image.loc);
                    spec.phases
                        .post_build
                        .get_or_insert_with(Phase::default)
                        .commands
                        .push(command);
                    values.push(variable);
                } else {
                    values.push(double_quote(&uri));
                }
            }
            // printf writes exactly the JSON: the container names are fixed text, the image
            // URIs may hold shell variables and are expanded by the shell. The file goes to
            // the source root, where `artifacts.files` looks, whatever directory a command left.
            let write = format!(
                "printf '[{}]' {} > \"$CODEBUILD_SRC_DIR/{IMAGE_DEFINITIONS_FILE}\"",
                format.join(","),
                values.join(" ")
            );
            spec.phases
                .post_build
                .get_or_insert_with(Phase::default)
                .commands
                .push(write);
            artifacts.files.push(IMAGE_DEFINITIONS_FILE.to_string());
        }
        Some(ProjectOutput::Files {
            patterns,
            base_directory,
            ..
        }) => {
            artifacts.files = patterns.iter().map(|p| env.text(p)).collect();
            artifacts.base_directory = base_directory.as_ref().map(|b| env.text(b));
        }
        None => {}
    }
    for secondary in &project.artifacts {
        artifacts.secondary_artifacts.insert(
            secondary.label.value.clone(),
            Artifacts {
                files: secondary.files.iter().map(|f| env.text(f)).collect(),
                name: secondary.name.as_ref().map(|n| env.text(n)),
                base_directory: secondary.base_directory.as_ref().map(|b| env.text(b)),
                discard_paths: secondary
                    .discard_paths
                    .as_ref()
                    .map(|d| if d.value { "yes" } else { "no" }.to_string()),
                secondary_artifacts: BTreeMap::new(),
            },
        );
    }
    if !artifacts.files.is_empty() || !artifacts.secondary_artifacts.is_empty() {
        spec.artifacts = Some(artifacts);
    }
    for report in &project.reports {
        spec.reports.insert(
            report.label.value.clone(),
            ReportGroup {
                files: report.files.iter().map(|f| env.text(f)).collect(),
                base_directory: report.base_directory.as_ref().map(|b| env.text(b)),
                file_format: report.format.as_ref().map(|f| f.value.aws().to_string()),
            },
        );
    }
    if !project.cache_paths.is_empty() {
        spec.cache = Some(Cache {
            paths: project.cache_paths.iter().map(|p| env.text(p)).collect(),
        });
    }
    spec
}

fn phase_slot(phases: &mut Phases, name: PhaseName) -> &mut Option<Phase> {
    match name {
        PhaseName::Install => &mut phases.install,
        PhaseName::PreBuild => &mut phases.pre_build,
        PhaseName::Build => &mut phases.build,
        PhaseName::PostBuild => &mut phases.post_build,
    }
}

fn runtime_versions(project: &Project) -> BTreeMap<String, String> {
    project
        .runtimes
        .iter()
        .map(|r| (r.name.value.clone(), r.version.value.clone()))
        .collect()
}

fn command(env: &mut Env, command: &Command) -> String {
    match command {
        Command::Shell(text) => env.text(text),
        Command::EcrLogin(repo) => {
            let region = env.region(&repo.loc);
            let registry = format!("{}.dkr.ecr.{region}.amazonaws.com", env.account(&repo.loc));
            format!("aws ecr get-login-password --region {region} | docker login --username AWS --password-stdin {registry}")
        }
    }
}

/// The buildspec as YAML text.
pub fn to_yaml(spec: &Buildspec) -> String {
    // Commands stay on one line each (folding long ones with `>` reads back the same, but is
    // harder to read); commands with line breaks become literal blocks (`|`).
    let mut options = serde_saphyr::SerializerOptions::default();
    options.folded_wrap_chars = 100_000;
    options.min_fold_chars = 100_000;
    let mut text = serde_saphyr::to_string_with_options(spec, options).unwrap_or_default();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// The YAML of a buildspec whose build phase runs `commands`, for round-trip tests.
pub fn commands_yaml(commands: &[String]) -> String {
    let mut spec = Buildspec::empty();
    spec.phases.build = Some(Phase {
        commands: commands.to_vec(),
        ..Phase::default()
    });
    to_yaml(&spec)
}

/// The command that reads the digest of image `uri` (the `n`th of the image definitions) from
/// the build's image store, where a `docker push` or `docker pull` leaves it, and the quoted
/// variable that then holds `repository@sha256:…`. The repository is the URI without its tag;
/// of the image's digests (one per repository it was pushed to or pulled from), the one of that
/// repository is taken, and the build fails when there is none rather than deploy by tag.
fn digest_of(env: &mut Env, uri: &str, n: usize, loc: &Loc) -> (String, String) {
    let image = format!("CRUDDUR_IMAGE_{n}");
    let digest = format!("CRUDDUR_IMAGE_DIGEST_{n}");
    let command = format!(
        concat!(
            "{image}={uri}; ",
            "{digest}=$(docker image inspect --format '{{{{range .RepoDigests}}}}{{{{println .}}}}{{{{end}}}}' \"${{{image}}}\"",
            " | awk -v repository=\"${{{image}%:*}}@\" 'index($0, repository) == 1 {{ print; exit }}'); ",
            "test -n \"${{{digest}}}\" || {{ echo \"no digest of ${{{image}}} in the image store: push or pull it in this build\" >&2; false; }}"
        ),
        image = image,
        digest = digest,
        uri = "\u{0}",
    );
    // The URI is rendered already (its `${` escaped for a template); the rest is literal text.
    let (before, after) = command.split_once('\u{0}').unwrap_or((&command, ""));
    let literal = |env: &mut Env, text: &str| {
        env.text(&Text {
            pieces: vec![Piece::Lit(text.to_string())],
            loc: loc.clone(),
        })
    };
    let command = literal(env, before) + &double_quote(uri) + &literal(env, after);
    let variable = literal(env, &format!("\"${{{digest}}}\""));
    (command, variable)
}

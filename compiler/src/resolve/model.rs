//! The program as the checker and the code generators see it: items with typed values and
//! resolved references. Built by [`super::lower`]; every value keeps its span.

use crate::diagnostics::{FileId, Span};
use crate::vocabulary::{
    ApproverRole, CacheMode, CommentApproval, Compute, ConnectionProvider, EnvironmentType, ImageFamily, OnFailure,
    PhaseName, ProviderKind, ReportFormat, SettingSpec, Shell, SourceHost, TagMutability, TrustedService, WebhookEvent,
};
pub use crate::vocabulary::{Field, Kind};
use std::borrow::Cow;

/// A place in the sources.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Loc {
    pub file: FileId,
    pub span: Span,
}

/// A value with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub loc: Loc,
}

/// Index of an item in its kind's list in [`Program`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId {
    pub kind: Kind,
    pub index: usize,
}

/// Text with compile-time pieces: literal runs, item fields and parameters.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Text {
    pub pieces: Vec<Piece>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    Lit(String),
    /// `${{ item.field }}`.
    Field {
        item: ItemId,
        field: Field,
        loc: Loc,
    },
    Param {
        param: usize,
        loc: Loc,
    },
    /// `${{ aws.account }}` / `${{ aws.region }}`.
    Aws {
        field: Field,
        loc: Loc,
    },
}

impl Text {
    /// The text when it has no compile-time pieces (borrowed when it is one piece, as nearly
    /// every literal is).
    pub fn literal(&self) -> Option<Cow<'_, str>> {
        match self.pieces.as_slice() {
            [] => Some(Cow::Borrowed("")),
            [Piece::Lit(text)] => Some(Cow::Borrowed(text)),
            pieces => {
                let mut out = String::new();
                for piece in pieces {
                    match piece {
                        Piece::Lit(text) => out.push_str(text),
                        _ => return None,
                    }
                }
                Some(Cow::Owned(out))
            }
        }
    }

    /// The text with each compile-time piece as `HOLE`, for judging its shape (an ARN whose
    /// account is `${{ aws.account }}`) before the values are known.
    pub fn shape(&self) -> String {
        self.pieces
            .iter()
            .map(|piece| match piece {
                Piece::Lit(text) => text.as_str(),
                _ => Text::HOLE,
            })
            .collect()
    }

    /// What stands for a value known only at build time in [`Text::shape`].
    pub const HOLE: &'static str = "\u{1}";

    /// The literal runs only, for scanning commands (`$VAR`, `docker`).
    pub fn literal_runs(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Lit(text) => Some(text.as_str()),
            _ => None,
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Header {
    /// The item's name in this program.
    pub name: String,
    /// Where the name is written.
    pub loc: Loc,
    /// The whole item.
    pub item_loc: Loc,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Aws {
    pub account: Option<Text>,
    pub region: Option<Text>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub header: Header,
    pub default: Option<At<String>>,
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Connection {
    pub header: Header,
    pub name: Option<Text>,
    pub provider: Option<At<ConnectionProvider>>,
    pub arn: Option<Text>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Repository {
    pub header: Header,
    pub name: Option<Text>,
    pub scan_on_push: Option<At<bool>>,
    pub tag_mutability: Option<At<TagMutability>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub header: Header,
    pub cluster: Option<Text>,
    pub name: Option<Text>,
    /// The task definition's containers that builds give images (`container = "…"` or
    /// `containers = […]`); the first is the one `${{ service.container }}` names.
    pub containers: Vec<Text>,
    /// Where `container` or `containers` is written.
    pub containers_loc: Option<Loc>,
    pub task_role: Option<Text>,
    pub execution_role: Option<Text>,
    /// The task definition family the service runs.
    pub task_family: Option<Text>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    pub header: Header,
    /// An existing role, by its ARN: not created, its policy not known.
    pub arn: Option<Text>,
    pub name: Option<Text>,
    pub description: Option<Text>,
    pub trust: Vec<At<TrustedService>>,
    pub trust_loc: Option<Loc>,
    pub allows: Vec<Allow>,
    pub managed_policies: Vec<Text>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Allow {
    pub sid: Option<String>,
    pub actions: Vec<At<String>>,
    pub resources: Vec<Text>,
    pub conditions: Vec<Condition>,
    /// The `[…]` lists as written, for fixes.
    pub actions_loc: Option<Loc>,
    pub resources_loc: Option<Loc>,
    pub loc: Loc,
}

/// `condition("StringEquals", "iam:PassedToService", "ecs-tasks.amazonaws.com")`.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub operator: At<String>,
    pub key: At<String>,
    pub values: Vec<Text>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Project {
    pub header: Header,
    pub name: Option<Text>,
    pub description: Option<Text>,
    pub badge: Option<At<bool>>,
    /// Minutes.
    pub timeout: Option<At<u64>>,
    pub queued_timeout: Option<At<u64>>,
    pub source: Option<ProjectSource>,
    pub role: Option<At<usize>>,
    pub pushes: Vec<At<usize>>,
    pub shell: Option<At<Shell>>,
    pub environment: Environment,
    pub env: Vec<EnvVar>,
    pub exported: Vec<At<String>>,
    pub runtimes: Vec<Runtime>,
    pub phases: Vec<Phase>,
    pub outputs: Vec<ProjectOutput>,
    pub artifacts: Vec<SecondaryArtifact>,
    pub reports: Vec<Report>,
    pub cache_paths: Vec<Text>,
    pub cache_mode: Option<At<CacheMode>>,
    /// An S3 cache: `bucket` or `bucket/prefix`.
    pub cache_location: Option<Text>,
    pub logs_enabled: Option<At<bool>>,
    /// `artifact_encryption = false` turns off encryption of build artifacts.
    pub artifact_encryption: Option<At<bool>>,
    /// The customer managed KMS key that encrypts build output, by its ARN.
    pub encryption_key: Option<Text>,
    /// An EventBridge schedule that starts a build: `cron(…)` or `rate(…)`.
    pub schedule: Option<Text>,
    /// `vpc { … }`: the VPC builds run in.
    pub vpc: Option<Vpc>,
    /// `source = s3("bucket/key")`: the S3 object or folder builds read.
    pub s3_source: Option<Text>,
    /// `buildspec = s3("bucket/key")`: the buildspec CodeBuild reads from an S3 object, which
    /// cruddur does not see.
    pub buildspec_s3: Option<Text>,
    /// `output_to = s3(…)`: where builds upload their output.
    pub output_to: Option<S3Output>,
    pub logs_group: Option<Text>,
    pub logs_stream: Option<Text>,
    /// Statements added to the inferred role (`allow { … }`).
    pub allows: Vec<Allow>,
    /// A buildspec kept in the repository: the phases, variables, outputs and reports above
    /// were read from it.
    pub buildspec: Option<BuildspecFile>,
    pub notifications: Vec<Notification>,
    /// An `output` is written but could not be read (reported): what the build outputs is
    /// not known.
    pub output_unread: bool,
    /// A `pushes` entry names nothing (reported): the repositories pushed to are not all
    /// known.
    pub pushes_unread: bool,
}

/// `notify NAME { topic = "arn:aws:sns:…", events = […] }`: a CodeStar notification rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Notification {
    pub label: At<String>,
    pub topic: Option<Text>,
    /// The event type ids, as AWS names them.
    pub events: Vec<At<&'static str>>,
    pub loc: Loc,
}

/// `buildspec = file("…")`.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildspecFile {
    /// The path as written: CodeBuild reads it from the build's source.
    pub path: At<String>,
    /// The file as cruddur read it; `None` when it could not be read (reported).
    pub file: Option<FileId>,
}

impl Project {
    /// Whether the buildspec was read from a file in the repository: fixes and help then
    /// speak the buildspec's YAML, not cruddur's members.
    pub fn buildspec_in_file(&self) -> bool {
        self.buildspec.as_ref().is_some_and(|b| b.file.is_some())
    }

    /// Whether CodeBuild reads a buildspec cruddur cannot see (one kept in S3): what its
    /// commands do and what they output is not known, so rules about them stay silent.
    pub fn buildspec_unseen(&self) -> bool {
        self.buildspec_s3.is_some()
    }

    /// With a buildspec file, or one kept in S3, the variables written in the project
    /// (`env { … }`): CodeBuild sets them as the project's environment variables, beside the
    /// buildspec's own (no buildspec cruddur writes holds them).
    pub fn project_variables(&self) -> impl Iterator<Item = &EnvVar> {
        let file = self.buildspec.as_ref().and_then(|b| b.file);
        let s3 = self.buildspec_s3.is_some();
        self.env
            .iter()
            .filter(move |v| s3 || file.is_some_and(|f| v.loc.file != f))
    }

    /// The text of every shell command of the project, in order, `finally` blocks included.
    pub fn shell_commands(&self) -> impl Iterator<Item = &Text> {
        self.phases
            .iter()
            .flat_map(|p| p.commands.iter().chain(&p.finally))
            .filter_map(|c| match c {
                Command::Shell(text) => Some(text),
                Command::EcrLogin(_) => None,
            })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProjectSource {
    pub host: At<SourceHost>,
    pub connection: At<usize>,
    pub repo: Text,
    pub events: Vec<At<WebhookEvent>>,
    pub branch: Option<Text>,
    /// `files = […]`: builds start only for pushes and pull requests that change one of
    /// these files (FILE_PATH); a path ending in `/` stands for everything under it.
    pub files: Option<At<Vec<Text>>>,
    /// `exclude_files = […]`: pushes and pull requests that change one of these files start
    /// no build (FILE_PATH with `excludeMatchedPattern`).
    pub exclude_files: Option<At<Vec<Text>>>,
    /// `tags = […]`: glob patterns of the tags whose pushes (HEAD_REF `refs/tags/…`) and
    /// releases (TAG_NAME) start builds.
    pub tags: Option<At<Vec<Text>>>,
    /// `head_branches = […]`: glob patterns of the branches whose pull requests start builds
    /// (HEAD_REF on pull-request events; `branch` is the base they merge into).
    pub head_branches: Option<At<Vec<Text>>>,
    /// `commit_messages = […]`: pushes and pull requests start builds only when the head
    /// commit's message contains one of these (COMMIT_MESSAGE).
    pub commit_messages: Option<At<Vec<Text>>>,
    /// `exclude_commit_messages = […]`: pushes and pull requests whose head commit's message
    /// contains one of these start no build (`[skip ci]`).
    pub exclude_commit_messages: Option<At<Vec<Text>>>,
    /// `actors = […]`: the account ids whose events start builds (ACTOR_ACCOUNT_ID); `None`
    /// when not written.
    pub actors: Option<At<Vec<Text>>>,
    pub comment_approval: Option<At<CommentApproval>>,
    pub approvers: Vec<At<ApproverRole>>,
    pub loc: Loc,
}

impl ProjectSource {
    /// Whether the program limits who starts its pull-request builds: listed actors, or an
    /// approval every (or every fork's) pull request waits for, which no role everyone holds
    /// may give. `fork_pull_requests` trusts whoever may push a branch to the repository.
    pub fn restricts_pull_requests(&self) -> bool {
        self.actors.as_ref().is_some_and(|a| !a.value.is_empty())
            || (self.asks_approval() && self.open_approver().is_none())
    }

    /// Whether pull requests (all, or forks') wait for an approver's comment.
    pub fn asks_approval(&self) -> bool {
        self.comment_approval
            .as_ref()
            .is_some_and(|c| c.value != CommentApproval::Disabled)
    }

    /// An approver role anyone may hold (read access to a public repository): its holders'
    /// pull requests build at once, and they may approve anyone's.
    pub fn open_approver(&self) -> Option<&At<ApproverRole>> {
        self.approvers.iter().find(|r| r.value.held_by_anyone())
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Environment {
    pub image: Option<Image>,
    pub compute: Option<At<Compute>>,
    pub privileged: Option<At<bool>>,
    pub env_type: Option<At<EnvironmentType>>,
    /// The Secrets Manager secret with a private registry's credentials.
    pub registry_credential: Option<Text>,
    /// The `environment` block, for fixes that add to it.
    pub loc: Option<Loc>,
}

/// `vpc { id subnets security_groups }`: the VPC builds run in.
#[derive(Clone, Debug, PartialEq)]
pub struct Vpc {
    pub id: Option<Text>,
    pub subnets: Vec<Text>,
    pub security_groups: Vec<Text>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ImageRef {
    /// A curated image by family and version: `amazonlinux_standard("5.0")`.
    Curated { family: ImageFamily, version: String },
    /// Any image URI.
    Uri(Text),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    pub image: ImageRef,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EnvValue {
    Plain(Text),
    ParameterStore(Text),
    SecretsManager(Text),
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnvVar {
    pub name: At<String>,
    pub value: EnvValue,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Runtime {
    pub name: At<String>,
    pub version: At<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Phase {
    pub name: At<PhaseName>,
    pub commands: Vec<Command>,
    pub finally: Vec<Command>,
    pub on_failure: Option<At<OnFailure>>,
    pub run_as: Option<Text>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Shell(Text),
    EcrLogin(At<usize>),
}

impl Command {
    pub fn loc(&self) -> &Loc {
        match self {
            Command::Shell(text) => &text.loc,
            Command::EcrLogin(at) => &at.loc,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ProjectOutput {
    ImageDefinitions {
        service: At<usize>,
        images: Vec<ContainerImage>,
        /// `digest = true`: each image is written by its digest (`repo@sha256:…`), read from
        /// the build's image store, instead of by the tag written.
        digest: Option<At<bool>>,
        loc: Loc,
    },
    Files {
        /// Relative to `base_directory` when there is one: the paths the artifact holds.
        patterns: Vec<Text>,
        /// `files("**/*", base_directory = "dist")`: the folder the files are taken from.
        base_directory: Option<Text>,
        /// The artifact's paths are not the patterns' (a base directory, discarded paths or
        /// excluded ones, as a buildspec file may say): what it holds is not known.
        reshaped: bool,
        loc: Loc,
    },
}

impl ProjectOutput {
    pub fn loc(&self) -> &Loc {
        match self {
            ProjectOutput::ImageDefinitions { loc, .. } | ProjectOutput::Files { loc, .. } => loc,
        }
    }
}

/// One entry of `imagedefinitions.json`: the image a container of the service gets.
#[derive(Clone, Debug, PartialEq)]
pub struct ContainerImage {
    /// Named by `container("name", image = "…")`; `None` for `image = "…"`, the service's
    /// only container.
    pub container: Option<Text>,
    pub image: Text,
    pub loc: Loc,
    /// What removing it from `image_definitions(…)` takes: it and the comma before it.
    pub removal: Option<Span>,
}

impl ProjectOutput {
    /// The images an image-definitions output writes, none for other outputs.
    pub fn images(&self) -> &[ContainerImage] {
        match self {
            ProjectOutput::ImageDefinitions { images, .. } => images,
            ProjectOutput::Files { .. } => &[],
        }
    }
}

impl Service {
    /// The container an image is for: the one it names, or the service's only container.
    pub fn container_of<'a>(&'a self, image: &'a ContainerImage) -> Option<&'a Text> {
        match &image.container {
            Some(name) => Some(name),
            None if self.containers.len() == 1 => self.containers.first(),
            None => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SecondaryArtifact {
    pub label: At<String>,
    pub files: Vec<Text>,
    pub base_directory: Option<Text>,
    pub discard_paths: Option<At<bool>>,
    pub name: Option<Text>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub label: At<String>,
    pub files: Vec<Text>,
    pub base_directory: Option<Text>,
    pub format: Option<At<ReportFormat>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    pub header: Header,
    pub name: Option<Text>,
    pub role: Option<At<usize>>,
    pub artifact_bucket: Option<Text>,
    /// The customer managed KMS key that encrypts the artifacts, by its ARN.
    pub artifact_key: Option<Text>,
    /// Artifact stores in other Regions, for the actions that run there.
    pub artifact_stores: Vec<ArtifactStore>,
    pub stages: Vec<Stage>,
    /// Statements added to the inferred role (`allow { … }`).
    pub allows: Vec<Allow>,
    /// Pipeline-level variables, read as `#{variables.NAME}`.
    pub variables: Vec<PipelineVariable>,
    pub execution_mode: Option<At<crate::vocabulary::ExecutionMode>>,
    pub notifications: Vec<Notification>,
    /// An EventBridge schedule that starts the pipeline: `cron(…)` or `rate(…)`.
    pub schedule: Option<Text>,
}

/// `output_to = s3("bucket/path", name = "…", zip = true, build_id = true)`.
#[derive(Clone, Debug, PartialEq)]
pub struct S3Output {
    /// `bucket` or `bucket/path`.
    pub location: Text,
    pub name: Option<Text>,
    pub zip: Option<At<bool>>,
    pub build_id: Option<At<bool>>,
    pub loc: Loc,
}

impl S3Output {
    /// The bucket and the path within it, as rendered.
    pub fn split(rendered: &str) -> (&str, &str) {
        let location = rendered.trim_start_matches("s3://").trim_end_matches('/');
        location.split_once('/').unwrap_or((location, ""))
    }
}

/// `artifact_store { region bucket key }`: where the artifacts of actions in another Region
/// are kept.
#[derive(Clone, Debug, PartialEq)]
pub struct ArtifactStore {
    pub region: Option<Text>,
    pub bucket: Option<Text>,
    pub key: Option<Text>,
    pub loc: Loc,
}

/// `variable NAME = "default" { description = "…" }`.
#[derive(Clone, Debug, PartialEq)]
pub struct PipelineVariable {
    pub name: At<String>,
    pub default: Option<Text>,
    pub description: Option<Text>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    pub label: At<String>,
    pub name: Option<Text>,
    pub actions: Vec<Action>,
    pub loc: Loc,
    /// The instance it is, when written `stage NAME = template(…)` (an index of
    /// `Program::instances`).
    pub instance: Option<usize>,
    /// What CodePipeline does when the stage fails.
    pub on_failure: Option<At<crate::vocabulary::StageFailure>>,
}

impl Stage {
    /// The stage name in AWS.
    pub fn aws_name(&self) -> String {
        self.name
            .as_ref()
            .and_then(Text::literal)
            .map_or_else(|| self.label.value.clone(), Cow::into_owned)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub label: At<String>,
    pub provider: At<Provider>,
    pub inputs: Vec<At<String>>,
    pub outputs: Vec<At<String>>,
    pub run_order: Option<At<u32>>,
    pub namespace: Option<At<String>>,
    pub region: Option<Text>,
    pub role: Option<At<usize>>,
    /// Provider configuration properties, by their cruddur names.
    pub config: Vec<ConfigProperty>,
    /// The variables a CodeBuild action sets (`env { … }`, `EnvironmentVariables`).
    pub env: Vec<EnvVar>,
    /// A source's trigger filters (`on push { … }`, `on pull_request { … }`).
    pub triggers: Vec<TriggerFilter>,
    /// Its `{ … }`, when it has one.
    pub body: Option<Loc>,
    pub loc: Loc,
}

impl Action {
    pub fn run_order(&self) -> u32 {
        self.run_order.as_ref().map_or(1, |r| r.value)
    }

    /// The setting written `name`; `name` is a setting of some provider in the vocabulary.
    pub fn config(&self, name: &str) -> Option<&ConfigProperty> {
        debug_assert!(
            crate::vocabulary::providers::PROVIDERS
                .iter()
                .any(|p| p.setting(name).is_some()),
            "`{name}` is no provider's setting"
        );
        self.config.iter().find(|c| c.key.value == name)
    }

    /// The setting written `name` when its value is a string.
    pub fn config_text(&self, name: &str) -> Option<&Text> {
        match &self.config(name)?.value {
            ConfigValue::Text(text) => Some(text),
            _ => None,
        }
    }

    /// Where a connection or CodeCommit source asks for a full-clone output
    /// (`output_format = "CODEBUILD_CLONE_REF"`), which only CodeBuild can read.
    pub fn full_clone(&self) -> Option<&Loc> {
        if !matches!(
            self.provider.value,
            Provider::ConnectionSource { .. } | Provider::CodeCommitSource
        ) {
            return None;
        }
        let text = self.config_text("output_format")?;
        (text.literal().as_deref() == Some("CODEBUILD_CLONE_REF")).then_some(&text.loc)
    }
}

/// `on push { … }` or `on pull_request { … }`: one filter of a source's trigger.
#[derive(Clone, Debug, PartialEq)]
pub struct TriggerFilter {
    pub kind: At<crate::vocabulary::TriggerKind>,
    /// Each pattern list as written (`branches = […]`), by its member name.
    pub lists: Vec<PatternList>,
    pub events: Vec<At<crate::vocabulary::PullRequestEvent>>,
    pub events_loc: Option<Loc>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PatternList {
    pub name: At<String>,
    pub patterns: Vec<Text>,
    /// The `[…]`.
    pub loc: Loc,
}

impl TriggerFilter {
    pub fn list(&self, name: &str) -> Option<&PatternList> {
        self.lists.iter().find(|l| l.name.value == name)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConfigProperty {
    pub key: At<String>,
    /// The provider's setting of that name; `None` for a name it does not have (reported).
    pub setting: Option<&'static SettingSpec>,
    pub value: ConfigValue,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ConfigValue {
    Text(Text),
    Bool(bool),
    Number(String),
    List(Vec<Text>),
}

/// What an action does, with its target resolved.
#[derive(Clone, Debug, PartialEq)]
pub enum Provider {
    /// `github(c)`, `bitbucket(c)`, `gitlab(c)`: a CodeConnections source.
    ConnectionSource {
        host: SourceHost,
        connection: usize,
    },
    CodeCommitSource,
    S3Source,
    EcrSource {
        repository: usize,
    },
    /// A CodeBuild action; `test` in the Test category (`codebuild_test`).
    CodeBuild {
        project: usize,
        test: bool,
    },
    Ecs {
        service: usize,
    },
    CodeDeployEcs,
    CodeDeploy,
    Lambda,
    S3Deploy,
    CloudFormation,
    Approval,
    InspectorScan,
}

impl Provider {
    pub fn kind(&self) -> ProviderKind {
        match self {
            Provider::ConnectionSource { host, .. } => match host {
                SourceHost::GitHub => ProviderKind::GitHub,
                SourceHost::Bitbucket => ProviderKind::Bitbucket,
                SourceHost::GitLab => ProviderKind::GitLab,
            },
            Provider::CodeCommitSource => ProviderKind::CodeCommit,
            Provider::S3Source => ProviderKind::S3Source,
            Provider::EcrSource { .. } => ProviderKind::Ecr,
            Provider::CodeBuild { test: false, .. } => ProviderKind::CodeBuild,
            Provider::CodeBuild { test: true, .. } => ProviderKind::CodeBuildTest,
            Provider::Ecs { .. } => ProviderKind::Ecs,
            Provider::CodeDeployEcs => ProviderKind::CodeDeployEcs,
            Provider::CodeDeploy => ProviderKind::CodeDeploy,
            Provider::Lambda => ProviderKind::Lambda,
            Provider::S3Deploy => ProviderKind::S3Deploy,
            Provider::CloudFormation => ProviderKind::CloudFormation,
            Provider::Approval => ProviderKind::Approval,
            Provider::InspectorScan => ProviderKind::InspectorScan,
        }
    }

    /// The provider's entry in the vocabulary.
    pub fn spec(&self) -> &'static crate::vocabulary::ProviderSpec {
        self.kind().spec()
    }

    /// The cruddur name of the provider.
    pub fn name(&self) -> &'static str {
        self.spec().name
    }

    pub fn is_source(&self) -> bool {
        self.spec().is_source()
    }

    /// The project a CodeBuild action (of either category) runs.
    pub fn project(&self) -> Option<usize> {
        match self {
            Provider::CodeBuild { project, .. } => Some(*project),
            _ => None,
        }
    }
}

/// A checked program: every item of every file, references resolved.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Program {
    pub aws: Option<Aws>,
    pub params: Vec<Param>,
    pub connections: Vec<Connection>,
    pub repositories: Vec<Repository>,
    pub services: Vec<Service>,
    pub roles: Vec<Role>,
    pub projects: Vec<Project>,
    pub pipelines: Vec<Pipeline>,
    pub stage_templates: Vec<StageTemplate>,
    /// Every stage written as `stage NAME = template(…)`, in the order lowered. Instance `i`'s
    /// template text is read under `FileId::in_instance(i)`, so what is found there is told
    /// apart per instance and reported once, at the template, by the analysis.
    pub instances: Vec<Instance>,
    /// The actions that run each project, found on first use once the program is lowered.
    pub runs: Runs,
}

/// Which actions run each project (a `codebuild` action naming it), by project index: found
/// once, so checks asking it of every project cost the program's size, not its square. A
/// cache: programs equal in content are equal whatever it holds.
#[derive(Debug, Default)]
pub struct Runs(std::sync::OnceLock<Vec<Vec<ActionRef>>>);

/// A copy may be changed before it is asked: it finds its answer anew.
impl Clone for Runs {
    fn clone(&self) -> Runs {
        Runs::default()
    }
}

impl PartialEq for Runs {
    fn eq(&self, _: &Runs) -> bool {
        true
    }
}

/// `stage_template NAME { param …  action … }`: a stage written once.
#[derive(Clone, Debug, PartialEq)]
pub struct StageTemplate {
    pub header: Header,
    /// Its parameters, in order, with their defaults' locations.
    pub params: Vec<TemplateParam>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TemplateParam {
    pub name: At<String>,
}

/// A stage made from a template: `stage Staging = deploy_to(stage = "staging")`.
#[derive(Clone, Debug, PartialEq)]
pub struct Instance {
    pub template: usize,
    /// The pipeline it is a stage of (its item name).
    pub pipeline: String,
    /// The stage's label, where the instance is written.
    pub stage: At<String>,
}

/// An action of a pipeline, by position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ActionRef {
    pub pipeline: usize,
    pub stage: usize,
    pub action: usize,
}

impl Program {
    /// Whether some pipeline runs project `index` (a `codebuild` action names it).
    pub fn runs_project(&self, index: usize) -> bool {
        self.runner(index).is_some()
    }

    /// Every `image_definitions(…)` output whose service resolved: the project, the service,
    /// the images.
    pub fn image_definitions(&self) -> impl Iterator<Item = (&Project, &Service, &[ContainerImage])> {
        self.projects.iter().flat_map(move |project| {
            project.outputs.iter().filter_map(move |output| match output {
                ProjectOutput::ImageDefinitions { service, images, .. } => {
                    Some((project, self.services.get(service.value)?, images.as_slice()))
                }
                ProjectOutput::Files { .. } => None,
            })
        })
    }

    /// The first pipeline that runs project `index`.
    pub fn runner(&self, index: usize) -> Option<&Pipeline> {
        let first = self.runs_of(index).first()?;
        self.pipelines.get(first.pipeline)
    }

    /// The actions that run project `index`, in pipeline, stage and action order. Asked only
    /// of a lowered program: the answer is kept.
    pub fn runs_of(&self, index: usize) -> &[ActionRef] {
        let runs = self.runs.0.get_or_init(|| {
            let mut runs = vec![Vec::new(); self.projects.len()];
            for (p, pipeline) in self.pipelines.iter().enumerate() {
                for (s, stage) in pipeline.stages.iter().enumerate() {
                    for (a, action) in stage.actions.iter().enumerate() {
                        if let Some(project) = action.provider.value.project().and_then(|i| runs.get_mut(i)) {
                            project.push(ActionRef {
                                pipeline: p,
                                stage: s,
                                action: a,
                            });
                        }
                    }
                }
            }
            runs
        });
        runs.get(index).map_or(&[], Vec::as_slice)
    }

    /// The action at `at`.
    pub fn action(&self, at: ActionRef) -> Option<&Action> {
        self.pipelines
            .get(at.pipeline)?
            .stages
            .get(at.stage)?
            .actions
            .get(at.action)
    }

    /// Whether an item (other than a `let`) is named `name`.
    pub fn has_item_named(&self, name: &str) -> bool {
        let headers = self
            .params
            .iter()
            .map(|x| &x.header)
            .chain(self.connections.iter().map(|x| &x.header))
            .chain(self.repositories.iter().map(|x| &x.header))
            .chain(self.services.iter().map(|x| &x.header))
            .chain(self.roles.iter().map(|x| &x.header))
            .chain(self.projects.iter().map(|x| &x.header))
            .chain(self.pipelines.iter().map(|x| &x.header))
            .chain(self.stage_templates.iter().map(|x| &x.header));
        headers.into_iter().any(|h| h.name == name)
    }

    pub fn header(&self, item: ItemId) -> Option<&Header> {
        let i = item.index;
        match item.kind {
            Kind::Param => self.params.get(i).map(|x| &x.header),
            Kind::Let => None,
            Kind::Connection => self.connections.get(i).map(|x| &x.header),
            Kind::Repository => self.repositories.get(i).map(|x| &x.header),
            Kind::Service => self.services.get(i).map(|x| &x.header),
            Kind::Role => self.roles.get(i).map(|x| &x.header),
            Kind::Project => self.projects.get(i).map(|x| &x.header),
            Kind::Pipeline => self.pipelines.get(i).map(|x| &x.header),
            Kind::StageTemplate => self.stage_templates.get(i).map(|x| &x.header),
        }
    }
}

/// The name of an inferred role: `<base>-<suffix>`, at most 64 characters (IAM's limit). A
/// base too long is shortened at a character boundary and followed by a hash of the whole
/// base, so two long names that differ only at their ends still give two roles.
pub fn role_name(base: &str, suffix: &str) -> String {
    let room = 64usize.saturating_sub(suffix.len() + 1);
    if base.len() <= room {
        return format!("{base}-{suffix}");
    }
    let mut end = room.saturating_sub(9);
    while !base.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}-{:08x}-{suffix}", &base[..end], fnv1a(base))
}

/// FNV-1a (32 bits): stable across machines and releases, unlike the standard hasher.
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::role_name;

    #[test]
    fn role_names_keep_their_suffix_and_differ_when_shortened() {
        assert_eq!(role_name("app", "codebuild"), "app-codebuild");
        let long = "a".repeat(63) + "é";
        let name = role_name(&long, "codebuild");
        assert!(name.len() <= 64 && name.ends_with("-codebuild"), "{name}");
        let other = role_name(&("a".repeat(63) + "b"), "codebuild");
        assert_ne!(name, other, "names that differ past the cut still differ");
        assert_eq!(other.len(), 64);
        let accented = "é".repeat(40);
        let name = role_name(&accented, "codepipeline");
        assert!(name.len() <= 64 && name.ends_with("-codepipeline"), "{name}");
        // Stable: the same input gives the same name on every machine.
        assert_eq!(
            role_name(&"x".repeat(60), "codebuild"),
            format!("{}-37d12e35-codebuild", "x".repeat(45))
        );
    }
}

//! The language's vocabulary, in one place: the items, the members each block takes (form,
//! value type, documentation, the AWS name it becomes and AWS's reference page), the enums
//! with their AWS values, the value functions, and the action providers with their settings'
//! AWS configuration keys.
//!
//! Every layer reads this table: the structure check and lowering (what is valid where, and
//! how to read it), the checks and the emitters (AWS names and values), `cruddur explain`,
//! and the editor features (completion, hover). Adding a property or an enum value is one
//! entry here plus the code that uses it.

pub mod enums;
pub mod glob;
pub mod items;
pub mod providers;

pub use enums::*;
pub use items::{item, item_of_kind, members_of, Form, ItemSpec, LabelValue, MemberSpec};
pub use providers::{provider, FileIn, FileRead, ProviderKind, ProviderSpec, SettingSpec, PROVIDERS};

/// The kinds of named items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Param,
    Let,
    Connection,
    Repository,
    Service,
    Role,
    Project,
    Pipeline,
    StageTemplate,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::Param,
        Kind::Let,
        Kind::Connection,
        Kind::Repository,
        Kind::Service,
        Kind::Role,
        Kind::Project,
        Kind::Pipeline,
        Kind::StageTemplate,
    ];

    pub fn keyword(self) -> &'static str {
        match self {
            Kind::Param => "param",
            Kind::Let => "let",
            Kind::Connection => "connection",
            Kind::Repository => "repository",
            Kind::Service => "service",
            Kind::Role => "role",
            Kind::Project => "project",
            Kind::Pipeline => "pipeline",
            Kind::StageTemplate => "stage_template",
        }
    }

    pub fn from_keyword(keyword: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.keyword() == keyword)
    }

    /// "a repository" (every keyword starts with a consonant sound).
    pub fn article(self) -> String {
        let keyword = self.keyword();
        format!("a {keyword}")
    }

    /// Fields usable as `${{ item.field }}`.
    pub fn fields(self) -> &'static [FieldSpec] {
        item_of_kind(self).fields
    }

    pub fn field_names(self) -> impl Iterator<Item = &'static str> {
        self.fields().iter().map(|f| f.name)
    }

    /// The field written `name`, if items of this kind have it.
    pub fn field(self, name: &str) -> Option<Field> {
        self.fields().iter().find(|f| f.name == name).map(|f| f.field)
    }
}

/// The fields items have, usable in interpolation: `${{ backend_flask.uri }}`. Which kind of
/// item has which is said by its [`ItemSpec`]'s `fields`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Account,
    Region,
    Uri,
    Arn,
    Name,
    Cluster,
    Container,
    ArtifactBucket,
}

impl Field {
    pub const fn word(self) -> &'static str {
        match self {
            Field::Account => "account",
            Field::Region => "region",
            Field::Uri => "uri",
            Field::Arn => "arn",
            Field::Name => "name",
            Field::Cluster => "cluster",
            Field::Container => "container",
            Field::ArtifactBucket => "artifact_bucket",
        }
    }
}

/// A field of an item, with what it renders to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    pub field: Field,
    pub name: &'static str,
    pub doc: &'static str,
}

/// What a member's value is. Completion offers values by it; hover and `cruddur explain`
/// describe it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    /// Text: a string (with `${{ … }}`), a `param`, a `let` or an `item.field`.
    Text,
    /// A string written out, without interpolation.
    Literal,
    Bool,
    /// A duration in whole minutes, within the named limit of AWS's API models.
    Minutes(&'static str),
    /// A whole number within the named limit of AWS's API models.
    Integer(&'static str),
    Enum(&'static EnumSpec),
    /// The name of an item of this kind.
    Ref(Kind),
    List(&'static ValueType),
    /// One of the value functions of this group.
    Call(Calls),
    /// The name of an artifact of the pipeline.
    Artifact,
    /// An IAM action, `"service:Action"`, or a pattern of them.
    IamAction,
    /// An action provider: `codebuild(project)`.
    Provider,
    /// A provider setting's value: text, a boolean, a number or a list.
    Setting,
    /// A block or a statement whose value is described by its members.
    Nothing,
}

impl ValueType {
    /// What a fix writes in a required member's place for a person to fill in: an empty value
    /// of the types whose empty value the checks report (text and lists), so it never checks
    /// clean as it is.
    pub fn empty_slot(self) -> Option<&'static str> {
        match self {
            ValueType::Text | ValueType::Literal => Some("\"\""),
            ValueType::List(_) => Some("[]"),
            _ => None,
        }
    }
}

/// Groups of value functions: where each may be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Calls {
    /// `environment.image`: an image family, or an image URI string.
    Image,
    /// `project.source`.
    ProjectSource,
    /// `project.output`.
    ProjectOutput,
    /// An `env` variable: a string or a secret's source.
    EnvValue,
    /// A `run` command: a string or `ecr_login(…)`.
    Command,
    /// `allow.conditions`.
    Condition,
    /// `project.buildspec`: a file in the repository.
    Buildspec,
    /// `project.output_to`: where a project no pipeline runs uploads its output.
    OutputTo,
    /// An image of `image_definitions(…)` for a named container.
    ContainerImage,
}

/// A value function, as completion and hover show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    pub name: &'static str,
    pub signature: String,
    pub doc: &'static str,
    pub link: &'static str,
    /// Its parameters, in order: positional ones without a name, then named ones
    /// (`events = […]`). The last positional one repeats when the function takes several.
    pub params: Vec<Param>,
}

/// A value function's parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    pub name: Option<&'static str>,
    pub ty: ValueType,
}

const fn positional(ty: ValueType) -> Param {
    Param { name: None, ty }
}

const fn named(name: &'static str, ty: ValueType) -> Param {
    Param { name: Some(name), ty }
}

impl Function {
    /// The type of the argument written `name = …`, or of the `position`th positional one.
    pub fn param(&self, name: Option<&str>, position: usize) -> Option<ValueType> {
        match name {
            Some(name) => self.params.iter().find(|p| p.name == Some(name)).map(|p| p.ty),
            None => {
                let positional: Vec<&Param> = self.params.iter().filter(|p| p.name.is_none()).collect();
                positional.get(position).or(positional.last()).map(|p| p.ty)
            }
        }
    }

    /// The function of any group written `name`.
    pub fn named(name: &str) -> Option<Function> {
        Calls::ALL
            .iter()
            .flat_map(|calls| calls.functions())
            .find(|f| f.name == name)
    }
}

const IMAGE_DEFINITIONS: &str =
    "https://docs.aws.amazon.com/codepipeline/latest/userguide/file-reference.html#pipelines-create-image-definitions";
const IMAGES: &str = "https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-available.html";
const PROJECT_SOURCE: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-source.html#cfn-codebuild-project-source-type";

impl Calls {
    pub const ALL: &'static [Calls] = &[
        Calls::Image,
        Calls::ProjectSource,
        Calls::ProjectOutput,
        Calls::EnvValue,
        Calls::Command,
        Calls::Condition,
        Calls::Buildspec,
        Calls::OutputTo,
        Calls::ContainerImage,
    ];

    /// The functions that may be written here.
    pub fn functions(self) -> Vec<Function> {
        let f =
            |name: &'static str, signature: &str, doc: &'static str, link: &'static str, params: Vec<Param>| Function {
                name,
                signature: signature.to_string(),
                doc,
                link,
                params,
            };
        match self {
            Calls::Image => ImageFamily::ALL
                .iter()
                .map(|family| Function {
                    name: family.word(),
                    signature: format!("{}(\"VERSION\")", family.word()),
                    doc: family.doc(),
                    link: IMAGES,
                    params: vec![positional(ValueType::Literal)],
                })
                .collect(),
            Calls::ProjectSource => SourceHost::ALL
                .iter()
                .map(|host| Function {
                    name: host.word(),
                    signature: format!(
                        "{}(connection, \"owner/repo\", events = […], branch = \"…\", head_branches = […], tags = […], files = […], exclude_files = […], commit_messages = […], exclude_commit_messages = […], actors = […], comment_approval = …, approvers = […])",
                        host.word()
                    ),
                    doc: host.doc(),
                    link: PROJECT_SOURCE,
                    params: vec![
                        positional(ValueType::Ref(Kind::Connection)),
                        positional(ValueType::Text),
                        named("events", ValueType::List(&ValueType::Enum(WebhookEvent::SPEC))),
                        named("branch", ValueType::Text),
                        named("head_branches", ValueType::List(&ValueType::Text)),
                        named("tags", ValueType::List(&ValueType::Text)),
                        named("files", ValueType::List(&ValueType::Text)),
                        named("exclude_files", ValueType::List(&ValueType::Text)),
                        named("commit_messages", ValueType::List(&ValueType::Text)),
                        named("exclude_commit_messages", ValueType::List(&ValueType::Text)),
                        named("actors", ValueType::List(&ValueType::Text)),
                        named("comment_approval", ValueType::Enum(CommentApproval::SPEC)),
                        named("approvers", ValueType::List(&ValueType::Enum(ApproverRole::SPEC))),
                    ],
                })
                .chain([f(
                    "s3",
                    "s3(\"bucket/path/source.zip\")",
                    "As a project's source, s3(\"bucket/path/source.zip\"): builds read an S3 object (a .zip file) or folder (ending in /), which the project's role may read. As its output_to, s3(\"bucket/path\", name, zip, build_id): where builds upload their output.",
                    PROJECT_SOURCE,
                    vec![positional(ValueType::Text)],
                )])
                .collect(),
            Calls::ProjectOutput => vec![
                f(
                    "image_definitions",
                    "image_definitions(service, container(…)…, image = \"…\", digest = true)",
                    "Writes imagedefinitions.json, [{\"name\": container, \"imageUri\": image}, …], in post_build as the build's output, for an ecs deploy of that service. image = \"…\" is for the service's only container; for a service of several containers, container(\"name\", image = \"…\") names each container that gets a new image (the others keep theirs). digest = true writes each image by its digest (repository@sha256:…, read from the build's image store after docker push), so the deploy runs exactly the image built even if its tag moves.",
                    IMAGE_DEFINITIONS,
                    vec![
                        positional(ValueType::Ref(Kind::Service)),
                        positional(ValueType::Call(Calls::ContainerImage)),
                        named("image", ValueType::Text),
                        named("digest", ValueType::Bool),
                    ],
                ),
                f(
                    "files",
                    "files(\"glob\", …, base_directory = \"…\")",
                    "The build's output files, as glob patterns relative to the source directory ('**/*' for all files recursively), or to base_directory when given: the artifact then holds the files under that folder, without the folder (base_directory = \"dist\" for a site built into dist/).",
                    "https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.artifacts.files",
                    vec![positional(ValueType::Text), named("base_directory", ValueType::Text)],
                ),
            ],
            Calls::EnvValue => vec![
                f(
                    "parameter_store",
                    "parameter_store(\"/name\")",
                    "Reads the variable from a Systems Manager Parameter Store parameter at build start; the value is hidden in logs. The project role gets ssm:GetParameters on it.",
                    "https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.parameter-store",
                    vec![positional(ValueType::Text)],
                ),
                f(
                    "secrets_manager",
                    "secrets_manager(\"secret-id:json-key\")",
                    "Reads the variable from Secrets Manager; secret-id is a name or ARN, and without json-key the whole secret text is used. The value is hidden in logs.",
                    "https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.secrets-manager",
                    vec![positional(ValueType::Text)],
                ),
            ],
            Calls::Command => vec![f(
                "ecr_login",
                "ecr_login(repository)",
                "Logs Docker in to the repository's registry: aws ecr get-login-password --region REGION | docker login --username AWS --password-stdin ACCOUNT.dkr.ecr.REGION.amazonaws.com.",
                "https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry_auth.html",
                vec![positional(ValueType::Ref(Kind::Repository))],
            )],
            Calls::Condition => vec![f(
                "condition",
                "condition(\"Operator\", \"key\", value)",
                "One IAM condition, written as {\"Operator\": {\"key\": value}}; the value is a string or a list of strings.",
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html",
                vec![positional(ValueType::Literal), positional(ValueType::Literal), positional(ValueType::Text)],
            )],
            Calls::OutputTo => vec![f(
                "s3",
                "s3(\"bucket/path\", name = \"app.zip\", zip = true, build_id = false)",
                "Uploads the build's output files (the project's output) to S3: BUCKET/PATH/NAME, zipped when zip is true, under a folder named by the build id when build_id is true. The project's role may write there only.",
                "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-artifacts.html",
                vec![
                    positional(ValueType::Text),
                    named("name", ValueType::Text),
                    named("zip", ValueType::Bool),
                    named("build_id", ValueType::Bool),
                ],
            )],
            Calls::Buildspec => vec![f(
                "file",
                "file(\"path/buildspec.yml\")",
                "A buildspec file in the repository, by its path from the repository root: CodeBuild reads it from the build's source, and cruddur reads and checks it from the folder holding cruddur.toml (or the .cruddur file).",
                "https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec-ref-name-storage",
                vec![positional(ValueType::Literal)],
            ),
            f(
                "s3",
                "s3(\"bucket/path/buildspec.yml\")",
                "A buildspec kept in an S3 object, in the project's Region: CodeBuild reads it with the project's role (cruddur grants the read), so a pull request cannot change it. cruddur does not read it: permissions its commands need go in `allow` blocks.",
                "https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec-ref-name-storage",
                vec![positional(ValueType::Text)],
            )],
            Calls::ContainerImage => vec![f(
                "container",
                "container(\"name\", image = \"…\")",
                "In image_definitions(service, …): the image one container of the service gets, by the container's name in the task definition (one of the service's containers).",
                IMAGE_DEFINITIONS,
                vec![positional(ValueType::Text), named("image", ValueType::Text)],
            )],
        }
    }

    pub fn names(self) -> Vec<&'static str> {
        self.functions().iter().map(|f| f.name).collect()
    }
}

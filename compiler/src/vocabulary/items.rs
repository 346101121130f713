//! What each item takes: its members, the form each is written in, the type of its value, a
//! line or two of documentation, the AWS name it becomes and AWS's reference page. The
//! structure check, lowering, `cruddur explain`, completion, hover and the reference in
//! `spec/language.md` (kept in step by a test) all read this one table.

use super::{enums::*, Calls, FieldSpec, Kind, ValueType};

/// The written form of a member; see `spec/language.md`, "Members".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `name = value`
    Property,
    /// `name { … }` with the given members.
    Block(&'static [MemberSpec]),
    /// `name { NAME = value … }`: names chosen by the user (environment variables).
    Map(&'static [MemberSpec]),
    /// `name LABEL { … }` or `name LABEL = value { … }`.
    Labelled {
        value: LabelValue,
        body: Option<&'static [MemberSpec]>,
    },
    /// `name arg, …`
    Statement,
}

/// Whether a labelled member takes `= value` after its label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelValue {
    Required,
    Optional,
    Forbidden,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemberSpec {
    pub name: &'static str,
    pub form: Form,
    /// May appear more than once in one block (`run`, `stage`, `input`…).
    pub repeatable: bool,
    /// The value after `=`, or a statement's arguments.
    pub ty: ValueType,
    /// The words a label may be (`phase build`), when the language fixes them.
    pub labels: Option<&'static EnumSpec>,
    /// One or two sentences, as hover shows them.
    pub doc: &'static str,
    /// What it becomes in AWS (a CloudFormation property, a buildspec key…).
    pub aws: &'static str,
    /// AWS's reference page for it.
    pub link: &'static str,
}

impl MemberSpec {
    const fn aws(self, aws: &'static str) -> MemberSpec {
        MemberSpec { aws, ..self }
    }

    const fn link(self, link: &'static str) -> MemberSpec {
        MemberSpec { link, ..self }
    }

    const fn labels(self, labels: &'static EnumSpec) -> MemberSpec {
        MemberSpec {
            labels: Some(labels),
            ..self
        }
    }

    const fn repeatable(self) -> MemberSpec {
        MemberSpec {
            repeatable: true,
            ..self
        }
    }

    /// The members of its body, if it has one.
    pub fn members(&self) -> &'static [MemberSpec] {
        members_of(self.form)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemSpec {
    pub keyword: &'static str,
    /// `None` for `aws { … }`, which has no name.
    pub kind: Option<Kind>,
    /// `Labelled` for named items (`project NAME { … }`), `Block` for `aws { … }`.
    pub form: Form,
    pub doc: &'static str,
    pub fields: &'static [FieldSpec],
    pub aws: &'static str,
    pub link: &'static str,
}

impl ItemSpec {
    pub fn named(&self) -> bool {
        matches!(self.form, Form::Labelled { .. })
    }

    pub fn members(&self) -> &'static [MemberSpec] {
        members_of(self.form)
    }
}

const fn spec(name: &'static str, form: Form, ty: ValueType, doc: &'static str) -> MemberSpec {
    MemberSpec {
        name,
        form,
        repeatable: false,
        ty,
        labels: None,
        doc,
        aws: "",
        link: "",
    }
}

const fn prop(name: &'static str, ty: ValueType, doc: &'static str) -> MemberSpec {
    spec(name, Form::Property, ty, doc)
}

const fn block(name: &'static str, members: &'static [MemberSpec], doc: &'static str) -> MemberSpec {
    spec(name, Form::Block(members), ValueType::Nothing, doc)
}

const fn statement(name: &'static str, ty: ValueType, doc: &'static str) -> MemberSpec {
    spec(name, Form::Statement, ty, doc).repeatable()
}

const fn labelled(
    name: &'static str,
    value: LabelValue,
    body: Option<&'static [MemberSpec]>,
    ty: ValueType,
    doc: &'static str,
) -> MemberSpec {
    spec(name, Form::Labelled { value, body }, ty, doc).repeatable()
}

const TEXT: ValueType = ValueType::Text;
const LITERAL: ValueType = ValueType::Literal;
const BOOL: ValueType = ValueType::Bool;
const TEXTS: ValueType = ValueType::List(&ValueType::Text);

const BUILDSPEC: &str = "https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html";

pub const AWS: &[MemberSpec] = &[
    prop(
        "account",
        TEXT,
        "The AWS account id (12 digits) used in ARNs and image URIs; usually a `param`, so no account id is written in the file.",
    )
    .aws("the account in ARNs; `${AWS::AccountId}` in CloudFormation"),
    prop(
        "region",
        TEXT,
        "The AWS region used in ARNs and image URIs, e.g. \"us-east-1\".",
    )
    .aws("the region in ARNs; `${AWS::Region}` in CloudFormation"),
];

pub const PARAM: &[MemberSpec] = &[
    prop(
        "description",
        LITERAL,
        "What the parameter is for (the `Description` of the generated template's parameter).",
    )
    .aws("CloudFormation parameter `Description`"),
    prop(
        "default",
        LITERAL,
        "The value used when `--param NAME=VALUE` is not given.",
    )
    .aws("CloudFormation parameter `Default`"),
];

pub const CONNECTION: &[MemberSpec] = &[
    prop(
        "name",
        TEXT,
        "The connection's name in AWS CodeConnections (at most 32 characters).",
    )
    .aws("AWS::CodeStarConnections::Connection ConnectionName"),
    prop(
        "provider",
        ValueType::Enum(ConnectionProvider::SPEC),
        "The host the connection reaches: GitHub, GitHubEnterpriseServer, Bitbucket or GitLab.",
    )
    .aws("AWS::CodeStarConnections::Connection ProviderType"),
    prop(
        "arn",
        TEXT,
        "The ARN of an existing, approved connection, used instead of creating one.",
    )
    .aws("ConnectionArn of source actions"),
];

pub const REPOSITORY: &[MemberSpec] = &[
    prop("name", TEXT, "The ECR repository's name.").aws("AWS::ECR::Repository RepositoryName"),
    prop(
        "scan_on_push",
        BOOL,
        "Scan every pushed image for known vulnerabilities (ECR basic scanning).",
    )
    .aws("AWS::ECR::Repository ImageScanningConfiguration.ScanOnPush"),
    prop(
        "tag_mutability",
        ValueType::Enum(TagMutability::SPEC),
        "Whether a pushed tag may be overwritten: mutable or immutable.",
    )
    .aws("AWS::ECR::Repository ImageTagMutability"),
];

pub const SERVICE: &[MemberSpec] = &[
    prop("cluster", TEXT, "The name of the ECS cluster that runs the service.")
        .aws("ECS deploy action ClusterName"),
    prop("name", TEXT, "The name of the ECS service.").aws("ECS deploy action ServiceName"),
    prop(
        "container",
        TEXT,
        "The container's name in the service's task definition: `imagedefinitions.json` must name it, or the deploy fails.",
    )
    .aws("`name` in imagedefinitions.json"),
    prop(
        "task_role",
        TEXT,
        "The ARN or name of the task role: a deploy may pass this role to ECS (iam:PassRole) and no other.",
    )
    .aws("iam:PassRole resource of the pipeline role"),
    prop(
        "execution_role",
        TEXT,
        "The ARN or name of the task execution role: a deploy may pass this role to ECS (iam:PassRole) and no other.",
    )
    .aws("iam:PassRole resource of the pipeline role"),
    prop(
        "task_family",
        TEXT,
        "The task definition family: deploys may register revisions of this family and no other.",
    )
    .aws("ecs:RegisterTaskDefinition resource of the pipeline role"),
];

pub const ALLOW: &[MemberSpec] = &[
    prop("sid", LITERAL, "The statement's id.").aws("IAM policy statement Sid"),
    prop(
        "actions",
        ValueType::List(&LITERAL),
        "IAM actions, e.g. [\"ecr:GetAuthorizationToken\"]; patterns such as \"ecr:Batch*\" are allowed.",
    )
    .aws("IAM policy statement Action"),
    prop(
        "resources",
        TEXTS,
        "The ARNs the actions apply to, or \"*\" for actions that support no resource-level permission.",
    )
    .aws("IAM policy statement Resource"),
    prop(
        "conditions",
        ValueType::List(&ValueType::Call(Calls::Condition)),
        "IAM conditions, as a list of condition(\"Operator\", \"key\", value).",
    )
    .aws("IAM policy statement Condition"),
];

pub const ROLE: &[MemberSpec] = &[
    prop("name", TEXT, "The IAM role's name (at most 64 characters).").aws("AWS::IAM::Role RoleName"),
    prop("description", TEXT, "The role's description.").aws("AWS::IAM::Role Description"),
    prop(
        "trust",
        ValueType::List(&ValueType::Enum(TrustedService::SPEC)),
        "The services allowed to assume the role: codebuild, codepipeline, codedeploy, cloudformation, ecs_tasks, lambda.",
    )
    .aws("AWS::IAM::Role AssumeRolePolicyDocument"),
    block("allow", ALLOW, "A policy statement allowing actions on resources.")
        .repeatable()
        .aws("AWS::IAM::Role Policies (one statement)"),
    prop(
        "managed_policies",
        TEXTS,
        "The ARNs of managed policies to attach to the role.",
    )
    .aws("AWS::IAM::Role ManagedPolicyArns"),
];

pub const ENVIRONMENT: &[MemberSpec] = &[
    prop(
        "image",
        ValueType::Call(Calls::Image),
        "The build image: a curated image such as amazonlinux_standard(\"5.0\") or standard(\"7.0\"), or an image URI string.",
    )
    .aws("AWS::CodeBuild::Project Environment.Image"),
    prop(
        "compute",
        ValueType::Enum(Compute::SPEC),
        "The build container's size: small (the default), medium, large, xlarge, 2xlarge.",
    )
    .aws("AWS::CodeBuild::Project Environment.ComputeType"),
    prop(
        "privileged",
        BOOL,
        "Run the Docker daemon in the build container: needed by docker build and docker push.",
    )
    .aws("AWS::CodeBuild::Project Environment.PrivilegedMode"),
    prop(
        "type",
        ValueType::Enum(EnvironmentType::SPEC),
        "The build container's platform: linux, linux_arm, linux_gpu.",
    )
    .aws("AWS::CodeBuild::Project Environment.Type"),
];

pub const ENV: &[MemberSpec] = &[statement(
    "export",
    ValueType::Nothing,
    "Variables exported to the pipeline, readable by later actions as #{namespace.NAME}.",
)
.aws("buildspec env.exported-variables")
.link(BUILDSPEC)];

pub const PHASE_FINALLY: &[MemberSpec] = &[statement(
    "run",
    ValueType::Call(Calls::Command),
    "A shell command that runs even when the phase fails.",
)
.aws("buildspec phases.<phase>.finally")
.link(BUILDSPEC)];

pub const PHASE: &[MemberSpec] = &[
    statement(
        "run",
        ValueType::Call(Calls::Command),
        "A shell command; commands run in order, and the phase fails at the first that fails.",
    )
    .aws("buildspec phases.<phase>.commands")
    .link(BUILDSPEC),
    block("finally", PHASE_FINALLY, "Commands that run even when the phase fails.")
        .aws("buildspec phases.<phase>.finally")
        .link(BUILDSPEC),
    prop(
        "on_failure",
        ValueType::Enum(OnFailure::SPEC),
        "What CodeBuild does when the phase fails: abort (the default) or continue.",
    )
    .aws("buildspec phases.<phase>.on-failure")
    .link(BUILDSPEC),
    prop("run_as", TEXT, "The Linux user that runs the phase's commands.")
        .aws("buildspec phases.<phase>.run-as")
        .link(BUILDSPEC),
];

pub const ARTIFACT: &[MemberSpec] = &[
    prop("files", TEXTS, "Glob patterns of the files to keep.")
        .aws("buildspec artifacts.secondary-artifacts.<name>.files")
        .link(BUILDSPEC),
    prop("base_directory", TEXT, "The directory the patterns are relative to.")
        .aws("buildspec artifacts.secondary-artifacts.<name>.base-directory")
        .link(BUILDSPEC),
    prop("discard_paths", BOOL, "Flatten the files into one directory.")
        .aws("buildspec artifacts.secondary-artifacts.<name>.discard-paths")
        .link(BUILDSPEC),
    prop("name", TEXT, "The artifact's name in S3.")
        .aws("buildspec artifacts.secondary-artifacts.<name>.name")
        .link(BUILDSPEC),
];

pub const REPORT: &[MemberSpec] = &[
    prop("files", TEXTS, "Glob patterns of the report files.")
        .aws("buildspec reports.<group>.files")
        .link(BUILDSPEC),
    prop("base_directory", TEXT, "The directory the patterns are relative to.")
        .aws("buildspec reports.<group>.base-directory")
        .link(BUILDSPEC),
    prop(
        "format",
        ValueType::Enum(ReportFormat::SPEC),
        "The report files' format, e.g. junit_xml, cucumber_json, cobertura_xml.",
    )
    .aws("buildspec reports.<group>.file-format")
    .link(BUILDSPEC),
];

pub const CACHE: &[MemberSpec] = &[
    prop("paths", TEXTS, "Paths to cache between builds.")
        .aws("buildspec cache.paths")
        .link(BUILDSPEC),
    prop(
        "mode",
        ValueType::Enum(CacheMode::SPEC),
        "CodeBuild's local cache: docker_layer, source or custom.",
    )
    .aws("AWS::CodeBuild::Project Cache.Modes"),
];

pub const LOGS: &[MemberSpec] = &[
    prop(
        "enabled",
        BOOL,
        "Send build logs to CloudWatch Logs (on unless set to false).",
    )
    .aws("AWS::CodeBuild::Project LogsConfig.CloudWatchLogs.Status"),
    prop("group", TEXT, "The CloudWatch Logs group name.")
        .aws("AWS::CodeBuild::Project LogsConfig.CloudWatchLogs.GroupName"),
    prop("stream", TEXT, "The log stream name prefix.")
        .aws("AWS::CodeBuild::Project LogsConfig.CloudWatchLogs.StreamName"),
];

pub const PROJECT: &[MemberSpec] = &[
    prop("name", TEXT, "The CodeBuild project's name.").aws("AWS::CodeBuild::Project Name"),
    prop("description", TEXT, "The project's description.").aws("AWS::CodeBuild::Project Description"),
    prop("badge", BOOL, "Publish a build badge (for projects with their own source).")
        .aws("AWS::CodeBuild::Project BadgeEnabled"),
    prop(
        "artifact_encryption",
        BOOL,
        "Encrypt build artifacts (on unless set to false).",
    )
    .aws("AWS::CodeBuild::Project Artifacts.EncryptionDisabled (negated)"),
    prop(
        "timeout",
        ValueType::Minutes("build_timeout_minutes"),
        "How long a build may run before CodeBuild stops it: 5m to 36h (60m when not set).",
    )
    .aws("AWS::CodeBuild::Project TimeoutInMinutes"),
    prop(
        "queued_timeout",
        ValueType::Minutes("queued_timeout_minutes"),
        "How long a build may wait in the queue: 5m to 8h.",
    )
    .aws("AWS::CodeBuild::Project QueuedTimeoutInMinutes"),
    prop(
        "source",
        ValueType::Call(Calls::ProjectSource),
        "Where builds not started by a pipeline get their source: github(connection, \"owner/repo\", events = […]); omitted when only a pipeline runs the project.",
    )
    .aws("AWS::CodeBuild::Project Source, Triggers.FilterGroups"),
    prop(
        "role",
        ValueType::Ref(Kind::Role),
        "An explicit service role; without it cruddur infers a least-privilege role.",
    )
    .aws("AWS::CodeBuild::Project ServiceRole"),
    prop(
        "pushes",
        ValueType::List(&ValueType::Ref(Kind::Repository)),
        "The ECR repositories the build pushes to: the inferred role may push to these and no others.",
    )
    .aws("ECR push permissions of the project role"),
    prop("shell", ValueType::Enum(Shell::SPEC), "The shell that runs the commands: bash or sh.")
        .aws("buildspec env.shell")
        .link(BUILDSPEC),
    block(
        "environment",
        ENVIRONMENT,
        "The build container: image, compute size and Docker privileges.",
    )
    .aws("AWS::CodeBuild::Project Environment"),
    spec(
        "env",
        Form::Map(ENV),
        ValueType::Call(Calls::EnvValue),
        "Environment variables: NAME = \"value\", NAME = parameter_store(\"/path\"), NAME = secrets_manager(\"id:key\").",
    )
    .aws("buildspec env.variables, env.parameter-store, env.secrets-manager")
    .link(BUILDSPEC),
    labelled(
        "runtime",
        LabelValue::Required,
        None,
        LITERAL,
        "A runtime version the image installs: runtime python = \"3.12\".",
    )
    .aws("buildspec phases.install.runtime-versions")
    .link(BUILDSPEC),
    labelled(
        "phase",
        LabelValue::Forbidden,
        Some(PHASE),
        ValueType::Nothing,
        "The commands of one build phase: install, pre_build, build or post_build.",
    )
    .labels(PhaseName::SPEC)
    .aws("buildspec phases")
    .link(BUILDSPEC),
    statement(
        "output",
        ValueType::Call(Calls::ProjectOutput),
        "What the build produces: image_definitions(service, image = \"…\") or files(\"glob\", …).",
    )
    .aws("buildspec artifacts")
    .link(BUILDSPEC),
    labelled(
        "artifact",
        LabelValue::Forbidden,
        Some(ARTIFACT),
        ValueType::Nothing,
        "A named secondary artifact: a further output of the build action, by this name.",
    )
    .aws("buildspec artifacts.secondary-artifacts")
    .link(BUILDSPEC),
    labelled(
        "report",
        LabelValue::Forbidden,
        Some(REPORT),
        ValueType::Nothing,
        "A test or coverage report group.",
    )
    .aws("buildspec reports")
    .link(BUILDSPEC),
    block("cache", CACHE, "The build cache.").aws("AWS::CodeBuild::Project Cache"),
    block("logs", LOGS, "CloudWatch Logs settings.").aws("AWS::CodeBuild::Project LogsConfig"),
];

/// Action bodies also take provider settings, checked per provider.
pub const ACTION: &[MemberSpec] = &[
    statement(
        "input",
        ValueType::Artifact,
        "Input artifacts, by name: produced by an earlier action.",
    )
    .aws("AWS::CodePipeline::Pipeline Actions.InputArtifacts"),
    statement("output", ValueType::Artifact, "Output artifacts, by name.")
        .aws("AWS::CodePipeline::Pipeline Actions.OutputArtifacts"),
    prop(
        "run_order",
        ValueType::Integer("run_order"),
        "The action's order within the stage (1–999); actions with equal orders run in parallel.",
    )
    .aws("AWS::CodePipeline::Pipeline Actions.RunOrder"),
    prop(
        "namespace",
        LITERAL,
        "The namespace of the action's output variables: #{namespace.VARIABLE}.",
    )
    .aws("AWS::CodePipeline::Pipeline Actions.Namespace"),
    prop("region", TEXT, "The region the action runs in.").aws("AWS::CodePipeline::Pipeline Actions.Region"),
    prop(
        "role",
        ValueType::Ref(Kind::Role),
        "A role the action runs in; the pipeline's role assumes it.",
    )
    .aws("AWS::CodePipeline::Pipeline Actions.RoleArn"),
];

pub const STAGE: &[MemberSpec] = &[
    prop("name", TEXT, "The stage's name in AWS, when it differs from the label.")
        .aws("AWS::CodePipeline::Pipeline Stages.Name"),
    labelled(
        "action",
        LabelValue::Required,
        Some(ACTION),
        ValueType::Provider,
        "An action: action NAME = provider(…) { … }.",
    )
    .aws("AWS::CodePipeline::Pipeline Stages.Actions"),
];

pub const PIPELINE: &[MemberSpec] = &[
    prop("name", TEXT, "The pipeline's name in CodePipeline.").aws("AWS::CodePipeline::Pipeline Name"),
    prop(
        "role",
        ValueType::Ref(Kind::Role),
        "An explicit service role; without it cruddur infers a least-privilege role.",
    )
    .aws("AWS::CodePipeline::Pipeline RoleArn"),
    prop(
        "artifact_bucket",
        TEXT,
        "The name of an existing S3 bucket for artifacts; without it one is created.",
    )
    .aws("AWS::CodePipeline::Pipeline ArtifactStore.Location"),
    labelled(
        "stage",
        LabelValue::Forbidden,
        Some(STAGE),
        ValueType::Nothing,
        "A stage: its actions run when the previous stage succeeds.",
    )
    .aws("AWS::CodePipeline::Pipeline Stages"),
];

const fn field(name: &'static str, doc: &'static str) -> FieldSpec {
    FieldSpec { name, doc }
}

pub const ITEMS: &[ItemSpec] = &[
    ItemSpec {
        keyword: "aws",
        kind: None,
        form: Form::Block(AWS),
        doc: "The account and region used in ARNs and image URIs.",
        fields: &[field("account", "The account id"), field("region", "The region")],
        aws: "",
        link: "",
    },
    ItemSpec {
        keyword: "param",
        kind: Some(Kind::Param),
        form: Form::Labelled {
            value: LabelValue::Optional,
            body: Some(PARAM),
        },
        doc: "A value given at compile time: --param NAME=VALUE. A parameter of the CloudFormation template.",
        fields: &[],
        aws: "AWS::CloudFormation template Parameters",
        link: "",
    },
    ItemSpec {
        keyword: "let",
        kind: Some(Kind::Let),
        form: Form::Labelled {
            value: LabelValue::Required,
            body: None,
        },
        doc: "A named value: let NAME = \"text\", usable wherever text is.",
        fields: &[],
        aws: "",
        link: "",
    },
    ItemSpec {
        keyword: "connection",
        kind: Some(Kind::Connection),
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(CONNECTION),
        },
        doc: "A CodeConnections (formerly CodeStar Connections) connection to GitHub, Bitbucket or GitLab.",
        fields: &[
            field("arn", "The connection's ARN"),
            field("name", "The connection's name"),
        ],
        aws: "AWS::CodeStarConnections::Connection",
        link: "",
    },
    ItemSpec {
        keyword: "repository",
        kind: Some(Kind::Repository),
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(REPOSITORY),
        },
        doc: "An ECR repository that builds push images to.",
        fields: &[
            field("uri", "The repository URI: ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME"),
            field("arn", "The repository's ARN"),
            field("name", "The repository's name"),
        ],
        aws: "AWS::ECR::Repository",
        link: "",
    },
    ItemSpec {
        keyword: "service",
        kind: Some(Kind::Service),
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(SERVICE),
        },
        doc: "An existing ECS service that deploy actions update.",
        fields: &[
            field("cluster", "The cluster's name"),
            field("name", "The service's name"),
            field("container", "The container's name in the task definition"),
        ],
        aws: "an existing ECS service",
        link: "",
    },
    ItemSpec {
        keyword: "role",
        kind: Some(Kind::Role),
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(ROLE),
        },
        doc: "An explicit IAM role; without one, cruddur infers least-privilege roles.",
        fields: &[field("arn", "The role's ARN"), field("name", "The role's name")],
        aws: "AWS::IAM::Role",
        link: "",
    },
    ItemSpec {
        keyword: "project",
        kind: Some(Kind::Project),
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(PROJECT),
        },
        doc: "A CodeBuild project and its buildspec.",
        fields: &[field("name", "The project's name"), field("arn", "The project's ARN")],
        aws: "AWS::CodeBuild::Project",
        link: "",
    },
    ItemSpec {
        keyword: "pipeline",
        kind: Some(Kind::Pipeline),
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(PIPELINE),
        },
        doc: "A CodePipeline (V2): stages of actions wired by artifacts.",
        fields: &[
            field("name", "The pipeline's name"),
            field("arn", "The pipeline's ARN"),
            field("artifact_bucket", "The name of the pipeline's artifact bucket"),
        ],
        aws: "AWS::CodePipeline::Pipeline",
        link: "",
    },
];

pub fn item(keyword: &str) -> Option<&'static ItemSpec> {
    ITEMS.iter().find(|item| item.keyword == keyword)
}

pub fn item_of_kind(kind: Kind) -> &'static ItemSpec {
    ITEMS
        .iter()
        .find(|item| item.kind == Some(kind))
        .expect("every kind has an item")
}

/// The members a block of this form takes.
pub fn members_of(form: Form) -> &'static [MemberSpec] {
    match form {
        Form::Block(members) | Form::Map(members) => members,
        Form::Labelled {
            body: Some(members), ..
        } => members,
        _ => &[],
    }
}

/// The member at a path of member names from an item keyword: `["project", "environment",
/// "compute"]`.
pub fn lookup(path: &[&str]) -> Option<&'static MemberSpec> {
    let (first, rest) = path.split_first()?;
    let mut members = item(first)?.members();
    let mut found = None;
    for name in rest {
        let member = members.iter().find(|m| m.name == *name)?;
        members = member.members();
        found = Some(member);
    }
    found
}

/// The member of `members` that `name` is probably a misspelling of.
pub fn did_you_mean_member(name: &str, members: &'static [MemberSpec]) -> Option<&'static str> {
    crate::diagnostics::did_you_mean(name, members.iter().map(|m| m.name))
}

//! What each item takes: its members, the form each is written in, the type of its value, a
//! line or two of documentation, the AWS name it becomes and AWS's reference page. The
//! structure check, lowering, `cruddur explain`, completion, hover and the reference in
//! `spec/language.md` (kept in step by a test) all read this one table.

use super::{enums::*, Calls, Field, FieldSpec, Kind, ValueType};
use crate::data::limits;

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

    /// Its form, in words: "property", "block", "labelled block"…
    pub fn form_name(&self) -> &'static str {
        match self.form {
            Form::Property => "property",
            Form::Block(_) => "block",
            Form::Map(_) => "block of variables",
            Form::Labelled { body: Some(_), .. } => "labelled block",
            Form::Labelled { body: None, .. } => "labelled value",
            Form::Statement => "statement",
        }
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
    /// The members it cannot work without, in the order a skeleton writes them (a
    /// `connection` needs them unless it names an existing one by `arn`).
    pub required: &'static [&'static str],
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

pub const AWS: &[MemberSpec] = &[
    prop(
        "account",
        TEXT,
        "The 12-digit AWS account id used in ARNs, the ECR registry host ACCOUNT.dkr.ecr.REGION.amazonaws.com and the default artifact bucket name. Usually a param.",
    )
    .aws("ARN account field; AWS::AccountId in CloudFormation")
    .link("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html"),
    prop(
        "region",
        TEXT,
        "The AWS Region, such as us-east-1, used in ARNs, the ECR registry host and ecr_login. Only the standard aws partition is supported.",
    )
    .aws("ARN Region field; AWS::Region in CloudFormation")
    .link("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html"),
];

pub const PARAM: &[MemberSpec] = &[
    prop(
        "description",
        LITERAL,
        "What the parameter is for; it becomes the Description of the CloudFormation template parameter.",
    )
    .aws("Parameters.<Name>.Description")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html"),
    prop(
        "default",
        LITERAL,
        "The value used when --param does not give one; it becomes the Default of the CloudFormation template parameter.",
    )
    .aws("Parameters.<Name>.Default")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html"),
];

pub const CONNECTION: &[MemberSpec] = &[
    prop(
        "name",
        TEXT,
        "The connection's name in CodeConnections: 1 to 32 characters, unique in the account. Changing it replaces the connection.",
    )
    .aws("AWS::CodeStarConnections::Connection ConnectionName")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codestarconnections-connection.html#cfn-codestarconnections-connection-connectionname"),
    prop(
        "provider",
        ValueType::Enum(ConnectionProvider::SPEC),
        "The external provider the connection reaches: GitHub, GitHubEnterpriseServer, Bitbucket or GitLab. A GitHub Enterprise Server connection also needs a host (HostArn).",
    )
    .aws("AWS::CodeStarConnections::Connection ProviderType")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codestarconnections-connection.html#cfn-codestarconnections-connection-providertype"),
    prop(
        "arn",
        TEXT,
        "The ARN of an existing, already authorized connection (arn:aws:codeconnections:… or arn:aws:codestar-connections:…); when set, no connection is created.",
    )
    .aws("CodeStarSourceConnection ConnectionArn; CodeBuild Source.Auth.Resource")
    .link("https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html#action-reference-CodestarConnectionSource-config"),
];

pub const REPOSITORY: &[MemberSpec] = &[
    prop("name", TEXT, "The ECR repository name: 2 to 256 lowercase letters and digits with . _ - / separators. Changing it replaces the repository.")
    .aws("AWS::ECR::Repository RepositoryName")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecr-repository.html#cfn-ecr-repository-repositoryname"),
    prop(
        "scan_on_push",
        BOOL,
        "Runs ECR basic scanning on every image after it is pushed (default false). AWS is deprecating this repository-level setting in favor of registry-level scanning configuration.",
    )
    .aws("AWS::ECR::Repository ImageScanningConfiguration.ScanOnPush")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ecr-repository-imagescanningconfiguration.html#cfn-ecr-repository-imagescanningconfiguration-scanonpush"),
    prop(
        "tag_mutability",
        ValueType::Enum(TagMutability::SPEC),
        "mutable (the default) lets a pushed tag be overwritten by a later push; immutable makes a push that reuses an existing tag fail.",
    )
    .aws("AWS::ECR::Repository ImageTagMutability")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecr-repository.html#cfn-ecr-repository-imagetagmutability"),
];

pub const SERVICE: &[MemberSpec] = &[
    prop("cluster", TEXT, "The name (not ARN) of the ECS cluster that runs the service. It becomes the ECS deploy action's ClusterName.")
    .aws("ECS deploy action ClusterName")
    .link("https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html#action-reference-ECS-config"),
    prop("name", TEXT, "The name (not ARN) of the ECS service to update. It becomes the ECS deploy action's ServiceName.")
    .aws("ECS deploy action ServiceName")
    .link("https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html#action-reference-ECS-config"),
    prop(
        "container",
        TEXT,
        "The container name in the service's task definition. imagedefinitions.json names it so the ECS action knows which container gets the new image.",
    )
    .aws("imagedefinitions.json \"name\"")
    .link("https://docs.aws.amazon.com/codepipeline/latest/userguide/file-reference.html#pipelines-create-image-definitions"),
    prop(
        "containers",
        TEXTS,
        "The container names in the service's task definition that builds give images, for a task of several containers (in place of container). image_definitions(service, container(\"name\", image = \"…\"), …) names each one it updates.",
    )
    .aws("imagedefinitions.json \"name\"")
    .link("https://docs.aws.amazon.com/codepipeline/latest/userguide/file-reference.html#pipelines-create-image-definitions"),
    prop(
        "task_role",
        TEXT,
        "Name or ARN of the task's IAM role. The pipeline role is granted iam:PassRole on it, since the ECS action registers a new task definition revision.",
    )
    .aws("iam:PassRole resource (task definition taskRoleArn)")
    .link("https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html"),
    prop(
        "execution_role",
        TEXT,
        "Name or ARN of the task execution role the ECS agent uses to pull images and send logs. The pipeline role is granted iam:PassRole on it.",
    )
    .aws("iam:PassRole resource (task definition executionRoleArn)")
    .link("https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html"),
    prop(
        "task_family",
        TEXT,
        "The task definition family the service runs; the deploy action registers new revisions of it. Narrows ecs:RegisterTaskDefinition to task-definition/FAMILY:*.",
    )
    .aws("ECS task definition family (ecs:RegisterTaskDefinition resource)")
    .link("https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#family"),
];

pub const ALLOW: &[MemberSpec] = &[
    prop("sid", LITERAL, "An optional statement id, a label for the statement within the policy.")
    .aws("IAM policy Statement Sid")
    .link("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html"),
    prop(
        "actions",
        ValueType::List(&ValueType::IamAction),
        "IAM actions as service:Action, such as ecr:GetAuthorizationToken; wildcards like ecr:Batch* are allowed. Action names are case-insensitive.",
    )
    .aws("IAM policy Statement Action")
    .link("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html"),
    prop(
        "resources",
        TEXTS,
        "ARNs of the resources the actions apply to, or \"*\" for actions that support no resource-level permissions.",
    )
    .aws("IAM policy Statement Resource")
    .link("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html"),
    prop(
        "conditions",
        ValueType::List(&ValueType::Call(Calls::Condition)),
        "Conditions under which the statement applies, as condition(\"Operator\", \"key\", value) calls; several keys under one operator must all match.",
    )
    .aws("IAM policy Statement Condition")
    .link("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html"),
];

pub const ROLE: &[MemberSpec] = &[
    prop(
        "arn",
        TEXT,
        "An existing role, by its ARN (arn:aws:iam::ACCOUNT:role/NAME), instead of one cruddur creates: in another account, the role a cross-account action runs in. cruddur writes the trust and permissions it needs (iam/existing/) for its account to attach.",
    )
    .aws("the role's Arn, where the role is used (RoleArn, ServiceRole)")
    .link("https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-cross-account.html"),
    prop("name", TEXT, "The IAM role name: at most 64 characters of letters, digits and + = , . @ _ -. Changing it replaces the role.")
    .aws("AWS::IAM::Role RoleName")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html#cfn-iam-role-rolename"),
    prop("description", TEXT, "A description of the role.")
    .aws("AWS::IAM::Role Description")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html#cfn-iam-role-description"),
    prop(
        "trust",
        ValueType::List(&ValueType::Enum(TrustedService::SPEC)),
        "The AWS services allowed to assume the role (sts:AssumeRole). Each becomes a service principal such as codebuild.amazonaws.com in the trust policy.",
    )
    .aws("AWS::IAM::Role AssumeRolePolicyDocument, Principal.Service")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html#cfn-iam-role-assumerolepolicydocument"),
    block("allow", ALLOW, "One Allow statement of the role's inline policy: actions on resources, optionally under conditions.")
        .repeatable()
    .aws("AWS::IAM::Role Policies[].PolicyDocument.Statement")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html#cfn-iam-role-policies"),
    prop(
        "managed_policies",
        TEXTS,
        "ARNs of IAM managed policies to attach to the role.",
    )
    .aws("AWS::IAM::Role ManagedPolicyArns")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html#cfn-iam-role-managedpolicyarns"),
];

pub const ENVIRONMENT: &[MemberSpec] = &[
    prop(
        "image",
        ValueType::Call(Calls::Image),
        "The build image: a CodeBuild curated image such as amazonlinux_standard(\"5.0\"), or a custom image URI (then pulled with the service role's credentials).",
    )
    .aws("AWS::CodeBuild::Project Environment.Image (and ImagePullCredentialsType)")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-environment.html#cfn-codebuild-project-environment-image"),
    prop(
        "compute",
        ValueType::Enum(Compute::SPEC),
        "The compute size: memory and vCPUs of the build container. cruddur uses small (BUILD_GENERAL1_SMALL) when it is omitted.",
    )
    .aws("AWS::CodeBuild::Project Environment.ComputeType")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-environment.html#cfn-codebuild-project-environment-computetype"),
    prop(
        "privileged",
        BOOL,
        "Runs the Docker daemon inside the build container, needed to build or push Docker images. The default is false.",
    )
    .aws("AWS::CodeBuild::Project Environment.PrivilegedMode")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-environment.html#cfn-codebuild-project-environment-privilegedmode"),
    prop(
        "type",
        ValueType::Enum(EnvironmentType::SPEC),
        "The environment type: x86_64 Linux, ARM Linux or Linux with GPUs. An aarch64 curated image selects ARM unless another type is given.",
    )
    .aws("AWS::CodeBuild::Project Environment.Type")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-environment.html#cfn-codebuild-project-environment-type"),
    prop(
        "registry_credential",
        TEXT,
        "For a custom image in a private registry other than ECR: the Secrets Manager secret (its ARN or name) holding the registry's username and password. The project's role may read that secret.",
    )
    .aws("AWS::CodeBuild::Project Environment.RegistryCredential (CredentialProvider SECRETS_MANAGER)")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/sample-private-registry.html"),
];

pub const VPC: &[MemberSpec] = &[
    prop("id", TEXT, "The VPC the builds run in: vpc-….")
        .aws("AWS::CodeBuild::Project VpcConfig.VpcId")
        .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-vpcconfig.html"),
    prop("subnets", TEXTS, "Its private subnets the builds get a network interface in (1 to 16): subnet-…. They reach the internet through a NAT gateway.")
        .aws("AWS::CodeBuild::Project VpcConfig.Subnets")
        .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-vpcconfig.html"),
    prop("security_groups", TEXTS, "The security groups of that interface (1 to 5): sg-….")
        .aws("AWS::CodeBuild::Project VpcConfig.SecurityGroupIds")
        .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-vpcconfig.html"),
];

pub const ENV: &[MemberSpec] = &[statement(
    "export",
    ValueType::Nothing,
    "Variables exported for later pipeline actions, read as #{namespace.NAME}. Their values can change until post_build ends; AWS_* names and project-level secrets cannot be exported.",
)
    .aws("buildspec env.exported-variables")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.exported-variables")];

pub const PHASE_FINALLY: &[MemberSpec] = &[statement(
    "run",
    ValueType::Call(Calls::Command),
    "A shell command run in the phase's finally block, after the phase's commands, whether or not they failed.",
)
.aws("buildspec phases.<name>.finally[]")
.link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.phases.finally")];

pub const PHASE: &[MemberSpec] = &[
    statement(
        "run",
        ValueType::Call(Calls::Command),
        "A shell command. Commands run one at a time in order; the first failing command fails the phase and the rest are skipped.",
    )
    .aws("buildspec phases.<name>.commands")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.phases"),
    block("finally", PHASE_FINALLY, "Commands that run after the phase's commands even if one of them failed. The phase succeeds only if all commands and finally commands succeed.")
    .aws("buildspec phases.<name>.finally")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.phases.finally"),
    prop(
        "on_failure",
        ValueType::Enum(OnFailure::SPEC),
        "What CodeBuild does when the phase fails: abort the build or continue with the next phase. Without it, failures follow CodeBuild's phase transitions.",
    )
    .aws("buildspec phases.<name>.on-failure")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.phases.on-failure"),
    prop("run_as", TEXT, "The Linux user that runs this phase's commands (Linux only); without it commands run as root.")
    .aws("buildspec phases.<name>.run-as")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.phases.run-as"),
];

pub const ARTIFACT: &[MemberSpec] = &[
    prop("files", TEXTS, "Glob patterns of the files to include, relative to the source directory or base_directory; '**/*' means all files recursively.")
    .aws("buildspec artifacts.secondary-artifacts.<name>.files")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.artifacts.files"),
    prop("base_directory", TEXT, "The top-level directory the file patterns are relative to; the directory itself is not included in the artifact.")
    .aws("buildspec artifacts.secondary-artifacts.<name>.base-directory")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.artifacts.base-directory"),
    prop("discard_paths", BOOL, "If true, all matching files are placed in one directory, without their paths.")
    .aws("buildspec artifacts.secondary-artifacts.<name>.discard-paths (yes/no)")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.artifacts.discard-paths"),
    prop("name", TEXT, "A name for the artifact, evaluated by the shell at build time. CodeBuild uses it only for S3 artifacts with the artifact name override enabled.")
    .aws("buildspec artifacts.secondary-artifacts.<name>.name")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.artifacts.name"),
];

const NOTIFY_LINK: &str = "https://docs.aws.amazon.com/dtconsole/latest/userguide/concepts.html#concepts-api";

const fn notify_members(events: ValueType) -> [MemberSpec; 2] {
    [
        prop(
            "topic",
            TEXT,
            "The SNS topic the notifications go to, by its ARN: in the same account and Region as the resource, with a policy that lets codestar-notifications.amazonaws.com publish. Required.",
        )
        .aws("AWS::CodeStarNotifications::NotificationRule Targets[] (SNS)")
        .link("https://docs.aws.amazon.com/dtconsole/latest/userguide/set-up-sns.html"),
        prop("events", events, "The events that send a notification. Required.")
            .aws("AWS::CodeStarNotifications::NotificationRule EventTypeIds")
            .link(NOTIFY_LINK),
    ]
}

pub const NOTIFY_BUILD: &[MemberSpec] =
    &notify_members(ValueType::List(&ValueType::Enum(BuildNotificationEvent::SPEC)));
pub const NOTIFY_PIPELINE: &[MemberSpec] =
    &notify_members(ValueType::List(&ValueType::Enum(PipelineNotificationEvent::SPEC)));

const TRIGGER_LINK: &str = "https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-filter.html";

pub const TRIGGER: &[MemberSpec] = &[
    prop("branches", TEXTS, "Glob patterns of the branches that start the pipeline: pushed to, or a pull request's destination (`*` within a name, `**` across `/`).")
        .aws("GitBranchFilterCriteria Includes")
        .link(TRIGGER_LINK),
    prop("exclude_branches", TEXTS, "Branches that do not start the pipeline, even when `branches` matches them.")
        .aws("GitBranchFilterCriteria Excludes")
        .link(TRIGGER_LINK),
    prop("tags", TEXTS, "Glob patterns of the Git tags whose push starts the pipeline (push filters only, without branches or files).")
        .aws("GitTagFilterCriteria Includes")
        .link(TRIGGER_LINK),
    prop("exclude_tags", TEXTS, "Git tags that do not start the pipeline.")
        .aws("GitTagFilterCriteria Excludes")
        .link(TRIGGER_LINK),
    prop("files", TEXTS, "Glob patterns of file paths: the pipeline starts only when a changed file matches (with branches).")
        .aws("GitFilePathFilterCriteria Includes")
        .link(TRIGGER_LINK),
    prop("exclude_files", TEXTS, "File paths whose changes alone do not start the pipeline.")
        .aws("GitFilePathFilterCriteria Excludes")
        .link(TRIGGER_LINK),
    prop(
        "events",
        ValueType::List(&ValueType::Enum(PullRequestEvent::SPEC)),
        "The pull request events that start the pipeline: opened, updated, closed (pull_request filters only).",
    )
    .aws("GitPullRequestFilter Events")
    .link(TRIGGER_LINK),
];

pub const REPORT: &[MemberSpec] = &[
    prop("files", TEXTS, "Glob patterns of the raw report files, relative to the source directory or base_directory.")
    .aws("buildspec reports.<group>.files")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.reports.files"),
    prop("base_directory", TEXT, "The top-level directory CodeBuild looks in for the report files.")
    .aws("buildspec reports.<group>.base-directory")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.reports.base-directory"),
    prop(
        "format",
        ValueType::Enum(ReportFormat::SPEC),
        "The report file format; test formats and code coverage formats are both accepted. CodeBuild assumes JUnit XML when it is absent.",
    )
    .aws("buildspec reports.<group>.file-format")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.reports.file-format"),
];

pub const CACHE: &[MemberSpec] = &[
    prop("paths", TEXTS, "Paths to cache, relative to the source directory; used by the custom cache mode, which caches directories only.")
    .aws("buildspec cache.paths")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.cache.paths"),
    prop(
        "mode",
        ValueType::Enum(CacheMode::SPEC),
        "Which local cache CodeBuild keeps: docker_layer (needs privileged), source (Git metadata) or custom (the paths).",
    )
    .aws("AWS::CodeBuild::Project Cache.Modes")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-projectcache.html#cfn-codebuild-project-projectcache-modes"),
    prop(
        "location",
        TEXT,
        "An S3 cache instead of a local one: \"bucket\" or \"bucket/prefix\", shared by every build host. The project's role may read and write there.",
    )
    .aws("AWS::CodeBuild::Project Cache (Type S3, Location)")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-projectcache.html#cfn-codebuild-project-projectcache-location"),
];

pub const LOGS: &[MemberSpec] = &[
    prop(
        "enabled",
        BOOL,
        "Sends build logs to CloudWatch Logs (ENABLED unless set to false).",
    )
    .aws("LogsConfig.CloudWatchLogs.Status")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-cloudwatchlogsconfig.html#cfn-codebuild-project-cloudwatchlogsconfig-status"),
    prop("group", TEXT, "The CloudWatch Logs group name; CodeBuild's default is /aws/codebuild/<project-name>.")
    .aws("LogsConfig.CloudWatchLogs.GroupName")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-cloudwatchlogsconfig.html#cfn-codebuild-project-cloudwatchlogsconfig-groupname"),
    prop("stream", TEXT, "A prefix for the CloudWatch Logs stream names of the builds.")
    .aws("LogsConfig.CloudWatchLogs.StreamName")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-cloudwatchlogsconfig.html#cfn-codebuild-project-cloudwatchlogsconfig-streamname"),
];

pub const PROJECT: &[MemberSpec] = &[
    prop("name", TEXT, "The CodeBuild project name: 2 to 150 letters, digits, - and _, starting with a letter or digit, unique in the account. Changing it replaces the project.")
    .aws("AWS::CodeBuild::Project Name")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-project.html#cfn-codebuild-project-name"),
    prop("description", TEXT, "A description of the project.")
    .aws("AWS::CodeBuild::Project Description")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-project.html#cfn-codebuild-project-description"),
    prop("badge", BOOL, "Generates a publicly accessible build badge URL. CodeBuild does not support badges for projects whose source is CodePipeline.")
    .aws("AWS::CodeBuild::Project BadgeEnabled")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-project.html#cfn-codebuild-project-badgeenabled"),
    prop(
        "output_to",
        ValueType::Call(Calls::OutputTo),
        "Where a project no pipeline runs uploads its output files (its `output files(…)`): s3(\"bucket/path\", name = \"app.zip\", zip = true, build_id = true). Without it the output is not kept.",
    )
    .aws("AWS::CodeBuild::Project Artifacts (Type S3, Location, Path, Name, Packaging, NamespaceType)")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-artifacts.html"),
    prop(
        "schedule",
        TEXT,
        "Starts a build of the project on a schedule, through an EventBridge rule: `cron(minutes hours day-of-month month day-of-week year)` or `rate(value unit)`, in UTC. For a project no pipeline runs; a pipeline's project runs on the pipeline's `schedule`.",
    )
    .aws("AWS::Events::Rule ScheduleExpression, targeting the project")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/trigger-create.html"),
    prop(
        "encryption_key",
        TEXT,
        "A customer managed KMS key, by its ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), that encrypts the project's build output; the project's role is granted its use. A pipeline's artifacts are encrypted with the pipeline's artifact_key instead.",
    )
    .aws("AWS::CodeBuild::Project EncryptionKey")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-project.html#cfn-codebuild-project-encryptionkey"),
    prop(
        "artifact_encryption",
        BOOL,
        "Set to false to leave build output artifacts unencrypted. AWS accepts this only for S3 artifacts and rejects it for CODEPIPELINE or NO_ARTIFACTS.",
    )
    .aws("AWS::CodeBuild::Project Artifacts.EncryptionDisabled (negated)")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-artifacts.html#cfn-codebuild-project-artifacts-encryptiondisabled"),
    prop(
        "timeout",
        ValueType::Minutes(limits::BUILD_TIMEOUT),
        "How long a build may run before CodeBuild stops it. The default is 60 minutes.",
    )
    .aws("AWS::CodeBuild::Project TimeoutInMinutes")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-project.html#cfn-codebuild-project-timeoutinminutes"),
    prop(
        "queued_timeout",
        ValueType::Minutes(limits::QUEUED_TIMEOUT),
        "How long a build may wait in the queue before it times out.",
    )
    .aws("AWS::CodeBuild::Project QueuedTimeoutInMinutes")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-project.html#cfn-codebuild-project-queuedtimeoutinminutes"),
    prop(
        "source",
        ValueType::Call(Calls::ProjectSource),
        "What builds read when no pipeline runs the project: a repository reached through a connection (events create a webhook; branch sets the source version and filters it), or an S3 object, s3(\"bucket/path/source.zip\").",
    )
    .aws("AWS::CodeBuild::Project Source (Type, Location, Auth CODECONNECTIONS), SourceVersion, Triggers.FilterGroups")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-project.html#cfn-codebuild-project-source"),
    prop(
        "role",
        ValueType::Ref(Kind::Role),
        "The service role CodeBuild assumes to run builds; it must trust codebuild.amazonaws.com. By default cruddur infers a least-privilege role.",
    )
    .aws("AWS::CodeBuild::Project ServiceRole")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-project.html#cfn-codebuild-project-servicerole"),
    prop(
        "pushes",
        ValueType::List(&ValueType::Ref(Kind::Repository)),
        "ECR repositories the build pushes images to. The project role is granted ecr:GetAuthorizationToken and the push actions on those repositories.",
    )
    .aws("ECR push permissions in the project's IAM policy")
    .link("https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html"),
    prop(
        "buildspec",
        ValueType::Call(Calls::Buildspec),
        "A buildspec kept in the repository, file(\"path\"), instead of phases written here. CodeBuild reads it from the build's source; cruddur reads it at compile time and checks it as it checks phases written here, reporting problems at their line in the file.",
    )
    .aws("AWS::CodeBuild::Project Source.BuildSpec (a path in the source)")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec-ref-name-storage"),
    prop("shell", ValueType::Enum(Shell::SPEC), "The shell CodeBuild runs the commands in. For Linux, AWS documents the shell tags bash and /bin/sh.")
    .aws("buildspec env.shell")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.shell"),
    block(
        "environment",
        ENVIRONMENT,
        "The build container: image, compute size, environment type and Docker privileges.",
    )
    .aws("AWS::CodeBuild::Project Environment")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-project.html#cfn-codebuild-project-environment"),
    block(
        "vpc",
        VPC,
        "Runs the builds inside a VPC, to reach private resources (a database, an internal service): vpc { id = \"vpc-…\" subnets = [\"subnet-…\"] security_groups = [\"sg-…\"] }. The role may manage the builds' network interfaces.",
    )
    .aws("AWS::CodeBuild::Project VpcConfig")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/vpc-support.html"),
    spec(
        "env",
        Form::Map(ENV),
        ValueType::Call(Calls::EnvValue),
        "Environment variables for the build: plain text, Parameter Store parameters or Secrets Manager secrets. Use parameter_store or secrets_manager for sensitive values.",
    )
    .aws("buildspec env (variables, parameter-store, secrets-manager)")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env"),
    labelled(
        "runtime",
        LabelValue::Required,
        None,
        LITERAL,
        "A language runtime version the curated image installs in the install phase, such as python = \"3.12\". A major version with .x or latest is also accepted.",
    )
    .aws("buildspec phases.install.runtime-versions")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/runtime-versions.html"),
    labelled(
        "phase",
        LabelValue::Forbidden,
        Some(PHASE),
        ValueType::Nothing,
        "The commands of one build phase: install, pre_build, build or post_build. Phases run in that order.",
    )
    .labels(PhaseName::SPEC)
    .aws("buildspec phases.<name>")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.phases"),
    statement(
        "output",
        ValueType::Call(Calls::ProjectOutput),
        "The build's primary output artifact: image_definitions(…) writes imagedefinitions.json for an ECS deploy, files(…) keeps build files.",
    )
    .aws("buildspec artifacts")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.artifacts"),
    labelled(
        "artifact",
        LabelValue::Forbidden,
        Some(ARTIFACT),
        ValueType::Nothing,
        "A named secondary artifact. In a pipeline, a CodeBuild action's output artifact of the same name carries it.",
    )
    .aws("buildspec artifacts.secondary-artifacts.<name>")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.artifacts.secondary-artifacts"),
    labelled(
        "report",
        LabelValue::Forbidden,
        Some(REPORT),
        ValueType::Nothing,
        "A report group that receives test or code coverage reports; CodeBuild creates it as <project-name>-<label>. A project can have at most five report groups.",
    )
    .aws("buildspec reports.<report-group>")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.reports"),
    block("cache", CACHE, "A local build cache kept on the build host between builds. Local caching is not supported for LINUX_GPU_CONTAINER, BUILD_GENERAL1_2XLARGE or VPC builds.")
    .aws("AWS::CodeBuild::Project Cache (Type LOCAL); buildspec cache")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-project.html#cfn-codebuild-project-cache"),
    block("logs", LOGS, "Where build logs go in CloudWatch Logs.")
    .aws("AWS::CodeBuild::Project LogsConfig.CloudWatchLogs")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-project.html#cfn-codebuild-project-logsconfig"),
    labelled(
        "notify",
        LabelValue::Forbidden,
        Some(NOTIFY_BUILD),
        ValueType::Nothing,
        "A notification rule, `notify NAME { topic = \"arn:aws:sns:…\", events = [build_failed] }`: the build's events sent to an SNS topic. The rule is named <project-name>-<NAME>.",
    )
    .aws("AWS::CodeStarNotifications::NotificationRule (Resource: the project)")
    .link(NOTIFY_LINK),
    block("allow", ALLOW, "One more Allow statement for the project's inferred role, beside what cruddur infers (an s3 sync to a bucket, a secret a script reads). A project with an explicit role takes its statements in that role.")
        .repeatable()
    .aws("AWS::IAM::Role Policies[].PolicyDocument.Statement of the inferred CodeBuild role")
    .link("https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html"),
];

/// Action bodies also take provider settings, checked per provider.
pub const ACTION: &[MemberSpec] = &[
    labelled(
        "on",
        LabelValue::Forbidden,
        Some(TRIGGER),
        ValueType::Nothing,
        "A trigger filter of a connection source (`on push { … }`, `on pull_request { … }`): the Git events that start the pipeline, instead of every commit to `branch`. Up to three of each kind.",
    )
    .labels(TriggerKind::SPEC)
    .aws("PipelineDeclaration Triggers[].GitConfiguration (Push, PullRequest)")
    .link("https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-triggers.html"),
    spec(
        "env",
        Form::Map(&[]),
        ValueType::Call(Calls::EnvValue),
        "Environment variables a CodeBuild action sets for its build, beside the project's and over them: plain text (which may read #{namespace.NAME} pipeline variables), parameter_store(…) or secrets_manager(…). One project run by several actions gets each its own values.",
    )
    .aws("ActionDeclaration Configuration.EnvironmentVariables (CodeBuild)")
    .link("https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeBuild.html#action-reference-CodeBuild-config"),
    statement(
        "input",
        ValueType::Artifact,
        "Input artifacts, by name; each must be produced by an earlier action. How many an action takes depends on its provider.",
    )
    .aws("ActionDeclaration InputArtifacts")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-actiondeclaration.html#cfn-codepipeline-pipeline-actiondeclaration-inputartifacts"),
    statement("output", ValueType::Artifact, "Output artifacts, by name: 1 to 100 letters, digits, _ and -. Each name is produced once in the pipeline.")
    .aws("ActionDeclaration OutputArtifacts")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-actiondeclaration.html#cfn-codepipeline-pipeline-actiondeclaration-outputartifacts"),
    prop(
        "run_order",
        ValueType::Integer(limits::RUN_ORDER),
        "The action's order within its stage (default 1); actions with the same number run in parallel.",
    )
    .aws("ActionDeclaration RunOrder")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-actiondeclaration.html#cfn-codepipeline-pipeline-actiondeclaration-runorder"),
    prop(
        "namespace",
        LITERAL,
        "The namespace of the action's output variables; later actions read them as #{namespace.variable}.",
    )
    .aws("ActionDeclaration Namespace")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-actiondeclaration.html#cfn-codepipeline-pipeline-actiondeclaration-namespace"),
    prop("region", TEXT, "The Region the action runs in, for a cross-Region action: the pipeline needs an `artifact_store` in that Region.")
    .aws("ActionDeclaration Region")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-actiondeclaration.html#cfn-codepipeline-pipeline-actiondeclaration-region"),
    prop(
        "role",
        ValueType::Ref(Kind::Role),
        "A role the action runs in, assumed through the pipeline's role; cruddur lets the pipeline role assume it.",
    )
    .aws("ActionDeclaration RoleArn")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-actiondeclaration.html#cfn-codepipeline-pipeline-actiondeclaration-rolearn"),
];

pub const STAGE: &[MemberSpec] = &[
    prop("name", TEXT, "The stage name in CodePipeline when it differs from the label: 1 to 100 letters, digits and . @ - _, unique in the pipeline.")
    .aws("StageDeclaration Name")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-stagedeclaration.html#cfn-codepipeline-pipeline-stagedeclaration-name"),
    prop(
        "on_failure",
        ValueType::Enum(StageFailure::SPEC),
        "What CodePipeline does when the stage fails: rollback (to the stage's last successful execution; not a source stage, not in a parallel pipeline), retry (the failed actions, once), retry_all (every action, once) or fail.",
    )
    .aws("StageDeclaration OnFailure (Result, RetryConfiguration.RetryMode)")
    .link("https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback.html"),
    labelled(
        "action",
        LabelValue::Required,
        Some(ACTION),
        ValueType::Provider,
        "An action of the stage, action NAME = provider(…) { … }. The label is the action name (letters, digits and . @ - _, unique in the stage).",
    )
    .aws("StageDeclaration Actions[] (ActionDeclaration)")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-stagedeclaration.html#cfn-codepipeline-pipeline-stagedeclaration-actions"),
];

pub const STAGE_TEMPLATE: &[MemberSpec] = &[
    labelled(
        "param",
        LabelValue::Optional,
        None,
        ValueType::Setting,
        "A parameter of the template, `param NAME` or `param NAME = default`: each stage made from the template gives its value (`stage Prod = template(NAME = value)`), which the template's text reads wherever a value is written (`NAME`, \"${{ NAME }}\").",
    )
    .aws("none (compile time only)"),
    STAGE[0],
    STAGE[1],
    STAGE[2],
];

pub const ARTIFACT_STORE: &[MemberSpec] = &[
    prop("region", TEXT, "The Region of the store: an action with `region` set to it reads and writes its artifacts there.")
        .aws("ArtifactStoreMap Region")
        .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-artifactstoremap.html"),
    prop("bucket", TEXT, "An existing S3 bucket in that Region, versioned, for the artifacts of the actions there.")
        .aws("ArtifactStore Location")
        .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-artifactstore.html"),
    prop("key", TEXT, "A customer managed KMS key of that Region, by its ARN, that encrypts the artifacts there (else the AWS managed key for S3).")
        .aws("ArtifactStore EncryptionKey")
        .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-encryptionkey.html"),
];

pub const PIPELINE_VARIABLE: &[MemberSpec] = &[prop(
    "description",
    TEXT,
    "What the variable is for, shown when a person starts the pipeline (at most 200 characters).",
)
.aws("PipelineVariableDeclaration description")
.link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-variabledeclaration.html")];

pub const PIPELINE: &[MemberSpec] = &[
    prop("name", TEXT, "The pipeline name: 1 to 100 letters, digits and . @ - _. Changing it replaces the pipeline.")
    .aws("AWS::CodePipeline::Pipeline Name")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codepipeline-pipeline.html#cfn-codepipeline-pipeline-name"),
    prop(
        "role",
        ValueType::Ref(Kind::Role),
        "The service role CodePipeline assumes; it must trust codepipeline.amazonaws.com. By default cruddur infers a least-privilege role.",
    )
    .aws("AWS::CodePipeline::Pipeline RoleArn")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codepipeline-pipeline.html#cfn-codepipeline-pipeline-rolearn"),
    prop(
        "artifact_bucket",
        TEXT,
        "An existing S3 bucket where CodePipeline stores artifacts. Without it the template creates an encrypted, versioned bucket.",
    )
    .aws("AWS::CodePipeline::Pipeline ArtifactStore.Location")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-artifactstore.html#cfn-codepipeline-pipeline-artifactstore-location"),
    prop(
        "artifact_key",
        TEXT,
        "A customer managed KMS key, by its ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), that encrypts the pipeline's artifacts instead of the AWS managed key for S3; the roles that read and write them are granted its use. An action in another account needs one.",
    )
    .aws("AWS::CodePipeline::Pipeline ArtifactStore.EncryptionKey")
    .link("https://docs.aws.amazon.com/codepipeline/latest/userguide/S3-artifact-encryption.html"),
    block(
        "artifact_store",
        ARTIFACT_STORE,
        "An artifact store in another Region, `artifact_store { region = \"eu-west-1\" bucket = \"…\" }`, for the actions that run there (`region` in an action). CodePipeline copies the artifacts they read and write between the stores.",
    )
    .repeatable()
    .aws("AWS::CodePipeline::Pipeline ArtifactStores[] (with the pipeline's own store)")
    .link("https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html"),
    block("allow", ALLOW, "One more Allow statement for the pipeline's inferred role, beside what cruddur infers. A pipeline with an explicit role takes its statements in that role.")
        .repeatable()
    .aws("AWS::IAM::Role Policies[].PolicyDocument.Statement of the inferred CodePipeline role")
    .link("https://docs.aws.amazon.com/codepipeline/latest/userguide/security-iam.html#how-to-custom-role"),
    labelled(
        "notify",
        LabelValue::Forbidden,
        Some(NOTIFY_PIPELINE),
        ValueType::Nothing,
        "A notification rule, `notify NAME { topic = \"arn:aws:sns:…\", events = [execution_failed, approval_needed] }`: the pipeline's events sent to an SNS topic. The rule is named <pipeline-name>-<NAME>.",
    )
    .aws("AWS::CodeStarNotifications::NotificationRule (Resource: the pipeline)")
    .link(NOTIFY_LINK),
    prop(
        "schedule",
        TEXT,
        "Starts the pipeline on a schedule, through an EventBridge rule: `cron(minutes hours day-of-month month day-of-week year)` or `rate(value unit)`, in UTC.",
    )
    .aws("AWS::Events::Rule ScheduleExpression, targeting the pipeline")
    .link("https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html"),
    prop(
        "execution_mode",
        ValueType::Enum(ExecutionMode::SPEC),
        "How executions that start while one runs are handled: superseded (the default: a newer one replaces an older one), queued (one by one, in order) or parallel.",
    )
    .aws("AWS::CodePipeline::Pipeline ExecutionMode")
    .link("https://docs.aws.amazon.com/codepipeline/latest/userguide/concepts-how-it-works.html#concepts-how-it-works-executions"),
    labelled(
        "variable",
        LabelValue::Optional,
        Some(PIPELINE_VARIABLE),
        TEXT,
        "A pipeline-level variable, `variable NAME = \"default\"`, that action settings read as #{variables.NAME}; a run started by hand or by the API may set another value. Without a default, each run must be given one.",
    )
    .aws("AWS::CodePipeline::Pipeline Variables[]")
    .link("https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html#reference-variables-levels"),
    labelled(
        "stage",
        LabelValue::Optional,
        Some(STAGE),
        ValueType::Ref(Kind::StageTemplate),
        "A stage of actions; stages run in order, each after the previous one succeeds. A pipeline needs at least two, the first holding only source actions. `stage NAME = template(param = value, …)` makes it from a stage_template instead of a body.",
    )
    .aws("AWS::CodePipeline::Pipeline Stages[]")
    .link("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codepipeline-pipeline.html#cfn-codepipeline-pipeline-stages"),
];

const fn field(field: Field, doc: &'static str) -> FieldSpec {
    FieldSpec {
        field,
        name: field.word(),
        doc,
    }
}

pub const ITEMS: &[ItemSpec] = &[
    ItemSpec {
        keyword: "aws",
        kind: None,
        form: Form::Block(AWS),
        doc: "Account and Region that cruddur writes into ARNs, the ECR registry host and the default artifact bucket name. CloudFormation output uses ${AWS::AccountId} and ${AWS::Region} instead of these values.",
        fields: &[field(Field::Account, "The account id from the aws block; ${AWS::AccountId} in CloudFormation output."), field(Field::Region, "The Region from the aws block; ${AWS::Region} in CloudFormation output.")],
        aws: "ARN account and Region fields; pseudo parameters AWS::AccountId, AWS::Region",
        link: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
        required: &[],
    },
    ItemSpec {
        keyword: "param",
        kind: Some(Kind::Param),
        form: Form::Labelled {
            value: LabelValue::Optional,
            body: Some(PARAM),
        },
        doc: "A string supplied at compile time with --param NAME=VALUE, or taken from its default. In the CloudFormation template it becomes a template parameter of type String.",
        fields: &[],
        aws: "CloudFormation template Parameters entry (Type: String)",
        link: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html",
        required: &[],
    },
    ItemSpec {
        keyword: "let",
        kind: Some(Kind::Let),
        form: Form::Labelled {
            value: LabelValue::Required,
            body: None,
        },
        doc: "A named string, expanded at compile time wherever it is used (\"${{ NAME }}\" or as a value). It has no AWS counterpart.",
        fields: &[],
        aws: "none (compile time only)",
        link: "",
        required: &[],
    },
    ItemSpec {
        keyword: "connection",
        kind: Some(Kind::Connection),
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(CONNECTION),
        },
        doc: "A CodeConnections (formerly CodeStar Connections) connection that lets CodePipeline and CodeBuild reach GitHub, Bitbucket or GitLab. A connection created by CloudFormation stays PENDING until it is completed in the console.",
        fields: &[
            field(Field::Arn, "The connection's ARN: its arn member, or in CloudFormation the ARN of the connection the template creates."),
            field(Field::Name, "The connection's name member."),
        ],
        aws: "AWS::CodeStarConnections::Connection",
        link: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codestarconnections-connection.html",
        required: &["name", "provider"],
    },
    ItemSpec {
        keyword: "repository",
        kind: Some(Kind::Repository),
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(REPOSITORY),
        },
        doc: "An Amazon ECR private repository that builds push container images to.",
        fields: &[
            field(Field::Uri, "The image repository URI, ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME, to tag and push images with."),
            field(Field::Arn, "The repository ARN, arn:aws:ecr:REGION:ACCOUNT:repository/NAME."),
            field(Field::Name, "The repository's name member."),
        ],
        aws: "AWS::ECR::Repository",
        link: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecr-repository.html",
        required: &["name"],
    },
    ItemSpec {
        keyword: "service",
        kind: Some(Kind::Service),
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(SERVICE),
        },
        doc: "An existing Amazon ECS service that ecs deploy actions update with a newly built image. cruddur does not create the cluster, service or task definition.",
        fields: &[
            field(Field::Cluster, "The service's cluster name."),
            field(Field::Name, "The ECS service name."),
            field(Field::Container, "The service's container name (the first of its containers)."),
        ],
        aws: "ECS deploy action ClusterName / ServiceName; imagedefinitions.json",
        link: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html",
        required: &["cluster", "name", "container"],
    },
    ItemSpec {
        keyword: "role",
        kind: Some(Kind::Role),
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(ROLE),
        },
        doc: "An IAM role: who may assume it (trust policy) and what it may do (policy statements). Without one, cruddur infers a least-privilege role per project and pipeline.",
        fields: &[field(Field::Arn, "The role ARN, arn:aws:iam::ACCOUNT:role/NAME; NAME is the role's name member, or the item name when it has none."), field(Field::Name, "The IAM role name: its name member, or the item name when it has none.")],
        aws: "AWS::IAM::Role",
        link: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html",
        required: &["trust"],
    },
    ItemSpec {
        keyword: "project",
        kind: Some(Kind::Project),
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(PROJECT),
        },
        doc: "A CodeBuild build project and the buildspec it runs: build image, compute size, commands, artifacts, reports, cache and logs.",
        fields: &[field(Field::Name, "The CodeBuild project name."), field(Field::Arn, "The project ARN, arn:aws:codebuild:REGION:ACCOUNT:project/NAME.")],
        aws: "AWS::CodeBuild::Project (with Source.BuildSpec)",
        link: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-project.html",
        required: &["name"],
    },
    ItemSpec {
        keyword: "pipeline",
        kind: Some(Kind::Pipeline),
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(PIPELINE),
        },
        doc: "A CodePipeline pipeline of type V2: ordered stages of actions that pass artifacts through an S3 artifact bucket.",
        fields: &[
            field(Field::Name, "The pipeline name."),
            field(Field::Arn, "The pipeline ARN, arn:aws:codepipeline:REGION:ACCOUNT:NAME."),
            field(Field::ArtifactBucket, "The artifact bucket: artifact_bucket if given, else cruddur-artifacts-ACCOUNT-REGION in CLI definitions and the bucket the template creates in CloudFormation."),
        ],
        aws: "AWS::CodePipeline::Pipeline (PipelineType V2)",
        link: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codepipeline-pipeline.html",
        required: &["name"],
    },
    ItemSpec {
        keyword: "stage_template",
        kind: Some(Kind::StageTemplate),
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(STAGE_TEMPLATE),
        },
        doc: "A stage written once, with parameters, and made into stages of pipelines by `stage NAME = template(param = value, …)`: staging and production from one definition. A mistake in it is reported once, at the template, with the stages it was found in.",
        fields: &[],
        aws: "none: each stage made from it is a StageDeclaration",
        link: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-stagedeclaration.html",
        required: &[],
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

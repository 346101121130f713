//! What each project's and pipeline's role must be allowed to do, derived from what the
//! program does, with the place that needs each permission. The checker compares explicit
//! roles with this; code generation turns it into least-privilege policies.
//!
//! Sources for each permission set:
//! - CodeBuild service role: https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html
//! - Pushing to ECR: https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
//! - CodePipeline service role per action: https://docs.aws.amazon.com/codepipeline/latest/userguide/security-iam.html#how-to-custom-role
//! - ECS deploy action: https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html
//! - Connections: https://docs.aws.amazon.com/codepipeline/latest/userguide/connections-permissions.html
//! - Approval notifications: https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals-service-role-permissions.html

use crate::resolve::model::*;

/// What a permission applies to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Resource {
    /// `*`: the action supports no resource-level permission.
    Any,
    Repository(usize),
    /// The project's CloudWatch Logs group.
    LogGroup(usize),
    /// The pipeline's artifact bucket and its objects.
    ArtifactBucket(usize),
    /// The KMS key that encrypts a pipeline's artifacts (`artifact_key`).
    ArtifactKey(usize),
    /// The KMS key that encrypts a project's build output (`encryption_key`).
    ProjectKey(usize),
    Connection(usize),
    Project(usize),
    Service(usize),
    /// The task and execution roles of a service, for `iam:PassRole` to ECS.
    ServiceRoles(usize),
    /// Revisions of a service's task definition family.
    TaskDefinition(usize),
    /// A project's report groups.
    ReportGroups(usize),
    /// The objects of a project's S3 cache (`cache { location }`), and its bucket.
    CacheObjects(usize),
    CacheBucket(usize),
    /// The S3 object or folder a project's builds read (`source = s3(…)`).
    S3SourceObject(usize),
    /// The S3 object a project reads its buildspec from.
    S3BuildspecObject(usize),
    /// Where a project's builds upload their output (`output_to = s3(…)`).
    S3OutputObjects(usize),
    /// The buckets of a project's S3 source and output.
    S3Buckets(usize),
    /// The network interfaces a project's builds create in its VPC, and the VPC's subnets and
    /// security groups they are created in.
    VpcParts(usize),
    /// The secret with a project's private registry credentials.
    RegistrySecret(usize),
    /// The repository a `codecommit` source action reads (its `repository` setting).
    CodeCommitRepository(ActionRef),
    /// A project's `env` variable read from Parameter Store / Secrets Manager.
    Parameter {
        project: usize,
        var: usize,
    },
    Secret {
        project: usize,
        var: usize,
    },
    /// A variable a CodeBuild action's `env` reads from Parameter Store / Secrets Manager: the
    /// build reads it with its project's role.
    ActionParameter {
        at: ActionRef,
        var: usize,
    },
    ActionSecret {
        at: ActionRef,
        var: usize,
    },
    /// Resources cruddur does not model (a Lambda function, a stack…): `*` until it does.
    Unmodelled,
    /// A declared role, for `sts:AssumeRole` by the pipeline.
    Role(usize),
    /// The role an action's `role_arn` setting names (CloudFormation passes it to the stack).
    ActionRoleArn(ActionRef),
    /// The stack a CloudFormation action deploys (its `stack` setting).
    Stack(ActionRef),
    /// The function a Lambda action invokes (its `function` setting).
    Function(ActionRef),
    /// The SNS topic an approval notifies (its `notification_arn` setting).
    Topic(ActionRef),
    /// The tasks and container instances of a service's cluster.
    ClusterTasks(usize),
    /// The repository an `inspector_scan` action scans (its `repository` setting).
    ScannedRepository(ActionRef),
    /// The CloudWatch Logs group of a pipeline's actions that run on managed compute.
    PipelineLogs(usize),
    /// Any task definition of the account (a blue/green deploy's family is not known).
    AnyTaskDefinition,
    /// Any role of the account (the roles a blue/green deploy passes are not known).
    AnyRole,
    /// The bucket and object an S3 source reads (`bucket`, `key`).
    SourceObject(ActionRef),
    /// The bucket an S3 deploy writes (`bucket`).
    DeployBucket(ActionRef),
    /// A CodeDeploy application, deployment group and configs (`application`, `deployment_group`).
    DeploymentGroup(ActionRef),
    /// A build image in ECR, by repository ARN, for pulling it.
    ImageRepository(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Need {
    pub action: &'static str,
    pub resource: Resource,
    /// The line that needs it.
    pub why: Loc,
    pub reason: String,
    /// A `StringEquals` condition the grant carries: (key, value).
    pub condition: Option<(&'static str, &'static str)>,
    /// The Region of the resource, when the action that needs it runs in another Region.
    pub region: Option<Text>,
}

/// The customer managed keys of a pipeline's artifact stores: its own, and those of its stores
/// in other Regions.
pub fn artifact_keys(pipeline: &Pipeline) -> impl Iterator<Item = &Text> {
    pipeline
        .artifact_key
        .iter()
        .chain(pipeline.artifact_stores.iter().filter_map(|s| s.key.as_ref()))
}

/// What a role that reads and writes data encrypted with a customer managed KMS key is granted
/// on the key: the actions AWS's pages grant the roles of CodePipeline and CodeBuild
/// (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-cross-account.html,
/// https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up.html#setting-up-kms), with
/// `GenerateDataKey*` narrowed to `GenerateDataKey` (key pairs are not used) and `ReEncrypt*`
/// written out.
const KMS_USE: &[&str] = &[
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
];

fn add(needs: &mut Vec<Need>, actions: &[&'static str], resource: Resource, why: &Loc, reason: &str) {
    add_if(needs, actions, resource, why, reason, None);
}

/// `add`, with a `StringEquals` condition on the grant.
fn add_if(
    needs: &mut Vec<Need>,
    actions: &[&'static str],
    resource: Resource,
    why: &Loc,
    reason: &str,
    condition: Option<(&'static str, &'static str)>,
) {
    for action in actions {
        // A role is always passed to one named service.
        let condition =
            condition.or_else(|| (*action == "iam:PassRole").then(|| ("iam:PassedToService", passed_to(&resource))));
        needs.push(Need {
            action,
            resource: resource.clone(),
            why: why.clone(),
            reason: reason.to_string(),
            condition,
            region: None,
        });
    }
}

const LOGS: &[&str] = &["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"];
/// What a CodeDeploy deploy (in-place or blue/green) does with its application and group.
const CODEDEPLOY: &[&str] = &[
    "codedeploy:CreateDeployment",
    "codedeploy:GetApplication",
    "codedeploy:GetApplicationRevision",
    "codedeploy:GetDeployment",
    "codedeploy:GetDeploymentConfig",
    "codedeploy:RegisterApplicationRevision",
];
const ECR_PUSH: &[&str] = &[
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload",
    "ecr:GetDownloadUrlForLayer",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
];
const ARTIFACTS_READ_WRITE: &[&str] = &["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"];
const REPORTS: &[&str] = &[
    "codebuild:BatchPutCodeCoverages",
    "codebuild:BatchPutTestCases",
    "codebuild:CreateReport",
    "codebuild:CreateReportGroup",
    "codebuild:UpdateReport",
];

/// What runs with a role: a project, a pipeline, or an action that names its own role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RoleUser {
    Project(usize),
    Pipeline(usize),
    Action(ActionRef),
}

impl RoleUser {
    /// The role it names, if any (projects and pipelines without one get an inferred role;
    /// an action without one is not a user of its own).
    pub fn declared<'p>(&self, program: &'p Program) -> Option<&'p At<usize>> {
        match *self {
            RoleUser::Project(i) => program.projects.get(i)?.role.as_ref(),
            RoleUser::Pipeline(i) => program.pipelines.get(i)?.role.as_ref(),
            RoleUser::Action(at) => program.action(at)?.role.as_ref(),
        }
    }

    /// What its role needs.
    pub fn needs(&self, program: &Program) -> Vec<Need> {
        match *self {
            RoleUser::Project(i) => project(program, i),
            RoleUser::Pipeline(i) => pipeline(program, i),
            RoleUser::Action(at) => action(program, at),
        }
    }
}

/// Every project and pipeline, each pipeline followed by its actions that name a role.
pub fn role_users(program: &Program) -> Vec<RoleUser> {
    let mut users: Vec<RoleUser> = (0..program.projects.len()).map(RoleUser::Project).collect();
    for (index, pipeline) in program.pipelines.iter().enumerate() {
        users.push(RoleUser::Pipeline(index));
        for (stage, actions) in pipeline.stages.iter().enumerate() {
            for (action, declared) in actions.actions.iter().enumerate() {
                if declared.role.is_some() {
                    users.push(RoleUser::Action(ActionRef {
                        pipeline: index,
                        stage,
                        action,
                    }));
                }
            }
        }
    }
    users
}

/// What the role of project `index` needs.
pub fn project(program: &Program, index: usize) -> Vec<Need> {
    let project = &program.projects[index];
    let mut needs = Vec::new();
    let here = &project.header.loc;
    if project.logs_enabled.as_ref().is_none_or(|l| l.value) {
        add(
            &mut needs,
            LOGS,
            Resource::LogGroup(index),
            here,
            "writing the build log",
        );
    }
    // An S3 source is read, and S3 output written, with the project's role; CodeBuild also
    // reads the buckets' ACL and location
    // (https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html).
    if let Some(source) = &project.s3_source {
        add(
            &mut needs,
            &["s3:GetObject", "s3:GetObjectVersion"],
            Resource::S3SourceObject(index),
            &source.loc,
            "reading the build's source from S3",
        );
    }
    if let Some(buildspec) = &project.buildspec_s3 {
        add(
            &mut needs,
            &["s3:GetObject", "s3:GetObjectVersion"],
            Resource::S3BuildspecObject(index),
            &buildspec.loc,
            "reading the buildspec from S3",
        );
    }
    if let Some(output) = &project.output_to {
        add(
            &mut needs,
            &["s3:PutObject"],
            Resource::S3OutputObjects(index),
            &output.loc,
            "uploading the build's output to S3",
        );
    }
    if let Some(loc) = project
        .s3_source
        .as_ref()
        .map(|s| &s.loc)
        .or(project.output_to.as_ref().map(|o| &o.loc))
    {
        add(
            &mut needs,
            &["s3:GetBucketAcl", "s3:GetBucketLocation"],
            Resource::S3Buckets(index),
            loc,
            "finding the buckets of the build's source and output",
        );
    }
    // A build in a VPC gets a network interface there, which CodeBuild creates and deletes with
    // the project's role (https://docs.aws.amazon.com/codebuild/latest/userguide/auth-and-access-control-iam-identity-based-access-control.html#customer-managed-policies-example-create-vpc-network-interface).
    // AWS's example grants the interface actions on `*`; they are scoped here to the project's
    // subnets and security groups, the resource types the IAM catalog gives them, and the
    // example's `ec2:Subnet` condition on `CreateNetworkInterfacePermission` is left out (a
    // condition here takes one value; `ec2:AuthorizedService` keeps the permission CodeBuild's).
    if let Some(vpc) = &project.vpc {
        add(
            &mut needs,
            &[
                "ec2:DescribeDhcpOptions",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSubnets",
                "ec2:DescribeVpcs",
            ],
            Resource::Any,
            &vpc.loc,
            "finding the build's VPC",
        );
        add(
            &mut needs,
            &["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"],
            Resource::VpcParts(index),
            &vpc.loc,
            "giving the build a network interface in its VPC",
        );
        add_if(
            &mut needs,
            &["ec2:CreateNetworkInterfacePermission"],
            Resource::VpcParts(index),
            &vpc.loc,
            "letting CodeBuild use the build's network interface",
            Some(("ec2:AuthorizedService", "codebuild.amazonaws.com")),
        );
    }
    // A private registry's credentials are read from Secrets Manager with the project's role
    // (https://docs.aws.amazon.com/codebuild/latest/userguide/sample-private-registry.html).
    if let Some(secret) = &project.environment.registry_credential {
        add(
            &mut needs,
            &["secretsmanager:GetSecretValue"],
            Resource::RegistrySecret(index),
            &secret.loc,
            "pulling the build image from its private registry",
        );
    }
    if let Some(key) = &project.encryption_key {
        add(
            &mut needs,
            KMS_USE,
            Resource::ProjectKey(index),
            &key.loc,
            "encrypting the build output with the project's key",
        );
    }
    // An S3 cache is read at the start of a build and written at its end
    // (https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html:
    // S3AccessPolicy and S3BucketIdentity).
    if let Some(location) = &project.cache_location {
        add(
            &mut needs,
            &["s3:GetObject", "s3:PutObject"],
            Resource::CacheObjects(index),
            &location.loc,
            "reading and writing the build cache",
        );
        add(
            &mut needs,
            &["s3:GetBucketAcl", "s3:GetBucketLocation"],
            Resource::CacheBucket(index),
            &location.loc,
            "finding the cache's bucket",
        );
    }
    for push in &project.pushes {
        add(
            &mut needs,
            &["ecr:GetAuthorizationToken"],
            Resource::Any,
            &push.loc,
            "docker login to ECR",
        );
        add(
            &mut needs,
            ECR_PUSH,
            Resource::Repository(push.value),
            &push.loc,
            "pushing the image",
        );
    }
    for command in project.phases.iter().flat_map(|p| &p.commands) {
        if let Command::EcrLogin(repo) = command {
            // A repository in `pushes` already brings the token.
            if !project.pushes.iter().any(|p| p.value == repo.value) {
                add(
                    &mut needs,
                    &["ecr:GetAuthorizationToken"],
                    Resource::Any,
                    &repo.loc,
                    "docker login to ECR",
                );
            }
        }
    }
    if let Some(repository) = image_repository(program, project) {
        add(
            &mut needs,
            &["ecr:GetAuthorizationToken"],
            Resource::Any,
            &project
                .environment
                .image
                .as_ref()
                .map(|i| i.loc.clone())
                .unwrap_or_default(),
            "pulling the build image",
        );
        let why = project
            .environment
            .image
            .as_ref()
            .map(|i| i.loc.clone())
            .unwrap_or_default();
        add(
            &mut needs,
            &[
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
            ],
            repository,
            &why,
            "pulling the build image",
        );
    }
    if let Some(source) = &project.source {
        add(
            &mut needs,
            &["codeconnections:GetConnectionToken", "codeconnections:GetConnection"],
            Resource::Connection(source.connection.value),
            &source.loc,
            "reading the source through the connection",
        );
    }
    // Only the pipelines that run the project, each once, in order (`runs_of` is sorted).
    let runs = program.runs_of(index);
    for group in runs.chunk_by(|a, b| a.pipeline == b.pipeline) {
        let pipeline_index = group[0].pipeline;
        let Some(pipeline) = program.pipelines.get(pipeline_index) else {
            continue;
        };
        for &at in group {
            let Some(action) = program.action(at) else { continue };
            for (var, value) in action.env.iter().enumerate() {
                match &value.value {
                    EnvValue::ParameterStore(_) => add(
                        &mut needs,
                        &["ssm:GetParameters"],
                        Resource::ActionParameter { at, var },
                        &value.loc,
                        "reading the parameter the action's variable names",
                    ),
                    EnvValue::SecretsManager(_) => add(
                        &mut needs,
                        &["secretsmanager:GetSecretValue"],
                        Resource::ActionSecret { at, var },
                        &value.loc,
                        "reading the secret the action's variable names",
                    ),
                    EnvValue::Plain(_) => {}
                }
            }
        }
        for action in group.iter().filter_map(|&at| program.action(at)) {
            add(
                &mut needs,
                ARTIFACTS_READ_WRITE,
                Resource::ArtifactBucket(pipeline_index),
                &action.label.loc,
                "reading and writing the pipeline's artifacts",
            );
            if artifact_keys(pipeline).next().is_some() {
                add(
                    &mut needs,
                    KMS_USE,
                    Resource::ArtifactKey(pipeline_index),
                    &action.label.loc,
                    "reading and writing the pipeline's artifacts, encrypted with its artifact key",
                );
            }
            // A full-clone input is cloned by the build itself, through the connection
            // (https://docs.aws.amazon.com/codepipeline/latest/userguide/troubleshooting.html#codebuild-role-connections).
            for input in &action.inputs {
                match clone_ref_source(pipeline_index, pipeline, &input.value) {
                    Some(CloneFrom::Connection(connection)) => add(
                        &mut needs,
                        &["codestar-connections:UseConnection"],
                        Resource::Connection(connection),
                        &input.loc,
                        "cloning the full repository (CODEBUILD_CLONE_REF)",
                    ),
                    // https://docs.aws.amazon.com/codepipeline/latest/userguide/troubleshooting.html#codebuild-role-codecommitclone
                    Some(CloneFrom::CodeCommit(at)) => add(
                        &mut needs,
                        &["codecommit:GitPull"],
                        Resource::CodeCommitRepository(at),
                        &input.loc,
                        "cloning the full repository (CODEBUILD_CLONE_REF)",
                    ),
                    None => {}
                }
            }
        }
    }
    for (var_index, var) in project.env.iter().enumerate() {
        match &var.value {
            EnvValue::ParameterStore(_) => add(
                &mut needs,
                &["ssm:GetParameters"],
                Resource::Parameter {
                    project: index,
                    var: var_index,
                },
                &var.loc,
                "reading the parameter",
            ),
            EnvValue::SecretsManager(_) => add(
                &mut needs,
                &["secretsmanager:GetSecretValue"],
                Resource::Secret {
                    project: index,
                    var: var_index,
                },
                &var.loc,
                "reading the secret",
            ),
            EnvValue::Plain(_) => {}
        }
    }
    if let Some(report) = project.reports.first() {
        add(
            &mut needs,
            REPORTS,
            Resource::ReportGroups(index),
            &report.label.loc,
            "publishing test reports",
        );
    }
    dedup(needs)
}

/// What a build clones a full-clone reference through.
enum CloneFrom {
    Connection(usize),
    /// The `codecommit` source action at this place.
    CodeCommit(ActionRef),
}

/// The source that outputs `artifact` as a full-clone reference, in pipeline `index`.
fn clone_ref_source(index: usize, pipeline: &Pipeline, artifact: &str) -> Option<CloneFrom> {
    for (stage_index, stage) in pipeline.stages.iter().enumerate() {
        for (action_index, source) in stage.actions.iter().enumerate() {
            if !source.outputs.iter().any(|o| o.value == artifact) {
                continue;
            }
            source.full_clone()?;
            return match source.provider.value {
                Provider::ConnectionSource { connection, .. } => Some(CloneFrom::Connection(connection)),
                Provider::CodeCommitSource => Some(CloneFrom::CodeCommit(ActionRef {
                    pipeline: index,
                    stage: stage_index,
                    action: action_index,
                })),
                _ => None,
            };
        }
    }
    None
}

/// What the role of pipeline `index` needs.
pub fn pipeline(program: &Program, index: usize) -> Vec<Need> {
    let pipeline = &program.pipelines[index];
    let mut needs = Vec::new();
    add(
        &mut needs,
        &[
            "s3:GetBucketVersioning",
            "s3:GetObject",
            "s3:GetObjectVersion",
            "s3:PutObject",
        ],
        Resource::ArtifactBucket(index),
        &pipeline.header.loc,
        "storing artifacts between actions",
    );
    if let Some(key) = artifact_keys(pipeline).next() {
        add(
            &mut needs,
            KMS_USE,
            Resource::ArtifactKey(index),
            &key.loc,
            "encrypting and decrypting artifacts with the artifact key",
        );
    }
    for (stage_index, stage) in pipeline.stages.iter().enumerate() {
        for (action_index, action) in stage.actions.iter().enumerate() {
            // An action with its own role runs as that role: the pipeline's only assumes it.
            match &action.role {
                Some(role) => add(
                    &mut needs,
                    &["sts:AssumeRole"],
                    Resource::Role(role.value),
                    &role.loc,
                    "running the action in its own role",
                ),
                None => needs.extend(action_needs(
                    program,
                    ActionRef {
                        pipeline: index,
                        stage: stage_index,
                        action: action_index,
                    },
                )),
            }
        }
    }
    dedup(needs)
}

/// What the role of an action that runs in its own `role` needs: its provider's permissions,
/// and its input and output artifacts in the pipeline's bucket.
pub fn action(program: &Program, at: ActionRef) -> Vec<Need> {
    let Some(action) = program.action(at) else {
        return Vec::new();
    };
    let mut needs = Vec::new();
    add(
        &mut needs,
        &["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
        Resource::ArtifactBucket(at.pipeline),
        &action.label.loc,
        "reading and writing the action's artifacts",
    );
    if artifact_keys(&program.pipelines[at.pipeline]).next().is_some() {
        add(
            &mut needs,
            KMS_USE,
            Resource::ArtifactKey(at.pipeline),
            &action.label.loc,
            "reading and writing the action's artifacts, encrypted with the artifact key",
        );
    }
    needs.extend(action_needs(program, at));
    dedup(needs)
}

/// The permissions an action's provider needs, whichever role it runs in.
fn action_needs(program: &Program, at: ActionRef) -> Vec<Need> {
    let Some(action) = program.action(at) else {
        return Vec::new();
    };
    let mut needs = Vec::new();
    let why = &action.label.loc;
    match &action.provider.value {
        Provider::ConnectionSource { connection, .. } => add(
            &mut needs,
            &["codestar-connections:UseConnection"],
            Resource::Connection(*connection),
            why,
            "checking out through the connection",
        ),
        Provider::EcrSource { repository } => add(
            &mut needs,
            &["ecr:DescribeImages"],
            Resource::Repository(*repository),
            why,
            "reading the image to start from",
        ),
        Provider::S3Source => add(
            &mut needs,
            &["s3:GetObject", "s3:GetObjectVersion", "s3:GetBucketVersioning"],
            Resource::SourceObject(at),
            why,
            "reading the source object",
        ),
        // https://docs.aws.amazon.com/codepipeline/latest/userguide/security-iam.html#how-to-update-role-new-services
        // (CodeCommit; GetRepository for the full-clone output).
        Provider::CodeCommitSource => {
            add(
                &mut needs,
                &[
                    "codecommit:CancelUploadArchive",
                    "codecommit:GetBranch",
                    "codecommit:GetCommit",
                    "codecommit:GetUploadArchiveStatus",
                    "codecommit:UploadArchive",
                ],
                Resource::CodeCommitRepository(at),
                why,
                "reading the branch",
            );
            if action.full_clone().is_some() {
                add(
                    &mut needs,
                    &["codecommit:GetRepository"],
                    Resource::CodeCommitRepository(at),
                    why,
                    "handing the build a full clone",
                );
            }
        }
        Provider::CodeBuild { project, .. } => {
            add(
                &mut needs,
                &["codebuild:BatchGetBuilds", "codebuild:StartBuild"],
                Resource::Project(*project),
                why,
                "running the build",
            );
            if matches!(
                action.config("batch"),
                Some(ConfigProperty {
                    value: ConfigValue::Bool(true),
                    ..
                })
            ) {
                add(
                    &mut needs,
                    &["codebuild:BatchGetBuildBatches", "codebuild:StartBuildBatch"],
                    Resource::Project(*project),
                    why,
                    "running the batch build",
                );
            }
        }
        Provider::Ecs { service } => {
            add(
                &mut needs,
                &["ecs:DescribeServices", "ecs:UpdateService"],
                Resource::Service(*service),
                why,
                "updating the service",
            );
            // The deploy watches the service's tasks, and copies the task definition's tags to
            // the revision it registers. Source: the ECS action reference, "Service role".
            add(
                &mut needs,
                &["ecs:DescribeTasks", "ecs:ListTasks"],
                Resource::ClusterTasks(*service),
                why,
                "watching the deployment",
            );
            add_if(
                &mut needs,
                &["ecs:TagResource"],
                Resource::TaskDefinition(*service),
                why,
                "tagging the new task definition",
                Some(("ecs:CreateAction", "RegisterTaskDefinition")),
            );
            add(
                &mut needs,
                &["ecs:DescribeTaskDefinition"],
                Resource::Any,
                why,
                "reading the current task definition",
            );
            add(
                &mut needs,
                &["ecs:RegisterTaskDefinition"],
                Resource::TaskDefinition(*service),
                why,
                "registering the new task definition",
            );
            // A service that names no task or execution role has none to hand over.
            let roles = &program.services[*service];
            if roles.task_role.is_some() || roles.execution_role.is_some() {
                add(
                    &mut needs,
                    &["iam:PassRole"],
                    Resource::ServiceRoles(*service),
                    why,
                    "handing the task roles to ECS",
                );
            }
        }
        Provider::CodeDeployEcs => {
            // The blue/green deploy registers a task definition revision and hands its
            // roles to ECS; the family and the roles are in the task definition artifact,
            // which cruddur does not read: any family and role of the account.
            add(
                &mut needs,
                &["ecs:DescribeTaskDefinition"],
                Resource::Any,
                why,
                "reading the current task definition",
            );
            add(
                &mut needs,
                &["ecs:RegisterTaskDefinition"],
                Resource::AnyTaskDefinition,
                why,
                "registering the new task definition",
            );
            add(
                &mut needs,
                &["iam:PassRole"],
                Resource::AnyRole,
                why,
                "handing the task roles to ECS",
            );
            add(
                &mut needs,
                CODEDEPLOY,
                Resource::DeploymentGroup(at),
                why,
                "deploying with CodeDeploy",
            );
        }
        Provider::CodeDeploy => add(
            &mut needs,
            CODEDEPLOY,
            Resource::DeploymentGroup(at),
            why,
            "deploying with CodeDeploy",
        ),
        Provider::Lambda => add(
            &mut needs,
            &["lambda:InvokeFunction"],
            Resource::Function(at),
            why,
            "invoking the function",
        ),
        Provider::S3Deploy => add(
            &mut needs,
            &["s3:PutObject"],
            Resource::DeployBucket(at),
            why,
            "writing to the bucket",
        ),
        Provider::CloudFormation => {
            add(
                &mut needs,
                &[
                    "cloudformation:CreateChangeSet",
                    "cloudformation:CreateStack",
                    "cloudformation:DeleteChangeSet",
                    "cloudformation:DeleteStack",
                    "cloudformation:DescribeChangeSet",
                    "cloudformation:DescribeStacks",
                    "cloudformation:ExecuteChangeSet",
                    "cloudformation:SetStackPolicy",
                    "cloudformation:UpdateStack",
                ],
                Resource::Stack(at),
                why,
                "deploying the stack",
            );
            add(
                &mut needs,
                &["cloudformation:ValidateTemplate"],
                Resource::Any,
                why,
                "validating the template",
            );
            if action.config("role_arn").is_some() {
                add(
                    &mut needs,
                    &["iam:PassRole"],
                    Resource::ActionRoleArn(at),
                    why,
                    "handing the stack its role",
                );
            }
        }
        Provider::InspectorScan => {
            // The scan pulls the image and logs to CloudWatch Logs (it runs on managed
            // compute). Source: the InspectorScan action reference, "Service role permissions".
            add(
                &mut needs,
                &["inspector-scan:ScanSbom", "ecr:GetAuthorizationToken"],
                Resource::Any,
                why,
                "scanning the image",
            );
            add(
                &mut needs,
                &[
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:BatchGetImage",
                    "ecr:GetDownloadUrlForLayer",
                ],
                Resource::ScannedRepository(at),
                why,
                "pulling the image to scan",
            );
            add(
                &mut needs,
                LOGS,
                Resource::PipelineLogs(at.pipeline),
                why,
                "logging the scan",
            );
        }
        // The pipeline publishes to the approval's topic itself.
        Provider::Approval => {
            if action.config("notification_arn").is_some() {
                add(
                    &mut needs,
                    &["sns:Publish"],
                    Resource::Topic(at),
                    why,
                    "notifying the approvers",
                );
            }
        }
    }
    // An action in another Region acts on that Region's resources.
    if let Some(region) = &action.region {
        for need in &mut needs {
            need.region = Some(region.clone());
        }
    }
    needs
}

/// The ECR repository of a project's custom build image: a repository item's `uri`, or a
/// written-out `ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME[:tag]`.
fn image_repository(program: &Program, project: &Project) -> Option<Resource> {
    let Some(Image {
        image: ImageRef::Uri(uri),
        ..
    }) = &project.environment.image
    else {
        return None;
    };
    if let Some(Piece::Field { item, .. }) = uri
        .pieces
        .iter()
        .find(|p| matches!(p, Piece::Field { item, .. } if item.kind == Kind::Repository))
    {
        return Some(Resource::Repository(item.index));
    }
    let text = uri.literal()?;
    let (host, path) = text.split_once('/')?;
    let mut parts = host.split('.');
    let (account, dkr, ecr, region) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if dkr != "dkr" || ecr != "ecr" || !host.ends_with(".amazonaws.com") {
        return None;
    }
    let name = path.split([':', '@']).next()?;
    let _ = program;
    Some(Resource::ImageRepository(format!(
        "arn:aws:ecr:{region}:{account}:repository/{name}"
    )))
}

impl Resource {
    /// Whether the resource renders as ARNs of several resource types (a bucket and its
    /// objects, a log group and its streams, a CodeDeploy application and its groups), so each
    /// action must keep only those of the types it applies to.
    pub fn mixes_types(&self) -> bool {
        matches!(
            self,
            Resource::LogGroup(_)
                | Resource::VpcParts(_)
                | Resource::ArtifactBucket(_)
                | Resource::SourceObject(_)
                | Resource::DeploymentGroup(_)
        )
    }
}

/// The service an `iam:PassRole` need passes its role to (its `iam:PassedToService`).
pub fn passed_to(resource: &Resource) -> &'static str {
    match resource {
        Resource::ActionRoleArn(_) => "cloudformation.amazonaws.com",
        _ => "ecs-tasks.amazonaws.com",
    }
}

pub fn dedup(mut needs: Vec<Need>) -> Vec<Need> {
    let mut seen = std::collections::BTreeSet::new();
    needs.retain(|n| seen.insert((n.action, n.resource.clone())));
    needs
}

/// Connections made before 2024 have `codestar-connections` ARNs and are authorised with that
/// service prefix; newer ones have `codeconnections` ARNs and prefix. When the ARN is not
/// written out (a parameter, a connection the template creates), both are granted.
/// Source: https://docs.aws.amazon.com/dtconsole/latest/userguide/rename.html
pub fn connection_actions(action: &str, arns: &[String]) -> Vec<String> {
    let Some(name) = action
        .strip_prefix("codestar-connections:")
        .or_else(|| action.strip_prefix("codeconnections:"))
    else {
        return vec![action.to_string()];
    };
    let new_style = arns.iter().all(|arn| arn.starts_with("arn:aws:codeconnections:"));
    let old_style = arns.iter().all(|arn| arn.starts_with("arn:aws:codestar-connections:"));
    match (new_style, old_style) {
        (true, _) => vec![format!("codeconnections:{name}")],
        (_, true) => vec![format!("codestar-connections:{name}")],
        _ => vec![
            format!("codeconnections:{name}"),
            format!("codestar-connections:{name}"),
        ],
    }
}

/// Whether an IAM action pattern (`ecr:*`, `ecr:Put*`, `*`) matches an action.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    glob(&pattern.to_ascii_lowercase(), &action.to_ascii_lowercase())
}

/// `*` matches any text. One pass that returns to the last `*` on a mismatch: at most
/// pattern × text steps, however many stars (trying every split at every star is exponential).
/// Bytes suffice: a literal piece starts on a character, and no character starts inside another.
fn glob(pattern: &str, text: &str) -> bool {
    let (pattern, text) = (pattern.as_bytes(), text.as_bytes());
    let (mut p, mut t) = (0, 0);
    // The last star seen, and where in the text what follows it was tried last.
    let mut retry: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                retry = Some((p, t));
                p += 1;
            }
            Some(&c) if c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match retry {
                Some((star, from)) => {
                    retry = Some((star, from + 1));
                    p = star + 1;
                    t = from + 1;
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::action_matches;

    #[test]
    fn iam_action_patterns() {
        assert!(action_matches("ecr:*", "ecr:PutImage"));
        assert!(action_matches("ECR:putimage", "ecr:PutImage"));
        assert!(action_matches("ecr:Batch*", "ecr:BatchGetImage"));
        assert!(action_matches("*", "s3:GetObject"));
        assert!(!action_matches("ecr:Put*", "ecr:GetAuthorizationToken"));
        assert!(action_matches("*:*Image*", "ecr:BatchGetImage"));
        assert!(action_matches("ecr:*t*e", "ecr:PutImage"));
        assert!(!action_matches("ecr:*t*x", "ecr:PutImage"));
        assert!(action_matches("ecr:**", "ecr:"));
        assert!(!action_matches("", "ecr:PutImage"));
        assert!(action_matches("é*:*", "é:x"));
    }
}

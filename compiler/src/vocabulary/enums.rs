//! The language's enumerations: each value with its spelling in `.cruddur` source, what AWS
//! calls it, and a line of documentation. The model holds these types (never the words), so
//! lowering reads a word once and every later layer matches on the type.

/// One value of an enumeration, as the language server and `cruddur explain` show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnumValue {
    /// As written in `.cruddur` source.
    pub word: &'static str,
    /// What AWS takes for it (a configuration value, a principal, an image repository…).
    pub aws: &'static str,
    pub doc: &'static str,
}

/// An enumeration as data: what it is called in messages, and its values.
#[derive(Debug, PartialEq, Eq)]
pub struct EnumSpec {
    /// "compute size": how messages name a value of it.
    pub what: &'static str,
    pub values: &'static [EnumValue],
}

impl EnumValue {
    /// The value as it is written: quoted when it is not a name (`"2xlarge"`).
    pub fn written(&self) -> String {
        if self.word.starts_with(|c: char| c.is_ascii_digit()) {
            format!("\"{}\"", self.word)
        } else {
            self.word.to_string()
        }
    }
}

impl EnumSpec {
    pub fn words(&self) -> impl Iterator<Item = &'static str> {
        self.values.iter().map(|v| v.word)
    }

    pub fn value(&self, word: &str) -> Option<&'static EnumValue> {
        self.values.iter().find(|v| v.word == word)
    }
}

/// A typed enumeration of the language.
pub trait Enumerated: Copy + 'static {
    const SPEC: &'static EnumSpec;
    fn from_word(word: &str) -> Option<Self>;
    fn word(self) -> &'static str;
    fn aws(self) -> &'static str;
}

macro_rules! enumeration {
    ($(#[$meta:meta])* $name:ident, $what:literal {
        $($(#[$vmeta:meta])* $variant:ident = $word:literal => $aws:literal, $doc:literal;)*
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            const VALUES: &'static [EnumValue] = &[$(EnumValue { word: $word, aws: $aws, doc: $doc },)*];

            pub fn doc(self) -> &'static str {
                Self::VALUES[self as usize].doc
            }
        }

        impl Enumerated for $name {
            const SPEC: &'static EnumSpec = &EnumSpec { what: $what, values: Self::VALUES };

            fn from_word(word: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.word() == word)
            }

            fn word(self) -> &'static str {
                Self::VALUES[self as usize].word
            }

            fn aws(self) -> &'static str {
                Self::VALUES[self as usize].aws
            }
        }
    };
}

enumeration! {
    /// The build container's compute size (CodeBuild `ComputeType`).
    Compute, "compute size" {
        Small = "small" => "BUILD_GENERAL1_SMALL", "Up to 4 GiB memory and 2 vCPUs on Linux and ARM; up to 16 GiB, 4 vCPUs and 1 NVIDIA A10G GPU on Linux GPU. cruddur uses it when compute is omitted.";
        Medium = "medium" => "BUILD_GENERAL1_MEDIUM", "Up to 8 GiB memory and 4 vCPUs.";
        Large = "large" => "BUILD_GENERAL1_LARGE", "Up to 16 GiB memory and 8 vCPUs on Linux and ARM; up to 255 GiB, 32 vCPUs and 4 NVIDIA Tesla V100 GPUs on Linux GPU.";
        XLarge = "xlarge" => "BUILD_GENERAL1_XLARGE", "Up to 72 GiB memory and 36 vCPUs, depending on the environment type.";
        X2Large = "2xlarge" => "BUILD_GENERAL1_2XLARGE", "Up to 144 GiB memory, 72 vCPUs and 824 GB of SSD storage; supports Docker images up to 100 GB uncompressed. No local cache.";
    }
}

enumeration! {
    /// The build container's platform (CodeBuild environment `type`).
    EnvironmentType, "environment type" {
        Linux = "linux" => "LINUX_CONTAINER", "Linux on x86_64 (the default unless the image is an aarch64 one).";
        LinuxArm = "linux_arm" => "ARM_CONTAINER", "Linux on ARM (aarch64); use an aarch64 image such as amazonlinux_aarch64_standard.";
        LinuxGpu = "linux_gpu" => "LINUX_GPU_CONTAINER", "Linux with NVIDIA GPUs, documented with the small and large compute types; no local cache.";
    }
}

enumeration! {
    /// Curated CodeBuild image families: `amazonlinux_standard("5.0")` names the image
    /// `aws/codebuild/amazonlinux-x86_64-standard:5.0`.
    ImageFamily, "image family" {
        AmazonLinuxStandard = "amazonlinux_standard" => "amazonlinux-x86_64-standard", "CodeBuild's curated Amazon Linux image for x86_64; 5.0 and 6.0 are Amazon Linux 2023, 4.0 is Amazon Linux 2. Formerly named amazonlinux2-x86_64-standard.";
        AmazonLinuxAarch64Standard = "amazonlinux_aarch64_standard" => "amazonlinux-aarch64-standard", "CodeBuild's curated Amazon Linux image for ARM; 3.0 and 4.0 are Amazon Linux 2023, 2.0 is Amazon Linux 2. Formerly named amazonlinux2-aarch64-standard.";
        Standard = "standard" => "standard", "CodeBuild's curated Ubuntu image for x86_64; 7.0 is Ubuntu 22.04 and 8.0 is Ubuntu 24.04.";
    }
}

impl ImageFamily {
    /// The image identifier CodeBuild takes, e.g. `aws/codebuild/standard:7.0`.
    pub fn identifier(self, version: &str) -> String {
        format!("aws/codebuild/{}:{version}", self.aws())
    }

    /// Images of this family run on ARM.
    pub fn is_arm(self) -> bool {
        self == ImageFamily::AmazonLinuxAarch64Standard
    }
}

enumeration! {
    /// The shell that runs a buildspec's commands (buildspec `env.shell`).
    Shell, "shell" {
        Bash = "bash" => "bash", "GNU bash.";
        Sh = "sh" => "/bin/sh", "The POSIX shell, /bin/sh.";
    }
}

enumeration! {
    /// CodeBuild's local caches (`Cache.Modes`).
    CacheMode, "cache mode" {
        DockerLayer = "docker_layer" => "LOCAL_DOCKER_LAYER_CACHE", "Caches Docker layers of earlier builds; Linux only and needs privileged mode.";
        Source = "source" => "LOCAL_SOURCE_CACHE", "Caches Git metadata of the primary and secondary sources, so later builds fetch only new commits; ignored for non-Git sources.";
        Custom = "custom" => "LOCAL_CUSTOM_CACHE", "Caches the directories listed in the buildspec's cache paths (directories only, linked with symlinks).";
    }
}

enumeration! {
    /// Test and coverage report file formats (buildspec `reports.<group>.file-format`).
    ReportFormat, "report format" {
        JunitXml = "junit_xml" => "JUNITXML", "JUnit XML test results (CodeBuild's default report format).";
        CucumberJson = "cucumber_json" => "CUCUMBERJSON", "Cucumber JSON test results.";
        TestngXml = "testng_xml" => "TESTNGXML", "TestNG XML test results.";
        VisualStudioTrx = "visual_studio_trx" => "VISUALSTUDIOTRX", "Visual Studio TRX test results.";
        NunitXml = "nunit_xml" => "NUNITXML", "NUnit XML test results.";
        Nunit3Xml = "nunit3_xml" => "NUNIT3XML", "NUnit 3 XML test results.";
        CloverXml = "clover_xml" => "CLOVERXML", "Clover XML code coverage.";
        CoberturaXml = "cobertura_xml" => "COBERTURAXML", "Cobertura XML code coverage.";
        JacocoXml = "jacoco_xml" => "JACOCOXML", "JaCoCo XML code coverage.";
        SimplecovJson = "simplecov_json" => "SIMPLECOV", "SimpleCov JSON code coverage, as written by simplecov (not simplecov-json).";
    }
}

enumeration! {
    /// The events of a CodeBuild project a notification rule sends (AWS Developer Tools
    /// console's event reference: https://docs.aws.amazon.com/dtconsole/latest/userguide/concepts.html#events-ref-buildproject).
    BuildNotificationEvent, "build notification event" {
        BuildFailed = "build_failed" => "codebuild-project-build-state-failed", "A build failed.";
        BuildSucceeded = "build_succeeded" => "codebuild-project-build-state-succeeded", "A build succeeded.";
        BuildInProgress = "build_in_progress" => "codebuild-project-build-state-in-progress", "A build started.";
        BuildStopped = "build_stopped" => "codebuild-project-build-state-stopped", "A build was stopped.";
        PhaseFailed = "phase_failed" => "codebuild-project-build-phase-failure", "A build phase failed.";
        PhaseSucceeded = "phase_succeeded" => "codebuild-project-build-phase-success", "A build phase succeeded.";
    }
}

enumeration! {
    /// The events of a pipeline a notification rule sends (AWS Developer Tools console's
    /// event reference: https://docs.aws.amazon.com/dtconsole/latest/userguide/concepts.html#events-ref-pipeline).
    PipelineNotificationEvent, "pipeline notification event" {
        ExecutionFailed = "execution_failed" => "codepipeline-pipeline-pipeline-execution-failed", "A pipeline execution failed.";
        ExecutionCanceled = "execution_canceled" => "codepipeline-pipeline-pipeline-execution-canceled", "A pipeline execution was canceled.";
        ExecutionStarted = "execution_started" => "codepipeline-pipeline-pipeline-execution-started", "A pipeline execution started.";
        ExecutionResumed = "execution_resumed" => "codepipeline-pipeline-pipeline-execution-resumed", "A pipeline execution was resumed.";
        ExecutionSucceeded = "execution_succeeded" => "codepipeline-pipeline-pipeline-execution-succeeded", "A pipeline execution succeeded.";
        ExecutionSuperseded = "execution_superseded" => "codepipeline-pipeline-pipeline-execution-superseded", "A pipeline execution was superseded by a newer one.";
        StageStarted = "stage_started" => "codepipeline-pipeline-stage-execution-started", "A stage started.";
        StageSucceeded = "stage_succeeded" => "codepipeline-pipeline-stage-execution-succeeded", "A stage succeeded.";
        StageResumed = "stage_resumed" => "codepipeline-pipeline-stage-execution-resumed", "A stage was resumed.";
        StageCanceled = "stage_canceled" => "codepipeline-pipeline-stage-execution-canceled", "A stage was canceled.";
        StageFailed = "stage_failed" => "codepipeline-pipeline-stage-execution-failed", "A stage failed.";
        ActionSucceeded = "action_succeeded" => "codepipeline-pipeline-action-execution-succeeded", "An action succeeded.";
        ActionFailed = "action_failed" => "codepipeline-pipeline-action-execution-failed", "An action failed.";
        ActionCanceled = "action_canceled" => "codepipeline-pipeline-action-execution-canceled", "An action was canceled.";
        ActionStarted = "action_started" => "codepipeline-pipeline-action-execution-started", "An action started.";
        ApprovalNeeded = "approval_needed" => "codepipeline-pipeline-manual-approval-needed", "A manual approval waits for a person.";
        ApprovalSucceeded = "approval_succeeded" => "codepipeline-pipeline-manual-approval-succeeded", "A manual approval was approved.";
        ApprovalFailed = "approval_failed" => "codepipeline-pipeline-manual-approval-failed", "A manual approval was rejected.";
    }
}

enumeration! {
    /// The Git events a pipeline trigger filters (`GitConfiguration`: `push`, `pullRequest`).
    TriggerKind, "trigger" {
        Push = "push" => "push", "A push of commits to a branch or of a tag; filtered on branches (and file paths) or on tags.";
        PullRequest = "pull_request" => "pullRequest", "A pull request opened, updated or closed; filtered on its destination branches (and file paths).";
    }
}

enumeration! {
    /// The pull request events a trigger starts on (`GitPullRequestEventType`).
    PullRequestEvent, "pull request event" {
        Opened = "opened" => "OPEN", "A pull request is opened.";
        Updated = "updated" => "UPDATED", "Commits are pushed to an open pull request.";
        Closed = "closed" => "CLOSED", "A pull request is closed (merged).";
    }
}

enumeration! {
    /// How a pipeline runs executions that start while one is running (`ExecutionMode`).
    ExecutionMode, "execution mode" {
        Superseded = "superseded" => "SUPERSEDED", "A newer execution passes an older one and replaces it at the next stage (the default).";
        Queued = "queued" => "QUEUED", "Executions run one by one in the order they started; none is skipped.";
        Parallel = "parallel" => "PARALLEL", "Executions run at the same time, independently, each with its own source revisions.";
    }
}

enumeration! {
    /// What CodePipeline does when a stage fails (`onFailure.result`, with
    /// `retryConfiguration.retryMode` for the retries).
    StageFailure, "stage failure result" {
        Rollback = "rollback" => "ROLLBACK", "Roll the stage back to its last successful execution: the artifacts and variables of that execution run through it again.";
        Fail = "fail" => "FAIL", "Fail the stage and the execution: what a stage does without on_failure, so nothing is written for it.";
        Retry = "retry" => "RETRY", "Retry the stage's failed actions once.";
        RetryAll = "retry_all" => "RETRY", "Retry all of the stage's actions once.";
    }
}

enumeration! {
    /// What CodeBuild does when a phase fails (buildspec `phases.<phase>.on-failure`).
    OnFailure, "on_failure value" {
        Abort = "abort" => "ABORT", "Abort the build when the phase fails.";
        Continue = "continue" => "CONTINUE", "Continue with the next phase when this phase fails.";
    }
}

enumeration! {
    /// Whether a pushed ECR image tag may be overwritten (`ImageTagMutability`).
    TagMutability, "tag mutability" {
        Mutable = "mutable" => "MUTABLE", "A tag can be pushed again and then names another image (the default).";
        Immutable = "immutable" => "IMMUTABLE", "Pushing a tag that already exists in the repository fails.";
    }
}

enumeration! {
    /// The build phases, in the order CodeBuild runs them (buildspec `phases`).
    PhaseName, "phase" {
        Install = "install" => "install", "Installs packages and runtimes in the build environment; runtime versions go here.";
        PreBuild = "pre_build" => "pre_build", "Runs before the build, for example to sign in to Amazon ECR or install dependencies.";
        Build = "build" => "build", "Runs the build and tests.";
        PostBuild = "post_build" => "post_build", "Runs after the build, for example to push a Docker image or package output; imagedefinitions.json is written here.";
    }
}

enumeration! {
    /// The host a CodeConnections connection reaches (`ProviderType`).
    ConnectionProvider, "connection provider" {
        GitHub = "GitHub" => "GitHub", "github.com.";
        GitHubEnterpriseServer = "GitHubEnterpriseServer" => "GitHubEnterpriseServer", "A GitHub Enterprise Server instance; the connection needs a host (HostArn) set up first.";
        Bitbucket = "Bitbucket" => "Bitbucket", "Bitbucket Cloud (bitbucket.org).";
        GitLab = "GitLab" => "GitLab", "gitlab.com.";
    }
}

enumeration! {
    /// AWS services a role can trust (its trust policy's service principals).
    TrustedService, "trusted service" {
        CodeBuild = "codebuild" => "codebuild.amazonaws.com", "CodeBuild, for a project's service role.";
        CodePipeline = "codepipeline" => "codepipeline.amazonaws.com", "CodePipeline, for a pipeline's service role.";
        CodeDeploy = "codedeploy" => "codedeploy.amazonaws.com", "CodeDeploy, for a deployment group's service role.";
        CloudFormation = "cloudformation" => "cloudformation.amazonaws.com", "CloudFormation, for a stack role (the cloudformation action's role_arn).";
        EcsTasks = "ecs_tasks" => "ecs-tasks.amazonaws.com", "ECS tasks, for a task role or task execution role.";
        Lambda = "lambda" => "lambda.amazonaws.com", "Lambda, for a function's execution role.";
    }
}

enumeration! {
    /// Webhook events that start a build of a project with its own source (CodeBuild
    /// `FilterGroups` of type `EVENT`).
    WebhookEvent, "webhook event" {
        Push = "push" => "PUSH", "A push to a branch or tag; filtered on the pushed ref (HEAD_REF).";
        PullRequestCreated = "pull_request_created" => "PULL_REQUEST_CREATED", "A pull request is opened; filtered on its base branch (BASE_REF).";
        PullRequestUpdated = "pull_request_updated" => "PULL_REQUEST_UPDATED", "New commits are pushed to a pull request; filtered on its base branch (BASE_REF).";
        PullRequestReopened = "pull_request_reopened" => "PULL_REQUEST_REOPENED", "A closed pull request is reopened. GitHub and GitLab, not Bitbucket.";
        PullRequestMerged = "pull_request_merged" => "PULL_REQUEST_MERGED", "A pull request is closed by merging it.";
        PullRequestClosed = "pull_request_closed" => "PULL_REQUEST_CLOSED", "A pull request is closed without being merged.";
        Released = "released" => "RELEASED", "A release is published. GitHub and GitLab, not Bitbucket.";
        Prereleased = "prereleased" => "PRERELEASED", "A pre-release is published. GitHub only.";
        WorkflowJobQueued = "workflow_job_queued" => "WORKFLOW_JOB_QUEUED", "A workflow job is queued, for CodeBuild-hosted runners. GitHub and GitLab, not Bitbucket.";
    }
}

impl WebhookEvent {
    /// Pull-request events are filtered on the base branch, the others on the pushed one.
    pub fn is_pull_request(self) -> bool {
        self.aws().starts_with("PULL_REQUEST")
    }
}

enumeration! {
    /// Whether a pull request's builds wait for a trusted person's approval: CodeBuild's
    /// `pullRequestBuildPolicy.requiresCommentApproval` (botocore's
    /// `PullRequestBuildCommentApproval`;
    /// https://docs.aws.amazon.com/codebuild/latest/userguide/pull-request-build-policy.html).
    CommentApproval, "comment approval" {
        AllPullRequests = "all_pull_requests" => "ALL_PULL_REQUESTS", "Every pull request's build waits until someone with an approver role comments `/codebuild_run(<commit SHA>)`; authors who hold an approver role build at once.";
        ForkPullRequests = "fork_pull_requests" => "FORK_PULL_REQUESTS", "Pull requests from forks wait for an approver's comment; those from the repository's own branches build at once.";
        Disabled = "disabled" => "DISABLED", "Every pull request builds at once, whoever opened it.";
    }
}

enumeration! {
    /// Who may approve a pull request's build, by their role on the host: CodeBuild's
    /// `pullRequestBuildPolicy.approverRoles` (botocore's `PullRequestBuildApproverRole`).
    ApproverRole, "approver role" {
        GitHubRead = "github_read" => "GITHUB_READ", "GitHub: read access to the repository.";
        GitHubTriage = "github_triage" => "GITHUB_TRIAGE", "GitHub: triage access.";
        GitHubWrite = "github_write" => "GITHUB_WRITE", "GitHub: write access.";
        GitHubMaintain = "github_maintain" => "GITHUB_MAINTAIN", "GitHub: maintain access.";
        GitHubAdmin = "github_admin" => "GITHUB_ADMIN", "GitHub: admin access.";
        GitLabGuest = "gitlab_guest" => "GITLAB_GUEST", "GitLab: the Guest role.";
        GitLabPlanner = "gitlab_planner" => "GITLAB_PLANNER", "GitLab: the Planner role.";
        GitLabReporter = "gitlab_reporter" => "GITLAB_REPORTER", "GitLab: the Reporter role.";
        GitLabDeveloper = "gitlab_developer" => "GITLAB_DEVELOPER", "GitLab: the Developer role.";
        GitLabMaintainer = "gitlab_maintainer" => "GITLAB_MAINTAINER", "GitLab: the Maintainer role.";
        GitLabOwner = "gitlab_owner" => "GITLAB_OWNER", "GitLab: the Owner role.";
        BitbucketRead = "bitbucket_read" => "BITBUCKET_READ", "Bitbucket: read access.";
        BitbucketWrite = "bitbucket_write" => "BITBUCKET_WRITE", "Bitbucket: write access.";
        BitbucketAdmin = "bitbucket_admin" => "BITBUCKET_ADMIN", "Bitbucket: admin access.";
    }
}

impl ApproverRole {
    /// Whether anyone may hold it: read access to a public repository (GitHub, Bitbucket), and
    /// GitLab's lowest role, taken as open too.
    pub fn held_by_anyone(self) -> bool {
        matches!(
            self,
            ApproverRole::GitHubRead | ApproverRole::BitbucketRead | ApproverRole::GitLabGuest
        )
    }

    /// The host whose roles it names (its AWS name's prefix).
    pub fn host(self) -> SourceHost {
        match self.aws().split('_').next() {
            Some("GITLAB") => SourceHost::GitLab,
            Some("BITBUCKET") => SourceHost::Bitbucket,
            _ => SourceHost::GitHub,
        }
    }
}

enumeration! {
    /// Source hosts reached through a connection: a project's `source` and the source actions.
    SourceHost, "source host" {
        GitHub = "github" => "GITHUB", "As a project source: builds check out https://github.com/owner/repo.git through the connection (Source.Type GITHUB). events create a webhook; branch sets refs/heads/BRANCH; head_branches (the branches pull requests come from), tags, files, exclude_files, commit_messages and exclude_commit_messages say which changes start builds; actors, comment_approval and approvers say who may start builds.";
        Bitbucket = "bitbucket" => "BITBUCKET", "As a project source: builds check out https://bitbucket.org/owner/repo.git through the connection (Source.Type BITBUCKET). events create a webhook; head_branches (the branches pull requests come from), tags, files, exclude_files, commit_messages and exclude_commit_messages say which changes start builds; actors, comment_approval and approvers say who may start builds.";
        GitLab = "gitlab" => "GITLAB", "As a project source: builds check out https://gitlab.com/owner/repo.git through the connection (Source.Type GITLAB). events create a webhook; head_branches (the branches pull requests come from), tags, files, exclude_files, commit_messages and exclude_commit_messages say which changes start builds; actors, comment_approval and approvers say who may start builds.";
    }
}

impl WebhookEvent {
    /// Whether CodeBuild takes this event in a webhook filter for `host`, per its pages
    /// https://docs.aws.amazon.com/codebuild/latest/userguide/github-webhook.html,
    /// https://docs.aws.amazon.com/codebuild/latest/userguide/bitbucket-webhook.html and
    /// https://docs.aws.amazon.com/codebuild/latest/userguide/gitlab-webhook.html.
    pub fn on(self, host: SourceHost) -> bool {
        match host {
            SourceHost::GitHub => true,
            SourceHost::GitLab => self != WebhookEvent::Prereleased,
            SourceHost::Bitbucket => matches!(
                self,
                WebhookEvent::Push
                    | WebhookEvent::PullRequestCreated
                    | WebhookEvent::PullRequestUpdated
                    | WebhookEvent::PullRequestMerged
                    | WebhookEvent::PullRequestClosed
            ),
        }
    }
}

impl SourceHost {
    /// The connection provider whose repositories a project source of this host reads.
    pub fn connection_provider(self) -> ConnectionProvider {
        match self {
            SourceHost::GitHub => ConnectionProvider::GitHub,
            SourceHost::Bitbucket => ConnectionProvider::Bitbucket,
            SourceHost::GitLab => ConnectionProvider::GitLab,
        }
    }

    /// The clone URL of `owner/repo` on this host.
    pub fn clone_url(self, repo: &str) -> String {
        let host = match self {
            SourceHost::GitHub => "github.com",
            SourceHost::Bitbucket => "bitbucket.org",
            SourceHost::GitLab => "gitlab.com",
        };
        format!("https://{host}/{repo}.git")
    }
}

/// Every enumeration of the language.
pub const ENUMS: &[&EnumSpec] = &[
    Compute::SPEC,
    EnvironmentType::SPEC,
    ImageFamily::SPEC,
    Shell::SPEC,
    CacheMode::SPEC,
    ReportFormat::SPEC,
    OnFailure::SPEC,
    ExecutionMode::SPEC,
    StageFailure::SPEC,
    TriggerKind::SPEC,
    PullRequestEvent::SPEC,
    BuildNotificationEvent::SPEC,
    PipelineNotificationEvent::SPEC,
    TagMutability::SPEC,
    PhaseName::SPEC,
    ConnectionProvider::SPEC,
    TrustedService::SPEC,
    WebhookEvent::SPEC,
    SourceHost::SPEC,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn distinct(spec: &EnumSpec) {
        let mut words: Vec<&str> = spec.words().collect();
        words.sort();
        words.dedup();
        assert_eq!(words.len(), spec.values.len(), "{}: words repeat", spec.what);
        assert!(spec.values.iter().all(|v| !v.doc.is_empty() && !v.aws.is_empty()));
    }

    #[test]
    fn every_enumeration_round_trips_and_is_documented() {
        for spec in ENUMS {
            distinct(spec);
        }
        for compute in Compute::ALL {
            assert_eq!(Compute::from_word(compute.word()), Some(*compute));
        }
        assert_eq!(ImageFamily::Standard.identifier("7.0"), "aws/codebuild/standard:7.0");
        assert!(WebhookEvent::PullRequestMerged.is_pull_request());
        assert!(!WebhookEvent::Push.is_pull_request());
    }
}

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
        Small = "small" => "BUILD_GENERAL1_SMALL", "2 vCPUs and 3 GB of memory (the default)";
        Medium = "medium" => "BUILD_GENERAL1_MEDIUM", "4 vCPUs and 7 GB of memory";
        Large = "large" => "BUILD_GENERAL1_LARGE", "8 vCPUs and 15 GB of memory";
        XLarge = "xlarge" => "BUILD_GENERAL1_XLARGE", "36 vCPUs and 70 GB of memory";
        X2Large = "2xlarge" => "BUILD_GENERAL1_2XLARGE", "72 vCPUs and 145 GB of memory";
    }
}

enumeration! {
    /// The build container's platform (CodeBuild environment `type`).
    EnvironmentType, "environment type" {
        Linux = "linux" => "LINUX_CONTAINER", "Linux on x86_64 (the default, unless the image is an aarch64 one)";
        LinuxArm = "linux_arm" => "ARM_CONTAINER", "Linux on ARM (aarch64)";
        LinuxGpu = "linux_gpu" => "LINUX_GPU_CONTAINER", "Linux with a GPU";
    }
}

enumeration! {
    /// Curated CodeBuild image families: `amazonlinux_standard("5.0")` names the image
    /// `aws/codebuild/amazonlinux-x86_64-standard:5.0`.
    ImageFamily, "image family" {
        AmazonLinuxStandard = "amazonlinux_standard" => "amazonlinux-x86_64-standard", "Amazon Linux on x86_64, CodeBuild's curated standard image";
        AmazonLinuxAarch64Standard = "amazonlinux_aarch64_standard" => "amazonlinux-aarch64-standard", "Amazon Linux on ARM (aarch64), CodeBuild's curated standard image";
        Standard = "standard" => "standard", "Ubuntu on x86_64, CodeBuild's curated standard image";
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
        Bash = "bash" => "bash", "GNU bash";
        Sh = "sh" => "sh", "the POSIX shell";
    }
}

enumeration! {
    /// CodeBuild's local caches (`Cache.Modes`).
    CacheMode, "cache mode" {
        DockerLayer = "docker_layer" => "LOCAL_DOCKER_LAYER_CACHE", "Docker image layers of earlier builds (needs privileged mode)";
        Source = "source" => "LOCAL_SOURCE_CACHE", "the Git metadata of the primary and secondary sources";
        Custom = "custom" => "LOCAL_CUSTOM_CACHE", "the directories named in the cache's `paths`";
    }
}

enumeration! {
    /// Test and coverage report file formats (buildspec `reports.<group>.file-format`).
    ReportFormat, "report format" {
        JunitXml = "junit_xml" => "JUNITXML", "JUnit XML test results";
        CucumberJson = "cucumber_json" => "CUCUMBERJSON", "Cucumber JSON test results";
        TestngXml = "testng_xml" => "TESTNGXML", "TestNG XML test results";
        VisualStudioTrx = "visual_studio_trx" => "VISUALSTUDIOTRX", "Visual Studio TRX test results";
        NunitXml = "nunit_xml" => "NUNITXML", "NUnit XML test results";
        Nunit3Xml = "nunit3_xml" => "NUNIT3XML", "NUnit 3 XML test results";
        CloverXml = "clover_xml" => "CLOVERXML", "Clover XML code coverage";
        CoberturaXml = "cobertura_xml" => "COBERTURAXML", "Cobertura XML code coverage";
        JacocoXml = "jacoco_xml" => "JACOCOXML", "JaCoCo XML code coverage";
        SimplecovJson = "simplecov_json" => "SIMPLECOV", "SimpleCov JSON code coverage";
    }
}

enumeration! {
    /// What CodeBuild does when a phase fails (buildspec `phases.<phase>.on-failure`).
    OnFailure, "on_failure value" {
        Abort = "abort" => "ABORT", "stop the build (the default)";
        Continue = "continue" => "CONTINUE", "go on with the next phase";
    }
}

enumeration! {
    /// Whether a pushed ECR image tag may be overwritten (`ImageTagMutability`).
    TagMutability, "tag mutability" {
        Mutable = "mutable" => "MUTABLE", "a tag may be pushed again and then names another image";
        Immutable = "immutable" => "IMMUTABLE", "a pushed tag always names the same image";
    }
}

enumeration! {
    /// The build phases, in the order CodeBuild runs them (buildspec `phases`).
    PhaseName, "phase" {
        Install = "install" => "install", "installs packages and runtimes (`runtime` versions go here)";
        PreBuild = "pre_build" => "pre_build", "prepares the build: logins, dependencies";
        Build = "build" => "build", "runs the build";
        PostBuild = "post_build" => "post_build", "runs after the build: push, package, notify";
    }
}

enumeration! {
    /// The host a CodeConnections connection reaches (`ProviderType`).
    ConnectionProvider, "connection provider" {
        GitHub = "GitHub" => "GitHub", "github.com";
        GitHubEnterpriseServer = "GitHubEnterpriseServer" => "GitHubEnterpriseServer", "a GitHub Enterprise Server host";
        Bitbucket = "Bitbucket" => "Bitbucket", "bitbucket.org";
        GitLab = "GitLab" => "GitLab", "gitlab.com";
    }
}

enumeration! {
    /// AWS services a role can trust (its trust policy's service principals).
    TrustedService, "trusted service" {
        CodeBuild = "codebuild" => "codebuild.amazonaws.com", "CodeBuild, for a project's service role";
        CodePipeline = "codepipeline" => "codepipeline.amazonaws.com", "CodePipeline, for a pipeline's service role";
        CodeDeploy = "codedeploy" => "codedeploy.amazonaws.com", "CodeDeploy, for a deployment group's service role";
        CloudFormation = "cloudformation" => "cloudformation.amazonaws.com", "CloudFormation, for a stack's role";
        EcsTasks = "ecs_tasks" => "ecs-tasks.amazonaws.com", "ECS tasks, for a task or task execution role";
        Lambda = "lambda" => "lambda.amazonaws.com", "Lambda, for a function's execution role";
    }
}

enumeration! {
    /// Webhook events that start a build of a project with its own source (CodeBuild
    /// `FilterGroups` of type `EVENT`).
    WebhookEvent, "webhook event" {
        Push = "push" => "PUSH", "a push to a branch or tag";
        PullRequestCreated = "pull_request_created" => "PULL_REQUEST_CREATED", "a pull request is opened";
        PullRequestUpdated = "pull_request_updated" => "PULL_REQUEST_UPDATED", "a pull request gets new commits";
        PullRequestReopened = "pull_request_reopened" => "PULL_REQUEST_REOPENED", "a closed pull request is reopened";
        PullRequestMerged = "pull_request_merged" => "PULL_REQUEST_MERGED", "a pull request is merged";
        PullRequestClosed = "pull_request_closed" => "PULL_REQUEST_CLOSED", "a pull request is closed without merging";
        Released = "released" => "RELEASED", "a release is published";
        Prereleased = "prereleased" => "PRERELEASED", "a pre-release is published";
        WorkflowJobQueued = "workflow_job_queued" => "WORKFLOW_JOB_QUEUED", "a GitHub Actions workflow job is queued";
    }
}

impl WebhookEvent {
    /// Pull-request events are filtered on the base branch, the others on the pushed one.
    pub fn is_pull_request(self) -> bool {
        self.aws().starts_with("PULL_REQUEST")
    }
}

enumeration! {
    /// Source hosts reached through a connection: a project's `source` and the source actions.
    SourceHost, "source host" {
        GitHub = "github" => "GITHUB", "GitHub";
        Bitbucket = "bitbucket" => "BITBUCKET", "Bitbucket";
        GitLab = "gitlab" => "GITLAB", "GitLab";
    }
}

impl SourceHost {
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
        for spec in [
            Compute::SPEC,
            EnvironmentType::SPEC,
            ImageFamily::SPEC,
            Shell::SPEC,
            CacheMode::SPEC,
            ReportFormat::SPEC,
            OnFailure::SPEC,
            TagMutability::SPEC,
            PhaseName::SPEC,
            ConnectionProvider::SPEC,
            TrustedService::SPEC,
            WebhookEvent::SPEC,
            SourceHost::SPEC,
        ] {
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

//! cruddur's action providers and how they map onto AWS action types. The mapping (names, the
//! argument each takes, which configuration key each setting becomes) is cruddur's design; the
//! facts it is checked against (artifact counts, required keys, allowed values, AWS's page)
//! come from [`crate::data`].

use super::Kind;
use crate::data::{self, ActionType};

/// Every provider an action can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProviderKind {
    GitHub,
    Bitbucket,
    GitLab,
    S3Source,
    Ecr,
    CodeBuild,
    Ecs,
    CodeDeployEcs,
    CodeDeploy,
    Lambda,
    S3Deploy,
    CloudFormation,
    Approval,
    InspectorScan,
}

/// A provider setting: an action body's property and the configuration key it becomes.
#[derive(Debug, PartialEq, Eq)]
pub struct SettingSpec {
    pub name: &'static str,
    pub key: &'static str,
    pub doc: &'static str,
}

#[derive(Debug, PartialEq, Eq)]
pub struct ProviderSpec {
    pub kind: ProviderKind,
    pub name: &'static str,
    pub category: &'static str,
    pub provider: &'static str,
    /// The item the provider takes as its argument: `codebuild(project)`.
    pub argument: Option<Kind>,
    pub settings: &'static [SettingSpec],
    /// AWS configuration keys cruddur fills in from the provider's argument.
    pub implied: &'static [&'static str],
    pub doc: &'static str,
}

impl ProviderSpec {
    pub fn action_type(&self) -> &'static ActionType {
        data::action_type(self.category, self.provider).expect("every provider maps to a known AWS action type")
    }

    pub fn setting(&self, name: &str) -> Option<&'static SettingSpec> {
        self.settings.iter().find(|s| s.name == name)
    }

    pub fn is_source(&self) -> bool {
        self.category == "Source"
    }

    /// AWS's reference page for the action type.
    pub fn link(&self) -> &'static str {
        &self.action_type().docs_page
    }
}

const fn setting(name: &'static str, key: &'static str, doc: &'static str) -> SettingSpec {
    SettingSpec { name, key, doc }
}

const CONNECTION_SOURCE: &[SettingSpec] = &[
    setting("repo", "FullRepositoryId", "The repository, as `owner/name`."),
    setting("branch", "BranchName", "The branch whose changes start the pipeline."),
    setting(
        "detect_changes",
        "DetectChanges",
        "Start the pipeline on each push to the branch (true unless set to false).",
    ),
    setting(
        "output_format",
        "OutputArtifactFormat",
        "CODE_ZIP (the files, the default) or CODEBUILD_CLONE_REF (a full clone, for builds that need Git history).",
    ),
];

const fn connection_source(kind: ProviderKind, name: &'static str, host: &'static str) -> ProviderSpec {
    ProviderSpec {
        kind,
        name,
        category: "Source",
        provider: "CodeStarSourceConnection",
        argument: Some(Kind::Connection),
        settings: CONNECTION_SOURCE,
        implied: &["ConnectionArn"],
        doc: host,
    }
}

pub const PROVIDERS: &[ProviderSpec] = &[
    connection_source(
        ProviderKind::GitHub,
        "github",
        "Checks out a GitHub repository's branch through a connection, and starts the pipeline on changes.",
    ),
    connection_source(
        ProviderKind::Bitbucket,
        "bitbucket",
        "Checks out a Bitbucket repository's branch through a connection, and starts the pipeline on changes.",
    ),
    connection_source(
        ProviderKind::GitLab,
        "gitlab",
        "Checks out a GitLab repository's branch through a connection, and starts the pipeline on changes.",
    ),
    ProviderSpec {
        kind: ProviderKind::S3Source,
        name: "s3_source",
        category: "Source",
        provider: "S3",
        argument: None,
        settings: &[
            setting("bucket", "S3Bucket", "The versioned bucket that holds the source object."),
            setting("key", "S3ObjectKey", "The source object's key (a .zip file)."),
            setting(
                "poll",
                "PollForSourceChanges",
                "Poll the bucket for changes (false when an EventBridge rule starts the pipeline).",
            ),
            setting(
                "allow_override",
                "AllowOverrideForS3ObjectKey",
                "Let a pipeline start name another object key.",
            ),
        ],
        implied: &[],
        doc: "Takes a .zip object from a versioned S3 bucket as the source.",
    },
    ProviderSpec {
        kind: ProviderKind::Ecr,
        name: "ecr",
        category: "Source",
        provider: "ECR",
        argument: Some(Kind::Repository),
        settings: &[setting("tag", "ImageTag", "The image tag that starts the pipeline (latest when not set).")],
        implied: &["RepositoryName"],
        doc: "Starts the pipeline when an image is pushed to an ECR repository; its output is imageDetail.json.",
    },
    ProviderSpec {
        kind: ProviderKind::CodeBuild,
        name: "codebuild",
        category: "Build",
        provider: "CodeBuild",
        argument: Some(Kind::Project),
        settings: &[
            setting(
                "primary_source",
                "PrimarySource",
                "The input artifact the build starts in, when it has several.",
            ),
            setting("batch", "BatchEnabled", "Run the build as a batch build."),
            setting(
                "combine_artifacts",
                "CombineArtifacts",
                "Combine a batch build's artifacts into one output artifact.",
            ),
        ],
        implied: &["ProjectName"],
        doc: "Runs a build of a CodeBuild project on the input artifacts.",
    },
    ProviderSpec {
        kind: ProviderKind::Ecs,
        name: "ecs",
        category: "Deploy",
        provider: "ECS",
        argument: Some(Kind::Service),
        settings: &[
            setting(
                "file_name",
                "FileName",
                "The image definitions file in the input artifact (imagedefinitions.json, what cruddur's builds write).",
            ),
            setting(
                "deployment_timeout",
                "DeploymentTimeout",
                "Minutes the deploy may take (1 to 60).",
            ),
        ],
        implied: &["ClusterName", "ServiceName"],
        doc: "Rolls an ECS service out with the images named in imagedefinitions.json.",
    },
    ProviderSpec {
        kind: ProviderKind::CodeDeployEcs,
        name: "codedeploy_ecs",
        category: "Deploy",
        provider: "CodeDeployToECS",
        argument: None,
        settings: &[
            setting("application", "ApplicationName", "The CodeDeploy application."),
            setting(
                "deployment_group",
                "DeploymentGroupName",
                "The deployment group that names the service, its load balancer and target groups.",
            ),
            setting(
                "task_definition_artifact",
                "TaskDefinitionTemplateArtifact",
                "The input artifact holding the task definition template.",
            ),
            setting(
                "appspec_artifact",
                "AppSpecTemplateArtifact",
                "The input artifact holding the AppSpec file.",
            ),
            setting(
                "task_definition_path",
                "TaskDefinitionTemplatePath",
                "The task definition template's file name (taskdef.json when not set).",
            ),
            setting(
                "appspec_path",
                "AppSpecTemplatePath",
                "The AppSpec file's name (appspec.yaml when not set).",
            ),
            setting(
                "image_artifact",
                "Image1ArtifactName",
                "The input artifact holding imageDetail.json for the image placeholder.",
            ),
            setting(
                "image_container",
                "Image1ContainerName",
                "The placeholder in the task definition replaced by the image URI.",
            ),
        ],
        implied: &[],
        doc: "A blue/green ECS deployment through CodeDeploy.",
    },
    ProviderSpec {
        kind: ProviderKind::CodeDeploy,
        name: "codedeploy",
        category: "Deploy",
        provider: "CodeDeploy",
        argument: None,
        settings: &[
            setting("application", "ApplicationName", "The CodeDeploy application."),
            setting("deployment_group", "DeploymentGroupName", "The deployment group to deploy to."),
        ],
        implied: &[],
        doc: "Deploys to EC2 or on-premises instances with CodeDeploy.",
    },
    ProviderSpec {
        kind: ProviderKind::Lambda,
        name: "lambda",
        category: "Invoke",
        provider: "Lambda",
        argument: None,
        settings: &[
            setting("function", "FunctionName", "The function to invoke, by name or ARN."),
            setting("user_parameters", "UserParameters", "A string passed to the function."),
        ],
        implied: &[],
        doc: "Invokes a Lambda function, which reports the action's result to CodePipeline.",
    },
    ProviderSpec {
        kind: ProviderKind::S3Deploy,
        name: "s3_deploy",
        category: "Deploy",
        provider: "S3",
        argument: None,
        settings: &[
            setting("bucket", "BucketName", "The bucket to write to."),
            setting("extract", "Extract", "Unzip the artifact into the bucket (true) or upload it as one object."),
            setting("object_key", "ObjectKey", "The object key (or the prefix, when extracting)."),
            setting("kms_key_arn", "KMSEncryptionKeyARN", "The KMS key that encrypts the objects."),
            setting("canned_acl", "CannedACL", "The canned ACL of the written objects."),
            setting("cache_control", "CacheControl", "The Cache-Control header of the written objects."),
        ],
        implied: &[],
        doc: "Writes the input artifact's files to an S3 bucket.",
    },
    ProviderSpec {
        kind: ProviderKind::CloudFormation,
        name: "cloudformation",
        category: "Deploy",
        provider: "CloudFormation",
        argument: None,
        settings: &[
            setting(
                "action_mode",
                "ActionMode",
                "What to do with the stack: CREATE_UPDATE, CHANGE_SET_REPLACE, CHANGE_SET_EXECUTE, DELETE_ONLY…",
            ),
            setting("stack", "StackName", "The stack's name."),
            setting("capabilities", "Capabilities", "Capabilities the template needs, e.g. CAPABILITY_IAM."),
            setting("change_set", "ChangeSetName", "The change set's name (change set modes)."),
            setting("role_arn", "RoleArn", "The role CloudFormation uses to change the stack's resources."),
            setting("template_path", "TemplatePath", "The template, as ArtifactName::path/in/artifact."),
            setting("output_file", "OutputFileName", "A file in the output artifact to write the stack's outputs to."),
            setting(
                "parameter_overrides",
                "ParameterOverrides",
                "Template parameter values, as a JSON object.",
            ),
            setting(
                "template_configuration",
                "TemplateConfiguration",
                "A template configuration file, as ArtifactName::path.",
            ),
        ],
        implied: &[],
        doc: "Creates, updates or deletes a CloudFormation stack or change set.",
    },
    ProviderSpec {
        kind: ProviderKind::Approval,
        name: "approval",
        category: "Approval",
        provider: "Manual",
        argument: None,
        settings: &[
            setting("custom_data", "CustomData", "A message shown to the approver."),
            setting("external_link", "ExternalEntityLink", "A URL for the approver to review."),
            setting("notification_arn", "NotificationArn", "An SNS topic notified when approval is needed."),
        ],
        implied: &[],
        doc: "Waits for a person to approve or reject in the console.",
    },
    ProviderSpec {
        kind: ProviderKind::InspectorScan,
        name: "inspector_scan",
        category: "Invoke",
        provider: "InspectorScan",
        argument: None,
        settings: &[
            setting(
                "mode",
                "InspectorRunMode",
                "SourceCodeScan (scan the input artifact) or ECRImageScan (scan an image).",
            ),
            setting("repository", "ECRRepositoryName", "The ECR repository of the image to scan."),
            setting("image_tag", "ImageTag", "The tag of the image to scan."),
            setting("critical_threshold", "CriticalThreshold", "Fail when more critical findings are found."),
            setting("high_threshold", "HighThreshold", "Fail when more high findings are found."),
            setting("medium_threshold", "MediumThreshold", "Fail when more medium findings are found."),
            setting("low_threshold", "LowThreshold", "Fail when more low findings are found."),
        ],
        implied: &[],
        doc: "Scans source code or an ECR image with Amazon Inspector and fails on findings above thresholds.",
    },
];

/// The provider written as `name`.
pub fn provider(name: &str) -> Option<&'static ProviderSpec> {
    PROVIDERS.iter().find(|p| p.name == name)
}

impl ProviderKind {
    pub fn spec(self) -> &'static ProviderSpec {
        PROVIDERS
            .iter()
            .find(|p| p.kind == self)
            .expect("every provider kind has a spec")
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mapping stays true to the AWS table: every mapped key exists for its action type,
    /// and every required key is mapped or filled in by cruddur.
    #[test]
    fn provider_mapping_matches_the_aws_action_types() {
        for spec in PROVIDERS {
            assert_eq!(spec.kind.spec(), spec, "{} is listed once", spec.name);
            let action_type = spec.action_type();
            let keys: Vec<&str> = action_type.configuration.iter().map(|c| c.name.as_str()).collect();
            for setting in spec.settings {
                assert!(
                    keys.contains(&setting.key),
                    "{}: `{}` maps to `{}`, which {} does not take",
                    spec.name,
                    setting.name,
                    setting.key,
                    spec.provider
                );
                assert!(!setting.doc.is_empty());
            }
            for key in spec.implied {
                assert!(
                    keys.contains(key),
                    "{}: implied `{key}` unknown to {}",
                    spec.name,
                    spec.provider
                );
            }
            for required in action_type.configuration.iter().filter(|c| c.required) {
                let covered = spec.settings.iter().any(|s| s.key == required.name)
                    || spec.implied.contains(&required.name.as_str());
                assert!(
                    covered,
                    "{}: required key `{}` has no cruddur property",
                    spec.name, required.name
                );
            }
        }
    }
}

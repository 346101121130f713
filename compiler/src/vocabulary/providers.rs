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
    CodeCommit,
    S3Source,
    Ecr,
    CodeBuild,
    CodeBuildTest,
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
    /// The value names one of the action's input artifacts.
    pub names_artifact: bool,
    /// The value is the path of a file the action reads from one of its inputs.
    pub reads: Option<FileRead>,
}

/// A file an action reads from one of its input artifacts (AWS's action reference: the
/// artifact must hold it, or the action fails at run time).
#[derive(Debug, PartialEq, Eq)]
pub struct FileRead {
    pub artifact: FileIn,
    /// The file read when the setting is not given (`taskdef.json`).
    pub default: Option<&'static str>,
}

/// Which input holds the file.
#[derive(Debug, PartialEq, Eq)]
pub enum FileIn {
    /// The action's one input.
    TheInput,
    /// The input another setting names (`task_definition_artifact`).
    NamedBy(&'static str),
    /// The value says, as `ArtifactName::path`.
    Prefixed,
    /// The artifact the setting itself names; the file is always the default
    /// (`image_artifact`: its `imageDetail.json`).
    Named,
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

    /// The settings AWS requires of the action type that cruddur does not fill in itself
    /// from the provider's argument, in the order AWS lists them.
    pub fn required_settings(&self) -> impl Iterator<Item = &'static SettingSpec> + '_ {
        self.action_type()
            .configuration
            .iter()
            .filter(|key| key.required && !self.implied.contains(&key.name))
            .filter_map(|key| self.settings.iter().find(|s| s.key == key.name))
    }

    /// Settings AWS requires only when another has a certain value.
    pub fn conditions(&self) -> impl Iterator<Item = &'static Condition> + '_ {
        CONDITIONS.iter().filter(move |c| c.provider == self.kind)
    }

    /// The values its numeric settings may take.
    pub fn ranges(&self) -> impl Iterator<Item = &'static SettingRange> + '_ {
        RANGES.iter().filter(move |r| r.provider == self.kind)
    }

    pub fn setting(&self, name: &str) -> Option<&'static SettingSpec> {
        self.settings.iter().find(|s| s.name == name)
    }

    pub fn is_source(&self) -> bool {
        self.category == "Source"
    }

    /// AWS's reference page for the action type.
    pub fn link(&self) -> &'static str {
        self.action_type().docs_page
    }
}

const fn setting(name: &'static str, key: &'static str, doc: &'static str) -> SettingSpec {
    SettingSpec {
        name,
        key,
        doc,
        names_artifact: false,
        reads: None,
    }
}

/// A setting whose value is the path of a file the action reads from an input.
const fn file_setting(
    name: &'static str,
    key: &'static str,
    doc: &'static str,
    artifact: FileIn,
    default: Option<&'static str>,
) -> SettingSpec {
    SettingSpec {
        reads: Some(FileRead { artifact, default }),
        ..setting(name, key, doc)
    }
}

/// A setting whose value names an input artifact.
const fn artifact_setting(name: &'static str, key: &'static str, doc: &'static str) -> SettingSpec {
    SettingSpec {
        names_artifact: true,
        ..setting(name, key, doc)
    }
}

const CONNECTION_SOURCE: &[SettingSpec] = &[
    setting(
                "repo",
                "FullRepositoryId",
                "The repository as owner/name, for example some-user/my-repo (case-sensitive). Required.",
            ),
    setting(
                "branch",
                "BranchName",
                "The branch whose commits the action fetches and, with change detection on, starts the pipeline. Required.",
            ),
    setting(
                "detect_changes",
                "DetectChanges",
                "Whether a new commit on the branch starts the pipeline automatically; true unless set to false.",
            ),
    setting(
                "output_format",
                "OutputArtifactFormat",
                "CODE_ZIP (the default) outputs a zip of the commit; CODEBUILD_CLONE_REF outputs a reference that only CodeBuild actions can clone, with Git history.",
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

/// The settings of a CodeBuild action, in the Build and the Test category alike.
const CODEBUILD_SETTINGS: &[SettingSpec] = &[
            artifact_setting(
                "primary_source",
                "PrimarySource",
                "The input artifact whose directory holds the buildspec and where commands run; required when the action has more than one input.",
            ),
            setting(
                "batch",
                "BatchEnabled",
                "Runs a batch build (several builds in one run, defined in the buildspec's batch section) instead of a single build.",
            ),
            setting(
                "combine_artifacts",
                "CombineArtifacts",
                "With a batch build, combines the artifacts of all builds into one output artifact.",
            ),
];

pub const PROVIDERS: &[ProviderSpec] = &[
    connection_source(
        ProviderKind::GitHub,
        "github",
        "A source action that fetches a GitHub branch through a connection and, by default, starts the pipeline on new commits. Produces one Source artifact.",
    ),
    connection_source(
        ProviderKind::Bitbucket,
        "bitbucket",
        "A source action that fetches a Bitbucket Cloud branch through a connection and, by default, starts the pipeline on new commits. Produces one Source artifact.",
    ),
    connection_source(
        ProviderKind::GitLab,
        "gitlab",
        "A source action that fetches a GitLab branch through a connection and, by default, starts the pipeline on new commits. Produces one Source artifact.",
    ),
    ProviderSpec {
        kind: ProviderKind::CodeCommit,
        name: "codecommit",
        category: "Source",
        provider: "CodeCommit",
        argument: None,
        settings: &[
            setting("repository", "RepositoryName", "The CodeCommit repository's name. Required."),
            setting(
                "branch",
                "BranchName",
                "The branch whose commits the action fetches and that starts the pipeline. Required.",
            ),
            setting(
                "poll",
                "PollForSourceChanges",
                "Whether CodePipeline polls the repository. Unless it is set to true, cruddur writes false and an EventBridge rule that starts the pipeline on a commit to the branch, as AWS recommends.",
            ),
            setting(
                "output_format",
                "OutputArtifactFormat",
                "CODE_ZIP (the default) outputs a zip of the commit; CODEBUILD_CLONE_REF outputs a reference that only CodeBuild actions can clone, with Git history (the build's role is granted codecommit:GitPull).",
            ),
        ],
        implied: &[],
        doc: "A source action that fetches a branch of a CodeCommit repository and starts the pipeline on each commit to it. Produces one Source artifact.",
    },
    ProviderSpec {
        kind: ProviderKind::S3Source,
        name: "s3_source",
        category: "Source",
        provider: "S3",
        argument: None,
        settings: &[
            setting(
                "bucket",
                "S3Bucket",
                "The versioned S3 bucket that holds the source object. Required.",
            ),
            setting(
                "key",
                "S3ObjectKey",
                "The object key (usually a .zip) whose new versions are the source. Required.",
            ),
            setting(
                "poll",
                "PollForSourceChanges",
                "Whether CodePipeline polls the bucket for changes (true when omitted). With false, cruddur writes an EventBridge rule that starts the pipeline when the object is written; the bucket must send its events to EventBridge.",
            ),
            setting(
                "allow_override",
                "AllowOverrideForS3ObjectKey",
                "Whether a source revision override when starting the pipeline may replace the object key (default false).",
            ),
        ],
        implied: &[],
        doc: "A source action that uses an object (usually a .zip) in a versioned S3 bucket and starts the pipeline when it changes. Produces one Source artifact.",
    },
    ProviderSpec {
        kind: ProviderKind::Ecr,
        name: "ecr",
        category: "Source",
        provider: "ECR",
        argument: Some(Kind::Repository),
        settings: &[setting(
                "tag",
                "ImageTag",
                "The image tag whose pushes start the pipeline; latest when omitted.",
            )],
        implied: &["RepositoryName"],
        doc: "A source action that starts the pipeline when an image is pushed to the ECR repository with the tag. Its artifact holds imageDetail.json with the image URI.",
    },
    ProviderSpec {
        kind: ProviderKind::CodeBuild,
        name: "codebuild",
        category: "Build",
        provider: "CodeBuild",
        argument: Some(Kind::Project),
        settings: CODEBUILD_SETTINGS,
        implied: &["ProjectName"],
        doc: "A build action that runs the CodeBuild project on 1 to 5 input artifacts and can produce 0 to 5 output artifacts.",
    },
    ProviderSpec {
        kind: ProviderKind::CodeBuildTest,
        name: "codebuild_test",
        category: "Test",
        provider: "CodeBuild",
        argument: Some(Kind::Project),
        settings: CODEBUILD_SETTINGS,
        implied: &["ProjectName"],
        doc: "A test action: the CodeBuild project run in CodePipeline's Test category, on 1 to 5 input artifacts with 0 to 5 outputs. The console shows it as a test, and cruddur counts it as a check before the deploys after it.",
    },
    ProviderSpec {
        kind: ProviderKind::Ecs,
        name: "ecs",
        category: "Deploy",
        provider: "ECS",
        argument: Some(Kind::Service),
        settings: &[
            file_setting(
                "file_name",
                "FileName",
                "The image definitions file in the input artifact; cruddur writes imagedefinitions.json, the default it sets.",
                FileIn::TheInput,
                Some("imagedefinitions.json"),
            ),
            setting(
                "deployment_timeout",
                "DeploymentTimeout",
                "The ECS deployment timeout in minutes, configurable up to the action's maximum default timeout.",
            ),
        ],
        implied: &["ClusterName", "ServiceName"],
        doc: "A deploy action that updates the ECS service to the image named in imagedefinitions.json, registering a new task definition revision. Takes one input artifact.",
    },
    ProviderSpec {
        kind: ProviderKind::CodeDeployEcs,
        name: "codedeploy_ecs",
        category: "Deploy",
        provider: "CodeDeployToECS",
        argument: None,
        settings: &[
            setting(
                "application",
                "ApplicationName",
                "The CodeDeploy application (ECS compute platform); it must exist before the pipeline. Required.",
            ),
            setting(
                "deployment_group",
                "DeploymentGroupName",
                "The CodeDeploy deployment group for the ECS service; it must exist before the pipeline. Required.",
            ),
            artifact_setting(
                "task_definition_artifact",
                "TaskDefinitionTemplateArtifact",
                "The input artifact that holds the task definition file. Required.",
            ),
            artifact_setting(
                "appspec_artifact",
                "AppSpecTemplateArtifact",
                "The input artifact that holds the AppSpec file. Required.",
            ),
            file_setting(
                "task_definition_path",
                "TaskDefinitionTemplatePath",
                "The task definition file's path in its artifact; taskdef.json when omitted.",
                FileIn::NamedBy("task_definition_artifact"),
                Some("taskdef.json"),
            ),
            file_setting(
                "appspec_path",
                "AppSpecTemplatePath",
                "The AppSpec file's path in its artifact; appspec.yaml when omitted.",
                FileIn::NamedBy("appspec_artifact"),
                Some("appspec.yaml"),
            ),
            SettingSpec {
                reads: Some(FileRead {
                    artifact: FileIn::Named,
                    default: Some("imageDetail.json"),
                }),
                ..artifact_setting(
                    "image_artifact",
                    "Image1ArtifactName",
                    "The input artifact that provides the image in its imageDetail.json: an ECR source's output, or a build's that writes the file.",
                )
            },
            setting(
                "image_container",
                "Image1ContainerName",
                "The placeholder in the task definition file that is replaced by the image URI, such as IMAGE1_NAME.",
            ),
        ],
        implied: &[],
        doc: "A blue/green deployment of an ECS service through CodeDeploy, from a task definition template, an AppSpec file and optional image artifacts (1 to 5 inputs).",
    },
    ProviderSpec {
        kind: ProviderKind::CodeDeploy,
        name: "codedeploy",
        category: "Deploy",
        provider: "CodeDeploy",
        argument: None,
        settings: &[
            setting(
                "application",
                "ApplicationName",
                "The CodeDeploy application to deploy. Required.",
            ),
            setting(
                "deployment_group",
                "DeploymentGroupName",
                "The CodeDeploy deployment group to deploy to. Required.",
            ),
        ],
        implied: &[],
        doc: "A deploy action that runs a CodeDeploy deployment to EC2 or on-premises instances from one input artifact holding the AppSpec file and revision.",
    },
    ProviderSpec {
        kind: ProviderKind::Lambda,
        name: "lambda",
        category: "Invoke",
        provider: "Lambda",
        argument: None,
        settings: &[
            setting(
                "function",
                "FunctionName",
                "The name of the Lambda function to invoke. Required.",
            ),
            setting(
                "user_parameters",
                "UserParameters",
                "A string passed to the function in the job's action configuration.",
            ),
        ],
        implied: &[],
        doc: "An invoke action that calls a Lambda function with the job details; the function must report PutJobSuccessResult or PutJobFailureResult. 0 to 5 inputs and outputs.",
    },
    ProviderSpec {
        kind: ProviderKind::S3Deploy,
        name: "s3_deploy",
        category: "Deploy",
        provider: "S3",
        argument: None,
        settings: &[
            setting(
                "bucket",
                "BucketName",
                "The S3 bucket to deploy the files to. Required.",
            ),
            setting(
                "extract",
                "Extract",
                "true unzips the artifact and uploads its files; false uploads the zip as object_key. Required.",
            ),
            setting(
                "object_key",
                "ObjectKey",
                "The object key for the uploaded zip; required when extract is false.",
            ),
            setting(
                "kms_key_arn",
                "KMSEncryptionKeyARN",
                "The KMS key (ID, ARN or alias ARN; symmetric only) that encrypts the uploaded objects. Cross-account actions need the key ID or ARN.",
            ),
            setting(
                "canned_acl",
                "CannedACL",
                "A canned ACL applied to the deployed objects, replacing any existing ACL.",
            ),
            setting(
                "cache_control",
                "CacheControl",
                "The Cache-Control header for the deployed objects, for example \"public, max-age=0, no-transform\".",
            ),
        ],
        implied: &[],
        doc: "A deploy action that uploads its one input artifact to an S3 bucket, extracted or as one object.",
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
                "The operation: CREATE_UPDATE, DELETE_ONLY, REPLACE_ON_FAILURE, CHANGE_SET_REPLACE or CHANGE_SET_EXECUTE. Required.",
            ),
            setting(
                "stack",
                "StackName",
                "The name of an existing stack or of the stack to create. Required.",
            ),
            setting(
                "capabilities",
                "Capabilities",
                "Acknowledgements CAPABILITY_IAM, CAPABILITY_NAMED_IAM or CAPABILITY_AUTO_EXPAND, needed for templates with IAM resources or macros.",
            ),
            setting(
                "change_set",
                "ChangeSetName",
                "The change set to create or execute; required for CHANGE_SET_REPLACE and CHANGE_SET_EXECUTE.",
            ),
            setting(
                "role_arn",
                "RoleArn",
                "The role CloudFormation assumes to act on the stack (CREATE_UPDATE, REPLACE_ON_FAILURE, DELETE_ONLY, CHANGE_SET_REPLACE); without it CloudFormation uses the role the stack has, or the pipeline's credentials.",
            ),
            file_setting(
                "template_path",
                "TemplatePath",
                "The template file as ArtifactName::path; required for CREATE_UPDATE, REPLACE_ON_FAILURE and CHANGE_SET_REPLACE.",
                FileIn::Prefixed,
                None,
            ),
            setting(
                "output_file",
                "OutputFileName",
                "A file name for the stack's Outputs as JSON in the action's output artifact; without it, no output artifact.",
            ),
            setting(
                "parameter_overrides",
                "ParameterOverrides",
                "A JSON object of template parameter values; they override the template configuration file.",
            ),
            file_setting(
                "template_configuration",
                "TemplateConfiguration",
                "A template configuration file (parameters, tags, stack policy) as ArtifactName::path.",
                FileIn::Prefixed,
                None,
            ),
        ],
        implied: &[],
        doc: "A deploy action that creates, updates or deletes a CloudFormation stack or change set. Takes 0 to 10 inputs; outputs one artifact when output_file is set.",
    },
    ProviderSpec {
        kind: ProviderKind::Approval,
        name: "approval",
        category: "Approval",
        provider: "Manual",
        argument: None,
        settings: &[
            setting(
                "custom_data",
                "CustomData",
                "Comments shown to the reviewer and included in the notification.",
            ),
            setting(
                "external_link",
                "ExternalEntityLink",
                "A URL for the reviewer to examine, linked from the approval.",
            ),
            setting(
                "notification_arn",
                "NotificationArn",
                "An SNS topic notified when the approval is pending; the pipeline role needs sns:Publish on it.",
            ),
        ],
        implied: &[],
        doc: "A manual approval: the pipeline stops at this action until someone approves or rejects it. Takes no artifacts.",
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
                "What to scan: SourceCodeScan (the input artifact) or ECRImageScan (an image in ECR). Required.",
            ),
            setting(
                "repository",
                "ECRRepositoryName",
                "The ECR repository of the image to scan, for ECRImageScan.",
            ),
            setting(
                "image_tag",
                "ImageTag",
                "The tag of the image to scan, for ECRImageScan.",
            ),
            setting(
                "critical_threshold",
                "CriticalThreshold",
                "The number of critical-severity vulnerabilities beyond which the action fails.",
            ),
            setting(
                "high_threshold",
                "HighThreshold",
                "The number of high-severity vulnerabilities beyond which the action fails.",
            ),
            setting(
                "medium_threshold",
                "MediumThreshold",
                "The number of medium-severity vulnerabilities beyond which the action fails.",
            ),
            setting(
                "low_threshold",
                "LowThreshold",
                "The number of low-severity vulnerabilities beyond which the action fails.",
            ),
        ],
        implied: &[],
        doc: "An Amazon Inspector scan of source code or an ECR image that fails the action when findings exceed the thresholds. It runs on CodeBuild compute, billed separately.",
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
            let keys: Vec<&str> = action_type.configuration.iter().map(|c| c.name).collect();
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
                let covered =
                    spec.settings.iter().any(|s| s.key == required.name) || spec.implied.contains(&required.name);
                assert!(
                    covered,
                    "{}: required key `{}` has no cruddur property",
                    spec.name, required.name
                );
            }
        }
    }
}

/// A setting AWS requires only when another has a certain value (the action references'
/// "Required: Conditional").
#[derive(Debug, PartialEq, Eq)]
pub struct Condition {
    pub provider: ProviderKind,
    /// The setting whose value decides, and the values (compared without case) that do.
    pub when: &'static str,
    pub is: &'static [&'static str],
    pub needs: &'static str,
    /// The AWS page that says so.
    pub source: &'static str,
}

const CFN: &str = "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html";

pub const CONDITIONS: &[Condition] = &[
    Condition {
        provider: ProviderKind::S3Deploy,
        when: "extract",
        is: &["false"],
        needs: "object_key",
        source: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3Deploy.html",
    },
    Condition {
        provider: ProviderKind::InspectorScan,
        when: "mode",
        is: &["ECRImageScan"],
        needs: "repository",
        source: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-InspectorScan.html",
    },
    Condition {
        provider: ProviderKind::CloudFormation,
        when: "action_mode",
        is: &["CHANGE_SET_REPLACE", "CHANGE_SET_EXECUTE"],
        needs: "change_set",
        source: CFN,
    },
    Condition {
        provider: ProviderKind::CloudFormation,
        when: "action_mode",
        is: &["CREATE_UPDATE", "REPLACE_ON_FAILURE", "CHANGE_SET_REPLACE"],
        needs: "template_path",
        source: CFN,
    },
];

/// The values a numeric setting may take.
#[derive(Debug, PartialEq, Eq)]
pub struct SettingRange {
    pub provider: ProviderKind,
    pub setting: &'static str,
    pub min: u64,
    pub max: u64,
    pub unit: &'static str,
    pub source: &'static str,
}

pub const RANGES: &[SettingRange] = &[SettingRange {
    provider: ProviderKind::Ecs,
    setting: "deployment_timeout",
    min: 1,
    max: 60,
    unit: "minutes",
    source: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html",
}];

#[cfg(test)]
mod fact_tests {
    use super::*;

    #[test]
    fn conditions_and_ranges_name_settings_of_their_provider() {
        let spec = |kind: ProviderKind| PROVIDERS.iter().find(|p| p.kind == kind).unwrap();
        for c in CONDITIONS {
            let p = spec(c.provider);
            assert!(p.setting(c.when).is_some(), "{}: no setting `{}`", p.name, c.when);
            assert!(p.setting(c.needs).is_some(), "{}: no setting `{}`", p.name, c.needs);
        }
        for r in RANGES {
            let p = spec(r.provider);
            assert!(p.setting(r.setting).is_some(), "{}: no setting `{}`", p.name, r.setting);
            assert!(r.min <= r.max);
        }
    }
}

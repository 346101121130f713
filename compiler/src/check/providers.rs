//! cruddur's action providers and how they map onto AWS action types. The mapping (names,
//! which configuration key each cruddur property becomes) is cruddur's design; the facts it
//! is checked against (artifact counts, required keys) come from [`crate::data`].

use crate::data::{self, ActionType};
use crate::resolve::model::Provider;

pub struct ProviderSpec {
    pub name: &'static str,
    pub category: &'static str,
    pub provider: &'static str,
    /// cruddur property → AWS configuration key.
    pub config: &'static [(&'static str, &'static str)],
    /// AWS configuration keys cruddur fills in from the provider's argument.
    pub implied: &'static [&'static str],
}

impl ProviderSpec {
    pub fn action_type(&self) -> &'static ActionType {
        data::action_type(self.category, self.provider).expect("every provider maps to a known AWS action type")
    }
}

const CONNECTION_SOURCE: &[(&str, &str)] = &[
    ("repo", "FullRepositoryId"),
    ("branch", "BranchName"),
    ("detect_changes", "DetectChanges"),
    ("output_format", "OutputArtifactFormat"),
];

pub const PROVIDERS: &[ProviderSpec] = &[
    ProviderSpec {
        name: "github",
        category: "Source",
        provider: "CodeStarSourceConnection",
        config: CONNECTION_SOURCE,
        implied: &["ConnectionArn"],
    },
    ProviderSpec {
        name: "bitbucket",
        category: "Source",
        provider: "CodeStarSourceConnection",
        config: CONNECTION_SOURCE,
        implied: &["ConnectionArn"],
    },
    ProviderSpec {
        name: "gitlab",
        category: "Source",
        provider: "CodeStarSourceConnection",
        config: CONNECTION_SOURCE,
        implied: &["ConnectionArn"],
    },
    ProviderSpec {
        name: "s3_source",
        category: "Source",
        provider: "S3",
        config: &[
            ("bucket", "S3Bucket"),
            ("key", "S3ObjectKey"),
            ("poll", "PollForSourceChanges"),
            ("allow_override", "AllowOverrideForS3ObjectKey"),
        ],
        implied: &[],
    },
    ProviderSpec {
        name: "ecr",
        category: "Source",
        provider: "ECR",
        config: &[("tag", "ImageTag")],
        implied: &["RepositoryName"],
    },
    ProviderSpec {
        name: "codebuild",
        category: "Build",
        provider: "CodeBuild",
        config: &[
            ("primary_source", "PrimarySource"),
            ("batch", "BatchEnabled"),
            ("combine_artifacts", "CombineArtifacts"),
        ],
        implied: &["ProjectName"],
    },
    ProviderSpec {
        name: "ecs",
        category: "Deploy",
        provider: "ECS",
        config: &[("file_name", "FileName"), ("deployment_timeout", "DeploymentTimeout")],
        implied: &["ClusterName", "ServiceName"],
    },
    ProviderSpec {
        name: "codedeploy_ecs",
        category: "Deploy",
        provider: "CodeDeployToECS",
        config: &[
            ("application", "ApplicationName"),
            ("deployment_group", "DeploymentGroupName"),
            ("task_definition_artifact", "TaskDefinitionTemplateArtifact"),
            ("appspec_artifact", "AppSpecTemplateArtifact"),
            ("task_definition_path", "TaskDefinitionTemplatePath"),
            ("appspec_path", "AppSpecTemplatePath"),
            ("image_artifact", "Image1ArtifactName"),
            ("image_container", "Image1ContainerName"),
        ],
        implied: &[],
    },
    ProviderSpec {
        name: "codedeploy",
        category: "Deploy",
        provider: "CodeDeploy",
        config: &[
            ("application", "ApplicationName"),
            ("deployment_group", "DeploymentGroupName"),
        ],
        implied: &[],
    },
    ProviderSpec {
        name: "lambda",
        category: "Invoke",
        provider: "Lambda",
        config: &[("function", "FunctionName"), ("user_parameters", "UserParameters")],
        implied: &[],
    },
    ProviderSpec {
        name: "s3_deploy",
        category: "Deploy",
        provider: "S3",
        config: &[
            ("bucket", "BucketName"),
            ("extract", "Extract"),
            ("object_key", "ObjectKey"),
            ("kms_key_arn", "KMSEncryptionKeyARN"),
            ("canned_acl", "CannedACL"),
            ("cache_control", "CacheControl"),
        ],
        implied: &[],
    },
    ProviderSpec {
        name: "cloudformation",
        category: "Deploy",
        provider: "CloudFormation",
        config: &[
            ("action_mode", "ActionMode"),
            ("stack", "StackName"),
            ("capabilities", "Capabilities"),
            ("change_set", "ChangeSetName"),
            ("role_arn", "RoleArn"),
            ("template_path", "TemplatePath"),
            ("output_file", "OutputFileName"),
            ("parameter_overrides", "ParameterOverrides"),
            ("template_configuration", "TemplateConfiguration"),
        ],
        implied: &[],
    },
    ProviderSpec {
        name: "approval",
        category: "Approval",
        provider: "Manual",
        config: &[
            ("custom_data", "CustomData"),
            ("external_link", "ExternalEntityLink"),
            ("notification_arn", "NotificationArn"),
        ],
        implied: &[],
    },
    ProviderSpec {
        name: "inspector_scan",
        category: "Invoke",
        provider: "InspectorScan",
        config: &[
            ("mode", "InspectorRunMode"),
            ("repository", "ECRRepositoryName"),
            ("image_tag", "ImageTag"),
            ("critical_threshold", "CriticalThreshold"),
            ("high_threshold", "HighThreshold"),
            ("medium_threshold", "MediumThreshold"),
            ("low_threshold", "LowThreshold"),
        ],
        implied: &[],
    },
];

pub fn spec(provider: &Provider) -> &'static ProviderSpec {
    let name = provider.name();
    PROVIDERS
        .iter()
        .find(|p| p.name == name)
        .expect("every provider has a spec")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mapping stays true to the AWS table: every mapped key exists for its action type,
    /// and every required key is mapped or filled in by cruddur.
    #[test]
    fn provider_mapping_matches_the_aws_action_types() {
        for spec in PROVIDERS {
            let action_type = spec.action_type();
            let keys: Vec<&str> = action_type.configuration.iter().map(|c| c.name.as_str()).collect();
            for (property, key) in spec.config {
                assert!(
                    keys.contains(key),
                    "{}: `{property}` maps to `{key}`, which {} does not take",
                    spec.name,
                    spec.provider
                );
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
                let covered = spec.config.iter().any(|(_, k)| *k == required.name)
                    || spec.implied.contains(&required.name.as_str());
                assert!(
                    covered,
                    "{}: required key `{}` has no cruddur property",
                    spec.name, required.name
                );
            }
        }
        assert_eq!(PROVIDERS.len(), crate::resolve::lower::PROVIDERS.len());
        for name in crate::resolve::lower::PROVIDERS {
            assert!(PROVIDERS.iter().any(|p| p.name == *name), "{name} has no spec");
        }
    }
}

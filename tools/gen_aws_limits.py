#!/usr/bin/env python3
"""Generates compiler/src/data/aws_limits.json: the length, pattern and range constraints that
AWS's own API models put on the names and numbers cruddur checks (pipeline, stage, action and
artifact names, CodeBuild project names and timeouts, ECR repository names, connection and
role names, run orders, action configuration values, the stack, change set, function,
CodeDeploy application and deployment group names and image tags actions name, log groups,
pipeline variables' names, default values and descriptions, notification rule names, the
subnets and security groups of a build's VPC).

Source: botocore's service models (botocore/data/<service>/<version>/service-2.json), the
models the AWS SDKs and CLI validate against. Pin: botocore==1.44.8 (Apache-2.0).

Usage: python3 tools/gen_aws_limits.py [PATH-TO-botocore-package-dir]
Without an argument it imports the installed botocore (pip install botocore==1.44.8).
"""
import gzip
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "compiler" / "src" / "data" / "aws_limits.json"
PINNED = "1.44.8"

# (cruddur name, service, shape): what the compiler checks, and where AWS defines it.
SHAPES = [
    ("pipeline_name", "codepipeline", "PipelineName"),
    ("stage_name", "codepipeline", "StageName"),
    ("action_name", "codepipeline", "ActionName"),
    ("artifact_name", "codepipeline", "ArtifactName"),
    ("action_namespace", "codepipeline", "ActionNamespace"),
    ("run_order", "codepipeline", "ActionRunOrder"),
    ("project_name", "codebuild", "ProjectName"),
    ("build_timeout_minutes", "codebuild", "BuildTimeOut"),
    ("queued_timeout_minutes", "codebuild", "TimeOut"),
    ("repository_name", "ecr", "RepositoryName"),
    ("connection_name", "codeconnections", "ConnectionName"),
    ("role_name", "iam", "roleNameType"),
    ("action_configuration_value", "codepipeline", "ActionConfigurationValue"),
    ("stack_name", "cloudformation", "StackNameOrId"),
    ("change_set_name", "cloudformation", "ChangeSetName"),
    ("function_name", "lambda", "FunctionName"),
    ("codedeploy_application", "codedeploy", "ApplicationName"),
    ("codedeploy_deployment_group", "codedeploy", "DeploymentGroupName"),
    ("image_tag", "ecr", "ImageTag"),
    ("log_group_name", "logs", "LogGroupName"),
    ("pipeline_variable_name", "codepipeline", "PipelineVariableName"),
    ("pipeline_variable_value", "codepipeline", "PipelineVariableValue"),
    ("pipeline_variable_description", "codepipeline", "PipelineVariableDescription"),
    ("notification_rule_name", "codestar-notifications", "NotificationRuleName"),
    ("vpc_subnets", "codebuild", "Subnets"),
    ("vpc_security_groups", "codebuild", "SecurityGroupIds"),
]


def load_model(data_dir: pathlib.Path, service: str) -> dict:
    versions = sorted((data_dir / service).iterdir())
    path = versions[-1] / "service-2.json"
    if path.exists():
        return json.loads(path.read_text())
    return json.loads(gzip.decompress((versions[-1] / "service-2.json.gz").read_bytes()))


def main() -> None:
    if len(sys.argv) > 1:
        package = pathlib.Path(sys.argv[1])  # an unpacked botocore==PINNED wheel
    else:
        import botocore  # noqa: PLC0415

        package = pathlib.Path(botocore.__file__).parent
        if botocore.__version__ != PINNED:
            sys.exit(f"botocore {botocore.__version__} installed; the table is pinned to {PINNED}")
    data_dir = package / "data"
    limits = {}
    for name, service, shape in SHAPES:
        definition = load_model(data_dir, service)["shapes"][shape]
        entry = {"service": service, "shape": shape, "type": definition["type"]}
        for key in ("min", "max", "pattern"):
            if key in definition:
                entry[key] = definition[key]
        limits[name] = entry
    document = {
        "_generated_by": "tools/gen_aws_limits.py: do not edit by hand",
        "_source": f"botocore {PINNED} service models (Apache-2.0)",
        "limits": limits,
    }
    OUTPUT.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(limits)} limits")


if __name__ == "__main__":
    main()

//! Golden outputs: every example's full `cruddur build` output is checked in under
//! `tests/golden/<example>/` and must match byte for byte (BLESS=1 rewrites it). The same
//! folders are what the conformance step validates with botocore, cfn-lint, parliament and
//! PyYAML.

use cruddur::diagnostics::SourceMap;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod common;
use common::example_params;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Each example: a `.cruddur` file, or a folder standing for a repository (a `cruddur.toml`
/// program with the files it reads, such as a buildspec).
fn examples() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cruddur") || p.join("cruddur.toml").is_file())
        .collect();
    paths.sort();
    paths
}

fn build(path: &Path) -> BTreeMap<String, String> {
    let mut workspace = cruddur::workspace::Workspace::new(cruddur::workspace::OsFs);
    workspace.load(&[path.to_path_buf()]).unwrap();
    assert_eq!(workspace.programs().len(), 1, "{} is one program", path.display());
    let analysis = workspace.analysis(0);
    assert!(
        analysis.diagnostics.is_empty(),
        "{} should check clean: {:?}",
        path.display(),
        analysis.diagnostics
    );
    cruddur::emit::emit(&analysis.program, &example_params()).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

/// The files a program written for a test builds to; it must check without errors.
fn emit_clean(program: &str) -> cruddur::emit::Files {
    let mut sources = SourceMap::new();
    let file = sources.add("test.cruddur", program.to_string());
    let analysis = cruddur::analyze(&sources, &[file]);
    assert!(
        !analysis.diagnostics.iter().any(|d| d.is_error()),
        "{:#?}",
        analysis.diagnostics
    );
    cruddur::emit::emit(&analysis.program, &example_params()).unwrap()
}

fn read_tree(dir: &Path, prefix: &str, into: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries {
        let path = entry.unwrap().path();
        let name = format!("{prefix}{}", path.file_name().unwrap().to_string_lossy());
        if path.is_dir() {
            read_tree(&path, &format!("{name}/"), into);
        } else {
            into.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn every_example_builds_to_its_golden_folder() {
    let bless = std::env::var_os("BLESS").is_some();
    let examples = examples();
    assert!(examples.len() >= 2);
    for example in examples {
        let stem = example.file_stem().unwrap().to_string_lossy().into_owned();
        let golden = root().join("tests/golden").join(&stem);
        let actual = build(&example);
        if bless {
            let _ = std::fs::remove_dir_all(&golden);
            for (path, contents) in &actual {
                let target = golden.join(path);
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::write(target, contents).unwrap();
            }
            continue;
        }
        let mut expected = BTreeMap::new();
        read_tree(&golden, "", &mut expected);
        let expected_names: Vec<&String> = expected.keys().collect();
        let actual_names: Vec<&String> = actual.keys().collect();
        assert_eq!(
            actual_names, expected_names,
            "{stem}: the set of output files differs (BLESS=1 to update)"
        );
        for (path, contents) in &actual {
            assert_eq!(
                contents, &expected[path],
                "{stem}/{path} differs from the golden file (BLESS=1 to update)"
            );
        }
    }
}

#[test]
fn output_is_identical_across_runs() {
    for example in examples() {
        let first = build(&example);
        for _ in 0..3 {
            assert_eq!(build(&example), first, "{} is not deterministic", example.display());
        }
        for contents in first.values() {
            assert!(contents.ends_with('\n'), "every output ends with a newline");
        }
    }
}

/// The seed pipeline's hand-made buildspec and policy had three bugs; the compiled ones must
/// not: `ecr:GetAuthorizationToken` scoped to the repository, a hand-quoted
/// `imagedefinitions.json`, and an account id typed into the files.
#[test]
fn the_seed_pipeline_compiles_without_the_hand_made_bugs() {
    let example = root().join("examples/02-cruddur-backend-fargate.cruddur");
    let source = std::fs::read_to_string(&example).unwrap();
    let twelve_digits = |text: &str| text.as_bytes().windows(12).any(|w| w.iter().all(u8::is_ascii_digit));
    assert!(!twelve_digits(&source), "the example names no account id");
    let files = build(&example);

    let policy: serde_json::Value =
        serde_json::from_str(&files["iam/cruddur-backend-flask-bake-image-codebuild.policy.json"]).unwrap();
    let statements = policy["Statement"].as_array().unwrap();
    let token = statements
        .iter()
        .find(|s| {
            s["Action"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a == "ecr:GetAuthorizationToken")
        })
        .unwrap();
    assert_eq!(token["Resource"], serde_json::json!(["*"]), "the token is granted on *");
    assert_eq!(
        token["Action"].as_array().unwrap().len(),
        1,
        "in a statement of its own"
    );
    let push = statements
        .iter()
        .find(|s| s["Action"].as_array().unwrap().iter().any(|a| a == "ecr:PutImage"))
        .unwrap();
    assert_eq!(
        push["Resource"],
        serde_json::json!(["arn:aws:ecr:us-east-1:123456789012:repository/backend-flask"]),
        "push is scoped to the repository"
    );

    let buildspec = &files["buildspec/cruddur-backend-flask-bake-image.yml"];
    // Written to the source root, where `artifacts.files` looks, after the build `cd`s away.
    assert!(buildspec.contains(
        r#"printf '[{"name":"%s","imageUri":"%s"}]' 'backend-flask' "$IMAGE_URI" > "$CODEBUILD_SRC_DIR/imagedefinitions.json""#
    ));
    // CodeBuild does not expand `$…` in `env.variables`: the tag is set by the shell.
    let yaml: serde_json::Value = serde_saphyr::from_str(buildspec).unwrap();
    assert!(yaml["env"]["variables"]
        .as_object()
        .is_none_or(|v| v.values().all(|x| !x.as_str().unwrap_or("").contains('$'))));
    assert_eq!(
        yaml["phases"]["pre_build"]["commands"][0],
        "export IMAGE_URI=\"123456789012.dkr.ecr.us-east-1.amazonaws.com/backend-flask:$CODEBUILD_RESOLVED_SOURCE_VERSION\""
    );
    assert!(buildspec.contains("- imagedefinitions.json"));

    let template = &files["cloudformation/cruddur-backend-fargate.json"];
    assert!(
        !twelve_digits(template),
        "the template uses ${{AWS::AccountId}}, not an account id"
    );
    assert!(template.contains("${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/backend-flask"));

    let pipeline: serde_json::Value =
        serde_json::from_str(&files["codepipeline/cruddur-backend-fargate.json"]).unwrap();
    let deploy = &pipeline["pipeline"]["stages"][2]["actions"][0];
    assert_eq!(deploy["configuration"]["ServiceName"], "backend-flask");
    assert_eq!(deploy["inputArtifacts"][0]["name"], "ImageDefinition");
}

/// Every inferred policy names real actions, grants wildcard-only actions on `*` alone, and
/// grants every other action on at least one resource of a type it applies to (per the IAM
/// action catalog).
#[test]
fn inferred_policies_fit_the_iam_catalog() {
    let extra = r#"
        param account_id
        param connection_arn
        aws {
          account = account_id
          region  = "eu-west-1"
        }
        connection gh {
          arn = connection_arn
        }
        repository base {
          name           = "base"
          scan_on_push   = true
          tag_mutability = immutable
        }
        project secrets {
          name   = "with-secrets"
          source = github(gh, "org/app", events = [push], branch = "main")
          environment {
            image      = amazonlinux_standard("5.0")
            privileged = true
          }
          env {
            TOKEN = secrets_manager("ci/token:value")
            HOST  = parameter_store("/ci/host")
          }
          phase build {
            run ecr_login(base)
            run "echo $HOST"
          }
        }
    "#;
    let mut programs: Vec<BTreeMap<String, String>> = examples().iter().map(|p| build(p)).collect();
    let mut sources = SourceMap::new();
    let file = sources.add("extra.cruddur", extra.to_string());
    let analysis = cruddur::analyze(&sources, &[file]);
    assert!(
        !analysis.diagnostics.iter().any(|d| d.is_error()),
        "{:?}",
        analysis.diagnostics
    );
    programs.push(cruddur::emit::emit(&analysis.program, &example_params()).unwrap());

    let mut checked = 0;
    for files in &programs {
        for (path, contents) in files.iter().filter(|(p, _)| p.ends_with(".policy.json")) {
            let policy: serde_json::Value = serde_json::from_str(contents).unwrap();
            for statement in policy["Statement"].as_array().unwrap() {
                let resources: Vec<&str> = statement["Resource"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap())
                    .collect();
                for action in statement["Action"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap())
                {
                    let (prefix, _, facts) =
                        cruddur::data::iam::action(action).unwrap_or_else(|| panic!("{path}: unknown action {action}"));
                    if facts.resources.is_empty() {
                        assert_eq!(
                            resources,
                            ["*"],
                            "{path}: {action} supports no resource, so it must be granted on * alone"
                        );
                    } else {
                        assert!(
                            resources
                                .iter()
                                .any(|r| cruddur::data::iam::arn_fits(prefix, facts.resources, r)),
                            "{path}: {action} applies to {:?}, but is granted on {resources:?}",
                            facts.resources
                        );
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 40, "only {checked} grants checked");
}

/// Permissions the inferred roles need beyond the examples: an action running in its own role,
/// a CloudFormation deploy with a stack role, a build image pulled from ECR.
#[test]
fn inferred_roles_cover_action_roles_stacks_and_build_images() {
    let program = r#"
        param account_id
        param connection_arn
        aws {
          account = account_id
          region  = "us-east-1"
        }
        connection gh {
          arn = connection_arn
        }
        repository builder {
          name           = "builder"
          scan_on_push   = true
          tag_mutability = immutable
        }
        role deployer {
          name  = "deployer"
          trust = [codepipeline]
          allow {
            actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
            resources = ["arn:aws:s3:::${{ infra.artifact_bucket }}/*"]
          }
          allow {
            actions   = ["cloudformation:CreateChangeSet", "cloudformation:CreateStack", "cloudformation:DeleteChangeSet",
                         "cloudformation:DeleteStack", "cloudformation:DescribeChangeSet", "cloudformation:DescribeStacks",
                         "cloudformation:ExecuteChangeSet", "cloudformation:SetStackPolicy", "cloudformation:UpdateStack"]
            resources = ["arn:aws:cloudformation:${{ aws.region }}:${{ aws.account }}:stack/app/*"]
          }
          allow {
            actions   = ["cloudformation:ValidateTemplate"]
            resources = ["*"]
          }
          allow {
            actions    = ["iam:PassRole"]
            resources  = [stack_role.arn]
            conditions = [condition("StringEquals", "iam:PassedToService", "cloudformation.amazonaws.com")]
          }
        }
        role stack_role {
          name  = "stack"
          trust = [cloudformation]
          allow {
            actions   = ["sqs:CreateQueue"]
            resources = ["arn:aws:sqs:${{ aws.region }}:${{ aws.account }}:app-*"]
          }
        }
        project checks {
          name = "checks"
          environment {
            image = "${{ builder.uri }}:v1"
          }
          report unit {
            files = ["out.xml"]
          }
        }
        pipeline infra {
          name = "infra"
          stage Source {
            action Source = github(gh) {
              repo   = "org/infra"
              branch = "main"
              output Code
            }
          }
          stage Test {
            action Test = codebuild(checks) {
              input Code
            }
          }
          stage Approve {
            action Release = approval() {
              notification_arn = "arn:aws:sns:${{ aws.region }}:${{ aws.account }}:releases"
            }
          }
          stage Deploy {
            action Stack = cloudformation() {
              input Code
              action_mode   = "CREATE_UPDATE"
              stack         = "app"
              template_path = "Code::template.yml"
              role_arn      = stack_role.arn
              role          = deployer
            }
            action Other = cloudformation() {
              input Code
              action_mode   = "CREATE_UPDATE"
              stack         = "other"
              template_path = "Code::other.yml"
              role_arn      = stack_role.arn
            }
          }
        }
    "#;
    let mut sources = SourceMap::new();
    let file = sources.add("roles.cruddur", program.to_string());
    let analysis = cruddur::analyze(&sources, &[file]);
    assert!(
        !analysis.diagnostics.iter().any(|d| d.is_error()),
        "{:#?}",
        analysis.diagnostics
    );
    let files = cruddur::emit::emit(&analysis.program, &example_params()).unwrap();
    let json = |path: &str| -> serde_json::Value {
        serde_json::from_str(&files[path]).unwrap_or_else(|_| panic!("{path} missing"))
    };
    let statements = |path: &str| json(path)["Statement"].as_array().unwrap().clone();
    let grants = |path: &str, action: &str| -> Vec<serde_json::Value> {
        statements(path)
            .into_iter()
            .filter(|s| s["Action"].as_array().unwrap().iter().any(|a| a == action))
            .collect()
    };

    // The pipeline role may assume the action's role, and the action's role trusts it; what the
    // action does is the action role's to allow, not the pipeline role's.
    let assume = grants("iam/infra-codepipeline.policy.json", "sts:AssumeRole");
    assert_eq!(
        assume[0]["Resource"],
        serde_json::json!(["arn:aws:iam::123456789012:role/deployer"])
    );
    let trust = json("iam/deployer.trust.json");
    assert_eq!(
        trust["Statement"][0]["Principal"]["AWS"],
        "arn:aws:iam::123456789012:role/infra-codepipeline"
    );
    let stacks = grants("iam/infra-codepipeline.policy.json", "cloudformation:ExecuteChangeSet");
    assert_eq!(stacks.len(), 1);
    assert_eq!(
        stacks[0]["Resource"],
        serde_json::json!(["arn:aws:cloudformation:us-east-1:123456789012:stack/other/*"])
    );

    // The stack's role is passed to CloudFormation only.
    let pass = grants("iam/infra-codepipeline.policy.json", "iam:PassRole");
    assert_eq!(
        pass[0]["Resource"],
        serde_json::json!(["arn:aws:iam::123456789012:role/stack"])
    );
    assert_eq!(
        pass[0]["Condition"]["StringEquals"]["iam:PassedToService"],
        "cloudformation.amazonaws.com"
    );

    // The pipeline notifies the approvers on the approval's topic, and nowhere else.
    let publish = grants("iam/infra-codepipeline.policy.json", "sns:Publish");
    assert_eq!(publish.len(), 1);
    assert_eq!(
        publish[0]["Resource"],
        serde_json::json!(["arn:aws:sns:us-east-1:123456789012:releases"])
    );

    // The build image is pulled from its repository.
    let pull = grants("iam/checks-codebuild.policy.json", "ecr:BatchGetImage");
    assert_eq!(
        pull[0]["Resource"],
        serde_json::json!(["arn:aws:ecr:us-east-1:123456789012:repository/builder"])
    );
    assert!(!grants("iam/checks-codebuild.policy.json", "ecr:GetAuthorizationToken").is_empty());

    // In the template, the action role trusts the pipeline role by reference.
    let template = json("cloudformation/infra.json");
    let principal =
        &template["Resources"]["DeployerRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"];
    assert_eq!(
        principal["AWS"],
        serde_json::json!({ "Fn::GetAtt": ["InfraPipelineRole", "Arn"] })
    );
}

#[test]
fn sources_codepipeline_does_not_watch_start_the_pipeline_through_eventbridge() {
    // An ECR source never polls, and an S3 source with `poll = false` waits for an event: a
    // rule must start the pipeline, or a push never does. A polling S3 source needs none.
    let program = r#"
        param account_id
        aws {
          account = account_id
          region  = "us-east-1"
        }
        repository base {
          name           = "base"
          scan_on_push   = true
          tag_mutability = immutable
        }
        project build {
          name = "build"
          environment {
            image = amazonlinux_standard("5.0")
          }
        }
        pipeline images {
          name = "images"
          stage Source {
            action Base = ecr(base) {
              tag = "stable"
              output Image
            }
            action Assets = s3_source() {
              bucket = "assets-bucket"
              key    = "assets.zip"
              poll   = false
              output Files
            }
            action Polled = s3_source() {
              bucket = "other-bucket"
              key    = "other.zip"
              output Other
            }
          }
          stage Build {
            action Build = codebuild(build) {
              input Files, Image, Other
              primary_source = "Files"
            }
          }
        }
    "#;
    let files = emit_clean(program);
    let json = |path: &str| -> serde_json::Value {
        serde_json::from_str(files.get(path).unwrap_or_else(|| panic!("{path} missing"))).unwrap()
    };

    // The CLI's inputs: one rule and its target per event-started source, and the role.
    let rules: Vec<&String> = files.keys().filter(|k| k.starts_with("events/")).collect();
    assert_eq!(
        rules,
        [
            "events/images-Assets.rule.json",
            "events/images-Assets.targets.json",
            "events/images-Base.rule.json",
            "events/images-Base.targets.json"
        ]
    );
    let pattern: serde_json::Value =
        serde_json::from_str(json("events/images-Base.rule.json")["EventPattern"].as_str().unwrap()).unwrap();
    assert_eq!(pattern["source"], serde_json::json!(["aws.ecr"]));
    assert_eq!(pattern["detail"]["repository-name"], serde_json::json!(["base"]));
    assert_eq!(pattern["detail"]["image-tag"], serde_json::json!(["stable"]));
    let pattern: serde_json::Value =
        serde_json::from_str(json("events/images-Assets.rule.json")["EventPattern"].as_str().unwrap()).unwrap();
    assert_eq!(
        pattern["detail"]["bucket"]["name"],
        serde_json::json!(["assets-bucket"])
    );
    let targets = json("events/images-Base.targets.json");
    assert_eq!(
        targets["Targets"][0]["Arn"],
        "arn:aws:codepipeline:us-east-1:123456789012:images"
    );
    assert_eq!(
        targets["Targets"][0]["RoleArn"],
        "arn:aws:iam::123456789012:role/images-events"
    );
    assert_eq!(
        json("iam/images-events.trust.json")["Statement"][0]["Principal"]["Service"],
        "events.amazonaws.com"
    );
    let start = &json("iam/images-events.policy.json")["Statement"][0];
    assert_eq!(
        start["Action"],
        serde_json::json!(["codepipeline:StartPipelineExecution"])
    );
    assert_eq!(
        start["Resource"],
        serde_json::json!(["arn:aws:codepipeline:us-east-1:123456789012:images"])
    );

    // The template: the same rules, targeting the pipeline it creates.
    let template = json("cloudformation/images.json");
    let resources = template["Resources"].as_object().unwrap();
    let rules: Vec<&String> = resources
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::Events::Rule")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(rules, ["ImagesAssetsRule", "ImagesBaseRule"]);
    assert_eq!(
        resources["ImagesBaseRule"]["Properties"]["Targets"][0]["Arn"]["Fn::Sub"],
        "arn:aws:codepipeline:${AWS::Region}:${AWS::AccountId}:${ImagesPipeline}"
    );
}

/// Parameters, account, connection and a stack role: what a test pipeline with a
/// CloudFormation deploy needs around it.
const STACK_PIPELINE_PREAMBLE: &str = r#"
        param account_id
        param connection_arn
        aws {
          account = account_id
          region  = "us-east-1"
        }
        connection gh {
          arn = connection_arn
        }
        role stack_role {
          name  = "stack"
          trust = [cloudformation]
          allow {
            actions   = ["sqs:CreateQueue"]
            resources = ["arn:aws:sqs:${{ aws.region }}:${{ aws.account }}:app-*"]
          }
        }
"#;

#[test]
fn capabilities_go_out_in_aws_comma_form() {
    // Written as a list, or comma-separated with spaces: AWS takes `A,B`.
    let program = format!(
        "{STACK_PIPELINE_PREAMBLE}{}",
        r#"
        pipeline infra {
          name = "infra"
          stage Source {
            action Source = github(gh) {
              repo   = "org/infra"
              branch = "main"
              output Code
            }
          }
          stage Deploy {
            action Spaced = cloudformation() {
              input Code
              action_mode   = "CREATE_UPDATE"
              stack         = "spaced"
              template_path = "Code::template.yml"
              role_arn      = stack_role.arn
              capabilities  = "CAPABILITY_IAM, CAPABILITY_AUTO_EXPAND"
            }
            action Listed = cloudformation() {
              input Code
              action_mode   = "CREATE_UPDATE"
              stack         = "listed"
              template_path = "Code::template.yml"
              role_arn      = stack_role.arn
              capabilities  = ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"]
            }
          }
        }
    "#
    );
    let files = emit_clean(&program);
    let pipeline: serde_json::Value = serde_json::from_str(&files["codepipeline/infra.json"]).unwrap();
    for action in pipeline["pipeline"]["stages"][1]["actions"].as_array().unwrap() {
        assert_eq!(
            action["configuration"]["Capabilities"], "CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND",
            "{}",
            action["name"]
        );
    }
}

#[test]
fn pipeline_variables_in_settings_widen_the_inferred_policy_instead_of_matching_nothing() {
    // The stack's name is known only when the action runs: the role may act on every stack the
    // literal part allows, not on a stack named `app-#{…}`.
    let program = format!(
        "{STACK_PIPELINE_PREAMBLE}{}",
        r#"
        pipeline infra {
          name = "infra"
          stage Source {
            action Source = github(gh) {
              repo      = "org/infra"
              branch    = "main"
              namespace = "SourceVariables"
              output Code
            }
          }
          stage Deploy {
            action Stack = cloudformation() {
              input Code
              action_mode   = "CREATE_UPDATE"
              stack         = "app-#{SourceVariables.BranchName}"
              template_path = "Code::template.yml"
              role_arn      = stack_role.arn
            }
          }
        }
    "#
    );
    let files = emit_clean(&program);
    let policy: serde_json::Value = serde_json::from_str(&files["iam/infra-codepipeline.policy.json"]).unwrap();
    let stack = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["Action"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a == "cloudformation:UpdateStack")
        })
        .unwrap();
    assert_eq!(
        stack["Resource"],
        serde_json::json!(["arn:aws:cloudformation:us-east-1:123456789012:stack/app-*/*"])
    );
    // The action's configuration keeps the variable for CodePipeline to resolve.
    assert!(files["codepipeline/infra.json"].contains("app-#{SourceVariables.BranchName}"));
}

#[test]
fn a_build_that_clones_the_full_repository_may_use_the_connection() {
    // With CODEBUILD_CLONE_REF the build clones through the connection itself; a build of the
    // usual zip does not touch the connection.
    let program = |format: &str| {
        format!(
            "{STACK_PIPELINE_PREAMBLE}{}",
            r#"
        project tag {
          name = "tag-release"
          environment {
            image = amazonlinux_standard("5.0")
          }
          phase build {
            run "git describe --tags"
          }
        }
        pipeline release {
          name = "release"
          stage Source {
            action Code = github(gh) {
              repo   = "org/app"
              branch = "main"
              FORMAT
              output Code
            }
          }
          stage Build {
            action Tag = codebuild(tag) {
              input Code
            }
          }
        }
    "#
            .replace("FORMAT", format)
        )
    };
    let use_connection = |files: &cruddur::emit::Files| {
        let policy: serde_json::Value = serde_json::from_str(&files["iam/tag-release-codebuild.policy.json"]).unwrap();
        policy["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| {
                s["Action"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a.as_str().unwrap().ends_with(":UseConnection"))
            })
            .map(|s| s["Resource"].clone())
            .collect::<Vec<_>>()
    };
    let full = emit_clean(&program(r#"output_format = "CODEBUILD_CLONE_REF""#));
    assert_eq!(
        use_connection(&full),
        [serde_json::json!([
            "arn:aws:codeconnections:us-east-1:123456789012:connection/0123abcd-0000-4000-8000-000000000000"
        ])]
    );
    let zip = emit_clean(&program(""));
    assert!(use_connection(&zip).is_empty());
}

#[test]
fn allow_blocks_add_to_the_inferred_roles_in_both_forms() {
    let program = format!(
        "{STACK_PIPELINE_PREAMBLE}{}",
        r#"
        project site {
          name = "site"
          environment {
            image = amazonlinux_standard("5.0")
          }
          allow {
            actions   = ["s3:PutObject", "s3:DeleteObject"]
            resources = ["arn:aws:s3:::my-site/*"]
          }
          allow {
            sid       = "ListSite"
            actions   = ["s3:ListBucket"]
            resources = ["arn:aws:s3:::my-site"]
          }
          phase build {
            run "npm test"
            run "aws s3 sync dist/ s3://my-site --delete"
          }
        }
        pipeline release {
          name = "release"
          allow {
            actions   = ["sns:Publish"]
            resources = ["arn:aws:sns:${{ aws.region }}:${{ aws.account }}:releases"]
          }
          stage Source {
            action Code = github(gh) {
              repo   = "org/site"
              branch = "main"
              output Code
            }
          }
          stage Build {
            action Site = codebuild(site) {
              input Code
            }
          }
        }
    "#
    );
    let files = emit_clean(&program);
    let statement = |file: &str, sid: &str| {
        let policy: serde_json::Value = serde_json::from_str(&files[file]).unwrap();
        policy["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["Sid"] == sid)
            .cloned()
            .unwrap_or_else(|| panic!("{file} has no statement {sid}: {policy:#}"))
    };
    let added = statement("iam/site-codebuild.policy.json", "Added");
    assert_eq!(added["Action"], serde_json::json!(["s3:PutObject", "s3:DeleteObject"]));
    assert_eq!(added["Resource"], serde_json::json!(["arn:aws:s3:::my-site/*"]));
    let named = statement("iam/site-codebuild.policy.json", "ListSite");
    assert_eq!(named["Resource"], serde_json::json!(["arn:aws:s3:::my-site"]));
    // What cruddur infers is still there.
    statement("iam/site-codebuild.policy.json", "BuildLogs");
    let pipeline = statement("iam/release-codepipeline.policy.json", "Added");
    assert_eq!(
        pipeline["Resource"],
        serde_json::json!(["arn:aws:sns:us-east-1:123456789012:releases"])
    );
    // The template's roles carry the same statements.
    let template: serde_json::Value = serde_json::from_str(&files["cloudformation/release.json"]).unwrap();
    let text = template.to_string();
    assert!(
        text.contains("\"ListSite\"") && text.contains("arn:aws:s3:::my-site/*"),
        "{template:#}"
    );
}

#[test]
fn a_test_action_runs_its_project_in_the_test_category_in_both_forms() {
    let program = format!(
        "{STACK_PIPELINE_PREAMBLE}{}",
        r#"
        project tests {
          name = "tests"
          environment {
            image = amazonlinux_standard("5.0")
          }
          phase build {
            run "npm test"
          }
        }
        pipeline release {
          name = "release"
          stage Source {
            action Code = github(gh) {
              repo   = "org/site"
              branch = "main"
              output Code
            }
          }
          stage Test {
            action Unit = codebuild_test(tests) {
              input Code
            }
          }
        }
    "#
    );
    let files = emit_clean(&program);
    let definition: serde_json::Value = serde_json::from_str(&files["codepipeline/release.json"]).unwrap();
    let action = &definition["pipeline"]["stages"][1]["actions"][0];
    assert_eq!(
        action["actionTypeId"],
        serde_json::json!({ "category": "Test", "owner": "AWS", "provider": "CodeBuild", "version": "1" })
    );
    assert_eq!(action["configuration"]["ProjectName"], "tests");
    // The project is the pipeline's (CODEPIPELINE source), and the pipeline role may start it.
    let project: serde_json::Value = serde_json::from_str(&files["codebuild/tests.json"]).unwrap();
    assert_eq!(project["source"]["type"], "CODEPIPELINE");
    assert!(files["iam/release-codepipeline.policy.json"].contains("codebuild:StartBuild"));
    let template: serde_json::Value = serde_json::from_str(&files["cloudformation/release.json"]).unwrap();
    assert!(template.to_string().contains(r#""Category":"Test""#), "{template:#}");
}

#[test]
fn a_codecommit_source_is_started_by_eventbridge_and_its_clone_pulled_by_the_build() {
    let program = format!(
        "{STACK_PIPELINE_PREAMBLE}{}",
        r#"
        project build {
          name = "build"
          environment {
            image = amazonlinux_standard("5.0")
          }
          phase build {
            run "git log -1"
            run "npm test"
          }
        }
        pipeline release {
          name = "release"
          stage Source {
            action Code = codecommit() {
              repository    = "app"
              branch        = "main"
              output_format = "CODEBUILD_CLONE_REF"
              output Code
            }
          }
          stage Build {
            action Build = codebuild(build) {
              input Code
            }
          }
        }
    "#
    );
    let files = emit_clean(&program);
    let definition: serde_json::Value = serde_json::from_str(&files["codepipeline/release.json"]).unwrap();
    let source = &definition["pipeline"]["stages"][0]["actions"][0];
    assert_eq!(
        source["actionTypeId"],
        serde_json::json!({ "category": "Source", "owner": "AWS", "provider": "CodeCommit", "version": "1" })
    );
    assert_eq!(
        source["configuration"],
        serde_json::json!({
            "RepositoryName": "app",
            "BranchName": "main",
            "OutputArtifactFormat": "CODEBUILD_CLONE_REF",
            "PollForSourceChanges": "false",
        })
    );
    let rule: serde_json::Value = serde_json::from_str(&files["events/release-Code.rule.json"]).unwrap();
    let pattern: serde_json::Value = serde_json::from_str(rule["EventPattern"].as_str().unwrap()).unwrap();
    assert_eq!(
        pattern,
        serde_json::json!({
            "source": ["aws.codecommit"],
            "detail-type": ["CodeCommit Repository State Change"],
            "resources": ["arn:aws:codecommit:us-east-1:123456789012:app"],
            "detail": {
                "event": ["referenceCreated", "referenceUpdated"],
                "referenceType": ["branch"],
                "referenceName": ["main"],
            },
        })
    );
    let pipeline_policy = &files["iam/release-codepipeline.policy.json"];
    for action in [
        "codecommit:GetBranch",
        "codecommit:UploadArchive",
        "codecommit:GetRepository",
    ] {
        assert!(pipeline_policy.contains(action), "{action}: {pipeline_policy}");
    }
    assert!(pipeline_policy.contains("arn:aws:codecommit:us-east-1:123456789012:app"));
    let build_policy = &files["iam/build-codebuild.policy.json"];
    assert!(build_policy.contains("codecommit:GitPull"), "{build_policy}");
    let template = &files["cloudformation/release.json"];
    assert!(
        template.contains("aws.codecommit") && template.contains("CodeCommit"),
        "{template}"
    );
}

#[test]
fn action_variables_and_pipeline_variables_go_out_in_both_forms() {
    let program = format!(
        "{STACK_PIPELINE_PREAMBLE}{}",
        r##"
        project deploy {
          name = "deploy"
          environment {
            image = amazonlinux_standard("5.0")
          }
          phase build {
            run "npm test && ./deploy.sh $STAGE $TOKEN"
          }
        }
        pipeline release {
          name = "release"
          variable STAGE = "staging" {
            description = "Where to deploy"
          }
          stage Source {
            action Code = github(gh) {
              repo      = "org/site"
              branch    = "main"
              namespace = "Src"
              output Code
            }
          }
          stage Deploy {
            action Deploy = codebuild(deploy) {
              input Code
              env {
                STAGE = "#{variables.STAGE}-#{Src.CommitId}"
                TOKEN = secrets_manager("deploy/token")
              }
            }
          }
        }
    "##
    );
    let files = emit_clean(&program);
    let definition: serde_json::Value = serde_json::from_str(&files["codepipeline/release.json"]).unwrap();
    assert_eq!(
        definition["pipeline"]["variables"],
        serde_json::json!([{ "name": "STAGE", "defaultValue": "staging", "description": "Where to deploy" }])
    );
    let configuration = &definition["pipeline"]["stages"][1]["actions"][0]["configuration"];
    let variables: serde_json::Value =
        serde_json::from_str(configuration["EnvironmentVariables"].as_str().unwrap()).unwrap();
    assert_eq!(
        variables,
        serde_json::json!([
            { "name": "STAGE", "type": "PLAINTEXT", "value": "#{variables.STAGE}-#{Src.CommitId}" },
            { "name": "TOKEN", "type": "SECRETS_MANAGER", "value": "deploy/token" },
        ])
    );
    // The build reads the secret with the project's role.
    let policy = &files["iam/deploy-codebuild.policy.json"];
    assert!(
        policy.contains("arn:aws:secretsmanager:us-east-1:123456789012:secret:deploy/token-??????"),
        "{policy}"
    );
    let template: serde_json::Value = serde_json::from_str(&files["cloudformation/release.json"]).unwrap();
    let pipeline = &template["Resources"]["ReleasePipeline"]["Properties"];
    assert_eq!(
        pipeline["Variables"],
        serde_json::json!([{ "Name": "STAGE", "DefaultValue": "staging", "Description": "Where to deploy" }])
    );
    let action = &pipeline["Stages"][1]["Actions"][0]["Configuration"];
    assert!(
        action["EnvironmentVariables"]
            .as_str()
            .unwrap()
            .contains("#{variables.STAGE}"),
        "{action:#}"
    );
}

#[test]
fn webhook_actors_are_matched_whole_in_every_filter_group_of_both_forms() {
    // Bitbucket's account ids are text: one holds the regular expression's own characters.
    let files = emit_clean(
        r#"
param connection_arn
param account_id
aws {
  account = account_id
  region  = "us-east-1"
}
connection gh {
  arn = connection_arn
}
project release {
  name   = "release"
  source = bitbucket(gh, "my-org/app", events = [push, pull_request_created], branch = "main", actors = ["583231", "1024025", "a.b|c"])
  environment {
    image = amazonlinux_standard("5.0")
  }
  phase build {
    run "make"
  }
}
"#,
    );
    let cli: serde_json::Value = serde_json::from_str(&files["codebuild/release.webhook.json"]).unwrap();
    let template: serde_json::Value = serde_json::from_str(&files["cloudformation/project-release.json"]).unwrap();
    let cfn_groups = &template["Resources"]["ReleaseProject"]["Properties"]["Triggers"]["FilterGroups"];
    let patterns = |groups: &serde_json::Value, ty: &str, pattern: &str| -> Vec<String> {
        let groups = groups.as_array().expect("filter groups");
        assert_eq!(groups.len(), 2, "a push group and a pull-request group: {groups:?}");
        groups
            .iter()
            .map(|group| {
                let filters: Vec<_> = group
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|f| f[ty] == "ACTOR_ACCOUNT_ID")
                    .collect();
                assert_eq!(filters.len(), 1, "{group:?}");
                filters[0][pattern].as_str().unwrap().to_string()
            })
            .collect()
    };
    let mut all = patterns(&cli["filterGroups"], "type", "pattern");
    all.extend(patterns(cfn_groups, "Type", "Pattern"));
    for pattern in all {
        assert_eq!(pattern, r"^(583231|1024025|a\.b\|c)$");
        // As CodeBuild reads it, a regular expression: the listed ids match, ids that contain
        // one (the CodeBreach bypass) do not.
        let regex = regex_lite::Regex::new(&pattern).unwrap();
        for id in ["583231", "1024025", "a.b|c"] {
            assert!(regex.is_match(id), "{id}");
        }
        for id in ["1583231", "5832310", "10240251", "axb|c", "c", "583231|1024025"] {
            assert!(!regex.is_match(id), "{id}");
        }
    }
}

#[test]
fn a_parameter_in_a_webhook_pattern_is_substituted_in_the_template_and_escaped_in_the_cli_form() {
    let files = emit_clean(
        r#"
param connection_arn
param account_id
param release_manager {
  default = "1.2"
}
aws {
  account = account_id
  region  = "us-east-1"
}
connection gh {
  arn = connection_arn
}
project release {
  name   = "release"
  source = bitbucket(gh, "my-org/app", events = [push], branch = "release.${{ release_manager }}", actors = [release_manager, "a.b"])
  environment {
    image = amazonlinux_standard("5.0")
  }
  phase build {
    run "make"
  }
}
"#,
    );
    let cli: serde_json::Value = serde_json::from_str(&files["codebuild/release.webhook.json"]).unwrap();
    let group = cli["filterGroups"][0].as_array().unwrap().clone();
    let pattern = |filters: &[serde_json::Value], ty: &str| {
        filters
            .iter()
            .find(|f| f["type"] == ty || f["Type"] == ty)
            .unwrap()
            .clone()
    };
    assert_eq!(pattern(&group, "HEAD_REF")["pattern"], r"^refs/heads/release\.1\.2$");
    assert_eq!(pattern(&group, "ACTOR_ACCOUNT_ID")["pattern"], r"^(1\.2|a\.b)$");
    let template: serde_json::Value = serde_json::from_str(&files["cloudformation/project-release.json"]).unwrap();
    let groups = &template["Resources"]["ReleaseProject"]["Properties"]["Triggers"]["FilterGroups"];
    let group = groups[0].as_array().unwrap().clone();
    // The template parameter's value is known when the stack is deployed: `Fn::Sub` puts it in.
    assert_eq!(
        pattern(&group, "HEAD_REF")["Pattern"],
        serde_json::json!({ "Fn::Sub": r"^refs/heads/release\.${ReleaseManager}$" })
    );
    assert_eq!(
        pattern(&group, "ACTOR_ACCOUNT_ID")["Pattern"],
        serde_json::json!({ "Fn::Sub": r"^(${ReleaseManager}|a\.b)$" })
    );
}

/// A buildspec kept in S3 holds none of the program's variables: CodeBuild gets them as the
/// project's, in both forms.
#[test]
fn a_project_with_a_buildspec_in_s3_keeps_its_variables() {
    let files = emit_clean(
        r#"aws {
  account = "123456789012"
  region  = "us-east-1"
}
project audit {
  name      = "audit"
  source    = s3("sources/app.zip")
  buildspec = s3("buildspecs/audit.yml")
  environment {
    image = amazonlinux_standard("5.0")
  }
  env {
    AUDIT_LEVEL = "high"
    TOKEN       = secrets_manager("ci/audit:token")
  }
}
"#,
    );
    let cli: serde_json::Value = serde_json::from_str(&files["codebuild/audit.json"]).unwrap();
    assert_eq!(
        cli["environment"]["environmentVariables"],
        serde_json::json!([
            { "name": "AUDIT_LEVEL", "type": "PLAINTEXT", "value": "high" },
            { "name": "TOKEN", "type": "SECRETS_MANAGER", "value": "ci/audit:token" }
        ])
    );
    let template = files
        .iter()
        .find(|(name, _)| name.starts_with("cloudformation/"))
        .unwrap()
        .1;
    assert!(template.contains("\"EnvironmentVariables\""), "{template}");
}

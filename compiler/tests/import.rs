//! `cruddur import`: every buildspec cruddur emits imports into a project that checks and
//! builds back to the same buildspec, byte for byte; the inputs under `tests/import/` import
//! to their golden programs and remarks (BLESS=1 rewrites them); bad input is an error, never
//! a panic.

mod common;

use cruddur::diagnostics::SourceMap;
use cruddur::import::{self, Imported};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn import_files(files: &[(String, String)]) -> (SourceMap, Result<Imported, Vec<cruddur::diagnostics::Diagnostic>>) {
    let mut sources = SourceMap::new();
    let ids: Vec<_> = files
        .iter()
        .map(|(name, text)| sources.add(name.clone(), text.clone()))
        .collect();
    let imported = import::import(&mut sources, &ids);
    (sources, imported)
}

/// The program's diagnostics, one per line.
fn check(text: &str) -> (cruddur::Analysis, Vec<String>) {
    let mut sources = SourceMap::new();
    let file = sources.add("imported.cruddur", text.to_string());
    let analysis = cruddur::analyze(&sources, &[file]);
    let lines = analysis
        .diagnostics
        .iter()
        .map(|d| {
            let at = sources.line_col(d.primary.file, d.primary.span.start);
            format!(
                "{}:{}: {}[{}]: {}",
                at.line,
                at.column,
                if d.is_error() { "error" } else { "warning" },
                d.code,
                d.message
            )
        })
        .collect();
    (analysis, lines)
}

fn emitted_buildspecs() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for example in std::fs::read_dir(root().join("tests/golden")).unwrap() {
        let dir = example.unwrap().path().join("buildspec");
        if let Ok(entries) = std::fs::read_dir(&dir) {
            files.extend(entries.map(|e| e.unwrap().path()));
        }
    }
    files.sort();
    assert!(files.len() >= 10, "the examples emit buildspecs: {files:?}");
    files
}

#[test]
fn every_emitted_buildspec_imports_and_builds_back_the_same() {
    let params: BTreeMap<String, String> = [("account_id", "123456789012")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for path in emitted_buildspecs() {
        let original = std::fs::read_to_string(&path).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let (_, imported) = import_files(&[(format!("{name}.yml"), original.clone())]);
        let imported = imported.unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        // The CLI definitions name ARNs: a buildspec that names no account gets one here.
        let mut text = imported.text.clone();
        if !text.contains("\naws {") {
            text.push_str("\naws {\n  account = \"123456789012\"\n  region  = \"us-east-1\"\n}\n");
        }
        let (analysis, diagnostics) = check(&text);
        assert!(
            !analysis.diagnostics.iter().any(|d| d.is_error()),
            "{}: the import does not check:\n{}\n{}",
            path.display(),
            diagnostics.join("\n"),
            imported.text
        );
        let files =
            cruddur::emit::emit(&analysis.program, &params).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        let built = files
            .get(&format!("buildspec/{name}.yml"))
            .unwrap_or_else(|| panic!("{}: no buildspec built: {:?}", path.display(), files.keys()));
        assert_eq!(
            built,
            &original,
            "{} builds back differently from\n{}",
            path.display(),
            imported.text
        );
    }
}

/// `tests/import/<kind>/<name>.<ext>`: the program (`<name>.cruddur`) and what import and
/// check say about it (`<name>.remarks`). Only the inputs named in `INPUT_ERRORS` may give a
/// program with errors: theirs.
const INPUT_ERRORS: &[&str] = &[
    // `$(aws ecr get-login …)`, which AWS CLI version 2 does not have (E0510).
    "fargate-workshop-docker-build-deploy.yml",
    // PowerShell, a Windows project's shell: cruddur's projects run bash (E0509 at a backtick
    // line continuation).
    "toolkit-vscode-windows-tests.yml",
    // Images CodeBuild retired (E0503), and a buildspec file of the repository, which is not
    // here (E0518).
    "awscli-codebuild-batch-get-projects.output.json",
    // A buildspec file of the repository (E0518).
    "codebuild-create-project-centos.json",
    // It exports a variable holding a password (S0003), now a secret.
    "secrets-in-values.yml",
    // Templates of retired images (E0503), buildspec files of their repositories, which are
    // not here (E0518, and the outputs and variables those files declare: E0317, E0324),
    // artifacts written unencrypted on purpose (S0014), and Docker builds on images that no
    // longer run Docker unprivileged (E0504).
    "cfn-templates-codebuild.json",
    "clair-ecs-pipeline.yaml",
    "codebuild-samples-continuous-deployment.yml",
    "ecs-agent-release-pipeline-stack.yml",
    "ecs-refarch-deployment-pipeline-2017-v0.1.yaml",
    "ecs-refarch-deployment-pipeline.yaml",
    "esdk-python-codebuild-batch.yml",
    "nested-cfn-codepipeline-longform.yml",
];

#[test]
fn inputs_import_to_their_golden_programs() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut inputs: Vec<PathBuf> = ["buildspec", "cli-json", "cloudformation"]
        .iter()
        .flat_map(|kind| std::fs::read_dir(root().join("tests/import").join(kind)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml" || e == "json"))
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty());
    let mut failures = Vec::new();
    for input in inputs {
        let text = std::fs::read_to_string(&input).unwrap();
        let kind = input.parent().unwrap().file_name().unwrap().to_string_lossy();
        let name = format!("tests/import/{kind}/{}", input.file_name().unwrap().to_string_lossy());
        let (sources, imported) = import_files(&[(name.clone(), text)]);
        let (program, remarks) = match imported {
            Ok(imported) => {
                // What check says is recorded: an input's own mistakes stay errors.
                let (analysis, diagnostics) = check(&imported.text);
                let own = INPUT_ERRORS.iter().any(|n| name.ends_with(n));
                assert!(
                    own || !analysis.diagnostics.iter().any(|d| d.is_error()),
                    "{name}: the import does not check:\n{}\n{}",
                    diagnostics.join("\n"),
                    imported.text
                );
                let mut remarks: Vec<String> = imported
                    .remarks
                    .iter()
                    .map(|r| {
                        let at = sources.line_col(r.file, r.span.start);
                        format!("{}:{}: {}: {}", at.line, at.column, r.kind.word(), r.message)
                    })
                    .collect();
                remarks.push("--- cruddur check".to_string());
                remarks.extend(diagnostics);
                if !imported.audit.is_empty() {
                    remarks.push("--- least-privilege audit".to_string());
                    remarks.extend(imported.audit.iter().cloned());
                }
                (Some(imported.text), remarks)
            }
            Err(diagnostics) => (
                None,
                diagnostics
                    .iter()
                    .map(|d| {
                        let at = sources.line_col(d.primary.file, d.primary.span.start);
                        format!("{}:{}: error[{}]: {}", at.line, at.column, d.code, d.message)
                    })
                    .collect(),
            ),
        };
        // The import's own comments are whole sentences: no `{placeholder}` left unfilled.
        if let Some(text) = &program {
            for line in text.lines().filter(|l| l.trim_start().starts_with("// import:")) {
                let unfilled = line.match_indices('{').any(|(at, _)| {
                    let rest = &line[at + 1..];
                    let word = rest.split('}').next().unwrap_or("");
                    rest.contains('}')
                        && !word.is_empty()
                        && word.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                        && !line[..at].ends_with('$')
                });
                assert!(!unfilled, "{name}: an unfilled placeholder in `{line}`");
            }
        }
        let remarks = remarks.join("\n") + "\n";
        let expected_program = input.with_extension("cruddur");
        let expected_remarks = input.with_extension("remarks");
        if bless {
            match &program {
                Some(text) => std::fs::write(&expected_program, text).unwrap(),
                None => {
                    let _ = std::fs::remove_file(&expected_program);
                }
            }
            std::fs::write(&expected_remarks, &remarks).unwrap();
            continue;
        }
        let read = |p: &Path| std::fs::read_to_string(p).ok();
        if program != read(&expected_program) {
            failures.push(format!(
                "{}: the program differs (BLESS=1 to update)",
                expected_program.display()
            ));
        }
        if Some(remarks) != read(&expected_remarks) {
            failures.push(format!(
                "{}: the remarks differ (BLESS=1 to update)",
                expected_remarks.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn files_it_cannot_read_are_errors_with_a_place() {
    let cases = [
        ("", "E0530", "empty"),
        ("version: 0.2\nphases: [", "E0530", "not valid YAML"),
        (
            "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n",
            "E0530",
            "no project or pipeline",
        ),
        ("{\"pipeline\": {\"name\": \"p\"}}", "E0530", "list of `stages`"),
        (
            "Resources:\n  A:\n    Type: AWS::CodeBuild::Project\n    Properties:\n      Name: !Sub '${B}-a'\n  B:\n    Type: AWS::CodeBuild::Project\n    Properties:\n      Name: !Sub '${A}-b'\n",
            "E0530",
            "in a circle",
        ),
        (
            "{\"pipeline\": {\"name\": \"p\", \"stages\": [{\"name\": \"B\", \"actions\": [{\"name\": \"b\", \"actionTypeId\": {\"category\": \"Build\", \"owner\": \"AWS\", \"provider\": \"CodeBuild\", \"version\": \"1\"}, \"configuration\": {\"ProjectName\": \"web\"}}]}]}}",
            "E0530",
            "`web`, which no input defines",
        ),
        ("name: x\n", "E0530", "not a file"),
        (
            "version: 0.3\nphases:\n  build:\n    commands: [make]\n",
            "E0519",
            "version",
        ),
        (
            "version: 0.2\nphases:\n  build:\n    commands:\n      - echo Done: ok\n",
            "E0519",
            "mapping",
        ),
    ];
    for (text, code, says) in cases {
        let (_, imported) = import_files(&[("buildspec.yml".to_string(), text.to_string())]);
        let errors = imported.expect_err(text);
        assert!(
            errors
                .iter()
                .any(|d| d.code.as_str() == code && d.message.contains(says)),
            "{text:?}: {errors:?}"
        );
    }
}

#[test]
fn two_buildspecs_make_one_program_with_distinct_names() {
    let spec = "version: 0.2\nphases:\n  build:\n    commands:\n      - make\n";
    let (_, imported) = import_files(&[
        ("api/buildspec.yml".to_string(), spec.to_string()),
        ("web/api.yml".to_string(), spec.to_string()),
    ]);
    let text = imported.unwrap().text;
    assert!(
        text.contains("project api {") && text.contains("project api_2 {"),
        "{text}"
    );
    let (analysis, diagnostics) = check(&text);
    assert!(!analysis.diagnostics.iter().any(|d| d.is_error()), "{diagnostics:?}");
}

/// Every CodeBuild definition cruddur emits (`create-project --cli-input-json` input) imports
/// into a project that builds back to the same definition. A project a pipeline runs is
/// compared without its source's and output's type, which come from the pipeline.
#[test]
fn every_emitted_codebuild_project_imports_and_builds_back_the_same() {
    let params: BTreeMap<String, String> = [
        ("account_id", "123456789012"),
        (
            "github_connection_arn",
            "arn:aws:codeconnections:us-east-1:123456789012:connection/0123abcd-0000-4000-8000-000000000000",
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let mut compared = 0;
    let mut webhooks = 0;
    for example in std::fs::read_dir(root().join("tests/golden")).unwrap() {
        let dir = example.unwrap().path();
        let Ok(entries) = std::fs::read_dir(dir.join("codebuild")) else {
            continue;
        };
        for path in entries.map(|e| e.unwrap().path()) {
            let file = path.file_name().unwrap().to_string_lossy().to_string();
            if file.ends_with(".webhook.json") {
                continue;
            }
            let original = std::fs::read_to_string(&path).unwrap();
            // A buildspec file read from the pipeline's source: checked with the pipeline,
            // which this import does not read yet.
            let definition: serde_json::Value = serde_json::from_str(&original).unwrap();
            let buildspec = definition["source"]["buildspec"].as_str().unwrap_or("");
            if definition["source"]["type"] == "CODEPIPELINE" && !buildspec.contains('\n') {
                continue;
            }
            // The webhook, as `batch-get-projects` shows it: in the project.
            let hook_file = path.with_file_name(file.replace(".json", ".webhook.json"));
            let hook: Option<serde_json::Value> = std::fs::read_to_string(&hook_file)
                .ok()
                .map(|t| serde_json::from_str(&t).unwrap());
            let input = match &hook {
                Some(hook) => {
                    let mut project = definition.clone();
                    let mut webhook = hook.clone();
                    webhook.as_object_mut().unwrap().remove("projectName");
                    project["webhook"] = webhook;
                    serde_json::to_string_pretty(&project).unwrap()
                }
                None => original.clone(),
            };
            let (_, imported) = import_files(&[(file.clone(), input)]);
            let imported = imported.unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
            let mut text = imported.text.clone();
            if !text.contains("\nregion") && !text.contains("  region") {
                text = text.replace("aws {\n", "aws {\n  region = \"us-east-1\"\n");
            }
            let (analysis, diagnostics) = check(&text);
            assert!(
                !analysis.diagnostics.iter().any(|d| d.is_error()),
                "{}: the import does not check:\n{}\n{text}",
                path.display(),
                diagnostics.join("\n"),
            );
            let files =
                cruddur::emit::emit(&analysis.program, &params).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
            let built = files
                .get(&format!("codebuild/{file}"))
                .unwrap_or_else(|| panic!("{}: not built", path.display()));
            let mut want: serde_json::Value = serde_json::from_str(&original).unwrap();
            let mut got: serde_json::Value = serde_json::from_str(built).unwrap();
            if want["source"]["type"] == "CODEPIPELINE" {
                for value in [&mut want, &mut got] {
                    value["source"]["type"] = serde_json::Value::Null;
                    value["artifacts"] = serde_json::Value::Null;
                    // A project a pipeline runs has no badge (CodeBuild refuses one).
                    value.as_object_mut().unwrap().remove("badgeEnabled");
                }
            }
            assert_eq!(got, want, "{} builds back differently from\n{text}", path.display());
            if let Some(hook) = hook {
                let built = files
                    .get(&format!("codebuild/{}", file.replace(".json", ".webhook.json")))
                    .unwrap_or_else(|| panic!("{}: its webhook is not built back:\n{text}", path.display()));
                let built: serde_json::Value = serde_json::from_str(built).unwrap();
                assert_eq!(
                    built,
                    hook,
                    "{}: the webhook builds back differently from\n{text}",
                    path.display()
                );
                webhooks += 1;
            }
            compared += 1;
        }
    }
    assert!(compared >= 14, "{compared} projects compared");
    assert!(webhooks >= 1, "{webhooks} webhooks compared");
}

/// A project with its old role's policy: the audit says what the role grants beyond the need,
/// on more resources than needed, and what it lacks (`tests/import/audit/web.audit`).
#[test]
fn an_imported_projects_old_role_is_audited() {
    let dir = root().join("tests/import/audit");
    let read = audit_input;
    let (_, imported) = import_files(&[read("web-project.json"), read("web-role-policy.json")]);
    let imported = imported.unwrap();
    let audit = imported.audit.join("\n") + "\n";
    let expected = dir.join("web.audit");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&expected, &audit).unwrap();
    }
    assert_eq!(audit, std::fs::read_to_string(&expected).unwrap(), "BLESS=1 to update");
    // The policy file is an input to the audit, not a project.
    assert_eq!(imported.text.matches("\nproject ").count(), 1, "{}", imported.text);
}

/// A file of `tests/import/audit/`, named as the golden files name it.
fn audit_input(name: &str) -> (String, String) {
    (
        format!("tests/import/audit/{name}"),
        std::fs::read_to_string(root().join("tests/import/audit").join(name)).unwrap(),
    )
}

/// The values an import moved out of the program, from its remarks (`--param NAME=VALUE`).
fn moved_params(imported: &Imported) -> BTreeMap<String, String> {
    let mut params = BTreeMap::new();
    for remark in &imported.remarks {
        for piece in remark.message.split("`--param ").skip(1) {
            if let Some((name, rest)) = piece.split_once('=') {
                let value = rest.split('`').next().unwrap_or("");
                params.insert(name.to_string(), value.to_string());
            }
        }
    }
    params
}

/// Copies the example's files other than its programs (the buildspec files its projects
/// read) into `to`.
fn copy_repository_files(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if path.is_dir() {
            std::fs::create_dir_all(to.join(name)).unwrap();
            copy_repository_files(&path, &to.join(name));
        } else if path.extension().is_none_or(|e| e != "cruddur") && name != "cruddur.toml" {
            std::fs::copy(&path, to.join(name)).unwrap();
        }
    }
}

/// The program analysed where the example's repository files are (the buildspec files its
/// projects read), as an importer writes it at the repository's root; it must check.
fn analyze_beside_example(name: &str, text: &str, tag: &str) -> std::sync::Arc<cruddur::Analysis> {
    let work = std::env::temp_dir().join(format!("cruddur-import-{tag}-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let example_dir = root().join("examples").join(name);
    if example_dir.is_dir() {
        copy_repository_files(&example_dir, &work);
    }
    let program = work.join("imported.cruddur");
    std::fs::write(&program, text).unwrap();
    let mut workspace = cruddur::workspace::Workspace::new(cruddur::workspace::OsFs);
    workspace.load(std::slice::from_ref(&program)).unwrap();
    let analysis = workspace.analysis(0);
    std::fs::remove_dir_all(&work).ok();
    let errors: Vec<String> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("[{}] {}", d.code, d.message))
        .collect();
    assert!(
        errors.is_empty(),
        "{name}: the import does not check: {errors:#?}\n{text}"
    );
    analysis
}

/// Every example's pipelines, imported from what `cruddur build` wrote for them (the
/// CodePipeline and CodeBuild definitions), check and build back to the same definitions.
#[test]
fn every_example_pipeline_imports_and_builds_back_the_same() {
    let mut compared = 0;
    for example in std::fs::read_dir(root().join("tests/golden")).unwrap() {
        let dir = example.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let mut definitions: Vec<PathBuf> = Vec::new();
        for kind in ["codepipeline", "codebuild"] {
            if let Ok(entries) = std::fs::read_dir(dir.join(kind)) {
                definitions.extend(
                    entries
                        .map(|e| e.unwrap().path())
                        .filter(|p| !p.to_string_lossy().ends_with(".webhook.json")),
                );
            }
        }
        definitions.sort();
        if !definitions
            .iter()
            .any(|p| p.parent().unwrap().ends_with("codepipeline"))
        {
            continue;
        }
        let inputs: Vec<(String, String)> = definitions
            .iter()
            .map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap()))
            .collect();
        let (_, imported) = import_files(&inputs);
        let imported = imported.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let analysis = analyze_beside_example(&name, &imported.text, "roundtrip");
        let mut params = moved_params(&imported);
        // Params the import could not fill (a container name, not in the definitions): any
        // value, since the definitions do not hold it either.
        for param in imported.text.lines().filter_map(|l| l.strip_prefix("param ")) {
            let param = param.trim_end_matches(" {").trim();
            params.entry(param.to_string()).or_insert_with(|| "unknown".to_string());
        }
        let files = cruddur::emit::emit(&analysis.program, &params).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        for path in &definitions {
            let kind = path.parent().unwrap().file_name().unwrap().to_string_lossy();
            let key = format!("{kind}/{}", path.file_name().unwrap().to_string_lossy());
            let built = files
                .get(&key)
                .unwrap_or_else(|| panic!("{name}: {key} is not built back:\n{}", imported.text));
            let want: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            let got: serde_json::Value = serde_json::from_str(built).unwrap();
            assert_eq!(
                got, want,
                "{name}: {key} builds back differently from\n{}",
                imported.text
            );
            compared += 1;
        }
    }
    assert!(compared >= 20, "{compared} definitions compared");
}

/// A pipeline imported with the project it runs and both old roles' policies: the project's
/// role is audited against what it needs in the pipeline, and the pipeline's role against
/// what the pipeline needs (`tests/import/audit/release.audit`).
#[test]
fn a_pipelines_old_roles_are_audited_with_what_it_runs() {
    let dir = root().join("tests/import/audit");
    let read = audit_input;
    let (_, imported) = import_files(&[
        read("release-pipeline.json"),
        read("release-projects.json"),
        read("release-pipeline-role-policy.json"),
        read("release-bake-role-policy.json"),
    ]);
    let imported = imported.unwrap();
    let audit = imported.audit.join("\n") + "\n";
    let expected = dir.join("release.audit");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&expected, &audit).unwrap();
    }
    assert_eq!(audit, std::fs::read_to_string(&expected).unwrap(), "BLESS=1 to update");
    assert!(
        audit.contains("against what `cruddur-backend-fargate` needs"),
        "{audit}"
    );
    assert!(
        audit.contains("against what `cruddur-backend-flask-bake-image` needs"),
        "{audit}"
    );
    assert!(
        !audit.contains("lacks"),
        "the old roles had what the pipeline needs:\n{audit}"
    );
}

/// `--keep-roles`: the old roles, with their policies, are the program's; `check` then weighs
/// them (here: the wildcards they grant). Without their policies, the roles are kept by ARN.
#[test]
fn kept_roles_are_written_with_their_policies_or_by_arn() {
    let read = audit_input;
    let keep = import::Options { keep_roles: true };
    let import_kept = |files: &[(String, String)]| {
        let mut sources = SourceMap::new();
        let ids: Vec<_> = files.iter().map(|(n, t)| sources.add(n.clone(), t.clone())).collect();
        import::import_with(&mut sources, &ids, &keep).unwrap()
    };
    let with_policies = import_kept(&[
        read("release-pipeline.json"),
        read("release-projects.json"),
        read("release-pipeline-role-policy.json"),
        read("release-bake-role-policy.json"),
    ]);
    let text = &with_policies.text;
    assert!(text.contains("  role        = codebuild_bake_service_role\n"), "{text}");
    assert!(
        text.contains("name  = \"AWSCodePipelineServiceRole-us-east-1-backend\"\n  trust = [codepipeline]"),
        "{text}"
    );
    assert!(text.contains("actions   = [\"ecr:*\"]"), "{text}");
    assert!(text.contains("condition(\n        \"StringEqualsIfExists\""), "{text}");
    let (_, diagnostics) = check(text);
    assert!(
        diagnostics.iter().any(|d| d.contains("S0005") && d.contains("ecr:*")),
        "{diagnostics:#?}"
    );
    // The audit still weighs the old roles against the roles cruddur would infer.
    assert!(with_policies.audit.iter().any(|l| l.contains("grants beyond the need")));

    let by_arn = import_kept(&[read("release-pipeline.json"), read("release-projects.json")]);
    assert!(
        by_arn
            .text
            .contains("arn = \"arn:aws:iam::${{ aws.account }}:role/service-role/codebuild-bake-service-role\""),
        "{}",
        by_arn.text
    );
    let (analysis, diagnostics) = check(&by_arn.text);
    assert!(!analysis.diagnostics.iter().any(|d| d.is_error()), "{diagnostics:#?}");
}

/// Every example's CloudFormation template, imported, checks and builds back to the same
/// CodePipeline and CodeBuild definitions as the example: the template reader (intrinsics,
/// parameters, the template's own artifact bucket) against cruddur's own templates.
#[test]
fn every_example_template_imports_and_builds_back_the_same() {
    let mut compared = 0;
    for example in std::fs::read_dir(root().join("tests/golden")).unwrap() {
        let dir = example.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let Ok(entries) = std::fs::read_dir(dir.join("cloudformation")) else {
            continue;
        };
        let mut templates: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        templates.sort();
        // The template that makes the pipelines and projects (others hold roles of other
        // accounts).
        let Some(template) = templates.iter().find(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            text.contains("AWS::CodeBuild::Project") || text.contains("AWS::CodePipeline::Pipeline")
        }) else {
            continue;
        };
        let input = (
            template.display().to_string(),
            std::fs::read_to_string(template).unwrap(),
        );
        let (_, imported) = import_files(&[input]);
        let imported = imported.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        // The stack's account and Region, as the examples are built.
        let text = format!(
            "{}\naws {{\n  account = \"123456789012\"\n  region  = \"us-east-1\"\n}}\n",
            imported.text
        );
        let analysis = analyze_beside_example(&name, &text, "template");
        let mut params = common::example_params();
        // A param with no default and no value the examples were built with: any value.
        for param in text
            .lines()
            .filter_map(|l| l.strip_prefix("param "))
            .filter(|l| !l.contains(" = "))
        {
            let param = param.split([' ', '{']).next().unwrap_or("").trim();
            params.entry(param.to_string()).or_insert_with(|| "unknown".to_string());
        }
        let files = cruddur::emit::emit(&analysis.program, &params).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        for kind in ["codepipeline", "codebuild"] {
            let Ok(entries) = std::fs::read_dir(dir.join(kind)) else {
                continue;
            };
            for path in entries.map(|e| e.unwrap().path()) {
                let key = format!("{kind}/{}", path.file_name().unwrap().to_string_lossy());
                let built = files
                    .get(&key)
                    .unwrap_or_else(|| panic!("{name}: {key} is not built back from the template:\n{text}"));
                let want: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                let got: serde_json::Value = serde_json::from_str(built).unwrap();
                assert_eq!(got, want, "{name}: {key} builds back differently from\n{text}");
                compared += 1;
            }
        }
    }
    assert!(compared >= 20, "{compared} definitions compared");
}

//! The `cruddur` command as users and CI run it: exit codes, output formats, input errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cruddur(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cruddur"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A fresh folder for one test, removed when the test ends (kept if it panics, to look at).
fn temp_dir(name: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!("cruddur-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[test]
fn examples_check_clean() {
    let output = cruddur(&["check", "examples/"]);
    assert_eq!(output.status.code(), Some(0), "{}{}", stdout(&output), stderr(&output));
    assert_eq!(stdout(&output), "no problems found\n");
}

#[test]
fn errors_exit_one_in_every_format() {
    for format in ["human", "short", "json"] {
        let output = cruddur(&[
            "check",
            "tests/ui/recovery-three-independent-errors.cruddur",
            "--format",
            format,
        ]);
        assert_eq!(output.status.code(), Some(1), "format {format}");
    }
}

#[test]
fn short_format_is_one_line_per_problem() {
    let output = cruddur(&[
        "check",
        "tests/ui/recovery-three-independent-errors.cruddur",
        "--format",
        "short",
    ]);
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 7, "{text}");
    assert!(text.starts_with("tests/ui/recovery-three-independent-errors.cruddur:2:10: error[E0002]: "));
}

#[test]
fn json_format_is_a_document_with_positions_and_fixes() {
    let output = cruddur(&[
        "check",
        "tests/ui/parse-colon-instead-of-equals.cruddur",
        "--format",
        "json",
    ]);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["version"], 1);
    assert_eq!(document["summary"]["errors"], 2);
    let first = &document["diagnostics"][0];
    assert_eq!(first["code"], "E0010");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["span"]["line"], 2);
    assert_eq!(first["span"]["column"], 7);
    assert_eq!(first["fix"]["edits"][0]["replacement"], " =");
}

#[test]
fn color_is_off_when_piped_and_on_when_asked() {
    let plain = cruddur(&["check", "tests/ui/parse-stray-equals.cruddur"]);
    assert!(!stdout(&plain).contains('\u{1b}'));
    let colored = cruddur(&["check", "tests/ui/parse-stray-equals.cruddur", "--color", "always"]);
    assert!(stdout(&colored).contains('\u{1b}'));
}

#[test]
fn explain_prints_the_catalog_entry() {
    let output = cruddur(&["explain", "E0011"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).starts_with("## E0011: unclosed delimiter"));
    let unknown = cruddur(&["explain", "E9999"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("no diagnostic code of cruddur"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn explain_prints_the_documentation_of_a_word_of_the_language() {
    let output = cruddur(&["explain", "compute"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.starts_with("`compute`: property of `project.environment`"),
        "{text}"
    );
    assert!(text.contains("AWS::CodeBuild::Project Environment.ComputeType"));
    assert!(
        text.contains("AWS documentation: https://docs.aws.amazon.com/"),
        "{text}"
    );
    let ambiguous = cruddur(&["explain", "branch"]);
    assert_eq!(ambiguous.status.code(), Some(2));
    assert!(stderr(&ambiguous).contains("github.branch"), "{}", stderr(&ambiguous));
}

#[test]
fn missing_file_is_a_usage_error() {
    let output = cruddur(&["check", "no/such/file.cruddur"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read `no/such/file.cruddur`: no such file or directory"));
}

#[test]
fn directory_without_sources_is_a_usage_error() {
    let dir = temp_dir("empty");
    let output = cruddur(&["check", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no .cruddur files in directory"));
}

#[test]
fn non_utf8_input_is_a_usage_error() {
    let dir = temp_dir("latin1");
    let file = dir.join("bad.cruddur");
    std::fs::write(&file, b"project caf\xe9 {}\n").unwrap();
    let output = cruddur(&["check", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("is not UTF-8 text (invalid byte at offset 11)"));
}

#[test]
fn no_arguments_prints_usage_and_exits_two() {
    let output = cruddur(&["check"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("Usage"));
}

#[test]
fn help_and_version() {
    let help = cruddur(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("cruddur explain E0011"));
    let version = cruddur(&["--version"]);
    assert_eq!(
        stdout(&version).trim(),
        format!("cruddur {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn files_of_a_project_directory_form_one_program() {
    let dir = temp_dir("project");
    std::fs::write(dir.join("cruddur.toml"), "").unwrap();
    std::fs::write(
        dir.join("a.cruddur"),
        "repository images {\n  name = \"images\"\n  scan_on_push = true\n  tag_mutability = immutable\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b.cruddur"),
        "project bake {\n  name   = \"bake\"\n  pushes = [images]\n  environment {\n    image = amazonlinux_standard(\"5.0\")\n    privileged = true\n  }\n  phase pre_build {\n    run ecr_login(images)\n  }\n}\n",
    )
    .unwrap();
    let clean = cruddur(&["check", dir.to_str().unwrap(), "--format", "short"]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "a reference across files resolves: {}",
        stdout(&clean)
    );

    std::fs::write(dir.join("c.cruddur"), "repository images {\n  name = \"other\"\n}\n").unwrap();
    let duplicate = cruddur(&["check", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(duplicate.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_slice(&duplicate.stdout).unwrap();
    let first = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "E0201")
        .expect("a duplicate");
    assert!(first["file"].as_str().unwrap().ends_with("c.cruddur"));
    assert!(first["secondary"][0]["file"].as_str().unwrap().ends_with("a.cruddur"));
}

#[test]
fn files_outside_a_project_are_separate_programs() {
    let dir = temp_dir("standalone");
    std::fs::write(dir.join("a.cruddur"), "repository images {\n  name = \"images\"\n}\n").unwrap();
    std::fs::write(dir.join("b.cruddur"), "repository images {\n  name = \"images\"\n}\n").unwrap();
    let output = cruddur(&["check", dir.to_str().unwrap(), "--format", "short"]);
    // Two programs, each with an unused repository; no duplicate across them.
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output).matches("E0204").count(), 2);
    assert!(!stdout(&output).contains("E0201"));
}

#[test]
fn a_name_defined_in_another_program_is_pointed_at() {
    let dir = temp_dir("elsewhere");
    std::fs::write(
        dir.join("shared.cruddur"),
        "repository images {\n  name = \"images\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("build.cruddur"),
        "project bake {\n  name   = \"bake\"\n  pushes = [images]\n  environment {\n    image = amazonlinux_standard(\"5.0\")\n  }\n}\n",
    )
    .unwrap();
    let output = cruddur(&["check", dir.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let unknown = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "E0202")
        .expect("E0202 for `images`");
    let notes = unknown["notes"].to_string();
    assert!(notes.contains("shared.cruddur"), "{notes}");
    assert!(notes.contains("cruddur.toml"), "{notes}");
    assert!(
        unknown["help"].is_null(),
        "no \"define it\" for a name that is defined: {unknown}"
    );
}

const CONNECTION: &str =
    "connection_arn=arn:aws:codeconnections:us-east-1:123456789012:connection/0123abcd-0000-4000-8000-000000000000";

#[test]
fn build_writes_the_output_folder_and_replaces_its_own() {
    let dir = temp_dir("build");
    let out = dir.join("out");
    let args = |out: &Path| {
        vec![
            "build".to_string(),
            "examples/02-cruddur-backend-fargate.cruddur".into(),
            "--out".into(),
            out.display().to_string(),
            "--param".into(),
            "account_id=123456789012".into(),
            "--param".into(),
            CONNECTION.into(),
        ]
    };
    let run = |args: Vec<String>| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        cruddur(&refs)
    };
    let first = run(args(&out));
    assert_eq!(first.status.code(), Some(0), "{}{}", stdout(&first), stderr(&first));
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/golden/02-cruddur-backend-fargate");
    for file in [
        "buildspec/cruddur-backend-flask-bake-image.yml",
        "codepipeline/cruddur-backend-fargate.json",
        "cloudformation/cruddur-backend-fargate.json",
    ] {
        assert_eq!(
            std::fs::read_to_string(out.join(file)).unwrap(),
            std::fs::read_to_string(golden.join(file)).unwrap(),
            "{file}"
        );
    }
    // A second build replaces the folder it wrote, leaving nothing stale.
    std::fs::write(out.join("stale.txt"), "old").unwrap();
    let second = run(args(&out));
    assert_eq!(second.status.code(), Some(0));
    assert!(!out.join("stale.txt").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no staging folders left behind: {leftovers:?}");
}

#[test]
fn build_refuses_a_folder_it_did_not_write() {
    let dir = temp_dir("foreign");
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let output = cruddur(&[
        "build",
        "examples/02-cruddur-backend-fargate.cruddur",
        "--out",
        dir.to_str().unwrap(),
        "--param",
        "account_id=123456789012",
        "--param",
        CONNECTION,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("was not written by cruddur"));
    assert_eq!(std::fs::read_to_string(dir.join("notes.txt")).unwrap(), "mine");
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let staged = entries(dir.parent().unwrap())
        .into_iter()
        .filter(|e| e.starts_with(&format!(".{name}.")))
        .collect::<Vec<_>>();
    assert_eq!(staged, Vec::<String>::new(), "no staging folder left behind");
}

#[test]
fn build_writes_nothing_when_a_value_is_missing() {
    let dir = temp_dir("missing");
    let out = dir.join("out");
    let output = cruddur(&[
        "build",
        "examples/02-cruddur-backend-fargate.cruddur",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "short",
        "--param",
        CONNECTION,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("error[E0601]: parameter `account_id` has no value"),
        "{}",
        stdout(&output)
    );
    assert!(stderr(&output).contains("nothing written"));
    assert!(!out.exists());
    assert_eq!(entries(&dir), Vec::<String>::new(), "no staging folder left behind");

    // Folders above `--out` that did not exist are not left behind either.
    let nested = dir.join("a/b/out");
    let output = cruddur(&[
        "build",
        "examples/02-cruddur-backend-fargate.cruddur",
        "--out",
        nested.to_str().unwrap(),
        "--param",
        CONNECTION,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(entries(&dir), Vec::<String>::new(), "no folders left behind");
}

/// The names in a folder, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn build_writes_nothing_when_the_program_has_errors() {
    let dir = temp_dir("errors");
    let out = dir.join("out");
    let output = cruddur(&[
        "build",
        "tests/ui/wiring-unknown-artifact.cruddur",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!out.exists());
}

#[test]
fn build_warns_about_undeclared_parameters_and_goes_on() {
    // CI passes one set of parameters to many programs: one this program does not declare is
    // ignored with a warning (naming the one a misspelling was probably meant as).
    let dir = temp_dir("undeclared");
    let output = cruddur(&[
        "build",
        "examples/01-minimal.cruddur",
        "--out",
        dir.join("out").to_str().unwrap(),
        "--param",
        "account_id=123456789012",
        "--param",
        "connection_arn=arn:aws:codeconnections:us-east-1:123456789012:connection/0123abcd-0000-4000-8000-000000000000",
        "--param",
        "acount_id=1",
        "--param",
        "environment=prod",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("warning: `--param acount_id=…` is ignored: no parameter `acount_id` is declared (parameters: account_id, connection_arn); did you mean `account_id`?"),
        "{err}"
    );
    assert!(err.contains("warning: `--param environment=…` is ignored"), "{err}");
    assert!(dir.join("out/codepipeline/my-app.json").exists());
}

#[test]
fn build_rejects_empty_and_conflicting_parameters() {
    let dir = temp_dir("param-values");
    let build = |params: &[&str]| {
        let mut args = vec!["build", "examples/01-minimal.cruddur", "--out"];
        let out = dir.join("out");
        let out = out.to_str().unwrap().to_string();
        args.push(&out);
        for param in params {
            args.extend(["--param", param]);
        }
        cruddur(&args)
    };
    let empty = build(&["account_id="]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(
        stderr(&empty).contains("`--param account_id=` gives no value"),
        "{}",
        stderr(&empty)
    );
    let twice = build(&["account_id=111111111111", "account_id=222222222222"]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(
        stderr(&twice).contains("`--param account_id` is given twice, as `111111111111` and as `222222222222`"),
        "{}",
        stderr(&twice)
    );
    assert!(!dir.join("out").exists());
}

#[test]
fn build_reports_clashing_outputs() {
    let dir = temp_dir("clash");
    let file = dir.join("clash.cruddur");
    // Names that clash only once a parameter has its value (a clash at check time is E0212).
    let project = |item: &str, name: &str| {
        format!("project {item} {{\n  name = \"{name}\"\n  environment {{\n    image = amazonlinux_standard(\"5.0\")\n  }}\n}}\n")
    };
    let text = "param stage\n".to_string() + &project("a", "app-${{ stage }}") + &project("b", "app-prod");
    std::fs::write(&file, text).unwrap();
    let output = cruddur(&[
        "build",
        file.to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
        "--param",
        "stage=prod",
        "--format",
        "short",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!dir.join("out").exists(), "nothing is written");
    assert!(
        stdout(&output).contains("error[E0602]: two outputs would be written to `buildspec/app-prod.yml`"),
        "{}",
        stdout(&output)
    );
    // The first of the two files was already written to the staging folder when the clash was
    // found: that folder is gone too.
    assert_eq!(entries(&dir), ["clash.cruddur"]);
}

#[test]
fn graph_of_several_pipelines_is_one_mermaid_chart_with_distinct_nodes() {
    let output = cruddur(&["graph", "examples/"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert_eq!(text.matches("flowchart").count(), 1, "{text}");
    let nodes: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| l.contains("[\"") && !l.starts_with("subgraph"))
        .map(|l| &l[..l.find('[').unwrap()])
        .collect();
    let mut unique = nodes.clone();
    unique.sort();
    unique.dedup();
    assert!(nodes.len() >= 8, "{text}");
    assert_eq!(unique.len(), nodes.len(), "node ids repeat: {text}");
}

#[test]
fn graph_draws_stages_actions_and_artifacts() {
    let mermaid = cruddur(&["graph", "examples/02-cruddur-backend-fargate.cruddur"]);
    assert_eq!(mermaid.status.code(), Some(0));
    let text = stdout(&mermaid);
    assert!(text.starts_with("flowchart LR\n"));
    assert!(text.contains("s0a0 -- \"SourceArtifact\" --> s1a0"), "{text}");
    assert!(text.contains("s1a0 -- \"ImageDefinition\" --> s2a0"), "{text}");
    let dot = cruddur(&[
        "graph",
        "examples/02-cruddur-backend-fargate.cruddur",
        "--format",
        "dot",
    ]);
    assert!(stdout(&dot).contains("s1a0 -> s2a0 [label=\"ImageDefinition\"];"));
    // Artifacts show the stages' order there: no dotted edge.
    assert!(!text.contains("-.->") && !stdout(&dot).contains("dashed"), "{text}");

    // An approval passes no artifact: a dotted edge keeps it between the stages around it.
    let approval = "examples/09-staging-then-production.cruddur";
    let text = stdout(&cruddur(&["graph", approval]));
    assert!(text.contains("s2a0 -.-> s3a0\n  s3a0 -.-> s4a0"), "{text}");
    let dot = stdout(&cruddur(&["graph", approval, "--format", "dot"]));
    assert!(dot.contains("s2a0 -> s3a0 [style=dashed];"), "{dot}");

    // A project no pipeline runs, with what starts it and where its output goes.
    let job = cruddur(&["graph", "examples/12-scheduled-job.cruddur"]);
    let text = stdout(&job);
    assert!(
        text.contains("b0[\"orders-nightly-report<br/><i>codebuild project</i>\"]"),
        "{text}"
    );
    assert!(
        text.contains("b0cron([\"cron(0 3 ? * MON-FRI *)\"])") && text.contains("b0cron -- \"schedule\" --> b0"),
        "{text}"
    );
    assert!(
        text.contains("b0out[(\"s3://my-org-reports/orders\")]") && text.contains("b0 -- \"output\" --> b0out"),
        "{text}"
    );
    let dot = cruddur(&["graph", "examples/12-scheduled-job.cruddur", "--format", "dot"]);
    assert!(
        stdout(&dot).contains("b0cron -> b0 [label=\"schedule\"];"),
        "{}",
        stdout(&dot)
    );
}

#[test]
fn deny_warnings_fails_on_warnings() {
    let plain = cruddur(&["check", "tests/ui/security-privileged-without-docker.cruddur"]);
    assert_eq!(plain.status.code(), Some(0));
    let denied = cruddur(&[
        "check",
        "tests/ui/security-privileged-without-docker.cruddur",
        "--deny",
        "warnings",
    ]);
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn cruddur_toml_overrides_severities() {
    let dir = temp_dir("config");
    std::fs::write(dir.join("cruddur.toml"), "[severity]\nS0008 = \"error\"\n").unwrap();
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/ui/security-privileged-without-docker.cruddur"),
    )
    .unwrap();
    std::fs::write(dir.join("tests.cruddur"), source).unwrap();
    let output = cruddur(&["check", dir.to_str().unwrap(), "--format", "short"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(stdout(&output).contains("error[S0008]"));

    std::fs::write(dir.join("cruddur.toml"), "[severity]\nS0008 = \"off\"\n").unwrap();
    let off = cruddur(&["check", dir.to_str().unwrap(), "--format", "short"]);
    assert_eq!(off.status.code(), Some(0));
    assert_eq!(stdout(&off), "");

    std::fs::write(dir.join("cruddur.toml"), "[severity]\nE0310 = \"off\"\n").unwrap();
    let refused = cruddur(&["check", dir.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("cannot be lowered or turned off"),
        "{}",
        stderr(&refused)
    );
    // Said where it is: the file, the line and the column of the rule.
    assert!(
        stderr(&refused).contains("cruddur.toml:2:1: [severity] E0310"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn sarif_reports_rules_results_and_suppressions() {
    let output = cruddur(&[
        "check",
        "tests/ui/security-wildcards-and-waivers.cruddur",
        "--format",
        "sarif",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["version"], "2.1.0");
    let run = &document["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "cruddur");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules
        .iter()
        .any(|r| r["id"] == "S0005" && r["help"]["text"].as_str().unwrap().contains("CKV_AWS_63")));
    let results = run["results"].as_array().unwrap();
    let suppressed: Vec<_> = results.iter().filter(|r| r.get("suppressions").is_some()).collect();
    assert_eq!(suppressed.len(), 2);
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "inSource");
    let first = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(
        first["artifactLocation"]["uri"],
        "tests/ui/security-wildcards-and-waivers.cruddur"
    );
    assert!(first["region"]["startLine"].as_u64().unwrap() > 0);
}

#[test]
fn a_file_named_twice_is_read_once() {
    let dir = temp_dir("twice");
    std::fs::write(dir.join("cruddur.toml"), "").unwrap();
    std::fs::write(
        dir.join("main.cruddur"),
        "repository images {\n  name = \"images\"\n  scan_on_push = true\n  tag_mutability = immutable\n}\n",
    )
    .unwrap();
    let file = dir.join("main.cruddur");
    let output = cruddur(&[
        "check",
        file.to_str().unwrap(),
        dir.to_str().unwrap(),
        "--format",
        "short",
    ]);
    assert!(!stdout(&output).contains("E0201"), "{}", stdout(&output));
    assert_eq!(stdout(&output).matches("E0204").count(), 1);
}

#[test]
fn checking_one_file_of_a_project_checks_the_whole_program() {
    let dir = temp_dir("partial");
    std::fs::write(dir.join("cruddur.toml"), "").unwrap();
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(
        dir.join("a.cruddur"),
        "repository images {\n  name = \"images\"\n  scan_on_push = true\n  tag_mutability = immutable\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("sub/b.cruddur"),
        "project bake {\n  name   = \"bake\"\n  pushes = [images]\n  environment {\n    image = amazonlinux_standard(\"5.0\")\n    privileged = true\n  }\n  phase pre_build {\n    run ecr_login(images)\n  }\n}\n",
    )
    .unwrap();
    let output = cruddur(&[
        "check",
        dir.join("sub/b.cruddur").to_str().unwrap(),
        "--format",
        "short",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn build_refuses_to_replace_the_current_folder() {
    let dir = temp_dir("cwd");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/01-minimal.cruddur");
    std::fs::copy(&example, dir.join("pipeline.cruddur")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_cruddur"))
        .args(["build", "pipeline.cruddur", "--out", "."])
        .args(["--param", "account_id=123456789012"])
        .args([
            "--param",
            "connection_arn=arn:aws:codeconnections:us-east-1:123456789012:connection/abc",
        ])
        .current_dir(&*dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("is the current folder or holds it"),
        "{}",
        stderr(&output)
    );
    assert!(dir.join("pipeline.cruddur").exists(), "the folder is untouched");
}

/// `cruddur` with text on standard input.
fn cruddur_with_input(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_cruddur"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

const UNFORMATTED: &str = "repository images{name=\"images\"\nscan_on_push=true}\n";
const FORMATTED: &str = "repository images {\n  name         = \"images\"\n  scan_on_push = true\n}\n";

#[test]
fn fmt_rewrites_files_in_place_and_check_lists_what_would_change() {
    let dir = temp_dir("fmt");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("a.cruddur"), UNFORMATTED).unwrap();
    std::fs::write(dir.join("sub/b.cruddur"), FORMATTED).unwrap();
    let check = cruddur(&["fmt", "--check", dir.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(stdout(&check).trim(), dir.join("a.cruddur").display().to_string());
    assert!(
        stderr(&check).contains("1 of 2 files are not formatted"),
        "{}",
        stderr(&check)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("a.cruddur")).unwrap(),
        UNFORMATTED,
        "--check writes nothing"
    );

    let write = cruddur(&["fmt", dir.to_str().unwrap()]);
    assert_eq!(write.status.code(), Some(0), "{}", stderr(&write));
    assert!(stderr(&write).contains("formatted 1 file"));
    assert_eq!(std::fs::read_to_string(dir.join("a.cruddur")).unwrap(), FORMATTED);
    let leftovers: Vec<_> = std::fs::read_dir(&*dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "no staging file is left behind: {leftovers:?}");
    let again = cruddur(&["fmt", "--check", dir.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(stdout(&again), "");
}

#[test]
fn fmt_of_standard_input_writes_standard_output() {
    let output = cruddur_with_input(&["fmt", "-"], UNFORMATTED);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), FORMATTED);
    let check = cruddur_with_input(&["fmt", "--check", "-"], UNFORMATTED);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(stdout(&check), "<stdin>\n");
}

#[test]
fn fmt_leaves_a_file_with_syntax_errors_untouched() {
    let dir = temp_dir("fmt-broken");
    let broken = "repository images {\n  name: \"images\"\n}\n";
    std::fs::write(dir.join("a.cruddur"), broken).unwrap();
    std::fs::write(dir.join("b.cruddur"), UNFORMATTED).unwrap();
    let output = cruddur(&["fmt", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("has syntax errors; it is left as it is"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("error[E0010]"));
    assert_eq!(std::fs::read_to_string(dir.join("a.cruddur")).unwrap(), broken);
    // The other file is still formatted.
    assert_eq!(std::fs::read_to_string(dir.join("b.cruddur")).unwrap(), FORMATTED);
    let stdin = cruddur_with_input(&["fmt", "-"], broken);
    assert_eq!(stdin.status.code(), Some(1));
    assert_eq!(stdout(&stdin), broken, "the text goes out as it came in");
}

#[cfg(unix)]
#[test]
fn fmt_through_a_link_rewrites_the_file_it_points_to() {
    let dir = temp_dir("fmt-link");
    std::fs::write(dir.join("real.txt"), UNFORMATTED).unwrap();
    std::os::unix::fs::symlink(dir.join("real.txt"), dir.join("link.cruddur")).unwrap();
    let output = cruddur(&["fmt", dir.join("link.cruddur").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(std::fs::symlink_metadata(dir.join("link.cruddur"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(dir.join("real.txt")).unwrap(), FORMATTED);
}

const FIXABLE: &str =
    "repository images {\n  name: \"images\"\n  scan_on_push = true\n  tag_mutability: \"immutable\"\n}\n";
const FIXED: &str =
    "repository images {\n  name = \"images\"\n  scan_on_push = true\n  tag_mutability = immutable\n}\n";

#[test]
fn check_fix_writes_the_fixes_and_reports_what_remains() {
    let dir = temp_dir("fix");
    std::fs::write(dir.join("a.cruddur"), FIXABLE).unwrap();
    let output = cruddur(&["check", "--fix", dir.to_str().unwrap(), "--format", "short"]);
    let err = stderr(&output);
    assert!(err.contains("a.cruddur:2:7: E0010 replace `:` with `=`"), "{err}");
    assert!(err.contains("a.cruddur:4:17: E0010 replace `:` with `=`"), "{err}");
    // The value is read as meant despite the `:`: its quotes go in the same round.
    assert!(err.contains("a.cruddur:4:19: E0207 remove the quotes"), "{err}");
    assert!(
        err.contains("3 fixes applied in 1 file; 0 errors and 1 warning remain"),
        "{err}"
    );
    // What remains is reported as `check` reports it: the unused repository.
    assert!(stdout(&output).contains("warning[E0204]"), "{}", stdout(&output));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(dir.join("a.cruddur")).unwrap(), FIXED);
    let leftovers: Vec<_> = std::fs::read_dir(&*dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no staging file is left behind: {leftovers:?}");
    // Nothing left to fix: a second run changes nothing.
    let again = cruddur(&["check", "--fix", dir.to_str().unwrap(), "--deny", "warnings"]);
    assert!(stderr(&again).contains("0 fixes applied in 0 files; 0 errors and 1 warning remain"));
    assert_eq!(again.status.code(), Some(1), "the warning is denied");
}

#[test]
fn check_fix_dry_run_prints_a_diff_and_writes_nothing() {
    let dir = temp_dir("fix-dry-run");
    std::fs::write(dir.join("a.cruddur"), FIXABLE).unwrap();
    let output = cruddur(&["check", "--fix", "--dry-run", dir.to_str().unwrap()]);
    let diff = stdout(&output);
    // A path outside the working folder is named as it is (`patch -p0`).
    let name = dir.join("a.cruddur").display().to_string();
    assert!(diff.starts_with(&format!("--- {name}\n+++ {name}\n")), "{diff}");
    assert!(
        diff.contains("@@ -1,5 +1,5 @@\n repository images {\n-  name: \"images\"\n+  name = \"images\"\n"),
        "{diff}"
    );
    assert!(diff.contains("-  tag_mutability: \"immutable\"\n+  tag_mutability = immutable\n"));
    assert!(stderr(&output).contains("would fix"));
    assert!(
        stderr(&output).contains("3 fixes to apply in 1 file; 0 errors and 1 warning would remain"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("a.cruddur")).unwrap(),
        FIXABLE,
        "nothing written"
    );
    assert_eq!(output.status.code(), Some(1), "the file as it is has errors");
    let usage = cruddur(&["check", "--dry-run", dir.to_str().unwrap()]);
    assert_eq!(usage.status.code(), Some(2), "--dry-run goes with --fix");
}

#[test]
fn check_fix_says_why_it_leaves_a_fix_out() {
    let dir = temp_dir("fix-refused");
    // The push grant would name a repository that has no name yet.
    let text = "repository repo {\n}\nrole r {\n  trust = [codebuild]\n}\nproject bake {\n  name = \"bake\"\n  environment {\n    image = standard(\"7.0\")\n  }\n  pushes = [repo]\n  role = r\n}\n";
    std::fs::write(dir.join("a.cruddur"), text).unwrap();
    let output = cruddur(&["check", "--fix", dir.to_str().unwrap(), "--format", "short"]);
    let err = stderr(&output);
    assert!(err.contains("E0402 allow them: it would add E0406"), "{err}");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn check_fix_changes_only_the_files_named() {
    let dir = temp_dir("fix-named");
    std::fs::write(dir.join("cruddur.toml"), "").unwrap();
    let broken = "repository images {\n  name: \"images\"\n}\n";
    std::fs::write(dir.join("a.cruddur"), broken).unwrap();
    std::fs::write(dir.join("b.cruddur"), broken.replace("images", "other")).unwrap();
    let output = cruddur(&["check", "--fix", dir.join("a.cruddur").to_str().unwrap()]);
    assert!(
        stderr(&output).contains("1 fix applied in 1 file"),
        "{}",
        stderr(&output)
    );
    assert_ne!(std::fs::read_to_string(dir.join("a.cruddur")).unwrap(), broken);
    assert_eq!(
        std::fs::read_to_string(dir.join("b.cruddur")).unwrap(),
        broken.replace("images", "other"),
        "the program's other file is reported, not changed"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn check_fix_leaves_what_it_cannot_fix_and_exits_one() {
    let dir = temp_dir("fix-errors");
    let text = "project p {\n  name = \"pp\"\n  environment { image = standard(\"7.0\") }\n  pushes = [nowhere]\n}\n";
    std::fs::write(dir.join("a.cruddur"), text).unwrap();
    let output = cruddur(&["check", "--fix", dir.to_str().unwrap(), "--format", "short"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("error[E0202]: no repository named `nowhere`"));
    assert_eq!(std::fs::read_to_string(dir.join("a.cruddur")).unwrap(), text);
}

#[test]
fn a_folder_walk_survives_link_loops_and_skips_hidden_folders() {
    let dir = temp_dir("links");
    std::fs::write(dir.join("ci.cruddur"), "param region {\n  default = \"us-east-1\"\n}\n").unwrap();
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/more.cruddur"), "param other {\n  default = \"x\"\n}\n").unwrap();
    // A link back to an ancestor, as `/usr/bin/X11 -> .`: walked once, not forever.
    std::os::unix::fs::symlink(&*dir, dir.join("sub/loop")).unwrap();
    // What a hidden folder or node_modules holds is not the user's pipeline.
    for hidden in [".git", "node_modules"] {
        std::fs::create_dir_all(dir.join(hidden)).unwrap();
        std::fs::write(dir.join(hidden).join("broken.cruddur"), "project {").unwrap();
    }
    let output = cruddur(&["check", dir.to_str().unwrap(), "--format", "short"]);
    assert_eq!(stderr(&output), "");
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn a_parameter_without_a_value_is_one_error_not_two() {
    // The empty value of a missing parameter is not also judged as an account id or an ARN.
    let out = temp_dir("missing-param");
    let output = cruddur(&[
        "build",
        "examples/01-minimal.cruddur",
        "--out",
        out.join("build").to_str().unwrap(),
        "--format",
        "short",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let codes: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_once("error[").map(|(_, rest)| &rest[..5]))
        .collect();
    assert_eq!(codes, ["E0601", "E0601"], "{text}");
    assert!(!out.join("build").exists());
}

/// A connection the stack creates has no ARN until it exists: the template is built without
/// one (and without any `--param`), the CLI definitions, which name it, are not.
#[test]
fn each_form_is_built_with_the_values_it_needs() {
    let dir = temp_dir("forms");
    let source = dir.join("stack.cruddur");
    std::fs::write(
        &source,
        "param account_id\naws {\n  account = account_id\n  region  = \"us-east-1\"\n}\nconnection gh {\n  name     = \"my-github\"\n  provider = GitHub\n}\nproject test {\n  name = \"test\"\n  environment {\n    image = amazonlinux_standard(\"5.0\")\n  }\n  phase build {\n    run \"make test\"\n  }\n}\npipeline p {\n  name = \"p\"\n  stage Source {\n    action Code = github(gh) {\n      repo   = \"org/app\"\n      branch = \"main\"\n      output Code\n    }\n  }\n  stage Test {\n    action Unit = codebuild_test(test) {\n      input Code\n    }\n  }\n}\n",
    )
    .unwrap();
    let out = dir.join("out");
    let (source, out_arg) = (source.to_str().unwrap(), out.to_str().unwrap());
    let both = cruddur(&["build", source, "--out", out_arg, "--param", "account_id=123456789012"]);
    assert_eq!(both.status.code(), Some(1));
    assert!(
        stdout(&both).contains("connection `gh` has no ARN for the CLI definitions"),
        "{}",
        stdout(&both)
    );
    assert!(stdout(&both).contains("--form cloudformation"), "{}", stdout(&both));
    assert!(!out.exists(), "nothing is written when a form fails");
    let template = cruddur(&["build", source, "--out", out_arg, "--form", "cloudformation"]);
    assert_eq!(template.status.code(), Some(0), "{}", stderr(&template));
    let written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        written.contains(&"cloudformation".to_string()) && !written.contains(&"codepipeline".to_string()),
        "{written:?}"
    );
    let text = std::fs::read_to_string(out.join("cloudformation/p.json")).unwrap();
    assert!(
        text.contains("AWS::CodeStarConnections::Connection"),
        "the stack creates the connection"
    );
    let cli = cruddur(&[
        "build",
        source,
        "--out",
        out_arg,
        "--form",
        "cli",
        "--param",
        "account_id=123456789012",
    ]);
    assert_eq!(
        cli.status.code(),
        Some(1),
        "the CLI form still needs the connection's ARN"
    );
}

/// Keys and roles a `param` gives are judged once the values are known: a key alias, a role's
/// ARN that is not one, and a cross-account deploy whose artifacts have no customer managed key.
#[test]
fn build_judges_keys_and_roles_given_by_parameters() {
    let dir = temp_dir("rendered-values");
    let build = |file: &str, params: &[&str]| {
        let out = dir.join("out");
        let out = out.to_str().unwrap().to_string();
        let mut args = vec!["build", file, "--out", &out, "--form", "cli"];
        for param in params {
            args.extend(["--param", param]);
        }
        cruddur(&args)
    };
    let base = [
        "account_id=123456789012",
        "connection_arn=arn:aws:codeconnections:us-east-1:123456789012:connection/0123abcd-0000-4000-8000-000000000000",
        "staging_account=111122223333",
        "production_account=444455556666",
    ];
    let example = "examples/11-cross-account-deploy.cruddur";
    let alias = build(example, &[&base[..], &["artifact_key_arn=alias/pipeline"]].concat());
    assert_eq!(alias.status.code(), Some(1), "{}", stderr(&alias));
    assert!(stdout(&alias).contains("E0333"), "{}", stdout(&alias));

    let bad_account = build(
        example,
        &[
            &base[..2],
            &["staging_account=2222", "production_account=444455556666"],
            &["artifact_key_arn=arn:aws:kms:us-east-1:123456789012:key/0123abcd-0000-4000-8000-000000000001"],
        ]
        .concat(),
    );
    assert_eq!(bad_account.status.code(), Some(1), "{}", stderr(&bad_account));
    assert!(
        stdout(&bad_account).contains("not an IAM role ARN"),
        "{}",
        stdout(&bad_account)
    );

    // The example without its key: the accounts come from parameters, so `build` finds it.
    let source = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(example)).unwrap();
    let keyless = dir.join("keyless.cruddur");
    std::fs::write(&keyless, source.replace("  artifact_key = artifact_key_arn\n", "")).unwrap();
    let keyless = build(
        keyless.to_str().unwrap(),
        &[
            &base[..],
            &["artifact_key_arn=arn:aws:kms:us-east-1:123456789012:key/x"],
        ]
        .concat(),
    );
    assert_eq!(keyless.status.code(), Some(1), "{}", stderr(&keyless));
    assert!(stdout(&keyless).contains("E0335"), "{}", stdout(&keyless));
    assert!(!dir.join("out").exists());
}

/// A container named through a parameter is judged once its value is known: an image for a
/// container the service does not run fails the build, and nothing is written.
#[test]
fn build_judges_containers_given_by_parameters() {
    let dir = temp_dir("rendered-containers");
    let file = dir.join("web.cruddur");
    std::fs::write(
        &file,
        r#"aws {
  account = "123456789012"
  region  = "us-east-1"
}
param proxy = "envoy"
service web {
  cluster    = "main"
  name       = "web"
  containers = ["app", proxy]
}
project bake {
  name = "bake"
  environment {
    image = amazonlinux_standard("5.0")
  }
  output image_definitions(web, container("app", image = "example/app:1"), container("nginx", image = "example/nginx:1"))
}
"#,
    )
    .unwrap();
    let out = dir.join("out");
    let build = |param: &str| {
        cruddur(&[
            "build",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--form",
            "cli",
            "--param",
            param,
        ])
    };
    let envoy = build("proxy=envoy");
    assert_eq!(envoy.status.code(), Some(1), "{}", stderr(&envoy));
    assert!(
        stdout(&envoy).contains("service `web` has no container `nginx`")
            && stdout(&envoy).contains("service `web` runs `app`, `envoy`"),
        "{}",
        stdout(&envoy)
    );
    assert!(!out.exists());
    // A value that would break the JSON the build writes is refused once known: here the
    // service's only container, written for `image = …`.
    let single = dir.join("single.cruddur");
    std::fs::write(
        &single,
        std::fs::read_to_string(&file)
            .unwrap()
            .replace("containers = [\"app\", proxy]", "container  = proxy")
            .replace(
                "container(\"app\", image = \"example/app:1\"), container(\"nginx\", image = \"example/nginx:1\")",
                "image = \"example/app:1\"",
            ),
    )
    .unwrap();
    let quoted = cruddur(&[
        "build",
        single.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--form",
        "cli",
        "--param",
        "proxy=ng\"inx",
    ]);
    assert_eq!(quoted.status.code(), Some(1), "{}", stderr(&quoted));
    assert!(
        stdout(&quoted).contains("would break imagedefinitions.json"),
        "{}",
        stdout(&quoted)
    );
    assert!(!out.exists());
    let nginx = build("proxy=nginx");
    assert_eq!(nginx.status.code(), Some(0), "{}{}", stdout(&nginx), stderr(&nginx));
    let buildspec = std::fs::read_to_string(out.join("buildspec/bake.yml")).unwrap();
    assert!(
        buildspec.contains("'app' \"example/app:1\" 'nginx' \"example/nginx:1\""),
        "{buildspec}"
    );
}

/// `cruddur init` writes every template with the values given, and what it writes checks
/// clean with warnings denied; it refuses to overwrite and to take malformed values, writing
/// nothing then.
#[test]
fn init_writes_each_template_filled_in_and_checking_clean() {
    let dir = temp_dir("init");
    let list = cruddur(&["init", "--list"]);
    assert_eq!(list.status.code(), Some(0), "{}", stderr(&list));
    let names: Vec<String> = stdout(&list)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert!(names.len() >= 12, "{names:?}");
    for name in &names {
        let program = dir.join(name).join("pipeline.cruddur");
        let program = program.to_str().unwrap();
        let values = ["--repo", "acme/shop", "--branch", "release", "--region", "eu-west-1"];
        let init = cruddur(&[&["init", "--template", name, program][..], &values].concat());
        assert_eq!(init.status.code(), Some(0), "{name}: {}", stderr(&init));
        assert!(stdout(&init).contains("cruddur check"), "{name}: {}", stdout(&init));
        let text = std::fs::read_to_string(program).unwrap();
        for value in ["\"acme/shop\"", "\"release\"", "\"eu-west-1\""] {
            assert!(text.contains(value), "{name}: {value} not written into the program");
        }
        let folder = dir.join(name);
        let target = if folder.join("cruddur.toml").is_file() {
            folder.to_str().unwrap().to_string()
        } else {
            program.to_string()
        };
        let check = cruddur(&["check", &target, "--deny", "warnings"]);
        assert_eq!(
            check.status.code(),
            Some(0),
            "{name}: {}{}",
            stdout(&check),
            stderr(&check)
        );
    }

    let again = cruddur(&[
        "init",
        "--template",
        "fargate",
        dir.join("fargate/pipeline.cruddur").to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("exists already; nothing written"),
        "{}",
        stderr(&again)
    );
    assert!(std::fs::read_to_string(dir.join("fargate/pipeline.cruddur"))
        .unwrap()
        .contains("acme/shop"));

    let fresh = dir.join("bad/pipeline.cruddur");
    let bad = cruddur(&["init", "--repo", "acme", fresh.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("is not OWNER/NAME"), "{}", stderr(&bad));
    let unknown = cruddur(&["init", "--template", "fargat", fresh.to_str().unwrap()]);
    assert_eq!(unknown.status.code(), Some(2), "{}", stderr(&unknown));
    assert!(
        stderr(&unknown).contains("did you mean `fargate`?"),
        "{}",
        stderr(&unknown)
    );
    let text_file = cruddur(&["init", dir.join("bad/notes.txt").to_str().unwrap()]);
    assert_eq!(text_file.status.code(), Some(2), "{}", stderr(&text_file));
    assert!(!fresh.exists() && !dir.join("bad/notes.txt").exists());

    // A folder: the program is written into it.
    std::fs::create_dir_all(dir.join("repo")).unwrap();
    let folder = cruddur(&["init", "--template", "blue-green", dir.join("repo").to_str().unwrap()]);
    assert_eq!(folder.status.code(), Some(0), "{}", stderr(&folder));
    assert!(dir.join("repo/pipeline.cruddur").is_file() && dir.join("repo/taskdef.json").is_file());
    assert!(stdout(&folder).contains("taskdef.json"), "{}", stdout(&folder));

    // A file that is not a program is refused by check, not parsed.
    let readme = cruddur(&["check", "examples/README.md"]);
    assert_eq!(readme.status.code(), Some(2), "{}", stderr(&readme));
    assert!(
        stderr(&readme).contains("is not a .cruddur file"),
        "{}",
        stderr(&readme)
    );
}

/// Found by fuzzing: a region that read itself made `build` recurse until the stack ran out.
#[test]
fn build_of_an_aws_value_that_reads_itself_reports_it() {
    let dir = temp_dir("aws-self");
    let program = dir.join("main.cruddur");
    std::fs::write(
        &program,
        "aws {\n  account = \"123456789012\"\n  region  = \"${{ aws.region }}\"\n}\nrepository repo {\n  name           = \"app\"\n  scan_on_push   = true\n  tag_mutability = immutable\n}\n",
    )
    .unwrap();
    let out = dir.join("out");
    let output = cruddur(&[
        "build",
        program.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "short",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stdout(&output).contains("error[E0213]"), "{}", stdout(&output));
    assert!(!out.exists());
}

/// The OWASP review of the seed pipeline, as a reviewer reads it (BLESS=1 rewrites it).
#[test]
fn check_format_owasp_reviews_each_pipeline_and_project() {
    let output = cruddur(&[
        "check",
        "--format",
        "owasp",
        "examples/02-cruddur-backend-fargate.cruddur",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let review = stdout(&output);
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/owasp/02-cruddur-backend-fargate.md");
    if std::env::var_os("BLESS").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &review).unwrap();
    }
    assert_eq!(review, std::fs::read_to_string(&golden).unwrap());
}

#[test]
fn the_owasp_review_puts_each_finding_under_its_item_and_risks() {
    let output = cruddur(&["check", "--format", "owasp", "tests/ui/security-webhook-access.cruddur"]);
    // Errors fail the check, whatever the format.
    assert_eq!(output.status.code(), Some(1));
    let review = stdout(&output);
    let section = |title: &str| {
        let start = review
            .find(&format!("## {title}"))
            .unwrap_or_else(|| panic!("no section {title}"));
        let rest = &review[start + 3..];
        rest[..rest.find("\n## ").unwrap_or(rest.len())].to_string()
    };
    let open_door = section("Project `open_door`");
    assert!(
        open_door.contains("| CICD-SEC-4 Poisoned Pipeline Execution (PPE) | 1 | — | S0018, S0019 |"),
        "{open_door}"
    );
    assert!(open_door
        .contains("**CICD-SEC-4, CICD-SEC-5** S0019 warning at `tests/ui/security-webhook-access.cruddur:66:47`"));
    let trusted = section("Project `trusted_pushers`");
    assert!(
        trusted.contains("| CICD-SEC-4 Poisoned Pipeline Execution (PPE) | — | — | S0018, S0019 |"),
        "{trusted}"
    );
    assert!(!trusted.contains("S0019 warning"));
    // Every risk says what the program cannot show.
    let unseen = section("What the program cannot show");
    for number in 1..=10 {
        assert!(unseen.contains(&format!("- **CICD-SEC-{number}** ")), "{unseen}");
    }
    let readers = section("Project `readers_approve`");
    assert!(readers.contains("S0019 warning"), "{readers}");
    // What else fails the check is on stderr, one line each.
    assert!(
        stderr(&output).contains("error[E0524]: `octocat` is not a GitHub account id"),
        "{}",
        stderr(&output)
    );
    assert!(review.contains("**The program does not check: "), "{review}");
    // A finding in a stage template is the pipeline's whose stage is made from it.
    let templated = stdout(&cruddur(&[
        "check",
        "--format",
        "owasp",
        "tests/ui/template-definitions.cruddur",
    ]));
    assert!(
        templated.contains("| CICD-SEC-1 Insufficient Flow Control Mechanisms | 1 | — | S0009, S0020 |"),
        "{templated}"
    );
    // A pipeline that deploys what pull requests bring is found under flow control and PPE.
    let unreviewed = stdout(&cruddur(&[
        "check",
        "--format",
        "owasp",
        "tests/ui/security-unreviewed-code-deployed.cruddur",
    ]));
    let pr_deploy = &unreviewed[unreviewed.find("## Pipeline `pr_deploy`").unwrap()..];
    let pr_deploy = &pr_deploy[..pr_deploy[3..].find("\n## ").unwrap()];
    for row in [
        "| CICD-SEC-1 Insufficient Flow Control Mechanisms | 1 | — | S0009, S0020 |",
        "| CICD-SEC-4 Poisoned Pipeline Execution (PPE) | 1 | — | S0020 |",
    ] {
        assert!(pr_deploy.contains(row), "{pr_deploy}");
    }
    // Waived findings are counted apart, with their reason.
    let waived = stdout(&cruddur(&[
        "check",
        "--format",
        "owasp",
        "tests/ui/security-wildcards-and-waivers.cruddur",
    ]));
    assert!(waived.contains(" waived ("), "{waived}");
}

#[test]
fn the_owasp_review_is_for_check_only() {
    for args in [
        &[
            "build",
            "--out",
            "target/owasp-refused",
            "--format",
            "owasp",
            "examples/01-minimal.cruddur",
        ][..],
        &["check", "--fix", "--format", "owasp", "examples/01-minimal.cruddur"][..],
    ] {
        let output = cruddur(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains("`--format owasp` is a review written by `cruddur check`"));
    }
    assert!(!Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/owasp-refused")
        .exists());
}

#[test]
fn import_writes_a_new_program_that_checks_and_lists_its_remarks() {
    let dir = temp_dir("import");
    let out = dir.join("ci.cruddur");
    let out_arg = out.to_str().unwrap();
    let input = "tests/import/buildspec/kitchen-sink.yml";
    let output = cruddur(&["import", input, "-o", out_arg, "--color", "never"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let said = stderr(&output);
    assert!(
        said.contains("kitchen-sink.yml:18:1: kept as a comment: `proxy`"),
        "{said}"
    );
    assert!(said.contains("moved out: `DB_PASSWORD`"), "{said}");
    assert!(
        said.contains("to do: its commands call AWS (`aws sns publish` (sns:Publish))"),
        "{said}"
    );
    assert!(
        said.contains(&format!("wrote {out_arg} from 1 file; it checks with")),
        "{said}"
    );
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(!written.contains("hunter2"), "a secret was copied");
    assert!(!written.contains("111122223333."), "an account id was copied");
    // The file it wrote is what it prints, and it checks.
    let printed = cruddur(&["import", input]);
    assert_eq!(stdout(&printed), written);
    let check = cruddur(&["check", out_arg]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    // An existing file is never replaced.
    let again = cruddur(&["import", input, "-o", out_arg]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("exists; import writes a new file only"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), written);
}

#[test]
fn import_of_a_file_it_cannot_read_writes_nothing() {
    let dir = temp_dir("import-bad");
    let input = dir.join("template.yml");
    std::fs::write(&input, "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n").unwrap();
    let out = dir.join("out.cruddur");
    let output = cruddur(&[
        "import",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--color",
        "never",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("[E0530]"), "{}", stderr(&output));
    assert!(stderr(&output).contains("nothing was written"));
    assert!(!out.exists());
    let missing = cruddur(&["import", "no/such/buildspec.yml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read `no/such/buildspec.yml`"));
}

#[test]
fn import_reads_standard_input_and_refuses_a_folder() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cruddur"))
        .args(["import", "-"])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"version: 0.2\nphases:\n  build:\n    commands:\n      - make test\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("run \"make test\""), "{}", stdout(&output));
    let folder = cruddur(&["import", "tests/import"]);
    assert_eq!(folder.status.code(), Some(2));
    assert!(stderr(&folder).contains("is a folder: name the files to import"));
}

/// `--changed-since REF`: only the programs that read a changed file (a source, a buildspec it
/// names, its `cruddur.toml`, a file not yet added) are checked and reported.
#[test]
fn changed_since_checks_only_the_programs_that_read_a_changed_file() {
    let dir = temp_dir("changed-since");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let copy = |from: &str, to: &str| {
        let to = dir.join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root.join(from), to).unwrap();
    };
    copy("examples/01-minimal.cruddur", "a.cruddur");
    copy("examples/06-static-site.cruddur", "c.cruddur");
    let folder = "examples/08-buildspec-in-the-repository";
    copy(&format!("{folder}/pipeline.cruddur"), "b/pipeline.cruddur");
    copy(&format!("{folder}/cruddur.toml"), "b/cruddur.toml");
    copy(
        &format!("{folder}/backend-flask/buildspec.yml"),
        "b/backend-flask/buildspec.yml",
    );
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(["-c", "user.email=ci@example.com", "-c", "user.name=ci"])
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "programs"]);
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_cruddur"))
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        (output.status.code(), stdout(&output), stderr(&output))
    };
    let (status, _, said) = run(&["check", ".", "--changed-since", "HEAD"]);
    assert_eq!(status, Some(0));
    assert!(said.contains("0 of 3 programs read a changed file"), "{said}");

    // A buildspec the folder's program reads, broken: that program alone is checked.
    let buildspec = dir.join("b/backend-flask/buildspec.yml");
    let text = std::fs::read_to_string(&buildspec).unwrap();
    std::fs::write(&buildspec, text.replace("$IMAGE_URI", "$IMAGE_URL")).unwrap();
    // A new file not added yet, and a program changed but clean.
    std::fs::write(dir.join("d.cruddur"), "project d {\n  name =\n}\n").unwrap();
    let a = std::fs::read_to_string(dir.join("a.cruddur")).unwrap();
    std::fs::write(dir.join("a.cruddur"), format!("// changed\n{a}")).unwrap();
    let (status, out, said) = run(&["check", ".", "--changed-since", "HEAD", "--format", "short"]);
    assert_eq!(status, Some(1), "{out}{said}");
    assert!(said.contains("3 of 4 programs read a changed file"), "{said}");
    assert!(
        out.contains("b/backend-flask/buildspec.yml:") && out.contains("d.cruddur:"),
        "{out}"
    );
    // The JUnit report lists the files checked, and only those.
    let (_, junit, _) = run(&["check", ".", "--changed-since", "HEAD", "--format", "junit"]);
    assert!(junit.contains(r#"<testsuite name="./a.cruddur""#), "{junit}");
    assert!(!junit.contains("c.cruddur"), "{junit}");

    // A ref git does not know: a usage error, with git's words.
    let (status, _, said) = run(&["check", ".", "--changed-since", "no-such-ref"]);
    assert_eq!(status, Some(2));
    assert!(
        said.contains("--changed-since no-such-ref:") && said.contains("no-such-ref"),
        "{said}"
    );
}

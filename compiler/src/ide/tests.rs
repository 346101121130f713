//! Editor features against fixtures: source text with a `$0` cursor marker, several files
//! separated by `//- /path` lines (they form one program, with a `cruddur.toml`).

use super::*;
use crate::diagnostics::{Edit, FileId};
use crate::workspace::{MemoryFs, Workspace};
use crate::Analysis;
use std::path::Path;
use std::sync::Arc;

struct Fixture {
    ws: Workspace,
    analysis: Arc<Analysis>,
    file: FileId,
    offset: usize,
}

impl Fixture {
    fn new(text: &str) -> Fixture {
        let fs = MemoryFs::new();
        let mut cursor = None;
        let mut files: Vec<(String, String)> = Vec::new();
        if text.starts_with("//- ") {
            for chunk in text.split("//- ").filter(|c| !c.is_empty()) {
                let (path, body) = chunk.split_once('\n').unwrap();
                files.push((path.trim().to_string(), body.to_string()));
            }
            fs.insert("/w/cruddur.toml", "");
        } else {
            files.push(("/w/main.cruddur".to_string(), text.to_string()));
        }
        for (path, body) in &mut files {
            if let Some(at) = body.find("$0") {
                body.replace_range(at..at + 2, "");
                cursor = Some((path.clone(), at));
            }
            fs.insert(path.as_str(), body.as_str());
        }
        let (path, offset) = cursor.expect("a `$0` marker");
        let mut ws = Workspace::new(fs);
        ws.add_folder(Path::new("/w"));
        let file = ws.file(Path::new(&path)).unwrap();
        let analysis = ws.analysis_of(file).unwrap();
        Fixture {
            ws,
            analysis,
            file,
            offset,
        }
    }

    fn source(&self) -> &str {
        self.ws.sources().source(self.file)
    }

    /// `file:line:text` of a place, for readable assertions.
    fn show(&self, loc: &crate::resolve::model::Loc) -> String {
        let text = &self.ws.sources().source(loc.file)[loc.span.clone()];
        let line = self.ws.sources().line_col(loc.file, loc.span.start).line;
        format!("{}:{line}:{text}", self.ws.path(loc.file).display())
    }

    fn definition(&self) -> Option<String> {
        definition(&self.analysis, self.ws.sources(), self.file, self.offset).map(|l| self.show(&l))
    }

    fn references(&self, with_definition: bool) -> Vec<String> {
        references(
            &self.analysis,
            self.ws.sources(),
            self.file,
            self.offset,
            with_definition,
        )
        .iter()
        .map(|l| self.show(l))
        .collect()
    }

    fn rename(&self, to: &str) -> Result<Vec<(String, String)>, String> {
        let edits = rename(&self.analysis, self.ws.sources(), self.file, self.offset, to)?;
        let mut by_file: Vec<(String, String)> = Vec::new();
        let mut files: Vec<FileId> = edits.iter().map(|e| e.file).collect();
        files.dedup();
        for file in files {
            let mut text = self.ws.sources().source(file).to_string();
            let mut mine: Vec<&Edit> = edits.iter().filter(|e| e.file == file).collect();
            mine.sort_by_key(|e| std::cmp::Reverse(e.span.start));
            for edit in mine {
                text.replace_range(edit.span.clone(), &edit.replacement);
            }
            by_file.push((self.ws.path(file).display().to_string(), text));
        }
        Ok(by_file)
    }

    fn hover(&self) -> String {
        hover(&self.analysis, self.ws.sources(), self.file, self.offset)
            .map(|h| h.markdown)
            .unwrap_or_default()
    }

    fn completions(&self) -> Vec<Completion> {
        completions(&self.analysis, self.source(), self.file, self.offset)
    }

    fn labels(&self) -> Vec<String> {
        self.completions().into_iter().map(|c| c.label).collect()
    }
}

const SEED: &str = r#"
param account_id
aws {
  account = account_id
  region  = "us-east-1"
}
connection github_conn {
  name     = "gh"
  provider = GitHub
}
repository backend_flask {
  name           = "backend-flask"
  scan_on_push   = true
  tag_mutability = immutable
}
service backend {
  cluster   = "cruddur"
  name      = "backend-flask"
  container = "backend-flask"
}
let tag = "${{ backend_flask.uri }}:$CODEBUILD_RESOLVED_SOURCE_VERSION"
project bake {
  name = "bake-image"
  environment {
    image      = amazonlinux_standard("5.0")
    compute    = small
    privileged = true
  }
  pushes = [backend_flask]
  phase pre_build {
    run ecr_login(backend_flask)
  }
  phase build {
    run "docker build -t ${{ tag }} . && docker push ${{ tag }}"
  }
  output image_definitions(backend, image = tag)
}
pipeline backend_fargate {
  name = "backend-fargate"
  stage Source {
    action Source = github(github_conn) {
      repo   = "o/r"
      branch = "prod"
      output SourceArtifact
    }
  }
  stage Build {
    action Bake = codebuild(bake) {
      input SourceArtifact
      primary_source = "SourceArtifact"
      output Images
    }
  }
  stage Deploy {
    action Deploy = ecs(backend) {
      input Images
    }
  }
}
"#;

/// The seed with the cursor at the `n`th occurrence of `needle` (0-based), `at` bytes in.
fn seed_at(needle: &str, n: usize, at: usize) -> Fixture {
    let start = SEED
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("{needle} #{n}"))
        .0
        + at;
    Fixture::new(&format!("{}$0{}", &SEED[..start], &SEED[start..]))
}

#[test]
fn the_seed_fixture_checks_clean() {
    let fixture = seed_at("param", 0, 0);
    let errors: Vec<_> = fixture.analysis.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn definition_of_references_fields_parameters_lets_and_artifacts() {
    assert_eq!(
        seed_at("[backend_flask]", 0, 3).definition().as_deref(),
        Some("/w/main.cruddur:11:backend_flask")
    );
    // The item of a field, inside a string.
    assert_eq!(
        seed_at("${{ backend_flask.uri", 0, 6).definition().as_deref(),
        Some("/w/main.cruddur:11:backend_flask")
    );
    assert_eq!(
        seed_at("= account_id", 0, 4).definition().as_deref(),
        Some("/w/main.cruddur:2:account_id")
    );
    assert_eq!(
        seed_at("${{ tag }}", 0, 5).definition().as_deref(),
        Some("/w/main.cruddur:21:tag")
    );
    assert_eq!(
        seed_at("image = tag", 0, 9).definition().as_deref(),
        Some("/w/main.cruddur:21:tag")
    );
    assert_eq!(
        seed_at("input SourceArtifact", 0, 8).definition().as_deref(),
        Some("/w/main.cruddur:44:SourceArtifact")
    );
    // A definition is its own definition; a member name has none.
    assert_eq!(
        seed_at("project bake", 0, 9).definition().as_deref(),
        Some("/w/main.cruddur:22:bake")
    );
    assert_eq!(seed_at("compute", 0, 2).definition(), None);
}

#[test]
fn definition_across_the_files_of_a_program() {
    let fixture = Fixture::new(
        "//- /w/repos.cruddur\nrepository r {\n  name = \"rr\"\n}\n//- /w/build.cruddur\nlet image = \"${{ r$0.uri }}\"\n",
    );
    assert_eq!(fixture.definition().as_deref(), Some("/w/repos.cruddur:1:r"));
    assert_eq!(
        fixture.references(true),
        ["/w/build.cruddur:1:r", "/w/repos.cruddur:1:r"]
    );
}

#[test]
fn references_are_where_they_are_written_once() {
    let fixture = seed_at("repository backend_flask", 0, 12);
    assert_eq!(
        fixture.references(true),
        [
            "/w/main.cruddur:11:backend_flask",
            // Inside the `let`, where it is written: not again where the `let` is used.
            "/w/main.cruddur:21:backend_flask",
            "/w/main.cruddur:29:backend_flask",
            "/w/main.cruddur:31:backend_flask",
        ]
    );
    assert_eq!(fixture.references(false).len(), 3);
    let tag = seed_at("let tag", 0, 5);
    assert_eq!(
        tag.references(false),
        [
            "/w/main.cruddur:34:tag",
            "/w/main.cruddur:34:tag",
            "/w/main.cruddur:36:tag"
        ]
    );
}

#[test]
fn artifact_references_include_settings_that_name_them() {
    let fixture = seed_at("output SourceArtifact", 0, 9);
    assert_eq!(
        fixture.references(true),
        [
            "/w/main.cruddur:44:SourceArtifact",
            "/w/main.cruddur:49:SourceArtifact",
            "/w/main.cruddur:50:SourceArtifact",
        ]
    );
}

#[test]
fn rename_changes_every_place_and_nothing_else() {
    let renamed = seed_at("repository backend_flask", 0, 12).rename("api_image").unwrap();
    let text = &renamed[0].1;
    assert!(text.contains("repository api_image {"));
    assert!(text.contains("\"${{ api_image.uri }}:$CODEBUILD_RESOLVED_SOURCE_VERSION\""));
    assert!(text.contains("pushes = [api_image]"));
    assert!(text.contains("run ecr_login(api_image)"));
    assert!(
        text.contains("name           = \"backend-flask\""),
        "the AWS name stays"
    );
    // The renamed program still checks clean.
    let fixture = Fixture::new(&format!("{}$0", text));
    assert!(fixture.analysis.diagnostics.iter().all(|d| !d.is_error()));
}

#[test]
fn rename_of_an_artifact_reaches_inputs_and_settings() {
    let renamed = seed_at("input SourceArtifact", 0, 8).rename("Code").unwrap();
    let text = &renamed[0].1;
    assert!(
        text.contains("output Code\n") && text.contains("input Code\n") && text.contains("primary_source = \"Code\"")
    );
    assert!(!text.contains("SourceArtifact"));
}

#[test]
fn rename_refuses_what_would_break_the_program() {
    let repo = seed_at("repository backend_flask", 0, 12);
    assert!(repo.rename("9lives").unwrap_err().contains("not a name"));
    assert!(repo.rename("api-image").unwrap_err().contains("not a name"));
    assert!(repo.rename("true").unwrap_err().contains("boolean"));
    assert!(repo.rename("aws").unwrap_err().contains("aws"));
    let taken = repo.rename("backend").unwrap_err();
    assert!(taken.contains("already the name of a service"), "{taken}");
    assert_eq!(
        repo.rename("backend_flask").unwrap(),
        Vec::new(),
        "same name: nothing to do"
    );
    let artifact = seed_at("input SourceArtifact", 0, 8);
    assert!(artifact
        .rename("Images")
        .unwrap_err()
        .contains("already has an artifact"));
    assert!(seed_at("compute", 0, 2)
        .rename("x")
        .unwrap_err()
        .contains("word of the language"));
    assert!(seed_at("= small", 0, 3)
        .rename("x")
        .unwrap_err()
        .contains("value of the language"));
    assert!(seed_at(".uri", 0, 2).rename("x").unwrap_err().contains("field"));
}

#[test]
fn rename_of_a_quoted_label_writes_a_name() {
    // The label is written as a string; the item's name is `unit_tests`.
    let fixture = Fixture::new(
        "project \"unit-tests\" {\n  name = \"unit-tests\"\n  environment { image = standard(\"7.0\") }\n}\npipeline p {\n  name = \"p\"\n  stage S {\n    action A = github(c) { output X }\n  }\n  stage B {\n    action B = codebuild(unit_tests$0) { input X }\n  }\n}\n",
    );
    let renamed = fixture.rename("unit").unwrap();
    let text = &renamed[0].1;
    assert!(text.starts_with("project unit {"), "{text}");
    assert!(text.contains("codebuild(unit)"));
    assert!(text.contains("name = \"unit-tests\""));
}

#[test]
fn prepare_rename_names_what_would_change() {
    let fixture = seed_at("pushes = [backend_flask]", 0, 12);
    let (loc, name) = prepare_rename(&fixture.analysis, fixture.ws.sources(), fixture.file, fixture.offset).unwrap();
    assert_eq!(name, "backend_flask");
    assert_eq!(&fixture.source()[loc.span], "backend_flask");
}

#[test]
fn hover_on_members_values_providers_settings_and_names() {
    let compute = seed_at("compute", 0, 3).hover();
    assert!(
        compute.contains("**`compute`**: property of `project.environment`"),
        "{compute}"
    );
    assert!(compute.contains("Values: `small`, `medium`"));
    assert!(compute.contains("Environment.ComputeType"));
    assert!(compute.contains("(https://docs.aws.amazon.com/AWSCloudFormation/"));
    let small = seed_at("= small", 0, 4).hover();
    assert!(
        small.contains("`small`** → `BUILD_GENERAL1_SMALL`: a compute size"),
        "{small}"
    );
    let codebuild = seed_at("codebuild(bake)", 0, 3).hover();
    assert!(codebuild.contains("Build / CodeBuild action") && codebuild.contains("Argument: a project"));
    assert!(codebuild.contains("action-reference-CodeBuild.html"));
    let repo = seed_at("repo   =", 0, 1).hover();
    assert!(
        repo.contains("setting of `github` actions → `FullRepositoryId` (required)"),
        "{repo}"
    );
    let item = seed_at("[backend_flask]", 0, 3).hover();
    assert!(
        item.contains("repository backend_flask") && item.contains("AWS name: `backend-flask`"),
        "{item}"
    );
    let field = seed_at(".uri", 0, 2).hover();
    assert!(field.contains("`backend_flask.uri`**: field of repository"), "{field}");
    let param = seed_at("= account_id", 0, 4).hover();
    assert!(param.contains("No default"), "{param}");
    let keyword = seed_at("project bake", 0, 2).hover();
    assert!(keyword.contains("**project** (item)") && keyword.contains("AWS::CodeBuild::Project"));
    let image = seed_at("amazonlinux_standard(", 0, 4).hover();
    assert!(image.contains("amazonlinux_standard(\"VERSION\")"), "{image}");
    let phase = seed_at("phase build", 0, 7).hover();
    assert!(phase.contains("a phase"), "{phase}");
}

#[test]
fn hover_on_artifacts_variables_and_iam_actions() {
    let artifact = seed_at("input Images", 0, 7).hover();
    assert!(
        artifact.contains("artifact `Images`** (ImageDefinitions)"),
        "{artifact}"
    );
    assert!(artifact.contains("Produced by action `Bake` (`codebuild`) in stage `Build`"));
    assert!(artifact.contains("Used by `Deploy` (stage `Deploy`)"));
    let variable = seed_at("$CODEBUILD_RESOLVED", 0, 3).hover();
    assert!(variable.contains("set by CodeBuild"), "{variable}");
    let fixture = Fixture::new(
        "role r {\n  trust = [codebuild]\n  allow {\n    actions = [\"ecr:GetAuth$0orizationToken\"]\n    resources = [\"*\"]\n  }\n}\n",
    );
    let iam = fixture.hover();
    assert!(
        iam.contains("ecr:GetAuthorizationToken") && iam.contains("no resource-level permission"),
        "{iam}"
    );
}

#[test]
fn document_symbols_nest_stages_actions_and_phases() {
    let fixture = seed_at("param", 0, 0);
    let symbols = document_symbols(fixture.analysis.ast(fixture.file).unwrap());
    let names: Vec<&str> = symbols.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "account_id",
            "aws",
            "github_conn",
            "backend_flask",
            "backend",
            "tag",
            "bake",
            "backend_fargate"
        ]
    );
    let pipeline = symbols.last().unwrap();
    let stages: Vec<&str> = pipeline.children.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(stages, ["Source", "Build", "Deploy"]);
    assert_eq!(pipeline.children[1].children[0].detail, "action: codebuild");
    let project = &symbols[6];
    assert_eq!(
        project.children.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["pre_build", "build"]
    );
}

#[test]
fn completion_of_items_and_members_not_yet_set() {
    assert!(Fixture::new("$0").labels().contains(&"project".to_string()));
    let labels = Fixture::new("pro$0").labels();
    assert_eq!(labels, ["project"]);
    let members = seed_at("  pushes = [backend_flask]", 0, 0).labels();
    assert!(members.contains(&"timeout".to_string()) && members.contains(&"phase".to_string()));
    assert!(!members.contains(&"name".to_string()), "`name` is set already");
    assert!(!members.contains(&"environment".to_string()), "so is `environment`");
    let environment = Fixture::new("project p {\n  environment {\n    image = standard(\"7.0\")\n    $0\n  }\n}\n");
    assert_eq!(
        environment.labels(),
        ["compute", "privileged", "type", "registry_credential"]
    );
    let snippet = &environment.completions()[0];
    assert_eq!((snippet.insert.as_str(), snippet.snippet), ("compute = $0", true));
}

#[test]
fn completion_of_values_by_type() {
    let compute = Fixture::new("project p {\n  environment {\n    compute = $0\n  }\n}\n");
    assert_eq!(compute.labels(), ["small", "medium", "large", "xlarge", "2xlarge"]);
    let quoted = compute
        .completions()
        .into_iter()
        .find(|c| c.label == "2xlarge")
        .unwrap();
    assert_eq!(quoted.insert, "\"2xlarge\"");
    let partial = Fixture::new("project p {\n  environment {\n    compute = me$0\n  }\n}\n");
    let completions = partial.completions();
    assert_eq!(completions.len(), 1);
    assert_eq!(completions[0].label, "medium");
    assert_eq!(&partial.source()[completions[0].replace.clone()], "me");
    let image = Fixture::new("project p {\n  environment {\n    image = $0\n  }\n}\n");
    assert_eq!(
        image.labels(),
        ["amazonlinux_standard", "amazonlinux_aarch64_standard", "standard"]
    );
    let versions = Fixture::new("project p {\n  environment {\n    image = standard($0)\n  }\n}\n").labels();
    assert!(versions.contains(&"7.0".to_string()), "{versions:?}");
    let boolean = Fixture::new("project p {\n  badge = $0\n}\n").labels();
    assert_eq!(boolean, ["true", "false"]);
    let labels = Fixture::new(&format!(
        "{}  phase $0\n{}",
        &SEED[..SEED.find("  phase build").unwrap()],
        &SEED[SEED.find("  phase build").unwrap()..]
    ))
    .labels();
    assert_eq!(
        labels,
        ["install", "post_build"],
        "pre_build and build are written already"
    );
}

#[test]
fn image_definitions_offer_a_container_per_image() {
    let service = "service web {\n  cluster = \"c\"\n  name = \"web\"\n  containers = [\"app\", \"proxy\"]\n}\n";
    let second = Fixture::new(&format!(
        "{service}project p {{\n  output image_definitions(web, $0)\n}}\n"
    ))
    .labels();
    assert!(second.contains(&"container".to_string()), "{second:?}");
    let first = Fixture::new(&format!("{service}project p {{\n  output image_definitions($0)\n}}\n")).labels();
    assert_eq!(first, ["web"], "the first argument is the service");
    let hover = Fixture::new(&format!(
        "{service}project p {{\n  output image_definitions(web, conta$0iner(\"app\", image = \"x\"))\n}}\n"
    ))
    .hover();
    assert!(hover.contains("the image one container of the service gets"), "{hover}");
}

#[test]
fn completion_of_items_of_the_kind_the_place_wants() {
    let pushes = Fixture::new(
        "repository a {\n  name = \"aa\"\n}\nservice s {\n  cluster = \"c\"\n  name = \"s\"\n  container = \"c\"\n}\nproject p {\n  pushes = [$0]\n}\n",
    );
    assert_eq!(pushes.labels(), ["a"]);
    let provider_argument = Fixture::new(
        "repository a {\n  name = \"aa\"\n}\nservice s {\n  cluster = \"c\"\n  name = \"s\"\n  container = \"c\"\n}\npipeline p {\n  stage D {\n    action D = ecs($0)\n  }\n}\n",
    );
    assert_eq!(provider_argument.labels(), ["s"]);
    let login = Fixture::new(
        "repository a {\n  name = \"aa\"\n}\nproject p {\n  phase build {\n    run ecr_login($0)\n  }\n}\n",
    );
    assert_eq!(login.labels(), ["a"]);
    let providers = Fixture::new("pipeline p {\n  stage S {\n    action A = $0\n  }\n}\n").labels();
    assert!(providers.contains(&"github".to_string()) && providers.contains(&"codebuild".to_string()));
}

#[test]
fn completion_in_an_action_body_offers_its_provider_settings() {
    let fixture = Fixture::new(
        "pipeline p {\n  stage S {\n    action A = github(c) {\n      repo = \"o/r\"\n      $0\n    }\n  }\n}\n",
    );
    let labels = fixture.labels();
    assert!(labels.contains(&"branch".to_string()) && labels.contains(&"output".to_string()));
    assert!(!labels.contains(&"repo".to_string()), "set already: {labels:?}");
    let mode = Fixture::new(
        "pipeline p {\n  stage S {\n    action A = cloudformation {\n      action_mode = $0\n    }\n  }\n}\n",
    );
    assert!(
        mode.labels().contains(&"CREATE_UPDATE".to_string()),
        "{:?}",
        mode.labels()
    );
}

#[test]
fn completion_of_inputs_offers_artifacts_produced_earlier_only() {
    let fixture = Fixture::new(&SEED.replace("      input Images\n", "      input $0\n"));
    assert_eq!(fixture.labels(), ["Images", "SourceArtifact"]);
    let first = Fixture::new(&SEED.replace("      input SourceArtifact\n", "      input $0\n"));
    assert_eq!(first.labels(), ["SourceArtifact"], "not its own output");
    let setting = Fixture::new(&SEED.replace("primary_source = \"SourceArtifact\"", "primary_source = \"$0\""));
    assert_eq!(setting.labels(), ["SourceArtifact"]);
}

#[test]
fn completion_inside_strings() {
    let names = Fixture::new(&SEED.replace("run \"docker build", "run \"${{ $0 }} docker build")).labels();
    for name in ["backend_flask", "account_id", "tag", "aws", "bake"] {
        assert!(names.contains(&name.to_string()), "{name} in {names:?}");
    }
    let fields =
        Fixture::new(&SEED.replace("run \"docker build", "run \"${{ backend_flask.$0 }} docker build")).labels();
    assert_eq!(fields, ["uri", "arn", "name"]);
    let aws = Fixture::new(&SEED.replace("run \"docker build", "run \"${{ aws.re$0 }} docker build")).labels();
    assert_eq!(aws, ["region"]);
    let variables =
        Fixture::new(&SEED.replace("run \"docker build", "run \"echo $CODEBUILD_RES$0 docker build")).labels();
    assert_eq!(variables, ["CODEBUILD_RESOLVED_SOURCE_VERSION"]);
    let actions = Fixture::new("role r {\n  allow {\n    actions = [\"ecr:GetAuth$0\"]\n  }\n}\n").labels();
    assert_eq!(actions, ["ecr:GetAuthorizationToken"]);
    let services = Fixture::new("role r {\n  allow {\n    actions = [\"codebui$0\"]\n  }\n}\n").labels();
    assert_eq!(services, ["codebuild:"]);
}

#[test]
fn nothing_to_complete_in_a_comment_and_an_open_paren_does_not_stick() {
    assert!(Fixture::new("project p {\n  // a comment with comp$0\n}\n")
        .labels()
        .is_empty());
    // The `(` left open on the first line does not swallow the blocks after it.
    let fixture = Fixture::new("project p {\n  source = github(\n}\nrepository r {\n  $0\n}\n");
    assert!(
        fixture.labels().contains(&"scan_on_push".to_string()),
        "{:?}",
        fixture.labels()
    );
}

/// A comment holding multi-byte characters before the word hovered: no slicing inside one.
#[test]
fn hover_in_a_comment_after_a_multibyte_character() {
    let hover = Fixture::new("// connect🚀pr$0ojection S0011\nproject p {\n  name = \"p\"\n}\n").hover();
    assert!(hover.is_empty(), "{hover}");
    let code = Fixture::new("// é🚀 cruddur-allow(S00$011): reason\nproject p {\n  name = \"p\"\n}\n").hover();
    assert!(code.contains("S0011"), "{code}");
}

#[test]
fn a_variable_is_described_by_the_project_it_is_in() {
    let text = "project a {\n  name = \"aa\"\n  env {\n    TAG = \"one\"\n  }\n  phase build {\n    run \"echo $TAG\"\n  }\n}\nproject b {\n  name = \"bb\"\n  env {\n    TAG = secrets_manager(\"t\")\n  }\n  phase build {\n    run \"echo $T$0AG\"\n  }\n}\n";
    let hover = Fixture::new(text).hover();
    assert!(
        hover.contains("project `b`") && hover.contains("Secrets Manager"),
        "{hover}"
    );
}

#[test]
fn variables_of_env_take_strings_and_secrets() {
    let fixture = Fixture::new("project p {\n  env {\n    DB_URL = $0\n  }\n}\n");
    assert_eq!(fixture.labels(), ["parameter_store", "secrets_manager"]);
    let hover = Fixture::new("project p {\n  env {\n    DB = secrets_ma$0nager(\"db:url\")\n  }\n}\n").hover();
    assert!(hover.contains("secrets_manager(\"secret-id:json-key\")"), "{hover}");
}

#[test]
fn completion_of_runtimes_the_image_installs() {
    let fixture = Fixture::new(
        "project p {\n  environment {\n    image = amazonlinux_standard(\"5.0\")\n  }\n  runtime py$0\n}\n",
    );
    let completions = fixture.completions();
    assert_eq!(completions.len(), 1, "{completions:?}");
    assert_eq!(completions[0].label, "python");
    let versions = Fixture::new(
        "project p {\n  environment {\n    image = amazonlinux_standard(\"5.0\")\n  }\n  runtime python = $0\n}\n",
    )
    .labels();
    assert!(versions.contains(&"3.12".to_string()), "{versions:?}");
}

#[test]
fn hover_on_a_role_user_lists_what_its_role_needs() {
    // An inferred role: the project's own needs, each with why.
    let project = seed_at("project bake", 0, 8).hover();
    assert!(project.contains("Its inferred role needs:"), "{project}");
    assert!(project.contains("- `ecr:GetAuthorizationToken`: "), "{project}");
    let pipeline = seed_at("pipeline backend_fargate", 0, 9).hover();
    assert!(pipeline.contains("- `ecs:UpdateService`: "), "{pipeline}");
    // A declared role: its users say so, and the role lists what runs as it needs.
    let with_role = SEED.replace(
        "project bake {\n  name = \"bake-image\"\n",
        "role builder {\n  name  = \"builder\"\n  trust = [codebuild]\n}\nproject bake {\n  name = \"bake-image\"\n  role = builder\n",
    );
    let at = |needle: &str, offset: usize| {
        let start = with_role.find(needle).unwrap() + offset;
        Fixture::new(&format!("{}$0{}", &with_role[..start], &with_role[start..])).hover()
    };
    let project = at("project bake", 8);
    assert!(project.contains("Runs as role `builder`."), "{project}");
    assert!(!project.contains("needs:"), "{project}");
    let role = at("role builder", 5);
    assert!(role.contains("What runs as this role needs:"), "{role}");
    assert!(role.contains("- `ecr:GetAuthorizationToken`: "), "{role}");
    assert!(role.contains("- and "), "more than a hover shows: {role}");
}

#[test]
fn rename_of_an_artifact_a_template_reads_changes_the_template_once() {
    let text = "param c\nconnection gh {\n  arn = c\n}\nstage_template approve {\n  action Ok = lambda() {\n    input Code\n    function = \"f\"\n  }\n}\npipeline p {\n  name = \"p\"\n  stage Source {\n    action Src = github(gh) {\n      repo   = \"o/r\"\n      branch = \"main\"\n      output Code$0\n    }\n  }\n  stage One = approve()\n  stage Two = approve()\n}\n";
    let fixture = Fixture::new(text);
    let references = fixture.references(true);
    assert_eq!(
        references,
        ["/w/main.cruddur:7:Code", "/w/main.cruddur:17:Code"],
        "one place in the template, however many stages are made from it"
    );
    let renamed = fixture.rename("Checkout").unwrap();
    let text = &renamed[0].1;
    assert!(
        text.contains("input Checkout\n") && text.contains("output Checkout\n"),
        "{text}"
    );
    assert!(!text.contains("Code\n"), "{text}");
}

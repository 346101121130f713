//! The playground's module answers as the CLI and the language server do: every example opens
//! clean and builds the golden files; a mistake gets its finding, its fix, and a clean program
//! once the fix is applied; positions count UTF-16; bad requests are errors, never panics.

#[path = "../../../../compiler/tests/common/mod.rs"]
mod common;

use cruddur_playground::Playground;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

fn ask(playground: &mut Playground, request: Value) -> Result<Value, String> {
    let answer: Value = serde_json::from_str(&playground.request(request.to_string().as_bytes())).unwrap();
    match answer.get("ok") {
        Some(ok) => Ok(ok.clone()),
        None => Err(answer["error"].as_str().unwrap().to_string()),
    }
}

fn ok(playground: &mut Playground, request: Value) -> Value {
    ask(playground, request.clone()).unwrap_or_else(|e| panic!("{request}: {e}"))
}

/// Each example as the page has it: its files by relative path, and the one it edits.
fn examples() -> Vec<(String, BTreeMap<String, String>, String)> {
    let folder = repository().join("examples");
    let mut found = Vec::new();
    let mut entries: Vec<PathBuf> = fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut files = BTreeMap::new();
        if path.is_dir() {
            read_tree(&path, &path, &mut files);
            found.push((name, files, "pipeline.cruddur".to_string()));
        } else if name.ends_with(".cruddur") {
            files.insert(name.clone(), fs::read_to_string(&path).unwrap());
            found.push((name.trim_end_matches(".cruddur").to_string(), files, name));
        }
    }
    found
}

fn read_tree(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            read_tree(root, &path, files);
        } else {
            let relative = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            files.insert(relative, fs::read_to_string(&path).unwrap());
        }
    }
}

fn open(playground: &mut Playground, files: &BTreeMap<String, String>, main: &str) -> Value {
    ok(playground, json!({ "method": "open", "files": files, "main": main }))
}

fn seed() -> (Playground, String) {
    let text = fs::read_to_string(repository().join("examples/02-cruddur-backend-fargate.cruddur")).unwrap();
    let mut playground = Playground::new();
    let files = BTreeMap::from([("pipeline.cruddur".to_string(), text.clone())]);
    open(&mut playground, &files, "pipeline.cruddur");
    (playground, text)
}

/// The text with Monaco-style edits applied (ranges of the text as it was).
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |line: &Value, column: &Value| {
        let (line, column) = (
            line.as_u64().unwrap() as usize - 1,
            column.as_u64().unwrap() as usize - 1,
        );
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let line_text = text[start..].split('\n').next().unwrap();
        let mut units = 0;
        for (at, c) in line_text.char_indices() {
            if units >= column {
                return start + at;
            }
            units += c.len_utf16();
        }
        start + line_text.len()
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            let r = &e["range"];
            (
                offset(&r["startLineNumber"], &r["startColumn"]),
                offset(&r["endLineNumber"], &r["endColumn"]),
                e["text"].as_str().unwrap(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, replacement) in spans {
        out.replace_range(start..end, replacement);
    }
    out
}

#[test]
fn every_example_opens_clean_and_builds_its_golden_files() {
    let params: BTreeMap<String, String> = common::example_params();
    let examples = examples();
    assert!(examples.len() >= 12, "{} examples", examples.len());
    for (name, files, main) in examples {
        let mut playground = Playground::new();
        let analysis = open(&mut playground, &files, &main);
        assert_eq!(analysis["diagnostics"], json!([]), "{name}");
        assert_eq!(analysis["elsewhere"], json!([]), "{name}");
        assert_eq!(analysis["parsed"], json!(true), "{name}");
        let built = ok(&mut playground, json!({ "method": "build", "params": params }));
        assert_eq!(built["ok"], json!(true), "{name}: {}", built["diagnostics"]);
        let golden = repository().join("tests/golden").join(&name);
        let mut expected = BTreeMap::new();
        read_tree(&golden, &golden, &mut expected);
        let made: BTreeMap<String, String> = built["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    f["text"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            made.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "{name}"
        );
        for (path, text) in &made {
            assert!(expected[path] == *text, "{name}/{path} differs from its golden file");
        }
        let graph = ok(&mut playground, json!({ "method": "graph" }));
        assert!(
            graph["mermaid"].as_str().unwrap().starts_with("flowchart"),
            "{name}: {graph}"
        );
    }
}

#[test]
fn a_mistake_has_its_finding_and_its_fix_clears_it() {
    let (mut playground, text) = seed();
    // A comment with characters of two UTF-16 units before the mistake, on its line.
    let broken = text.replace("    compute    = small", "    compute    = /* 🚀🚀 */ smal");
    let analysis = ok(&mut playground, json!({ "method": "update", "text": broken }));
    let diagnostics = analysis["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{analysis}");
    let finding = &diagnostics[0];
    assert_eq!(finding["code"], "E0210");
    assert!(finding["message"]
        .as_str()
        .unwrap()
        .contains("`smal` is not a valid compute size"));
    let line = broken.lines().position(|l| l.contains("smal")).unwrap() + 1;
    let column = broken
        .lines()
        .nth(line - 1)
        .unwrap()
        .split("smal")
        .next()
        .unwrap()
        .encode_utf16()
        .count()
        + 1;
    assert_eq!(
        finding["range"],
        json!({ "startLineNumber": line, "startColumn": column, "endLineNumber": line, "endColumn": column + 4 })
    );
    assert_eq!(analysis["parsed"], json!(true));
    let actions = ok(
        &mut playground,
        json!({ "method": "actions", "range": finding["range"] }),
    );
    let fix = &actions[0];
    assert_eq!(fix["title"], "replace with `small`");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["diagnostics"], json!([0]));
    let fixed = apply(&broken, fix["edits"].as_array().unwrap());
    assert_eq!(
        fixed,
        text.replace("    compute    = small", "    compute    = /* 🚀🚀 */ small")
    );
    let analysis = ok(&mut playground, json!({ "method": "update", "text": fixed }));
    assert_eq!(analysis["diagnostics"], json!([]));
}

#[test]
fn a_text_that_does_not_parse_still_completes_the_names_it_had() {
    let (mut playground, text) = seed();
    let broken = text.replace("action Deploy = ecs(backend) {", "action Deploy = ecs(ba {");
    let analysis = ok(&mut playground, json!({ "method": "update", "text": broken }));
    assert_eq!(analysis["parsed"], json!(false), "{analysis}");
    assert_eq!(analysis["diagnostics"][0]["severity"], "error");
    let line = broken.lines().position(|l| l.contains("ecs(ba {")).unwrap() + 1;
    let column = broken.lines().nth(line - 1).unwrap().find("ba {").unwrap() + 3;
    let items = ok(
        &mut playground,
        json!({ "method": "complete", "line": line, "column": column }),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"backend"), "{labels:?}");
    // Graph and build say why there is nothing to show.
    let graph = ok(&mut playground, json!({ "method": "graph" }));
    assert!(graph["error"].as_str().unwrap().contains("error"), "{graph}");
    // The build does not repeat the check's errors: it counts them.
    let built = ok(&mut playground, json!({ "method": "build", "params": {} }));
    assert_eq!(built["ok"], json!(false));
    assert_eq!(built["files"], json!([]));
    assert_eq!(built["diagnostics"], json!([]));
    assert!(built["checked"].as_u64().unwrap() >= 1, "{built}");
}

#[test]
fn hover_completion_tokens_format_and_explain_answer() {
    let (mut playground, text) = seed();
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("compute"))
        .unwrap()
        + 1;
    let hover = ok(&mut playground, json!({ "method": "hover", "line": line, "column": 6 }));
    assert!(hover["markdown"].as_str().unwrap().contains("compute"), "{hover}");
    assert_eq!(hover["range"]["startLineNumber"], json!(line));
    let items = ok(
        &mut playground,
        json!({ "method": "complete", "line": line, "column": 5 }),
    );
    assert!(
        items.as_array().unwrap().iter().any(|c| c["kind"] == "member"),
        "{items}"
    );
    let legend = ok(&mut playground, json!({ "method": "legend" }));
    let tokens = ok(&mut playground, json!({ "method": "tokens" }));
    let data = tokens["data"].as_array().unwrap();
    assert!(data.len() > 100 && data.len() % 5 == 0);
    let types = legend["types"].as_array().unwrap().len() as u64;
    assert!(data.chunks(5).all(|t| t[3].as_u64().unwrap() < types));
    let formatted = ok(&mut playground, json!({ "method": "format" }));
    assert_eq!(formatted["text"], json!(text), "the example is in the canonical layout");
    ok(
        &mut playground,
        json!({ "method": "update", "text": text.replace("  region  = ", "      region  =  ") }),
    );
    assert_eq!(ok(&mut playground, json!({ "method": "format" }))["text"], json!(text));
    let explained = ok(&mut playground, json!({ "method": "explain", "code": "E0403" }));
    assert!(explained.as_str().unwrap().starts_with("## E0403"), "{explained}");
    let word = ok(&mut playground, json!({ "method": "explain", "code": "codebuild" }));
    assert!(word.as_str().is_some());
    assert_eq!(
        ok(&mut playground, json!({ "method": "explain", "code": "E9999" })),
        Value::Null
    );
}

#[test]
fn the_build_names_a_missing_parameter_and_uses_given_ones() {
    let (mut playground, _) = seed();
    let built = ok(
        &mut playground,
        json!({ "method": "build", "params": { "account_id": "123456789012", "connection_arn": " " } }),
    );
    assert_eq!(built["ok"], json!(false));
    let codes: Vec<&str> = built["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["E0601"], "{built}");
    // Said for the page's form, not the command line's choices.
    let message = built["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("parameter `connection_arn` has no value"), "{message}");
    assert!(
        message.contains("type its value in the `connection_arn` field of the form"),
        "{message}"
    );
    assert!(!message.contains("--form cloudformation"), "{message}");
    assert_eq!(built["checked"], json!(0));
}

#[test]
fn bad_requests_are_errors() {
    let mut playground = Playground::new();
    assert!(ask(&mut playground, json!({ "method": "update", "text": "" }))
        .unwrap_err()
        .contains("no program"));
    let answer: Value = serde_json::from_str(&playground.request(b"{not json")).unwrap();
    assert!(answer["error"].as_str().unwrap().contains("not JSON"));
    for path in ["../etc/passwd", "/abs.cruddur", "", "a/../../b.cruddur"] {
        let files = json!({ path: "" });
        let error = ask(
            &mut playground,
            json!({ "method": "open", "files": files, "main": path }),
        )
        .unwrap_err();
        assert!(error.contains("relative path"), "{path}: {error}");
    }
    let (mut playground, _) = seed();
    assert!(ask(&mut playground, json!({ "method": "nope" }))
        .unwrap_err()
        .contains("no method"));
    assert!(ask(&mut playground, json!({ "method": "hover", "line": 0, "column": 1 })).is_err());
    // Positions past the text are clamped, not trusted.
    ok(
        &mut playground,
        json!({ "method": "hover", "line": 9999, "column": 9999 }),
    );
    ok(
        &mut playground,
        json!({ "method": "actions", "range": { "startLineNumber": 9999, "startColumn": 1, "endLineNumber": 1, "endColumn": 1 } }),
    );
}

#[test]
fn the_exports_pass_requests_through_memory() {
    let request = br#"{"method":"legend"}"#;
    let ptr = cruddur_playground::cruddur_alloc(request.len());
    // SAFETY: `ptr` has room for `request.len()` bytes, given back to `cruddur_request`.
    let len = unsafe {
        std::ptr::copy_nonoverlapping(request.as_ptr(), ptr, request.len());
        cruddur_playground::cruddur_request(ptr, request.len())
    };
    // SAFETY: the answer is `len` bytes at `cruddur_response()` until the next request.
    let answer = unsafe { std::slice::from_raw_parts(cruddur_playground::cruddur_response(), len) };
    let answer: Value = serde_json::from_slice(answer).unwrap();
    assert_eq!(answer["ok"]["types"][0], "keyword");
}

#[test]
fn every_place_of_a_broken_file_answers_without_failing() {
    let (mut playground, text) = seed();
    // Multibyte text, a half-written item and an unclosed interpolation.
    let broken = text
        .replace(
            "  region  = \"us-east-1\"",
            "  region  = \"us-east-1\" // ☕ 🚀\n  proj",
        )
        .replace("${{ backend_flask.uri }}", "${{ backend_flask.");
    ok(&mut playground, json!({ "method": "update", "text": broken }));
    for (index, line) in broken.lines().enumerate() {
        let units = line.encode_utf16().count();
        for column in (1..=units + 2).step_by(5) {
            let at = json!({ "line": index + 1, "column": column });
            for method in ["hover", "complete"] {
                let mut request = at.clone();
                request["method"] = json!(method);
                ok(&mut playground, request);
            }
            let range = json!({ "startLineNumber": index + 1, "startColumn": column, "endLineNumber": index + 1, "endColumn": column });
            ok(&mut playground, json!({ "method": "actions", "range": range }));
        }
    }
    for method in ["tokens", "format", "graph"] {
        ok(&mut playground, json!({ "method": method }));
    }
}

#[test]
fn a_mistake_in_a_buildspec_the_program_reads_is_fixed_in_that_file() {
    let (_, files, main) = examples()
        .into_iter()
        .find(|(name, ..)| name == "08-buildspec-in-the-repository")
        .unwrap();
    let path = "backend-flask/buildspec.yml";
    let mut broken = files.clone();
    let text = broken[path].replace(r#"-t "$IMAGE_URI" ."#, r#"-t "$IMAGE_URL" ."#);
    broken.insert(path.to_string(), text.clone());
    let mut playground = Playground::new();
    let analysis = open(&mut playground, &broken, &main);
    assert_eq!(analysis["diagnostics"], json!([]));
    let finding = &analysis["elsewhere"][0];
    assert_eq!(
        (finding["code"].as_str(), finding["file"].as_str()),
        (Some("E0501"), Some(path))
    );
    let actions = ok(
        &mut playground,
        json!({ "method": "actions", "range": finding["range"], "file": path }),
    );
    assert_eq!(actions[0]["title"], "replace with `$IMAGE_URI`", "{actions}");
    assert_eq!(actions[0]["diagnostics"], json!([0]));
    assert_eq!(apply(&text, actions[0]["edits"].as_array().unwrap()), files[path]);
    // Asked without the file, the same range of the edited file has nothing to fix.
    let here = ok(
        &mut playground,
        json!({ "method": "actions", "range": finding["range"] }),
    );
    assert!(here
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["title"] != "replace with `$IMAGE_URI`"));
    let error = ask(
        &mut playground,
        json!({ "method": "actions", "range": finding["range"], "file": "nope.yml" }),
    );
    assert!(error.unwrap_err().contains("not a file of the program"));
}

#[test]
fn a_broken_configuration_is_a_finding_on_it() {
    let (_, files, main) = examples()
        .into_iter()
        .find(|(name, ..)| name == "10-ecs-blue-green")
        .unwrap();
    let mut playground = Playground::new();
    let mut broken = files.clone();
    broken.insert("cruddur.toml".into(), "# severity\n[severity\nE0204 = \"off\"\n".into());
    let analysis = open(&mut playground, &broken, &main);
    let found = analysis["elsewhere"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{analysis}");
    assert_eq!(found[0]["file"], json!("cruddur.toml"));
    assert_eq!(found[0]["severity"], json!("error"));
    assert_eq!(found[0]["range"]["startLineNumber"], json!(2), "{}", found[0]);
    let message = found[0]["message"].as_str().unwrap();
    assert!(message.starts_with("`cruddur.toml` cannot be used: "), "{message}");
    assert!(
        !message.contains("/playground") && !message.contains(" | "),
        "{message}"
    );
    // As `cruddur build` does, the build stops there.
    let built = ok(
        &mut playground,
        json!({ "method": "build", "params": common::example_params() }),
    );
    assert_eq!((&built["ok"], &built["checked"]), (&json!(false), &json!(1)), "{built}");
    // A rule that cannot be turned off: said on line 1, the file's own words.
    broken.insert("cruddur.toml".into(), "[severity]\nE0310 = \"off\"\n".into());
    let analysis = open(&mut playground, &broken, &main);
    let message = analysis["elsewhere"][0]["message"].as_str().unwrap();
    assert!(message.contains("E0310 is an error AWS would reject"), "{message}");
    // Mended, the finding goes.
    let analysis = open(&mut playground, &files, &main);
    assert_eq!(analysis["elsewhere"], json!([]));
}

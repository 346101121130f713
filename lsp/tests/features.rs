//! Every feature of the server against fixtures, as data: each `tests/features/NAME.cruddur`
//! holds one or more files (`//- /w/path` lines start each; a folder `/w` is the workspace,
//! and a `//- /w/cruddur.toml` makes its files one program), a `$0` cursor (and a `$1` for the
//! end of a range), and a first line naming the request:
//!
//! ```text
//! // request: hover
//! ```
//!
//! The answer, as the protocol's JSON, is compared with `NAME.json` beside it (`BLESS=1`
//! writes it). The cursor file is opened as an editor buffer; the others are read "from disk".
//! A second line `// insert: TEXT` types TEXT at the `$E` marker after the file was opened and
//! analysed (to ask while the file is broken, say).

use cruddur::workspace::MemoryFs;
use cruddur_lsp::features::{editing, navigation, outline};
use cruddur_lsp::{Options, Session};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use tower_lsp_server::ls_types::{self as lsp, Uri};

struct Fixture {
    session: Session,
    uri: Uri,
    cursor: lsp::Position,
    end: Option<lsp::Position>,
    request: String,
}

fn position_of(text: &str, offset: usize) -> lsp::Position {
    cruddur_lsp::convert::text_position(text, offset)
}

fn load(text: &str) -> Fixture {
    let (first, rest) = text.split_once('\n').expect("a request line");
    let request = first
        .strip_prefix("// request:")
        .expect("the first line is `// request: …`")
        .trim()
        .to_string();
    let (insert, rest) = match rest.strip_prefix("// insert: ") {
        Some(rest) => {
            let (text, rest) = rest.split_once('\n').unwrap();
            (Some(text.to_string()), rest)
        }
        None => (None, rest),
    };
    let mut files: Vec<(String, String)> = Vec::new();
    if rest.starts_with("//- ") {
        for chunk in rest.split("//- ").filter(|c| !c.is_empty()) {
            let (path, body) = chunk.split_once('\n').unwrap_or((chunk, ""));
            files.push((path.trim().to_string(), body.to_string()));
        }
    } else {
        files.push(("/w/main.cruddur".to_string(), rest.to_string()));
    }
    let fs = MemoryFs::new();
    let mut cursor = None;
    let mut end = None;
    let mut edit_at = None;
    for (path, body) in &mut files {
        if let Some(at) = body.find("$E") {
            body.replace_range(at..at + 2, "");
            edit_at = Some(at);
        }
        if let Some(at) = body.find("$0") {
            body.replace_range(at..at + 2, "");
            cursor = Some((path.clone(), position_of(body, at)));
            if let Some(at) = body.find("$1") {
                body.replace_range(at..at + 2, "");
                end = Some(position_of(body, at));
            }
        }
        fs.insert(path.as_str(), body.as_str());
    }
    let first_source = files
        .iter()
        .find(|(p, _)| p.ends_with(".cruddur"))
        .expect("a .cruddur file");
    let (path, cursor) = cursor.unwrap_or_else(|| (first_source.0.clone(), lsp::Position::new(0, 0)));
    let mut options = Options::default();
    options.diagnostics.explanations = Some("https://cruddur.invalid/explain/{code}".to_string());
    let mut session = Session::new(fs, options);
    session.add_folder(Path::new("/w"));
    let uri = Uri::from_file_path(&path).unwrap();
    let text = files.iter().find(|(p, _)| *p == path).unwrap().1.clone();
    session.did_open(uri.clone(), 1, text.clone());
    if let (Some(insert), Some(at)) = (insert, edit_at) {
        let file = session.file(&uri).unwrap();
        session.analysis(file);
        let place = position_of(&text, at);
        let change = lsp::TextDocumentContentChangeEvent {
            range: Some(lsp::Range::new(place, place)),
            range_length: None,
            text: insert,
        };
        session.did_change(&uri, 2, vec![change]);
    }
    Fixture {
        session,
        uri,
        cursor,
        end,
        request,
    }
}

/// The answer to the fixture's request, as JSON.
fn answer(fixture: &mut Fixture) -> Value {
    let (name, argument) = fixture
        .request
        .split_once(' ')
        .map_or((fixture.request.as_str(), ""), |(n, a)| (n, a.trim()));
    let (name, argument) = (name.to_string(), argument.to_string());
    if name == "diagnostics" {
        return json!(fixture.session.publish());
    }
    if name == "workspaceSymbol" {
        return json!(navigation::workspace_symbols(&mut fixture.session, &argument));
    }
    let file = fixture.session.file(&fixture.uri).expect("the cursor's file");
    let analysis = fixture.session.analysis(file).expect("its analysis");
    let view = fixture.session.view(file, analysis);
    let at = fixture.cursor;
    let range = lsp::Range::new(at, fixture.end.unwrap_or(at));
    let result = |r: Result<Value, String>| r.unwrap_or_else(|error| json!({ "error": error }));
    match name.as_str() {
        "completion" => json!(editing::completion(&view, at)),
        "hover" => json!(editing::hover(&view, at)),
        "definition" => json!(navigation::definition(&view, at)),
        "references" => json!(navigation::references(&view, at, true)),
        "prepareRename" => result(navigation::prepare_rename(&view, at).map(|r| json!(r))),
        "rename" => result(navigation::rename(&view, at, &argument).map(|r| json!(r))),
        "documentSymbol" => json!(navigation::document_symbols(&view)),
        "formatting" => json!(editing::formatting(&view)),
        "rangeFormatting" => json!(editing::range_formatting(&view, range)),
        "codeAction" => json!(editing::code_actions(&view, range)),
        "foldingRange" => json!(outline::folding_ranges(&view)),
        "semanticTokens" => semantic_tokens(&view),
        "inlayHint" => json!(outline::inlay_hints(
            &view,
            lsp::Range::new(lsp::Position::new(0, 0), lsp::Position::new(u32::MAX, 0))
        )),
        "signatureHelp" => json!(outline::signature_help(&view, at)),
        other => panic!("unknown request `{other}`"),
    }
}

fn fixtures() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/features");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("tests/features")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cruddur"))
        .collect();
    found.sort();
    found
}

#[test]
fn features_answer_as_their_snapshots_say() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    let found = fixtures();
    assert!(found.len() >= 10, "the fixtures are missing");
    for path in found {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut fixture = load(&text);
        let got = compact(&answer(&mut fixture), 0) + "\n";
        let expected_path = path.with_extension("json");
        if bless {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failures.push(format!("{}:\n--- expected\n{expected}\n--- got\n{got}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ (BLESS=1 to accept):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// JSON as a person reads it: a value that fits on one line is written on one line.
fn compact(value: &Value, indent: usize) -> String {
    let flat = value.to_string();
    if flat.len() + indent <= 100 {
        return flat;
    }
    let pad = "  ".repeat(indent + 1);
    let end = "  ".repeat(indent);
    match value {
        Value::Array(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|v| format!("{pad}{}", compact(v, indent + 1)))
                .collect();
            format!("[\n{}\n{end}]", items.join(",\n"))
        }
        Value::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{pad}{}: {}", Value::from(k.as_str()), compact(v, indent + 1)))
                .collect();
            format!("{{\n{}\n{end}}}", fields.join(",\n"))
        }
        _ => flat,
    }
}

#[test]
fn a_file_that_does_not_parse_is_answered_from_its_last_good_analysis() {
    let mut fixture = load(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/features/hover-stale-while-broken.cruddur"),
        )
        .unwrap(),
    );
    let file = fixture.session.file(&fixture.uri).unwrap();
    let analysis = fixture.session.analysis(file).unwrap();
    let view = fixture.session.view(file, analysis.clone());
    assert!(!view.parses(), "the fixture's edit breaks the file");
    let sources = fixture.session.workspace().sources();
    let offset = cruddur_lsp::convert::offset(sources, file, fixture.cursor);
    assert!(
        cruddur::ide::hover(&analysis, sources, file, offset).is_none(),
        "the broken text alone does not answer, so the answer comes from the last good analysis"
    );
    assert!(answer(&mut fixture).get("contents").is_some());
}

/// Semantic tokens decoded: each as `line:column text type [modifiers]`.
fn semantic_tokens(view: &cruddur_lsp::View) -> Value {
    let tokens = outline::semantic_tokens(view);
    let text = view.sources.source(view.file);
    let lines: Vec<&str> = text.lines().collect();
    let (mut line, mut column) = (0u32, 0u32);
    let mut out = Vec::new();
    for token in tokens.data {
        line += token.delta_line;
        column = if token.delta_line == 0 {
            column + token.delta_start
        } else {
            token.delta_start
        };
        let units: Vec<u16> = lines[line as usize].encode_utf16().collect();
        let word = String::from_utf16_lossy(&units[column as usize..(column + token.length) as usize]);
        let ty = cruddur::ide::highlight::TOKEN_TYPES[token.token_type as usize];
        let modifiers: Vec<&str> = cruddur::ide::highlight::TOKEN_MODIFIERS
            .iter()
            .enumerate()
            .filter(|(i, _)| token.token_modifiers_bitset & (1 << i) != 0)
            .map(|(_, m)| *m)
            .collect();
        out.push(format!("{}:{} {word} {ty} {modifiers:?}", line + 1, column + 1));
    }
    json!(out)
}

//! The VS Code extension's own files agree with the compiler: a snippet for every item, every
//! snippet (expanded with its defaults, as accepting it unchanged would) parses and names only
//! known members, and the whole-pipeline snippet checks clean.

use cruddur::diagnostics::{Code, Diagnostic};
use cruddur::vocabulary::items::ITEMS;
use cruddur::workspace::{MemoryFs, Workspace};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn editors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../editors/vscode")
}

/// Prefix → body, from `snippets/cruddur.code-snippets`.
fn snippets() -> BTreeMap<String, String> {
    let path = editors().join("snippets/cruddur.code-snippets");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json: Value = serde_json::from_str(&text).expect("snippets are JSON");
    let mut out = BTreeMap::new();
    for (name, snippet) in json.as_object().expect("an object of snippets") {
        let prefix = snippet["prefix"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: no prefix"));
        let body = match &snippet["body"] {
            Value::String(s) => s.clone(),
            Value::Array(lines) => lines.iter().map(|l| l.as_str().unwrap()).collect::<Vec<_>>().join("\n"),
            other => panic!("{name}: body {other}"),
        };
        assert!(
            snippet["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{name}: no description"
        );
        assert!(out.insert(prefix.to_string(), body).is_none(), "prefix {prefix} twice");
    }
    out
}

/// The text a snippet inserts when every placeholder keeps its default (the first choice of a
/// choice), as VS Code's snippet syntax reads: `$1`, `${1:default}`, `${1|a,b|}`, `${NAME}`,
/// `\$` and `\}` escapes. A bare `$1` mirrors the default given elsewhere for 1.
fn expand(body: &str) -> String {
    let chars: Vec<char> = body.chars().collect();
    let mut defaults: BTreeMap<String, String> = BTreeMap::new();
    // First pass: the defaults.
    let _ = expand_from(&chars, &mut 0, &mut defaults, false, true);
    expand_from(&chars, &mut 0, &mut defaults, false, false)
}

fn expand_from(
    chars: &[char],
    i: &mut usize,
    defaults: &mut BTreeMap<String, String>,
    nested: bool,
    first: bool,
) -> String {
    let mut out = String::new();
    while *i < chars.len() {
        let c = chars[*i];
        if c == '\\' && *i + 1 < chars.len() && matches!(chars[*i + 1], '$' | '}' | '\\') {
            out.push(chars[*i + 1]);
            *i += 2;
        } else if nested && c == '}' {
            return out;
        } else if c == '$' && *i + 1 < chars.len() && chars[*i + 1].is_ascii_digit() {
            *i += 1;
            let start = *i;
            while *i < chars.len() && chars[*i].is_ascii_digit() {
                *i += 1;
            }
            let n: String = chars[start..*i].iter().collect();
            out.push_str(defaults.get(&n).map(String::as_str).unwrap_or(""));
        } else if c == '$' && chars.get(*i + 1) == Some(&'{') {
            *i += 2;
            let start = *i;
            while *i < chars.len() && (chars[*i].is_ascii_alphanumeric() || chars[*i] == '_') {
                *i += 1;
            }
            let name: String = chars[start..*i].iter().collect();
            let value = match chars.get(*i) {
                Some(':') => {
                    *i += 1;
                    expand_from(chars, i, defaults, true, first)
                }
                Some('|') => {
                    let end = (*i + 1..chars.len())
                        .find(|&j| chars[j] == '|')
                        .expect("a closed choice");
                    let choices: String = chars[*i + 1..end].iter().collect();
                    *i = end + 1;
                    choices.split(',').next().unwrap_or("").to_string()
                }
                _ if name == "TM_FILENAME" => "pipeline.cruddur".to_string(),
                _ => defaults.get(&name).cloned().unwrap_or_default(),
            };
            assert_eq!(chars.get(*i), Some(&'}'), "placeholder ${{{name} not closed");
            *i += 1;
            if first && name.chars().all(|c| c.is_ascii_digit()) {
                defaults.entry(name).or_insert_with(|| value.clone());
            }
            out.push_str(&value);
        } else {
            out.push(c);
            *i += 1;
        }
    }
    out
}

fn analyse(text: &str) -> Vec<Diagnostic> {
    let path = PathBuf::from("/snippet/pipeline.cruddur");
    let mut workspace = Workspace::new(MemoryFs::new().with(path.clone(), text));
    let files = workspace.load(std::slice::from_ref(&path)).expect("loads");
    let analysis = workspace.analysis_of(files[0]).expect("analysed");
    analysis.diagnostics.clone()
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn every_item_has_a_snippet() {
    let snippets = snippets();
    for item in ITEMS {
        assert!(snippets.contains_key(item.keyword), "no snippet for `{}`", item.keyword);
    }
}

#[test]
fn snippets_parse_and_name_known_members() {
    for (prefix, body) in snippets() {
        let text = expand(&body);
        assert!(
            !text.contains('$') || text.contains("$IMAGE_URI"),
            "{prefix}: placeholder left in\n{text}"
        );
        // Members of an item go inside one.
        let text = match prefix.as_str() {
            "stage" => format!("pipeline p {{\n{text}\n}}\n"),
            "phase" => format!("project p {{\n{text}\n}}\n"),
            _ => text,
        };
        let diagnostics = analyse(&text);
        let wrong: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| {
                d.code.is_syntax()
                    || matches!(
                        d.code,
                        Code::UnknownItem | Code::UnknownMember | Code::WrongMemberShape | Code::NestedItem
                    )
            })
            .collect();
        assert!(wrong.is_empty(), "{prefix}: {:?}\n{text}", codes(&diagnostics));
    }
}

#[test]
fn the_whole_pipeline_snippet_checks_clean() {
    let text = expand(&snippets()["source-build-deploy"]);
    let diagnostics = analyse(&text);
    let active: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_active()).collect();
    assert!(
        active.is_empty(),
        "{:?}\n{text}",
        active.iter().map(|d| (d.code.as_str(), &d.message)).collect::<Vec<_>>()
    );
}

#[test]
fn expansion_follows_vs_code() {
    assert_eq!(
        expand("a ${1:x} $1 ${2|p,q|} \\$HOME \\${{ y }} $0"),
        "a x x p $HOME ${{ y }} "
    );
    assert_eq!(expand("${1:outer ${2:inner}} $2"), "outer inner inner");
}

#[test]
fn the_grammar_knows_every_item_keyword() {
    // The TextMate grammar recognises items by their keywords (and closes a block left open
    // at one): each list of them must be the vocabulary's.
    let path = editors().join("syntaxes/cruddur.tmLanguage.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str::<Value>(&text).expect("the grammar is JSON");
    let keywords: Vec<&str> = ITEMS.iter().map(|item| item.keyword).collect();
    let list = keywords.join("|");
    let mentions = text.matches(&list).count();
    assert_eq!(
        mentions, 2,
        "the grammar should name the items as `{list}` in its item and block rules"
    );
}

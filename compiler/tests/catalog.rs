//! The diagnostics catalog (`spec/diagnostics.md`), the code registry and the compiler agree:
//! every registered code is documented and used, every documented code is registered, and each
//! entry's example really triggers its code.

use cruddur::diagnostics::{explain, Code, SourceMap};
use std::path::Path;

#[test]
fn every_code_has_a_catalog_entry_and_every_entry_a_code() {
    let documented: Vec<&str> = explain::entries().map(|(code, _)| code).collect();
    for code in Code::ALL {
        assert!(
            documented.contains(&code.as_str()),
            "{code} ({}) has no entry in spec/diagnostics.md",
            code.name()
        );
        let entry = explain::entry(*code).unwrap();
        assert!(
            entry.lines().next().unwrap().contains(code.title()),
            "the heading of {code} should carry its title `{}`",
            code.title()
        );
    }
    for code in &documented {
        assert!(
            code.parse::<Code>().is_ok(),
            "spec/diagnostics.md documents {code}, which the compiler does not have"
        );
    }
    let mut sorted = documented.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), documented.len(), "a code is documented twice");
}

/// A registered code that no compiler source reports is dead: remove it or use it.
#[test]
fn every_registered_code_is_reported_somewhere() {
    let mut sources = String::new();
    collect_sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut sources);
    for code in Code::ALL {
        let used = format!("Code::{}", code.name());
        assert!(
            sources.contains(&used),
            "{code} ({}) is registered but never reported",
            code.name()
        );
    }
}

fn collect_sources(dir: &Path, out: &mut String) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("codes.rs") {
            out.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// The codes an example of `entry` reports (code, is an error): the ```cruddur block at
/// `start` of `entry`, with the file a ```yaml block after it names (`# file: PATH`), or else
/// the one `fallback` names.
fn reported(code: &str, entry: &str, start: usize, fallback: Option<(String, String)>) -> Vec<(String, bool)> {
    let body = &entry[start + "```cruddur\n".len()..];
    let example = &body[..body.find("```").unwrap()];
    let mut sources = SourceMap::new();
    let file = sources.add(code, example.to_string());
    let mut included = cruddur::analysis::Included::new();
    if let Some((path, text)) = included_file(body).or(fallback) {
        included.insert(path.clone(), Ok(sources.add(&path, text)));
    }
    let analysis = cruddur::analysis::analyze_with(&sources, &[file], &included);
    let mut found = analysis.diagnostics;
    // Output codes come from `cruddur build`, after a clean check.
    if code.starts_with("E06") && !found.iter().any(|d| d.is_error()) {
        found.extend(
            cruddur::emit::emit(&analysis.program, &Default::default())
                .err()
                .unwrap_or_default(),
        );
    }
    found
        .iter()
        .map(|d| (d.code.as_str().to_string(), d.is_error()))
        .collect()
}

/// A ```yaml block right after the example that starts `# file: PATH`: a file it reads.
fn included_file(body: &str) -> Option<(String, String)> {
    let rest = &body[body.find("```").unwrap() + 3..];
    let yaml = rest.trim_start().strip_prefix("```yaml\n# file: ")?;
    let (path, text) = yaml.split_once('\n').unwrap();
    Some((path.to_string(), text[..text.find("```").unwrap()].to_string()))
}

const CORRECTED: &str = "Corrected:\n\n```cruddur\n";

/// Codes `cruddur import` reports: their examples are files to import (```yaml blocks that
/// start `# file: NAME`), the wrong one first, the corrected one after `Corrected:`.
const IMPORT_CODES: &[&str] = &["E0530"];

/// The codes importing the ```yaml example at `start` of `entry` reports.
fn imported(entry: &str, start: usize) -> Vec<String> {
    let body = &entry[start + "```yaml\n# file: ".len()..];
    let (name, body) = body.split_once('\n').unwrap();
    let mut sources = SourceMap::new();
    let file = sources.add(name, body[..body.find("```").unwrap()].to_string());
    match cruddur::import::import(&mut sources, &[file]) {
        Ok(_) => Vec::new(),
        Err(diagnostics) => diagnostics.iter().map(|d| d.code.as_str().to_string()).collect(),
    }
}

#[test]
fn import_entries_show_a_file_that_fails_and_one_that_imports() {
    for code in IMPORT_CODES {
        let entry = explain::entry(code.parse().unwrap()).unwrap();
        let corrected = entry.find("Corrected:\n\n```yaml\n").expect("a corrected file") + "Corrected:\n\n".len();
        let wrong = entry
            .find("```yaml\n")
            .filter(|&at| at < corrected)
            .expect("a file that fails");
        assert!(
            imported(entry, wrong).iter().any(|c| c == code),
            "the example of {code} does not trigger it"
        );
        assert!(
            imported(entry, corrected).is_empty(),
            "the corrected example of {code} does not import"
        );
    }
}

/// Each entry's first ```cruddur example triggers the code it documents.
#[test]
fn catalog_examples_trigger_their_code() {
    let mut checked = IMPORT_CODES.len();
    for (code, entry) in explain::entries() {
        let Some(start) = entry
            .find("```cruddur\n")
            .filter(|&at| !entry[..at].ends_with("Corrected:\n\n"))
        else {
            continue;
        };
        let found = reported(code, entry, start, None);
        assert!(
            found.iter().any(|(c, _)| c == code),
            "the example of {code} does not trigger it; it reports {found:?}"
        );
        checked += 1;
    }
    assert!(checked >= Code::ALL.len() - 1, "only {checked} entries have an example");
}

/// Each entry's corrected example clears its code and checks without errors (a learner can
/// paste it into a file).
#[test]
fn catalog_corrections_clear_their_code() {
    for (code, entry) in explain::entries().filter(|(code, _)| !IMPORT_CODES.contains(code)) {
        let corrected = entry
            .find(CORRECTED)
            .unwrap_or_else(|| panic!("{code} has no corrected example"));
        let corrected = corrected + "Corrected:\n\n".len();
        let wrong = entry.find("```cruddur\n").filter(|&at| at < corrected);
        let fallback = wrong.and_then(|at| included_file(&entry[at + "```cruddur\n".len()..]));
        let found = reported(code, entry, corrected, fallback);
        assert!(
            !found.iter().any(|(c, _)| c == code),
            "the corrected example of {code} still reports it: {found:?}"
        );
        let errors: Vec<&String> = found.iter().filter(|(_, error)| *error).map(|(c, _)| c).collect();
        assert!(
            errors.is_empty(),
            "the corrected example of {code} reports errors {errors:?}"
        );
    }
}

/// Each entry links the page behind its rule: AWS's documentation for a rule AWS states, or
/// the section of the language reference for one of the language's own.
#[test]
fn catalog_entries_link_their_source() {
    let reference = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/language.md")).unwrap();
    let anchors: Vec<String> = reference
        .lines()
        .filter_map(|line| line.strip_prefix('#'))
        .map(|heading| {
            heading
                .trim_start_matches('#')
                .trim()
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
                .map(|c| if c == ' ' { '-' } else { c })
                .collect()
        })
        .collect();
    for (code, entry) in explain::entries() {
        let link = entry
            .lines()
            .find_map(|line| line.strip_prefix("AWS: [").or(line.strip_prefix("Reference: [")))
            .unwrap_or_else(|| {
                panic!("{code} links no page: add an `AWS: [title](url)` or `Reference: [title](language.md#…)` line")
            });
        let url = link
            .split_once("](")
            .map(|(_, url)| url.trim_end_matches(')'))
            .unwrap_or("");
        if let Some(anchor) = url.strip_prefix("language.md#") {
            assert!(
                anchors.iter().any(|a| a == anchor),
                "{code} links `{url}`, a section spec/language.md does not have"
            );
        } else {
            assert!(
                url.starts_with("https://docs.aws.amazon.com/"),
                "{code} links `{url}`, not an AWS documentation page"
            );
        }
    }
}

#[test]
fn explain_accepts_lowercase_and_rejects_unknown_codes() {
    assert_eq!("e0011".parse::<Code>(), Ok(Code::UnclosedDelimiter));
    assert!("E9999".parse::<Code>().is_err());
    assert!("".parse::<Code>().is_err());
}

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

/// Each entry's first ```cruddur example triggers the code it documents.
#[test]
fn catalog_examples_trigger_their_code() {
    let mut checked = 0;
    for (code, entry) in explain::entries() {
        let Some(start) = entry.find("```cruddur\n") else {
            continue;
        };
        let body = &entry[start + "```cruddur\n".len()..];
        let example = &body[..body.find("```").unwrap()];
        let mut sources = SourceMap::new();
        let file = sources.add(code, example.to_string());
        // A ```yaml block after it that starts `# file: PATH` is a file the example reads.
        let mut included = cruddur::analysis::Included::new();
        let rest = &body[body.find("```").unwrap() + 3..];
        if let Some(yaml) = rest.trim_start().strip_prefix("```yaml\n# file: ") {
            let (path, text) = yaml.split_once('\n').unwrap();
            let text = &text[..text.find("```").unwrap()];
            included.insert(path.to_string(), Ok(sources.add(path, text.to_string())));
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
        assert!(
            found.iter().any(|d| d.code.as_str() == code),
            "the example of {code} does not trigger it; it reports {:?}",
            found.iter().map(|d| d.code.as_str()).collect::<Vec<_>>()
        );
        checked += 1;
    }
    assert!(checked >= Code::ALL.len() - 1, "only {checked} entries have an example");
}

#[test]
fn explain_accepts_lowercase_and_rejects_unknown_codes() {
    assert_eq!("e0011".parse::<Code>(), Ok(Code::UnclosedDelimiter));
    assert!("E9999".parse::<Code>().is_err());
    assert!("".parse::<Code>().is_err());
}

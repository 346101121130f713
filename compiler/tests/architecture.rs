//! The layers of ARCHITECTURE.md, enforced: a module of the compiler refers to the modules of
//! the layers below it and to none above. Read off the source: every `crate::` path outside
//! test code.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each module and what it may use, lowest layer first.
const LAYERS: &[(&str, &[&str])] = &[
    ("parallel", &[]),
    ("diagnostics", &[]),
    ("data", &[]),
    ("syntax", &["diagnostics", "parallel"]),
    ("vocabulary", &["data", "diagnostics"]),
    ("resolve", &["syntax", "vocabulary", "data", "diagnostics", "parallel"]),
    (
        "check",
        &["resolve", "syntax", "vocabulary", "data", "diagnostics", "parallel"],
    ),
    ("emit", &["resolve", "vocabulary", "data", "diagnostics", "parallel"]),
    (
        "analysis",
        &["check", "resolve", "syntax", "vocabulary", "data", "diagnostics"],
    ),
    ("format", &["analysis", "syntax", "diagnostics"]),
    (
        "ide",
        &["analysis", "resolve", "syntax", "vocabulary", "data", "diagnostics"],
    ),
    ("workspace", &["analysis", "syntax", "diagnostics"]),
    ("fix", &["workspace", "analysis", "diagnostics"]),
    (
        "import",
        &[
            "analysis",
            "emit",
            "format",
            "check",
            "resolve",
            "syntax",
            "vocabulary",
            "data",
            "diagnostics",
        ],
    ),
];

fn sources(module: &str) -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let file = src.join(format!("{module}.rs"));
    if file.exists() {
        return vec![file];
    }
    let mut files = Vec::new();
    let mut stack = vec![src.join(module)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && path.file_name().is_some_and(|n| n != "tests.rs") {
                files.push(path);
            }
        }
    }
    files
}

/// The text without its test items: each `#[cfg(test)]` and the item after it (`mod tests;`,
/// or a braced module or function).
fn without_tests(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let semi = after.find(';');
        let brace = after.find('{');
        let end = match (semi, brace) {
            (Some(s), Some(b)) if s < b => s + 1,
            (_, Some(b)) => {
                let mut depth = 0;
                let mut end = after.len();
                for (i, c) in after[b..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (Some(s), None) => s + 1,
            (None, None) => after.len(),
        };
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The modules a file names as `crate::module`, outside its test items. `super::super::`
/// paths are not used to reach across modules (checked here too).
fn used(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let code = without_tests(&text);
    assert!(
        !code.contains("super::super::"),
        "{}: reach other modules through `crate::`, so the layers can be checked",
        path.display()
    );
    let code = code.as_str();
    let mut found = BTreeSet::new();
    let word = |text: &str| -> String {
        text.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + 7..];
        // `crate::{a, b::c}` names several.
        let names: Vec<String> = match rest.strip_prefix('{') {
            Some(group) => group[..group.find('}').unwrap_or(group.len())]
                .split(',')
                .map(|part| word(part.trim()))
                .filter(|n| !n.is_empty())
                .collect(),
            None => vec![word(rest)],
        };
        for name in names {
            // `crate::Analysis` and `crate::analyze` are the analysis module's, re-exported.
            found.insert(match name.as_str() {
                "Analysis" | "analyze" => "analysis".to_string(),
                _ => name,
            });
        }
    }
    found
}

#[test]
fn no_module_uses_a_later_layer() {
    let mut checked = 0;
    for (module, allowed) in LAYERS {
        for file in sources(module) {
            for used in used(&file) {
                assert!(
                    used == *module || allowed.contains(&used.as_str()),
                    "{} uses `crate::{used}`, which `{module}` may not (ARCHITECTURE.md, \"Layers\")",
                    file.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 50, "only {checked} files checked");
}

#[test]
fn test_items_are_left_out_and_nothing_else() {
    let text = "use crate::a;\n#[cfg(test)]\nmod tests;\nuse crate::b;\n#[cfg(test)]\nmod inline {\n    use crate::c;\n    fn f() { {} }\n}\nfn g() { crate::d::e() }\n";
    let kept = without_tests(text);
    assert!(kept.contains("crate::a") && kept.contains("crate::b") && kept.contains("crate::d"));
    assert!(!kept.contains("crate::c"));
}

#[test]
fn every_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if matches!(name.as_str(), "lib" | "main" | "cli") {
            continue;
        }
        assert!(
            LAYERS.iter().any(|(module, _)| *module == name),
            "module `{name}` is in no layer: add it to ARCHITECTURE.md and to this test"
        );
    }
}

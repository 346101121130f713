//! SARIF 2.1.0, as GitHub code scanning and other CI tools read it: every rule with its help
//! (the catalog entry), and each result with its region, related locations, fixes and, for
//! waived security rules, an in-source suppression with its reason.

use super::{explain, Code, Diagnostic, Label, Severity, SourceMap};
use serde_json::{json, Value};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn region(label: &Label, sources: &SourceMap) -> Value {
    let start = sources.line_col(label.file, label.span.start);
    let end = sources.line_col(label.file, label.span.end);
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

fn location(label: &Label, sources: &SourceMap) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(sources.name(label.file)) },
            "region": region(label, sources),
        },
    })
}

/// A relative file path as a URI reference (forward slashes, spaces and `%` escaped).
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::new();
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            c => out.push(c),
        }
    }
    out
}

/// The first paragraph of a catalog entry, after its heading.
fn summary(entry: &str) -> String {
    entry
        .lines()
        .skip(1)
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The SARIF log of `diagnostics`, whole.
pub fn document(diagnostics: &[Diagnostic], sources: &SourceMap) -> Value {
    let mut log = frame();
    log["runs"][0]["results"] = diagnostics.iter().map(|d| result(d, sources)).collect();
    log
}

/// Writes the SARIF log of `diagnostics`, one result at a time (a log of a hundred thousand
/// results is never held whole), byte for byte as `document` would print.
pub fn write(out: &mut dyn std::io::Write, diagnostics: &[Diagnostic], sources: &SourceMap) -> std::io::Result<()> {
    // The log's frame (every rule, with its catalog entry) is the same for every report.
    static AROUND: std::sync::OnceLock<super::render::Around> = std::sync::OnceLock::new();
    let around = match AROUND.get() {
        Some(around) => around,
        None => {
            let mut log = frame();
            log["runs"][0]["results"] = json!(super::render::STREAMED);
            AROUND.get_or_init(|| super::render::Around::new(&log).expect("the SARIF frame prints"))
        }
    };
    super::render::write_around(out, around, diagnostics.iter().map(|d| result(d, sources)))
}

/// The log without its results.
fn frame() -> Value {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|code| {
            let entry = explain::entry(*code).unwrap_or("");
            let mut tags = vec![if code.is_security_rule() {
                "security"
            } else {
                "correctness"
            }];
            tags.push("ci-cd");
            json!({
                "id": code.as_str(),
                "name": code.name(),
                "shortDescription": { "text": code.title() },
                "fullDescription": { "text": summary(entry) },
                "help": { "text": entry, "markdown": entry },
                "defaultConfiguration": { "level": level(code.default_severity()) },
                "properties": { "tags": tags },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "cruddur",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": [],
        }],
    })
}

fn result(d: &Diagnostic, sources: &SourceMap) -> Value {
    let rule_index = Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str(&format!(" Help: {help}"));
    }
    let mut result = json!({
        "ruleId": d.code.as_str(),
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": { "text": message },
        "locations": [location(&d.primary, sources)],
    });
    if !d.secondary.is_empty() {
        result["relatedLocations"] = Value::Array(
            d.secondary
                .iter()
                .enumerate()
                .map(|(i, label)| {
                    let mut related = location(label, sources);
                    related["id"] = json!(i + 1);
                    related["message"] = json!({ "text": label.message });
                    related
                })
                .collect(),
        );
    }
    if let Some(fix) = &d.fix {
        let changes: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| {
                let label = Label::new(edit.file, edit.span.clone(), "");
                json!({
                    "artifactLocation": { "uri": uri(sources.name(edit.file)) },
                    "replacements": [{
                        "deletedRegion": region(&label, sources),
                        "insertedContent": { "text": edit.replacement },
                    }],
                })
            })
            .collect();
        result["fixes"] = json!([{ "description": { "text": fix.message }, "artifactChanges": changes }]);
    }
    if let Some(reason) = &d.suppressed {
        result["suppressions"] = json!([{ "kind": "inSource", "justification": reason }]);
    }
    result
}

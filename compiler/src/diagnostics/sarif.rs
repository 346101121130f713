//! SARIF 2.1.0, as GitHub code scanning and other CI tools read it: every rule with its help
//! (the catalog entry), and each result with its region, related locations, fixes and, for
//! waived security rules, an in-source suppression with its reason.

use super::{explain, taxonomy, Code, Diagnostic, FileId, Label, Severity, SourceMap, Span};
use serde::Serialize;
use serde_json::{json, Value};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

// A result's shapes, borrowed from the diagnostic. Fields are in name order, as a
// `serde_json::Value` prints them: the log's layout is stable.

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    end_column: usize,
    end_line: usize,
    start_column: usize,
    start_line: usize,
}

impl Region {
    fn new(file: FileId, span: &Span, sources: &SourceMap) -> Region {
        let start = sources.line_col(file, span.start);
        let end = sources.line_col(file, span.end);
        Region {
            end_column: end.column,
            end_line: end.line,
            start_column: start.column,
            start_line: start.line,
        }
    }
}

#[derive(Serialize)]
struct Uri {
    uri: String,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: Uri,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'a>>,
    physical_location: PhysicalLocation,
}

impl<'a> Location<'a> {
    fn new(label: &Label, sources: &SourceMap) -> Location<'a> {
        Location {
            id: None,
            message: None,
            physical_location: PhysicalLocation {
                artifact_location: Uri {
                    uri: uri(sources.name(label.file)),
                },
                region: Region::new(label.file, &label.span, sources),
            },
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    artifact_changes: Vec<ArtifactChange<'a>>,
    description: Text<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: Uri,
    replacements: [Replacement<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: Text<'a>,
}

#[derive(Serialize)]
struct Suppression<'a> {
    justification: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    fixes: Option<[SarifFix<'a>; 1]>,
    level: &'static str,
    locations: [Location<'a>; 1],
    message: Text<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    rule_id: &'static str,
    rule_index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[Suppression<'a>; 1]>,
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
    log["runs"][0]["results"] = diagnostics
        .iter()
        .map(|d| serde_json::to_value(result(d, &message(d), sources)).unwrap_or_default())
        .collect();
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
    super::render::write_around(
        out,
        around,
        diagnostics.iter().map(|diagnostic| Streamed { diagnostic, sources }),
    )
}

/// A result built as it is written.
struct Streamed<'a> {
    diagnostic: &'a Diagnostic,
    sources: &'a SourceMap,
}

impl Serialize for Streamed<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = message(self.diagnostic);
        result(self.diagnostic, &text, self.sources).serialize(serializer)
    }
}

/// The log without its results.
fn frame() -> Value {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|code| {
            let entry = explain::entry(*code).unwrap_or("");
            let mut tags: Vec<String> = vec![if code.is_security_rule() {
                "security".into()
            } else {
                "correctness".into()
            }];
            tags.push("ci-cd".into());
            // GitHub code scanning shows a rule's CWE from a tag of this form.
            tags.extend(taxonomy::weaknesses(*code).map(|w| format!("external/cwe/cwe-{}", w.number)));
            tags.extend(taxonomy::risks(*code).map(|r| r.id()));
            let mut rule = json!({
                "id": code.as_str(),
                "name": code.name(),
                "shortDescription": { "text": code.title() },
                "fullDescription": { "text": summary(entry) },
                "help": { "text": entry, "markdown": entry },
                "defaultConfiguration": { "level": level(code.default_severity()) },
                "properties": { "tags": tags },
            });
            let relationships = relationships(*code);
            if !relationships.is_empty() {
                rule["relationships"] = Value::Array(relationships);
            }
            rule
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
                    "supportedTaxonomies": [
                        { "name": taxonomy::OWASP_NAME, "guid": taxonomy::OWASP_GUID },
                        { "name": taxonomy::CWE_NAME, "guid": taxonomy::CWE_GUID },
                    ],
                },
            },
            "taxonomies": taxonomies(),
            "columnKind": "unicodeCodePoints",
            "results": [],
        }],
    })
}

/// A rule's place in each taxonomy: it finds a subset of what the risk or weakness names.
/// Standard taxonomies are referred to by GUID and name, not by index: SARIF's indexes point
/// into `tool.extensions`, where these are not.
fn relationships(code: Code) -> Vec<Value> {
    let related = |id: String, guid: &str, name: &str, component_guid: &str| {
        json!({
            "target": { "id": id, "guid": guid, "toolComponent": { "name": name, "guid": component_guid } },
            "kinds": ["superset"],
        })
    };
    let mut out: Vec<Value> = taxonomy::risks(code)
        .map(|r| related(r.id(), r.guid, taxonomy::OWASP_NAME, taxonomy::OWASP_GUID))
        .collect();
    out.extend(
        taxonomy::weaknesses(code)
            .map(|w| related(w.number.to_string(), w.guid, taxonomy::CWE_NAME, taxonomy::CWE_GUID)),
    );
    out
}

/// The two taxonomies the rules relate to, with every entry they name (all ten OWASP risks).
fn taxonomies() -> Value {
    let risks: Vec<Value> = taxonomy::RISKS
        .iter()
        .map(|r| json!({ "id": r.id(), "guid": r.guid, "name": r.title, "shortDescription": { "text": r.title } }))
        .collect();
    let weaknesses: Vec<Value> = taxonomy::WEAKNESSES
        .iter()
        .map(|w| {
            json!({
                "id": w.number.to_string(),
                "guid": w.guid,
                "name": w.title,
                "shortDescription": { "text": w.title },
                "helpUri": w.url(),
            })
        })
        .collect();
    json!([
        {
            "name": taxonomy::OWASP_NAME,
            "guid": taxonomy::OWASP_GUID,
            "organization": "OWASP",
            "informationUri": taxonomy::OWASP_URL,
            "isComprehensive": true,
            "shortDescription": { "text": "The ten risks of CI/CD systems OWASP lists (CICD-SEC-1 to CICD-SEC-10)." },
            "taxa": risks,
        },
        {
            "name": taxonomy::CWE_NAME,
            "guid": taxonomy::CWE_GUID,
            "organization": "MITRE",
            "informationUri": taxonomy::CWE_URL,
            "isComprehensive": false,
            "shortDescription": { "text": "The Common Weakness Enumeration: the weaknesses cruddur's security rules find." },
            "taxa": weaknesses,
        },
    ])
}

/// The result of one diagnostic; `message` holds its text (the message and its help).
fn result<'a>(d: &'a Diagnostic, message: &'a str, sources: &SourceMap) -> SarifResult<'a> {
    SarifResult {
        fixes: d.fix.as_ref().map(|fix| {
            [SarifFix {
                artifact_changes: fix
                    .edits
                    .iter()
                    .map(|edit| ArtifactChange {
                        artifact_location: Uri {
                            uri: uri(sources.name(edit.file)),
                        },
                        replacements: [Replacement {
                            deleted_region: Region::new(edit.file, &edit.span, sources),
                            inserted_content: Text {
                                text: &edit.replacement,
                            },
                        }],
                    })
                    .collect(),
                description: Text { text: &fix.message },
            }]
        }),
        level: level(d.severity),
        locations: [Location::new(&d.primary, sources)],
        message: Text { text: message },
        related_locations: d
            .secondary
            .iter()
            .enumerate()
            .map(|(i, label)| Location {
                id: Some(i + 1),
                message: Some(Text { text: &label.message }),
                ..Location::new(label, sources)
            })
            .collect(),
        rule_id: d.code.as_str(),
        rule_index: Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
        suppressions: d.suppressed.as_deref().map(|reason| {
            [Suppression {
                justification: reason,
                kind: "inSource",
            }]
        }),
    }
}

/// A diagnostic's message as its result says it: with its help.
fn message(d: &Diagnostic) -> std::borrow::Cow<'_, str> {
    match &d.help {
        Some(help) => format!("{} Help: {help}", d.message).into(),
        None => d.message.as_str().into(),
    }
}

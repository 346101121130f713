//! The reports CI systems read natively: GitHub Actions workflow commands (annotations on a pull
//! request), JUnit XML (test results in CodeBuild report groups, GitLab, Jenkins), GitLab Code
//! Quality JSON, and Checkstyle XML. Waived findings are left out of all of them; a finding's
//! text is its message, then its help and notes, as `--format short` and the terminal say them.

use super::{Diagnostic, FileId, Severity, SourceMap};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The message, help and notes, one per line.
fn text(diagnostic: &Diagnostic) -> String {
    let mut text = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    if let Some(fix) = &diagnostic.fix {
        text.push_str("\nfix: ");
        text.push_str(&fix.message);
    }
    for note in &diagnostic.notes {
        text.push_str("\nnote: ");
        text.push_str(note);
    }
    text
}

/// GitHub Actions workflow commands, one line per finding:
/// `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=E0403 …::message`. GitHub shows
/// each as an annotation at that place in the pull request's diff.
pub fn github(out: &mut dyn Write, diagnostics: &[Diagnostic], sources: &SourceMap) -> io::Result<()> {
    for d in diagnostics.iter().filter(|d| d.is_active()) {
        let start = sources.line_col(d.primary.file, d.primary.span.start);
        let end = sources.line_col(d.primary.file, d.primary.span.end);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(sources.name(d.primary.file)),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(&format!("{} {}", d.code, d.code.title())),
            escape_data(&text(d)),
        )?;
    }
    Ok(())
}

/// A command's message, escaped as GitHub's toolkit does (`%`, CR and LF).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A command's property value: also `:` and `,`, which end a property.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// JUnit XML: a test suite per file, and in it a test case per rule that found something there
/// (failed when one of its findings is an error, or a warning while `deny_warnings`), or one
/// passing case, `cruddur check`, when nothing was found. A warning that does not fail is in the
/// case's output.
pub fn junit(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    files: &[FileId],
    deny_warnings: bool,
) -> io::Result<()> {
    // Findings by file name, then by code, in the order reported.
    let mut by_file: BTreeMap<&str, BTreeMap<&str, Vec<&Diagnostic>>> = BTreeMap::new();
    for &file in files {
        by_file.entry(sources.name(file)).or_default();
    }
    for d in diagnostics.iter().filter(|d| d.is_active()) {
        by_file
            .entry(sources.name(d.primary.file))
            .or_default()
            .entry(d.code.as_str())
            .or_default()
            .push(d);
    }
    let fails = |d: &&Diagnostic| d.is_error() || deny_warnings;
    let cases = |rules: &BTreeMap<&str, Vec<&Diagnostic>>| rules.len().max(1);
    let failed =
        |rules: &BTreeMap<&str, Vec<&Diagnostic>>| rules.values().filter(|found| found.iter().any(fails)).count();
    let tests: usize = by_file.values().map(cases).sum();
    let failures: usize = by_file.values().map(failed).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="cruddur check" tests="{tests}" failures="{failures}" errors="0">"#
    )?;
    for (name, rules) in &by_file {
        let name = xml(name);
        writeln!(
            out,
            r#"  <testsuite name="{name}" tests="{}" failures="{}" errors="0" skipped="0">"#,
            cases(rules),
            failed(rules)
        )?;
        if rules.is_empty() {
            writeln!(out, r#"    <testcase classname="{name}" name="cruddur check"/>"#)?;
        }
        for (code, found) in rules {
            let title = found[0].code.title();
            writeln!(out, r#"    <testcase classname="{name}" name="{code} {}">"#, xml(title))?;
            let lines: Vec<String> = found
                .iter()
                .map(|d| {
                    let at = sources.line_col(d.primary.file, d.primary.span.start);
                    format!(
                        "{}:{}:{}: {}[{}]: {}",
                        sources.name(d.primary.file),
                        at.line,
                        at.column,
                        d.severity.as_str(),
                        d.code,
                        text(d)
                    )
                })
                .collect();
            let body = xml(&lines.join("\n\n"));
            if let Some(first) = found.iter().find(|d| fails(d)) {
                writeln!(
                    out,
                    r#"      <failure type="{code}" message="{}">{body}</failure>"#,
                    xml(&first.message)
                )?;
            } else {
                writeln!(out, "      <system-out>{body}</system-out>")?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

/// GitLab Code Quality JSON: an array of issues with a fingerprint that stays the same across
/// runs, and while lines are added above the finding (it is made of the file, the code, the
/// message and the text the finding points at, and tells apart equal findings by their order).
pub fn gitlab(out: &mut dyn Write, diagnostics: &[Diagnostic], sources: &SourceMap) -> io::Result<()> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let issues: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.is_active())
        .map(|d| {
            let path = sources.name(d.primary.file);
            let start = sources.line_col(d.primary.file, d.primary.span.start);
            let end = sources.line_col(d.primary.file, d.primary.span.end);
            let source = sources.source(d.primary.file);
            let pointed = source.get(d.primary.span.clone()).unwrap_or_default();
            let key = format!("{path}\0{}\0{}\0{pointed}", d.code, d.message);
            let occurrence = seen.entry(key.clone()).or_default();
            *occurrence += 1;
            let severity = match (d.severity, d.code.is_security_rule()) {
                (Severity::Error, true) => "critical",
                (Severity::Error, false) => "major",
                (Severity::Warning, _) => "minor",
            };
            json!({
                "check_name": d.code.as_str(),
                "description": format!("{} {}: {}", d.code, d.code.title(), text(d)),
                "fingerprint": fingerprint(&format!("{key}\0{occurrence}")),
                "location": {
                    "lines": { "begin": start.line, "end": end.line.max(start.line) },
                    "path": path,
                },
                "severity": severity,
                "type": "issue",
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues).map_err(io::Error::other)?;
    writeln!(out)
}

/// 32 hexadecimal digits of two FNV-1a hashes (64 bits each, from two offset bases): stable
/// across runs, machines and versions of Rust, unlike `std`'s hasher.
fn fingerprint(key: &str) -> String {
    let fnv = |basis: u64| {
        key.bytes().fold(basis, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    format!("{:016x}{:016x}", fnv(0xcbf2_9ce4_8422_2325), fnv(0x6c62_272e_07bb_0142))
}

/// Checkstyle XML: a `<file>` per file with findings, an `<error>` per finding.
pub fn checkstyle(out: &mut dyn Write, diagnostics: &[Diagnostic], sources: &SourceMap) -> io::Result<()> {
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.is_active()) {
        by_file.entry(sources.name(d.primary.file)).or_default().push(d);
    }
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    for (name, found) in by_file {
        writeln!(out, r#"  <file name="{}">"#, xml(name))?;
        for d in found {
            let at = sources.line_col(d.primary.file, d.primary.span.start);
            writeln!(
                out,
                r#"    <error line="{}" column="{}" severity="{}" message="{}" source="cruddur.{}"/>"#,
                at.line,
                at.column,
                d.severity.as_str(),
                xml(&text(d)),
                d.code
            )?;
        }
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}

/// Text as XML character data or an attribute value: the five special characters escaped, a
/// line break kept in an attribute, and the control characters XML 1.0 cannot hold replaced.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push_str(&format!("&#{};", u32::from(c))),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    fn one(message: &str) -> (SourceMap, Vec<Diagnostic>) {
        let mut sources = SourceMap::new();
        let file = sources.add("ci/a, b:c.cruddur", "repository r {\n  name = \"r\"\n}\n");
        let d = Diagnostic::new(Code::UnusedItem, message, file, 11..12, "here").with_help("use it");
        (sources, vec![d])
    }

    #[test]
    fn github_commands_escape_what_would_end_them() {
        let (sources, found) = one("100% of `r`\nis unused");
        let mut out = Vec::new();
        github(&mut out, &found, &sources).unwrap();
        let line = String::from_utf8(out).unwrap();
        assert_eq!(
            line,
            "::warning file=ci/a%2C b%3Ac.cruddur,line=1,col=12,endLine=1,endColumn=13,title=E0204 unused item::100%25 of `r`%0Ais unused%0Ahelp: use it\n"
        );
    }

    #[test]
    fn xml_text_cannot_break_out() {
        assert_eq!(
            xml("<a href=\"x\">&'\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;\u{fffd}"
        );
    }

    #[test]
    fn fingerprints_are_fixed_and_tell_equal_findings_apart() {
        assert_eq!(fingerprint(""), "cbf29ce4842223256c62272e07bb0142");
        let (sources, mut found) = one("unused");
        found.push(found[0].clone());
        let mut out = Vec::new();
        gitlab(&mut out, &found, &sources).unwrap();
        let issues: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_ne!(issues[0]["fingerprint"], issues[1]["fingerprint"]);
    }
}

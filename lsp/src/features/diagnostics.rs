//! A file's diagnostics as the editor shows them: the code with a link to its explanation, the
//! other half of the mistake as related information, unused things faded, waived findings left
//! out.

use crate::convert;
use crate::session::Session;
use cruddur::analysis::Analysis;
use cruddur::diagnostics::{Code, Diagnostic, FileId, Severity};
use tower_lsp_server::ls_types::{self as lsp, Uri};

pub const SOURCE: &str = "cruddur";

/// Where a code's explanation is linked from: a URI in which `{code}` stands for the code
/// (`file:///…/explain/{code}.md`), or one ending in `#` to which the heading's anchor in
/// `spec/diagnostics.md` is added, as GitHub renders it.
#[derive(Clone, Debug, Default)]
pub struct DiagnosticsOptions {
    pub explanations: Option<String>,
    /// Warnings are shown as errors, as `cruddur check --deny warnings` fails on them.
    pub deny_warnings: bool,
}

impl DiagnosticsOptions {
    /// Whether the editor shows `d` as an error: it is one, or warnings are denied.
    pub fn shown_as_error(&self, d: &Diagnostic) -> bool {
        d.severity == Severity::Error || self.deny_warnings
    }

    pub fn link(&self, code: Code) -> Option<Uri> {
        let base = self.explanations.as_deref()?;
        let target = if base.ends_with('#') {
            format!("{base}{}", anchor(code))
        } else {
            base.replace("{code}", code.as_str())
        };
        target.parse().ok()
    }
}

/// GitHub's anchor for the heading `## E0403: docker login scoped to …`.
fn anchor(code: Code) -> String {
    let heading = format!("{}: {}", code.as_str(), code.title());
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Lexical and syntax errors: the file does not parse as written.
pub fn is_syntax_error(diagnostic: &Diagnostic) -> bool {
    diagnostic.is_error() && diagnostic.code.is_syntax()
}

pub fn diagnostics(session: &Session, analysis: &Analysis, file: FileId) -> Vec<lsp::Diagnostic> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.primary.file == file && d.is_active())
        .map(|d| to_lsp(session, d))
        .collect()
}

pub fn to_lsp(session: &Session, d: &Diagnostic) -> lsp::Diagnostic {
    let sources = session.workspace().sources();
    let message = cruddur::ide::actions::message(d);
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter_map(|label| {
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location {
                    uri: session.uri(label.file)?,
                    range: convert::range(sources, label.file, &label.span),
                },
                message: label.message.clone(),
            })
        })
        .collect();
    let unnecessary = cruddur::ide::actions::unnecessary(d);
    lsp::Diagnostic {
        range: convert::range(sources, d.primary.file, &d.primary.span),
        severity: Some(if session.options.diagnostics.shown_as_error(d) {
            lsp::DiagnosticSeverity::ERROR
        } else {
            lsp::DiagnosticSeverity::WARNING
        }),
        code: Some(lsp::NumberOrString::String(d.code.as_str().to_string())),
        code_description: session
            .options
            .diagnostics
            .link(d.code)
            .map(|href| lsp::CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: unnecessary.then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

/// A `cruddur.toml` that cannot be used, reported where it is wrong.
pub fn config_diagnostic(error: &cruddur::analysis::config::ConfigError) -> lsp::Diagnostic {
    let at = lsp::Position::new(error.line as u32, error.column as u32);
    lsp::Diagnostic {
        range: lsp::Range::new(at, at),
        severity: Some(lsp::DiagnosticSeverity::ERROR),
        source: Some(SOURCE.to_string()),
        message: format!("{}; the default configuration applies meanwhile", error.reason),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_githubs() {
        assert_eq!(anchor(Code::UnusedItem), "e0204-unused-item");
        let options = DiagnosticsOptions {
            explanations: Some("https://example.com/spec/diagnostics.md#".to_string()),
            ..Default::default()
        };
        assert_eq!(
            options.link(Code::UnusedItem).unwrap().as_str(),
            "https://example.com/spec/diagnostics.md#e0204-unused-item"
        );
        let options = DiagnosticsOptions {
            explanations: Some("file:///cache/explain/{code}.md".to_string()),
            ..Default::default()
        };
        assert_eq!(
            options.link(Code::UnusedItem).unwrap().as_str(),
            "file:///cache/explain/E0204.md"
        );
    }
}

//! `cruddur.toml` at a project's root: which files form the program (all `.cruddur` files below
//! it) and per-rule severity overrides:
//!
//! ```toml
//! [severity]
//! S0011 = "error"    # make a warning fail the build
//! E0204 = "off"      # do not report unused items
//! ```

use crate::diagnostics::{Code, Diagnostic, Severity};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct Config {
    severity: BTreeMap<Code, Option<Severity>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    severity: BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
}

/// Why a `cruddur.toml` cannot be used, and where in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// What is wrong, in a sentence.
    pub reason: String,
    /// The line, from 0.
    pub line: usize,
    /// The column, from 0, in UTF-16 code units (as editors count).
    pub column: usize,
}

impl std::fmt::Display for ConfigError {
    /// `LINE:COLUMN: reason`, from 1, as a compiler says where.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line + 1, self.column + 1, self.reason)
    }
}

impl ConfigError {
    fn new(text: &str, at: usize, reason: String) -> ConfigError {
        let at = crate::diagnostics::clamp_to_char_boundary(text, at.min(text.len()));
        let line_start = text[..at].rfind('\n').map_or(0, |nl| nl + 1);
        ConfigError {
            reason,
            line: text[..line_start].matches('\n').count(),
            column: crate::diagnostics::utf16_len(&text[line_start..at]),
        }
    }
}

impl Config {
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let file: File = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |span| span.start);
            ConfigError::new(text, at, e.message().trim().to_string())
        })?;
        let mut config = Config::default();
        for (name, level) in file.severity {
            let at = name.span().start;
            let (name, level) = (name.into_inner(), level);
            let code: Code = name
                .parse()
                .map_err(|()| ConfigError::new(text, at, format!("[severity] `{name}` is not a diagnostic code")))?;
            let severity = match level.get_ref().as_str() {
                "error" => Some(Severity::Error),
                "warning" => Some(Severity::Warning),
                "off" => None,
                other => {
                    return Err(ConfigError::new(
                        text,
                        level.span().start,
                        format!("[severity] {name} = \"{other}\": use \"error\", \"warning\" or \"off\""),
                    ))
                }
            };
            if severity != Some(Severity::Error)
                && code.default_severity() == Severity::Error
                && !code.is_security_rule()
            {
                return Err(ConfigError::new(
                    text,
                    at,
                    format!("[severity] {name} is an error AWS would reject; it cannot be lowered or turned off"),
                ));
            }
            config.severity.insert(code, severity);
        }
        Ok(config)
    }

    /// The rules turned off (`CODE = "off"`).
    pub fn rules_off(&self) -> Vec<Code> {
        self.severity
            .iter()
            .filter(|(_, level)| level.is_none())
            .map(|(code, _)| *code)
            .collect()
    }

    /// Applies the overrides: changes severities and drops rules turned off.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain_mut(|d| match self.severity.get(&d.code) {
            Some(Some(severity)) => {
                d.severity = *severity;
                true
            }
            Some(None) => false,
            None => true,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::FileId;

    #[test]
    fn overrides_change_severity_and_turn_rules_off() {
        let config = Config::parse("[severity]\nS0011 = \"error\"\nE0204 = \"off\"\n").unwrap();
        let mut diagnostics = vec![
            Diagnostic::new(Code::RepositoryUnscanned, "m", FileId(0), 0..1, "l"),
            Diagnostic::new(Code::UnusedItem, "m", FileId(0), 0..1, "l"),
        ];
        config.apply(&mut diagnostics);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].severity, Severity::Error);
    }

    #[test]
    fn bad_configurations_are_explained_where_they_are() {
        let error = |text: &str| Config::parse(text).unwrap_err();
        let unknown = error("[severity]\nX1 = \"error\"");
        assert!(unknown.reason.contains("not a diagnostic code"));
        assert_eq!((unknown.line, unknown.column), (1, 0));
        let level = error("[severity]\nS0011 = \"loud\"");
        assert!(level.reason.contains("use \"error\""));
        assert_eq!((level.line, level.column), (1, 8));
        assert!(error("[severity]\nE0310 = \"off\"")
            .reason
            .contains("cannot be lowered"));
        assert!(error("[severity]\nE0010 = \"warning\"")
            .reason
            .contains("cannot be lowered"));
        // TOML's own errors: its message, without its quote of the line, and its place.
        let syntax = error("# é\n[severity\n");
        assert_eq!(syntax.line, 1, "{syntax:?}");
        assert!(!syntax.reason.contains('|') && !syntax.reason.is_empty(), "{syntax:?}");
        assert_eq!(
            syntax.to_string(),
            format!("2:{}: {}", syntax.column + 1, syntax.reason)
        );
        assert!(Config::parse("[severty]\n").is_err());
        assert!(Config::parse("").is_ok());
    }
}

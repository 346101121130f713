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
    severity: BTreeMap<String, String>,
}

impl Config {
    pub fn parse(text: &str) -> Result<Config, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string().trim().to_string())?;
        let mut config = Config::default();
        for (name, level) in file.severity {
            let code: Code = name
                .parse()
                .map_err(|()| format!("[severity] `{name}` is not a diagnostic code"))?;
            let level = match level.as_str() {
                "error" => Some(Severity::Error),
                "warning" => Some(Severity::Warning),
                "off" => None,
                other => {
                    return Err(format!(
                        "[severity] {name} = \"{other}\": use \"error\", \"warning\" or \"off\""
                    ))
                }
            };
            if level != Some(Severity::Error) && code.default_severity() == Severity::Error && !code.is_security_rule()
            {
                return Err(format!(
                    "[severity] {name} is an error AWS would reject; it cannot be lowered or turned off"
                ));
            }
            config.severity.insert(code, level);
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
    fn bad_configurations_are_explained() {
        assert!(Config::parse("[severity]\nX1 = \"error\"")
            .unwrap_err()
            .contains("not a diagnostic code"));
        assert!(Config::parse("[severity]\nS0011 = \"loud\"")
            .unwrap_err()
            .contains("use \"error\""));
        assert!(Config::parse("[severity]\nE0310 = \"off\"")
            .unwrap_err()
            .contains("cannot be lowered"));
        assert!(Config::parse("[severity]\nE0010 = \"warning\"")
            .unwrap_err()
            .contains("cannot be lowered"));
        assert!(Config::parse("[severty]\n").is_err());
        assert!(Config::parse("").is_ok());
    }
}

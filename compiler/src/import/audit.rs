//! The least-privilege audit: each imported project's original role (its inline policies, as
//! `aws iam get-role-policy` prints them) compared with the policy cruddur writes for the
//! same project. What the original grants beyond the need (with the IAM catalog's access
//! level), where it grants a needed action on more than the needed resources, and what the
//! need has that the original lacks (the build would have failed at run time).

use crate::diagnostics::SourceMap;
use crate::resolve::needs::action_matches;
use serde_json::Value;
use std::collections::BTreeMap;

/// An inline policy of a role, as read.
#[derive(Clone, Debug)]
pub(super) struct RolePolicy {
    pub role: String,
    pub name: String,
    pub document: Value,
}

/// One statement's grants: actions (patterns) on resources (patterns). Deny statements and
/// conditions are not weighed: an audit line is then marked as approximate.
#[derive(Debug)]
struct Grant {
    actions: Vec<String>,
    resources: Vec<String>,
    conditional: bool,
}

fn grants(document: &Value) -> (Vec<Grant>, bool) {
    let statements = match &document["Statement"] {
        Value::Array(items) => items.clone(),
        one @ Value::Object(_) => vec![one.clone()],
        _ => Vec::new(),
    };
    let list = |v: &Value| -> Vec<String> {
        match v {
            Value::String(s) => vec![s.clone()],
            Value::Array(items) => items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
            _ => Vec::new(),
        }
    };
    let mut out = Vec::new();
    let mut denies = false;
    for statement in statements {
        if statement["Effect"].as_str() != Some("Allow") {
            denies = true;
            continue;
        }
        if !statement["NotAction"].is_null() || !statement["NotResource"].is_null() {
            denies = true;
            continue;
        }
        out.push(Grant {
            actions: list(&statement["Action"]),
            resources: list(&statement["Resource"]),
            conditional: !statement["Condition"].is_null(),
        });
    }
    (out, denies)
}

/// `*` and `?` globs, as IAM matches resources.
fn resource_matches(pattern: &str, resource: &str) -> bool {
    fn go(p: &[u8], t: &[u8]) -> bool {
        let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
        while ti < t.len() {
            if pi < p.len() && (p[pi] == b'?' || p[pi] == t[ti]) {
                pi += 1;
                ti += 1;
            } else if pi < p.len() && p[pi] == b'*' {
                star = Some(pi);
                mark = ti;
                pi += 1;
            } else if let Some(s) = star {
                pi = s + 1;
                mark += 1;
                ti = mark;
            } else {
                return false;
            }
        }
        while pi < p.len() && p[pi] == b'*' {
            pi += 1;
        }
        pi == p.len()
    }
    go(pattern.as_bytes(), resource.as_bytes())
}

/// The audit of one project's role: lines to print.
pub(super) fn audit(project: &str, policies: &[&RolePolicy], needed: &Value) -> Vec<String> {
    let mut original = Vec::new();
    let mut approximate = false;
    for policy in policies {
        let (found, denies) = grants(&policy.document);
        approximate |= denies;
        original.extend(found);
    }
    let (need, _) = grants(needed);
    // Every (action, resource) the project needs.
    let needs: Vec<(&str, &str)> = need
        .iter()
        .flat_map(|g| {
            g.actions
                .iter()
                .flat_map(move |a| g.resources.iter().map(move |r| (a.as_str(), r.as_str())))
        })
        .collect();
    let mut lines = Vec::new();
    // Beyond the need: actions no need matches, by access level; a wildcard that grants more
    // actions than the build needs of it.
    let mut beyond: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    // (resource granted, resources needed) → the actions granted so.
    let mut broader: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for grant in &original {
        for pattern in &grant.actions {
            let mut used: Vec<&str> = needs
                .iter()
                .filter(|(a, _)| action_matches(pattern, a))
                .map(|(a, _)| *a)
                .collect();
            used.sort();
            used.dedup();
            if used.is_empty() {
                beyond.entry(level_of(pattern)).or_default().push(pattern.clone());
                continue;
            }
            let granted = catalog_actions(pattern);
            if granted > used.len() {
                beyond.entry(level_of(pattern)).or_default().push(format!(
                    "{pattern} ({granted} actions, of which the build needs {})",
                    used.join(", ")
                ));
            }
            // Needed, but on more than it needs: per needed action, a resource pattern that
            // takes in its needed resources and more.
            for action in &used {
                let needed: Vec<&str> = needs.iter().filter(|(a, _)| a == action).map(|(_, r)| *r).collect();
                for resource in &grant.resources {
                    let inside: Vec<&str> = needed
                        .iter()
                        .copied()
                        .filter(|r| resource_matches(resource, r))
                        .collect();
                    if !inside.is_empty() && !needed.contains(&resource.as_str()) {
                        let key = (resource.clone(), inside.join(", "));
                        let actions = broader.entry(key).or_default();
                        if !actions.iter().any(|a| a == action) {
                            actions.push(action.to_string());
                        }
                    }
                }
            }
        }
    }
    for (level, actions) in &beyond {
        lines.push(format!("grants beyond the need ({level}): {}", actions.join(", ")));
    }
    for ((resource, needed), actions) in broader {
        lines.push(format!(
            "grants {} on {resource}, where the build needs {needed}",
            actions.join(", ")
        ));
    }
    // Lacking: needs no original grant covers.
    let mut lacking: Vec<String> = Vec::new();
    for (action, resource) in &needs {
        let covered = original.iter().any(|g| {
            g.actions.iter().any(|a| action_matches(a, action))
                && g.resources.iter().any(|r| resource_matches(r, resource))
        });
        if !covered {
            lacking.push(format!("{action} on {resource}"));
        }
    }
    if !lacking.is_empty() {
        lines.push(format!(
            "lacks what the build needs (it would fail at run time): {}",
            lacking.join(", ")
        ));
    }
    if original.iter().any(|g| g.conditional) || approximate {
        lines.push(
            "its Deny, NotAction and Condition parts are not weighed: read these lines as an upper bound".to_string(),
        );
    }
    if lines.is_empty() {
        lines.push("grants exactly what the build needs".to_string());
    }
    let names: Vec<&str> = policies.iter().map(|p| p.name.as_str()).collect();
    let role = policies.first().map_or("", |p| p.role.as_str());
    let mut out = vec![format!(
        "role {role} (policies {}) against what `{project}` needs:",
        names.join(", ")
    )];
    out.extend(lines.into_iter().map(|l| format!("  {l}")));
    out
}

/// How many actions of the IAM catalog a pattern grants (1 for an action the catalog does
/// not know; every action of every service for `*`, counted as more than any need).
fn catalog_actions(pattern: &str) -> usize {
    if pattern == "*" {
        return usize::MAX;
    }
    let Some((prefix, name)) = pattern.split_once(':') else {
        return 1;
    };
    if !name.contains(['*', '?']) {
        return 1;
    }
    crate::data::iam::service(&prefix.to_ascii_lowercase()).map_or(1, |service| {
        service.actions.iter().filter(|(n, _)| action_matches(name, n)).count()
    })
}

/// The IAM catalog's access level of an action, or of the actions a pattern names (the
/// widest of them).
fn level_of(pattern: &str) -> &'static str {
    if pattern == "*" {
        return "every action of every service";
    }
    let Some((prefix, name)) = pattern.split_once(':') else {
        return "unknown";
    };
    let Some(service) = crate::data::iam::service(&prefix.to_ascii_lowercase()) else {
        return "unknown";
    };
    let order = ["Permissions management", "Write", "Tagging", "List", "Read"];
    let levels: Vec<&'static str> = service
        .actions
        .iter()
        .filter(|(n, _)| action_matches(name, n))
        .map(|(_, a)| a.access)
        .collect();
    order
        .iter()
        .find(|level| levels.contains(level))
        .copied()
        .unwrap_or("unknown")
}

/// The role policy a file holds (`aws iam get-role-policy` output), if it is one.
pub(super) fn read(sources: &SourceMap, file: crate::diagnostics::FileId) -> Option<RolePolicy> {
    let value: Value = serde_json::from_str(sources.source(file)).ok()?;
    let role = value["RoleName"].as_str()?.to_string();
    let name = value["PolicyName"].as_str().unwrap_or("").to_string();
    let document = match &value["PolicyDocument"] {
        // The CLI prints the document as JSON; some tools give it URL-encoded text.
        Value::String(text) => serde_json::from_str(text).ok()?,
        other => other.clone(),
    };
    Some(RolePolicy { role, name, document })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_audit_names_what_is_beyond_broader_and_lacking() {
        let original = RolePolicy {
            role: "old".into(),
            name: "inline".into(),
            document: json!({ "Statement": [
                { "Effect": "Allow", "Action": ["logs:*"], "Resource": "*" },
                { "Effect": "Allow", "Action": "s3:*", "Resource": "*" },
            ]}),
        };
        let needed = json!({ "Statement": [
            { "Effect": "Allow", "Action": ["logs:CreateLogStream"], "Resource": ["arn:aws:logs:us-east-1:1:log-group:/aws/codebuild/x:*"] },
            { "Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": ["*"] },
        ]});
        let lines = audit("x", &[&original], &needed).join("\n");
        assert!(lines.contains("grants beyond the need (Permissions management): logs:* (127 actions, of which the build needs logs:CreateLogStream), s3:*"), "{lines}");
        assert!(
            lines.contains("grants logs:CreateLogStream on *, where the build needs arn:aws:logs"),
            "{lines}"
        );
        assert!(lines.contains("logs:* ("), "{lines}");
        assert!(
            lines.contains("lacks what the build needs (it would fail at run time): ecr:GetAuthorizationToken on *"),
            "{lines}"
        );
    }

    #[test]
    fn resources_match_as_iam_globs() {
        assert!(resource_matches("arn:aws:s3:::b/*", "arn:aws:s3:::b/k"));
        assert!(resource_matches("*", "anything"));
        assert!(!resource_matches("arn:aws:s3:::b/*", "arn:aws:s3:::c/k"));
        assert!(resource_matches(
            "arn:aws:logs:*:1:log-group:?",
            "arn:aws:logs:us:1:log-group:x"
        ));
    }
}

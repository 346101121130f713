//! The least-privilege audit: each imported project's original role (its inline policies, as
//! `aws iam get-role-policy` prints them) compared with the policy cruddur writes for the
//! same project. What the original grants beyond the need (with the IAM catalog's access
//! level), where it grants a needed action on more than the needed resources, and what the
//! need has that the original lacks (the build would have failed at run time).

use crate::diagnostics::SourceMap;
use serde_json::Value;
use std::collections::BTreeMap;

/// An inline policy of a role, as read.
#[derive(Clone, Debug)]
pub(super) struct RolePolicy {
    pub role: String,
    pub name: String,
    pub document: Value,
}

/// One Allow statement's grants: actions (patterns) on resources (patterns); with
/// `NotAction` or `NotResource`, every action or resource but those. Deny statements and
/// conditions are not weighed: the audit then says so.
#[derive(Debug)]
struct Grant {
    actions: Vec<String>,
    not_actions: bool,
    resources: Vec<String>,
    not_resources: bool,
    conditional: bool,
}

impl Grant {
    fn allows_action(&self, action: &str) -> bool {
        self.actions.iter().any(|a| glob(a, action)) != self.not_actions
    }

    fn allows_resource(&self, resource: &str) -> bool {
        self.resources.iter().any(|r| covers(r, resource)) != self.not_resources
    }
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
        let not_actions = !statement["NotAction"].is_null();
        let not_resources = !statement["NotResource"].is_null();
        out.push(Grant {
            actions: list(if not_actions {
                &statement["NotAction"]
            } else {
                &statement["Action"]
            }),
            not_actions,
            resources: list(if not_resources {
                &statement["NotResource"]
            } else {
                &statement["Resource"]
            }),
            not_resources,
            conditional: !statement["Condition"].is_null(),
        });
    }
    (out, denies)
}

/// An action pattern (`*`, `?`) against an action, in any case, as IAM matches them.
fn glob(pattern: &str, action: &str) -> bool {
    resource_matches(&pattern.to_ascii_lowercase(), &action.to_ascii_lowercase())
}

/// `*` and `?` globs, as IAM matches resources.
/// Whether a granted resource covers a needed one. A need written with `?` only stands for one
/// resource whose name ends unknown (a secret's `-??????` suffix): a grant on a resource of
/// that shape is on that one.
fn covers(granted: &str, needed: &str) -> bool {
    resource_matches(granted, needed)
        || (needed.contains('?') && !needed.contains('*') && resource_matches(needed, granted))
}

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

/// The audit of one project's role: lines to print. `calls`: the project's own AWS calls,
/// which the need does not hold (they are to-dos).
pub(super) fn audit(project: &str, policies: &[&RolePolicy], needed: &Value, calls: bool) -> Vec<String> {
    audit_of(project, "the build", policies, needed, calls)
}

/// The audit of what `who` (the build, the pipeline) needs.
pub(super) fn audit_of(project: &str, who: &str, policies: &[&RolePolicy], needed: &Value, calls: bool) -> Vec<String> {
    let mut original = Vec::new();
    let mut denies = false;
    for policy in policies {
        let (found, deny) = grants(&policy.document);
        denies |= deny;
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
    let mut beyond: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    // (resource granted, what the build needs there) → the actions granted so.
    let mut broader: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for grant in &original {
        let resources = grant.resources.join(", ");
        let on = if grant.not_resources {
            format!("every resource but {resources}")
        } else {
            resources
        };
        if grant.not_actions {
            beyond.entry("every access level").or_default().push(format!(
                "every action but {} (NotAction) on {on}",
                grant.actions.join(", ")
            ));
            continue;
        }
        for pattern in &grant.actions {
            let mut used: Vec<&str> = needs
                .iter()
                .filter(|(a, _)| glob(pattern, a))
                .map(|(a, _)| *a)
                .collect();
            used.sort();
            used.dedup();
            let count = match catalog_actions(pattern) {
                None => "every action of every service".to_string(),
                Some(n) if pattern.contains(['*', '?']) => format!("{n} actions"),
                Some(_) => String::new(),
            };
            if used.is_empty() {
                let what = if count.is_empty() {
                    pattern.clone()
                } else {
                    format!("{pattern} ({count})")
                };
                beyond
                    .entry(level_of(pattern))
                    .or_default()
                    .push(format!("{what} on {on}"));
                continue;
            }
            if !count.is_empty() && catalog_actions(pattern).is_none_or(|n| n > used.len()) {
                beyond.entry(level_of(pattern)).or_default().push(format!(
                    "{pattern} ({count}, of which {who} needs {}) on {on}",
                    used.join(", ")
                ));
            }
            if grant.not_resources {
                continue;
            }
            // Per needed action: a resource that takes in the needed ones and more, or one
            // the build does not use at all.
            for action in &used {
                let needed: Vec<&str> = needs.iter().filter(|(a, _)| a == action).map(|(_, r)| *r).collect();
                for resource in &grant.resources {
                    let inside: Vec<&str> = needed.iter().copied().filter(|r| covers(resource, r)).collect();
                    let what = if inside.is_empty() {
                        Some(format!(", which {who} does not use"))
                    } else if !needed.contains(&resource.as_str()) && !inside.iter().all(|n| covers(n, resource)) {
                        Some(format!(", where it needs only {}", inside.join(", ")))
                    } else {
                        None
                    };
                    if let Some(what) = what {
                        let actions = broader.entry((resource.clone(), what)).or_default();
                        if !actions.iter().any(|a| a == action) {
                            actions.push(action.to_string());
                        }
                    }
                }
            }
        }
    }
    for (level, grants) in &beyond {
        // Actions granted on the same resources, together: `a, b on R; c on S`.
        let mut by_resource: Vec<(&str, Vec<&str>)> = Vec::new();
        for grant in grants {
            let (what, on) = grant.rsplit_once(" on ").unwrap_or((grant.as_str(), ""));
            match by_resource.iter_mut().find(|(r, _)| *r == on) {
                Some((_, whats)) => whats.push(what),
                None => by_resource.push((on, vec![what])),
            }
        }
        let parts: Vec<String> = by_resource
            .iter()
            .map(|(on, whats)| format!("{} on {on}", whats.join(", ")))
            .collect();
        lines.push(format!("grants beyond the need ({level}): {}", parts.join("; ")));
    }
    for ((resource, what), actions) in broader {
        lines.push(format!("grants {} on {resource}{what}", actions.join(", ")));
    }
    // Lacking: needs no original grant covers.
    let lacking: Vec<String> = needs
        .iter()
        .filter(|(action, resource)| {
            !original
                .iter()
                .any(|g| g.allows_action(action) && g.allows_resource(resource))
        })
        .map(|(action, resource)| format!("{action} on {resource}"))
        .collect();
    if !lacking.is_empty() {
        lines.push(format!(
            "lacks what {who} needs (it would fail at run time): {}",
            lacking.join(", ")
        ));
    }
    if original.iter().any(|g| g.conditional) || denies {
        lines.push("its Deny statements and conditions are not weighed: they may take away some of what these lines say it grants".to_string());
    }
    if calls {
        lines.push("the build's own AWS calls (listed as to-dos) are not in the need: what the role grants for them is listed above as beyond it".to_string());
    }
    if lines.is_empty() {
        lines.push(format!("grants exactly what {who} needs"));
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

/// How many actions of the IAM catalog a pattern grants; `None` for `*` (every action of
/// every service); 1 for an action the catalog does not know.
fn catalog_actions(pattern: &str) -> Option<usize> {
    if pattern == "*" {
        return None;
    }
    let Some((prefix, name)) = pattern.split_once(':') else {
        return Some(1);
    };
    if !name.contains(['*', '?']) {
        return Some(1);
    }
    Some(
        crate::data::iam::service(&prefix.to_ascii_lowercase()).map_or(1, |service| {
            service.actions.iter().filter(|(n, _)| glob(name, n)).count()
        }),
    )
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
        .filter(|(n, _)| glob(name, n))
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
        // The CLI prints the document as JSON; the API gives it URL-encoded.
        Value::String(text) => serde_json::from_str(text)
            .ok()
            .or_else(|| serde_json::from_str(&percent_decoded(text)?).ok())?,
        other => other.clone(),
    };
    Some(RolePolicy { role, name, document })
}

/// `%7B%22…` as the text it encodes.
fn percent_decoded(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
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
        let lines = audit("x", &[&original], &needed, false).join("\n");
        assert!(
            lines.contains("(Permissions management): logs:* (127 actions, of which the build needs logs:CreateLogStream), s3:* (168 actions) on *"),
            "{lines}"
        );
        assert!(
            lines.contains("grants logs:CreateLogStream on *, where it needs only arn:aws:logs"),
            "{lines}"
        );
        assert!(
            lines.contains("lacks what the build needs (it would fail at run time): ecr:GetAuthorizationToken on *"),
            "{lines}"
        );
        // Every action but IAM's: beyond; and it covers what the build needs.
        let broad = RolePolicy {
            role: "old".into(),
            name: "inline".into(),
            document: json!({ "Statement": { "Effect": "Allow", "NotAction": "iam:*", "Resource": "*" } }),
        };
        let lines = audit("x", &[&broad], &needed, false).join("\n");
        assert!(lines.contains("every action but iam:* (NotAction) on *"), "{lines}");
        assert!(!lines.contains("lacks"), "{lines}");
        // `?` matches one character.
        assert!(glob("ecr:PutImag?", "ecr:PutImage") && !glob("ecr:Put?", "ecr:PutImage"));
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

//! Explicit roles against their use: a role must trust the service that assumes it, must
//! allow what its project or pipeline needs (see [`super::needs`]), and must grant actions that
//! support no resource-level permission on `*` — the mistake behind `docker login` failing
//! with "no basic auth credentials".

use crate::data;
use crate::diagnostics::{Applicability, Code, Diagnostic, Edit, Fix, SourceMap};
use crate::resolve::model::*;
use crate::resolve::needs::{self, action_matches, Need, RoleUser};
use crate::resolve::render::{Env, UNKNOWN};
use crate::vocabulary::{Enumerated, TrustedService};
use std::collections::BTreeMap;

pub fn check(sources: &SourceMap, program: &Program, out: &mut Vec<Diagnostic>) {
    for user in needs::role_users(program) {
        let Some(role) = user.declared(program) else {
            continue;
        };
        // An action's own role is assumed by the pipeline's role (cruddur adds that to its
        // trust policy): only projects and pipelines are checked for trust.
        match user {
            RoleUser::Project(i) => trust(
                sources,
                program,
                role,
                TrustedService::CodeBuild,
                &format!("project `{}`", program.projects[i].header.name),
                out,
            ),
            RoleUser::Pipeline(i) => trust(
                sources,
                program,
                role,
                TrustedService::CodePipeline,
                &format!("pipeline `{}`", program.pipelines[i].header.name),
                out,
            ),
            RoleUser::Action(_) => {}
        }
        permissions(sources, program, role.value, &user.needs(program), out);
    }
    for role in &program.roles {
        for allow in &role.allows {
            wildcard_only(sources, allow, out);
        }
    }
}

fn trust(
    sources: &SourceMap,
    program: &Program,
    use_site: &At<usize>,
    service: TrustedService,
    user: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(role) = program.roles.get(use_site.value) else {
        return;
    };
    if role.trust.is_empty() || role.trust.iter().any(|t| t.value == service) {
        return;
    }
    let principal = service.word();
    let mut d = Diagnostic::new(
        Code::TrustMismatch,
        format!(
            "role `{}` is used by {user}, but does not trust `{principal}`",
            role.header.name
        ),
        use_site.loc.file,
        use_site.loc.span.clone(),
        format!("{principal} must assume this role"),
    )
    .with_note(format!(
        "AWS would refuse: {} cannot assume a role whose trust policy does not name it",
        service.aws()
    ));
    if let Some(list) = &role.trust_loc {
        d = d.with_secondary(list.file, list.span.clone(), "trusted services");
        let text = sources.source(list.file).get(list.span.clone()).unwrap_or("");
        if text.ends_with(']') {
            let at = list.span.end - 1;
            d.fix = Some(Fix {
                message: format!("trust `{principal}` too"),
                edits: vec![Edit {
                    file: list.file,
                    span: at..at,
                    replacement: format!(", {principal}"),
                }],
                // Widening who may assume a role is for a person to decide.
                applicability: Applicability::Suggested,
            });
        }
    }
    out.push(d);
}

/// Whether some `allow` of the role grants `need`: an action pattern that matches it, on a
/// resource that covers an ARN it needs (ARNs compared as samples, `*` in a grant matching any
/// text).
fn granted(program: &Program, role: &Role, need: &Need, needed: &[String]) -> bool {
    // Connection actions are authorised under either prefix, depending on the connection's ARN.
    let alternatives = match need.action.split_once(':') {
        Some(("codeconnections" | "codestar-connections", name)) => {
            vec![
                format!("codeconnections:{name}"),
                format!("codestar-connections:{name}"),
            ]
        }
        _ => vec![need.action.to_string()],
    };
    let mut scratch = Vec::new();
    let mut env = Env::sample(program, &mut scratch);
    let allows: Vec<(&Allow, Vec<String>)> = role
        .allows
        .iter()
        .map(|a| (a, a.resources.iter().map(|r| env.text(r)).collect()))
        .collect();
    // An action without resource-level permissions granted on some ARN is E0403's to report.
    let any_resource = crate::data::iam::wildcard_only(need.action);
    allows.iter().any(|(allow, resources)| {
        allow
            .actions
            .iter()
            .any(|pattern| alternatives.iter().any(|a| action_matches(&pattern.value, a)))
            && (any_resource
                // AWS documents some grants as pairs (a log group and its streams): either will do.
                // A parameter's value is known only at build time: not judged.
                || needed.iter().any(|arn| {
                    resources.iter().any(|granted| {
                        arn.contains(UNKNOWN) || granted.contains(UNKNOWN) || action_matches(granted, arn)
                    })
                }))
    })
}

fn permissions(sources: &SourceMap, program: &Program, role_index: usize, needs: &[Need], out: &mut Vec<Diagnostic>) {
    // An existing role's policy is not known here: what it needs is written for its account.
    let Some(role) = program.roles.get(role_index).filter(|r| r.arn.is_none()) else {
        return;
    };
    // One diagnostic per place that needs something the role lacks, with each need's ARNs as
    // samples. A need that renders no ARN needs nothing.
    let mut scratch = Vec::new();
    let mut sample = Env::sample(program, &mut scratch);
    // By the place that needs them: (need, the ARNs it needs).
    type Lacking<'a> = Vec<(&'a Need, Vec<String>)>;
    let mut missing: BTreeMap<(FileIdKey, usize, usize), Lacking> = BTreeMap::new();
    // Granted on resources of another type: those statements are reported (E0406).
    let misgranted: Vec<String> = role
        .allows
        .iter()
        .flat_map(|allow| super::grants::granted_on_wrong_type(allow, &mut sample))
        .collect();
    for need in needs {
        if misgranted.contains(&need.action.to_ascii_lowercase()) {
            continue;
        }
        let needed = sample.need_arns(need);
        if !needed.is_empty() && !granted(program, role, need, &needed) {
            missing
                .entry((FileIdKey(need.why.file.0), need.why.span.start, need.why.span.end))
                .or_default()
                .push((need, needed));
        }
    }
    for found in missing.values() {
        let group: Vec<&Need> = found.iter().map(|(need, _)| *need).collect();
        let first = group[0];
        // A connection's actions under the prefix its ARN is authorised with.
        let named: Vec<Vec<String>> = found
            .iter()
            .map(|(need, needed)| needs::connection_actions(need.action, needed))
            .collect();
        let actions: Vec<&str> = named.iter().flatten().map(String::as_str).collect();
        // Allowed, but on other resources: say so, with the resources it needs.
        let elsewhere = group.iter().all(|need| {
            role.allows
                .iter()
                .flat_map(|a| &a.actions)
                .any(|p| action_matches(&p.value, need.action))
        });
        let message = if elsewhere {
            let mut scratch = Vec::new();
            let mut env = Env::source(program, &mut scratch);
            let mut arns: Vec<String> = group.iter().flat_map(|n| env.need_arns(n)).collect();
            arns.sort();
            arns.dedup();
            format!(
                "role `{}` allows {} only on other resources; {} needs them on {}",
                role.header.name,
                actions.join(", "),
                first.reason,
                arns.join(", ")
            )
        } else {
            format!(
                "role `{}` does not allow {}, needed for {}",
                role.header.name,
                actions.join(", "),
                first.reason
            )
        };
        let mut d = Diagnostic::new(
            Code::MissingPermission,
            message,
            first.why.file,
            first.why.span.clone(),
            format!(
                "needs {}",
                if actions.len() == 1 {
                    actions[0].to_string()
                } else {
                    format!("{} permissions", actions.len())
                }
            ),
        )
        .with_secondary(role.header.loc.file, role.header.loc.span.clone(), "the explicit role");
        let role_end = role.header.item_loc.span.end;
        let text = sources.source(role.header.item_loc.file);
        if role_end > 0 && text.get(role_end - 1..role_end) == Some("}") {
            let at = role_end - 1;
            d.fix = Some(Fix {
                message: "allow them".to_string(),
                edits: vec![Edit {
                    file: role.header.item_loc.file,
                    span: at..at,
                    replacement: allow_block(program, &group, &named),
                }],
                applicability: Applicability::Machine,
            });
        }
        out.push(d);
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct FileIdKey(usize);

/// `allow { … }` blocks granting the needs (each as the actions `named` for it), one per set
/// of resources, written in cruddur.
fn allow_block(program: &Program, needs: &[&Need], named: &[Vec<String>]) -> String {
    let mut scratch = Vec::new();
    let mut env = Env::source(program, &mut scratch);
    // One block per set of resources and condition (for iam:PassRole, the service it passes
    // to): (resources, condition, actions).
    type Block<'a> = (Vec<String>, Option<(&'a str, &'a str)>, Vec<&'a str>);
    let mut blocks: Vec<Block> = Vec::new();
    for (need, actions) in needs.iter().zip(named) {
        let mut resources: Vec<String> = env
            .need_arns(need)
            .into_iter()
            .map(|arn| format!("\"{arn}\""))
            .collect();
        resources.sort();
        let condition = need.condition;
        let actions = actions.iter().map(String::as_str);
        match blocks.iter_mut().find(|(r, c, _)| *r == resources && *c == condition) {
            Some((_, _, granted)) => granted.extend(actions),
            None => blocks.push((resources, condition, actions.collect())),
        }
    }
    let mut text = String::new();
    for (resources, condition, mut actions) in blocks {
        actions.sort();
        actions.dedup();
        let quoted: Vec<String> = actions.iter().map(|a| format!("\"{a}\"")).collect();
        text.push_str(&format!(
            "  allow {{\n    actions   = [{}]\n    resources = [{}]\n",
            quoted.join(", "),
            resources.join(", ")
        ));
        if let Some((key, value)) = condition {
            text.push_str(&format!(
                "    conditions = [condition(\"StringEquals\", \"{key}\", \"{value}\")]\n"
            ));
        }
        text.push_str("  }\n");
    }
    text
}

fn wildcard_only(sources: &SourceMap, allow: &Allow, out: &mut Vec<Diagnostic>) {
    let Some(scoped) = allow.resources.iter().find(|r| r.literal().as_deref() != Some("*")) else {
        return;
    };
    let wildcard_only: Vec<&At<String>> = allow
        .actions
        .iter()
        .filter(|a| data::iam::wildcard_only(&a.value))
        .collect();
    let all_wildcard_only = wildcard_only.len() == allow.actions.len();
    for action in &wildcard_only {
        let Some(service) = action.value.split(':').next().and_then(data::iam::service) else {
            continue;
        };
        let mut d = Diagnostic::new(
            Code::WildcardOnlyActionOnArn,
            format!(
                "`{}` cannot be limited to a resource: it must be granted on \"*\"",
                action.value
            ),
            action.loc.file,
            action.loc.span.clone(),
            "supports no resource-level permission",
        )
        .with_secondary(
            scoped.loc.file,
            scoped.loc.span.clone(),
            "granted only on this resource, so it is never granted",
        )
        .with_note(format!(
            "the Service Authorization Reference lists no resource type for it: {}",
            service.url
        ));
        if action.value.eq_ignore_ascii_case("ecr:GetAuthorizationToken") {
            d = d.with_note("without it, `docker login` to ECR fails with \"no basic auth credentials\"");
        }
        d.fix = if all_wildcard_only {
            allow.resources_loc.as_ref().map(|list| Fix {
                message: "grant it on \"*\"".to_string(),
                edits: vec![Edit {
                    file: list.file,
                    span: list.span.clone(),
                    replacement: "[\"*\"]".to_string(),
                }],
                applicability: Applicability::Machine,
            })
        } else {
            move_to_own_statement(sources, allow, action)
        };
        out.push(d);
    }
}

/// Removes the action from its list and adds a statement granting it on `*`.
fn move_to_own_statement(sources: &SourceMap, allow: &Allow, action: &At<String>) -> Option<Fix> {
    let text = sources.source(action.loc.file);
    let span = &action.loc.span;
    let after = &text[span.end..];
    let trailing = after.len() - after.trim_start().len();
    let removal = if after[trailing..].starts_with(',') {
        let rest = &after[trailing + 1..];
        span.start..span.end + trailing + 1 + (rest.len() - rest.trim_start().len())
    } else {
        let before = &text[..span.start];
        let comma = before.trim_end().strip_suffix(',')?;
        comma.len()..span.end
    };
    let indent = {
        let line_start = text[..allow.loc.span.start].rfind('\n').map_or(0, |i| i + 1);
        text[line_start..allow.loc.span.start].to_string()
    };
    let block = format!(
        "\n{indent}allow {{\n{indent}  actions   = [\"{}\"]\n{indent}  resources = [\"*\"]\n{indent}}}",
        action.value
    );
    Some(Fix {
        message: "move it to its own statement on \"*\"".to_string(),
        edits: vec![
            Edit {
                file: action.loc.file,
                span: removal,
                replacement: String::new(),
            },
            Edit {
                file: allow.loc.file,
                span: allow.loc.span.end..allow.loc.span.end,
                replacement: block,
            },
        ],
        applicability: Applicability::Machine,
    })
}

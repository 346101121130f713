//! Explicit roles against their use: a role must trust the service that assumes it, must
//! allow what its project or pipeline needs (see [`super::needs`]), and must grant actions that
//! support no resource-level permission on `*` — the mistake behind `docker login` failing
//! with "no basic auth credentials".

use crate::resolve::needs::{self, action_matches, Need, Resource};
use crate::data;
use crate::diagnostics::{Code, Diagnostic, Edit, Fix, SourceMap};
use crate::resolve::model::*;
use std::collections::BTreeMap;

pub fn check(sources: &SourceMap, program: &Program, out: &mut Vec<Diagnostic>) {
    for (index, project) in program.projects.iter().enumerate() {
        if let Some(role) = &project.role {
            trust(
                sources,
                program,
                role,
                "codebuild",
                &format!("project `{}`", project.header.name),
                out,
            );
            permissions(sources, program, role.value, &needs::project(program, index), out);
        }
    }
    for (index, pipeline) in program.pipelines.iter().enumerate() {
        if let Some(role) = &pipeline.role {
            trust(
                sources,
                program,
                role,
                "codepipeline",
                &format!("pipeline `{}`", pipeline.header.name),
                out,
            );
            permissions(sources, program, role.value, &needs::pipeline(program, index), out);
        }
        for action in pipeline.stages.iter().flat_map(|s| &s.actions) {
            if let Some(role) = &action.role {
                trust(
                    sources,
                    program,
                    role,
                    "codepipeline",
                    &format!("action `{}`", action.label.value),
                    out,
                );
            }
        }
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
    principal: &str,
    user: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(role) = program.roles.get(use_site.value) else {
        return;
    };
    if role.trust.is_empty() || role.trust.iter().any(|t| t.value == principal) {
        return;
    }
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
        "AWS would refuse: {principal}.amazonaws.com cannot assume a role whose trust policy does not name it"
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
            });
        }
    }
    out.push(d);
}

fn granted(role: &Role, action: &str) -> bool {
    // Connection actions are authorised under either prefix, depending on the connection's ARN.
    let alternatives = match action.split_once(':') {
        Some(("codeconnections" | "codestar-connections", name)) => {
            vec![
                format!("codeconnections:{name}"),
                format!("codestar-connections:{name}"),
            ]
        }
        _ => vec![action.to_string()],
    };
    role.allows
        .iter()
        .flat_map(|a| &a.actions)
        .any(|pattern| alternatives.iter().any(|a| action_matches(&pattern.value, a)))
}

fn permissions(sources: &SourceMap, program: &Program, role_index: usize, needs: &[Need], out: &mut Vec<Diagnostic>) {
    let Some(role) = program.roles.get(role_index) else {
        return;
    };
    // One diagnostic per place that needs something the role lacks.
    let mut missing: BTreeMap<(FileIdKey, usize, usize), Vec<&Need>> = BTreeMap::new();
    for need in needs {
        if !granted(role, need.action) {
            missing
                .entry((FileIdKey(need.why.file.0), need.why.span.start, need.why.span.end))
                .or_default()
                .push(need);
        }
    }
    for group in missing.values() {
        let first = group[0];
        let actions: Vec<&str> = group.iter().map(|n| n.action).collect();
        let mut d = Diagnostic::new(
            Code::MissingPermission,
            format!(
                "role `{}` does not allow {}, needed for {}",
                role.header.name,
                actions.join(", "),
                first.reason
            ),
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
                    replacement: allow_block(program, group),
                }],
            });
        }
        out.push(d);
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct FileIdKey(usize);

/// An `allow { … }` block granting the needs, resources written in cruddur.
fn allow_block(program: &Program, needs: &[&Need]) -> String {
    let mut actions: Vec<&str> = needs.iter().map(|n| n.action).collect();
    actions.sort();
    actions.dedup();
    let mut resources: Vec<String> = needs.iter().flat_map(|n| resource_text(program, &n.resource)).collect();
    resources.sort();
    resources.dedup();
    if resources.iter().any(|r| r == "\"*\"") {
        resources = vec!["\"*\"".to_string()];
    }
    let quoted: Vec<String> = actions.iter().map(|a| format!("\"{a}\"")).collect();
    format!(
        "  allow {{\n    actions   = [{}]\n    resources = [{}]\n  }}\n",
        quoted.join(", "),
        resources.join(", ")
    )
}

fn resource_text(program: &Program, resource: &Resource) -> Vec<String> {
    let name = |header: Option<&Header>| header.map(|h| h.name.clone()).unwrap_or_default();
    let account = "${{ aws.region }}:${{ aws.account }}";
    match resource {
        Resource::Any | Resource::Unmodelled | Resource::ArtifactBucket(_) => vec!["\"*\"".into()],
        Resource::Repository(i) => vec![format!("{}.arn", name(program.repositories.get(*i).map(|r| &r.header)))],
        Resource::Connection(i) => vec![format!("{}.arn", name(program.connections.get(*i).map(|r| &r.header)))],
        Resource::Project(i) => vec![format!("{}.arn", name(program.projects.get(*i).map(|r| &r.header)))],
        Resource::LogGroup(i) => {
            let project = name(program.projects.get(*i).map(|r| &r.header));
            vec![
                format!("\"arn:aws:logs:{account}:log-group:/aws/codebuild/${{{{ {project}.name }}}}\""),
                format!("\"arn:aws:logs:{account}:log-group:/aws/codebuild/${{{{ {project}.name }}}}:*\""),
            ]
        }
        Resource::Service(i) => {
            let service = name(program.services.get(*i).map(|r| &r.header));
            vec![format!(
                "\"arn:aws:ecs:{account}:service/${{{{ {service}.cluster }}}}/${{{{ {service}.name }}}}\""
            )]
        }
        Resource::ServiceRoles(_) => vec!["\"*\"".into()],
        Resource::TaskDefinition(i) => {
            let family = program
                .services
                .get(*i)
                .and_then(|s| s.task_family.as_ref())
                .and_then(Text::literal);
            vec![format!(
                "\"arn:aws:ecs:{account}:task-definition/{}\"",
                family.map_or("*".to_string(), |f| format!("{f}:*"))
            )]
        }
        Resource::ReportGroups(i) => {
            let project = name(program.projects.get(*i).map(|r| &r.header));
            vec![format!(
                "\"arn:aws:codebuild:{account}:report-group/${{{{ {project}.name }}}}-*\""
            )]
        }
        Resource::Parameter(path) => vec![format!(
            "\"arn:aws:ssm:{account}:parameter/{}\"",
            path.trim_start_matches('/')
        )],
        Resource::Secret(id) => {
            let secret = id.split(':').next().unwrap_or(id);
            vec![format!("\"arn:aws:secretsmanager:{account}:secret:{secret}*\"")]
        }
    }
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
    })
}

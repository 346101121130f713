//! Every `allow` of a declared role against the IAM action catalog: services and actions that
//! exist (with "did you mean"), actions granted on resources they can apply to, and the
//! least-privilege rules (no wildcard actions, no `*` resource where a narrower one exists,
//! no unrestricted `iam:PassRole`), which a waiver with a reason may lift.

use crate::data::iam;
use crate::diagnostics::did_you_mean;
use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::model::*;
use crate::resolve::render::{Env, UNKNOWN};

pub fn check(program: &Program, out: &mut Vec<Diagnostic>) {
    for (index, role) in program.roles.iter().enumerate() {
        let passed_to = passed_to(program, index);
        for allow in &role.allows {
            check_allow(program, allow, &passed_to, out);
        }
    }
    // Statements added to inferred roles get the same checks. A pipeline's inferred role is
    // the role of its actions that name none.
    for project in &program.projects {
        added_beside_role(
            project.role.as_ref(),
            &project.allows,
            "project",
            &project.header.name,
            out,
        );
        for allow in &project.allows {
            check_allow(program, allow, &Default::default(), out);
        }
    }
    for pipeline in &program.pipelines {
        added_beside_role(
            pipeline.role.as_ref(),
            &pipeline.allows,
            "pipeline",
            &pipeline.header.name,
            out,
        );
        let passed_to: std::collections::BTreeSet<&'static str> = pipeline
            .stages
            .iter()
            .flat_map(|s| &s.actions)
            .filter(|a| a.role.is_none())
            .filter_map(|a| passes_roles_to(&a.provider.value))
            .collect();
        for allow in &pipeline.allows {
            check_allow(program, allow, &passed_to, out);
        }
    }
}

/// `allow` adds to the role cruddur infers; with an explicit `role`, nothing is inferred.
fn added_beside_role(role: Option<&At<usize>>, allows: &[Allow], kind: &str, name: &str, out: &mut Vec<Diagnostic>) {
    let (Some(role), Some(first)) = (role, allows.first()) else {
        return;
    };
    out.push(
        Diagnostic::new(
            Code::AllowBesideRole,
            format!("{kind} `{name}` has an explicit `role`, so there is no inferred role for this `allow` to add to"),
            first.loc.file,
            first.loc.span.start..first.loc.span.start + "allow".len(),
            "added to nothing",
        )
        .with_secondary(role.loc.file, role.loc.span.clone(), "the explicit role")
        .with_help("move the statement into that role, or drop `role` to let cruddur infer one and add to it"),
    );
}

/// The service an action's role passes roles to, where the action says.
fn passes_roles_to(provider: &Provider) -> Option<&'static str> {
    match provider {
        Provider::Ecs { .. } | Provider::CodeDeployEcs => Some("ecs-tasks.amazonaws.com"),
        Provider::CloudFormation => Some("cloudformation.amazonaws.com"),
        _ => None,
    }
}

/// The services a role hands roles to, by what the program uses it for: a pipeline's (or an
/// action's) role passes task roles to ECS for its `ecs` and `codedeploy_ecs` deploys and a
/// stack role to CloudFormation for its `cloudformation` actions
/// (https://docs.aws.amazon.com/codepipeline/latest/userguide/security-iam.html#how-to-custom-role).
/// Empty when the program does not say (a project's commands may pass roles to anything).
fn passed_to(program: &Program, role: usize) -> std::collections::BTreeSet<&'static str> {
    let uses = |r: &Option<At<usize>>| r.as_ref().is_some_and(|r| r.value == role);
    program
        .pipelines
        .iter()
        .flat_map(|p| p.stages.iter().flat_map(|s| &s.actions).map(move |a| (p, a)))
        .filter(|(pipeline, action)| uses(&action.role) || (action.role.is_none() && uses(&pipeline.role)))
        .filter_map(|(_, action)| passes_roles_to(&action.provider.value))
        .collect()
}

fn check_allow(
    program: &Program,
    allow: &Allow,
    passed_to: &std::collections::BTreeSet<&'static str>,
    out: &mut Vec<Diagnostic>,
) {
    // ARNs as they will look, unknown values replaced by stand-ins of the right shape.
    let mut scratch = Vec::new();
    let mut env = Env::sample(program, &mut scratch);
    let resources: Vec<(String, &Text)> = allow.resources.iter().map(|r| (env.text(r), r)).collect();
    let star = resources.iter().find(|(arn, _)| arn == "*").map(|(_, text)| *text);
    // For `iam:PassRole`, an ARN that names every role (`…:role/*`) is as wide as `*`.
    let every_role = star.or_else(|| {
        resources
            .iter()
            .find(|(arn, _)| names_every_role(arn))
            .map(|(_, text)| *text)
    });
    let mut narrower: Vec<&str> = Vec::new();
    let mut mismatched = Vec::new();
    for action in &allow.actions {
        let name = action.value.as_str();
        if name.contains('*') {
            wildcard_action(name, action, out);
            // A narrower pattern that covers `iam:PassRole` (`iam:Pass*`) passes roles too;
            // `iam:*` and `*` are reported as wildcard actions already (S0005).
            let every_action = name == "*" || name.ends_with(":*");
            if !every_action && crate::resolve::needs::action_matches(name, "iam:PassRole") {
                pass_role(allow, action, every_role, passed_to, out);
            }
            continue;
        }
        let Some((prefix, _)) = name.split_once(':') else {
            out.push(
                Diagnostic::new(
                    Code::UnknownIamAction,
                    format!("`{name}` is not an IAM action: write `service:Action`"),
                    action.loc.file,
                    action.loc.span.clone(),
                    "no service prefix",
                )
                .with_help("for example \"ecr:PutImage\""),
            );
            continue;
        };
        let Some(service) = iam::service(prefix) else {
            out.push(unknown_service(prefix, name, action));
            continue;
        };
        let Some((_, canonical, facts)) = iam::action(name) else {
            let action_name = &name[prefix.len() + 1..];
            let mut d = Diagnostic::new(
                Code::UnknownIamAction,
                format!("{} has no action `{action_name}`", service.name),
                action.loc.file,
                action.loc.span.clone(),
                "unknown action",
            )
            .with_note(format!("actions: {}", service.url));
            if let Some(s) = did_you_mean(action_name, service.actions.iter().map(|(name, _)| *name)) {
                d = d.with_fix(
                    format!("use `{prefix}:{s}`"),
                    action.loc.span.clone(),
                    format!("\"{prefix}:{s}\""),
                );
            }
            out.push(d);
            continue;
        };
        if facts.resources.is_empty() {
            continue; // wildcard-only actions: see `roles` (E0403)
        }
        if fits_none(&resources, prefix, facts.resources) {
            // Reported once per statement, with every action that fits none of its resources.
            mismatched.push((
                format!("{prefix}:{canonical}"),
                facts.resources.to_vec(),
                service,
                action,
            ));
        }
        if canonical == "PassRole" && prefix.eq_ignore_ascii_case("iam") {
            pass_role(allow, action, every_role, passed_to, out); // S0007 covers its `*` too
        } else if star.is_some() {
            narrower.push(name);
        }
    }
    resource_type_mismatches(&resources, mismatched, out);
    if let (Some(star), false) = (star, narrower.is_empty()) {
        out.push(
            Diagnostic::new(
                Code::WildcardResource,
                format!("\"*\" grants {} on every resource, but {} can be limited to specific ones", narrower.join(", "), if narrower.len() == 1 { "it" } else { "they" }),
                star.loc.file,
                star.loc.span.clone(),
                "every resource",
            )
            .with_help("name the resources (for example `backend_flask.arn`), or waive it: `// cruddur-allow(S0006): reason` above the `allow`"),
        );
    }
}

/// Whether a statement's resources, as rendered, are all scoped and none is of a type the
/// action applies to (`types`): the action is then never granted (E0406).
fn fits_none(resources: &[(String, &Text)], prefix: &str, types: &[&str]) -> bool {
    let scoped: Vec<&String> = resources.iter().map(|(arn, _)| arn).filter(|arn| *arn != "*").collect();
    !resources.iter().any(|(arn, _)| arn == "*")
        && !scoped.is_empty()
        && !scoped
            .iter()
            .any(|arn| arn.contains(UNKNOWN) || iam::arn_fits(prefix, types, arn))
}

/// The actions `allow` names that fit none of its resources (reported, E0406): what they
/// were meant for is not granted by that statement, and is not reported again as missing.
pub fn granted_on_wrong_type(allow: &Allow, env: &mut Env) -> Vec<String> {
    let resources: Vec<(String, &Text)> = allow.resources.iter().map(|r| (env.text(r), r)).collect();
    allow
        .actions
        .iter()
        .map(|a| a.value.as_str())
        .filter(|name| !name.contains('*'))
        .filter(|name| {
            let (Some((prefix, _)), Some((_, _, facts))) = (name.split_once(':'), iam::action(name)) else {
                return false;
            };
            !facts.resources.is_empty() && fits_none(&resources, prefix, facts.resources)
        })
        .map(str::to_ascii_lowercase)
        .collect()
}

/// An action of a statement that fits none of its resources: its name, the resource types it
/// applies to, its service, and where it is written.
type Mismatch<'a> = (String, Vec<&'static str>, &'a iam::Service, &'a At<String>);

/// E0406 for the actions of one statement that fit none of its resources: one diagnostic per
/// kind of resource they want, since one wrong ARN usually explains them all.
fn resource_type_mismatches(resources: &[(String, &Text)], mismatched: Vec<Mismatch>, out: &mut Vec<Diagnostic>) {
    let Some(first) = resources.iter().find(|(arn, _)| arn != "*").map(|(_, text)| *text) else {
        return;
    };
    // By the resource types wanted, in the order first written.
    let mut groups: Vec<Vec<Mismatch>> = Vec::new();
    for mismatch in mismatched {
        match groups.iter_mut().find(|g| g[0].1 == mismatch.1) {
            Some(group) => group.push(mismatch),
            None => groups.push(vec![mismatch]),
        }
    }
    for members in groups {
        let (_, types, service, action) = &members[0];
        let names: Vec<String> = members.iter().map(|(name, ..)| format!("`{name}`")).collect();
        let templates: Vec<String> = types
            .iter()
            .filter_map(|t| {
                service
                    .resource(t.trim_end_matches('*'))
                    .map(|arn| format!("{t}: {arn}"))
            })
            .collect();
        let (verb, label) = if names.len() == 1 {
            ("applies", "never granted")
        } else {
            ("apply", "never granted, with the others")
        };
        let mut d = Diagnostic::new(
            Code::ResourceTypeMismatch,
            format!(
                "{} {verb} to {}, and none of this statement's resources is one",
                names.join(", "),
                types.join(" or ")
            ),
            action.loc.file,
            action.loc.span.clone(),
            label,
        )
        .with_secondary(
            first.loc.file,
            first.loc.span.clone(),
            "not a resource these actions apply to",
        );
        // `…:stack/orders` where `…:stack/orders/*` was meant: the ARN of the resource's
        // contents, not of the resource.
        let prefix = action.value.split_once(':').map_or("", |(p, _)| p);
        // Only where the ARN is a string written here, ending in text: the edit goes before
        // its closing quote.
        let written_here = |text: &Text| {
            text.loc.file == action.loc.file
                && matches!(text.pieces.last(), Some(Piece::Lit(run)) if text.loc.span.len() > run.len() + 1)
        };
        let widened = resources.iter().find(|(arn, text)| {
            written_here(text) && !arn.ends_with('*') && iam::arn_fits(prefix, types, &format!("{arn}/*"))
        });
        if let Some((_, text)) = widened {
            let before_quote = text.loc.span.end.saturating_sub(1);
            d = d.with_suggestion("end the ARN with `/*`", before_quote..before_quote, "/*");
        }
        out.push(d.with_note(format!("accepted: {}", templates.join("; "))));
    }
}

fn wildcard_action(name: &str, action: &At<String>, out: &mut Vec<Diagnostic>) {
    let prefix = name.split_once(':').map(|(p, _)| p);
    if let Some(prefix) = prefix.filter(|p| !p.contains('*')) {
        let Some(service) = iam::service(prefix) else {
            out.push(unknown_service(prefix, name, action));
            return;
        };
        let pattern = &name[prefix.len() + 1..];
        let matched: Vec<&str> = service
            .actions
            .iter()
            .map(|(name, _)| *name)
            .filter(|a| crate::resolve::needs::action_matches(&format!("{prefix}:{pattern}"), &format!("{prefix}:{a}")))
            .collect();
        if matched.is_empty() {
            out.push(Diagnostic::new(
                Code::UnknownIamAction,
                format!("`{name}` matches no {} action", service.name),
                action.loc.file,
                action.loc.span.clone(),
                "matches nothing",
            ));
            return;
        }
        if pattern != "*" {
            return; // a prefix pattern such as `ecr:Batch*` is deliberate and bounded
        }
        out.push(
            Diagnostic::new(
                Code::WildcardAction,
                format!("`{name}` grants all {} {} actions", matched.len(), service.name),
                action.loc.file,
                action.loc.span.clone(),
                "every action of the service",
            )
            .with_help(
                "list the actions the role needs, or waive it: `// cruddur-allow(S0005): reason` above the `allow`",
            ),
        );
        return;
    }
    out.push(
        Diagnostic::new(
            Code::WildcardAction,
            format!("`{name}` grants every action of every service"),
            action.loc.file,
            action.loc.span.clone(),
            "every action",
        )
        .with_help("list the actions the role needs, or waive it: `// cruddur-allow(S0005): reason` above the `allow`"),
    );
}

/// An IAM ARN that matches every role of an account (or of every account): `…:role/*`,
/// `arn:aws:iam::*:*`.
fn names_every_role(arn: &str) -> bool {
    let Some(rest) = arn.strip_prefix("arn:") else {
        return false;
    };
    let parts: Vec<&str> = rest.splitn(5, ':').collect();
    let [_, service, _, _, resource] = parts.as_slice() else {
        return false;
    };
    (*service == "iam" || *service == "*") && matches!(*resource, "*" | "role/*" | "role*" | "role/**")
}

fn pass_role(
    allow: &Allow,
    action: &At<String>,
    star: Option<&Text>,
    passed_to: &std::collections::BTreeSet<&'static str>,
    out: &mut Vec<Diagnostic>,
) {
    let conditioned = allow
        .conditions
        .iter()
        .any(|c| c.key.value.eq_ignore_ascii_case("iam:PassedToService"));
    let problem = match (star.is_some(), conditioned) {
        (true, false) => "on any role, to any service",
        (true, true) => "on any role",
        (false, false) => "to any service (no `iam:PassedToService` condition)",
        (false, true) => return,
    };
    let mut d = Diagnostic::new(
        Code::UnrestrictedPassRole,
        format!("`iam:PassRole` is allowed {problem}"),
        action.loc.file,
        action.loc.span.clone(),
        "lets the role hand out other roles",
    )
    .with_note("whoever holds this role can give any service a role it passes, and act through it");
    if let Some(star) = star {
        d = d.with_secondary(star.loc.file, star.loc.span.clone(), "every role");
    }
    if !conditioned {
        let services: Vec<String> = passed_to.iter().map(|s| format!("\"{s}\"")).collect();
        d = d.with_help(match services.as_slice() {
            [] => "add `conditions = [condition(\"StringEquals\", \"iam:PassedToService\", \"SERVICE.amazonaws.com\")]` naming the service that receives the roles, and name the roles".to_string(),
            [one] => format!("add `conditions = [condition(\"StringEquals\", \"iam:PassedToService\", {one})]` (the service this role passes roles to here), and name the roles"),
            many => format!("add `conditions = [condition(\"StringEquals\", \"iam:PassedToService\", [{}])]` (the services this role passes roles to here), and name the roles", many.join(", ")),
        });
    }
    out.push(d);
}

/// `prefix` names no IAM service; a near miss comes with a fix that keeps the action part.
fn unknown_service(prefix: &str, name: &str, action: &At<String>) -> Diagnostic {
    let mut d = Diagnostic::new(
        Code::UnknownIamService,
        format!("`{prefix}` is not an IAM service prefix"),
        action.loc.file,
        action.loc.span.clone(),
        "unknown service",
    );
    if let Some(s) = did_you_mean(prefix, iam::prefixes().map(|(prefix, _)| prefix)) {
        let fixed = format!("\"{s}:{}\"", &name[prefix.len() + 1..]);
        d = d.with_suggestion(format!("use `{s}`"), action.loc.span.clone(), fixed);
    }
    d
}

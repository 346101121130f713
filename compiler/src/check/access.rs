//! Pipeline-based access (CICD-SEC-5): S0024, a project that pushes to every branch start,
//! holding permissions that deploy. Branch protection guards one branch; whoever may push any
//! other (every contributor, and whatever runs with their credentials) then deploys with the
//! project's role. S0019 judges pull requests; S0020 judges pipelines' triggers.

use super::security::deploys;
use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::model::*;
use crate::vocabulary::WebhookEvent;

/// Services whose writes put new code or infrastructure to work: those of the deploy actions
/// S0009 counts (CloudFormation, CodeDeploy, ECS; Lambda through SAM's stacks) and the other
/// services that run what a build hands them. S3 and ECR are not among them: builds of every
/// branch store artifacts, previews and images there, and which bucket or repository a
/// service runs from is not visible here (S0010 judges the tags a deploy reads).
const DEPLOY_SERVICES: &[&str] = &[
    "amplify",
    "apprunner",
    "cloudformation",
    "codedeploy",
    "ecs",
    "eks",
    "elasticbeanstalk",
    "lambda",
];

pub fn check(program: &Program, pull_request_reported: &[bool], out: &mut Vec<Diagnostic>) {
    for (index, project) in program.projects.iter().enumerate() {
        // One root mistake, one warning: S0019's split into a test and a deploy project, or
        // its `actors`, settles the pushes too.
        if !pull_request_reported.get(index).copied().unwrap_or(false) {
            deploys_from_every_branch(program, project, out);
        }
    }
}

/// S0024: pushes to every branch start the project (no `branch`, no `tags`, no `actors`), and
/// its builds hold a permission that deploys: its role is also a deploying pipeline's or
/// action's, or an `allow` (its own or its declared role's) writes to a deploy service or
/// manages permissions. One warning per project, naming everything it holds.
fn deploys_from_every_branch(program: &Program, project: &Project, out: &mut Vec<Diagnostic>) {
    let Some(source) = &project.source else { return };
    if source.branch.is_some() || source.tags.is_some() || source.actors.as_ref().is_some_and(|a| !a.value.is_empty()) {
        return;
    }
    let Some(push) = source.events.iter().find(|e| e.value == WebhookEvent::Push) else {
        return;
    };
    let role = project.role.as_ref();
    let mut held: Vec<(String, &Loc)> = Vec::new();
    if let Some(role) = role {
        if let Some(deployer) = deploys_with_role(program, role.value) {
            let name = program.roles.get(role.value).map_or("", |r| r.header.name.as_str());
            held.push((format!("role `{name}` ({deployer} it)"), &role.loc));
        }
    }
    let declared = role
        .and_then(|r| program.roles.get(r.value))
        .map_or(&[][..], |r| r.allows.as_slice());
    for action in project.allows.iter().chain(declared).flat_map(|a| &a.actions) {
        if deploy_grant(&action.value) {
            held.push((format!("the permission `{}`", action.value), &action.loc));
        }
    }
    let Some((_, first)) = held.first() else { return };
    let first = (*first).clone();
    let what: Vec<&str> = held.iter().map(|(what, _)| what.as_str()).collect();
    let what = super::security::and_list(&what);
    out.push(
        Diagnostic::new(
            Code::DeployFromEveryBranch,
            format!(
                "pushes to every branch start `{}`, whose builds can deploy with {what}",
                project.header.name
            ),
            push.loc.file,
            push.loc.span.clone(),
            "a push to any branch starts it",
        )
        .with_secondary(first.file, first.span.clone(), "can deploy")
        .with_note(
            "branch protection guards the protected branch only: anyone who may push another branch runs code with these permissions",
        )
        .with_help(
            "start it from the protected branch only (`branch = \"<protected branch>\"`) and build other branches in a project without deploy permissions; or let only trusted accounts start it (`actors = [\"<account id>\", …]`)",
        ),
    );
}

/// What deploys with the role, when something does: a pipeline whose deploy actions run in
/// its role (they have none of their own), or a deploy action given the role.
fn deploys_with_role(program: &Program, role: usize) -> Option<String> {
    for pipeline in &program.pipelines {
        for action in pipeline.stages.iter().flat_map(|s| &s.actions).filter(|a| deploys(a)) {
            let acts_as = action.role.as_ref().or(pipeline.role.as_ref());
            if acts_as.is_some_and(|r| r.value == role) {
                return Some(format!(
                    "action `{}` of pipeline `{}` deploys with",
                    action.label.value, pipeline.header.name
                ));
            }
        }
    }
    None
}

/// Whether an IAM action (or pattern) deploys: every action (`*`); a write to a deploy
/// service; a permissions management action of any service (it can grant the rest). Patterns
/// are matched against the IAM catalog's actions, and count for deploy services only: `s3:*`
/// is a wildcard S0005 reports, not a deploy.
fn deploy_grant(action: &str) -> bool {
    if action == "*" {
        return true;
    }
    let Some((prefix, name)) = action.split_once(':') else {
        return false;
    };
    let Some(service) = crate::data::iam::service(&prefix.to_ascii_lowercase()) else {
        return false;
    };
    let deploy_service = DEPLOY_SERVICES.contains(&prefix.to_ascii_lowercase().as_str());
    let writes = |access: &str| matches!(access, "Write" | "Permissions management");
    if name.contains(['*', '?']) {
        deploy_service
            && service
                .actions
                .iter()
                .any(|(n, a)| writes(a.access) && crate::resolve::needs::action_matches(name, n))
    } else {
        service
            .action(name)
            .is_some_and(|(_, a)| a.access == "Permissions management" || (deploy_service && writes(a.access)))
    }
}

#[cfg(test)]
mod tests {
    use super::deploy_grant;

    #[test]
    fn deploy_grants_are_writes_to_deploy_services_or_permission_changes() {
        for action in [
            "*",
            "ecs:UpdateService",
            "ECS:updateservice",
            "ecs:*",
            "lambda:Update*",
            "cloudformation:ExecuteChangeSet",
            "codedeploy:CreateDeployment",
            "iam:PutRolePolicy",
            "s3:PutBucketPolicy",
        ] {
            assert!(deploy_grant(action), "{action}");
        }
        for action in [
            "s3:PutObject",
            "s3:*",
            "s3:Put*",
            "ecr:PutImage",
            "ecs:DescribeServices",
            "lambda:Get*",
            "logs:PutLogEvents",
            "nosuch:Thing",
            "ecs",
        ] {
            assert!(!deploy_grant(action), "{action}");
        }
    }
}

//! Keys and accounts: a customer managed KMS key must be in the Region of what it encrypts, and
//! an action that runs in a role of another account needs the pipeline's artifacts encrypted
//! with such a key (the AWS managed key for S3 cannot be shared with another account), while a
//! project or pipeline runs only in a role of its own account
//! (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-cross-account.html).

use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::model::{Action, ArtifactStore, At, Program, Text};

/// An action in a role of another account: the action, where it names the role, the account.
type CrossAccountUse<'p> = (&'p Action, &'p At<usize>, String);

pub fn check(program: &Program, out: &mut Vec<Diagnostic>) {
    let aws = program.aws.as_ref();
    let home_region = aws.and_then(|a| a.region.as_ref());
    let home_account = aws.and_then(|a| a.account.as_ref());
    for pipeline in &program.pipelines {
        key_region(pipeline.artifact_key.as_ref(), home_region, "the artifact key", out);
        for store in &pipeline.artifact_stores {
            key_region(store.key.as_ref(), store.region.as_ref(), "the store's key", out);
        }
        // The actions in roles of other accounts that read or write artifacts, by the store
        // they use (`None`: the pipeline's own): a store without a customer managed key is one
        // mistake, however many of them use it.
        let mut unkeyed: Vec<(Option<&ArtifactStore>, Vec<CrossAccountUse>)> = Vec::new();
        for action in pipeline.stages.iter().flat_map(|s| &s.actions) {
            let Some(role) = &action.role else { continue };
            let Some(arn) = program.roles.get(role.value).and_then(|r| r.arn.as_ref()) else {
                continue;
            };
            let Some(account) = other_account(arn, home_account) else {
                continue;
            };
            // A CodeBuild action runs a project of the role's account; cruddur creates the
            // project in the program's.
            if action.provider.value.project().is_some() {
                out.push(
                    Diagnostic::new(
                        Code::CrossAccount,
                        format!(
                            "`{}` would run a CodeBuild project of account {account}, but cruddur creates its projects in the program's account",
                            action.label.value
                        ),
                        role.loc.file,
                        role.loc.span.clone(),
                        format!("a role in account {account}"),
                    )
                    .with_secondary(arn.loc.file, arn.loc.span.clone(), format!("in account {account}"))
                    .with_help("run the build in the pipeline's account (no `role`), and deploy to the other account from a later action"),
                );
                continue;
            }
            if action.inputs.is_empty() && action.outputs.is_empty() {
                continue; // it reads and writes no artifact
            }
            // An action in another Region reads and writes the store of that Region.
            let store = action.region.as_ref().and_then(Text::literal).and_then(|region| {
                pipeline
                    .artifact_stores
                    .iter()
                    .find(|s| s.region.as_ref().and_then(Text::literal).as_deref() == Some(&*region))
            });
            let key = match store {
                Some(store) => store.key.as_ref(),
                None => pipeline.artifact_key.as_ref(),
            };
            if key.is_some() {
                continue;
            }
            match unkeyed
                .iter_mut()
                .find(|(s, _)| s.map(|s| &s.loc) == store.map(|s| &s.loc))
            {
                Some((_, uses)) => uses.push((action, role, account)),
                None => unkeyed.push((store, vec![(action, role, account)])),
            }
        }
        for (store, uses) in unkeyed {
            let (first, role, account) = &uses[0];
            let (where_, label, help) = match store {
                Some(store) => (
                    &store.loc,
                    "this store has no `key`",
                    "give the store a `key`: a customer managed KMS key of its Region whose key policy lets the other accounts use it",
                ),
                None => (
                    &pipeline.header.loc,
                    "no `artifact_key`",
                    "give the pipeline an `artifact_key`: a customer managed KMS key whose key policy lets the other accounts use it",
                ),
            };
            let mut d = Diagnostic::new(
                Code::CrossAccount,
                format!(
                    "`{}` runs in a role of account {account}, which cannot read artifacts encrypted with the AWS managed key",
                    first.label.value
                ),
                role.loc.file,
                role.loc.span.clone(),
                format!("a role in account {account}"),
            )
            .with_secondary(where_.file, where_.span.clone(), label);
            for (action, role, account) in &uses[1..] {
                d = d.with_secondary(
                    role.loc.file,
                    role.loc.span.clone(),
                    format!("`{}` too, in account {account}", action.label.value),
                );
            }
            out.push(d.with_help(help).with_note(
                "the AWS managed key for S3 cannot be shared with another account; CodePipeline then needs a customer managed key for the artifact store",
            ));
        }
        if let Some(role) = &pipeline.role {
            own_account(program, role.value, home_account, "a pipeline", &role.loc, out);
        }
    }
    for project in &program.projects {
        key_region(
            project.encryption_key.as_ref(),
            home_region,
            "the project's encryption key",
            out,
        );
        if let Some(role) = &project.role {
            own_account(program, role.value, home_account, "a project", &role.loc, out);
        }
    }
}

/// The account of an existing role's ARN, when it is known and not the program's own.
fn other_account(arn: &Text, home: Option<&Text>) -> Option<String> {
    let arn = arn.literal()?;
    let home = home?.literal()?;
    // Only a role's ARN (a malformed one is reported where it is written).
    if !arn.split(':').nth(5).is_some_and(|r| r.starts_with("role/")) {
        return None;
    }
    let account = arn.split(':').nth(4)?;
    (account != home).then(|| account.to_string())
}

/// A project's or pipeline's service role must be in its account.
fn own_account(
    program: &Program,
    role: usize,
    home: Option<&Text>,
    what: &str,
    used: &crate::resolve::model::Loc,
    out: &mut Vec<Diagnostic>,
) {
    let Some(arn) = program.roles.get(role).and_then(|r| r.arn.as_ref()) else {
        return;
    };
    let Some(account) = other_account(arn, home) else {
        return;
    };
    out.push(
        Diagnostic::new(
            Code::CrossAccount,
            format!("{what} runs only in a service role of its own account, not of account {account}"),
            used.file,
            used.span.clone(),
            "a role of another account",
        )
        .with_secondary(arn.loc.file, arn.loc.span.clone(), format!("in account {account}"))
        .with_help("a role of another account is for an action: `role` in the action's body"),
    );
}

/// A KMS key is used only in its own Region.
fn key_region(key: Option<&Text>, home: Option<&Text>, what: &str, out: &mut Vec<Diagnostic>) {
    let (Some(key), Some(home)) = (key, home) else { return };
    let Some(region) = home.literal() else { return };
    // The key's Region when written out (its account may be `${{ aws.account }}`).
    let written = key.shape();
    let Some(key_region) = written
        .split(':')
        .nth(3)
        .filter(|r| !r.contains(Text::HOLE) && r.starts_with(|c: char| c.is_ascii_lowercase()))
    else {
        return;
    };
    if key_region != region {
        out.push(
            Diagnostic::new(
                Code::KmsKey,
                format!("{what} is in {key_region}, but what it encrypts is in {region}"),
                key.loc.file,
                key.loc.span.clone(),
                format!("a key of {key_region}"),
            )
            .with_secondary(home.loc.file, home.loc.span.clone(), region.clone())
            .with_note("a KMS key encrypts only in its own Region: use a key of the same Region"),
        );
    }
}

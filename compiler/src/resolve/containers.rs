//! What makes an image definition wrong, by value: a container its service does not run, a
//! value that would break `imagedefinitions.json`. `check` judges the values written out,
//! `emit` the ones parameters give, once rendered.

use crate::diagnostics::{did_you_mean, Code, Diagnostic};
use crate::resolve::model::{Loc, Service};

/// E0313 for `name`, an image's container, when the service (running `runs`) has no such
/// container; with a fix for a near miss when `fixable` (the name is written out).
pub fn not_a_container(service: &Service, name: &str, runs: &[String], at: &Loc, fixable: bool) -> Option<Diagnostic> {
    if runs.iter().any(|r| r == name) {
        return None;
    }
    let listed: Vec<String> = runs.iter().map(|r| format!("`{r}`")).collect();
    let mut diagnostic = Diagnostic::new(
        Code::ContainerMismatch,
        format!("service `{}` has no container `{name}`", service.header.name),
        at.file,
        at.span.clone(),
        "not in the service",
    )
    .with_note(format!(
        "service `{}` runs {}; the ECS deploy would fail with \"container not found in task definition\"",
        service.header.name,
        listed.join(", ")
    ));
    if let Some(containers) = &service.containers_loc {
        diagnostic = diagnostic.with_secondary(containers.file, containers.span.clone(), "the service's containers");
    }
    match did_you_mean(name, runs.iter().map(String::as_str)).filter(|_| fixable) {
        Some(near) => {
            Some(diagnostic.with_suggestion(format!("replace with `{near}`"), at.span.clone(), format!("\"{near}\"")))
        }
        None => Some(diagnostic.with_help(format!(
            "add `{name}` to the service's `containers` if its task definition runs it"
        ))),
    }
}

/// A container name or image that would break `imagedefinitions.json`: empty, or holding a
/// `"` or `\` (the value is written into a JSON string as it is).
pub fn breaks_json(value: &str, what: &str, at: &Loc) -> Option<Diagnostic> {
    if value.trim().is_empty() {
        return Some(Diagnostic::new(
            Code::MissingProperty,
            format!("empty {what} in `image_definitions`"),
            at.file,
            at.span.clone(),
            "empty",
        ));
    }
    let c = value.chars().find(|c| matches!(c, '"' | '\\'))?;
    Some(
        Diagnostic::new(
            Code::WrongType,
            format!("a `{c}` in the {what} would break imagedefinitions.json"),
            at.file,
            at.span.clone(),
            "not valid in the JSON",
        )
        .with_note("the value is written into a JSON string as it is; container names and image URIs hold no quotes or backslashes"),
    )
}

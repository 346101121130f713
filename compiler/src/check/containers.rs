//! The containers an image-definitions output names: each one of its service's, each given
//! one image, and a container named wherever the service runs several; and what the
//! generated `printf` writes into the JSON holds no quote or backslash that would break it.

use crate::diagnostics::{did_you_mean, Code, Diagnostic};
use crate::resolve::model::{ContainerImage, Program, ProjectOutput, Service};

pub fn check(program: &Program, out: &mut Vec<Diagnostic>) {
    for project in &program.projects {
        for output in &project.outputs {
            let ProjectOutput::ImageDefinitions { service, images, .. } = output else {
                continue;
            };
            let Some(service) = program.services.get(service.value) else {
                continue;
            };
            for (n, image) in images.iter().enumerate() {
                json_safe(image, out);
                // A service whose containers could not be read was reported: nothing to judge by.
                if service.containers.is_empty() {
                    continue;
                }
                match &image.container {
                    None => unnamed(service, image, out),
                    Some(_) => unknown(service, image, out),
                }
                twice(service, &images[..n], image, out);
            }
        }
    }
}

fn runs(service: &Service) -> String {
    let names: Vec<String> = service
        .containers
        .iter()
        .map(|c| c.literal().map_or_else(|| "…".to_string(), |c| format!("`{c}`")))
        .collect();
    match names.as_slice() {
        [one] => format!("container {one}"),
        many => format!("containers {}", many.join(", ")),
    }
}

/// `image = "…"` for a service of several containers: which one gets it is not said.
fn unnamed(service: &Service, image: &ContainerImage, out: &mut Vec<Diagnostic>) {
    if service.containers.len() < 2 {
        return;
    }
    let mut diagnostic = Diagnostic::new(
        Code::ContainerMismatch,
        format!(
            "service `{}` runs {}: this image names none of them",
            service.header.name,
            runs(service)
        ),
        image.loc.file,
        image.loc.span.clone(),
        "for which container?",
    )
    .with_help("name the container each image is for: `container(\"name\", image = \"…\")`");
    if let Some(at) = &service.containers_loc {
        diagnostic = diagnostic.with_secondary(at.file, at.span.clone(), "the service's containers");
    }
    out.push(diagnostic);
}

/// `container("name", …)` that is not one of the service's containers.
fn unknown(service: &Service, image: &ContainerImage, out: &mut Vec<Diagnostic>) {
    let Some(named) = image.container.as_ref() else { return };
    let Some(name) = named.literal() else { return };
    let Some(known) = service
        .containers
        .iter()
        .map(|c| c.literal())
        .collect::<Option<Vec<_>>>()
    else {
        return;
    };
    if known.contains(&name) {
        return;
    }
    let mut diagnostic = Diagnostic::new(
        Code::ContainerMismatch,
        format!("service `{}` has no container `{name}`", service.header.name),
        named.loc.file,
        named.loc.span.clone(),
        "not in the service",
    )
    .with_note(format!(
        "service `{}` runs {}; the ECS deploy would fail with \"container not found in task definition\"",
        service.header.name,
        runs(service)
    ));
    if let Some(at) = &service.containers_loc {
        diagnostic = diagnostic.with_secondary(at.file, at.span.clone(), "the service's containers");
    }
    if let Some(suggestion) = did_you_mean(&name, known.iter().map(String::as_str)) {
        diagnostic = diagnostic.with_suggestion(
            format!("replace with `{suggestion}`"),
            named.loc.span.clone(),
            format!("\"{suggestion}\""),
        );
    } else {
        diagnostic = diagnostic.with_help(format!(
            "add `{name}` to the service's `containers` if its task definition runs it"
        ));
    }
    out.push(diagnostic);
}

/// Two images for one container: which one the deploy uses is not said.
fn twice(service: &Service, earlier: &[ContainerImage], image: &ContainerImage, out: &mut Vec<Diagnostic>) {
    let Some(name) = service.container_of(image).and_then(|c| c.literal()) else {
        return;
    };
    let Some(first) = earlier
        .iter()
        .find(|e| service.container_of(e).and_then(|c| c.literal()).as_deref() == Some(name.as_str()))
    else {
        return;
    };
    let mut diagnostic = Diagnostic::new(
        Code::DuplicateMember,
        format!("container `{name}` given two images"),
        image.loc.file,
        image.loc.span.clone(),
        "second image",
    )
    .with_secondary(first.loc.file, first.loc.span.clone(), "first image")
    .with_note("the deploy would take one of them: say which");
    if let Some(removal) = &image.removal {
        // Removing the second keeps the first, as for any member given twice; a suggestion,
        // since which image is meant is the writer's choice.
        diagnostic = diagnostic.with_suggestion("remove the second", removal.clone(), "");
    }
    out.push(diagnostic);
}

/// What the `printf` writes as JSON text: a `"` or `\` in a container name or an image
/// would end the string early or escape what follows, and an empty image is no image.
fn json_safe(image: &ContainerImage, out: &mut Vec<Diagnostic>) {
    let texts = image
        .container
        .iter()
        .map(|c| (c, "container name"))
        .chain([(&image.image, "image")]);
    for (text, what) in texts {
        if text.literal().is_some_and(|t| t.trim().is_empty()) {
            out.push(Diagnostic::new(
                Code::MissingProperty,
                format!("empty {what} in `image_definitions`"),
                text.loc.file,
                text.loc.span.clone(),
                "empty",
            ));
            continue;
        }
        if let Some(c) = text
            .literal_runs()
            .flat_map(str::chars)
            .find(|c| matches!(c, '"' | '\\'))
        {
            out.push(
                Diagnostic::new(
                    Code::WrongType,
                    format!("a `{c}` in the {what} would break imagedefinitions.json"),
                    text.loc.file,
                    text.loc.span.clone(),
                    "not valid in the JSON",
                )
                .with_note("the value is written into a JSON string as it is; container names and image URIs hold no quotes or backslashes"),
            );
        }
    }
}

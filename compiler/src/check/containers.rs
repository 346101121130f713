//! The containers an image-definitions output names: each one of its service's, each given
//! one image, and a container named wherever the service runs several; and what the
//! generated `printf` writes into the JSON holds no quote or backslash that would break it.

use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::containers::{breaks_json, not_a_container};
use crate::resolve::model::{ContainerImage, Program, Service};
use std::borrow::Cow;

pub fn check(program: &Program, out: &mut Vec<Diagnostic>) {
    for (_, service, images) in program.image_definitions() {
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

/// `container("name", …)` that is not one of the service's containers, judged where both
/// are written out (`emit` judges the ones parameters give, once rendered).
fn unknown(service: &Service, image: &ContainerImage, out: &mut Vec<Diagnostic>) {
    let Some(named) = image.container.as_ref() else { return };
    let Some(name) = named.literal() else { return };
    let Some(known) = service
        .containers
        .iter()
        .map(|c| c.literal().map(Cow::into_owned))
        .collect::<Option<Vec<_>>>()
    else {
        return;
    };
    out.extend(not_a_container(service, &name, &known, &named.loc, true));
}

/// Two images for one container: which one the deploy uses is not said.
fn twice(service: &Service, earlier: &[ContainerImage], image: &ContainerImage, out: &mut Vec<Diagnostic>) {
    let Some(name) = service.container_of(image).and_then(|c| c.literal()) else {
        return;
    };
    let Some(first) = earlier
        .iter()
        .find(|e| service.container_of(e).and_then(|c| c.literal()).as_deref() == Some(&*name))
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

/// What the `printf` writes as JSON text, judged where it is written out (`emit` judges what
/// parameters give, once rendered).
fn json_safe(image: &ContainerImage, out: &mut Vec<Diagnostic>) {
    let texts = image
        .container
        .iter()
        .map(|c| (c, "container name"))
        .chain([(&image.image, "image")]);
    for (text, what) in texts {
        if let Some(value) = text.literal() {
            out.extend(breaks_json(&value, what, &text.loc));
        } else if let Some(c) = text
            .literal_runs()
            .flat_map(str::chars)
            .find(|c| matches!(c, '"' | '\\'))
        {
            // A quote written beside a `${{ … }}` breaks it whatever the value.
            out.extend(breaks_json(&c.to_string(), what, &text.loc));
        }
    }
}

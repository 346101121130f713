//! Build environment settings that CodeBuild does not run together
//! (https://docs.aws.amazon.com/codebuild/latest/userguide/caching-local.html): a Docker layer
//! cache needs privileged mode; local caches are not available on the `linux_gpu` environment
//! type or the `2xlarge` compute type; a cache is local or in S3, not both; and the GPU environment is documented with the small and
//! large compute types only (the vocabulary's `EnvironmentType` and `Compute` docs).
//! The processor of a curated image against the environment type is judged with the image,
//! in `buildspec`.

use super::buildspec::make_privileged;
use crate::diagnostics::{Code, Diagnostic, SourceMap};
use crate::resolve::model::*;
use crate::resolve::Gaps;
use crate::vocabulary::{CacheMode, Compute, Enumerated, EnvironmentType};

pub fn check(sources: &SourceMap, program: &Program, gaps: &Gaps, out: &mut Vec<Diagnostic>) {
    for project in &program.projects {
        // An unread block may hold the privileged flag (see `buildspec::check`).
        if gaps.within(&project.header.item_loc).next().is_none() {
            docker_layer_cache(sources, project, out);
        }
        local_cache(project, out);
        cache_kinds(project, out);
        gpu_compute(project, out);
    }
}

fn docker_layer_cache(sources: &SourceMap, project: &Project, out: &mut Vec<Diagnostic>) {
    let Some(mode) = project
        .cache_mode
        .as_ref()
        .filter(|m| m.value == CacheMode::DockerLayer)
    else {
        return;
    };
    if project.environment.privileged.as_ref().is_some_and(|p| p.value) {
        return;
    }
    // A project that runs Docker is told to turn privileged mode on by E0504, with the same fix.
    if super::buildspec::runs_docker(project) {
        return;
    }
    let Some(how) = make_privileged(sources, project) else {
        return;
    };
    let d = Diagnostic::new(
        Code::EnvironmentConflict,
        format!(
            "project `{}` caches Docker layers but its environment is not privileged",
            project.header.name
        ),
        mode.loc.file,
        mode.loc.span.clone(),
        "needs privileged mode",
    )
    .with_note("CodeBuild's Docker layer cache works only in privileged mode, on Linux");
    out.push(how.apply(d));
}

fn local_cache(project: &Project, out: &mut Vec<Diagnostic>) {
    let Some(mode) = &project.cache_mode else { return };
    let environment = &project.environment;
    let refuses = environment
        .env_type
        .as_ref()
        .filter(|t| t.value == EnvironmentType::LinuxGpu)
        .map(|t| (&t.loc, format!("the `{}` environment type", t.value.word())))
        .or_else(|| {
            environment
                .compute
                .as_ref()
                .filter(|c| c.value == Compute::X2Large)
                .map(|c| (&c.loc, format!("the `{}` compute type", c.value.word())))
        });
    let Some((at, what)) = refuses else { return };
    out.push(
        Diagnostic::new(
            Code::EnvironmentConflict,
            format!(
                "{what} has no local cache, so `cache {{ mode = {} }}` cannot run there",
                mode.value.word()
            ),
            mode.loc.file,
            mode.loc.span.clone(),
            "local cache",
        )
        .with_secondary(at.file, at.span.clone(), "no local cache here")
        .with_help("remove the local cache, or choose another environment"),
    );
}

/// A cache is local (`mode`) or in S3 (`location`): CodeBuild's `Cache.Type` is one of them.
fn cache_kinds(project: &Project, out: &mut Vec<Diagnostic>) {
    let (Some(mode), Some(location)) = (&project.cache_mode, &project.cache_location) else {
        return;
    };
    out.push(
        Diagnostic::new(
            Code::EnvironmentConflict,
            format!(
                "project `{}` asks for a local cache (`mode`) and an S3 cache (`location`); CodeBuild keeps one",
                project.header.name
            ),
            mode.loc.file,
            mode.loc.span.clone(),
            "local cache",
        )
        .with_secondary(location.loc.file, location.loc.span.clone(), "S3 cache")
        .with_help("keep `location` for a cache every build host shares, or `mode` for one kept on the host"),
    );
}

fn gpu_compute(project: &Project, out: &mut Vec<Diagnostic>) {
    let environment = &project.environment;
    let (Some(env_type), Some(compute)) = (&environment.env_type, &environment.compute) else {
        return;
    };
    if env_type.value != EnvironmentType::LinuxGpu || matches!(compute.value, Compute::Small | Compute::Large) {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::EnvironmentConflict,
            format!(
                "the `linux_gpu` environment type runs on `small` or `large` compute, not `{}`",
                compute.value.word()
            ),
            compute.loc.file,
            compute.loc.span.clone(),
            "no GPU host of this size",
        )
        .with_secondary(env_type.loc.file, env_type.loc.span.clone(), "GPU environment"),
    );
}

//! The artifacts of a pipeline: who produces each, its type, and who consumes it. Worked out
//! once here; the wiring check judges it, the diagram draws it, the editor shows it.

use super::model::*;
use std::collections::BTreeMap;
use std::fmt;

/// What an artifact holds.
#[derive(Clone, Debug, PartialEq)]
pub enum ArtifactType {
    /// A checkout of a repository or an S3 object.
    Source,
    /// An ECR source's `imageDetail.json`.
    ImageDetail,
    /// `imagedefinitions.json` written for a service.
    ImageDefinitions { service: usize },
    /// Files a build produced: its project's primary output (`artifact` None) or a secondary
    /// `artifact`, by index.
    Files { project: usize, artifact: Option<usize> },
    /// Output of an action whose contents cruddur does not know.
    Opaque,
    /// A build output the project declares nothing for: its first output needs the project's
    /// `output`, a further one an `artifact` of the same name.
    Undeclared { project: usize, secondary: bool },
}

impl fmt::Display for ArtifactType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ArtifactType::Source => "Source",
            ArtifactType::ImageDetail => "ImageDetail",
            ArtifactType::ImageDefinitions { .. } => "ImageDefinitions",
            ArtifactType::Files { .. } => "Files",
            ArtifactType::Opaque | ArtifactType::Undeclared { .. } => "an untyped artifact",
        })
    }
}

/// The file a build writes for an ECS deploy, and the one it reads by default.
pub const IMAGE_DEFINITIONS_FILE: &str = "imagedefinitions.json";
/// The file an ECR source action outputs.
pub const IMAGE_DETAIL_FILE: &str = "imageDetail.json";

impl ArtifactType {
    /// The paths an artifact is known to hold, as CodeBuild's glob patterns (`*`, `**`); None
    /// when cruddur cannot know (a source checkout, computed patterns, a base directory).
    pub fn contents(&self, program: &Program) -> Option<Vec<String>> {
        match self {
            ArtifactType::ImageDefinitions { .. } => Some(vec![IMAGE_DEFINITIONS_FILE.to_string()]),
            ArtifactType::ImageDetail => Some(vec![IMAGE_DETAIL_FILE.to_string()]),
            ArtifactType::Files { project, artifact } => {
                let project = program.projects.get(*project)?;
                let patterns = match artifact {
                    None => match project.outputs.first()? {
                        ProjectOutput::Files { reshaped: true, .. } => return None,
                        ProjectOutput::Files { patterns, .. } => patterns,
                        ProjectOutput::ImageDefinitions { .. } => return None,
                    },
                    Some(i) => {
                        let artifact = project.artifacts.get(*i)?;
                        // Paths are then relative to the base directory, or bare file names.
                        if artifact.base_directory.is_some() || artifact.discard_paths.as_ref().is_some_and(|d| d.value)
                        {
                            return None;
                        }
                        &artifact.files
                    }
                };
                patterns.iter().map(|p| p.literal().map(|l| l.into_owned())).collect()
            }
            _ => None,
        }
    }
}

/// Whether a CodeBuild artifact pattern (`*` within a folder, `**` across folders, as in
/// `artifacts.files`) matches `path`.
pub fn pattern_matches(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim_start_matches("./");
    let path = path.trim_start_matches("./");
    matches(pattern.as_bytes(), path.as_bytes())
}

/// One step of an artifact pattern.
#[derive(Clone, Copy, PartialEq)]
enum Step {
    Byte(u8),
    /// `*`: any text within a folder.
    Star,
    /// `**`: any text.
    Stars,
    /// `**/`: no folder, or any text that ends with `/`.
    Folders,
}

/// The pattern run over the path as a set of places in it, one byte at a time: pattern × path
/// steps, however many stars (trying every split at every star is exponential).
fn matches(pattern: &[u8], path: &[u8]) -> bool {
    let mut steps = Vec::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(&first) = rest.first() {
        let (step, used) = match rest {
            [b'*', b'*', b'/', ..] => (Step::Folders, 3),
            [b'*', b'*', ..] => (Step::Stars, 2),
            [b'*', ..] => (Step::Star, 1),
            _ => (Step::Byte(first), 1),
        };
        steps.push(step);
        rest = &rest[used..];
    }
    // Place `2i` is before step `i`; `2i + 1` is inside a `**/` that has read something (it may
    // leave only after a `/`). Place `2n` accepts.
    let places = 2 * steps.len() + 1;
    let mut now = vec![false; places];
    let mut next = vec![false; places];
    now[0] = true;
    close(&steps, &mut now);
    for &byte in path {
        next.fill(false);
        for place in (0..places).filter(|&p| now[p]) {
            let index = place / 2;
            let Some(&step) = steps.get(index) else { continue };
            match step {
                Step::Byte(b) => {
                    if b == byte {
                        next[2 * index + 2] = true;
                    }
                }
                Step::Star => {
                    if byte != b'/' {
                        next[place] = true;
                    }
                }
                Step::Stars => next[place] = true,
                Step::Folders => {
                    next[2 * index + 1] = true;
                    if byte == b'/' {
                        next[2 * index + 2] = true;
                    }
                }
            }
        }
        std::mem::swap(&mut now, &mut next);
        close(&steps, &mut now);
    }
    now[places - 1]
}

/// Adds the places reached by reading nothing: past a star of any kind that has read nothing.
fn close(steps: &[Step], places: &mut [bool]) {
    for (index, step) in steps.iter().enumerate() {
        if places[2 * index] && !matches!(step, Step::Byte(_)) {
            places[2 * index + 2] = true;
        }
    }
}

/// One output of one action.
#[derive(Clone, Debug, PartialEq)]
pub struct Production {
    pub action: ActionRef,
    /// The name as written in `output`.
    pub output: At<String>,
    pub ty: ArtifactType,
}

/// One input of one action.
#[derive(Clone, Debug, PartialEq)]
pub struct Consumption {
    pub action: ActionRef,
    /// The name as written in `input`.
    pub input: At<String>,
}

/// An artifact: its first producer, and any further ones (an error).
#[derive(Clone, Debug, PartialEq)]
pub struct Artifact {
    pub producer: Production,
    pub again: Vec<Production>,
}

/// The artifacts of one pipeline.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArtifactGraph {
    /// By name.
    pub artifacts: BTreeMap<String, Artifact>,
    /// Every input in the order actions are written, produced or not.
    pub inputs: Vec<Consumption>,
}

impl ArtifactGraph {
    pub fn get(&self, name: &str) -> Option<&Artifact> {
        self.artifacts.get(name)
    }

    /// The inputs that name artifact `name`, in the order actions are written.
    pub fn consumers<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Consumption> + 'a {
        self.inputs.iter().filter(move |c| c.input.value == name)
    }
}

/// The artifact graphs of every pipeline, by pipeline index.
pub fn graphs(program: &Program) -> Vec<ArtifactGraph> {
    (0..program.pipelines.len())
        .map(|index| graph(program, index))
        .collect()
}

fn graph(program: &Program, pipeline: usize) -> ArtifactGraph {
    let mut graph = ArtifactGraph::default();
    let stages = &program.pipelines[pipeline].stages;
    for (stage, actions) in stages.iter().enumerate() {
        for (index, action) in actions.actions.iter().enumerate() {
            let at = ActionRef {
                pipeline,
                stage,
                action: index,
            };
            for (position, output) in action.outputs.iter().enumerate() {
                let production = Production {
                    action: at,
                    output: output.clone(),
                    ty: output_type(program, action, position, &output.value),
                };
                match graph.artifacts.get_mut(&output.value) {
                    Some(artifact) => artifact.again.push(production),
                    None => {
                        graph.artifacts.insert(
                            output.value.clone(),
                            Artifact {
                                producer: production,
                                again: Vec::new(),
                            },
                        );
                    }
                }
            }
        }
    }
    for (stage, actions) in stages.iter().enumerate() {
        for (index, action) in actions.actions.iter().enumerate() {
            for input in &action.inputs {
                graph.inputs.push(Consumption {
                    action: ActionRef {
                        pipeline,
                        stage,
                        action: index,
                    },
                    input: input.clone(),
                });
            }
        }
    }
    graph
}

/// The type of an action's output at `position`.
fn output_type(program: &Program, action: &Action, position: usize, name: &str) -> ArtifactType {
    match &action.provider.value {
        Provider::ConnectionSource { .. } | Provider::CodeCommitSource | Provider::S3Source => ArtifactType::Source,
        Provider::EcrSource { .. } => ArtifactType::ImageDetail,
        Provider::CodeBuild { project: index, .. } => {
            let Some(project) = program.projects.get(*index) else {
                return ArtifactType::Opaque;
            };
            let declared = if position == 0 {
                match project.outputs.first() {
                    Some(ProjectOutput::ImageDefinitions { service, .. }) => {
                        Some(ArtifactType::ImageDefinitions { service: service.value })
                    }
                    Some(ProjectOutput::Files { .. }) => Some(ArtifactType::Files {
                        project: *index,
                        artifact: None,
                    }),
                    None => None,
                }
            } else {
                project
                    .artifacts
                    .iter()
                    .position(|a| a.label.value == name)
                    .map(|artifact| ArtifactType::Files {
                        project: *index,
                        artifact: Some(artifact),
                    })
            };
            declared.unwrap_or(ArtifactType::Undeclared {
                project: *index,
                secondary: position > 0,
            })
        }
        _ => ArtifactType::Opaque,
    }
}

#[cfg(test)]
mod tests {
    use super::pattern_matches;

    #[test]
    fn artifact_patterns_match_as_codebuild_globs() {
        for (pattern, path) in [
            ("imagedefinitions.json", "imagedefinitions.json"),
            ("*.json", "taskdef.json"),
            ("**/*", "deep/in/a/folder.yml"),
            ("**/*", "top.yml"),
            ("dist/**/*", "dist/a/b.js"),
            ("./packaged.yml", "packaged.yml"),
            ("cfn/*.yml", "cfn/stack.yml"),
        ] {
            assert!(pattern_matches(pattern, path), "{pattern} should match {path}");
        }
        for (pattern, path) in [
            ("imagedefinitions.json", "images.json"),
            ("*.json", "cfn/taskdef.json"),
            ("dist/**/*", "other/a.js"),
            ("cfn/*.yml", "cfn/stack.yaml"),
        ] {
            assert!(!pattern_matches(pattern, path), "{pattern} should not match {path}");
        }
    }

    /// The definition: every way of splitting the path at every star, tried in turn.
    fn backtracking(pattern: &[u8], path: &[u8]) -> bool {
        match pattern {
            [] => path.is_empty(),
            [b'*', b'*', b'/', rest @ ..] => {
                // `**/` matches no folder or any number of them.
                backtracking(rest, path)
                    || path
                        .iter()
                        .enumerate()
                        .any(|(i, &c)| c == b'/' && backtracking(rest, &path[i + 1..]))
            }
            [b'*', b'*', rest @ ..] => (0..=path.len()).any(|i| backtracking(rest, &path[i..])),
            [b'*', rest @ ..] => (0..=path.len())
                .take_while(|&i| i == 0 || path[i - 1] != b'/')
                .any(|i| backtracking(rest, &path[i..])),
            [c, rest @ ..] => path.first() == Some(c) && backtracking(rest, &path[1..]),
        }
    }

    proptest::proptest! {
        #[test]
        fn matches_as_the_definition_does(pattern in "[a/*]{0,8}", path in "[a/b]{0,8}") {
            proptest::prop_assert_eq!(
                super::matches(pattern.as_bytes(), path.as_bytes()),
                backtracking(pattern.as_bytes(), path.as_bytes()),
                "{} on {}", pattern, path
            );
        }
    }
}

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
    /// Files a build produced.
    Files,
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
            ArtifactType::Files => "Files",
            ArtifactType::Opaque | ArtifactType::Undeclared { .. } => "an untyped artifact",
        })
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
        Provider::ConnectionSource { .. } | Provider::S3Source => ArtifactType::Source,
        Provider::EcrSource { .. } => ArtifactType::ImageDetail,
        Provider::CodeBuild { project: index } => {
            let Some(project) = program.projects.get(*index) else {
                return ArtifactType::Opaque;
            };
            let declared = if position == 0 {
                match project.outputs.first() {
                    Some(ProjectOutput::ImageDefinitions { service, .. }) => {
                        Some(ArtifactType::ImageDefinitions { service: service.value })
                    }
                    Some(ProjectOutput::Files { .. }) => Some(ArtifactType::Files),
                    None => None,
                }
            } else {
                project
                    .artifacts
                    .iter()
                    .any(|a| a.label.value == name)
                    .then_some(ArtifactType::Files)
            };
            declared.unwrap_or(ArtifactType::Undeclared {
                project: *index,
                secondary: position > 0,
            })
        }
        _ => ArtifactType::Opaque,
    }
}

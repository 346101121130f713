//! A pipeline as a diagram: stages as groups, actions as nodes, artifacts on the edges from
//! producer to consumer. Mermaid (for Markdown) and Graphviz DOT. A project no pipeline runs
//! is drawn with what starts it (webhook events, a schedule) and what it reads and writes.

use crate::resolve::artifacts::ArtifactGraph;
use crate::resolve::model::*;
use crate::vocabulary::Enumerated;
use std::fmt::Write;

fn node_id(stage: usize, action: usize) -> String {
    format!("s{stage}a{action}")
}

/// (producer node, consumer node, artifact) for every input that has a producer, in the
/// order the inputs are written.
fn edges(graph: &ArtifactGraph) -> Vec<(String, String, String)> {
    graph
        .inputs
        .iter()
        .filter_map(|input| {
            let producer = graph.get(&input.input.value)?.producer.action;
            Some((
                node_id(producer.stage, producer.action),
                node_id(input.action.stage, input.action.action),
                input.input.value.clone(),
            ))
        })
        .collect()
}

/// The stages' order where no artifact shows it: from one stage to the next when none of the
/// first's artifacts goes straight to the second (an approval, a stage reading only the source),
/// so the drawing keeps the stages in the order they run.
fn order_edges(pipeline: &Pipeline, graph: &ArtifactGraph) -> Vec<(String, String)> {
    let artifacts = edges(graph);
    pipeline
        .stages
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| !pair[0].actions.is_empty() && !pair[1].actions.is_empty())
        .filter(|(s, _)| {
            let (from, to) = (format!("s{s}a"), format!("s{}a", s + 1));
            !artifacts
                .iter()
                .any(|(a, b, _)| a.starts_with(&from) && b.starts_with(&to))
        })
        .map(|(s, _)| (node_id(s, 0), node_id(s + 1, 0)))
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('"', "'")
}

pub fn mermaid(pipeline: &Pipeline, graph: &ArtifactGraph) -> String {
    let mut out = String::from("flowchart LR\n");
    mermaid_body(pipeline, graph, "", "  ", &mut out);
    out
}

/// Several pipelines as one Mermaid chart (a chart per pipeline would not parse as one
/// document): each in a group of its own, its node ids prefixed to stay apart.
pub fn mermaid_all(pipelines: &[(&Pipeline, &ArtifactGraph)]) -> String {
    match pipelines {
        [(one, graph)] => mermaid(one, graph),
        _ => {
            let mut out = String::from("flowchart LR\n");
            mermaid_groups(pipelines, &mut out);
            out
        }
    }
}

/// Each pipeline in a group of its own, its node ids prefixed to stay apart.
fn mermaid_groups(pipelines: &[(&Pipeline, &ArtifactGraph)], out: &mut String) {
    for (p, (pipeline, graph)) in pipelines.iter().enumerate() {
        let _ = writeln!(out, "  subgraph p{p}[\"{}\"]", escape(&pipeline.header.name));
        mermaid_body(pipeline, graph, &format!("p{p}"), "    ", out);
        out.push_str("  end\n");
    }
}

/// A whole program as one Mermaid chart: its pipelines, and the projects no pipeline runs.
pub fn mermaid_program(program: &Program, graphs: &[ArtifactGraph]) -> String {
    mermaid_programs(&[(program, graphs)])
}

/// Several programs as one Mermaid chart: every pipeline, and every project no pipeline runs.
pub fn mermaid_programs(programs: &[(&Program, &[ArtifactGraph])]) -> String {
    let pipelines: Vec<_> = programs
        .iter()
        .flat_map(|(program, graphs)| program.pipelines.iter().zip(graphs.iter()))
        .collect();
    let standalone: Vec<(usize, usize)> = programs
        .iter()
        .enumerate()
        .flat_map(|(n, (program, _))| {
            (0..program.projects.len())
                .filter(|&i| program.runner(i).is_none())
                .map(move |i| (n, i))
        })
        .collect();
    if standalone.is_empty() {
        return mermaid_all(&pipelines);
    }
    let mut out = String::from("flowchart LR\n");
    mermaid_groups(&pipelines, &mut out);
    for (n, index) in standalone {
        // Node ids stay apart across programs.
        let prefix = if programs.len() == 1 {
            String::new()
        } else {
            format!("g{n}")
        };
        mermaid_project(programs[n].0, index, &prefix, &mut out);
    }
    out
}

/// How a node of a standalone project's drawing looks.
#[derive(Clone, Copy)]
enum Shape {
    /// The project.
    Box,
    /// What starts it: a repository's webhook, a schedule.
    Event,
    /// An S3 location it reads or writes.
    Store,
}

struct Node {
    id: String,
    label: String,
    shape: Shape,
}

/// A project no pipeline runs, as nodes and edges: what starts it, what it reads, where its
/// output goes. Both diagram languages print these.
fn project_drawing(program: &Program, index: usize, prefix: &str) -> (Vec<Node>, Vec<(String, String, String)>) {
    let project = &program.projects[index];
    let id = format!("{prefix}b{index}");
    let name = project
        .name
        .as_ref()
        .map_or_else(|| project.header.name.clone(), |n| shown(program, n));
    let mut nodes = vec![Node {
        id: id.clone(),
        label: name,
        shape: Shape::Box,
    }];
    let mut edges = Vec::new();
    let mut node = |suffix: &str, label: String, shape: Shape| {
        nodes.push(Node {
            id: format!("{id}{suffix}"),
            label,
            shape,
        });
        format!("{id}{suffix}")
    };
    if let Some(source) = &project.source {
        let branch = source
            .branch
            .as_ref()
            .map(|b| format!(" ({})", shown(program, b)))
            .unwrap_or_default();
        let label = format!("{} {}{branch}", source.host.value.word(), shown(program, &source.repo));
        let from = node("src", label, Shape::Event);
        let events: Vec<&str> = source.events.iter().map(|e| e.value.word()).collect();
        let on = if events.is_empty() {
            "source".to_string()
        } else {
            events.join(", ")
        };
        edges.push((from, id.clone(), on));
    }
    if let Some(location) = &project.s3_source {
        let from = node("in", format!("s3://{}", shown(program, location)), Shape::Store);
        edges.push((from, id.clone(), "source".to_string()));
    }
    if let Some(schedule) = &project.schedule {
        let from = node("cron", shown(program, schedule), Shape::Event);
        edges.push((from, id.clone(), "schedule".to_string()));
    }
    if let Some(to) = &project.output_to {
        let store = node("out", format!("s3://{}", shown(program, &to.location)), Shape::Store);
        edges.push((id.clone(), store, "output".to_string()));
    }
    (nodes, edges)
}

fn mermaid_project(program: &Program, index: usize, prefix: &str, out: &mut String) {
    let (nodes, edges) = project_drawing(program, index, prefix);
    for node in nodes {
        let label = escape(&node.label);
        let _ = match node.shape {
            Shape::Box => writeln!(out, "  {}[\"{label}<br/><i>codebuild project</i>\"]", node.id),
            Shape::Event => writeln!(out, "  {}([\"{label}\"])", node.id),
            Shape::Store => writeln!(out, "  {}[(\"{label}\")]", node.id),
        };
    }
    for (from, to, label) in edges {
        let _ = writeln!(out, "  {from} -- \"{}\" --> {to}", escape(&label));
    }
}

/// A value as the chart shows it: literal text as written, a parameter by its name.
fn shown(program: &Program, text: &Text) -> String {
    text.pieces
        .iter()
        .map(|piece| match piece {
            Piece::Lit(lit) => lit.clone(),
            Piece::Param { param, .. } => {
                format!(
                    "{{{}}}",
                    program.params.get(*param).map_or("param", |p| p.header.name.as_str())
                )
            }
            Piece::Field { item, field, .. } => format!(
                "{{{}.{}}}",
                program.header(*item).map_or("item", |h| h.name.as_str()),
                field.word()
            ),
            Piece::Aws { field, .. } => format!("{{aws.{}}}", field.word()),
        })
        .collect()
}

fn mermaid_body(pipeline: &Pipeline, graph: &ArtifactGraph, prefix: &str, indent: &str, out: &mut String) {
    for (s, stage) in pipeline.stages.iter().enumerate() {
        let _ = writeln!(
            out,
            "{indent}subgraph {prefix}stage{s}[\"{}\"]",
            escape(&stage.aws_name())
        );
        for (a, action) in stage.actions.iter().enumerate() {
            let _ = writeln!(
                out,
                "{indent}  {prefix}{}[\"{}<br/><i>{}</i>\"]",
                node_id(s, a),
                escape(&action.label.value),
                action.provider.value.name()
            );
        }
        let _ = writeln!(out, "{indent}end");
    }
    for (from, to, artifact) in edges(graph) {
        let _ = writeln!(
            out,
            "{indent}{prefix}{from} -- \"{}\" --> {prefix}{to}",
            escape(&artifact)
        );
    }
    for (from, to) in order_edges(pipeline, graph) {
        let _ = writeln!(out, "{indent}{prefix}{from} -.-> {prefix}{to}");
    }
}

/// The projects no pipeline runs, as one Graphviz graph (none when there are none).
pub fn dot_projects(program: &Program) -> String {
    let standalone: Vec<usize> = (0..program.projects.len())
        .filter(|&i| program.runner(i).is_none())
        .collect();
    if standalone.is_empty() {
        return String::new();
    }
    let mut out = String::from("digraph \"projects\" {\n  rankdir=LR;\n  node [shape=box];\n");
    for index in standalone {
        let (nodes, edges) = project_drawing(program, index, "");
        for node in nodes {
            let label = escape(&node.label);
            let _ = match node.shape {
                Shape::Box => writeln!(out, "  {} [label=\"{label}\\n(codebuild project)\"];", node.id),
                Shape::Event => writeln!(out, "  {} [shape=oval, label=\"{label}\"];", node.id),
                Shape::Store => writeln!(out, "  {} [shape=cylinder, label=\"{label}\"];", node.id),
            };
        }
        for (from, to, label) in edges {
            let _ = writeln!(out, "  {from} -> {to} [label=\"{}\"];", escape(&label));
        }
    }
    out.push_str("}\n");
    out
}

pub fn dot(pipeline: &Pipeline, graph: &ArtifactGraph) -> String {
    let mut out = format!(
        "digraph \"{}\" {{\n  rankdir=LR;\n  node [shape=box];\n",
        escape(&pipeline.header.name)
    );
    for (s, stage) in pipeline.stages.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph cluster_{s} {{\n    label=\"{}\";",
            escape(&stage.aws_name())
        );
        for (a, action) in stage.actions.iter().enumerate() {
            let _ = writeln!(
                out,
                "    {} [label=\"{}\\n({})\"];",
                node_id(s, a),
                escape(&action.label.value),
                action.provider.value.name()
            );
        }
        out.push_str("  }\n");
    }
    for (from, to, artifact) in edges(graph) {
        let _ = writeln!(out, "  {from} -> {to} [label=\"{}\"];", escape(&artifact));
    }
    for (from, to) in order_edges(pipeline, graph) {
        let _ = writeln!(out, "  {from} -> {to} [style=dashed];");
    }
    out.push_str("}\n");
    out
}

//! A pipeline as a diagram: stages as groups, actions as nodes, artifacts on the edges from
//! producer to consumer. Mermaid (for Markdown) and Graphviz DOT.

use crate::resolve::artifacts::ArtifactGraph;
use crate::resolve::model::*;
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
            for (p, (pipeline, graph)) in pipelines.iter().enumerate() {
                let _ = writeln!(out, "  subgraph p{p}[\"{}\"]", escape(&pipeline.header.name));
                mermaid_body(pipeline, graph, &format!("p{p}"), "    ", &mut out);
                out.push_str("  end\n");
            }
            out
        }
    }
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
    out.push_str("}\n");
    out
}

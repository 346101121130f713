//! A pipeline as a diagram: stages as groups, actions as nodes, artifacts on the edges from
//! producer to consumer. Mermaid (for Markdown) and Graphviz DOT.

use crate::resolve::model::*;
use std::fmt::Write;

fn node_id(stage: usize, action: usize) -> String {
    format!("s{stage}a{action}")
}

/// (producer node, consumer node, artifact) for every input that has a producer.
fn edges(pipeline: &Pipeline) -> Vec<(String, String, String)> {
    let mut producers = std::collections::BTreeMap::new();
    for (s, stage) in pipeline.stages.iter().enumerate() {
        for (a, action) in stage.actions.iter().enumerate() {
            for output in &action.outputs {
                producers.entry(output.value.clone()).or_insert_with(|| node_id(s, a));
            }
        }
    }
    let mut edges = Vec::new();
    for (s, stage) in pipeline.stages.iter().enumerate() {
        for (a, action) in stage.actions.iter().enumerate() {
            for input in &action.inputs {
                if let Some(from) = producers.get(&input.value) {
                    edges.push((from.clone(), node_id(s, a), input.value.clone()));
                }
            }
        }
    }
    edges
}

fn escape(text: &str) -> String {
    text.replace('"', "'")
}

pub fn mermaid(pipeline: &Pipeline) -> String {
    let mut out = String::from("flowchart LR\n");
    mermaid_body(pipeline, "", "  ", &mut out);
    out
}

/// Several pipelines as one Mermaid chart (a chart per pipeline would not parse as one
/// document): each in a group of its own, its node ids prefixed to stay apart.
pub fn mermaid_all(pipelines: &[&Pipeline]) -> String {
    match pipelines {
        [one] => mermaid(one),
        _ => {
            let mut out = String::from("flowchart LR\n");
            for (p, pipeline) in pipelines.iter().enumerate() {
                let _ = writeln!(out, "  subgraph p{p}[\"{}\"]", escape(&pipeline.header.name));
                mermaid_body(pipeline, &format!("p{p}"), "    ", &mut out);
                out.push_str("  end\n");
            }
            out
        }
    }
}

fn mermaid_body(pipeline: &Pipeline, prefix: &str, indent: &str, out: &mut String) {
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
    for (from, to, artifact) in edges(pipeline) {
        let _ = writeln!(
            out,
            "{indent}{prefix}{from} -- \"{}\" --> {prefix}{to}",
            escape(&artifact)
        );
    }
}

pub fn dot(pipeline: &Pipeline) -> String {
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
    for (from, to, artifact) in edges(pipeline) {
        let _ = writeln!(out, "  {from} -> {to} [label=\"{}\"];", escape(&artifact));
    }
    out.push_str("}\n");
    out
}

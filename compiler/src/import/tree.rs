//! Reading the input's YAML or JSON tree: a key's value, its text, every string in it. The
//! readers of buildspecs, projects, pipelines and templates share these.

use crate::syntax::yaml::{Node, NodeKind};

/// The value of `key` in a mapping.
pub(super) fn get<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    node.entries()?
        .iter()
        .find(|(k, _)| k.scalar() == Some(key))
        .map(|(_, v)| v)
}

/// The text of `key` in a mapping, when it is a scalar that is not empty.
pub(super) fn text<'n>(node: &'n Node, key: &str) -> Option<&'n str> {
    get(node, key).and_then(Node::scalar).filter(|s| !s.is_empty())
}

/// Every scalar of the tree.
pub(super) fn strings<'n>(node: &'n Node, out: &mut Vec<&'n str>) {
    match &node.kind {
        NodeKind::Scalar { value, .. } => out.push(value),
        NodeKind::Seq(items) => items.iter().for_each(|i| strings(i, out)),
        NodeKind::Map(entries) => entries.iter().for_each(|(_, v)| strings(v, out)),
    }
}

/// A mapping's value, a list or a scalar that holds nothing.
pub(super) fn is_empty(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Seq(items) => items.is_empty(),
        NodeKind::Map(entries) => entries.is_empty(),
        NodeKind::Scalar { .. } => node.is_null(),
    }
}

/// The tree as JSON: scalars as strings, but a plain `true` or `false` as a boolean.
pub(super) fn json(node: &Node) -> serde_json::Value {
    match &node.kind {
        NodeKind::Scalar { value, plain } => match (value.as_str(), plain) {
            ("true", true) => serde_json::Value::Bool(true),
            ("false", true) => serde_json::Value::Bool(false),
            _ => serde_json::Value::String(value.clone()),
        },
        NodeKind::Seq(items) => serde_json::Value::Array(items.iter().map(json).collect()),
        NodeKind::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .filter_map(|(k, v)| Some((k.scalar()?.to_string(), json(v))))
                .collect(),
        ),
    }
}

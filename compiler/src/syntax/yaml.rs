//! YAML read into a tree whose every node keeps its byte span: for files cruddur checks but
//! does not own, such as a buildspec kept in the repository. Built on granit-parser's events;
//! aliases are expanded and `<<` merge keys applied, as CodeBuild's reader does.

use crate::diagnostics::Span;
use granit_parser::{Event, Parser, ScalarStyle};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// The node as written (a scalar with its quotes, a block collection up to its last entry).
    pub span: Span,
    /// It carries an anchor (`&name`): aliases elsewhere stand for it.
    pub anchored: bool,
    /// A local tag's name (`Ref` for `!Ref`): CloudFormation's short-form intrinsics.
    pub tag: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// A scalar's value after YAML's escapes and folding; `plain` when written without quotes
    /// or a block indicator (only those can be `yes`, `null` or a number).
    Scalar {
        value: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    /// Entries in the order written.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The text of a scalar.
    pub fn scalar(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    pub fn entries(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// A plain scalar YAML reads as null (`~`, `null`, nothing).
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { value, plain: true } if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// What the node is, for "found …": a scalar is quoted (shortened past 40 characters).
    pub fn describe(&self) -> String {
        match &self.kind {
            NodeKind::Scalar { .. } if self.is_null() => "nothing".to_string(),
            NodeKind::Scalar { value, .. } => {
                let line = value.lines().next().unwrap_or("");
                let short: String = line.chars().take(40).collect();
                let cut = short.len() < value.len();
                format!("`{short}{}`", if cut { "…" } else { "" })
            }
            NodeKind::Seq(_) => "a list".to_string(),
            NodeKind::Map(_) => "a mapping".to_string(),
        }
    }
}

/// A YAML syntax error: where, and what.
#[derive(Clone, Debug, PartialEq)]
pub struct YamlError {
    pub span: Span,
    pub message: String,
}

/// The most nodes a document may hold once its aliases are expanded: a few aliases of aliases
/// can otherwise stand for billions of nodes ("billion laughs").
pub const MAX_NODES: usize = 100_000;

/// The first document of `text`; `Ok(None)` for a file without one.
pub fn parse(text: &str) -> Result<Option<Node>, YamlError> {
    let mut builder = Builder {
        text,
        anchors: HashMap::new(),
        stack: Vec::new(),
        root: None,
        nodes: 0,
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            let at = offset(text, e.marker());
            YamlError {
                span: at..next_char(text, at),
                message: e.info(),
            }
        })?;
        let span = offset(text, &span.start)..offset(text, &span.end);
        let at = span.clone();
        if builder.event(event, span) {
            break;
        }
        if builder.nodes > MAX_NODES {
            return Err(YamlError {
                span: at,
                message: format!("its aliases expand to more than {MAX_NODES} nodes"),
            });
        }
    }
    Ok(builder.root)
}

/// A marker's byte offset: given for text read from a string; counted from the character
/// index otherwise.
fn offset(text: &str, marker: &granit_parser::Marker) -> usize {
    marker
        .byte_offset()
        .unwrap_or_else(|| text.char_indices().nth(marker.index()).map_or(text.len(), |(i, _)| i))
        .min(text.len())
}

fn next_char(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(at, |c| at + c.len_utf8())
}

enum Open {
    Seq {
        items: Vec<Node>,
        start: usize,
        anchor: usize,
        tag: Option<String>,
    },
    Map {
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        start: usize,
        anchor: usize,
        tag: Option<String>,
    },
}

/// The name of a local tag (`!Ref`); other tags (`!!str`) are YAML's own.
fn local(tag: Option<&granit_parser::Tag>) -> Option<String> {
    tag.filter(|t| t.handle() == "!").map(|t| t.suffix().to_string())
}

struct Builder<'t> {
    text: &'t str,
    /// Each anchored node, with how many nodes it holds.
    anchors: HashMap<usize, (Node, usize)>,
    stack: Vec<Open>,
    root: Option<Node>,
    /// Nodes built so far, aliases counted expanded.
    nodes: usize,
}

impl Builder<'_> {
    /// Takes one event; true once the first document is complete.
    fn event(&mut self, event: Event<'_>, span: Span) -> bool {
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                let node = Node {
                    kind: NodeKind::Scalar {
                        value: value.into_owned(),
                        plain: style == ScalarStyle::Plain,
                    },
                    span,
                    anchored: anchor != 0,
                    tag: local(tag.as_deref()),
                };
                self.anchor(anchor, &node);
                self.push(node);
            }
            Event::Alias(id) => {
                // The alias stands for a copy of the anchored node, found where it was defined;
                // counted before it is copied.
                let (node, size) = self.anchors.get(&id).cloned().unwrap_or((
                    Node {
                        kind: NodeKind::Scalar {
                            value: String::new(),
                            plain: true,
                        },
                        span,
                        anchored: false,
                        tag: None,
                    },
                    1,
                ));
                self.nodes += size;
                if self.nodes <= MAX_NODES {
                    self.push(node);
                }
            }
            Event::SequenceStart(_, anchor, tag) => self.stack.push(Open::Seq {
                items: Vec::new(),
                start: span.start,
                anchor,
                tag: local(tag.as_deref()),
            }),
            Event::MappingStart(_, anchor, tag) => self.stack.push(Open::Map {
                entries: Vec::new(),
                key: None,
                start: span.start,
                anchor,
                tag: local(tag.as_deref()),
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = self.stack.pop() else { return false };
                let (kind, start, anchor, tag) = match open {
                    Open::Seq {
                        items,
                        start,
                        anchor,
                        tag,
                    } => (NodeKind::Seq(items), start, anchor, tag),
                    Open::Map {
                        entries,
                        start,
                        anchor,
                        tag,
                        ..
                    } => (NodeKind::Map(merge(entries)), start, anchor, tag),
                };
                let end = last_end(&kind).unwrap_or(span.end).max(start);
                // A flow collection ends at its closing bracket.
                let end = match self.text.get(end..span.end) {
                    Some(rest) if rest.trim_start().starts_with([']', '}']) => span.end,
                    _ => end,
                };
                let node = Node {
                    kind,
                    span: start..end,
                    anchored: anchor != 0,
                    tag,
                };
                self.anchor(anchor, &node);
                self.push(node);
            }
            Event::DocumentEnd => return self.root.is_some() || self.stack.is_empty(),
            _ => {}
        }
        false
    }

    fn anchor(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size(node)));
        }
    }

    fn push(&mut self, node: Node) {
        self.nodes += 1;
        match self.stack.last_mut() {
            Some(Open::Seq { items, .. }) => items.push(node),
            Some(Open::Map { entries, key, .. }) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => *key = Some(node),
            },
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
        }
    }
}

/// How many nodes a tree holds.
fn size(node: &Node) -> usize {
    1 + match &node.kind {
        NodeKind::Scalar { .. } => 0,
        NodeKind::Seq(items) => items.iter().map(size).sum(),
        NodeKind::Map(entries) => entries.iter().map(|(k, v)| size(k) + size(v)).sum(),
    }
}

/// Where a collection's last entry ends.
fn last_end(kind: &NodeKind) -> Option<usize> {
    match kind {
        NodeKind::Seq(items) => items.last().map(|n| n.span.end),
        NodeKind::Map(entries) => entries.last().map(|(k, v)| k.span.end.max(v.span.end)),
        NodeKind::Scalar { .. } => None,
    }
}

/// Applies `<<` merge keys: the merged mappings' entries come after the mapping's own, and
/// a key written in the mapping wins.
fn merge(entries: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
    let is_merge = |k: &Node| matches!(&k.kind, NodeKind::Scalar { value, plain: true } if value == "<<");
    if !entries.iter().any(|(k, _)| is_merge(k)) {
        return entries;
    }
    let mut own = Vec::new();
    let mut merged = Vec::new();
    for (key, value) in entries {
        if !is_merge(&key) {
            own.push((key, value));
            continue;
        }
        let sources = match value.kind {
            NodeKind::Seq(items) => items,
            _ => vec![value],
        };
        for source in sources {
            if let NodeKind::Map(entries) = source.kind {
                merged.extend(entries);
            }
        }
    }
    for (key, value) in merged {
        let taken = own
            .iter()
            .any(|(k, _)| k.scalar().is_some() && k.scalar() == key.scalar());
        if !taken {
            own.push((key, value));
        }
    }
    own
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar_at<'a>(node: &'a Node, path: &[&str]) -> &'a Node {
        let mut node = node;
        for key in path {
            node = &node
                .entries()
                .unwrap()
                .iter()
                .find(|(k, _)| k.scalar() == Some(key))
                .unwrap()
                .1;
        }
        node
    }

    #[test]
    fn keeps_byte_spans_of_scalars_and_collections() {
        let text = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo \"é\"\n      - 'make'\n";
        let root = parse(text).unwrap().unwrap();
        let commands = scalar_at(&root, &["phases", "build", "commands"]);
        let NodeKind::Seq(items) = &commands.kind else { panic!() };
        assert_eq!(&text[items[0].span.clone()], "echo \"é\"");
        assert_eq!(items[0].scalar(), Some("echo \"é\""));
        assert_eq!(&text[items[1].span.clone()], "'make'");
        assert!(text[commands.span.clone()].ends_with("'make'"));
        assert_eq!(&text[scalar_at(&root, &["version"]).span.clone()], "0.2");
    }

    #[test]
    fn expands_aliases_and_merge_keys() {
        let text = "base: &b\n  shell: bash\n  x: 1\nenv:\n  <<: *b\n  x: 2\n";
        let root = parse(text).unwrap().unwrap();
        let env = scalar_at(&root, &["env"]).entries().unwrap();
        let keys: Vec<_> = env
            .iter()
            .map(|(k, v)| (k.scalar().unwrap(), v.scalar().unwrap()))
            .collect();
        assert_eq!(keys, [("x", "2"), ("shell", "bash")]);
    }

    #[test]
    fn reports_syntax_errors_with_a_place() {
        let text = "phases:\n  build: [a, b\n";
        let error = parse(text).unwrap_err();
        assert!(error.span.start <= text.len(), "{error:?}");
        assert!(!error.message.is_empty());
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("# only a comment\n").unwrap(), None);
    }

    #[test]
    fn aliases_of_aliases_stop_at_a_limit() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..9 {
            let items = vec![format!("*a{}", level - 1); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        let error = parse(&text).unwrap_err();
        assert!(error.message.contains("more than"), "{error:?}");
        // A few aliases are fine.
        assert!(parse("a: &a [x, y]\nb: [*a, *a]\n").unwrap().is_some());
    }

    #[test]
    fn bad_input_is_an_error_or_a_tree_never_a_panic() {
        let deep = "[".repeat(10_000);
        let inputs = [
            "\u{feff}version: 0.2\n",
            "a:\n\t- b\n",
            "a: [b, {c: d\n",
            "? complex\n: key\n",
            "&a a: *a\n",
            "*unknown\n",
            "a: !!binary aGVsbG8=\n",
            "---\n...\n---\nsecond: doc\n",
            "é: ☕\n  - 🚀\n",
            "\r\nphases:\r\n  build:\r\n    commands:\r\n      - make\r\n",
            "\u{0}\u{1}\u{2}",
            deep.as_str(),
        ];
        for input in inputs {
            if let Ok(Some(node)) = parse(input) {
                assert!(
                    node.span.end <= input.len() && node.span.start <= node.span.end,
                    "{input:?}"
                );
            }
        }
    }

    #[test]
    fn flow_collections_end_at_their_bracket() {
        let text = "a: [x, y]\n";
        let root = parse(text).unwrap().unwrap();
        assert_eq!(&text[scalar_at(&root, &["a"]).span.clone()], "[x, y]");
    }
}

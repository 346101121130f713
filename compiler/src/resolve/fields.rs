//! E0214: an item's field whose text reads that same text again, directly (`name = "app-${{
//! app.name }}"`) or through other items' fields. It has no value: writing it out would never
//! end. The walk goes from text to text (several fields are made from one: a repository's
//! `name`, `uri` and `arn` from its `name`), as [`super::render::Env::field`] reads them.

use super::model::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::vocabulary::Field;

/// A text an item's fields are made from: the item, and the property that holds it.
type Node = (ItemId, &'static str);

/// A node being walked: it, the texts it reads (with where), and how many were followed.
type Frame<'p> = (Node, Vec<(Node, &'p Loc)>, usize);

/// Reports each cycle once, at the reference that closes it. A depth-first walk over the
/// references, with a stack of its own: a chain of ten thousand names is no deeper for the
/// walk than one.
pub fn cycles(program: &Program, out: &mut Vec<Diagnostic>) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Open,
        Done,
    }
    let mut state: rustc_hash::FxHashMap<Node, State> = Default::default();
    let mut reported: Vec<Vec<Node>> = Vec::new();
    for start in starts(program) {
        if state.contains_key(&start) {
            continue;
        }
        state.insert(start, State::Open);
        let mut stack: Vec<Frame> = vec![(start, references(program, start), 0)];
        while let Some((node, refs, next)) = stack.last_mut() {
            let Some(&(target, at)) = refs.get(*next) else {
                state.insert(*node, State::Done);
                stack.pop();
                continue;
            };
            *next += 1;
            match state.get(&target) {
                None => {
                    state.insert(target, State::Open);
                    stack.push((target, references(program, target), 0));
                }
                Some(State::Open) => {
                    let from = stack.iter().position(|(n, ..)| *n == target).unwrap_or(0);
                    let cycle: Vec<Node> = stack[from..].iter().map(|(n, ..)| *n).collect();
                    // One text reading itself twice (`${{ r.uri }}-${{ r.arn }}`) is one mistake.
                    let mut key = cycle.clone();
                    key.sort();
                    if !reported.contains(&key) {
                        reported.push(key);
                        out.push(diagnostic(program, &cycle, at));
                    }
                }
                Some(State::Done) => {}
            }
        }
    }
}

/// Every text of every item whose fields are made from texts, in the program's order.
fn starts(program: &Program) -> Vec<Node> {
    let mut starts = Vec::new();
    for (kind, count) in [
        (Kind::Repository, program.repositories.len()),
        (Kind::Connection, program.connections.len()),
        (Kind::Service, program.services.len()),
        (Kind::Role, program.roles.len()),
        (Kind::Project, program.projects.len()),
        (Kind::Pipeline, program.pipelines.len()),
    ] {
        for index in 0..count {
            for property in ["name", "arn", "cluster", "container", "artifact_bucket"] {
                starts.push((ItemId { kind, index }, property));
            }
        }
    }
    starts
}

/// The texts `node`'s text reads, with where each is read.
fn references(program: &Program, (item, property): Node) -> Vec<(Node, &Loc)> {
    text(program, item, property)
        .into_iter()
        .flat_map(|text| &text.pieces)
        .filter_map(|piece| match piece {
            Piece::Field { item, field, loc } => Some(((*item, made_from(program, *item, *field)?), loc)),
            _ => None,
        })
        .collect()
}

fn diagnostic(program: &Program, cycle: &[Node], at: &Loc) -> Diagnostic {
    let name = |(item, property): &Node| {
        let header = program.header(*item).map_or("", |h| h.name.as_str());
        format!("the `{property}` of `{header}`")
    };
    let first = name(&cycle[0]);
    let message = match cycle {
        [_] => format!("{first} is made from itself"),
        [_, rest @ ..] => format!(
            "{first} is made from itself, through {}",
            rest.iter().map(name).collect::<Vec<_>>().join(" and ")
        ),
        [] => String::new(),
    };
    Diagnostic::new(Code::FieldCycle, message, at.file, at.span.clone(), "read here").with_help(
        "write the value out, or build it from a `param` or another item's field that does not read this one",
    )
}

/// The property whose text `item.field` is made from, if any.
fn made_from(program: &Program, item: ItemId, field: Field) -> Option<&'static str> {
    Some(match (item.kind, field) {
        (Kind::Repository, Field::Name | Field::Uri | Field::Arn) => "name",
        (Kind::Connection, Field::Name) => "name",
        (Kind::Connection, Field::Arn) => "arn",
        (Kind::Service, Field::Cluster) => "cluster",
        (Kind::Service, Field::Name) => "name",
        (Kind::Service, Field::Container) => "container",
        // A role's name is its ARN's last part when it has one.
        (Kind::Role, Field::Name | Field::Arn) if program.roles.get(item.index)?.arn.is_some() => "arn",
        (Kind::Role, Field::Name | Field::Arn) => "name",
        (Kind::Project | Kind::Pipeline, Field::Name | Field::Arn) => "name",
        (Kind::Pipeline, Field::ArtifactBucket) => "artifact_bucket",
        _ => return None,
    })
}

/// The text an item's property holds.
fn text<'p>(program: &'p Program, item: ItemId, property: &str) -> Option<&'p Text> {
    let index = item.index;
    match (item.kind, property) {
        (Kind::Repository, "name") => program.repositories.get(index)?.name.as_ref(),
        (Kind::Connection, "name") => program.connections.get(index)?.name.as_ref(),
        (Kind::Connection, "arn") => program.connections.get(index)?.arn.as_ref(),
        (Kind::Service, "cluster") => program.services.get(index)?.cluster.as_ref(),
        (Kind::Service, "name") => program.services.get(index)?.name.as_ref(),
        (Kind::Service, "container") => program.services.get(index)?.containers.first(),
        (Kind::Role, "arn") => program.roles.get(index)?.arn.as_ref(),
        (Kind::Role, "name") => program.roles.get(index)?.name.as_ref(),
        (Kind::Project, "name") => program.projects.get(index)?.name.as_ref(),
        (Kind::Pipeline, "name") => program.pipelines.get(index)?.name.as_ref(),
        (Kind::Pipeline, "artifact_bucket") => program.pipelines.get(index)?.artifact_bucket.as_ref(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::{Code, SourceMap};
    use crate::resolve::render::{Env, Target};

    /// A name made from itself is reported, and writing it out ends (as nothing) instead of
    /// recursing until the stack overflows (found by fuzzing `check --fix`).
    #[test]
    fn a_field_made_from_itself_is_reported_and_renders() {
        let mut sources = SourceMap::new();
        let file = sources.add(
            "f.cruddur",
            "project app {\n  name = \"app-${{ app.name }}\"\n  environment {\n    image = amazonlinux_standard(\"5.0\")\n  }\n}\n"
                .to_string(),
        );
        let analysis = crate::analyze(&sources, &[file]);
        let codes: Vec<Code> = analysis.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::FieldCycle], "{:?}", analysis.diagnostics);
        let name = analysis.program.projects[0].name.clone().unwrap();
        for target in [Target::Literal, Target::CloudFormation, Target::Sample] {
            let mut errors = Vec::new();
            let mut env = Env::new(&analysis.program, Vec::new(), target, &mut errors);
            assert!(env.text(&name).starts_with("app-"));
        }
    }
}

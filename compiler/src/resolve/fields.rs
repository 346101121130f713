//! E0214: an item's field whose text reads that same field, directly (`name = "app-${{
//! app.name }}"`) or through other items' fields. It has no value: writing it out would never
//! end. Which texts each field is made from follows [`super::render::Env::field`].

use super::model::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::vocabulary::Field;

type Node = (ItemId, Field);

/// A node being walked: it, the fields it reads (with where), and how many were followed.
type Frame<'p> = (Node, Vec<(Node, &'p Loc)>, usize);

/// Reports each cycle of fields once, at the reference that closes it. A depth-first walk
/// over the references, with a stack of its own: a chain of ten thousand names is no deeper
/// for the walk than one.
pub fn cycles(program: &Program, out: &mut Vec<Diagnostic>) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Open,
        Done,
    }
    let mut state: rustc_hash::FxHashMap<Node, State> = Default::default();
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
                    out.push(diagnostic(program, &cycle, at));
                }
                Some(State::Done) => {}
            }
        }
    }
}

/// Every field of every item whose fields are made from its texts, in the program's order.
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
            for field in [
                Field::Name,
                Field::Arn,
                Field::Uri,
                Field::Cluster,
                Field::Container,
                Field::ArtifactBucket,
            ] {
                starts.push((ItemId { kind, index }, field));
            }
        }
    }
    starts
}

/// The fields `node`'s texts read, with where each is read.
fn references(program: &Program, node: Node) -> Vec<(Node, &Loc)> {
    texts(program, node)
        .into_iter()
        .flat_map(|text| &text.pieces)
        .filter_map(|piece| match piece {
            Piece::Field { item, field, loc } => Some(((*item, *field), loc)),
            _ => None,
        })
        .collect()
}

fn diagnostic(program: &Program, cycle: &[Node], at: &Loc) -> Diagnostic {
    let name = |(item, field): &Node| {
        let header = program.header(*item).map_or("", |h| h.name.as_str());
        format!("`{header}.{}`", field.word())
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

/// The texts `item.field` is written from.
fn texts(program: &Program, (item, field): Node) -> Vec<&Text> {
    fn one(text: &Option<Text>) -> Vec<&Text> {
        text.iter().collect()
    }
    let index = item.index;
    match (item.kind, field) {
        (Kind::Repository, Field::Name | Field::Uri | Field::Arn) => one(&program.repositories[index].name),
        (Kind::Connection, Field::Name) => one(&program.connections[index].name),
        (Kind::Connection, Field::Arn) => one(&program.connections[index].arn),
        (Kind::Service, Field::Cluster) => one(&program.services[index].cluster),
        (Kind::Service, Field::Name) => one(&program.services[index].name),
        (Kind::Service, Field::Container) => program.services[index].containers.iter().take(1).collect(),
        // A role's name is its ARN's last part when it has one.
        (Kind::Role, Field::Name | Field::Arn) => {
            let role = &program.roles[index];
            one(if role.arn.is_some() { &role.arn } else { &role.name })
        }
        (Kind::Project, Field::Name | Field::Arn) => one(&program.projects[index].name),
        (Kind::Pipeline, Field::Name | Field::Arn) => one(&program.pipelines[index].name),
        (Kind::Pipeline, Field::ArtifactBucket) => one(&program.pipelines[index].artifact_bucket),
        _ => Vec::new(),
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

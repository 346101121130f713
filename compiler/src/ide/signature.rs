//! Signature help inside a call: a value function's parameters (`github(connection,
//! "owner/repo", events = […], branch = "…")`) or a provider's argument (`codebuild(project)`),
//! with the one being written marked.

use super::completion::context::{Context, Place};
use crate::diagnostics::{FileId, Span};
use crate::syntax::lexer;
use crate::vocabulary::{self, Function};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub label: String,
    /// Markdown.
    pub doc: String,
    /// Each parameter's place in the label.
    pub params: Vec<Span>,
    /// The parameter being written.
    pub active: Option<usize>,
}

pub fn signature_help(source: &str, file: FileId, offset: usize) -> Option<Signature> {
    let offset = crate::diagnostics::clamp_to_char_boundary(source, offset);
    let lexed = lexer::lex(source, file);
    let context = Context::read(source, &lexed.tokens, offset);
    let Place::Argument {
        callee, name, position, ..
    } = &context.place
    else {
        return None;
    };
    if let Some(function) = Function::named(callee) {
        let params = parameters(&function.signature);
        let label = &function.signature;
        let active = match name {
            Some(name) => params
                .iter()
                .position(|p| label[p.clone()].split([' ', '=']).next() == Some(name.as_str())),
            None => {
                let positional: Vec<usize> = (0..params.len())
                    .filter(|&i| !label[params[i].clone()].contains(" = "))
                    .collect();
                positional.get(*position).or(positional.last()).copied()
            }
        };
        return Some(Signature {
            label: label.clone(),
            doc: format!("{}\n\n[AWS documentation]({})", function.doc, function.link),
            params,
            active,
        });
    }
    let provider = vocabulary::provider(callee)?;
    let argument = provider.argument.map_or("", |kind| kind.keyword());
    let label = format!("{}({argument})", provider.name);
    let start = provider.name.len() + 1;
    let params: Vec<Span> = std::iter::once(start..start + argument.len())
        .filter(|_| !argument.is_empty())
        .collect();
    let active = (!params.is_empty()).then_some(0);
    Some(Signature {
        label,
        doc: provider.doc.to_string(),
        params,
        active,
    })
}

/// The spans of the parameters inside a signature's parentheses, split at top-level commas.
fn parameters(signature: &str) -> Vec<Span> {
    let Some(open) = signature.find('(') else {
        return Vec::new();
    };
    let close = signature.rfind(')').unwrap_or(signature.len());
    let mut params = Vec::new();
    let (mut depth, mut start, mut quoted) = (0usize, open + 1, false);
    for (at, c) in signature[open + 1..close].char_indices() {
        let at = open + 1 + at;
        match c {
            '"' => quoted = !quoted,
            '[' | '(' | '{' if !quoted => depth += 1,
            ']' | ')' | '}' if !quoted => depth = depth.saturating_sub(1),
            ',' if depth == 0 && !quoted => {
                params.push(trimmed(signature, start..at));
                start = at + 1;
            }
            _ => {}
        }
    }
    if signature[start..close].trim().is_empty() {
        return params;
    }
    params.push(trimmed(signature, start..close));
    params
}

fn trimmed(text: &str, span: Span) -> Span {
    let inner = &text[span.clone()];
    let start = span.start + (inner.len() - inner.trim_start().len());
    start..start + inner.trim().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<Signature> {
        let offset = text.find("$0").unwrap();
        let text = text.replace("$0", "");
        signature_help(&text, FileId(0), offset)
    }

    fn active(signature: &Signature) -> &str {
        &signature.label[signature.params[signature.active.unwrap()].clone()]
    }

    #[test]
    fn the_parameter_being_written_is_marked() {
        let github = "project p {\n  source = github(conn, \"o/r\", $0)\n}\n";
        let signature = at(github).expect("a signature");
        assert!(signature.label.starts_with("github("), "{}", signature.label);
        assert!(signature.params.len() >= 3, "{signature:?}");
        let named = at("project p {\n  source = github(conn, \"o/r\", branch = $0)\n}\n").unwrap();
        assert!(active(&named).starts_with("branch"), "{named:?}");
        let first = at("project p {\n  source = github($0)\n}\n").unwrap();
        assert_eq!(active(&first), "connection");
        let more =
            at("project p {\n  output image_definitions(web, container(\"a\", image = \"x\"), $0)\n}\n").unwrap();
        assert_eq!(
            active(&more),
            "container(…)…",
            "further images repeat the container form"
        );
        let image = at("project p {\n  output image_definitions(web, image = $0)\n}\n").unwrap();
        assert_eq!(active(&image), "image = \"…\"");
    }

    #[test]
    fn a_provider_takes_its_item() {
        let text = "pipeline p {\n  stage S {\n    action A = codebuild($0)\n  }\n}\n";
        let signature = at(text).expect("a signature");
        assert_eq!(signature.label, "codebuild(project)");
        assert_eq!(active(&signature), "project");
    }

    #[test]
    fn nothing_outside_a_call() {
        assert_eq!(at("project p {\n  name = $0\n}\n"), None);
    }
}

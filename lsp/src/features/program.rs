//! What an editor shows about a whole program rather than one file: its pipelines as a
//! diagram, how many problems it has (a status bar's count) and the parameters a build of it
//! takes. Two requests of cruddur's own, `cruddur/graph` and `cruddur/status`, both taking
//! `{ "textDocument": { "uri": … } }`.

use crate::session::{ProgramView, Session};
use cruddur::analysis::Analysis;
use cruddur::emit::graph;
use serde_json::{json, Value};

/// The program's problems, counted as they are shown: waived findings left out, warnings
/// counted as errors when they are denied, a broken `cruddur.toml` as one error.
pub fn status(session: &Session, program: &ProgramView) -> Value {
    let options = &session.options.diagnostics;
    let shown = program.analysis.diagnostics.iter().filter(|d| d.is_active());
    let (mut errors, mut warnings) = (usize::from(program.config_broken), 0);
    for d in shown {
        if options.shown_as_error(d) {
            errors += 1;
        } else {
            warnings += 1;
        }
    }
    let uris: Vec<String> = program
        .files
        .iter()
        .filter_map(|&f| session.uri(f))
        .map(|uri| uri.as_str().to_string())
        .collect();
    // The build's `--param` names: a client passes only these.
    let parameters: Vec<&str> = program
        .analysis
        .program
        .params
        .iter()
        .map(|p| p.header.name.as_str())
        .collect();
    json!({ "errors": errors, "warnings": warnings, "files": uris, "parameters": parameters })
}

/// The program's pipelines (and the projects no pipeline runs) as one Mermaid chart, as `cruddur graph` prints it; none while
/// the program has errors (its wiring is then not known), with their count.
pub fn graph(analysis: &Analysis) -> Value {
    let errors = analysis.diagnostics.iter().filter(|d| d.is_error()).count();
    let program = &analysis.program;
    let drawn = !program.pipelines.is_empty() || !program.projects.is_empty();
    let mermaid = (errors == 0 && drawn).then(|| graph::mermaid_program(program, &analysis.artifacts));
    json!({ "mermaid": mermaid, "pipelines": program.pipelines.len(), "errors": errors })
}

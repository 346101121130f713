//! Mutated pipelines (seeded with the examples and UI cases): a program that checks clean is
//! built into memory, in both forms, and drawn.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let (sources, files) = common::program(data);
    let analysis = cruddur::analyze(&sources, &files);
    common::render_all(&analysis.diagnostics, &sources);
    if analysis.diagnostics.iter().any(|d| d.is_error()) {
        return;
    }
    let program = &analysis.program;
    // Without values (CloudFormation takes parameters as its own), then with one for each.
    let _ = cruddur::emit::emit_forms(program, &BTreeMap::new(), cruddur::emit::Forms::CloudFormation);
    let values: BTreeMap<String, String> = program
        .params
        .iter()
        .map(|p| (p.header.name.clone(), "123456789012".to_string()))
        .collect();
    if let Err(errors) = cruddur::emit::emit_forms(program, &values, cruddur::emit::Forms::All) {
        common::render_all(&errors, &sources);
    }
    let _ = cruddur::emit::graph::mermaid_program(program, &analysis.artifacts);
    let _ = cruddur::emit::graph::dot_projects(program);
});

//! Profiling aid: builds a generated program in memory (`cargo run --release --example
//! emit_bench -- target/bench-100k.cruddur`), once, without writing files.
use cruddur::diagnostics::SourceMap;
fn main() {
    let path = std::env::args().nth(1).expect("a .cruddur file");
    let text = std::fs::read_to_string(&path).expect("readable");
    let mut sources = SourceMap::new();
    let file = sources.add(path, text.clone());
    let analysis = cruddur::analyze(&sources, &[file]);
    let copies = text.matches("pipeline backend_fargate_").count();
    let mut params = std::collections::BTreeMap::new();
    params.insert("account_id_0".to_string(), "123456789012".to_string());
    for copy in 0..copies {
        params.insert(
            format!("connection_arn_{copy}"),
            format!("arn:aws:codeconnections:us-east-1:123456789012:connection/{copy:08}-0000-4000-8000-000000000000"),
        );
    }
    for _ in 0..3 {
        std::hint::black_box(cruddur::emit::emit(&analysis.program, &params).ok());
    }
}

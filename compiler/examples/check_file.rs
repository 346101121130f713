//! Profiling aid: analyses a program (parse and every check) five times, without output
//! (`cargo run --release --example check_file -- target/bench-100k.cruddur`).
use cruddur::diagnostics::SourceMap;
fn main() {
    let path = std::env::args().nth(1).expect("a .cruddur file");
    let text = std::fs::read_to_string(&path).expect("readable");
    let mut sources = SourceMap::new();
    let file = sources.add(path, text);
    let runs: usize = std::env::args().nth(2).and_then(|n| n.parse().ok()).unwrap_or(5);
    for _ in 0..runs {
        std::hint::black_box(cruddur::analyze(&sources, &[file]));
    }
}

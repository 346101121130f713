//! Profiling aid: the time of each step of an analysis (parse, resolve, check, freeing), and
//! of the whole, over several runs
//! (`cargo run --release --example phases -- target/bench-100k.cruddur 15`).
use cruddur::diagnostics::SourceMap;
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut sources = SourceMap::new();
    let file = sources.add(path, text);
    let runs: usize = std::env::args().nth(2).and_then(|n| n.parse().ok()).unwrap_or(10);
    let (mut p, mut r, mut c, mut x, mut w, mut y) = (vec![], vec![], vec![], vec![], vec![], vec![]);
    for _ in 0..runs {
        let t = Instant::now();
        let parsed = cruddur::analysis::Parsed::new(&sources, file);
        p.push(t.elapsed().as_secs_f64() * 1e3);
        let files = vec![(parsed.file, parsed.ast.clone())];
        let t = Instant::now();
        let mut out = Vec::new();
        let lowered = cruddur::resolve::resolve(&sources, &files, &Default::default(), &Default::default(), &mut out);
        r.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let d = cruddur::check::check(&sources, &files, &lowered);
        c.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        drop(std::hint::black_box((d, lowered, files, parsed)));
        x.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let a = cruddur::analyze(&sources, &[file]);
        w.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        drop(std::hint::black_box(a));
        y.push(t.elapsed().as_secs_f64() * 1e3);
    }
    for (name, mut v) in [
        ("parse", p),
        ("resolve", r),
        ("check", c),
        ("drop", x),
        ("analyze", w),
        ("drop-an", y),
    ] {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!("{name:8} min {:6.2} ms  median {:6.2} ms", v[0], v[v.len() / 2]);
    }
}

fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    for _ in 0..5 {
        let parsed = cruddur::syntax::parse(&text, cruddur::diagnostics::FileId(0));
        std::hint::black_box(parsed);
    }
}

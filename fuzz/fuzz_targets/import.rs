//! Any bytes, as a file `cruddur import` reads: an error or a program, never a panic; a
//! program always parses, and the import of an input is the same each time.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut sources = cruddur::diagnostics::SourceMap::new();
    let file = sources.add("ci/buildspec.yml", text.as_ref());
    let Ok(imported) = cruddur::import::import(&mut sources, &[file]) else {
        return;
    };
    let parsed = cruddur::syntax::parse(&imported.text, cruddur::diagnostics::FileId(0));
    assert!(
        !parsed.diagnostics.iter().any(|d| d.is_error()),
        "the imported program does not parse: {:?}\n{}",
        parsed.diagnostics,
        imported.text
    );
    let mut fresh = cruddur::diagnostics::SourceMap::new();
    let file = fresh.add("ci/buildspec.yml", text.as_ref());
    let again = cruddur::import::import(&mut fresh, &[file]).expect("imported once");
    assert_eq!(again.text, imported.text);
    // What check says of it is its own concern; it must not panic either.
    let mut program = cruddur::diagnostics::SourceMap::new();
    let id = program.add("imported.cruddur", imported.text.as_str());
    let _ = cruddur::analyze(&program, &[id]);
});

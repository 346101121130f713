//! Any bytes, as the files of one program: read by both parsers, analysed and reported in
//! every format.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let (sources, files) = common::program(data);
    // The direct reader and the grammar read each file alike.
    for file in &files {
        if let Err(why) = cruddur::syntax::compare_readers(sources.source(*file)) {
            panic!("{why}");
        }
    }
    let analysis = cruddur::analyze(&sources, &files);
    common::render_all(&analysis.diagnostics, &sources);
});

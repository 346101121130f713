//! Any bytes, as the files of one program: analysed and reported in every format.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let (sources, files) = common::program(data);
    let analysis = cruddur::analyze(&sources, &files);
    common::render_all(&analysis.diagnostics, &sources);
});

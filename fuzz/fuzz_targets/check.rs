//! Any bytes, as the files of one program: read by both parsers, read in two halves at each
//! line start (as a large file is), analysed and reported in every format.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let (sources, files) = common::program(data);
    // The direct reader and the grammar read each file alike.
    for file in &files {
        let source = sources.source(*file);
        if let Err(why) = cruddur::syntax::compare_readers(source) {
            panic!("{why}");
        }
        // Four line starts spread over the file (each costs a read of it): the corpus test and
        // the property test try every line start of theirs.
        let starts: Vec<usize> = source.match_indices('\n').map(|(at, _)| at + 1).collect();
        let step = starts.len().div_ceil(4).max(1);
        for seam in starts.into_iter().step_by(step) {
            if let Err(why) = cruddur::syntax::compare_halves(source, seam) {
                panic!("split at {seam}: {why}");
            }
        }
    }
    let analysis = cruddur::analyze(&sources, &files);
    common::render_all(&analysis.diagnostics, &sources);
});

//! What an editor sends: a text, then edits to it (each: an offset, a length to delete and text
//! to insert), analysed after each as the language server does, with hover, completion and
//! go-to-definition asked where the edit was.
#![no_main]

use cruddur::workspace::{MemoryFs, Workspace};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|b| *b == 0);
    let mut text = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let path = Path::new("/fuzz/edit.cruddur");
    let mut workspace = Workspace::new(MemoryFs::new());
    workspace.set_text(path, text.as_str());
    for edit in parts.take(16) {
        let [a, b, remove, insert @ ..] = edit else { continue };
        let mut at = (usize::from(*a) << 8 | usize::from(*b)) % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + usize::from(*remove)).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        text.replace_range(at..end, &String::from_utf8_lossy(insert));
        let file = workspace.set_text(path, text.as_str());
        let Some(analysis) = workspace.analysis_of(file) else {
            continue;
        };
        let sources = workspace.sources().clone();
        let offset = (at + insert.len()).min(text.len());
        let _ = cruddur::ide::hover(&analysis, &sources, file, offset);
        let _ = cruddur::ide::completions(&analysis, &text, file, offset);
        let _ = cruddur::ide::definition(&analysis, &sources, file, offset);
        let _ = cruddur::ide::signature_help(&text, file, offset);
    }
});

#![allow(dead_code)] // each target uses part of it
//! What the targets share: an input read as the files of one program.

use cruddur::diagnostics::{render, sarif, Diagnostic, FileId, SourceMap};

/// A stack overflow must leave its input behind like any other crash. Under libFuzzer's `main`
/// the Rust runtime installs no overflow handler, and libFuzzer's own SIGSEGV handler would
/// run on the exhausted stack and die before saving the input. So, before `main`, this gives
/// the main thread an alternate signal stack and marks SIGSEGV's (default) action to run on it:
/// libFuzzer keeps that flag when it installs its handler (`SetSigaction` in
/// FuzzerUtilPosix.cpp), which then has room to write the `crash-…` file.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static RUN_SEGV_HANDLER_ON_ITS_OWN_STACK: extern "C" fn() = segv_on_alternate_stack;

#[cfg(target_os = "linux")]
extern "C" fn segv_on_alternate_stack() {
    const SIZE: usize = 1 << 20;
    // SAFETY: plain libc calls on memory this function maps and never unmaps. An alternate
    // stack already set (a sanitizer's) is kept, and SIGSEGV's current action is kept with
    // SA_ONSTACK added.
    unsafe {
        let mut current: libc::stack_t = std::mem::zeroed();
        if libc::sigaltstack(std::ptr::null(), &mut current) != 0 {
            return;
        }
        if current.ss_flags & libc::SS_DISABLE != 0 {
            let stack = libc::mmap(
                std::ptr::null_mut(),
                SIZE,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            if stack == libc::MAP_FAILED {
                return;
            }
            let alternate = libc::stack_t {
                ss_sp: stack,
                ss_flags: 0,
                ss_size: SIZE,
            };
            if libc::sigaltstack(&alternate, std::ptr::null_mut()) != 0 {
                return;
            }
        }
        let mut action: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGSEGV, std::ptr::null(), &mut action) != 0 {
            return;
        }
        action.sa_flags |= libc::SA_ONSTACK;
        libc::sigaction(libc::SIGSEGV, &action, std::ptr::null_mut());
    }
}

/// At most this many files in one program.
const MAX_FILES: usize = 4;

/// The input split at NUL bytes into the files of one program (text, lossily decoded).
pub fn program(data: &[u8]) -> (SourceMap, Vec<FileId>) {
    let mut sources = SourceMap::new();
    let files = data
        .splitn(MAX_FILES, |b| *b == 0)
        .enumerate()
        .map(|(i, part)| sources.add(format!("f{i}.cruddur"), String::from_utf8_lossy(part).into_owned()))
        .collect();
    (sources, files)
}

/// Writes the diagnostics in every output format (to nowhere).
pub fn render_all(diagnostics: &[Diagnostic], sources: &SourceMap) {
    let mut sink = std::io::sink();
    render::human(&mut sink, diagnostics, sources, true).unwrap();
    render::short(&mut sink, diagnostics, sources).unwrap();
    render::json(&mut sink, diagnostics, sources).unwrap();
    sarif::write(&mut sink, diagnostics, sources).unwrap();
}

/// Codes of syntax errors (E00xx).
pub fn is_syntax_error(d: &Diagnostic) -> bool {
    d.is_error() && d.code.as_str().starts_with("E00")
}

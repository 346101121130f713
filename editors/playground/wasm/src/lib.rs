//! The cruddur compiler for the browser: the playground's WebAssembly module.
//!
//! One entry point, [`Playground::request`], takes a JSON request and gives a JSON answer; the
//! page's `cruddur.ts` passes them through the module's memory with three exports
//! (`cruddur_alloc`, `cruddur_request`, `cruddur_response`), so no generated glue is needed.
//! Everything else is the compiler's own analysis, as the language server uses it.

mod playground;

pub use playground::Playground;
use std::sync::Mutex;

/// The one program the page edits, and the last answer, kept for the page to read.
static STATE: Mutex<Option<Playground>> = Mutex::new(None);
static ANSWER: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Room for a request of `len` bytes, which `cruddur_request` takes back.
#[no_mangle]
pub extern "C" fn cruddur_alloc(len: usize) -> *mut u8 {
    let mut buffer = std::mem::ManuallyDrop::new(Vec::<u8>::with_capacity(len.max(1)));
    buffer.as_mut_ptr()
}

/// Answers the request written at `ptr` (from `cruddur_alloc(len)`), and returns the length
/// of the answer, which `cruddur_response` points at until the next request.
///
/// # Safety
/// `ptr` must come from `cruddur_alloc(len)` with the same `len`, hold `len` written bytes,
/// and not be used again.
#[no_mangle]
pub unsafe extern "C" fn cruddur_request(ptr: *mut u8, len: usize) -> usize {
    // SAFETY: the caller passes back the buffer `cruddur_alloc` made, with its length.
    let request = unsafe { Vec::from_raw_parts(ptr, len, len.max(1)) };
    let mut state = STATE.lock().unwrap_or_else(|e| e.into_inner());
    let playground = state.get_or_insert_with(Playground::new);
    let answer = playground.request(&request);
    let mut kept = ANSWER.lock().unwrap_or_else(|e| e.into_inner());
    *kept = answer.into_bytes();
    kept.len()
}

/// The last answer's bytes.
#[no_mangle]
pub extern "C" fn cruddur_response() -> *const u8 {
    ANSWER.lock().unwrap_or_else(|e| e.into_inner()).as_ptr()
}

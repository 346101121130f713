//! Two independent pieces of work on two threads, for large programs. The analysis and the
//! emitters are otherwise single-threaded; on a program of a few hundred kilobytes the second
//! core takes the structure check off the lowering's path and roughly halves the checks and
//! the emit. Small programs (every keystroke on an ordinary file) stay on one thread, where
//! starting another would cost more than it saves, and so do platforms without threads
//! (WebAssembly). Results never depend on it: each piece returns its own output, and the
//! caller joins them in a fixed order.

/// Source bytes above which a program's analysis is split over two threads (the emit counts
/// projects and pipelines instead: `emit::LARGE_EMIT`).
pub const LARGE_PROGRAM: usize = 64 * 1024;

/// Runs `first` and `second` and returns both results: on two threads when `split` is set and
/// the machine has a second core, else one after the other. A panic in either is resumed on
/// the caller's thread.
pub fn join<A, B, RA, RB>(split: bool, first: A, second: B) -> (RA, RB)
where
    A: FnOnce() -> RA,
    B: FnOnce() -> RB + Send,
    RB: Send,
{
    #[cfg(target_family = "wasm")]
    let _ = split;
    #[cfg(not(target_family = "wasm"))]
    if two_threads(split) {
        // Kept here, not moved into the thread, so that it still runs when no thread can be
        // started (a limit on threads).
        let slot = std::sync::Mutex::new(Some(second));
        let take = || slot.lock().ok().and_then(|mut s| s.take());
        return std::thread::scope(|scope| {
            // The main thread's stack size: the checks recurse over the syntax tree as deeply
            // on this thread as they would there.
            let spawned = std::thread::Builder::new()
                .stack_size(8 << 20)
                .spawn_scoped(scope, || take().map(|second| second()));
            let a = first();
            let b = match spawned.map(|handle| handle.join()) {
                Ok(Ok(Some(b))) => b,
                Ok(Err(panic)) => std::panic::resume_unwind(panic),
                _ => take().map(|second| second()).expect("the second piece runs once"),
            };
            (a, b)
        });
    }
    (first(), second())
}

/// Whether work that asks to be split (`wanted`) runs on two threads here: only where there
/// are threads and a second core. A caller that would prepare for two threads (buffer what
/// the second makes) asks first.
pub fn two_threads(wanted: bool) -> bool {
    #[cfg(not(target_family = "wasm"))]
    return wanted && cores() > 1;
    #[cfg(target_family = "wasm")]
    return {
        let _ = wanted;
        false
    };
}

/// The cores this process may run on, asked once.
#[cfg(not(target_family = "wasm"))]
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn both_results_come_back_in_order_either_way() {
        for split in [false, true] {
            let (a, b) = join(split, || (1..=10).sum::<u32>(), || "second".to_string());
            assert_eq!((a, b.as_str()), (55, "second"));
        }
    }

    #[test]
    fn a_panic_in_the_second_piece_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| join(true, || 1, || -> u32 { panic!("second piece") }));
        let message = caught.expect_err("the panic is resumed");
        assert_eq!(message.downcast_ref::<&str>(), Some(&"second piece"));
    }
}

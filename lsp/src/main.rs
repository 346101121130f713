//! `cruddur-lsp`: the cruddur language server, speaking LSP over standard input and output.
//! Exits with status 0 after `shutdown` then `exit`, 1 when the client goes away without them.

use cruddur_lsp::{explanations, server, transport, Options, Session};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

fn main() {
    let usage = format!(
        "cruddur-lsp {}: the cruddur language server. An editor starts it and speaks LSP over its \
         standard input and output.\n\nUsage: cruddur-lsp [--stdio]\n       cruddur-lsp --version",
        env!("CARGO_PKG_VERSION")
    );
    // `--stdio` is what many clients pass to say how to talk; stdio is the only way here.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--stdio").collect();
    match args.first().map(String::as_str) {
        None => {}
        // A closed pipe (`cruddur-lsp --help | head -1`) is not an error.
        Some("--version" | "-V") => {
            let _ = writeln!(std::io::stdout(), "cruddur-lsp {}", env!("CARGO_PKG_VERSION"));
            return;
        }
        Some("--help" | "-h") => {
            let _ = writeln!(std::io::stdout(), "{usage}");
            return;
        }
        // Not on standard output: a client reading it would take the text for LSP.
        Some(other) => {
            eprintln!("cruddur-lsp: unknown argument `{other}`\n\n{usage}");
            std::process::exit(2);
        }
    }
    let mut options = Options::default();
    options.diagnostics.explanations = explanations::write_to_cache();
    let session = Arc::new(Mutex::new(Session::new(cruddur::workspace::OsFs, options)));
    let shut_down = Arc::new(AtomicBool::new(false));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .expect("a Tokio runtime");
    let done = shut_down.clone();
    runtime.block_on(async move {
        let (service, socket) = server::service(session, done);
        transport::serve(tokio::io::stdin(), tokio::io::stdout(), service, socket).await;
    });
    // Threads still analysing are not waited for.
    std::process::exit(if shut_down.load(Ordering::SeqCst) { 0 } else { 1 });
}

//! `cruddur-lsp`: the cruddur language server, speaking LSP over standard input and output.
//! Exits with status 0 after `shutdown` then `exit`, 1 when the client goes away without them.

use cruddur_lsp::server::Backend;
use cruddur_lsp::{explanations, transport, Options, Session};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tower_lsp_server::LspService;

fn main() {
    if let Some(arg) = std::env::args().nth(1) {
        match arg.as_str() {
            "--version" | "-V" => println!("cruddur-lsp {}", env!("CARGO_PKG_VERSION")),
            _ => println!(
                "cruddur-lsp {}: the cruddur language server. An editor starts it and speaks LSP \
                 over its standard input and output; it takes no arguments.",
                env!("CARGO_PKG_VERSION")
            ),
        }
        return;
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
        let (service, socket) = LspService::new(|client| Backend::new(client, session, done));
        transport::serve(tokio::io::stdin(), tokio::io::stdout(), service, socket).await;
    });
    // Threads still analysing are not waited for.
    std::process::exit(if shut_down.load(Ordering::SeqCst) { 0 } else { 1 });
}

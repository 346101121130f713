//! The language server's speed on a 10,000-line program, as an editor sees it. Run with
//! `cargo bench -p cruddur-lsp`. Two parts:
//!
//! - the built `cruddur-lsp` driven over stdio like an editor: start to first diagnostics,
//!   a one-line change to the diagnostics it causes (debounce included), completion, hover
//!   and definition round trips, and the process' peak resident memory;
//! - the session in process, without the transport: re-analysis and publication after a
//!   change, and each request's own time.

#[path = "../../compiler/benches/generate.rs"]
mod generate;

use cruddur::workspace::MemoryFs;
use cruddur_lsp::convert::text_position;
use cruddur_lsp::features::{editing, navigation};
use cruddur_lsp::{Options, Session};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};
use tower_lsp_server::ls_types::{self as lsp, Uri};

const LINES: usize = 10_000;

fn main() {
    let text = generate::generate(LINES);
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lsp-bench");
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("pipeline.cruddur");
    std::fs::write(&path, &text).unwrap();
    println!("program: {} lines, {} KB", text.lines().count(), text.len() / 1000);
    let places = identifiers(&text);
    over_stdio(&folder, &path, &text, &places);
    in_process(&text, &places);
}

/// Offsets of words (item names, members, values) spread through the file.
fn identifiers(text: &str) -> Vec<usize> {
    let words = [
        "backend_flask_",
        "bake_",
        "compute",
        "SourceArtifact",
        "cruddur_github_",
    ];
    let mut places: Vec<usize> = words
        .iter()
        .flat_map(|w| text.match_indices(w).map(|(at, _)| at + 2))
        .collect();
    places.sort();
    let step = (places.len() / 200).max(1);
    places.into_iter().step_by(step).collect()
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
}

impl Server {
    fn start(folder: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cruddur-lsp"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the built server");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut server = Server {
            child,
            stdin,
            stdout,
            next_id: 1,
        };
        let folder = Uri::from_file_path(folder).unwrap();
        server.request(
            "initialize",
            json!({"capabilities": {}, "workspaceFolders": [{"uri": folder, "name": "bench"}]}),
        );
        server.notify("initialized", json!({}));
        server
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.stdout.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its answer (other messages read meanwhile are dropped).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
        }
    }

    /// Waits for diagnostics published for `uri`.
    fn diagnostics_for(&mut self, uri: &Uri) -> Value {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == json!(uri) {
                return message;
            }
        }
    }

    fn peak_rss_mib(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let _ = self.child.wait();
    }
}

fn over_stdio(folder: &Path, path: &PathBuf, text: &str, places: &[usize]) {
    println!("\nover stdio (the release server as an editor drives it):");
    let uri = Uri::from_file_path(path).unwrap();
    let mut starts = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let mut server = Server::start(folder);
        server.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "cruddur", "version": 1, "text": text}}),
        );
        server.diagnostics_for(&uri);
        starts.push(started.elapsed());
        server.stop();
    }
    report("start to first diagnostics", &mut starts);

    let mut server = Server::start(folder);
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "cruddur", "version": 1, "text": text}}),
    );
    let first = server.diagnostics_for(&uri);
    println!(
        "  ({} diagnostics in the file, {} KB of JSON)",
        first["params"]["diagnostics"].as_array().map_or(0, Vec::len),
        first.to_string().len() / 1000
    );
    // A change that adds an error, then one that removes it: each publishes.
    let line = text.lines().position(|l| l.contains("timeout")).unwrap() as u32;
    let mut changes = Vec::new();
    for round in 0..40 {
        let edit = if round % 2 == 0 { "x" } else { "" };
        let range = if round % 2 == 0 {
            json!({"start": {"line": line, "character": 2}, "end": {"line": line, "character": 2}})
        } else {
            json!({"start": {"line": line, "character": 2}, "end": {"line": line, "character": 3}})
        };
        let started = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": round + 2}, "contentChanges": [{"range": range, "text": edit}]}),
        );
        server.diagnostics_for(&uri);
        changes.push(started.elapsed());
    }
    report("change to its diagnostics", &mut changes);
    for method in [
        "textDocument/completion",
        "textDocument/hover",
        "textDocument/definition",
    ] {
        let mut times = Vec::new();
        for &at in places {
            let position = text_position(text, at);
            let started = Instant::now();
            server.request(method, json!({"textDocument": {"uri": uri}, "position": position}));
            times.push(started.elapsed());
        }
        report(method.trim_start_matches("textDocument/"), &mut times);
    }
    if let Some(rss) = server.peak_rss_mib() {
        println!("  {:<30} {rss:.1} MiB", "peak resident memory");
    }
    server.stop();
}

fn in_process(text: &str, places: &[usize]) {
    println!("\nin process (the session, no transport):");
    let fs = MemoryFs::new();
    let mut session = Session::new(fs, Options::default());
    let uri = Uri::from_file_path("/w/pipeline.cruddur").unwrap();
    session.did_open(uri.clone(), 1, text.to_string());
    session.publish();
    let line = text.lines().position(|l| l.contains("timeout")).unwrap() as u32;
    let mut times = Vec::new();
    for round in 0..40 {
        let at = lsp::Position::new(line, 2);
        let change = lsp::TextDocumentContentChangeEvent {
            range: Some(if round % 2 == 0 {
                lsp::Range::new(at, at)
            } else {
                lsp::Range::new(at, lsp::Position::new(line, 3))
            }),
            range_length: None,
            text: if round % 2 == 0 { "x".into() } else { String::new() },
        };
        let started = Instant::now();
        session.did_change(&uri, round + 2, vec![change]);
        let published = session.publish();
        times.push(started.elapsed());
        assert!(!published.is_empty());
    }
    report("change + analysis + publish", &mut times);
    let file = session.file(&uri).unwrap();
    type Feature = fn(&cruddur_lsp::View, lsp::Position);
    let features: [(&str, Feature); 3] = [
        ("completion", |v, p| drop(editing::completion(v, p))),
        ("hover", |v, p| drop(editing::hover(v, p))),
        ("definition", |v, p| drop(navigation::definition(v, p))),
    ];
    for (name, feature) in features {
        let mut times = Vec::new();
        for &at in places {
            let position = text_position(text, at);
            let started = Instant::now();
            let analysis = session.analysis(file).unwrap();
            feature(&session.view(file, analysis), position);
            times.push(started.elapsed());
        }
        report(name, &mut times);
    }
}

fn report(label: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let p99 = times[(times.len() * 99 / 100).min(times.len() - 1)];
    println!(
        "  {label:<30} median {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  ({} runs)",
        ms(times[times.len() / 2]),
        ms(p99),
        ms(times[times.len() - 1]),
        times.len()
    );
}

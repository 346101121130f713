//! Messages over standard input and output: LSP's framing (`Content-Length` headers) around
//! JSON-RPC, between the client and tower-lsp-server's service.
//!
//! tower-lsp-server's own `Server::serve` stops reading for good at the first message it
//! cannot decode, so one malformed message would end the session. Here a message that is not
//! JSON, or not JSON-RPC, is answered with the protocol's error (`-32700` parse error,
//! `-32600` invalid request) and the next one is read. The loop ends at `exit` or when the
//! client closes the stream, without waiting for requests still in flight.

use futures::channel::mpsc;
use futures::future;
use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::{ClientSocket, LanguageServer, LspService};
use tower_service::Service;

/// Requests handled at once (as tower-lsp-server does).
const CONCURRENCY: usize = 4;

/// One message read: its body, or why there is none to read.
enum Frame {
    Body(Vec<u8>),
    /// The header was not LSP's; the bytes up to the next blank line were skipped.
    BadHeader(String),
}

/// What a body holds.
enum Incoming {
    Request(Request),
    Response(Response),
    /// The JSON-RPC error to answer with.
    Malformed(Value),
}

/// Serves `service` over `input` and `output` until `exit` or the end of `input`.
pub async fn serve<S: LanguageServer>(
    input: impl AsyncRead + Unpin + Send + 'static,
    mut output: impl AsyncWrite + Unpin,
    mut service: LspService<S>,
    socket: ClientSocket,
) {
    let (mut to_client, mut from_server) = mpsc::unbounded::<String>();
    let (mut server_requests, mut client_responses) = socket.split();
    let (mut frames_tx, mut frames) = mpsc::channel::<Frame>(16);
    tokio::spawn(async move {
        let mut input = BufReader::new(input);
        while let Some(frame) = read_frame(&mut input).await {
            if frames_tx.send(frame).await.is_err() {
                break;
            }
        }
    });
    let (mut tasks_tx, tasks) = mpsc::channel(100);
    let answers = to_client.clone();
    let handle = tasks
        .buffer_unordered(CONCURRENCY)
        .for_each(move |answer: Result<Option<Response>, _>| {
            if let Ok(Some(response)) = answer {
                let _ = answers.unbounded_send(serde_json::to_string(&response).unwrap_or_default());
            }
            future::ready(())
        });
    let forward = {
        let to_client = to_client.clone();
        async move {
            while let Some(request) = server_requests.next().await {
                let _ = to_client.unbounded_send(serde_json::to_string(&request).unwrap_or_default());
            }
        }
    };
    let write = async move {
        while let Some(body) = from_server.next().await {
            let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
            if output.write_all(frame.as_bytes()).await.is_err() || output.flush().await.is_err() {
                break;
            }
        }
    };
    let read = async move {
        while let Some(frame) = frames.next().await {
            let incoming = match frame {
                Frame::Body(body) => decode(&body),
                Frame::BadHeader(reason) => Incoming::Malformed(error(-32700, &reason)),
            };
            match incoming {
                Incoming::Request(request) => {
                    if future::poll_fn(|cx| service.poll_ready(cx)).await.is_err() {
                        break;
                    }
                    let exit = request.method() == "exit";
                    if tasks_tx.send(service.call(request)).await.is_err() || exit {
                        break;
                    }
                }
                Incoming::Response(response) => {
                    let _ = client_responses.send(response).await;
                }
                Incoming::Malformed(answer) => {
                    let _ = to_client.send(answer.to_string()).await;
                }
            }
        }
    };
    let rest = future::join3(handle, forward, write);
    // The end of reading ends the session: a client waits for the answer to `shutdown` before
    // it sends `exit`, and one that closed its end reads nothing more.
    let _ = future::select(Box::pin(read), Box::pin(rest)).await;
}

/// A JSON-RPC error answer to a message without a usable id.
fn error(code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": null, "error": {"code": code, "message": message}})
}

fn decode(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => return Incoming::Malformed(error(-32700, &format!("Parse error: {e}"))),
    };
    let invalid = |why: String| Incoming::Malformed(error(-32600, &format!("Invalid request: {why}")));
    if value.get("method").is_some() {
        match serde_json::from_value::<Request>(value) {
            Ok(request) => Incoming::Request(request),
            Err(e) => invalid(e.to_string()),
        }
    } else if value.get("id").is_some() && (value.get("result").is_some() || value.get("error").is_some()) {
        match serde_json::from_value::<Response>(value) {
            Ok(response) => Incoming::Response(response),
            Err(e) => invalid(e.to_string()),
        }
    } else {
        invalid("neither a request, a notification nor a response".to_string())
    }
}

/// The next message, or `None` at the end of the input.
async fn read_frame(input: &mut (impl AsyncBufReadExt + Unpin)) -> Option<Frame> {
    let mut length: Option<usize> = None;
    let mut bad: Option<String> = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let mut header = line.trim_end_matches(['\r', '\n']);
        // After a body shorter than announced, the next header may follow it on one line.
        if let Some(at) = header.to_ascii_lowercase().find("content-length:").filter(|&at| at > 0) {
            header = &header[at..];
        }
        if header.is_empty() {
            if length.is_none() && bad.is_none() && line.len() <= 2 {
                // Blank lines between messages.
                continue;
            }
            break;
        }
        match header.split_once(':') {
            Some((name, value)) if name.eq_ignore_ascii_case("content-length") => match value.trim().parse::<usize>() {
                Ok(n) => length = Some(n),
                Err(_) => bad = Some(format!("Content-Length is not a number: `{}`", value.trim())),
            },
            Some(_) => {}
            None => {
                bad = Some(format!(
                    "not a header: `{}`",
                    header.chars().take(80).collect::<String>()
                ))
            }
        }
    }
    if let Some(reason) = bad {
        return Some(Frame::BadHeader(reason));
    }
    let Some(length) = length else {
        return Some(Frame::BadHeader("a message without Content-Length".to_string()));
    };
    // No message is this large; reading it would exhaust memory.
    if length > 256 << 20 {
        return Some(Frame::BadHeader(format!("Content-Length {length} is too large")));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body).await.ok()?;
    Some(Frame::Body(body))
}

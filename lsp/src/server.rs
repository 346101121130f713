//! The transport: LSP over tower-lsp-server. Each handler locks the session, calls one feature
//! and converts its answer; nothing here knows the language.
//!
//! Notifications change the session at once (in the order they arrive) and wake the analysis
//! thread, which waits until edits pause for [`DEBOUNCE`] (at most [`MAX_DELAY`] while they
//! keep coming), analyses the programs that changed and publishes their diagnostics. A request
//! never waits for that pause: it analyses what it needs itself, and answers from the last
//! analysis in which its file parsed when the file does not parse now. A panic inside a
//! handler is caught and answered with an error; the server lives on.

use crate::convert::path_of;
use crate::features::{editing, navigation, outline, program};
use crate::session::{ProgramView, Session, View};
use serde_json::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{self as lsp, Uri};
use tower_lsp_server::{Client, ClientSocket, LanguageServer, LspService};

/// How long edits must pause before the analysis thread publishes.
pub const DEBOUNCE: Duration = Duration::from_millis(4);
/// The longest diagnostics wait while edits keep coming.
pub const MAX_DELAY: Duration = Duration::from_millis(150);

/// LSP's `RequestFailed`: the request was valid but could not be carried out.
const REQUEST_FAILED: i64 = -32803;

pub struct Backend {
    client: Client,
    session: Arc<Mutex<Session>>,
    wake: Mutex<Option<mpsc::Sender<()>>>,
    shut_down: Arc<AtomicBool>,
    /// The client registers file watchers when asked.
    watches: AtomicBool,
}

impl Backend {
    /// `session` is shared with the caller, which may read it after the server ends.
    pub fn new(client: Client, session: Arc<Mutex<Session>>, shut_down: Arc<AtomicBool>) -> Backend {
        Backend {
            client,
            session,
            wake: Mutex::new(None),
            shut_down,
            watches: AtomicBool::new(false),
        }
    }

    /// Runs `f` on the session; a panic becomes an error answer.
    fn with<T>(&self, what: &str, f: impl FnOnce(&mut Session) -> T) -> Result<T> {
        let mut session = self.session.lock().unwrap_or_else(PoisonError::into_inner);
        catch_unwind(AssertUnwindSafe(|| f(&mut session))).map_err(|panic| {
            let reason = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Error {
                code: ErrorCode::InternalError,
                message: format!("cruddur-lsp: internal error in {what}: {reason}").into(),
                data: None,
            }
        })
    }

    /// Runs a request at a document: `f` gets a view of its file, or the request is answered
    /// with nothing when the server does not hold the document.
    fn at<T>(&self, what: &str, uri: &Uri, f: impl FnOnce(&View) -> Option<T>) -> Result<Option<T>> {
        self.with(what, |session| {
            let file = session.file(uri)?;
            let analysis = session.analysis(file)?;
            f(&session.view(file, analysis))
        })
    }

    /// A request of cruddur's own about the program holding `params.textDocument.uri`.
    fn on_program(&self, what: &str, params: &Value, f: impl FnOnce(&Session, &ProgramView) -> Value) -> Result<Value> {
        let uri: Option<Uri> = params
            .pointer("/textDocument/uri")
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok());
        let Some(uri) = uri else {
            return Err(Error::invalid_params("expected { \"textDocument\": { \"uri\": … } }"));
        };
        self.with(what, |session| {
            let file = session.file(&uri)?;
            let program = session.program(file)?;
            Some(f(session, &program))
        })
        .map(|answer| answer.unwrap_or(Value::Null))
    }

    /// `cruddur/graph`: the program's pipelines as a Mermaid chart.
    async fn graph(&self, params: Value) -> Result<Value> {
        self.on_program("cruddur/graph", &params, |_, p| program::graph(&p.analysis))
    }

    /// `cruddur/status`: the program's files and its counts of errors and warnings.
    async fn status(&self, params: Value) -> Result<Value> {
        self.on_program("cruddur/status", &params, program::status)
    }

    /// A notification changed the session: the analysis thread publishes once edits pause.
    fn changed(&self) {
        if let Some(wake) = self.wake.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
            let _ = wake.send(());
        }
    }

    fn start_publishing(&self) {
        let (wake, woken) = mpsc::channel::<()>();
        *self.wake.lock().unwrap_or_else(PoisonError::into_inner) = Some(wake);
        let session = self.session.clone();
        let client = self.client.clone();
        let runtime = tokio::runtime::Handle::current();
        std::thread::spawn(move || {
            while woken.recv().is_ok() {
                let first = Instant::now();
                loop {
                    match woken.recv_timeout(DEBOUNCE) {
                        Ok(()) if first.elapsed() < MAX_DELAY => continue,
                        Ok(()) | Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                let publish = {
                    let mut session = session.lock().unwrap_or_else(PoisonError::into_inner);
                    catch_unwind(AssertUnwindSafe(|| session.publish()))
                };
                let Ok(publish) = publish else { continue };
                for params in publish {
                    runtime.block_on(client.publish_diagnostics(params.uri, params.diagnostics, params.version));
                }
            }
        });
        self.changed();
    }
}

/// The service: the standard methods, and cruddur's own requests about a whole program.
pub fn service(session: Arc<Mutex<Session>>, shut_down: Arc<AtomicBool>) -> (LspService<Backend>, ClientSocket) {
    LspService::build(|client| Backend::new(client, session, shut_down))
        .custom_method("cruddur/graph", Backend::graph)
        .custom_method("cruddur/status", Backend::status)
        .finish()
}

/// `denyWarnings` in initialization options or in the `cruddur.check` settings section
/// (`{ "cruddur": { "check": { "denyWarnings": true } } }`, as VS Code sends it).
fn deny_warnings(settings: &Value) -> Option<bool> {
    settings
        .pointer("/cruddur/check/denyWarnings")
        .or_else(|| settings.pointer("/check/denyWarnings"))
        .or_else(|| settings.get("denyWarnings"))
        .and_then(Value::as_bool)
}

fn failed(message: String) -> Error {
    Error {
        code: ErrorCode::ServerError(REQUEST_FAILED),
        message: message.into(),
        data: None,
    }
}

/// What the server offers.
pub fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(lsp::TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
            ..Default::default()
        })),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some([".", "$", "\"", "(", "[", "{"].map(String::from).to_vec()),
            ..Default::default()
        }),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        workspace_symbol_provider: Some(lsp::OneOf::Left(true)),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        document_range_formatting_provider: Some(lsp::OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(lsp::CodeActionOptions {
            code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX, lsp::CodeActionKind::SOURCE_FIX_ALL]),
            ..Default::default()
        })),
        inlay_hint_provider: Some(lsp::OneOf::Left(true)),
        signature_help_provider: Some(lsp::SignatureHelpOptions {
            trigger_characters: Some(vec!["(".to_string(), ",".to_string()]),
            retrigger_characters: Some(vec![" ".to_string(), "=".to_string()]),
            work_done_progress_options: Default::default(),
        }),
        folding_range_provider: Some(lsp::FoldingRangeProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(lsp::SemanticTokensServerCapabilities::SemanticTokensOptions(
            lsp::SemanticTokensOptions {
                legend: outline::legend(),
                full: Some(lsp::SemanticTokensFullOptions::Bool(true)),
                ..Default::default()
            },
        )),
        workspace: Some(lsp::WorkspaceServerCapabilities {
            workspace_folders: Some(lsp::WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(lsp::OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..Default::default()
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: lsp::InitializeParams) -> Result<lsp::InitializeResult> {
        let mut folders: Vec<Uri> = params
            .workspace_folders
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.uri)
            .collect();
        #[allow(deprecated)] // Older clients send only `rootUri`.
        if folders.is_empty() {
            folders.extend(params.root_uri);
        }
        let watches = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.watches.store(watches, Ordering::SeqCst);
        let explanations = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("explanations"))
            .and_then(|v| v.as_str())
            .map(String::from);
        let deny = params.initialization_options.as_ref().and_then(deny_warnings);
        self.with("initialize", |session| {
            if let Some(deny) = deny {
                session.set_deny_warnings(deny);
            }
            if explanations.is_some() {
                session.options.diagnostics.explanations = explanations;
            }
            for folder in &folders {
                session.add_folder(&path_of(folder));
            }
        })?;
        Ok(lsp::InitializeResult {
            capabilities: capabilities(),
            server_info: Some(lsp::ServerInfo {
                name: "cruddur-lsp".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: lsp::InitializedParams) {
        self.start_publishing();
        if !self.watches.load(Ordering::SeqCst) {
            return;
        }
        // YAML: buildspec files the programs read (`buildspec = file("…")`).
        let watchers = ["**/*.cruddur", "**/cruddur.toml", "**/*.yml", "**/*.yaml"]
            .map(|glob| lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String(glob.to_string()),
                kind: None,
            })
            .to_vec();
        let options = lsp::DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = lsp::Registration {
            id: "cruddur-files".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        // A client that cannot watch files refuses; closed files are then read when opened.
        // Not awaited here: a client that never answers must not hold up `exit`.
        let client = self.client.clone();
        tokio::spawn(async move {
            let _ = client.register_capability(vec![registration]).await;
        });
    }

    async fn shutdown(&self) -> Result<()> {
        self.shut_down.store(true, Ordering::SeqCst);
        *self.wake.lock().unwrap_or_else(PoisonError::into_inner) = None;
        Ok(())
    }

    async fn did_open(&self, params: lsp::DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let _ = self.with("didOpen", |s| s.did_open(doc.uri, doc.version, doc.text));
        self.changed();
    }

    async fn did_change(&self, params: lsp::DidChangeTextDocumentParams) {
        let doc = params.text_document;
        let _ = self.with("didChange", |s| {
            s.did_change(&doc.uri, doc.version, params.content_changes)
        });
        self.changed();
    }

    async fn did_close(&self, params: lsp::DidCloseTextDocumentParams) {
        let _ = self.with("didClose", |s| s.did_close(&params.text_document.uri));
        self.changed();
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        let uris: Vec<Uri> = params.changes.into_iter().map(|c| c.uri).collect();
        let _ = self.with("didChangeWatchedFiles", |s| s.did_change_watched(&uris));
        self.changed();
    }

    async fn did_change_configuration(&self, params: lsp::DidChangeConfigurationParams) {
        let Some(deny) = deny_warnings(&params.settings) else {
            return;
        };
        if self.with("didChangeConfiguration", |s| s.set_deny_warnings(deny)) == Ok(true) {
            self.changed();
        }
    }

    async fn did_change_workspace_folders(&self, params: lsp::DidChangeWorkspaceFoldersParams) {
        let _ = self.with("didChangeWorkspaceFolders", |s| {
            for folder in &params.event.removed {
                s.remove_folder(&path_of(&folder.uri));
            }
            for folder in &params.event.added {
                s.add_folder(&path_of(&folder.uri));
            }
        });
        self.changed();
    }

    async fn completion(&self, params: lsp::CompletionParams) -> Result<Option<lsp::CompletionResponse>> {
        let at = params.text_document_position;
        self.at("completion", &at.text_document.uri, |view| {
            Some(lsp::CompletionResponse::Array(editing::completion(view, at.position)))
        })
    }

    async fn hover(&self, params: lsp::HoverParams) -> Result<Option<lsp::Hover>> {
        let at = params.text_document_position_params;
        self.at("hover", &at.text_document.uri, |view| editing::hover(view, at.position))
    }

    async fn goto_definition(&self, params: lsp::GotoDefinitionParams) -> Result<Option<lsp::GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        self.at("definition", &at.text_document.uri, |view| {
            navigation::definition(view, at.position)
        })
    }

    async fn references(&self, params: lsp::ReferenceParams) -> Result<Option<Vec<lsp::Location>>> {
        let at = params.text_document_position;
        let include = params.context.include_declaration;
        self.at("references", &at.text_document.uri, |view| {
            Some(navigation::references(view, at.position, include))
        })
    }

    async fn prepare_rename(
        &self,
        params: lsp::TextDocumentPositionParams,
    ) -> Result<Option<lsp::PrepareRenameResponse>> {
        self.at("prepareRename", &params.text_document.uri, |view| {
            Some(navigation::prepare_rename(view, params.position))
        })?
        .transpose()
        .map_err(failed)
    }

    async fn rename(&self, params: lsp::RenameParams) -> Result<Option<lsp::WorkspaceEdit>> {
        let at = params.text_document_position;
        self.at("rename", &at.text_document.uri, |view| {
            Some(navigation::rename(view, at.position, &params.new_name))
        })?
        .transpose()
        .map_err(failed)
    }

    async fn document_symbol(&self, params: lsp::DocumentSymbolParams) -> Result<Option<lsp::DocumentSymbolResponse>> {
        self.at("documentSymbol", &params.text_document.uri, |view| {
            Some(lsp::DocumentSymbolResponse::Nested(navigation::document_symbols(view)))
        })
    }

    async fn symbol(&self, params: lsp::WorkspaceSymbolParams) -> Result<Option<lsp::WorkspaceSymbolResponse>> {
        self.with("workspaceSymbol", |session| {
            Some(lsp::WorkspaceSymbolResponse::Flat(navigation::workspace_symbols(
                session,
                &params.query,
            )))
        })
    }

    async fn formatting(&self, params: lsp::DocumentFormattingParams) -> Result<Option<Vec<lsp::TextEdit>>> {
        self.at("formatting", &params.text_document.uri, editing::formatting)
    }

    async fn range_formatting(&self, params: lsp::DocumentRangeFormattingParams) -> Result<Option<Vec<lsp::TextEdit>>> {
        self.at("rangeFormatting", &params.text_document.uri, |view| {
            editing::range_formatting(view, params.range)
        })
    }

    async fn code_action(&self, params: lsp::CodeActionParams) -> Result<Option<lsp::CodeActionResponse>> {
        self.at("codeAction", &params.text_document.uri, |view| {
            Some(editing::code_actions(view, params.range))
        })
    }

    async fn folding_range(&self, params: lsp::FoldingRangeParams) -> Result<Option<Vec<lsp::FoldingRange>>> {
        self.at("foldingRange", &params.text_document.uri, |view| {
            Some(outline::folding_ranges(view))
        })
    }

    async fn semantic_tokens_full(
        &self,
        params: lsp::SemanticTokensParams,
    ) -> Result<Option<lsp::SemanticTokensResult>> {
        self.at("semanticTokens", &params.text_document.uri, |view| {
            Some(lsp::SemanticTokensResult::Tokens(outline::semantic_tokens(view)))
        })
    }

    async fn inlay_hint(&self, params: lsp::InlayHintParams) -> Result<Option<Vec<lsp::InlayHint>>> {
        self.at("inlayHint", &params.text_document.uri, |view| {
            Some(outline::inlay_hints(view, params.range))
        })
    }

    async fn signature_help(&self, params: lsp::SignatureHelpParams) -> Result<Option<lsp::SignatureHelp>> {
        let at = params.text_document_position_params;
        self.at("signatureHelp", &at.text_document.uri, |view| {
            outline::signature_help(view, at.position)
        })
    }
}

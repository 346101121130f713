//! The cruddur language server: a thin transport (tower-lsp-server's service in [`server`],
//! framed over stdio by [`transport`]) over a
//! [`Session`] that holds the workspace, and over features that are plain functions of the
//! compiler's analysis (`cruddur::ide`), converted to LSP's types in [`features`]. The session
//! and the features have no async and no I/O of their own, so tests drive them directly.
//!
//! Editors address text by line and UTF-16 code unit (LSP's default position encoding); the
//! compiler by byte offset: [`convert`] turns one into the other through the compiler's one
//! source map.

pub mod convert;
pub mod explanations;
pub mod features;
pub mod server;
pub mod session;
pub mod transport;

pub use session::{Options, Session, View};

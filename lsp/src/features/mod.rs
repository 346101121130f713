//! Each LSP feature: a compiler answer (`cruddur::ide`) converted to the protocol's types.

pub mod diagnostics;
pub mod editing;
pub mod navigation;
pub mod outline;
pub mod program;

pub use diagnostics::{config_diagnostic, diagnostics, is_syntax_error, DiagnosticsOptions};

//! Editor features as plain functions of a program's analysis: text and an offset in, an
//! answer out. The language server is a transport over these; each is tested here against
//! fixtures with cursor markers.

pub mod actions;
pub mod completion;
pub mod explain;
pub mod folding;
pub mod highlight;
pub mod hover;
pub mod inlay;
pub mod navigation;
pub mod signature;
pub mod symbols;

pub use actions::{code_actions, Action, ActionKind};
pub use completion::{completions, Completion, CompletionKind};
pub use explain::explain;
pub use folding::{folding_ranges, Fold, FoldKind};
pub use highlight::{highlights, Highlight, Token};
pub use hover::{hover, Hover};
pub use inlay::{inlay_hints, Hint};
pub use navigation::{definition, prepare_rename, references, rename};
pub use signature::{signature_help, Signature};
pub use symbols::{document_symbols, Symbol, SymbolKind};

#[cfg(test)]
mod tests;

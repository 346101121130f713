//! cruddur: a declarative language for AWS CI/CD pipelines.
//!
//! Layers, data flowing one way: [`syntax`] (text → tree) → [`resolve`] (structure, names and
//! values: the program model) → [`check`] (what AWS would reject, security rules) → [`emit`]
//! (the files AWS takes). [`vocabulary`] and [`data`] (facts about AWS) are below them,
//! [`diagnostics`] beside them all. [`analysis`] ties the layers together for one program;
//! the CLI and the language server read analyses. See ARCHITECTURE.md.

pub mod analysis;
pub mod check;
pub mod data;
pub mod diagnostics;
pub mod emit;
pub mod fix;
pub mod format;
pub mod ide;
pub mod import;
mod parallel;

/// The benchmark's program generator (the seed repeated under fresh names), for tests of
/// large programs.
#[cfg(test)]
#[path = "../benches/generate.rs"]
mod generate;
pub mod resolve;
pub mod syntax;
pub mod vocabulary;
pub mod workspace;

pub use analysis::{analyze, Analysis};

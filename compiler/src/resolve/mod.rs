//! Names and values: the syntax trees of one program become a [`model::Program`], with every
//! reference resolved and every value typed.

pub mod lower;
pub mod model;
pub mod needs;
pub mod render;
pub mod structure;
pub mod symbols;
pub mod values;

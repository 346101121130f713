//! Inlay hints: what an artifact is after the `output` that names it, and the name an item has
//! in AWS after its own name when the two differ.

use super::hover::aws_name;
use crate::analysis::Analysis;
use crate::diagnostics::FileId;
use crate::resolve::artifacts::ArtifactType;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    /// Where the hint is shown: after the text it describes.
    pub offset: usize,
    pub label: String,
    pub tooltip: String,
}

/// The hints of one file, in order.
pub fn inlay_hints(analysis: &Analysis, file: FileId) -> Vec<Hint> {
    let mut hints = Vec::new();
    for graph in &analysis.artifacts {
        for artifact in graph.artifacts.values() {
            for production in std::iter::once(&artifact.producer).chain(&artifact.again) {
                if production.output.loc.file != file {
                    continue;
                }
                if matches!(production.ty, ArtifactType::Opaque | ArtifactType::Undeclared { .. }) {
                    continue;
                }
                hints.push(Hint {
                    offset: production.output.loc.span.end,
                    label: format!(": {}", production.ty),
                    tooltip: format!("a {} artifact", production.ty),
                });
            }
        }
    }
    for definition in analysis.index.definitions.iter().filter(|d| d.loc.file == file) {
        let Some(name) = aws_name(analysis, definition.id) else {
            continue;
        };
        if name != definition.name {
            hints.push(Hint {
                offset: definition.loc.span.end,
                label: format!(" \"{name}\""),
                tooltip: format!("the name of this {} in AWS", definition.id.kind.keyword()),
            });
        }
    }
    hints.sort_by_key(|h| h.offset);
    hints
}

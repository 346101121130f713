//! One diagnostic model for the whole project. Every layer produces [`Diagnostic`]s; the
//! renderers in [`render`] (terminal, short, JSON) and the language server are views of it.

pub mod ci;
mod codes;
pub mod explain;
pub mod render;
pub mod sarif;
pub(crate) mod source_map;
pub mod suggest;
pub mod taxonomy;
mod terminal;

pub use codes::Code;
pub use source_map::{clamp_to_char_boundary, utf16_column_offset, utf16_len, FileId, LineCol, SourceMap};
pub use suggest::{a_or_an, did_you_mean};

use serde::Serialize;
use std::ops::Range;

/// A byte range in one source file.
pub type Span = Range<usize>;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A span in a file with a message saying what is there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(file: FileId, span: Span, message: impl Into<String>) -> Self {
        Label {
            file,
            span,
            message: message.into(),
        }
    }
}

/// A replacement of one span of a file: the unit of a machine-applicable fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub file: FileId,
    pub span: Span,
    pub replacement: String,
}

/// A fix: applying every edit turns the mistake into what was meant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, in the imperative ("insert `=`").
    pub message: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

/// Whether a fix can be applied without a person deciding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applicability {
    /// Mechanical: there is one thing the text can have meant (a `:` for `=`, a missing
    /// closer, the permission a role lacks). `cruddur check --fix` applies it.
    Machine,
    /// Likely, but a person decides: a near name for a misspelt one, a safer setting than
    /// the one written, a value made up from the item's name. Editors offer it; `--fix`
    /// leaves it.
    Suggested,
    /// A slot for a person to fill: a required setting written empty in its place. The
    /// finding stays (an empty value is reported) until it is filled in. Editors offer it;
    /// `--fix` leaves it.
    Placeholder,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Machine => "machine",
            Applicability::Suggested => "suggested",
            Applicability::Placeholder => "placeholder",
        }
    }
}

/// One problem found in the sources.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Where the mistake is.
    pub primary: Label,
    /// Where the other half of the mistake lives (a first definition, an opening brace…).
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// Waived in the source (`// cruddur-allow(CODE): reason`), with the reason: reported to
    /// tools as suppressed, not counted and not shown to people.
    pub suppressed: Option<String>,
}

impl Diagnostic {
    /// Removes the stage-template instance tags of every place it names (`FileId::in_instance`)
    /// and returns the instances they named.
    pub fn strip_instances(&mut self) -> std::collections::BTreeSet<usize> {
        let mut instances = std::collections::BTreeSet::new();
        let mut strip = |file: &mut FileId| {
            instances.extend(file.instance());
            *file = file.source_file();
        };
        strip(&mut self.primary.file);
        for label in &mut self.secondary {
            strip(&mut label.file);
        }
        for edit in self.fix.iter_mut().flat_map(|fix| &mut fix.edits) {
            strip(&mut edit.file);
        }
        instances
    }

    /// A diagnostic with the code's default severity and a primary label.
    pub fn new(code: Code, message: impl Into<String>, file: FileId, span: Span, label: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            primary: Label::new(file, span, label),
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            fix: None,
            suppressed: None,
        }
    }

    pub fn with_secondary(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label::new(file, span, message));
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attaches a mechanical single-edit fix in the primary label's file.
    pub fn with_fix(mut self, message: impl Into<String>, span: Span, replacement: impl Into<String>) -> Self {
        self.fix = Some(Fix {
            message: message.into(),
            edits: vec![Edit {
                file: self.primary.file,
                span,
                replacement: replacement.into(),
            }],
            applicability: Applicability::Machine,
        });
        self
    }

    /// Attaches a single-edit fix a person should confirm (see [`Applicability::Suggested`]).
    pub fn with_suggestion(self, message: impl Into<String>, span: Span, replacement: impl Into<String>) -> Self {
        self.with_fix(message, span, replacement).suggested()
    }

    /// Attaches an edit that writes a slot for a person to fill (see
    /// [`Applicability::Placeholder`]).
    pub fn with_placeholder(mut self, message: impl Into<String>, span: Span, replacement: impl Into<String>) -> Self {
        self = self.with_fix(message, span, replacement);
        if let Some(fix) = &mut self.fix {
            fix.applicability = Applicability::Placeholder;
        }
        self
    }

    /// Marks the fix as one a person should confirm.
    pub fn suggested(mut self) -> Self {
        if let Some(fix) = &mut self.fix {
            fix.applicability = Applicability::Suggested;
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error && self.suppressed.is_none()
    }

    /// Counted and shown (not waived).
    pub fn is_active(&self) -> bool {
        self.suppressed.is_none()
    }
}

/// Orders diagnostics by file, then position, then code, so output is stable whatever order
/// the layers found them in.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.primary.file, a.primary.span.start, a.primary.span.end, a.code).cmp(&(
            b.primary.file,
            b.primary.span.start,
            b.primary.span.end,
            b.code,
        ))
    });
}

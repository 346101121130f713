//! The syntax tree. The grammar is regular: a file is a list of members, and every member is
//! one of four shapes (see `spec/language.md`). Which names are valid where is decided by the
//! schema in the next layer, so a typo never turns into a cascade of syntax errors.
//! Every node carries its byte span.

use crate::diagnostics::Span;

/// A name as written: short names (nearly all) are stored inline and clone without allocating.
pub type Name = smol_str::SmolStr;

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: Name,
    pub span: Span,
}

/// A parsed source file: its top-level members (items) and its comments.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    pub members: Vec<Member>,
    /// Every comment in source order, for the formatter and for waivers.
    pub comments: Vec<Comment>,
    /// Where text did not lex or parse (each reported): what it held is not in the tree.
    pub unparsed: Vec<Span>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub name: Ident,
    pub kind: MemberKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MemberKind {
    /// `name = value`
    Property(Expr),
    /// `name [label] [= value] [{ … }]`, with a label or a body: `environment { … }`,
    /// `phase build { … }`, `action Deploy = ecs(backend) { … }`, `let x = "…"`.
    Block {
        label: Option<Ident>,
        value: Option<Expr>,
        body: Option<Body>,
    },
    /// `name arg, arg…`: `run "…"`, `input A, B`, `output image_definitions(…)`.
    Statement(Vec<Expr>),
}

impl Member {
    pub fn label(&self) -> Option<&Ident> {
        match &self.kind {
            MemberKind::Block { label, .. } => label.as_ref(),
            _ => None,
        }
    }

    pub fn body(&self) -> Option<&Body> {
        match &self.kind {
            MemberKind::Block { body, .. } => body.as_ref(),
            _ => None,
        }
    }
}

/// `{ members }`; the span covers the braces.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    pub members: Vec<Member>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Str(StrLit),
    /// The digits as written (`5`, `3.12`); the checker decides what a number may be.
    Number(String),
    /// A duration in seconds (`20m`, `1h30m`).
    Duration(u64),
    Bool(bool),
    /// A bare name: a reference to an item, an enum value or a `let`.
    Name(Ident),
    /// `expr.field`
    Field(Box<Expr>, Ident),
    /// `function(args)`
    Call {
        callee: Ident,
        args: Vec<Arg>,
    },
    List(Vec<Expr>),
    /// Something that did not parse; already reported.
    Error,
}

/// A call argument, positional or `name = value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    pub name: Option<Ident>,
    pub value: Expr,
}

/// A string literal, decoded: text runs and `${{ path }}` interpolations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StrLit {
    pub parts: Vec<StrPart>,
    /// Written `"""…"""`.
    pub triple: bool,
}

impl StrLit {
    /// The text when the string has no interpolation.
    pub fn as_plain(&self) -> Option<String> {
        let mut text = String::new();
        for part in &self.parts {
            match part {
                StrPart::Text(t) => text.push_str(t),
                StrPart::Interp(_) => return None,
            }
        }
        Some(text)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum StrPart {
    Text(String),
    Interp(Interp),
}

/// `${{ item.field }}`; the span covers the whole `${{ … }}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Interp {
    pub path: Vec<Ident>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub span: Span,
    /// `/* … */` rather than `// …`.
    pub block: bool,
}

//! Semantic highlighting: what each word of a file is, as the compiler understands it, for
//! editors to color beyond what a grammar can tell (an item's name where it is used, inside
//! `${{ … }}` too; an enum value; a provider; an artifact).

use crate::analysis::Analysis;
use crate::diagnostics::{FileId, SourceMap, Span};
use crate::resolve::index::Target;
use crate::syntax::ast::{self, Expr, ExprKind, MemberKind};
use crate::vocabulary::{self, Function, Kind, ENUMS};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Highlight {
    /// An item keyword: `project`.
    Keyword,
    /// A member's name: `timeout`, `environment`.
    Member,
    /// An item's name, where it is defined or used.
    Item(Kind),
    Stage,
    Action,
    Phase,
    Artifact,
    /// A word of an enumeration: `small`.
    EnumValue,
    /// A value function: `ecr_login`.
    Function,
    /// An action provider: `codebuild`.
    Provider,
    /// An item's field: `.uri`.
    Field,
    Comment,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub highlight: Highlight,
    /// Where the name is given, not used.
    pub definition: bool,
}

/// The standard semantic token types editors colour (LSP's names), in a legend's order.
pub const TOKEN_TYPES: &[&str] = &[
    "keyword",
    "property",
    "parameter",
    "variable",
    "class",
    "namespace",
    "function",
    "method",
    "struct",
    "enumMember",
    "macro",
    "comment",
];

/// The modifiers, as bits in this order: where a name is given; a word of the language's own.
pub const TOKEN_MODIFIERS: &[&str] = &["declaration", "defaultLibrary"];

impl Highlight {
    /// Its index in [`TOKEN_TYPES`], and whether it is a word of the language's own.
    pub fn token_type(self) -> (u32, bool) {
        let (name, library) = match self {
            Highlight::Keyword => ("keyword", false),
            Highlight::Member => ("property", false),
            Highlight::Item(Kind::Param) => ("parameter", false),
            Highlight::Item(Kind::Let) => ("variable", false),
            Highlight::Item(_) => ("class", false),
            Highlight::Stage => ("namespace", false),
            Highlight::Action => ("function", false),
            Highlight::Phase => ("method", false),
            Highlight::Artifact => ("struct", false),
            Highlight::EnumValue => ("enumMember", true),
            Highlight::Function => ("function", true),
            Highlight::Provider => ("macro", true),
            Highlight::Field => ("property", true),
            Highlight::Comment => ("comment", false),
        };
        let index = TOKEN_TYPES.iter().position(|t| *t == name).unwrap_or(0);
        (index as u32, library)
    }
}

/// Tokens in the relative encoding editors take (LSP's, Monaco's): five numbers each, the
/// line's and start's distance from the previous token, the length (UTF-16), the type and the
/// modifier bits. A token over several lines is cut at line ends.
pub fn encode(sources: &SourceMap, file: FileId, tokens: impl IntoIterator<Item = Token>) -> Vec<u32> {
    let text = sources.source(file);
    let mut data = Vec::new();
    let (mut last_line, mut last_start) = (0, 0);
    for token in tokens {
        let (ty, library) = token.highlight.token_type();
        let modifiers = u32::from(token.definition) | (u32::from(library) << 1);
        let (mut from, end) = (token.span.start.min(text.len()), token.span.end.min(text.len()));
        while from < end {
            let line_end = text[from..end].find('\n').map_or(end, |at| from + at);
            let piece = text[from..line_end].trim_end_matches('\r');
            if !piece.is_empty() {
                let (line, start) = sources.utf16_position(file, from);
                let delta_start = if line == last_line { start - last_start } else { start };
                data.extend([
                    (line - last_line) as u32,
                    delta_start as u32,
                    crate::diagnostics::utf16_len(piece) as u32,
                    ty,
                    modifiers,
                ]);
                (last_line, last_start) = (line, start);
            }
            from = line_end + 1;
        }
    }
    data
}

/// The file's tokens, in order, none overlapping.
pub fn highlights(analysis: &Analysis, file: FileId) -> Vec<Token> {
    let Some(ast) = analysis.ast(file) else {
        return Vec::new();
    };
    let mut tokens: Vec<Token> = Vec::new();
    // What the index knows wins over what the tree's shape says.
    let mut named: HashMap<usize, Token> = HashMap::new();
    for definition in analysis.index.definitions.iter().filter(|d| d.loc.file == file) {
        named.insert(
            definition.loc.span.start,
            Token {
                span: definition.loc.span.clone(),
                highlight: Highlight::Item(definition.id.kind),
                definition: true,
            },
        );
    }
    for reference in analysis.index.references.iter().filter(|r| r.loc.file == file) {
        // `.uri` in `${{ repo.uri }}` as in `repo.uri`.
        if let Some(field) = reference.field.as_ref().filter(|f| f.loc.file == file) {
            named.insert(
                field.loc.span.start,
                Token {
                    span: field.loc.span.clone(),
                    highlight: Highlight::Field,
                    definition: false,
                },
            );
        }
        let Some(Target::Item(id)) = reference.target else {
            continue;
        };
        let span = reference.loc.span.start..reference.loc.span.start + reference.name.len();
        named.insert(
            span.start,
            Token {
                span,
                highlight: Highlight::Item(id.kind),
                definition: false,
            },
        );
    }
    let mut walk = Walk {
        tokens: &mut tokens,
        named: &named,
    };
    for member in &ast.members {
        walk.member(member, 0, None);
    }
    tokens.extend(ast.comments.iter().map(|c| Token {
        span: c.span.clone(),
        highlight: Highlight::Comment,
        definition: false,
    }));
    tokens.extend(named.into_values());
    tokens.sort_by_key(|t| (t.span.start, std::cmp::Reverse(t.span.end)));
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    for token in tokens {
        if out.last().is_none_or(|last| last.span.end <= token.span.start) {
            out.push(token);
        }
    }
    out
}

struct Walk<'a> {
    tokens: &'a mut Vec<Token>,
    named: &'a HashMap<usize, Token>,
}

impl Walk<'_> {
    fn push(&mut self, span: &Span, highlight: Highlight, definition: bool) {
        if !self.named.contains_key(&span.start) {
            self.tokens.push(Token {
                span: span.clone(),
                highlight,
                definition,
            });
        }
    }

    fn member(&mut self, member: &ast::Member, depth: usize, parent: Option<&str>) {
        let name = member.name.name.as_str();
        let keyword = depth == 0 && vocabulary::item(name).is_some();
        self.push(
            &member.name.span,
            if keyword { Highlight::Keyword } else { Highlight::Member },
            false,
        );
        match &member.kind {
            MemberKind::Property(value) => self.expr(value),
            MemberKind::Statement(values) => {
                let artifacts = matches!(name, "input" | "output") && parent == Some("action");
                for value in values {
                    match &value.kind {
                        ExprKind::Name(ident) if artifacts => {
                            self.push(&ident.span, Highlight::Artifact, name == "output")
                        }
                        _ => self.expr(value),
                    }
                }
            }
            MemberKind::Block { label, value, body } => {
                if let Some(label) = label {
                    let highlight = match name {
                        "stage" => Some(Highlight::Stage),
                        "action" => Some(Highlight::Action),
                        "phase" => Some(Highlight::Phase),
                        _ => None,
                    };
                    if let Some(highlight) = highlight {
                        self.push(&label.span, highlight, true);
                    }
                }
                if let Some(value) = value {
                    self.expr(value);
                }
                if let Some(body) = body {
                    for inner in &body.members {
                        self.member(inner, depth + 1, Some(name));
                    }
                }
            }
        }
    }

    fn expr(&mut self, value: &Expr) {
        match &value.kind {
            ExprKind::Name(ident) if is_enum_word(&ident.name) => self.push(&ident.span, Highlight::EnumValue, false),
            ExprKind::Field(base, field) => {
                self.expr(base);
                self.push(&field.span, Highlight::Field, false);
            }
            ExprKind::Call { callee, args } => {
                if vocabulary::provider(&callee.name).is_some() {
                    self.push(&callee.span, Highlight::Provider, false);
                } else if Function::named(&callee.name).is_some() {
                    self.push(&callee.span, Highlight::Function, false);
                }
                for arg in args {
                    if let Some(name) = &arg.name {
                        self.push(&name.span, Highlight::Member, false);
                    }
                    self.expr(&arg.value);
                }
            }
            ExprKind::List(items) => items.iter().for_each(|item| self.expr(item)),
            _ => {}
        }
    }
}

fn is_enum_word(word: &str) -> bool {
    ENUMS.iter().any(|spec| spec.values.iter().any(|v| v.word == word))
}

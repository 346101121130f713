//! Completion candidates at an offset: the members a block takes and does not have yet, the
//! values a member takes (enum values, items of the kind it wants, value functions), the
//! providers and their settings, artifacts produced before an action, names and fields inside
//! `${{ … }}`, `$VARIABLES` in a command, and IAM actions.
//!
//! Completion runs on text being typed, which rarely parses: the place is read from the tokens
//! before the cursor (which blocks are open, what the current member has so far), and the
//! program's last analysis supplies the names.

use crate::analysis::Analysis;
use crate::diagnostics::{FileId, Span};
use crate::resolve::model::Kind;
use crate::syntax::lexer;
use crate::syntax::token::Token;
use crate::vocabulary::{
    self, items::ITEMS, Calls, EnumSpec, Enumerated, Form, LabelValue, MemberSpec, PhaseName, ProviderSpec, ValueType,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    /// An item keyword: `project`.
    Keyword,
    Member,
    /// A provider setting.
    Setting,
    /// An enum value, a boolean or a label the language fixes.
    Value,
    Function,
    Provider,
    Item(Kind),
    Artifact,
    Field,
    Variable,
    IamAction,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// One line: what it is.
    pub detail: String,
    /// Markdown.
    pub documentation: String,
    /// The text that replaces `replace`; a snippet (`$0`, `${1:…}`) when `snippet` is set.
    pub insert: String,
    pub snippet: bool,
    /// The part of the word already typed.
    pub replace: Span,
}

/// The candidates at `offset` of `file`, whose text is `source`, in the program `analysis`.
pub fn completions(analysis: &Analysis, source: &str, file: FileId, offset: usize) -> Vec<Completion> {
    let offset = crate::diagnostics::clamp_to_char_boundary(source, offset);
    let lexed = lexer::lex(source, file);
    // Nothing to complete in a comment.
    if lexed
        .comments
        .iter()
        .any(|c| c.span.start < offset && offset <= c.span.end)
    {
        return Vec::new();
    }
    let context = Context::read(source, &lexed.tokens, offset);
    let mut out = Candidates {
        analysis,
        prefix: source.get(context.word.clone()).unwrap_or("").to_string(),
        replace: context.word.clone(),
        items: Vec::new(),
        labels: Default::default(),
    };
    match &context.place {
        Place::MemberName => out.member_names(&context),
        Place::Value { member, label } => out.member_value(&context, member, label.as_deref()),
        Place::Argument {
            callee,
            name,
            position,
            member,
        } => out.argument(callee, name.as_deref(), *position, member),
        Place::ListElement { member, argument } => out.list_element(&context, member, argument.as_ref()),
        Place::String { member, text_before } => out.string(&context, member.as_deref(), text_before),
        Place::Nothing => {}
    }
    out.items
}

/// An open `{`: the member whose body it is.
#[derive(Clone, Debug, Default)]
struct Block {
    name: String,
    label: Option<String>,
    /// For `action NAME = provider(…) {`.
    provider: Option<String>,
    /// Members written in the block (before and after the cursor), with their labels.
    written: Vec<(String, Option<String>)>,
}

#[derive(Debug)]
enum Place {
    /// The start of a member: its name.
    MemberName,
    /// After `member =`, `member LABEL =`, or a statement's name.
    Value {
        member: String,
        label: Option<String>,
    },
    /// Inside `callee(…)`, in the argument `name = …` if named, else the `position`th
    /// positional one.
    Argument {
        callee: String,
        name: Option<String>,
        position: usize,
        member: String,
    },
    /// Inside `[…]` of a member, or of a named call argument: (callee, argument name).
    ListElement {
        member: String,
        argument: Option<(String, String)>,
    },
    /// Inside a string of a member; the string's text up to the cursor.
    String {
        member: Option<String>,
        text_before: String,
    },
    Nothing,
}

struct Context {
    /// Open blocks, outermost first.
    blocks: Vec<Block>,
    place: Place,
    /// The partial word at the cursor.
    word: Span,
}

impl Context {
    fn read(source: &str, tokens: &[(Token, Span)], offset: usize) -> Context {
        // The word being typed: an identifier the cursor ends or is inside.
        let word = tokens
            .iter()
            .find(|(t, s)| {
                matches!(t, Token::Ident | Token::LineIdent | Token::True | Token::False)
                    && s.start < offset
                    && offset <= s.end
            })
            .map(|(_, s)| s.start..offset)
            .unwrap_or(offset..offset);
        let before: Vec<&(Token, Span)> = tokens.iter().take_while(|(_, s)| s.end <= word.start).collect();
        let inside_string = tokens
            .iter()
            .find(|(t, s)| matches!(t, Token::Str(_)) && s.start < offset && (offset < s.end || !closed(source, s)));

        let mut blocks: Vec<Block> = vec![Block::default()];
        // Tokens of the current member at block level, and open groups inside it.
        let mut member: Vec<&(Token, Span)> = Vec::new();
        let mut groups: Vec<(Token, usize)> = Vec::new(); // opener and its index in `member`
        for entry @ (token, span) in &before {
            match token {
                // A brace ends any `(` or `[` left open before it: blocks are not inside them.
                Token::LBrace => {
                    groups.clear();
                    blocks.push(block_of(source, &member));
                    member.clear();
                }
                Token::RBrace => {
                    groups.clear();
                    if blocks.len() > 1 {
                        let closed = blocks.pop();
                        if let (Some(closed), Some(parent)) = (closed, blocks.last_mut()) {
                            parent.written.push((closed.name, closed.label));
                        }
                    }
                    member.clear();
                }
                Token::Semi if groups.is_empty() => {
                    note_written(source, &member, &mut blocks);
                    member.clear();
                }
                Token::Ident | Token::LineIdent if groups.is_empty() && starts_line(source, span) => {
                    note_written(source, &member, &mut blocks);
                    member.clear();
                    member.push(entry);
                }
                Token::LParen | Token::LBracket => {
                    groups.push((*token, member.len()));
                    member.push(entry);
                }
                Token::RParen | Token::RBracket => {
                    groups.pop();
                    member.push(entry);
                }
                _ => member.push(entry),
            }
        }
        // A cursor on a line of its own starts a member, unless the last one goes on (after
        // `=` or `,`).
        let line_start = source[..word.start].rfind('\n').map_or(0, |i| i + 1);
        let own_line = source[line_start..word.start].trim().is_empty();
        let continues = member
            .last()
            .is_some_and(|(t, _)| matches!(t, Token::Eq | Token::Comma));
        if groups.is_empty() && own_line && !continues && !member.is_empty() {
            note_written(source, &member, &mut blocks);
            member.clear();
        }
        // Members written after the cursor, in the same block, are set too.
        if let Some(current) = blocks.last_mut() {
            let after: Vec<&(Token, Span)> = tokens.iter().filter(|(_, s)| s.start >= offset).collect();
            let mut depth = 0usize;
            for (i, (token, span)) in after.iter().enumerate() {
                match token {
                    Token::LBrace | Token::LParen | Token::LBracket => depth += 1,
                    Token::RBrace | Token::RParen | Token::RBracket if depth == 0 => break,
                    Token::RBrace | Token::RParen | Token::RBracket => depth -= 1,
                    Token::Ident | Token::LineIdent if depth == 0 && starts_line(source, span) => {
                        let label = match after.get(i + 1) {
                            Some((Token::Ident, label)) => source.get(label.clone()).map(str::to_string),
                            _ => None,
                        };
                        current.written.push((source[span.clone()].to_string(), label));
                    }
                    _ => {}
                }
            }
        }
        let text = |i: usize| source.get(member[i].1.clone()).unwrap_or("");
        let name = if member.is_empty() {
            String::new()
        } else {
            text(0).to_string()
        };

        if let Some((_, span)) = inside_string {
            let text_before = source.get(span.start + 1..offset).unwrap_or("").to_string();
            let member = (!name.is_empty()).then_some(name);
            return Context {
                blocks,
                place: Place::String { member, text_before },
                word: offset..offset,
            };
        }
        // Inside the innermost open group of the member.
        if let Some(&(opener, at)) = groups.last() {
            let place = if opener == Token::LParen {
                let (argument, position) = argument_at(source, &member[at + 1..]);
                let callee = at.checked_sub(1).map(|i| text(i).to_string()).unwrap_or_default();
                Place::Argument {
                    callee,
                    name: argument,
                    position,
                    member: name,
                }
            } else {
                // A list directly in a call's named argument: `events = [`.
                let argument = groups
                    .iter()
                    .rev()
                    .nth(1)
                    .filter(|(t, _)| *t == Token::LParen)
                    .and_then(|&(_, call)| {
                        let callee = call.checked_sub(1).map(|i| text(i).to_string())?;
                        let name = at
                            .checked_sub(2)
                            .filter(|&i| member[i + 1].0 == Token::Eq)
                            .map(|i| text(i).to_string())?;
                        Some((callee, name))
                    });
                Place::ListElement { member: name, argument }
            };
            return Context { blocks, place, word };
        }
        let place = match member.as_slice() {
            [] => Place::MemberName,
            [(Token::Ident | Token::LineIdent, _)] if word.start > member[0].1.end => Place::Value {
                member: name,
                label: None,
            },
            [_, (Token::Eq, _)] => Place::Value {
                member: name,
                label: None,
            },
            [_, (Token::Ident | Token::Str(_), label), (Token::Eq, _)] => Place::Value {
                member: name,
                label: source.get(label.clone()).map(str::to_string),
            },
            _ => Place::Nothing,
        };
        Context { blocks, place, word }
    }

    /// The member specs of the innermost block, and the provider when it is an action's body.
    fn block_members(&self) -> (Option<&'static [MemberSpec]>, Option<&'static ProviderSpec>) {
        let mut specs: Option<&'static [MemberSpec]> = None;
        let mut provider = None;
        for (depth, block) in self.blocks.iter().enumerate().skip(1) {
            let members = if depth == 1 {
                vocabulary::item(&block.name).map(|item| item.members())
            } else {
                specs
                    .and_then(|s| s.iter().find(|m| m.name == block.name))
                    .map(|m| m.members())
            };
            provider = block.provider.as_deref().and_then(vocabulary::provider);
            specs = members;
            if specs.is_none() {
                return (None, None);
            }
        }
        (specs, provider)
    }

    /// The spec of the member whose body the innermost block is.
    fn block_spec(&self) -> Option<&'static MemberSpec> {
        let (outer, inner) = match self.blocks.len() {
            0..=2 => return None,
            n => (&self.blocks[1..n - 1], &self.blocks[n - 1]),
        };
        let mut specs = vocabulary::item(&outer[0].name)?.members();
        for block in &outer[1..] {
            specs = specs.iter().find(|m| m.name == block.name)?.members();
        }
        specs.iter().find(|m| m.name == inner.name)
    }

    /// The spec of a member of the innermost block.
    fn member(&self, name: &str) -> Option<&'static MemberSpec> {
        if self.blocks.len() == 1 {
            return None;
        }
        self.block_members().0?.iter().find(|m| m.name == name)
    }

    /// The label of the open block named `name` (the pipeline's, the stage's…).
    fn label_of(&self, name: &str) -> Option<&str> {
        self.blocks
            .iter()
            .rev()
            .find(|b| b.name == name)
            .and_then(|b| b.label.as_deref())
    }
}

/// Whether a token is the first on its line (a member's name, when it is a name).
fn starts_line(source: &str, span: &Span) -> bool {
    let line_start = source[..span.start].rfind('\n').map_or(0, |i| i + 1);
    source[line_start..span.start].trim().is_empty()
}

fn closed(source: &str, span: &Span) -> bool {
    let text = &source[span.clone()];
    if text.starts_with("\"\"\"") {
        text.len() >= 6 && text.ends_with("\"\"\"")
    } else {
        text.len() >= 2 && text.ends_with('"') && !text.ends_with("\\\"")
    }
}

/// The block a member's tokens open: its name, label and provider.
fn block_of(source: &str, member: &[&(Token, Span)]) -> Block {
    let text = |i: usize| {
        member
            .get(i)
            .and_then(|(_, s)| source.get(s.clone()))
            .map(str::to_string)
    };
    let mut block = Block {
        name: text(0).unwrap_or_default(),
        ..Block::default()
    };
    if let Some((Token::Ident | Token::Str(_), _)) = member.get(1).map(|e| (e.0, ())) {
        block.label = text(1).map(|l| l.trim_matches('"').to_string());
    }
    if member.get(2).is_some_and(|(t, _)| *t == Token::Eq) {
        block.provider = text(3);
    }
    block
}

fn note_written(source: &str, member: &[&(Token, Span)], blocks: &mut [Block]) {
    if let (Some((_, span)), Some(block)) = (member.first(), blocks.last_mut()) {
        if let Some(name) = source.get(span.clone()) {
            let label = match member.get(1) {
                Some((Token::Ident, label)) => source.get(label.clone()).map(str::to_string),
                _ => None,
            };
            block.written.push((name.to_string(), label));
        }
    }
}

/// The argument being written in a call's arguments: its name (`name = …`, after the last
/// top-level comma) or its position among the positional ones.
fn argument_at(source: &str, tokens: &[&(Token, Span)]) -> (Option<String>, usize) {
    let mut depth = 0usize;
    let mut start = 0;
    let mut position = 0;
    let mut named_before = false;
    for (i, (token, _)) in tokens.iter().enumerate() {
        match token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
            Token::Eq if depth == 0 && i == start + 1 => named_before = true,
            Token::Comma if depth == 0 => {
                if !named_before {
                    position += 1;
                }
                named_before = false;
                start = i + 1;
            }
            _ => {}
        }
    }
    match tokens.get(start..start + 2) {
        Some([(Token::Ident | Token::LineIdent, name), (Token::Eq, _)]) => {
            (source.get(name.clone()).map(str::to_string), position)
        }
        _ => (None, position),
    }
}

struct Candidates<'a> {
    analysis: &'a Analysis,
    prefix: String,
    replace: Span,
    items: Vec<Completion>,
    labels: std::collections::HashSet<String>,
}

impl Candidates<'_> {
    fn push(
        &mut self,
        label: &str,
        kind: CompletionKind,
        detail: String,
        documentation: &str,
        insert: String,
        snippet: bool,
    ) {
        let lower = self.prefix.to_ascii_lowercase();
        if !label.to_ascii_lowercase().starts_with(&lower) {
            return;
        }
        if !self.labels.insert(label.to_string()) {
            return;
        }
        self.items.push(Completion {
            label: label.to_string(),
            kind,
            detail,
            documentation: documentation.to_string(),
            insert,
            snippet,
            replace: self.replace.clone(),
        });
    }

    fn plain(&mut self, label: &str, kind: CompletionKind, detail: impl Into<String>, documentation: &str) {
        self.push(label, kind, detail.into(), documentation, label.to_string(), false);
    }

    fn member_names(&mut self, context: &Context) {
        if context.blocks.len() == 1 {
            for item in ITEMS {
                let insert = match item.form {
                    Form::Labelled {
                        value: LabelValue::Required,
                        ..
                    } => format!("{} ${{1:name}} = $0", item.keyword),
                    Form::Labelled { .. } => format!("{} ${{1:name}} {{\n\t$0\n}}", item.keyword),
                    _ => format!("{} {{\n\t$0\n}}", item.keyword),
                };
                self.push(
                    item.keyword,
                    CompletionKind::Keyword,
                    "item".into(),
                    item.doc,
                    insert,
                    true,
                );
            }
            return;
        }
        let (specs, provider) = context.block_members();
        let written: Vec<&str> = context
            .blocks
            .last()
            .map(|b| b.written.iter().map(|(name, _)| name.as_str()).collect())
            .unwrap_or_default();
        for spec in specs.unwrap_or(&[]) {
            if !spec.repeatable && written.contains(&spec.name) {
                continue;
            }
            let (insert, snippet) = member_snippet(spec);
            self.push(
                spec.name,
                CompletionKind::Member,
                spec.form_name().into(),
                spec.doc,
                insert,
                snippet,
            );
        }
        if let Some(provider) = provider {
            for setting in provider.settings {
                if written.contains(&setting.name) {
                    continue;
                }
                self.push(
                    setting.name,
                    CompletionKind::Setting,
                    format!("setting → {}", setting.key),
                    setting.doc,
                    format!("{} = $0", setting.name),
                    true,
                );
            }
        }
    }

    fn member_value(&mut self, context: &Context, member: &str, label: Option<&str>) {
        // A provider setting (`action_mode = `): the values AWS lists for its key.
        let (specs, provider) = context.block_members();
        let spec = specs.and_then(|s| s.iter().find(|m| m.name == member));
        let Some(spec) = spec else {
            if let Some(provider) = provider {
                self.setting_value(context, provider, member);
            } else if let Some(block) = context.block_spec().filter(|b| matches!(b.form, Form::Map(_))) {
                // A variable of `env`: a string or a secret's source.
                self.values_of(block.ty);
            }
            return;
        };
        match (spec.name, &spec.form) {
            ("phase", _) if label.is_none() => {
                let written = phases_written(context);
                for phase in PhaseName::ALL.iter().filter(|p| !written.contains(&p.word())) {
                    self.plain(phase.word(), CompletionKind::Value, "phase", phase.doc());
                }
                return;
            }
            ("runtime", _) if label.is_none() => {
                for (name, versions) in self.runtimes(context) {
                    self.plain(
                        &name,
                        CompletionKind::Value,
                        format!("runtime: {}", versions.join(", ")),
                        "",
                    );
                }
                return;
            }
            ("runtime", _) => {
                let label = label.unwrap_or("");
                let versions = self
                    .runtimes(context)
                    .into_iter()
                    .find(|(name, _)| name == label)
                    .map(|(_, v)| v)
                    .unwrap_or_default();
                for version in versions {
                    self.push(
                        &version,
                        CompletionKind::Value,
                        format!("{label} version"),
                        "",
                        format!("\"{version}\""),
                        false,
                    );
                }
                return;
            }
            (_, Form::Labelled { .. }) if label.is_none() && spec.ty != ValueType::Provider => return,
            _ => {}
        }
        if spec.name == "input" && spec.ty == ValueType::Artifact {
            self.artifacts_before(context);
            return;
        }
        self.values_of(spec.ty);
    }

    fn setting_value(&mut self, context: &Context, provider: &ProviderSpec, name: &str) {
        let Some(setting) = provider.setting(name) else { return };
        if setting.names_artifact {
            for artifact in self.inputs_of_action(context) {
                self.push(
                    &artifact,
                    CompletionKind::Artifact,
                    "input artifact".into(),
                    "",
                    format!("\"{artifact}\""),
                    false,
                );
            }
            return;
        }
        let Some(key) = provider
            .action_type()
            .configuration
            .iter()
            .find(|c| c.name == setting.key)
        else {
            return;
        };
        for value in &key.values {
            let insert = match value.as_str() {
                "true" | "false" => value.clone(),
                _ => format!("\"{value}\""),
            };
            self.push(
                value,
                CompletionKind::Value,
                format!("{} value", setting.key),
                "",
                insert,
                false,
            );
        }
    }

    /// Candidates for a value of type `ty`.
    fn values_of(&mut self, ty: ValueType) {
        match ty {
            ValueType::Bool => {
                self.plain("true", CompletionKind::Value, "boolean", "");
                self.plain("false", CompletionKind::Value, "boolean", "");
            }
            ValueType::Enum(spec) => self.enum_values(spec),
            ValueType::Ref(kind) => self.items_of(Some(kind)),
            ValueType::List(_) => self.push("[…]", CompletionKind::Value, "list".into(), "", "[$0]".into(), true),
            ValueType::Call(calls) => self.functions(calls),
            ValueType::Provider => {
                for provider in vocabulary::providers::PROVIDERS {
                    let insert = match provider.argument {
                        Some(kind) => format!("{}(${{1:{}}}) {{\n\t$0\n}}", provider.name, kind.keyword()),
                        None => format!("{} {{\n\t$0\n}}", provider.name),
                    };
                    self.push(
                        provider.name,
                        CompletionKind::Provider,
                        format!("{} / {}", provider.category, provider.provider),
                        provider.doc,
                        insert,
                        true,
                    );
                }
            }
            ValueType::Text => {
                // Text may be a parameter, a `let` or an item's field.
                self.items_of(Some(Kind::Param));
                self.items_of(Some(Kind::Let));
            }
            ValueType::Minutes(_)
            | ValueType::Integer(_)
            | ValueType::Literal
            | ValueType::Artifact
            | ValueType::IamAction
            | ValueType::Setting
            | ValueType::Nothing => {}
        }
    }

    fn enum_values(&mut self, spec: &EnumSpec) {
        for value in spec.values {
            let insert = value.written();
            let detail = if value.aws == value.word {
                spec.what.to_string()
            } else {
                format!("{} → {}", spec.what, value.aws)
            };
            self.push(value.word, CompletionKind::Value, detail, value.doc, insert, false);
        }
    }

    fn functions(&mut self, calls: Calls) {
        for function in calls.functions() {
            let insert = format!("{}($0)", function.name);
            self.push(
                function.name,
                CompletionKind::Function,
                function.signature.clone(),
                function.doc,
                insert,
                true,
            );
        }
    }

    /// The program's items of `kind` (all kinds with `None`).
    fn items_of(&mut self, kind: Option<Kind>) {
        let analysis = self.analysis;
        for definition in analysis.index.definitions.iter().filter(|d| !d.duplicate) {
            if kind.is_some_and(|k| definition.id.kind != k) {
                continue;
            }
            let spec = vocabulary::item_of_kind(definition.id.kind);
            self.plain(
                &definition.name,
                CompletionKind::Item(definition.id.kind),
                spec.keyword,
                spec.doc,
            );
        }
    }

    fn argument(&mut self, callee: &str, name: Option<&str>, position: usize, member: &str) {
        if let Some(provider) = vocabulary::provider(callee).filter(|_| member == "action") {
            if let Some(kind) = provider.argument {
                self.items_of(Some(kind));
            }
            return;
        }
        // An image family's version: the versions CodeBuild's images of that family offer.
        if let Some(family) = vocabulary::ImageFamily::from_word(callee) {
            let prefix = family.identifier("");
            for image in crate::data::codebuild_images() {
                if let Some(version) = image.identifier.strip_prefix(&prefix) {
                    self.push(
                        version,
                        CompletionKind::Value,
                        image.identifier.clone(),
                        "",
                        format!("\"{version}\""),
                        false,
                    );
                }
            }
            return;
        }
        let Some(ty) = vocabulary::Function::named(callee).and_then(|f| f.param(name, position)) else {
            return;
        };
        self.values_of(ty);
    }

    fn list_element(&mut self, context: &Context, member: &str, argument: Option<&(String, String)>) {
        let ty = match argument {
            Some((callee, name)) => vocabulary::Function::named(callee).and_then(|f| f.param(Some(name.as_str()), 0)),
            None => context.member(member).map(|spec| spec.ty),
        };
        let Some(ty) = ty else { return };
        match ty {
            ValueType::List(&ValueType::IamAction) => self.iam_services(true),
            ValueType::List(element) => self.values_of(*element),
            _ => {}
        }
    }

    fn string(&mut self, context: &Context, member: Option<&str>, text_before: &str) {
        // `${{ … }}` being written.
        if let Some(open) = text_before.rfind("${{") {
            let inside = &text_before[open + 3..];
            if !inside.contains("}}") {
                let typed = inside.trim_start();
                let start = self.replace.end - typed.len();
                match typed.rsplit_once('.') {
                    Some((head, field)) => {
                        self.prefix = field.to_string();
                        self.replace = self.replace.end - field.len()..self.replace.end;
                        self.fields(head.trim());
                    }
                    None => {
                        self.prefix = typed.to_string();
                        self.replace = start..self.replace.end;
                        self.items_of(None);
                        self.plain("aws", CompletionKind::Item(Kind::Param), "account and region", "");
                    }
                }
                return;
            }
        }
        // `$NAME` in a command or a variable's value.
        let name_len = text_before
            .bytes()
            .rev()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        let before_name = &text_before[..text_before.len() - name_len];
        if before_name.ends_with('$') || before_name.ends_with("${") {
            self.prefix = text_before[text_before.len() - name_len..].to_string();
            self.replace = self.replace.end - name_len..self.replace.end;
            self.variables(context);
            return;
        }
        let Some(member) = member else { return };
        let Some(spec) = context.member(member) else {
            // A provider setting naming an artifact: `primary_source = "`.
            let (_, provider) = context.block_members();
            if let Some(setting) = provider.and_then(|p| p.setting(member)).filter(|s| s.names_artifact) {
                self.prefix = text_before.to_string();
                self.replace = self.replace.end - text_before.len()..self.replace.end;
                for artifact in self.inputs_of_action(context) {
                    self.plain(
                        &artifact,
                        CompletionKind::Artifact,
                        format!("input artifact, {}", setting.key),
                        "",
                    );
                }
            }
            return;
        };
        if spec.ty == ValueType::List(&ValueType::IamAction) {
            self.prefix = text_before.to_string();
            self.replace = self.replace.end - text_before.len()..self.replace.end;
            match text_before.split_once(':') {
                Some((service, _)) => self.iam_actions(service),
                None => self.iam_services(false),
            }
        }
    }

    fn fields(&mut self, head: &str) {
        let fields = if head == "aws" {
            vocabulary::item("aws").map_or(&[][..], |i| i.fields)
        } else {
            let Some(definition) = self.analysis.index.definitions.iter().find(|d| d.name == head) else {
                return;
            };
            definition.id.kind.fields()
        };
        for field in fields {
            self.plain(field.name, CompletionKind::Field, "field", field.doc);
        }
    }

    /// Variables a command can read: the project's `env`, and CodeBuild's.
    fn variables(&mut self, context: &Context) {
        let project = context
            .blocks
            .get(1)
            .filter(|b| b.name == "project")
            .and_then(|b| b.label.as_deref())
            .and_then(|label| self.analysis.program.projects.iter().find(|p| p.header.name == label));
        if let Some(project) = project {
            for var in &project.env {
                self.plain(&var.name.value, CompletionKind::Variable, "env", "");
            }
        }
        for (name, doc) in crate::data::codebuild_variables() {
            self.plain(name, CompletionKind::Variable, "set by CodeBuild", doc);
        }
    }

    fn iam_services(&mut self, quoted: bool) {
        for (prefix, service) in crate::data::iam::services() {
            let text = format!("{prefix}:");
            let insert = if quoted {
                format!("\"{text}$0\"")
            } else {
                format!("{text}$0")
            };
            self.push(&text, CompletionKind::IamAction, service.name.clone(), "", insert, true);
        }
    }

    fn iam_actions(&mut self, service: &str) {
        let Some(found) = crate::data::iam::service(service) else {
            return;
        };
        for (name, action) in &found.actions {
            let label = format!("{service}:{name}");
            let resources = if action.resources.is_empty() {
                "no resource-level permission: grant it on \"*\"".to_string()
            } else {
                format!("resources: {}", action.resources.join(", "))
            };
            self.push(
                &label,
                CompletionKind::IamAction,
                action.access.clone(),
                &format!("{}\n\n{resources}", action.description),
                label.clone(),
                false,
            );
        }
    }

    /// The runtimes the enclosing project's image installs, with their versions.
    fn runtimes(&self, context: &Context) -> Vec<(String, Vec<String>)> {
        let project = context
            .label_of("project")
            .and_then(|label| self.analysis.program.projects.iter().find(|p| p.header.name == label));
        let image = project.and_then(|p| match &p.environment.image {
            Some(crate::resolve::model::Image {
                image: crate::resolve::model::ImageRef::Curated { family, version },
                ..
            }) => crate::data::codebuild_image(&family.identifier(version)),
            _ => None,
        });
        image
            .map(|i| i.runtimes.iter().map(|(n, v)| (n.clone(), v.clone())).collect())
            .unwrap_or_default()
    }

    /// The pipeline, stage and action the cursor is in, as the model has them.
    fn current_action(&self, context: &Context) -> Option<(usize, usize, Option<usize>)> {
        let pipeline_name = context.label_of("pipeline")?;
        let stage_label = context.label_of("stage")?;
        let program = &self.analysis.program;
        let pipeline = program.pipelines.iter().position(|p| p.header.name == pipeline_name)?;
        let stage = program.pipelines[pipeline]
            .stages
            .iter()
            .position(|s| s.label.value == stage_label)?;
        let action = context.label_of("action").and_then(|label| {
            program.pipelines[pipeline].stages[stage]
                .actions
                .iter()
                .position(|a| a.label.value == label)
        });
        Some((pipeline, stage, action))
    }

    /// Artifacts an action may take: produced in an earlier stage, or in its stage with a
    /// lower `run_order`.
    fn artifacts_before(&mut self, context: &Context) {
        let Some((pipeline, stage, action)) = self.current_action(context) else {
            return;
        };
        let program = &self.analysis.program;
        let run_order = action
            .and_then(|a| program.pipelines[pipeline].stages[stage].actions.get(a))
            .map_or(u32::MAX, |a| a.run_order());
        let Some(graph) = self.analysis.artifacts.get(pipeline) else {
            return;
        };
        let mut found = Vec::new();
        for (name, artifact) in &graph.artifacts {
            let at = artifact.producer.action;
            let producer_order = program.action(at).map_or(1, |a| a.run_order());
            if at.stage < stage || (at.stage == stage && producer_order < run_order) {
                let producer = program.action(at).map_or("", |a| a.label.value.as_str());
                found.push((name.clone(), format!("{}, from `{producer}`", artifact.producer.ty)));
            }
        }
        for (name, detail) in found {
            self.plain(&name, CompletionKind::Artifact, detail, "");
        }
    }

    /// The inputs of the action the cursor is in.
    fn inputs_of_action(&self, context: &Context) -> Vec<String> {
        let Some((pipeline, stage, Some(action))) = self.current_action(context) else {
            return Vec::new();
        };
        self.analysis.program.pipelines[pipeline].stages[stage].actions[action]
            .inputs
            .iter()
            .map(|i| i.value.clone())
            .collect()
    }
}

/// The phases the project already has.
fn phases_written(context: &Context) -> Vec<&str> {
    context
        .blocks
        .last()
        .map(|b| {
            b.written
                .iter()
                .filter(|(name, _)| name == "phase")
                .filter_map(|(_, label)| label.as_deref())
                .collect()
        })
        .unwrap_or_default()
}

/// What completing a member name writes: its form, with the cursor where the value goes.
fn member_snippet(spec: &MemberSpec) -> (String, bool) {
    let name = spec.name;
    let text = match spec.form {
        Form::Property => format!("{name} = $0"),
        Form::Block(_) | Form::Map(_) => format!("{name} {{\n\t$0\n}}"),
        Form::Statement => format!("{name} $0"),
        Form::Labelled {
            value: LabelValue::Required,
            body: Some(_),
        } => format!("{name} ${{1:name}} = $2 {{\n\t$0\n}}"),
        Form::Labelled {
            value: LabelValue::Required,
            body: None,
        } => format!("{name} ${{1:name}} = $0"),
        Form::Labelled { .. } => format!("{name} ${{1:name}} {{\n\t$0\n}}"),
    };
    (text, true)
}

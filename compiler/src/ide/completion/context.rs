//! Where the cursor is, read from the tokens before it: which blocks are open, what the
//! current member has so far, which argument or list element is being written. Completion runs
//! on text being typed, which rarely parses, so this reads tokens, not the tree.

use crate::diagnostics::Span;
use crate::syntax::token::Token;
use crate::vocabulary::{self, MemberSpec, ProviderSpec};

/// An open `{`: the member whose body it is.
#[derive(Clone, Debug, Default)]
pub(crate) struct Block {
    pub(crate) name: String,
    pub(crate) label: Option<String>,
    /// For `action NAME = provider(…) {`.
    pub(crate) provider: Option<String>,
    /// Members written in the block (before and after the cursor), with their labels.
    pub(crate) written: Vec<(String, Option<String>)>,
}

#[derive(Debug)]
pub(crate) enum Place {
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

pub(crate) struct Context {
    /// Open blocks, outermost first.
    pub(crate) blocks: Vec<Block>,
    pub(crate) place: Place,
    /// The partial word at the cursor.
    pub(crate) word: Span,
}

impl Context {
    pub(crate) fn read(source: &str, tokens: &[(Token, Span)], offset: usize) -> Context {
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
    pub(crate) fn block_members(&self) -> (Option<&'static [MemberSpec]>, Option<&'static ProviderSpec>) {
        // blocks[0] is the file; blocks[1] an item.
        let specs = match self.blocks.len() {
            0 | 1 => None,
            2 => vocabulary::item(&self.blocks[1].name).map(|item| item.members()),
            _ => self.block_spec().map(MemberSpec::members),
        };
        let provider = specs
            .and(self.blocks.last())
            .and_then(|block| block.provider.as_deref())
            .and_then(vocabulary::provider);
        (specs, provider)
    }

    /// The spec of the member whose body the innermost block is.
    pub(crate) fn block_spec(&self) -> Option<&'static MemberSpec> {
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
    pub(crate) fn member(&self, name: &str) -> Option<&'static MemberSpec> {
        if self.blocks.len() == 1 {
            return None;
        }
        self.block_members().0?.iter().find(|m| m.name == name)
    }

    /// The label of the open block named `name` (the pipeline's, the stage's…).
    pub(crate) fn label_of(&self, name: &str) -> Option<&str> {
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

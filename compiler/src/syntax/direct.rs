//! The grammar of [`super::parser`] read directly, by recursive descent, for files without
//! syntax errors (nearly every file, nearly every keystroke). It builds the same tree and gives
//! up at the first token the grammar would not accept; the chumsky grammar then reads the file
//! again with recovery and messages. It must accept only what the grammar accepts without an
//! error, and build the tree the grammar builds: `tests.rs` and the fuzz targets compare the two.
//! It does not backtrack, has no combinator layers, and moves string literals out of the
//! lexer's table instead of cloning them.

use super::ast::{Arg, Body, Expr, ExprKind, Ident, Member, MemberKind, Name, StrLit};
use super::lexer::duration_seconds;
use super::token::Token;
use crate::diagnostics::Span;

/// The file's members, or `None` where the file has a syntax error (or a shape this reader
/// leaves to the grammar). `tokens` holds no [`Token::Error`].
pub fn file(source: &str, tokens: &[(Token, Span)], strings: Vec<StrLit>) -> Option<Vec<Member>> {
    let mut reader = Reader {
        source,
        tokens,
        strings,
        at: 0,
        pending_members: Vec::new(),
        pending_args: Vec::new(),
        pending_items: Vec::new(),
    };
    let members = reader.members().ok()?;
    (reader.at == tokens.len()).then_some(members)
}

/// Why reading stopped: the file has a mistake here (or something this reader does not take).
struct Stop;

type Read<T> = Result<T, Stop>;

struct Reader<'a> {
    source: &'a str,
    tokens: &'a [(Token, Span)],
    strings: Vec<StrLit>,
    at: usize,
    // Stacks the lists being read are gathered on, so that each list is allocated once, at
    // its final length: no growth while reading, no spare capacity kept in the tree.
    pending_members: Vec<Member>,
    pending_args: Vec<Arg>,
    pending_items: Vec<Expr>,
}

impl Reader<'_> {
    fn peek(&self) -> Option<Token> {
        self.tokens.get(self.at).map(|(t, _)| *t)
    }

    fn peek_at(&self, ahead: usize) -> Option<Token> {
        self.tokens.get(self.at + ahead).map(|(t, _)| *t)
    }

    fn start(&self) -> usize {
        self.tokens.get(self.at).map_or(self.source.len(), |(_, s)| s.start)
    }

    /// The end of the last token read: where a node that began at `start` ends.
    fn end(&self) -> usize {
        self.tokens[self.at - 1].1.end
    }

    fn bump(&mut self) -> &(Token, Span) {
        let token = &self.tokens[self.at];
        self.at += 1;
        token
    }

    fn expect(&mut self, token: Token) -> Read<()> {
        if self.peek() == Some(token) {
            self.at += 1;
            Ok(())
        } else {
            Err(Stop)
        }
    }

    fn eat(&mut self, token: Token) -> bool {
        let found = self.peek() == Some(token);
        self.at += usize::from(found);
        found
    }

    fn ident(&mut self) -> Ident {
        let span = self.bump().1.clone();
        Ident {
            name: Name::from(&self.source[span.clone()]),
            span,
        }
    }

    fn string(&mut self, index: u32) -> StrLit {
        self.strings
            .get_mut(index as usize)
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Members up to a `}` or the end of the file.
    fn members(&mut self) -> Read<Vec<Member>> {
        let mark = self.pending_members.len();
        while matches!(self.peek(), Some(Token::Ident | Token::LineIdent | Token::Str(_))) {
            let member = self.member()?;
            self.pending_members.push(member);
        }
        Ok(self.pending_members.drain(mark..).collect())
    }

    fn member(&mut self) -> Read<Member> {
        let start = self.start();
        let name = match self.peek() {
            Some(Token::Ident | Token::LineIdent) => self.ident(),
            // A quoted name only at the start of a line, with `=` or `{` after it (`:` is an
            // error either way).
            Some(Token::Str(index)) => {
                let span = self.tokens[self.at].1.clone();
                let starts_line = self.source[..span.start]
                    .rsplit('\n')
                    .next()
                    .is_some_and(|l| l.trim().is_empty());
                if !starts_line || !matches!(self.peek_at(1), Some(Token::Eq | Token::LBrace)) {
                    return Err(Stop);
                }
                self.at += 1;
                self.string_name(index, span)
            }
            _ => return Err(Stop),
        };
        let kind = match self.peek() {
            // `name = { … }` is an error.
            Some(Token::Eq) if self.peek_at(1) == Some(Token::LBrace) => return Err(Stop),
            Some(Token::Eq) => {
                self.at += 1;
                MemberKind::Property(self.value()?)
            }
            Some(Token::LBrace) => MemberKind::Block {
                label: None,
                value: None,
                body: Some(self.body()?),
            },
            Some(Token::Ident | Token::Str(_)) if matches!(self.peek_at(1), Some(Token::Eq | Token::LBrace)) => {
                let label = match self.peek() {
                    Some(Token::Str(index)) => {
                        let span = self.bump().1.clone();
                        self.string_name(index, span)
                    }
                    _ => self.ident(),
                };
                // After a label, `=` must be followed by a value: a `{` there is an error.
                let value = if self.eat(Token::Eq) { Some(self.value()?) } else { None };
                let body = if self.peek() == Some(Token::LBrace) {
                    Some(self.body()?)
                } else {
                    None
                };
                MemberKind::Block {
                    label: Some(label),
                    value,
                    body,
                }
            }
            _ => {
                let mut args = vec![self.value()?];
                while self.eat(Token::Comma) {
                    args.push(self.expr()?);
                }
                MemberKind::Statement(args)
            }
        };
        self.eat(Token::Semi);
        Ok(Member {
            name,
            kind,
            span: start..self.end(),
        })
    }

    fn body(&mut self) -> Read<Body> {
        let start = self.start();
        self.expect(Token::LBrace)?;
        let members = self.members()?;
        self.expect(Token::RBrace)?;
        Ok(Body {
            members,
            span: start..self.end(),
        })
    }

    /// A value after `=` or a statement's first argument: a name there must continue the line.
    fn value(&mut self) -> Read<Expr> {
        if self.peek() == Some(Token::LineIdent) {
            return Err(Stop);
        }
        self.expr()
    }

    fn expr(&mut self) -> Read<Expr> {
        let start = self.start();
        let kind = match self.peek().ok_or(Stop)? {
            Token::Str(index) => {
                self.at += 1;
                ExprKind::Str(self.string(index))
            }
            Token::True => {
                self.at += 1;
                ExprKind::Bool(true)
            }
            Token::False => {
                self.at += 1;
                ExprKind::Bool(false)
            }
            Token::Number => ExprKind::Number(self.ident().name.as_str().to_owned()),
            // Invalid durations were reported by the lexer; they read as an invalid value.
            Token::Duration => {
                let span = self.bump().1.clone();
                duration_seconds(&self.source[span]).map_or(ExprKind::Error, ExprKind::Duration)
            }
            Token::Ident | Token::LineIdent => {
                let name = self.ident();
                if self.peek() == Some(Token::LParen) {
                    ExprKind::Call {
                        callee: name,
                        args: self.args()?,
                    }
                } else {
                    ExprKind::Name(name)
                }
            }
            Token::LBracket => {
                self.at += 1;
                let mark = self.pending_items.len();
                while self.peek() != Some(Token::RBracket) {
                    let item = self.expr()?;
                    self.pending_items.push(item);
                    if !self.eat(Token::Comma) {
                        break;
                    }
                }
                self.expect(Token::RBracket)?;
                ExprKind::List(self.pending_items.drain(mark..).collect())
            }
            _ => return Err(Stop),
        };
        let mut expr = Expr {
            kind,
            span: start..self.end(),
        };
        while self.peek() == Some(Token::Dot) {
            self.at += 1;
            if !matches!(self.peek(), Some(Token::Ident | Token::LineIdent)) {
                return Err(Stop);
            }
            let field = self.ident();
            expr = Expr {
                kind: ExprKind::Field(Box::new(expr), field),
                span: start..self.end(),
            };
        }
        Ok(expr)
    }

    /// `( [name =] value, … )`, a trailing comma allowed.
    fn args(&mut self) -> Read<Vec<Arg>> {
        self.expect(Token::LParen)?;
        let mark = self.pending_args.len();
        while self.peek() != Some(Token::RParen) {
            let name =
                if matches!(self.peek(), Some(Token::Ident | Token::LineIdent)) && self.peek_at(1) == Some(Token::Eq) {
                    let name = self.ident();
                    self.at += 1;
                    Some(name)
                } else {
                    None
                };
            let value = self.expr()?;
            self.pending_args.push(Arg { name, value });
            if !self.eat(Token::Comma) {
                break;
            }
        }
        self.expect(Token::RParen)?;
        Ok(self.pending_args.drain(mark..).collect())
    }

    fn string_name(&self, index: u32, span: Span) -> Ident {
        super::parser::string_name(self.source, &self.strings, index, span.into())
    }
}

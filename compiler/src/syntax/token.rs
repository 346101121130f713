//! Tokens as the parser sees them. Literal values (decoded strings) live in side tables of
//! [`super::lexer::Lexed`] so that a token is a small `Copy` value.

use std::fmt;

/// Index into [`super::lexer::Lexed::strings`].
pub type StrId = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Token {
    Ident,
    /// An identifier that is the first token on its line (see the parser: a value after `=`
    /// must start on the line of the `=`).
    LineIdent,
    True,
    False,
    Number,
    Duration,
    Str(StrId),
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Eq,
    Comma,
    Dot,
    Colon,
    Semi,
    /// Text the lexer could not read; already reported, skipped by the parser's recovery.
    Error,
}

impl Token {
    /// How the token is named in "expected …, found …" messages.
    pub fn describe(self) -> &'static str {
        match self {
            Token::Ident | Token::LineIdent => "identifier",
            Token::True | Token::False => "boolean",
            Token::Number => "number",
            Token::Duration => "duration",
            Token::Str(_) => "string",
            Token::LBrace => "`{`",
            Token::RBrace => "`}`",
            Token::LParen => "`(`",
            Token::RParen => "`)`",
            Token::LBracket => "`[`",
            Token::RBracket => "`]`",
            Token::Eq => "`=`",
            Token::Comma => "`,`",
            Token::Dot => "`.`",
            Token::Colon => "`:`",
            Token::Semi => "`;`",
            Token::Error => "invalid text",
        }
    }

    /// The closing delimiter for an opening one.
    pub fn closer(self) -> Option<Token> {
        match self {
            Token::LBrace => Some(Token::RBrace),
            Token::LParen => Some(Token::RParen),
            Token::LBracket => Some(Token::RBracket),
            _ => None,
        }
    }

    pub fn is_closer(self) -> bool {
        matches!(self, Token::RBrace | Token::RParen | Token::RBracket)
    }

    /// The source text of a punctuation token.
    pub fn text(self) -> &'static str {
        match self {
            Token::LBrace => "{",
            Token::RBrace => "}",
            Token::LParen => "(",
            Token::RParen => ")",
            Token::LBracket => "[",
            Token::RBracket => "]",
            Token::Eq => "=",
            Token::Comma => ",",
            Token::Dot => ".",
            Token::Colon => ":",
            Token::Semi => ";",
            _ => "",
        }
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

//! The chumsky grammar over the balanced token stream. Recovery happens at two levels: a
//! brace body that fails inside is skipped as a whole (`nested_delimiters`), and a member that
//! fails is skipped token group by token group until the next member parses
//! (`skip_then_retry_until`), so one bad line never hides its valid siblings.

use super::ast::{Arg, Body, Expr, ExprKind, Ident, Member, MemberKind, StrLit};
use super::lexer::duration_seconds;
use super::token::Token;
use chumsky::error::LabelError;
use chumsky::input::ValueInput;
use chumsky::prelude::*;
use chumsky::util::MaybeRef;
use chumsky::DefaultExpected;

pub type ParseError<'a> = Rich<'a, Token, SimpleSpan>;
type Extra<Er> = extra::Err<Er>;

/// The error types the grammar runs with: `Rich` for messages, and a zero-cost one for the
/// first attempt (a clean file, the common case, never builds error values).
pub trait ParseErr<'a, I: Input<'a>>: chumsky::error::Error<'a, I> + LabelError<'a, I, &'static str> + 'a {}
impl<'a, I: Input<'a>, T> ParseErr<'a, I> for T where
    T: chumsky::error::Error<'a, I> + LabelError<'a, I, &'static str> + 'a
{
}

/// "expected `expected`, found `found`" in whatever error type the grammar runs with.
fn expected_found<'a, I, Er>(expected: &[Token], found: Option<Token>, span: SimpleSpan) -> Er
where
    I: ValueInput<'a, Token = Token, Span = SimpleSpan>,
    Er: ParseErr<'a, I>,
{
    <Er as LabelError<'a, I, DefaultExpected<'a, Token>>>::expected_found(
        expected.iter().map(|t| DefaultExpected::Token(MaybeRef::Val(*t))),
        found.map(MaybeRef::Val),
        span,
    )
}

/// The whole file: members up to the end of input.
pub fn file<'a, I, Er>(source: &'a str, strings: &'a [StrLit]) -> impl Parser<'a, I, Vec<Member>, Extra<Er>>
where
    I: ValueInput<'a, Token = Token, Span = SimpleSpan>,
    Er: ParseErr<'a, I>,
{
    member(source, strings)
        .repeated()
        .collect::<Vec<_>>()
        .map(|members| members.into_iter().flatten().collect())
        .then_ignore(end().labelled("end of file"))
}

/// The name a string written where a name belongs stands for: its characters that cannot be
/// in a name become `_` (`"unit-tests"` → `unit_tests`), so references to that name resolve.
pub(super) fn string_name(source: &str, strings: &[StrLit], index: u32, span: SimpleSpan) -> Ident {
    let text = strings
        .get(index as usize)
        .and_then(StrLit::as_plain)
        .unwrap_or_else(|| text_of(source, span));
    let mut name: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        name.insert(0, '_');
    }
    Ident {
        name: name.into(),
        span: span.into_range(),
    }
}

fn text_of(source: &str, span: SimpleSpan) -> String {
    source[span.start..span.end].to_string()
}

fn ident_at(source: &str, span: SimpleSpan) -> Ident {
    Ident {
        name: source[span.start..span.end].into(),
        span: span.into_range(),
    }
}

/// A member, or `None` where a broken one was skipped (its error is kept).
fn member<'a, I, Er>(source: &'a str, strings: &'a [StrLit]) -> impl Parser<'a, I, Option<Member>, Extra<Er>> + Clone
where
    I: ValueInput<'a, Token = Token, Span = SimpleSpan>,
    Er: ParseErr<'a, I>,
{
    // Any identifier, and one that continues the current line (not the first on its line):
    // a value after `=`, a label or a statement's first argument must be on the same line,
    // so a missing value is reported where it is missing, not on the next line.
    let any_ident =
        select! { Token::Ident = e => ident_at(source, e.span()), Token::LineIdent = e => ident_at(source, e.span()) }
            .labelled("name");
    // A label written as a string (`stage "Source" {`, or a dashed word the lexer read as one)
    // still labels the block, so its body is checked; the checker reports the quotes.
    let same_line_label = select! {
        Token::Ident = e => ident_at(source, e.span()),
        Token::Str(index) = e => string_name(source, strings, index, e.span()),
    }
    .labelled("name");

    // A member name in quotes (`"name" = "app"`, the JSON habit) at the start of a line with a
    // value or block after it: read as the name, so the member is checked; the checker
    // reports the quotes.
    let member_name = any_ident.or(select! { Token::Str(index) = e => (index, e.span()) }
        .try_map(move |(index, span): (u32, SimpleSpan), _| {
            let starts_line = source[..span.start]
                .rsplit('\n')
                .next()
                .is_some_and(|l| l.trim().is_empty());
            if !starts_line {
                return Err(expected_found::<I, Er>(&[], Some(Token::Str(index)), span));
            }
            Ok(string_name(source, strings, index, span))
        })
        .then_ignore(one_of([Token::Eq, Token::LBrace, Token::Colon]).rewind()));

    let expr = expression(source, strings, any_ident);
    let value = first_arg(expr.clone()).labelled("value");

    recursive(move |member| {
        let body = just(Token::LBrace)
            .ignore_then(member.repeated().collect::<Vec<Option<Member>>>())
            .then_ignore(just(Token::RBrace))
            .map_with(|members, e| {
                let members = members.into_iter().flatten().collect();
                let span: SimpleSpan = e.span();
                Body {
                    members,
                    span: span.into_range(),
                }
            })
            .recover_with(via_parser(nested_delimiters(
                Token::LBrace,
                Token::RBrace,
                [(Token::LParen, Token::RParen), (Token::LBracket, Token::RBracket)],
                |span: SimpleSpan| Body {
                    members: Vec::new(),
                    span: span.into_range(),
                },
            )))
            .labelled("`{`");

        // `name = value`; `name: value` is accepted with an error so the rest still checks.
        let property = just(Token::Eq)
            .ignore_then(value.clone())
            .or(just(Token::Colon)
                .map_with(|_, e| e.span())
                .validate(|span: SimpleSpan, _, emitter| {
                    emitter.emit(expected_found::<I, Er>(&[Token::Eq], Some(Token::Colon), span));
                    span
                })
                .ignore_then(value.clone()))
            .map(MemberKind::Property);

        // `environment = { … }` (the HCL habit): a block, with an error at the `=`.
        let eq_block = just(Token::Eq)
            .map_with(|_, e| e.span())
            .validate(|span: SimpleSpan, _, emitter| {
                emitter.emit(expected_found::<I, Er>(&[Token::LBrace], Some(Token::Eq), span));
                span
            })
            .ignore_then(body.clone())
            .map(|body| MemberKind::Block {
                label: None,
                value: None,
                body: Some(body),
            });

        let unlabelled_block = body.clone().map(|body| MemberKind::Block {
            label: None,
            value: None,
            body: Some(body),
        });

        let labelled_block = same_line_label
            .then(just(Token::Eq).ignore_then(value.clone()).or_not())
            .then(body.clone().or_not())
            .try_map(|((label, value), body), span| {
                if value.is_none() && body.is_none() {
                    // Not a labelled block: let the statement form have it.
                    Err(expected_found::<I, Er>(&[Token::Eq, Token::LBrace], None, span))
                } else {
                    Ok(MemberKind::Block {
                        label: Some(label),
                        value,
                        body,
                    })
                }
            });

        let statement = value
            .clone()
            .then(
                just(Token::Comma)
                    .ignore_then(expr.clone())
                    .repeated()
                    .collect::<Vec<_>>(),
            )
            .map(|(first, mut rest)| {
                rest.insert(0, first);
                MemberKind::Statement(rest)
            });

        member_name
            .then(
                choice((eq_block, property, unlabelled_block, labelled_block, statement))
                    .labelled("`=`, `{` or a value"),
            )
            .then_ignore(just(Token::Semi).or_not())
            .map_with(|(name, kind), e| {
                let span: SimpleSpan = e.span();
                Some(Member {
                    name,
                    kind,
                    span: span.into_range(),
                })
            })
            .labelled("member")
            // Skip the broken member up to the next line that starts with a name (or the end
            // of the block), keeping its error.
            .recover_with(via_parser(
                token_group(true).then(token_group(false).repeated()).to(None),
            ))
    })
}

/// A value after `=` or a statement's first argument: any expression, but one that starts
/// with a name must start on the same line.
fn first_arg<'a, I, Er, P>(expr: P) -> impl Parser<'a, I, Expr, Extra<Er>> + Clone
where
    I: ValueInput<'a, Token = Token, Span = SimpleSpan>,
    Er: ParseErr<'a, I>,
    P: Parser<'a, I, Expr, Extra<Er>> + Clone,
{
    select! { Token::LineIdent => () }.not().ignore_then(expr)
}

/// One token, or a whole balanced group: what recovery skips at a time. Unless `line_start`
/// is allowed, a name that begins a line is not skipped: it probably begins the next member.
fn token_group<'a, I, Er>(line_start: bool) -> impl Parser<'a, I, (), Extra<Er>> + Clone
where
    I: ValueInput<'a, Token = Token, Span = SimpleSpan>,
    Er: ParseErr<'a, I>,
{
    let group = recursive(|group| {
        let delimited = |open: Token, close: Token| {
            just(open)
                .ignore_then(group.clone().repeated())
                .then_ignore(just(close))
                .ignored()
        };
        choice((
            delimited(Token::LBrace, Token::RBrace),
            delimited(Token::LParen, Token::RParen),
            delimited(Token::LBracket, Token::RBracket),
            none_of([
                Token::LBrace,
                Token::RBrace,
                Token::LParen,
                Token::RParen,
                Token::LBracket,
                Token::RBracket,
            ])
            .ignored(),
        ))
    });
    select! { Token::LineIdent => () }
        .filter(move |_| !line_start)
        .not()
        .ignore_then(group)
}

fn expression<'a, I, Er, A>(
    source: &'a str,
    strings: &'a [StrLit],
    any_ident: A,
) -> impl Parser<'a, I, Expr, Extra<Er>> + Clone
where
    I: ValueInput<'a, Token = Token, Span = SimpleSpan>,
    Er: ParseErr<'a, I>,
    A: Parser<'a, I, Ident, Extra<Er>> + Clone + 'a,
{
    recursive(move |expr| {
        let literal = select! {
            Token::Str(id) => ExprKind::Str(strings.get(id as usize).cloned().unwrap_or_default()),
            Token::True => ExprKind::Bool(true),
            Token::False => ExprKind::Bool(false),
            Token::Number = e => ExprKind::Number(text_of(source, e.span())),
            // Invalid durations were reported by the lexer; they read as an invalid value here.
            Token::Duration = e => match duration_seconds(&text_of(source, e.span())) {
                Ok(seconds) => ExprKind::Duration(seconds),
                Err(_) => ExprKind::Error,
            },
        }
        .labelled("value");

        let arg = any_ident
            .clone()
            .then_ignore(just(Token::Eq))
            .or_not()
            .then(expr.clone())
            .map(|(name, value)| Arg { name, value })
            .labelled("argument");

        let args = arg
            .separated_by(just(Token::Comma))
            .allow_trailing()
            .collect::<Vec<_>>()
            .delimited_by(just(Token::LParen), just(Token::RParen))
            .recover_with(via_parser(nested_delimiters(
                Token::LParen,
                Token::RParen,
                [(Token::LBrace, Token::RBrace), (Token::LBracket, Token::RBracket)],
                |_| Vec::new(),
            )));

        // Inside brackets and parentheses, names may start lines freely.
        let name_or_call = any_ident
            .clone()
            .then(args.clone().or_not())
            .map(|(name, args)| match args {
                Some(args) => ExprKind::Call { callee: name, args },
                None => ExprKind::Name(name),
            });

        let list = expr
            .clone()
            .separated_by(just(Token::Comma))
            .allow_trailing()
            .collect::<Vec<_>>()
            .delimited_by(just(Token::LBracket), just(Token::RBracket))
            .map(ExprKind::List)
            .recover_with(via_parser(nested_delimiters(
                Token::LBracket,
                Token::RBracket,
                [(Token::LBrace, Token::RBrace), (Token::LParen, Token::RParen)],
                |_| ExprKind::Error,
            )));

        let atom = choice((literal, name_or_call, list))
            .map_with(|kind, e| {
                let span: SimpleSpan = e.span();
                Expr {
                    kind,
                    span: span.into_range(),
                }
            })
            .labelled("value");

        atom.foldl_with(
            just(Token::Dot).ignore_then(any_ident.clone()).repeated(),
            |base, field, e| {
                let span: SimpleSpan = e.span();
                Expr {
                    kind: ExprKind::Field(Box::new(base), field),
                    span: span.into_range(),
                }
            },
        )
    })
}

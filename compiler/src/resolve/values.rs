//! Reading typed values out of expressions: text (with interpolation, parameters and `let`s),
//! booleans, durations, integers, enum values, references and lists. Each reader reports what
//! is wrong with a code and a span and returns `None`, so lowering goes on.

use super::index::{Reference, Target};
use super::model::{At, ItemId, Kind, Loc, Piece, Text};
use super::symbols::Symbols;
use super::Gaps;
use crate::diagnostics::{did_you_mean, Applicability, Code, Diagnostic, Edit, FileId, Fix};
use crate::syntax::ast::Name;
use crate::syntax::ast::{self, Expr, ExprKind, Ident, StrPart};
use crate::vocabulary::Enumerated;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

/// The value a stage template's parameter has in the stage being lowered: the expression the
/// instance (or the default) gives, in its file; `None` when none was given (reported at the
/// instance).
pub type Bound<'a> = Option<(FileId, &'a Expr)>;

/// While a stage made from a template is lowered: its parameters' values.
pub struct Scope<'a> {
    pub template: usize,
    pub values: HashMap<Name, Bound<'a>>,
}

/// Reads a value through a template parameter: when `$expr` is a parameter's name, the
/// reader returns what `$read` makes of the value given for it.
macro_rules! through_parameter {
    ($reader:ident, $expr:expr, $read:expr) => {
        if let Some(bound) = $reader.bound($expr) {
            return $reader.in_argument(bound, $expr, $read);
        }
    };
}
pub(crate) use through_parameter;

pub struct Reader<'a> {
    pub symbols: &'a Symbols,
    /// `let` values by name: (file, expression).
    pub lets: &'a HashMap<Name, (FileId, &'a Expr)>,
    pub file: FileId,
    pub out: Vec<Diagnostic>,
    /// Where values did not resolve, and members left unread.
    pub gaps: &'a mut Gaps,
    /// Every name resolved (or not) where it is written.
    pub references: Vec<Reference>,
    /// Names defined by other programs checked in the same run, with the file that defines
    /// each: an unknown name found there is pointed at.
    pub elsewhere: &'a BTreeMap<String, String>,
    /// While above zero, diagnostics are dropped (a `let` is reported where it is defined,
    /// not again at each use).
    pub quiet: u32,
    pub used: &'a mut HashSet<ItemId>,
    /// Each `let`'s value, expanded once (`expand_lets`); `None` where it does not resolve.
    pub let_values: HashMap<String, Option<Vec<Piece>>>,
    /// The template parameters in scope, while a stage made from a template is lowered.
    pub scope: Option<Scope<'a>>,
    /// Parameters read, per template: (template, name).
    pub parameters_used: HashSet<(usize, String)>,
    /// Each stage template's definition, by template index.
    pub templates: &'a [(FileId, &'a ast::Member)],
    /// The stages made from templates so far.
    pub instances: Vec<super::model::Instance>,
    /// The pipeline being lowered (its item name), for the instances it makes.
    pub pipeline: String,
    /// Templates with a mistake found in a stage made from them: their parameters may be
    /// unread because of it.
    pub troubled_templates: HashSet<usize>,
}

/// A short description of what an expression is, for "found …".
pub fn describe(expr: &Expr) -> &'static str {
    match &expr.kind {
        ExprKind::Str(_) => "a string",
        ExprKind::Number(_) => "a number",
        ExprKind::Duration(_) => "a duration",
        ExprKind::Bool(_) => "a boolean",
        ExprKind::Name(_) => "a name",
        ExprKind::Field(..) => "a field",
        ExprKind::Call { .. } => "a call",
        ExprKind::List(_) => "a list",
        ExprKind::Error => "an invalid value",
    }
}

impl<'a> Reader<'a> {
    /// The value of the template parameter `expr` names, if it is one in scope.
    pub fn bound(&mut self, expr: &Expr) -> Option<Bound<'a>> {
        let ExprKind::Name(ident) = &expr.kind else {
            return None;
        };
        self.bound_name(ident)
    }

    pub fn bound_name(&mut self, ident: &Ident) -> Option<Bound<'a>> {
        let scope = self.scope.as_ref()?;
        let bound = *scope.values.get(ident.name.as_str())?;
        self.parameters_used
            .insert((scope.template, ident.name.as_str().to_owned()));
        Some(bound)
    }

    /// Reads a parameter's value where it is written (its file, outside the template's scope).
    /// A value not given reads as nothing, quietly: it was reported at the instance.
    pub fn in_argument<T>(
        &mut self,
        bound: Bound<'a>,
        used: &Expr,
        read: impl FnOnce(&mut Self, &'a Expr) -> Option<T>,
    ) -> Option<T> {
        let Some((file, value)) = bound else {
            self.gaps.unresolved.push(self.loc(&used.span));
            return None;
        };
        let scope = self.scope.take();
        let saved = std::mem::replace(&mut self.file, file);
        let read = read(self, value);
        self.file = saved;
        self.scope = scope;
        // A value that did not resolve leaves a gap where the template reads it too, so
        // what needed it there (a required setting, the stage's wiring) stays quiet.
        if read.is_none() {
            self.gaps.unresolved.push(self.loc(&used.span));
        }
        read
    }

    /// The parameters in scope, for "did you mean".
    pub fn parameter_names(&self) -> Vec<Name> {
        let mut names: Vec<Name> = self.scope.iter().flat_map(|s| s.values.keys().cloned()).collect();
        names.sort();
        names
    }

    /// Reports a problem with a value; an error leaves the value out of the model.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        if self.quiet == 0 {
            if diagnostic.is_error() {
                self.gaps.unresolved.push(Loc {
                    file: diagnostic.primary.file,
                    span: diagnostic.primary.span.clone(),
                });
            }
            self.out.push(diagnostic);
        }
    }

    /// Reports a member that is not lowered at all (a second `phase build`, a second
    /// `output`): what it holds is unread.
    pub fn skip(&mut self, diagnostic: Diagnostic) {
        self.gaps.unread.push(Loc {
            file: diagnostic.primary.file,
            span: diagnostic.primary.span.clone(),
        });
        self.out.push(diagnostic);
    }

    pub fn loc(&self, span: &std::ops::Range<usize>) -> Loc {
        Loc {
            file: self.file,
            span: span.clone(),
        }
    }

    pub fn at<T>(&self, value: T, span: &std::ops::Range<usize>) -> At<T> {
        At {
            value,
            loc: self.loc(span),
        }
    }

    /// A name that is not one of `options`: reported with the options, and a fix for a near miss.
    pub fn unknown_choice<'o>(
        &mut self,
        code: Code,
        message: impl Into<String>,
        name: &Ident,
        label: &str,
        note: impl Into<String>,
        options: impl IntoIterator<Item = &'o str>,
    ) {
        let mut diagnostic = Diagnostic::new(code, message, self.file, name.span.clone(), label).with_note(note);
        if let Some(suggestion) = did_you_mean(&name.name, options) {
            diagnostic =
                diagnostic.with_suggestion(format!("replace with `{suggestion}`"), name.span.clone(), suggestion);
        }
        self.report(diagnostic);
    }

    pub fn wrong_type(&mut self, expr: &Expr, expected: &str) {
        if matches!(expr.kind, ExprKind::Error) {
            return;
        }
        let mut diagnostic = Diagnostic::new(
            Code::WrongType,
            format!("expected {expected}, found {}", describe(expr)),
            self.file,
            expr.span.clone(),
            format!("expected {expected}"),
        );
        match &expr.kind {
            ExprKind::Number(text) if expected.contains("string") => {
                diagnostic = diagnostic
                    .with_help("versions and names are strings: a number like 3.10 would lose its trailing zero")
                    .with_fix("quote it", expr.span.clone(), format!("\"{text}\""));
            }
            ExprKind::Name(ident) if expected.contains("string") && self.symbols.get(&ident.name).is_none() => {
                diagnostic = diagnostic.with_fix("quote it", expr.span.clone(), format!("\"{}\"", ident.name));
            }
            _ => {}
        }
        self.report(diagnostic);
    }

    /// Keeps where a name is written and what it resolved to (not while a `let` is expanded:
    /// its names are kept where the `let` is defined).
    fn record(&mut self, ident: &Ident, target: Option<Target>, field: Option<&Ident>) {
        if self.quiet > 0 {
            return;
        }
        let field = field.map(|f| self.at(f.name.clone(), &f.span));
        self.references.push(Reference {
            name: ident.name.clone(),
            loc: self.loc(&ident.span),
            target,
            field,
        });
    }

    /// Resolves a name to an item, marking it used; reports unknown names. `field` is the
    /// field written after it (`${{ repo.uri }}`), kept with the reference.
    pub fn resolve(&mut self, ident: &Ident, expected: Option<Kind>, field: Option<&Ident>) -> Option<ItemId> {
        let found = self.symbols.get(&ident.name).map(|s| s.id);
        self.record(ident, found.map(Target::Item), field);
        match found {
            Some(id) => {
                self.used.insert(id);
                Some(id)
            }
            None => {
                let what = expected.map_or("item".to_string(), |k| k.keyword().to_string());
                let mut diagnostic = Diagnostic::new(
                    Code::UnknownName,
                    format!("no {what} named `{}`", ident.name),
                    self.file,
                    ident.span.clone(),
                    "not defined",
                );
                // A fix only names an item of the kind wanted; a near miss of another kind is
                // worth saying, not worth writing in. In a template, its parameters are names too.
                let parameters = self.parameter_names();
                if let Some(parameter) = did_you_mean(&ident.name, parameters.iter().map(Name::as_str)) {
                    diagnostic = diagnostic
                        .with_suggestion(
                            format!("replace with the parameter `{parameter}`"),
                            ident.span.clone(),
                            parameter,
                        )
                        .with_note(format!("the template's parameters: {}", parameters.join(", ")));
                } else if let Some(suggestion) = self.symbols.suggest(&ident.name, expected) {
                    // The item meant is used by the misspelled name: not reported unused as well.
                    if let Some(meant) = self.symbols.get(&suggestion) {
                        self.used.insert(meant.id);
                    }
                    diagnostic = diagnostic.with_suggestion(
                        format!("replace with `{suggestion}`"),
                        ident.span.clone(),
                        suggestion,
                    );
                } else if let Some(kind) = expected {
                    let other = self
                        .symbols
                        .suggest(&ident.name, None)
                        .and_then(|name| self.symbols.get(&name).map(|s| (name, s.id.kind)));
                    diagnostic = match other {
                        Some((name, other_kind)) => diagnostic.with_help(format!(
                            "`{name}` is {}, not {}",
                            other_kind.article(),
                            kind.article()
                        )),
                        None if self.elsewhere.contains_key(ident.name.as_str()) => diagnostic,
                        None => diagnostic.with_help(format!("define it: `{} {} {{ … }}`", kind.keyword(), ident.name)),
                    };
                }
                if let Some(file) = self.elsewhere.get(ident.name.as_str()) {
                    diagnostic = diagnostic.with_note(format!(
                        "`{}` is defined in `{file}`, which is checked as a program of its own: put a `cruddur.toml` in the folder that holds both files to make them one program",
                        ident.name
                    ));
                }
                self.report(diagnostic);
                None
            }
        }
    }

    /// A reference to an item of `kind`.
    pub fn reference(&mut self, expr: &Expr, kind: Kind) -> Option<At<usize>> {
        through_parameter!(self, expr, |r, value| r.reference(value, kind));
        let ExprKind::Name(ident) = &expr.kind else {
            // `ecs("web")`: the item's name, quoted.
            if let ExprKind::Str(lit) = &expr.kind {
                if let Some(name) = lit
                    .as_plain()
                    .filter(|n| self.symbols.get(n).is_some_and(|s| s.id.kind == kind))
                {
                    if let Some(symbol) = self.symbols.get(&name) {
                        self.used.insert(symbol.id); // it is used, just written wrongly
                    }
                    self.report(
                        Diagnostic::new(
                            Code::WrongType,
                            format!("`{name}` is {}: refer to it by name, without quotes", kind.article()),
                            self.file,
                            expr.span.clone(),
                            "quoted",
                        )
                        .with_fix("remove the quotes", expr.span.clone(), name),
                    );
                    return None;
                }
                // `pushes = ["backend-flask"]`: the AWS name of an item, for the item.
                if let Some(written) = lit.as_plain() {
                    let mut items: Vec<(&String, _)> = self
                        .symbols
                        .by_name
                        .iter()
                        .filter(|(_, s)| s.id.kind == kind && s.aws_name.as_deref() == Some(written.as_str()))
                        .map(|(name, s)| (name, s.id))
                        .collect();
                    items.sort();
                    if let [(name, id)] = items.as_slice() {
                        let (name, id) = ((*name).clone(), *id);
                        self.used.insert(id);
                        self.report(
                            Diagnostic::new(
                                Code::WrongType,
                                format!(
                                    "`{written}` is the AWS name of {} `{name}`: refer to the item by its name",
                                    kind.keyword()
                                ),
                                self.file,
                                expr.span.clone(),
                                "an AWS name",
                            )
                            .with_fix(
                                format!("refer to `{name}`"),
                                expr.span.clone(),
                                name,
                            ),
                        );
                        return None;
                    }
                }
            }
            self.wrong_type(expr, &format!("the name of {}", kind.article()));
            return None;
        };
        self.reference_ident(ident, kind)
    }

    pub fn reference_ident(&mut self, ident: &Ident, kind: Kind) -> Option<At<usize>> {
        let id = self.resolve(ident, Some(kind), None)?;
        if id.kind != kind {
            if self
                .symbols
                .duplicate_kinds
                .contains(&(ident.name.as_str().to_owned(), kind))
            {
                // The name is taken twice, once by an item of the kind wanted: reported there.
                let at = self.loc(&ident.span);
                self.gaps.unresolved.push(at);
                return None;
            }
            let loc = &self.symbols.get(&ident.name)?.loc;
            self.report(
                Diagnostic::new(
                    Code::WrongKind,
                    format!(
                        "expected {}, but `{}` is {}",
                        kind.article(),
                        ident.name,
                        id.kind.article()
                    ),
                    self.file,
                    ident.span.clone(),
                    format!("not {}", kind.article()),
                )
                .with_secondary(
                    loc.file,
                    loc.span.clone(),
                    format!("`{}` is defined here", ident.name),
                ),
            );
            return None;
        }
        Some(self.at(id.index, &ident.span))
    }

    /// A string, `${{ … }}` interpolation, a `param`, a `let` or an `item.field`.
    pub fn text(&mut self, expr: &Expr) -> Option<Text> {
        through_parameter!(self, expr, |r, value| r.text(value));
        let loc = self.loc(&expr.span);
        match &expr.kind {
            ExprKind::Str(lit) => {
                // Every interpolation is checked, even after one fails.
                let mut pieces = Vec::new();
                let mut valid = true;
                for part in &lit.parts {
                    match part {
                        StrPart::Text(text) => pieces.push(Piece::Lit(text.clone())),
                        StrPart::Interp(interp) => {
                            let piece_loc = self.loc(&interp.span);
                            match self.path(&interp.path, piece_loc) {
                                Some(resolved) => pieces.extend(resolved),
                                None => valid = false,
                            }
                        }
                    }
                }
                valid.then_some(Text { pieces, loc })
            }
            ExprKind::Name(ident) => {
                let pieces = self.path(std::slice::from_ref(ident), loc.clone())?;
                Some(Text { pieces, loc })
            }
            ExprKind::Field(base, field) => {
                let ExprKind::Name(item) = &base.kind else {
                    self.wrong_type(expr, "a string");
                    return None;
                };
                let pieces = self.path(&[item.clone(), field.clone()], loc.clone())?;
                Some(Text { pieces, loc })
            }
            _ => {
                self.wrong_type(expr, "a string");
                None
            }
        }
    }

    /// A literal string (no interpolation) with its span.
    pub fn literal(&mut self, expr: &Expr, what: &str) -> Option<At<String>> {
        let text = self.text(expr)?;
        match text.literal() {
            Some(value) => Some(At {
                value: value.into_owned(),
                loc: text.loc,
            }),
            None => {
                self.report(Diagnostic::new(
                    Code::WrongType,
                    format!("{what} must be written out, without interpolation"),
                    self.file,
                    expr.span.clone(),
                    "interpolated",
                ));
                None
            }
        }
    }

    /// `item.field`, `param`, `let` or `aws.field`, as text pieces.
    fn path(&mut self, path: &[Ident], loc: Loc) -> Option<Vec<Piece>> {
        let head = path.first()?;
        if let Some(bound) = self.bound_name(head) {
            if path.len() > 1 {
                return self.parameter_field(head, bound, path, loc);
            }
            let used = Expr {
                kind: ExprKind::Name(head.clone()),
                span: head.span.clone(),
            };
            return self
                .in_argument(bound, &used, |r, value| r.text(value))
                .map(|text| text.pieces);
        }
        if head.name == "aws" {
            let field = path.get(1);
            self.record(head, Some(Target::Aws), field);
            let fields = crate::vocabulary::item("aws").map_or(&[][..], |aws| aws.fields);
            let known = field.and_then(|f| fields.iter().find(|spec| spec.name == f.name));
            return match known {
                Some(spec) if path.len() == 2 => Some(vec![Piece::Aws { field: spec.field, loc }]),
                _ => {
                    let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
                    self.unknown_field("aws", &names, path.get(1).unwrap_or(head));
                    None
                }
            };
        }
        if let Some(id) = self
            .symbols
            .get(&head.name)
            .map(|s| s.id)
            .filter(|id| id.kind == Kind::Let)
        {
            self.used.insert(id);
            self.record(head, Some(Target::Item(id)), None);
            if let Some(extra) = path.get(1) {
                self.unknown_field(&head.name, &[], extra);
                return None;
            }
            return self.expand_let(head);
        }
        let id = self.resolve(head, None, path.get(1))?;
        self.item_fields(head, id, path, loc)
    }

    /// The text of `item` or `item.field` for a resolved item.
    fn item_fields(&mut self, head: &Ident, id: ItemId, path: &[Ident], loc: Loc) -> Option<Vec<Piece>> {
        match (id.kind, path.get(1), path.len()) {
            (Kind::Param, None, _) => Some(vec![Piece::Param { param: id.index, loc }]),
            (Kind::Param, Some(extra), _) => {
                self.unknown_field(&head.name, &[], extra);
                None
            }
            (kind, Some(field), 2) if kind.field(&field.name).is_some() => Some(vec![Piece::Field {
                item: id,
                field: kind.field(&field.name)?,
                loc,
            }]),
            (kind, Some(field), _) => {
                let field = if kind.field(&field.name).is_some() {
                    path.get(2).unwrap_or(field)
                } else {
                    field
                };
                self.unknown_field(&head.name, &kind.field_names().collect::<Vec<_>>(), field);
                None
            }
            (kind, None, _) => {
                self.report(
                    Diagnostic::new(
                        Code::UnknownField,
                        format!(
                            "`{}` is {}, not a value: name one of its fields",
                            head.name,
                            kind.article()
                        ),
                        self.file,
                        head.span.clone(),
                        "needs a field",
                    )
                    .with_note(format!(
                        "fields of {}: {}",
                        kind.article(),
                        kind.field_names().collect::<Vec<_>>().join(", ")
                    )),
                );
                None
            }
        }
    }

    /// `${{ repo.uri }}` where `repo` is a template parameter: the field of the item its value
    /// names, judged where the template reads it.
    fn parameter_field(&mut self, head: &Ident, bound: Bound<'a>, path: &[Ident], loc: Loc) -> Option<Vec<Piece>> {
        let Some((_, value)) = bound else {
            self.gaps.unresolved.push(self.loc(&head.span));
            return None;
        };
        // The value's name is resolved where the stage writes it: recorded there for editors,
        // and reported there when it names nothing.
        let item = match &value.kind {
            ExprKind::Name(_) => {
                let used = Expr {
                    kind: ExprKind::Name(head.clone()),
                    span: head.span.clone(),
                };
                Some(self.in_argument(bound, &used, |r, value| match &value.kind {
                    ExprKind::Name(name) => r.resolve(name, None, None),
                    _ => None,
                })?)
            }
            _ => None,
        };
        let Some(id) = item.filter(|id| !matches!(id.kind, Kind::Param | Kind::Let)) else {
            let field = &path[1];
            let mut diagnostic = Diagnostic::new(
                Code::UnknownField,
                format!("parameter `{}` has no field `{}`", head.name, field.name),
                self.file,
                field.span.clone(),
                "unknown field",
            )
            .with_note("only a parameter whose value names an item (a repository, a role…) has fields");
            if let Some((file, value)) = bound {
                diagnostic = diagnostic.with_secondary(file, value.span.clone(), "the value given");
            }
            self.report(diagnostic);
            return None;
        };
        self.used.insert(id);
        self.item_fields(head, id, path, loc)
    }

    fn unknown_field(&mut self, owner: &str, fields: &[&str], field: &Ident) {
        let mut diagnostic = Diagnostic::new(
            Code::UnknownField,
            format!("`{owner}` has no field `{}`", field.name),
            self.file,
            field.span.clone(),
            "unknown field",
        );
        if let Some(suggestion) = did_you_mean(&field.name, fields.iter().copied()) {
            diagnostic =
                diagnostic.with_suggestion(format!("replace with `{suggestion}`"), field.span.clone(), suggestion);
        }
        if fields.is_empty() {
            diagnostic = diagnostic.with_note(format!("`{owner}` is a value and has no fields"));
        } else {
            diagnostic = diagnostic.with_note(format!("fields: {}", fields.join(", ")));
        }
        self.report(diagnostic);
    }

    pub fn boolean(&mut self, expr: &Expr) -> Option<At<bool>> {
        through_parameter!(self, expr, |r, value| r.boolean(value));
        match &expr.kind {
            ExprKind::Bool(b) => Some(self.at(*b, &expr.span)),
            _ => {
                self.wrong_type(expr, "`true` or `false`");
                None
            }
        }
    }

    /// A duration, in whole minutes within `min..=max` minutes.
    pub fn minutes(&mut self, expr: &Expr, min: u64, max: u64, what: &str) -> Option<At<u64>> {
        through_parameter!(self, expr, |r, value| r.minutes(value, min, max, what));
        let ExprKind::Duration(seconds) = expr.kind else {
            if let ExprKind::Number(n) = &expr.kind {
                self.report(
                    Diagnostic::new(
                        Code::WrongType,
                        "expected a duration, found a number",
                        self.file,
                        expr.span.clone(),
                        "no unit",
                    )
                    .with_help("durations carry their unit")
                    .with_suggestion(format!("write `{n}m`"), expr.span.clone(), format!("{n}m")),
                );
            } else {
                self.wrong_type(expr, "a duration such as `20m`");
            }
            return None;
        };
        if seconds % 60 != 0 || seconds / 60 < min || seconds / 60 > max {
            let why = if seconds % 60 != 0 {
                "whole minutes".to_string()
            } else {
                format!("{min} to {max} minutes")
            };
            self.report(Diagnostic::new(
                Code::OutOfRange,
                format!(
                    "{what} must be {}",
                    if seconds % 60 != 0 {
                        format!("in {why}")
                    } else {
                        format!("between {} and {}", show_minutes(min), show_minutes(max))
                    }
                ),
                self.file,
                expr.span.clone(),
                format!("AWS accepts {why}"),
            ));
            return None;
        }
        Some(self.at(seconds / 60, &expr.span))
    }

    pub fn integer(&mut self, expr: &Expr, min: u64, max: u64, what: &str) -> Option<At<u64>> {
        through_parameter!(self, expr, |r, value| r.integer(value, min, max, what));
        let ExprKind::Number(text) = &expr.kind else {
            self.wrong_type(expr, "a whole number");
            return None;
        };
        match text.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Some(self.at(n, &expr.span)),
            _ => {
                self.report(Diagnostic::new(
                    Code::OutOfRange,
                    format!("{what} must be a whole number from {min} to {max}"),
                    self.file,
                    expr.span.clone(),
                    format!("not in {min}–{max}"),
                ));
                None
            }
        }
    }

    /// A value of the enumeration `E`, written as a bare name.
    pub fn choice<E: Enumerated>(&mut self, expr: &Expr) -> Option<At<E>> {
        through_parameter!(self, expr, |r, value| r.choice(value));
        let spec = E::SPEC;
        let what = spec.what;
        let allowed = || spec.words().collect::<Vec<_>>();
        let name = match &expr.kind {
            ExprKind::Name(ident) => ident.name.as_str().to_owned(),
            ExprKind::Str(lit) if lit.as_plain().is_some() => {
                let text = lit.as_plain().unwrap_or_default();
                if spec.value(&text).is_some() {
                    // A value that starts with a digit (`2xlarge`) cannot be a name: quoted is
                    // right.
                    if text.starts_with(|c: char| c.is_ascii_digit()) {
                        return Some(self.at(E::from_word(&text)?, &expr.span));
                    }
                    self.report(
                        Diagnostic::new(
                            Code::WrongType,
                            format!("{what} is a name, not a string"),
                            self.file,
                            expr.span.clone(),
                            "quoted",
                        )
                        .with_fix("remove the quotes", expr.span.clone(), text),
                    );
                    return None;
                }
                text
            }
            _ => {
                self.wrong_type(expr, &format!("one of {}", allowed().join(", ")));
                return None;
            }
        };
        if let Some(value) = E::from_word(&name) {
            return Some(self.at(value, &expr.span));
        }
        let allowed = allowed();
        let mut diagnostic = Diagnostic::new(
            Code::UnknownValue,
            format!("`{name}` is not a valid {what}"),
            self.file,
            expr.span.clone(),
            "unknown value",
        )
        .with_note(format!("valid values: {}", allowed.join(", ")));
        if let Some(suggestion) = did_you_mean(&name, allowed.iter().copied()) {
            diagnostic =
                diagnostic.with_suggestion(format!("replace with `{suggestion}`"), expr.span.clone(), suggestion);
        }
        self.report(diagnostic);
        None
    }

    /// A list; a single value where a list is expected is reported with a fix.
    ///
    ///
    /// Not through a template parameter: its items would be read in the wrong file. Members
    /// whose value may be a list read a parameter's value where it is written first
    /// (`lower::texts`, `lower::config_value`).
    pub fn list<'e>(&mut self, expr: &'e Expr, what: &str) -> Option<&'e [Expr]> {
        match &expr.kind {
            ExprKind::List(items) => Some(items),
            ExprKind::Error => None,
            _ => {
                let mut diagnostic = Diagnostic::new(
                    Code::WrongType,
                    format!("expected a list of {what}, found {}", describe(expr)),
                    self.file,
                    expr.span.clone(),
                    "not a list",
                );
                diagnostic.fix = Some(Fix {
                    message: "make it a list".to_string(),
                    edits: vec![
                        Edit {
                            file: self.file,
                            span: expr.span.start..expr.span.start,
                            replacement: "[".to_string(),
                        },
                        Edit {
                            file: self.file,
                            span: expr.span.end..expr.span.end,
                            replacement: "]".to_string(),
                        },
                    ],
                    applicability: Applicability::Machine,
                });
                self.report(diagnostic);
                None
            }
        }
    }
}

fn show_minutes(minutes: u64) -> String {
    if minutes >= 60 && minutes % 60 == 0 {
        format!("{}h", minutes / 60)
    } else {
        format!("{minutes}m")
    }
}

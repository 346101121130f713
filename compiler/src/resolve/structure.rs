//! Structure: every item is a known kind, and every member is one its block takes, written in
//! the right form, at most once unless repeatable. Value types and references are checked later.

use super::model::Loc;
use crate::diagnostics::{did_you_mean, Code, Diagnostic, FileId};
use crate::syntax::ast::{Expr, ExprKind, File, Ident, Member, MemberKind};
use crate::vocabulary::{self, items::ITEMS, Form, LabelValue, MemberSpec};
use rustc_hash::FxHashMap as HashMap;

/// Checks one file; returns where members were found that the schema does not take there
/// (unread by lowering: references and items may hide in them).
pub fn check_file(file: FileId, ast: &File, source: &str, out: &mut Vec<Diagnostic>) -> Vec<Loc> {
    let mut checker = Checker {
        file,
        source,
        out,
        unread: Vec::new(),
    };
    for member in &ast.members {
        match vocabulary::item(&member.name.name) {
            Some(item) => checker.check_form(member, item.form, item.keyword),
            None => checker.unknown_item(member),
        }
    }
    checker.unread
}

struct Checker<'a> {
    file: FileId,
    source: &'a str,
    out: &'a mut Vec<Diagnostic>,
    unread: Vec<Loc>,
}

impl Checker<'_> {
    /// Every structure problem is an error, and what it is about is not lowered.
    fn push(&mut self, diagnostic: Diagnostic) {
        self.unread.push(Loc {
            file: diagnostic.primary.file,
            span: diagnostic.primary.span.clone(),
        });
        self.out.push(diagnostic);
    }

    fn unknown_item(&mut self, member: &Member) {
        let name = &member.name;
        let keywords = ITEMS.iter().map(|item| item.keyword);
        let mut diagnostic = Diagnostic::new(
            Code::UnknownItem,
            format!("unknown item kind `{}`", name.name),
            self.file,
            name.span.clone(),
            "not an item kind",
        )
        .with_note(format!(
            "items are: {}",
            ITEMS.iter().map(|i| i.keyword).collect::<Vec<_>>().join(", ")
        ));
        if let Some(place) = home_of(&name.name) {
            let help = if name.name == "stage" {
                format!("`stage` belongs inside {place}; a stage written once for several stages is a `stage_template`, made into stages by `stage NAME = template(…)`")
            } else {
                format!("`{}` belongs inside {place}", name.name)
            };
            diagnostic = diagnostic.with_help(help);
            self.push(diagnostic);
        } else if let Some(suggestion) = did_you_mean(&name.name, keywords) {
            diagnostic =
                diagnostic.with_suggestion(format!("replace with `{suggestion}`"), name.span.clone(), suggestion);
            self.push(diagnostic);
            // Check the body as the item it was probably meant to be.
            if let Some(item) = vocabulary::item(suggestion) {
                self.check_form(member, item.form, item.keyword);
            }
        } else {
            self.push(diagnostic);
        }
    }

    /// Checks that `member` is written in `form` and, for blocks, checks their members.
    fn check_form(&mut self, member: &Member, form: Form, context: &str) {
        let name = &member.name.name;
        match (form, &member.kind) {
            (Form::Property, MemberKind::Property(_)) => {}
            (Form::Property, MemberKind::Statement(args)) if args.len() == 1 => {
                let at = member.name.span.end;
                self.wrong_shape(
                    member,
                    format!("`{name}` is a property: write `{name} = {}`", describe(&args[0])),
                )
                .with_fix("insert `=`", at..at, " =")
                .push_into(self);
            }
            (Form::Property, _) => {
                self.wrong_shape(member, format!("`{name}` is a property: write `{name} = value`"))
                    .push_into(self);
            }
            (
                Form::Block(members) | Form::Map(members),
                MemberKind::Block {
                    label: None,
                    value: None,
                    body: Some(body),
                },
            ) => {
                self.check_members(&body.members, members, name, matches!(form, Form::Map(_)));
            }
            (Form::Block(_) | Form::Map(_), MemberKind::Property(value)) if matches!(value.kind, ExprKind::Name(_)) => {
                self.wrong_shape(member, format!("`{name}` is a block: write `{name} {{ … }}`"))
                    .push_into(self);
            }
            (Form::Block(_) | Form::Map(_), _) => {
                self.wrong_shape(member, format!("`{name}` is a block: write `{name} {{ … }}`"))
                    .push_into(self);
            }
            (
                Form::Labelled { value, body },
                MemberKind::Block {
                    label: Some(label),
                    value: given,
                    body: given_body,
                },
            ) => {
                self.quoted_label(name, label);
                self.check_label_value(member, value, given.as_ref(), body.is_some());
                match (body, given_body) {
                    (Some(members), Some(given_body)) => {
                        let open = name == "action";
                        self.check_members_open(&given_body.members, members, name, false, open);
                    }
                    (Some(_), None) if value == LabelValue::Forbidden => {
                        self.wrong_shape(member, format!("`{name}` needs a body: `{name} NAME {{ … }}`"))
                            .push_into(self);
                    }
                    (None, Some(given_body)) => {
                        self.wrong_shape(member, format!("`{name}` takes no `{{ … }}` block"))
                            .with_secondary(self.file, given_body.span.clone(), "this block")
                            .push_into(self);
                    }
                    _ => {}
                }
            }
            (Form::Labelled { value, body }, MemberKind::Statement(args))
                if args.len() == 1 && matches!(args[0].kind, ExprKind::Name(_)) =>
            {
                // `param account_id`: a label alone.
                if value == LabelValue::Required {
                    self.wrong_shape(
                        member,
                        format!(
                            "`{name} {}` needs a value: `{name} {} = value`",
                            describe(&args[0]),
                            describe(&args[0])
                        ),
                    )
                    .push_into(self);
                } else if value == LabelValue::Forbidden && body.is_some() {
                    self.wrong_shape(
                        member,
                        format!(
                            "`{name} {}` needs a body: `{name} {} {{ … }}`",
                            describe(&args[0]),
                            describe(&args[0])
                        ),
                    )
                    .push_into(self);
                }
            }
            (Form::Labelled { .. }, _) => {
                let code = if vocabulary::item(name).is_some() && context == name {
                    Code::ItemNeedsName
                } else {
                    Code::WrongMemberShape
                };
                let shape = example_of(form, name);
                self.push(
                    Diagnostic::new(
                        code,
                        format!("`{name}` needs a name: `{shape}`"),
                        self.file,
                        member.name.span.clone(),
                        "name missing after this",
                    )
                    .with_help(format!("write `{shape}`")),
                );
            }
            (Form::Statement, MemberKind::Property(value)) => {
                let span = member.name.span.end..value.span.start;
                self.wrong_shape(
                    member,
                    format!("`{name}` is a statement: write `{name} {}`", describe(value)),
                )
                .with_fix("remove `=`", span, " ")
                .push_into(self);
            }
            (Form::Statement, MemberKind::Statement(_)) => {}
            (Form::Statement, _) => {
                self.wrong_shape(member, format!("`{name}` is a statement: write `{name} value`"))
                    .push_into(self);
            }
        }
    }

    fn check_label_value(&mut self, member: &Member, wanted: LabelValue, given: Option<&Expr>, has_body: bool) {
        let name = &member.name.name;
        let label = member.label().map(|l| l.name.as_str()).unwrap_or("NAME");
        match (wanted, given) {
            (LabelValue::Required, None) => {
                self.wrong_shape(member, format!("`{name} {label}` needs a value: `{name} {label} = …`"))
                    .push_into(self);
            }
            (LabelValue::Forbidden, Some(value)) => {
                let shape = if has_body {
                    format!("{name} {label} {{ … }}")
                } else {
                    format!("{name} {label}")
                };
                self.wrong_shape(member, format!("`{name}` takes no `= value`: write `{shape}`"))
                    .with_secondary(self.file, value.span.clone(), "this value")
                    .push_into(self);
            }
            _ => {}
        }
    }

    fn check_members(&mut self, members: &[Member], specs: &'static [MemberSpec], context: &str, map: bool) {
        self.check_members_open(members, specs, context, map, false);
    }

    /// `map`: any `NAME = value` is allowed (environment variables). `open`: unknown
    /// properties are allowed (provider configuration, checked per provider).
    fn check_members_open(
        &mut self,
        members: &[Member],
        specs: &'static [MemberSpec],
        context: &str,
        map: bool,
        open: bool,
    ) {
        let mut seen: HashMap<&str, &Member> = HashMap::default();
        for member in members {
            let name = member.name.name.as_str();
            if self
                .source
                .get(member.name.span.clone())
                .is_some_and(|w| w.starts_with('"'))
            {
                self.push(
                    Diagnostic::new(
                        Code::WrongMemberShape,
                        format!("a member name takes no quotes: write `{name}`"),
                        self.file,
                        member.name.span.clone(),
                        "a string, not a name",
                    )
                    .with_fix(format!("write `{name}`"), member.name.span.clone(), name),
                );
            }
            let spec = specs.iter().find(|spec| spec.name == name);
            // Names the block does not define are free to use as properties in a map (`env`)
            // or an open body (provider settings); a name it defines keeps its form.
            let free_property = spec.is_none() && (map || open) && matches!(member.kind, MemberKind::Property(_));
            let repeatable = spec.is_some_and(|s| s.repeatable);
            if !repeatable && (spec.is_some() || free_property) {
                if let Some(first) = seen.get(name) {
                    self.push(
                        Diagnostic::new(
                            Code::DuplicateMember,
                            format!("`{name}` is given twice in `{context}`"),
                            self.file,
                            member.name.span.clone(),
                            "given again here",
                        )
                        .with_secondary(self.file, first.name.span.clone(), "first given here")
                        .with_suggestion(
                            format!("remove the second `{name}`"),
                            member.span.clone(),
                            "",
                        ),
                    );
                    continue;
                }
                seen.insert(name, member);
            }
            match spec {
                Some(spec) => self.check_form(member, spec.form, context),
                None if free_property => {}
                None => self.unknown_member(member, specs, context),
            }
        }
    }

    fn unknown_member(&mut self, member: &Member, specs: &'static [MemberSpec], context: &str) {
        let name = &member.name;
        if let Some(item) = vocabulary::item(&name.name).filter(|item| item.named() || item.keyword == "aws") {
            self.push(
                Diagnostic::new(
                    Code::NestedItem,
                    format!("`{}` is an item and cannot be written inside `{context}`", item.keyword),
                    self.file,
                    name.span.clone(),
                    "item inside a block",
                )
                .with_help("items are written at the top level of a file; is a `}` missing above?"),
            );
            return;
        }
        let mut diagnostic = Diagnostic::new(
            Code::UnknownMember,
            format!("`{context}` has no member `{}`", name.name),
            self.file,
            name.span.clone(),
            "unknown here",
        );
        if let Some(suggestion) = did_you_mean(&name.name, specs.iter().map(|s| s.name)) {
            diagnostic =
                diagnostic.with_suggestion(format!("replace with `{suggestion}`"), name.span.clone(), suggestion);
        } else if let Some(place) = home_of(&name.name) {
            diagnostic = diagnostic.with_help(format!("`{}` belongs inside {place}", name.name));
        }
        if !specs.is_empty() {
            diagnostic = diagnostic.with_note(format!(
                "`{context}` takes: {}",
                specs.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
            ));
        }
        self.push(diagnostic);
    }

    /// `stage "Source" {`: a label is a name, not a string. (A dashed word without quotes is
    /// the lexer's to report.)
    fn quoted_label(&mut self, keyword: &str, label: &Ident) {
        let written = self.source.get(label.span.clone()).unwrap_or("");
        let Some(content) = written.strip_prefix('"').and_then(|w| w.strip_suffix('"')) else {
            return;
        };
        let is_name = |n: &str| {
            n.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        let mut d = Diagnostic::new(
            Code::WrongMemberShape,
            format!(
                "the name of {} `{keyword}` takes no quotes",
                if keyword.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                }
            ),
            self.file,
            label.span.clone(),
            "a string, not a name",
        );
        // The parser named the block `label.name`, the content made a name. Only some blocks
        // take a `name` that sets their AWS name apart from the label.
        let takes_name = ["project", "pipeline", "repository", "service", "role", "stage"].contains(&keyword);
        if !is_name(content) && takes_name {
            d = d.with_help(format!(
                "names hold letters, digits and `_`; to keep `{content}` as the name in AWS, add `name = \"{content}\"` to the block"
            ));
        } else if !is_name(content) && ["action", "report", "variable"].contains(&keyword) {
            d = d.with_help("this name holds letters, digits, `_` and `-`");
        } else if !is_name(content) {
            d = d.with_help("names hold letters, digits and `_`");
        }
        d = d.with_fix(
            format!("write `{}`", label.name),
            label.span.clone(),
            label.name.clone(),
        );
        // A stage's or an action's label is its name in AWS: text that is not a name becomes
        // another name there, which a person decides.
        if !is_name(content) && matches!(keyword, "stage" | "action") {
            d = d.suggested();
        }
        self.push(d);
    }

    fn wrong_shape(&self, member: &Member, message: String) -> Diagnostic {
        Diagnostic::new(
            Code::WrongMemberShape,
            message,
            self.file,
            member.span.clone(),
            "written in another form",
        )
    }
}

trait PushInto {
    fn push_into(self, checker: &mut Checker);
}

impl PushInto for Diagnostic {
    fn push_into(self, checker: &mut Checker) {
        checker.push(self);
    }
}

/// Where a member name belongs, for "`stage` belongs inside a pipeline".
fn home_of(name: &str) -> Option<String> {
    fn search(members: &'static [MemberSpec], name: &str, path: &str) -> Option<String> {
        for member in members {
            if member.name == name {
                return Some(format!("`{path}`"));
            }
            let inner = vocabulary::members_of(member.form);
            if let Some(found) = search(inner, name, member.name) {
                return Some(found);
            }
        }
        None
    }
    ITEMS
        .iter()
        .find_map(|item| search(vocabulary::members_of(item.form), name, item.keyword))
}

fn example_of(form: Form, name: &str) -> String {
    match form {
        Form::Labelled {
            value: LabelValue::Required,
            body: Some(_),
        } => format!("{name} NAME = … {{ … }}"),
        Form::Labelled {
            value: LabelValue::Required,
            body: None,
        } => format!("{name} NAME = …"),
        Form::Labelled { body: Some(_), .. } => format!("{name} NAME {{ … }}"),
        _ => format!("{name} NAME"),
    }
}

/// A short rendering of an expression for messages.
fn describe(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Str(lit) => match lit.as_plain() {
            Some(text) if text.len() <= 40 && !lit.triple => format!("{text:?}"),
            _ => "\"…\"".to_string(),
        },
        ExprKind::Number(text) => text.clone(),
        ExprKind::Duration(seconds) => format!("{}m", seconds / 60),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Name(ident) => ident.name.as_str().to_owned(),
        ExprKind::Field(base, field) => format!("{}.{}", describe(base), field.name),
        ExprKind::Call { callee, .. } => format!("{}(…)", callee.name),
        ExprKind::List(_) => "[…]".to_string(),
        ExprKind::Error => "…".to_string(),
    }
}

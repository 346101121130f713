//! What is at a byte offset of a file: an item's keyword or name, a member, a provider or one
//! of its settings, an enum value, a value function, a reference (and its field), an artifact,
//! a label, a `$VARIABLE` or other text in a string. Editor features start here.

use super::Analysis;
use crate::diagnostics::{FileId, Span};
use crate::resolve::index::{Definition, Reference};
use crate::syntax::ast::{self, Expr, ExprKind, Member, MemberKind};
use crate::vocabulary::{
    self, EnumSpec, EnumValue, Function, ItemSpec, MemberSpec, ProviderSpec, SettingSpec, ValueType,
};

#[derive(Clone, Debug, PartialEq)]
pub enum Located<'a> {
    /// An item's keyword: `project` in `project bake {`.
    Keyword(&'static ItemSpec),
    /// An item's name where it is defined.
    Definition(&'a Definition),
    /// A member's name; `path` runs from the item keyword (`project`, `environment`, `compute`).
    Member {
        spec: &'static MemberSpec,
        path: Vec<&'static str>,
    },
    /// A provider setting's name in an action's body.
    Setting {
        provider: &'static ProviderSpec,
        setting: &'static SettingSpec,
    },
    /// The provider an action names: `codebuild` in `= codebuild(bake)`.
    Provider(&'static ProviderSpec),
    /// An enum value: `small` in `compute = small`, `build` in `phase build`.
    EnumValue {
        spec: &'static EnumSpec,
        value: &'static EnumValue,
    },
    /// A value function: `amazonlinux_standard` in `image = amazonlinux_standard("5.0")`.
    Function(Function),
    /// A name referring to an item or to `aws`; `on_field`: the cursor is on its field.
    Reference { reference: &'a Reference, on_field: bool },
    /// An artifact name in an action's `input` or `output`.
    Artifact { pipeline: usize, name: &'a str },
    /// The label of a stage, an action, a runtime or another labelled member.
    Label { spec: &'static MemberSpec, name: &'a str },
    /// `$NAME` or `${NAME}` in a string.
    Variable { name: String },
    /// An IAM action in a role's `actions`.
    IamAction { name: String },
    /// Other text in a string.
    Text,
}

/// What was found, and the span it covers.
#[derive(Clone, Debug, PartialEq)]
pub struct Found<'a> {
    pub located: Located<'a>,
    pub span: Span,
}

/// What is at `offset` of `file` (a cursor right after a name is on the name).
pub fn at<'a>(analysis: &'a Analysis, source: &str, file: FileId, offset: usize) -> Option<Found<'a>> {
    if let Some(reference) = analysis.index.reference_at(file, offset) {
        let on_field = reference.field.as_ref().is_some_and(|f| within(&f.loc.span, offset));
        let span = match (&reference.field, on_field) {
            (Some(field), true) => field.loc.span.clone(),
            _ => reference.loc.span.clone(),
        };
        return Some(Found {
            located: Located::Reference { reference, on_field },
            span,
        });
    }
    if let Some(definition) = analysis.index.definition_at(file, offset) {
        return Some(Found {
            located: Located::Definition(definition),
            span: definition.loc.span.clone(),
        });
    }
    if let Some(found) = artifact_at(analysis, file, offset) {
        return Some(found);
    }
    let ast = analysis.ast(file)?;
    let item = ast.members.iter().find(|m| within(&m.span, offset))?;
    let spec = vocabulary::item(&item.name.name)?;
    if within(&item.name.span, offset) {
        return Some(Found {
            located: Located::Keyword(spec),
            span: item.name.span.clone(),
        });
    }
    let walker = Walker { source, offset };
    match &item.kind {
        MemberKind::Block { value: Some(value), .. } if within(&value.span, offset) => {
            walker.expr(value, ValueType::Text)
        }
        _ => walker.body(item.body()?, spec.members(), vec![spec.keyword], None, None),
    }
}

fn within(span: &Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

fn artifact_at(analysis: &Analysis, file: FileId, offset: usize) -> Option<Found<'_>> {
    for (pipeline, graph) in analysis.artifacts.iter().enumerate() {
        let outputs = graph
            .artifacts
            .values()
            .flat_map(|a| std::iter::once(&a.producer).chain(&a.again))
            .map(|p| &p.output);
        let inputs = graph.inputs.iter().map(|c| &c.input);
        for name in outputs.chain(inputs) {
            if name.loc.file == file && within(&name.loc.span, offset) {
                return Some(Found {
                    located: Located::Artifact {
                        pipeline,
                        name: &name.value,
                    },
                    span: name.loc.span.clone(),
                });
            }
        }
    }
    None
}

struct Walker<'s> {
    source: &'s str,
    offset: usize,
}

impl Walker<'_> {
    fn found<'a>(&self, located: Located<'a>, span: &Span) -> Option<Found<'a>> {
        Some(Found {
            located,
            span: span.clone(),
        })
    }

    /// Members of a block: `specs` are what it takes, `provider` the provider of the action
    /// whose body this is.
    fn body<'a>(
        &self,
        body: &'a ast::Body,
        specs: &'static [MemberSpec],
        path: Vec<&'static str>,
        provider: Option<&'static ProviderSpec>,
        variables: Option<ValueType>,
    ) -> Option<Found<'a>> {
        let member = body.members.iter().find(|m| within(&m.span, self.offset))?;
        self.member(member, specs, path, provider, variables)
    }

    /// `variables`: in a block of variables (`env`), the type of a variable's value.
    fn member<'a>(
        &self,
        member: &'a Member,
        specs: &'static [MemberSpec],
        mut path: Vec<&'static str>,
        provider: Option<&'static ProviderSpec>,
        variables: Option<ValueType>,
    ) -> Option<Found<'a>> {
        let spec = specs.iter().find(|s| s.name == member.name.name);
        if within(&member.name.span, self.offset) {
            return match (spec, provider) {
                (Some(spec), _) => {
                    path.push(spec.name);
                    self.found(Located::Member { spec, path }, &member.name.span)
                }
                (None, Some(provider)) => {
                    let setting = provider.setting(&member.name.name)?;
                    self.found(Located::Setting { provider, setting }, &member.name.span)
                }
                (None, None) => None,
            };
        }
        let Some(spec) = spec else {
            // A provider setting's value, or a variable's.
            return match &member.kind {
                MemberKind::Property(value) => self.expr(value, variables.unwrap_or(ValueType::Setting)),
                _ => None,
            };
        };
        path.push(spec.name);
        match &member.kind {
            MemberKind::Property(value) => self.expr(value, spec.ty),
            MemberKind::Statement(args) => {
                let arg = args.iter().find(|a| within(&a.span, self.offset))?;
                self.expr(arg, spec.ty)
            }
            MemberKind::Block { label, value, body } => {
                if let Some(label) = label.as_ref().filter(|l| within(&l.span, self.offset)) {
                    let enum_value = spec.labels.and_then(|e| Some((e, e.value(&label.name)?)));
                    return match enum_value {
                        Some((spec, value)) => self.found(Located::EnumValue { spec, value }, &label.span),
                        None => self.found(
                            Located::Label {
                                spec,
                                name: &label.name,
                            },
                            &label.span,
                        ),
                    };
                }
                if let Some(value) = value.as_ref().filter(|v| within(&v.span, self.offset)) {
                    return self.expr(value, spec.ty);
                }
                let body = body.as_ref()?;
                let provider = match (spec.name, value) {
                    ("action", Some(value)) => action_provider(value),
                    _ => None,
                };
                let variables = matches!(spec.form, vocabulary::Form::Map(_)).then_some(spec.ty);
                self.body(body, spec.members(), path, provider, variables)
            }
        }
    }

    /// A value the member's type says what it is.
    fn expr<'a>(&self, expr: &'a Expr, ty: ValueType) -> Option<Found<'a>> {
        match &expr.kind {
            ExprKind::Name(ident) => {
                let spec = match ty {
                    ValueType::Enum(spec) | ValueType::List(&ValueType::Enum(spec)) => spec,
                    _ => return None,
                };
                let value = spec.value(&ident.name)?;
                self.found(Located::EnumValue { spec, value }, &ident.span)
            }
            ExprKind::Str(lit) => {
                if ty == ValueType::IamAction {
                    let name = lit.as_plain()?;
                    return self.found(Located::IamAction { name }, &expr.span);
                }
                // An enum value that starts with a digit is written quoted (`"2xlarge"`).
                if let ValueType::Enum(spec) = ty {
                    let text = self.source.get(expr.span.start + 1..expr.span.end.saturating_sub(1))?;
                    if let Some(value) = spec.value(text) {
                        return self.found(Located::EnumValue { spec, value }, &expr.span);
                    }
                }
                match variable_at(self.source, &expr.span, self.offset) {
                    Some((name, span)) => self.found(Located::Variable { name }, &span),
                    None => self.found(Located::Text, &expr.span),
                }
            }
            ExprKind::Call { callee, args } => {
                if within(&callee.span, self.offset) {
                    if ty == ValueType::Provider {
                        return self.found(Located::Provider(vocabulary::provider(&callee.name)?), &callee.span);
                    }
                    let calls = match ty {
                        ValueType::Call(calls) | ValueType::List(&ValueType::Call(calls)) => calls,
                        _ => return None,
                    };
                    let function = calls.functions().into_iter().find(|f| f.name == callee.name)?;
                    return self.found(Located::Function(function), &callee.span);
                }
                let index = args.iter().position(|a| within(&a.value.span, self.offset))?;
                let arg = &args[index];
                let position = args[..index].iter().filter(|a| a.name.is_none()).count();
                let arg_ty = vocabulary::Function::named(&callee.name)
                    .and_then(|f| f.param(arg.name.as_ref().map(|n| n.name.as_str()), position))
                    .unwrap_or(ValueType::Text);
                self.expr(&arg.value, arg_ty)
            }
            ExprKind::List(items) => {
                let item = items.iter().find(|i| within(&i.span, self.offset))?;
                let element = match ty {
                    ValueType::List(element) => *element,
                    other => other,
                };
                self.expr(item, element)
            }
            _ => None,
        }
    }
}

/// The provider an action's value names.
pub fn action_provider(value: &Expr) -> Option<&'static ProviderSpec> {
    match &value.kind {
        ExprKind::Call { callee, .. } | ExprKind::Name(callee) => vocabulary::provider(&callee.name),
        _ => None,
    }
}

/// The `$NAME` or `${NAME}` of a string at `offset`, with its span.
fn variable_at(source: &str, string: &Span, offset: usize) -> Option<(String, Span)> {
    let text = source.get(string.clone())?;
    let at = offset.checked_sub(string.start)?;
    let bytes = text.as_bytes();
    let is_name = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut start = at.min(bytes.len());
    while start > 0 && is_name(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = at.min(bytes.len());
    while end < bytes.len() && is_name(bytes[end]) {
        end += 1;
    }
    let dollar = match start.checked_sub(1).map(|i| bytes[i]) {
        Some(b'$') => start - 1,
        Some(b'{') if start >= 2 && bytes[start - 2] == b'$' => start - 2,
        _ => return None,
    };
    if start == end || bytes[start].is_ascii_digit() {
        return None;
    }
    Some((text[start..end].to_string(), string.start + dollar..string.start + end))
}

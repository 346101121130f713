//! Stage templates: `stage_template NAME { param …  action … }`, made into stages by
//! `stage Staging = NAME(param = value, …)`. Each stage made from a template is lowered from
//! the template's text, with its parameters bound to the values the stage gives, under a file
//! id tagged with the instance (`FileId::in_instance`): every later finding about it names the
//! instance, and the analysis reports a mistake in the template once.

use super::lower::{stage_members, stage_name};
use super::model::{Header, Instance, Kind, Loc, Program, Stage, StageTemplate, TemplateParam};
use super::values::{Bound, Reader, Scope};
use crate::diagnostics::{did_you_mean, Code, Diagnostic, FileId};
use crate::syntax::ast::Name;
use crate::syntax::ast::{self, Body, Expr, ExprKind, Member, MemberKind};
use rustc_hash::FxHashMap as HashMap;

/// A template's parameters as written: name and default.
fn parameters(body: &Body) -> Vec<(&ast::Ident, Option<&Expr>)> {
    body.members
        .iter()
        .filter(|m| m.name.name == "param")
        .filter_map(|m| match &m.kind {
            MemberKind::Block {
                label: Some(label),
                value,
                ..
            } => Some((label, value.as_ref())),
            MemberKind::Statement(args) => match args.as_slice() {
                [Expr {
                    kind: ExprKind::Name(label),
                    ..
                }] => Some((label, None)),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The template's definition: its parameters, each named once and hiding no item.
pub fn lower_template(r: &mut Reader, header: Header, body: &Body) -> StageTemplate {
    let mut params: Vec<TemplateParam> = Vec::new();
    for (label, _) in parameters(body) {
        if let Some(first) = params.iter().find(|p| p.name.value == label.name) {
            r.skip(
                Diagnostic::new(
                    Code::DuplicateMember,
                    format!("parameter `{}` is declared twice", label.name),
                    r.file,
                    label.span.clone(),
                    "declared again here",
                )
                .with_secondary(
                    first.name.loc.file,
                    first.name.loc.span.clone(),
                    "first declared here",
                ),
            );
            continue;
        }
        if let Some(item) = r.symbols.get(&label.name) {
            r.report(
                Diagnostic::new(
                    Code::DuplicateItem,
                    format!("parameter `{}` has the name of {}", label.name, item.id.kind.article()),
                    r.file,
                    label.span.clone(),
                    "hides the item in the template",
                )
                .with_secondary(item.loc.file, item.loc.span.clone(), "the item")
                .with_help("rename the parameter: inside the template its name would mean the parameter, not the item"),
            );
        }
        params.push(TemplateParam {
            name: r.at(label.name.as_str().to_owned(), &label.span),
        });
    }
    StageTemplate { header, params }
}

/// `stage NAME = template(…)`: the stage the template makes with these values.
pub fn instance<'a>(
    r: &mut Reader<'a>,
    label: &ast::Ident,
    member: &Member,
    value: &'a Expr,
    body: Option<&Body>,
) -> Option<Stage> {
    if let Some(body) = body {
        r.skip(
            Diagnostic::new(
                Code::WrongMemberShape,
                format!("stage `{}` is made from a template and takes no body", label.name),
                r.file,
                body.span.clone(),
                "a body beside a template",
            )
            .with_help("write the stage's actions in the template, or write the stage without `= template(…)`"),
        );
    }
    let (callee, args) = match &value.kind {
        ExprKind::Call { callee, args } => (callee, args.as_slice()),
        ExprKind::Name(ident) => (ident, &[][..]),
        _ => {
            r.wrong_type(value, "a stage template, `template(param = value, …)`");
            return None;
        }
    };
    // Items a value names are used, whether or not the template reads it.
    for arg in args {
        mark_used(r, &arg.value);
    }
    let template = r.reference_ident(callee, Kind::StageTemplate)?.value;
    let &(template_file, definition) = r.templates.get(template)?;
    let template_body = definition.body()?;
    let params = parameters(template_body);
    let number = r.instances.len().min(FileId::MAX_INSTANCE);
    let values = bind(r, callee, args, &params, template_file.in_instance(number));
    r.instances.push(Instance {
        template,
        pipeline: r.pipeline.clone(),
        stage: r.at(label.name.as_str().to_owned(), &label.span),
    });
    let mut stage = Stage {
        label: r.at(label.name.as_str().to_owned(), &label.span),
        name: None,
        actions: Vec::new(),
        loc: r.loc(&member.span),
        instance: Some(number),
        on_failure: None,
    };
    let gaps_before = r.gaps.unresolved.len() + r.gaps.unread.len();
    let saved = std::mem::replace(&mut r.file, template_file.in_instance(number));
    r.scope = Some(Scope { template, values });
    stage_members(r, &mut stage, template_body);
    r.scope = None;
    r.file = saved;
    // Something in the stage did not resolve: the pipeline's wiring and counts stay quiet, as
    // for a stage written out, and the template's parameters may be unread because of it.
    if r.gaps.unresolved.len() + r.gaps.unread.len() > gaps_before {
        r.gaps.unresolved.push(stage.loc.clone());
        r.troubled_templates.insert(template);
    }
    stage_name(r, &stage);
    Some(stage)
}

/// Marks the items an expression names as used.
fn mark_used(r: &mut Reader, expr: &Expr) {
    match &expr.kind {
        ExprKind::Name(ident) => {
            if let Some(symbol) = r.symbols.get(&ident.name) {
                r.used.insert(symbol.id);
            }
        }
        ExprKind::Field(base, _) => mark_used(r, base),
        ExprKind::Call { args, .. } => args.iter().for_each(|a| mark_used(r, &a.value)),
        ExprKind::List(items) => items.iter().for_each(|i| mark_used(r, i)),
        ExprKind::Str(lit) => {
            for part in &lit.parts {
                if let ast::StrPart::Interp(interp) = part {
                    if let Some(symbol) = interp.path.first().and_then(|head| r.symbols.get(&head.name)) {
                        r.used.insert(symbol.id);
                    }
                }
            }
        }
        _ => {}
    }
}

/// The value of each parameter: from the arguments (in order, then by name), else the default.
fn bind<'a>(
    r: &mut Reader<'a>,
    callee: &ast::Ident,
    args: &'a [ast::Arg],
    params: &[(&ast::Ident, Option<&'a Expr>)],
    template_file: FileId,
) -> HashMap<Name, Bound<'a>> {
    let mut given: HashMap<Name, (FileId, &'a Expr, &'a ast::Arg)> = HashMap::default();
    // Parameters a misspelt name was meant for: their value is missing for that one reason.
    let mut misspelt = Vec::new();
    let reported_before = r.out.len();
    for (position, arg) in args.iter().enumerate() {
        let name = match &arg.name {
            Some(name) => {
                if !params.iter().any(|(p, _)| p.name == name.name) {
                    let names: Vec<&str> = params.iter().map(|(p, _)| p.name.as_str()).collect();
                    let mut diagnostic = Diagnostic::new(
                        Code::TemplateArgument,
                        format!("stage template `{}` has no parameter `{}`", callee.name, name.name),
                        r.file,
                        name.span.clone(),
                        "unknown parameter",
                    )
                    .with_note(parameter_list(&names));
                    if let Some(suggestion) = did_you_mean(&name.name, names.iter().copied()) {
                        misspelt.push(suggestion.to_string());
                        diagnostic = diagnostic.with_suggestion(
                            format!("replace with `{suggestion}`"),
                            name.span.clone(),
                            suggestion,
                        );
                    }
                    r.report(diagnostic);
                    continue;
                }
                name.name.clone()
            }
            None => match params.get(position) {
                Some((param, _)) if args[..position].iter().all(|a| a.name.is_none()) => param.name.clone(),
                _ => {
                    let names: Vec<&str> = params.iter().map(|(p, _)| p.name.as_str()).collect();
                    let (message, label) = if args[..position].iter().any(|a| a.name.is_some()) {
                        (
                            format!(
                                "a value for stage template `{}` without a name follows a named one",
                                callee.name
                            ),
                            "name it: `parameter = value`".to_string(),
                        )
                    } else {
                        (
                            format!(
                                "stage template `{}` takes {} value{}, given more",
                                callee.name,
                                params.len(),
                                if params.len() == 1 { "" } else { "s" }
                            ),
                            "one value too many".to_string(),
                        )
                    };
                    r.report(
                        Diagnostic::new(Code::TemplateArgument, message, r.file, arg.value.span.clone(), label)
                            .with_note(parameter_list(&names)),
                    );
                    continue;
                }
            },
        };
        if let Some((_, _, first)) = given.get(name.as_str()) {
            r.report(
                Diagnostic::new(
                    Code::TemplateArgument,
                    format!("parameter `{name}` is given twice"),
                    r.file,
                    arg.value.span.clone(),
                    "given again",
                )
                .with_secondary(r.file, first.value.span.clone(), "first given here"),
            );
            continue;
        }
        given.insert(name, (r.file, &arg.value, arg));
    }
    let mut values = HashMap::default();
    let mut missing = Vec::new();
    for (param, default) in params {
        let bound = match (given.get(param.name.as_str()), default) {
            (Some(&(file, value, _)), _) => Some((file, value)),
            (None, Some(default)) => Some((template_file, *default)),
            (None, None) => {
                if !misspelt.iter().any(|m: &String| m.as_str() == param.name.as_str()) {
                    missing.push(*param);
                }
                None
            }
        };
        values.insert(param.name.clone(), bound);
    }
    // A call with a wrong value already reported, or one that did not parse, is one mistake:
    // what it leaves missing is not a second.
    if r.out.len() > reported_before || args.iter().any(|a| matches!(a.value.kind, ExprKind::Error)) {
        missing.clear();
    }
    if let Some(first) = missing.first() {
        let names: Vec<String> = missing.iter().map(|p| format!("`{}`", p.name)).collect();
        let noun = if missing.len() == 1 { "parameter" } else { "parameters" };
        r.report(
            Diagnostic::new(
                Code::TemplateArgumentMissing,
                format!(
                    "stage template `{}` needs a value for {noun} {}",
                    callee.name,
                    names.join(", ")
                ),
                r.file,
                callee.span.clone(),
                format!("no value for {}", names.join(", ")),
            )
            .with_secondary(
                template_file.source_file(),
                first.span.clone(),
                "declared here, without a default",
            )
            .with_help(format!("give it: `{}({} = …)`", callee.name, first.name)),
        );
    }
    values
}

fn parameter_list(names: &[&str]) -> String {
    if names.is_empty() {
        "it has no parameters".to_string()
    } else {
        format!("its parameters: {}", names.join(", "))
    }
}

/// A parameter no stage made from its template reads: a warning, at the parameter.
pub fn unused_parameters(r: &mut Reader, program: &Program) {
    for (index, template) in program.stage_templates.iter().enumerate() {
        // A template no stage is made from is reported as an unused item; one with a mistake
        // found in a stage may leave a parameter unread because of it.
        if !program.instances.iter().any(|i| i.template == index) || r.troubled_templates.contains(&index) {
            continue;
        }
        for param in &template.params {
            // One that takes an item's name is reported for that (E0201).
            if r.parameters_used.contains(&(index, param.name.value.clone()))
                || r.symbols.get(&param.name.value).is_some()
            {
                continue;
            }
            let Loc { file, span } = param.name.loc.clone();
            r.report(
                Diagnostic::new(
                    Code::UnusedItem,
                    format!(
                        "parameter `{}` of stage template `{}` is never read",
                        param.name.value, template.header.name
                    ),
                    file,
                    span,
                    "never read",
                )
                .with_help(format!(
                    "read it in the template (`{}` as a value, or \"${{{{ {} }}}}\"), or remove it and its values",
                    param.name.value, param.name.value
                )),
            );
        }
    }
}

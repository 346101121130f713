//! Hover text: what the thing under the cursor is, in Markdown, with what it becomes in AWS
//! and a link to AWS's reference.

use crate::analysis::query::{self, Located};
use crate::analysis::{Analysis, RoleRef};
use crate::diagnostics::{FileId, SourceMap, Span};
use crate::resolve::artifacts::ArtifactType;
use crate::resolve::index::{Reference, Target};
use crate::resolve::model::{ItemId, Kind, Text};
use crate::vocabulary::{
    self, Calls, EnumSpec, EnumValue, FieldSpec, Function, ItemSpec, MemberSpec, ProviderSpec, SettingSpec, ValueType,
};
use std::fmt::Write;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub markdown: String,
    /// What the text describes.
    pub span: Span,
}

pub fn hover(analysis: &Analysis, sources: &SourceMap, file: FileId, offset: usize) -> Option<Hover> {
    if let Some(code) = code_in_comment(analysis, sources.source(file), file, offset) {
        return Some(code);
    }
    let found = query::at(analysis, sources.source(file), file, offset)?;
    let markdown = match &found.located {
        Located::Keyword(item) => item_kind(item),
        Located::Definition(definition) => item(analysis, definition.id, &definition.name),
        Located::Reference { reference, on_field } => reference_text(analysis, reference, *on_field)?,
        Located::Member { spec, path } => member(spec, path),
        Located::Setting { provider, setting } => setting_text(provider, setting),
        Located::Provider(provider) => provider_text(provider),
        Located::EnumValue { spec, value } => enum_value(spec, value),
        Located::Function(function) => function_text(function),
        Located::Artifact { pipeline, name } => artifact(analysis, *pipeline, name)?,
        Located::Label { spec, name } => format!("**{} `{name}`**\n\n{}", spec.name, spec.doc),
        Located::Variable { name } => variable(analysis, file, offset, name)?,
        Located::IamAction { name } => crate::data::iam::hover(name)?,
        Located::Text => return None,
    };
    Some(Hover {
        markdown,
        span: found.span,
    })
}

/// A value function: its signature, what it does, AWS's page.
pub fn function_text(function: &Function) -> String {
    let mut text = format!("```cruddur\n{}\n```\n{}", function.signature, function.doc);
    link(&mut text, function.link);
    text
}

fn link(text: &mut String, url: &str) {
    if !url.is_empty() {
        let _ = write!(text, "\n\n[AWS documentation]({url})");
    }
}

fn code_list<'a>(words: impl Iterator<Item = &'a str>) -> String {
    words.map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ")
}

pub fn item_kind(item: &ItemSpec) -> String {
    let mut text = format!("**{}** (item)\n\n{}", item.keyword, item.doc);
    if !item.aws.is_empty() {
        let _ = write!(text, "\n\nAWS: `{}`", item.aws);
    }
    let members = item.members();
    if !members.is_empty() {
        let _ = write!(text, "\n\nMembers: {}", code_list(members.iter().map(|m| m.name)));
    }
    link(&mut text, item.link);
    text
}

/// An item: its kind and name, its AWS name, and what the kind is.
fn item(analysis: &Analysis, id: ItemId, name: &str) -> String {
    let spec = vocabulary::item_of_kind(id.kind);
    let program = &analysis.program;
    let mut text = format!("```cruddur\n{} {name}\n```", id.kind.keyword());
    if let Some(aws_name) = aws_name(analysis, id) {
        let _ = write!(text, "\nAWS name: `{aws_name}`");
    }
    if let Some(param) = program.params.get(id.index).filter(|_| id.kind == Kind::Param) {
        if let Some(description) = &param.description {
            let _ = write!(text, "\n\n{description}");
        }
        match &param.default {
            Some(default) => {
                let _ = write!(text, "\n\nDefault: `{}`", default.value);
            }
            None => text.push_str("\n\nNo default: pass `--param NAME=VALUE`"),
        }
    }
    let uses = analysis.index.references_to(Target::Item(id)).count();
    let _ = write!(
        text,
        "\n\n{} ({} reference{})",
        spec.doc,
        uses,
        if uses == 1 { "" } else { "s" }
    );
    permissions(analysis, id, &mut text);
    text
}

/// Most permissions a hover lists; the rest are counted.
const PERMISSIONS_SHOWN: usize = 12;

/// For a role, a project or a pipeline: the IAM actions its role must allow, inferred from
/// what the program does, each with the first reason.
fn permissions(analysis: &Analysis, id: ItemId, text: &mut String) {
    let program = &analysis.program;
    let role = match id.kind {
        Kind::Role => RoleRef::Declared(id.index),
        Kind::Project => match program.projects.get(id.index).and_then(|p| p.role.as_ref()) {
            Some(role) => RoleRef::Declared(role.value),
            None => RoleRef::Project(id.index),
        },
        Kind::Pipeline => match program.pipelines.get(id.index).and_then(|p| p.role.as_ref()) {
            Some(role) => RoleRef::Declared(role.value),
            None => RoleRef::Pipeline(id.index),
        },
        _ => return,
    };
    if let (RoleRef::Declared(index), Kind::Project | Kind::Pipeline) = (role, id.kind) {
        if let Some(declared) = program.roles.get(index) {
            let _ = write!(text, "\n\nRuns as role `{}`.", declared.header.name);
        }
        return;
    }
    let Some(found) = analysis.permissions().iter().find(|p| p.role == role) else {
        return;
    };
    let mut actions: Vec<(&str, &str)> = Vec::new();
    for need in &found.needs {
        if !actions.iter().any(|(action, _)| *action == need.action) {
            actions.push((need.action, &need.reason));
        }
    }
    if actions.is_empty() {
        return;
    }
    let whose = if id.kind == Kind::Role {
        "What runs as this role needs"
    } else {
        "Its inferred role needs"
    };
    let _ = write!(text, "\n\n{whose}:");
    for (action, reason) in actions.iter().take(PERMISSIONS_SHOWN) {
        let _ = write!(text, "\n- `{action}`: {reason}");
    }
    if actions.len() > PERMISSIONS_SHOWN {
        let _ = write!(text, "\n- and {} more", actions.len() - PERMISSIONS_SHOWN);
    }
}

fn reference_text(analysis: &Analysis, reference: &Reference, on_field: bool) -> Option<String> {
    let field_spec = |fields: &'static [FieldSpec], name: &str| fields.iter().find(|f| f.name == name);
    match (reference.target?, &reference.field) {
        (Target::Aws, Some(field)) => {
            let spec = field_spec(vocabulary::item("aws")?.fields, &field.value)?;
            Some(format!("**`aws.{}`**\n\n{}", spec.name, spec.doc))
        }
        (Target::Aws, None) => Some(item_kind(vocabulary::item("aws")?)),
        (Target::Item(id), Some(field)) if on_field => {
            let spec = field_spec(id.kind.fields(), &field.value)?;
            Some(format!(
                "**`{}.{}`**: field of {} `{}`\n\n{}",
                reference.name,
                spec.name,
                id.kind.keyword(),
                reference.name,
                spec.doc
            ))
        }
        (Target::Item(id), _) => Some(item(analysis, id, &reference.name)),
    }
}

pub fn member(spec: &MemberSpec, path: &[&str]) -> String {
    let owner = path[..path.len().saturating_sub(1)].join(".");
    let form = spec.form_name();
    let members = spec.members();
    let mut text = format!("**`{}`**: {form} of `{owner}`\n\n{}", spec.name, spec.doc);
    if let Some(values) = values_of(spec.ty).or(spec.labels) {
        let written: Vec<String> = values.values.iter().map(|v| v.written()).collect();
        let _ = write!(text, "\n\nValues: {}", code_list(written.iter().map(String::as_str)));
    } else if let ValueType::Minutes(limit) | ValueType::Integer(limit) = spec.ty {
        // The range AWS's API model gives.
        let limit = crate::data::limit(limit);
        let unit = if matches!(spec.ty, ValueType::Minutes(_)) {
            " minutes"
        } else {
            ""
        };
        if let (Some(min), Some(max)) = (limit.min, limit.max) {
            let _ = write!(text, "\n\nRange: {min} to {max}{unit}");
        }
    } else if let Some(kind) = referenced_kind(spec.ty) {
        let _ = write!(text, "\n\nTakes: the name of {}", kind.article());
    } else if let ValueType::Call(calls) = spec.ty {
        let names: Vec<&str> = calls.names();
        let _ = write!(text, "\n\nTakes: {}", code_list(names.into_iter()));
        if calls == Calls::Image || calls == Calls::EnvValue || calls == Calls::Command {
            text.push_str(" or a string");
        }
    }
    if !members.is_empty() {
        let _ = write!(text, "\n\nMembers: {}", code_list(members.iter().map(|m| m.name)));
    }
    if !spec.aws.is_empty() {
        let _ = write!(text, "\n\nAWS: `{}`", spec.aws);
    }
    link(&mut text, spec.link);
    text
}

fn values_of(ty: ValueType) -> Option<&'static EnumSpec> {
    match ty {
        ValueType::Enum(spec) | ValueType::List(&ValueType::Enum(spec)) => Some(spec),
        _ => None,
    }
}

fn referenced_kind(ty: ValueType) -> Option<Kind> {
    match ty {
        ValueType::Ref(kind) | ValueType::List(&ValueType::Ref(kind)) => Some(kind),
        _ => None,
    }
}

pub fn enum_value(spec: &EnumSpec, value: &EnumValue) -> String {
    let aws = if value.aws == value.word {
        String::new()
    } else {
        format!(" → `{}`", value.aws)
    };
    format!(
        "**`{}`**{aws}: {}\n\n{}",
        value.word,
        crate::diagnostics::a_or_an(spec.what),
        value.doc
    )
}

pub fn provider_text(provider: &ProviderSpec) -> String {
    let action_type = provider.action_type();
    let count = |(min, max): (u32, u32)| {
        if min == max {
            min.to_string()
        } else {
            format!("{min}–{max}")
        }
    };
    let mut text = format!(
        "**`{}`**: {} / {} action\n\n{}",
        provider.name, provider.category, provider.provider, provider.doc
    );
    if let Some(kind) = provider.argument {
        let _ = write!(text, "\n\nArgument: {}", kind.article());
    }
    let _ = write!(
        text,
        "\n\nInput artifacts: {}; output artifacts: {}",
        count(action_type.input_artifacts),
        count(action_type.output_artifacts)
    );
    if !provider.settings.is_empty() {
        let _ = write!(
            text,
            "\n\nSettings: {}",
            code_list(provider.settings.iter().map(|s| s.name))
        );
    }
    link(&mut text, provider.link());
    text
}

fn artifact(analysis: &Analysis, pipeline: usize, name: &str) -> Option<String> {
    let graph = analysis.artifacts.get(pipeline)?;
    let program = &analysis.program;
    let stage_of = |stage: usize| {
        program.pipelines[pipeline]
            .stages
            .get(stage)
            .map_or_else(String::new, |s| s.aws_name())
    };
    let Some(artifact) = graph.get(name) else {
        return Some(format!(
            "**artifact `{name}`**\n\nNo action of this pipeline produces it."
        ));
    };
    let producer = program.action(artifact.producer.action)?;
    let what = match &artifact.producer.ty {
        ArtifactType::Source => "the source: the checked-out repository or object".to_string(),
        ArtifactType::ImageDetail => "`imageDetail.json` of the pushed image".to_string(),
        ArtifactType::ImageDefinitions { service } => format!(
            "`imagedefinitions.json` for service `{}`",
            program.services.get(*service).map_or("", |s| s.header.name.as_str())
        ),
        ArtifactType::Files { .. } => "files the build produced".to_string(),
        ArtifactType::Opaque | ArtifactType::Undeclared { .. } => "contents cruddur does not know".to_string(),
    };
    let mut text = format!(
        "**artifact `{name}`** ({}): {what}\n\nProduced by action `{}` (`{}`) in stage `{}`",
        artifact.producer.ty,
        producer.label.value,
        producer.provider.value.name(),
        stage_of(artifact.producer.action.stage)
    );
    let consumers: Vec<_> = graph.consumers(name).collect();
    if consumers.is_empty() {
        text.push_str("\n\nUsed by no action");
    } else {
        let users: Vec<String> = consumers
            .iter()
            .filter_map(|c| {
                let action = program.action(c.action)?;
                Some(format!(
                    "`{}` (stage `{}`)",
                    action.label.value,
                    stage_of(c.action.stage)
                ))
            })
            .collect();
        let _ = write!(text, "\n\nUsed by {}", users.join(", "));
    }
    Some(text)
}

/// A `$VARIABLE` in a command: set by the `env` of the project it is in, or by CodeBuild.
fn variable(analysis: &Analysis, file: FileId, offset: usize, name: &str) -> Option<String> {
    let here = analysis
        .program
        .projects
        .iter()
        .find(|p| p.header.item_loc.file == file && p.header.item_loc.span.contains(&offset));
    if let Some(project) = here {
        if let Some(var) = project.env.iter().find(|v| v.name.value == name) {
            let source = match &var.value {
                crate::resolve::model::EnvValue::Plain(_) => "a value",
                crate::resolve::model::EnvValue::ParameterStore(_) => "a Parameter Store parameter",
                crate::resolve::model::EnvValue::SecretsManager(_) => "a Secrets Manager secret",
            };
            return Some(format!(
                "**`${name}`**: environment variable of project `{}`, set from {source}",
                project.header.name
            ));
        }
    }
    let doc = crate::data::codebuild_variable(name)?;
    Some(format!("**`${name}`**: set by CodeBuild\n\n{doc}"))
}

/// A provider setting: the configuration key it becomes, whether AWS requires it, the values
/// AWS lists for it.
pub fn setting_text(provider: &ProviderSpec, setting: &SettingSpec) -> String {
    let key = provider
        .action_type()
        .configuration
        .iter()
        .find(|c| c.name == setting.key);
    let mut text = format!(
        "**`{}`**: setting of `{}` actions → `{}`{}\n\n{}",
        setting.name,
        provider.name,
        setting.key,
        if key.is_some_and(|k| k.required) {
            " (required)"
        } else {
            ""
        },
        setting.doc
    );
    if let Some(values) = key.map(|k| &k.values).filter(|v| !v.is_empty()) {
        let _ = write!(text, "\n\nValues: {}", code_list(values.iter().copied()));
    }
    link(&mut text, provider.link());
    text
}

/// The name an item has in AWS, when it is written as plain text.
pub(crate) fn aws_name(analysis: &Analysis, id: ItemId) -> Option<String> {
    let program = &analysis.program;
    let literal = |t: &Option<Text>| t.as_ref().and_then(Text::literal).map(|l| l.into_owned());
    match id.kind {
        Kind::Connection => program.connections.get(id.index).and_then(|c| literal(&c.name)),
        Kind::Repository => program.repositories.get(id.index).and_then(|r| literal(&r.name)),
        Kind::Service => program.services.get(id.index).and_then(|s| literal(&s.name)),
        Kind::Role => program.roles.get(id.index).and_then(|r| literal(&r.name)),
        Kind::Project => program.projects.get(id.index).and_then(|p| literal(&p.name)),
        Kind::Pipeline => program.pipelines.get(id.index).and_then(|p| literal(&p.name)),
        Kind::Param | Kind::Let | Kind::StageTemplate => None,
    }
}

/// A diagnostic code written in a comment (`// cruddur-allow(S0011): …`): its explanation.
fn code_in_comment(analysis: &Analysis, source: &str, file: FileId, offset: usize) -> Option<Hover> {
    let offset = crate::diagnostics::clamp_to_char_boundary(source, offset);
    let comment = analysis
        .ast(file)?
        .comments
        .iter()
        .find(|c| c.span.start <= offset && offset <= c.span.end)?;
    let is_word = |c: char| c.is_ascii_alphanumeric();
    let text = source.get(comment.span.clone())?;
    let at = offset - comment.span.start;
    // After the last character that is not part of the word, however many bytes it takes.
    let start = text[..at]
        .char_indices()
        .rfind(|&(_, c)| !is_word(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..].find(|c| !is_word(c)).map_or(text.len(), |i| at + i);
    let word = &text[start..end];
    let code = crate::diagnostics::Code::ALL.iter().find(|c| c.as_str() == word)?;
    Some(Hover {
        markdown: crate::diagnostics::explain::entry(*code)?.to_string(),
        span: comment.span.start + start..comment.span.start + end,
    })
}

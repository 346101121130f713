//! Completion candidates at an offset: the members a block takes and does not have yet, the
//! values a member takes (enum values, items of the kind it wants, value functions), the
//! providers and their settings, artifacts produced before an action, names and fields inside
//! `${{ … }}`, `$VARIABLES` in a command, and IAM actions.
//!
//! Completion runs on text being typed, which rarely parses: the place is read from the tokens
//! before the cursor (which blocks are open, what the current member has so far), and the
//! program's last analysis supplies the names.

pub(crate) mod context;

use crate::analysis::Analysis;
use crate::diagnostics::{FileId, Span};
use crate::resolve::model::Kind;
use crate::syntax::lexer;
use crate::vocabulary::{
    self, items::ITEMS, Calls, EnumSpec, Enumerated, Form, ItemSpec, LabelValue, MemberSpec, PhaseName, ProviderSpec,
    ValueType,
};
use context::{Context, Place};

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
        prefix: source.get(context.word.clone()).unwrap_or("").to_ascii_lowercase(),
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

struct Candidates<'a> {
    analysis: &'a Analysis,
    /// The part of the word already typed, lowercased: candidates match it ignoring case.
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
        if !label.to_ascii_lowercase().starts_with(&self.prefix) {
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
                let insert = item_snippet(item);
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
            self.push(
                spec.name,
                CompletionKind::Member,
                spec.form_name().into(),
                spec.doc,
                member_snippet(spec),
                true,
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
        for value in key.values {
            let insert = match *value {
                "true" | "false" => value.to_string(),
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
                    let insert = provider_snippet(provider);
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
                        image.identifier.to_string(),
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
                        self.prefix = field.to_ascii_lowercase();
                        self.replace = self.replace.end - field.len()..self.replace.end;
                        self.fields(head.trim());
                    }
                    None => {
                        self.prefix = typed.to_ascii_lowercase();
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
            self.prefix = text_before[text_before.len() - name_len..].to_ascii_lowercase();
            self.replace = self.replace.end - name_len..self.replace.end;
            self.variables(context);
            return;
        }
        let Some(member) = member else { return };
        let Some(spec) = context.member(member) else {
            // A provider setting naming an artifact: `primary_source = "`.
            let (_, provider) = context.block_members();
            if let Some(setting) = provider.and_then(|p| p.setting(member)).filter(|s| s.names_artifact) {
                self.prefix = text_before.to_ascii_lowercase();
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
            self.prefix = text_before.to_ascii_lowercase();
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
        for (prefix, name) in crate::data::iam::prefixes() {
            let text = format!("{prefix}:");
            let insert = if quoted {
                format!("\"{text}$0\"")
            } else {
                format!("{text}$0")
            };
            self.push(&text, CompletionKind::IamAction, name.to_string(), "", insert, true);
        }
    }

    fn iam_actions(&mut self, service: &str) {
        let Some(found) = crate::data::iam::service(service) else {
            return;
        };
        for (name, action) in &found.actions {
            let label = format!("{service}:{name}");
            // A service has hundreds of actions: describe only those that match.
            if !label.to_ascii_lowercase().starts_with(&self.prefix) {
                continue;
            }
            let resources = if action.resources.is_empty() {
                "no resource-level permission: grant it on \"*\"".to_string()
            } else {
                format!("resources: {}", action.resources.join(", "))
            };
            self.push(
                &label,
                CompletionKind::IamAction,
                action.access.to_string(),
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
            .map(|i| {
                i.runtimes
                    .iter()
                    .map(|(n, v)| (n.to_string(), v.iter().map(|v| v.to_string()).collect()))
                    .collect()
            })
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
fn member_snippet(spec: &MemberSpec) -> String {
    let name = spec.name;
    let text = match spec.form {
        Form::Property => format!("{name} = $0"),
        Form::Block(_) | Form::Map(_) => format!("{name} {{\n\t$0\n}}"),
        Form::Statement => format!("{name} $0"),
        // The provider chosen next brings the action's body, with its required settings.
        Form::Labelled {
            value: LabelValue::Required,
            body: Some(_),
        } if spec.ty == ValueType::Provider => format!("{name} ${{1:name}} = $0"),
        Form::Labelled {
            value: LabelValue::Required,
            body: Some(_),
        } => format!("{name} ${{1:name}} = $2 {{\n\t$0\n}}"),
        // A stage holds at least one action.
        Form::Labelled { body: Some(_), .. } if name == "stage" => {
            format!("{name} ${{1:name}} {{\n\taction ${{2:name}} = $0\n}}")
        }
        Form::Labelled {
            value: LabelValue::Required,
            body: None,
        } => format!("{name} ${{1:name}} = $0"),
        Form::Labelled { .. } => format!("{name} ${{1:name}} {{\n\t$0\n}}"),
    };
    text
}

/// An item's skeleton: its name, then each member it requires with a place to type the value.
fn item_snippet(item: &ItemSpec) -> String {
    let keyword = item.keyword;
    match item.form {
        Form::Labelled {
            value: LabelValue::Required,
            ..
        } => format!("{keyword} ${{1:name}} = $0"),
        Form::Labelled { .. } => {
            let mut text = format!("{keyword} ${{1:name}} {{\n");
            for (n, name) in item.required.iter().enumerate() {
                let ty = item.members().iter().find(|m| m.name == *name).map(|m| m.ty);
                text.push_str(&format!("\t{name} = {}\n", value_slot(ty, n + 2)));
            }
            text + "\t$0\n}"
        }
        _ => format!("{keyword} {{\n\t$0\n}}"),
    }
}

/// An action's provider with its argument and a body holding the settings AWS requires.
fn provider_snippet(provider: &ProviderSpec) -> String {
    let mut text = match provider.argument {
        Some(kind) => format!("{}(${{1:{}}}) {{\n", provider.name, kind.keyword()),
        None => format!("{} {{\n", provider.name),
    };
    for (n, setting) in provider.required_settings().enumerate() {
        text.push_str(&format!("\t{} = \"${}\"\n", setting.name, n + 2));
    }
    text + "\t$0\n}"
}

/// The `n`th tab stop where a value of type `ty` is typed: inside quotes for text, brackets
/// for a list, a choice of the words of an enumeration.
fn value_slot(ty: Option<ValueType>, n: usize) -> String {
    match ty {
        Some(ValueType::Text | ValueType::Literal) => format!("\"${n}\""),
        Some(ValueType::List(_)) => format!("[${n}]"),
        Some(ValueType::Enum(spec)) => {
            let words: Vec<&str> = spec.values.iter().map(|v| v.word).collect();
            format!("${{{n}|{}|}}", words.join(","))
        }
        Some(ValueType::Bool) => format!("${{{n}|true,false|}}"),
        _ => format!("${n}"),
    }
}

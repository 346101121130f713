//! Go to definition, find references and rename: items (with parameters and `let`s) across the
//! files of a program, and artifacts within a pipeline.

use crate::analysis::query::{self, Located};
use crate::analysis::Analysis;
use crate::diagnostics::{Edit, FileId, SourceMap};
use crate::resolve::index::Target;
use crate::resolve::model::{ConfigValue, Loc};

/// What a name at a place stands for: an item, or an artifact of a pipeline.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Symbol {
    Item(crate::resolve::model::ItemId),
    Artifact { pipeline: usize, name: String },
}

fn symbol_at(analysis: &Analysis, sources: &SourceMap, file: FileId, offset: usize) -> Option<(Symbol, Loc)> {
    let found = query::at(analysis, sources.source(file), file, offset)?;
    let loc = Loc {
        file,
        span: found.span.clone(),
    };
    match found.located {
        Located::Definition(definition) => Some((Symbol::Item(definition.id), definition.loc.clone())),
        Located::Reference {
            reference,
            on_field: false,
        } => match reference.target? {
            Target::Item(id) => Some((Symbol::Item(id), loc)),
            Target::Aws => None,
        },
        Located::Artifact { pipeline, name } => Some((
            Symbol::Artifact {
                pipeline,
                name: name.to_string(),
            },
            loc,
        )),
        _ => None,
    }
}

/// Where the thing at `offset` is defined: an item's name, an `aws` value, the output that
/// produces an artifact.
pub fn definition(analysis: &Analysis, sources: &SourceMap, file: FileId, offset: usize) -> Option<Loc> {
    let found = query::at(analysis, sources.source(file), file, offset)?;
    match found.located {
        Located::Reference { reference, .. } => match reference.target? {
            Target::Item(id) => analysis.index.definition(id).map(|d| d.loc.clone()),
            Target::Aws => {
                let aws = analysis.program.aws.as_ref()?;
                let value = match reference.field.as_ref().map(|f| f.value.as_str()) {
                    Some("account") => aws.account.as_ref(),
                    Some("region") => aws.region.as_ref(),
                    _ => None,
                };
                Some(value.map_or_else(|| aws.loc.clone(), |v| v.loc.clone()))
            }
        },
        Located::Definition(definition) => Some(definition.loc.clone()),
        Located::Artifact { pipeline, name } => {
            let artifact = analysis.artifacts.get(pipeline)?.get(name)?;
            Some(artifact.producer.output.loc.clone())
        }
        _ => None,
    }
}

/// Every place the thing at `offset` is written: its definition (when asked for) and its
/// references, in source order.
pub fn references(
    analysis: &Analysis,
    sources: &SourceMap,
    file: FileId,
    offset: usize,
    include_definition: bool,
) -> Vec<Loc> {
    let Some((symbol, _)) = symbol_at(analysis, sources, file, offset) else {
        return Vec::new();
    };
    let mut locs = occurrences(analysis, sources, &symbol, include_definition);
    locs.sort_by_key(|l| (l.file, l.span.start));
    locs.dedup();
    locs
}

fn occurrences(analysis: &Analysis, sources: &SourceMap, symbol: &Symbol, include_definition: bool) -> Vec<Loc> {
    let mut locs = Vec::new();
    match symbol {
        Symbol::Item(id) => {
            if include_definition {
                locs.extend(analysis.index.definition(*id).map(|d| d.loc.clone()));
            }
            locs.extend(analysis.index.references_to(Target::Item(*id)).map(|r| r.loc.clone()));
        }
        Symbol::Artifact { pipeline, name } => {
            let Some(graph) = analysis.artifacts.get(*pipeline) else {
                return locs;
            };
            if let Some(artifact) = graph.get(name) {
                if include_definition {
                    locs.push(artifact.producer.output.loc.clone());
                }
                locs.extend(artifact.again.iter().map(|p| p.output.loc.clone()));
            }
            locs.extend(graph.consumers(name).map(|c| c.input.loc.clone()));
            locs.extend(artifact_settings(analysis, sources, *pipeline, name));
        }
    }
    locs
}

/// Settings of a pipeline's actions that name the artifact (`primary_source = "Source"`): the
/// name inside the quotes.
fn artifact_settings(analysis: &Analysis, sources: &SourceMap, pipeline: usize, name: &str) -> Vec<Loc> {
    let Some(pipeline) = analysis.program.pipelines.get(pipeline) else {
        return Vec::new();
    };
    let quoted = format!("\"{name}\"");
    pipeline
        .stages
        .iter()
        .flat_map(|s| &s.actions)
        .flat_map(|a| &a.config)
        .filter(|c| c.setting.is_some_and(|s| s.names_artifact))
        .filter_map(|c| match &c.value {
            ConfigValue::Text(text) => Some(&text.loc),
            _ => None,
        })
        .filter(|loc| sources.source(loc.file).get(loc.span.clone()) == Some(quoted.as_str()))
        .map(|loc| Loc {
            file: loc.file,
            span: loc.span.start + 1..loc.span.end - 1,
        })
        .collect()
}

/// The span and the name a rename at `offset` would change.
pub fn prepare_rename(
    analysis: &Analysis,
    sources: &SourceMap,
    file: FileId,
    offset: usize,
) -> Result<(Loc, String), String> {
    let (symbol, loc) =
        symbol_at(analysis, sources, file, offset).ok_or_else(|| nothing_to_rename(analysis, sources, file, offset))?;
    let name = match &symbol {
        Symbol::Item(id) => analysis
            .index
            .definition(*id)
            .map(|d| d.name.clone())
            .unwrap_or_default(),
        Symbol::Artifact { name, .. } => name.clone(),
    };
    Ok((loc, name))
}

fn nothing_to_rename(analysis: &Analysis, sources: &SourceMap, file: FileId, offset: usize) -> String {
    match query::at(analysis, sources.source(file), file, offset).map(|f| f.located) {
        Some(Located::Keyword(_) | Located::Member { .. } | Located::Setting { .. } | Located::Provider(_)) => {
            "a word of the language cannot be renamed".to_string()
        }
        Some(Located::EnumValue { .. } | Located::Function(_)) => {
            "a value of the language cannot be renamed".to_string()
        }
        Some(Located::Reference { on_field: true, .. }) => "an item's field cannot be renamed".to_string(),
        Some(Located::Reference { reference, .. }) if reference.target.is_none() => {
            format!("no item is named `{}`", reference.name)
        }
        _ => "nothing to rename here: put the cursor on an item's name or an artifact".to_string(),
    }
}

/// The edits that rename the thing at `offset` everywhere it is written, or why not: a name
/// that is not one, or that something else has already.
pub fn rename(
    analysis: &Analysis,
    sources: &SourceMap,
    file: FileId,
    offset: usize,
    new_name: &str,
) -> Result<Vec<Edit>, String> {
    let (symbol, _) =
        symbol_at(analysis, sources, file, offset).ok_or_else(|| nothing_to_rename(analysis, sources, file, offset))?;
    if !is_name(new_name) {
        return Err(format!(
            "`{new_name}` is not a name: names start with a letter or `_` and hold letters, digits and `_`"
        ));
    }
    if matches!(new_name, "true" | "false") {
        return Err(format!("`{new_name}` is a boolean, not a name"));
    }
    match &symbol {
        Symbol::Item(id) => {
            let current = analysis.index.definition(*id).map(|d| d.name.as_str());
            if current == Some(new_name) {
                return Ok(Vec::new());
            }
            if new_name == "aws" {
                return Err("`aws` is taken by `${{ aws.account }}` and `${{ aws.region }}`".to_string());
            }
            if let Some(taken) = analysis.index.definitions.iter().find(|d| d.name == new_name) {
                return Err(format!(
                    "`{new_name}` is already the name of {} (line {})",
                    taken.id.kind.article(),
                    sources.line_col(taken.loc.file, taken.loc.span.start).line
                ));
            }
        }
        Symbol::Artifact { pipeline, name } => {
            if name == new_name {
                return Ok(Vec::new());
            }
            crate::data::check_name("artifact_name", new_name)
                .map_err(|why| format!("`{new_name}` is not a valid artifact name: {why}"))?;
            if analysis
                .artifacts
                .get(*pipeline)
                .is_some_and(|g| g.get(new_name).is_some())
            {
                return Err(format!("the pipeline already has an artifact named `{new_name}`"));
            }
        }
    }
    let mut edits: Vec<Edit> = occurrences(analysis, sources, &symbol, true)
        .into_iter()
        .map(|loc| Edit {
            file: loc.file,
            span: loc.span,
            replacement: new_name.to_string(),
        })
        .collect();
    edits.sort_by_key(|e| (e.file, e.span.start));
    edits.dedup();
    Ok(edits)
}

fn is_name(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

//! Findings in a stage template's text, reported once. Each stage made from a template is
//! lowered under a file id tagged with its instance (`FileId::in_instance`), so checks find a
//! mistake in the template once per stage. Here the tags are removed, findings that say the
//! same thing at the same place become one, and that one names the stages it was found in.

use crate::diagnostics::{Diagnostic, Label};
use crate::resolve::model::{Loc, Program};
use crate::resolve::Gaps;
use std::collections::{BTreeSet, HashMap};

/// At most this many stages are pointed at; the others are counted in a note.
const STAGES_SHOWN: usize = 4;

pub fn report_once(program: &Program, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if program.instances.is_empty() {
        return diagnostics;
    }
    let mut merged: Vec<(Diagnostic, BTreeSet<usize>)> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for mut diagnostic in diagnostics {
        let instances = diagnostic.strip_instances();
        let key = format!(
            "{:?}|{:?}|{:?}|{}|{:?}",
            diagnostic.code, diagnostic.primary.file, diagnostic.primary.span, diagnostic.message, diagnostic.secondary
        );
        match seen.get(&key) {
            Some(&at) => merged[at].1.extend(instances),
            None => {
                seen.insert(key, merged.len());
                merged.push((diagnostic, instances));
            }
        }
    }
    merged
        .into_iter()
        .map(|(mut diagnostic, instances)| {
            name_stages(program, &mut diagnostic, &instances);
            diagnostic
        })
        .collect()
}

/// Points at the stages made from a template in which the finding was made.
fn name_stages(program: &Program, diagnostic: &mut Diagnostic, instances: &BTreeSet<usize>) {
    for &number in instances.iter().take(STAGES_SHOWN) {
        let Some(instance) = program.instances.get(number) else {
            continue;
        };
        let template = program
            .stage_templates
            .get(instance.template)
            .map_or("", |t| t.header.name.as_str());
        let at = &instance.stage.loc;
        // A template several pipelines use names the pipeline too.
        let shared = program
            .instances
            .iter()
            .any(|other| other.template == instance.template && other.pipeline != instance.pipeline);
        let stage = if shared {
            format!("stage `{}` of pipeline `{}`", instance.stage.value, instance.pipeline)
        } else {
            format!("stage `{}`", instance.stage.value)
        };
        diagnostic.secondary.push(Label::new(
            at.file.source_file(),
            at.span.clone(),
            format!("in {stage}, made from `{template}`"),
        ));
    }
    if instances.len() > STAGES_SHOWN {
        diagnostic.notes.push(format!(
            "and in {} more stages made from the same template",
            instances.len() - STAGES_SHOWN
        ));
    }
}

/// Artifact names written in templates' text, at their place in the file: what editors find,
/// rename and point at (a name several stages share is one place).
pub fn untag_artifacts(graphs: &mut [crate::resolve::artifacts::ArtifactGraph]) {
    for graph in graphs {
        for artifact in graph.artifacts.values_mut() {
            untag_loc(&mut artifact.producer.output.loc);
            for again in &mut artifact.again {
                untag_loc(&mut again.output.loc);
            }
        }
        for consumption in &mut graph.inputs {
            untag_loc(&mut consumption.input.loc);
        }
    }
}

/// Gaps found in templates' text, at their place in the file.
pub fn untag_gaps(gaps: &mut Gaps) {
    for loc in gaps.unread.iter_mut().chain(gaps.unresolved.iter_mut()) {
        untag_loc(loc);
    }
}

fn untag_loc(loc: &mut Loc) {
    loc.file = loc.file.source_file();
}

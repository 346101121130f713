//! Code actions: the fixes of the findings at a range, as an editor offers them. Mechanical
//! fixes are preferred (applied with one keystroke); an item's missing required settings are
//! also offered together; then one action fixes every mechanical finding in the file.

use crate::analysis::Analysis;
use crate::diagnostics::{Applicability, Code, Diagnostic, Edit, FileId};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    /// Every mechanical fix of the file at once.
    FixAll,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    /// A mechanical fix: there is one thing the text can have meant.
    pub preferred: bool,
    /// The findings it fixes, as indexes into the analysis's diagnostics (none for fix-all).
    pub fixes: Vec<usize>,
    pub edits: Vec<Edit>,
}

/// The actions for the byte range `start..end` of `file`.
pub fn code_actions(analysis: &Analysis, file: FileId, start: usize, end: usize) -> Vec<Action> {
    let shown = |d: &Diagnostic| d.primary.file == file && d.is_active();
    let mut actions = Vec::new();
    let mut mechanical: Vec<&Edit> = Vec::new();
    for (index, d) in analysis.diagnostics.iter().enumerate() {
        let Some(fix) = d.fix.as_ref().filter(|_| shown(d)) else {
            continue;
        };
        let preferred = fix.applicability == Applicability::Machine;
        if preferred {
            mechanical.extend(fix.edits.iter());
        }
        if d.primary.span.end < start || d.primary.span.start > end {
            continue;
        }
        actions.push(Action {
            title: fix.message.clone(),
            kind: ActionKind::QuickFix,
            preferred,
            fixes: vec![index],
            edits: fix.edits.clone(),
        });
    }
    actions.extend(missing_settings(analysis, &shown, start, end));
    if let Some(edits) = disjoint(mechanical) {
        actions.push(Action {
            title: "Fix all mechanical problems in the file".to_string(),
            kind: ActionKind::FixAll,
            preferred: false,
            fixes: Vec::new(),
            edits,
        });
    }
    actions
}

/// "Add the missing required settings": every slot one item or action lacks, in one action
/// (each is also offered alone, as its finding's fix).
fn missing_settings(
    analysis: &Analysis,
    shown: &dyn Fn(&Diagnostic) -> bool,
    start: usize,
    end: usize,
) -> Option<Action> {
    let slots: Vec<(usize, &Diagnostic)> = analysis
        .diagnostics
        .iter()
        .enumerate()
        .filter(|(_, d)| shown(d))
        .filter(|(_, d)| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Placeholder)
        })
        .collect();
    // The item or action at the range: the one whose name the findings point at.
    let at = slots
        .iter()
        .find(|(_, d)| d.primary.span.start <= end && start <= d.primary.span.end)?
        .1
        .primary
        .span
        .clone();
    let group: Vec<(usize, &Diagnostic)> = slots.into_iter().filter(|(_, d)| d.primary.span == at).collect();
    if group.len() < 2 {
        return None;
    }
    Some(Action {
        title: "Add the missing required settings, to fill in".to_string(),
        kind: ActionKind::QuickFix,
        preferred: false,
        fixes: group.iter().map(|(index, _)| *index).collect(),
        edits: group
            .iter()
            .flat_map(|(_, d)| d.fix.iter().flat_map(|f| f.edits.clone()))
            .collect(),
    })
}

/// Edits that do not overlap (the first of two that do is kept), or none.
fn disjoint(mut edits: Vec<&Edit>) -> Option<Vec<Edit>> {
    edits.sort_by_key(|e| (e.file, e.span.start, e.span.end));
    let mut out: Vec<Edit> = Vec::new();
    for edit in edits {
        let overlaps = out
            .last()
            .is_some_and(|last| last.file == edit.file && last.span.end > edit.span.start);
        if !overlaps && !out.contains(edit) {
            out.push(edit.clone());
        }
    }
    (!out.is_empty()).then_some(out)
}

/// A finding as one text for an editor's list: the message, then its label where it says
/// more, its help and its notes, one per line.
pub fn message(d: &Diagnostic) -> String {
    let mut message = d.message.clone();
    if !d.primary.message.is_empty() && d.primary.message != d.message {
        message.push('\n');
        message.push_str(&d.primary.message);
    }
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    for note in &d.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    message
}

/// A finding about something unused, which editors show faded.
pub fn unnecessary(d: &Diagnostic) -> bool {
    matches!(d.code, Code::UnusedItem | Code::UnusedArtifact | Code::UnusedWaiver)
}

//! `cruddur check --fix`: the mechanical fixes diagnostics carry, applied to a program's files
//! in the workspace, round after round while new ones appear (a bounded number of rounds).
//! Suggestions (a near name, a safer setting) are left to a person. A fix is kept only if
//! checking again finds no error that was not there before, except those that text made
//! readable by the fix now shows (in the same item); otherwise it is undone, with the error it
//! would have added.

use crate::diagnostics::{Applicability, Code, Diagnostic, Edit, FileId};
use crate::workspace::Workspace;
use crate::Analysis;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Rounds of fixing at most: each round's fixes may reveal more.
pub const MAX_ROUNDS: usize = 8;

/// A fix applied, or one left alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub code: Code,
    /// What the fix does ("insert `=`").
    pub message: String,
    pub file: FileId,
    /// 1-based line and column in the file as it was when the fix was tried (after the
    /// fixes of earlier rounds, from round 2 on).
    pub line: usize,
    pub column: usize,
    /// The round it was tried in, from 1.
    pub round: usize,
    /// For a fix left alone: the error it would have added.
    pub reason: Option<String>,
}

#[derive(Debug, Default)]
pub struct Fixed {
    /// Files whose text changed, with their text before any fix.
    pub originals: BTreeMap<FileId, String>,
    pub applied: Vec<Outcome>,
    /// Fixes not applied: checking again found they would add an error.
    pub refused: Vec<Outcome>,
    /// Rounds that applied something.
    pub rounds: usize,
}

/// A finding's fix, where it is: found again after other fixes moved the text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Anchor {
    key: String,
    file: FileId,
    offset: usize,
}

/// Applies the mechanical fixes of program `program`'s findings whose edits are all in files
/// `fixable` accepts, in the workspace (as editor-buffer text: write the files yourself, or
/// not). Warnings' fixes are applied too; waived findings' are not.
pub fn fix_program(workspace: &mut Workspace, program: usize, fixable: &dyn Fn(FileId) -> bool) -> Fixed {
    let mut fixed = Fixed::default();
    let mut refused: Vec<Anchor> = Vec::new();
    for round in 1..=MAX_ROUNDS {
        let analysis = workspace.analysis(program);
        let candidates = candidates(&analysis, &refused, fixable);
        if candidates.is_empty() {
            break;
        }
        // All at once first; in smaller groups when together they add an error.
        match try_fixes(workspace, program, &analysis, &candidates, round, &mut fixed.originals) {
            Ok((outcomes, edits)) => {
                fixed.applied.extend(outcomes);
                shift_all(&mut refused, &edits);
                fixed.rounds = round;
                continue;
            }
            Err(_) if candidates.len() > 1 => {}
            Err(reason) => {
                let mut outcome = outcome(workspace, &candidates[0], round);
                outcome.reason = Some(reason);
                fixed.refused.push(outcome);
                refused.push(anchor(&candidates[0]));
                continue;
            }
        }
        // Halves, then quarters, … : a few bad fixes among many cost a few analyses each, not
        // one analysis per fix. Each group is found again where accepted fixes moved it.
        let mut groups: Vec<Vec<Anchor>> = split(candidates.iter().map(anchor).collect());
        let mut progress = false;
        // The findings that have a fix by anchor (the first of equal ones), worked out once
        // per analysis: a refused group leaves the analysis it started from in place.
        let mut anchored: Option<(Arc<Analysis>, HashMap<Anchor, usize>)> = None;
        while let Some(group) = groups.pop() {
            let current = workspace.analysis(program);
            let index = match &anchored {
                Some((analysis, index)) if Arc::ptr_eq(analysis, &current) => index,
                _ => {
                    let mut index = HashMap::new();
                    for (at, d) in current.diagnostics.iter().enumerate().filter(|(_, d)| d.fix.is_some()) {
                        index.entry(anchor(d)).or_insert(at);
                    }
                    &anchored.insert((current.clone(), index)).1
                }
            };
            let found: Vec<Diagnostic> = group
                .iter()
                .filter_map(|wanted| index.get(wanted).map(|&at| current.diagnostics[at].clone()))
                .collect();
            if found.is_empty() {
                continue;
            }
            match try_fixes(workspace, program, &current, &found, round, &mut fixed.originals) {
                Ok((outcomes, edits)) => {
                    fixed.applied.extend(outcomes);
                    shift_all(&mut refused, &edits);
                    for group in &mut groups {
                        shift_all(group, &edits);
                    }
                    progress = true;
                }
                Err(_) if found.len() > 1 => groups.extend(split(found.iter().map(anchor).collect())),
                Err(reason) => {
                    let mut outcome = outcome(workspace, &found[0], round);
                    outcome.reason = Some(reason);
                    fixed.refused.push(outcome);
                    refused.push(anchor(&found[0]));
                }
            }
        }
        if !progress {
            break;
        }
        fixed.rounds = round;
    }
    fixed
}

/// A group of fixes as two halves, on a stack: the first half is popped first.
fn split(mut group: Vec<Anchor>) -> Vec<Vec<Anchor>> {
    let second = group.split_off(group.len().div_ceil(2));
    [second, group].into_iter().filter(|g| !g.is_empty()).collect()
}

/// Findings with a mechanical fix to try: active, not refused before, in files that may be
/// changed, edits not overlapping one another.
fn candidates(analysis: &Analysis, refused: &[Anchor], fixable: &dyn Fn(FileId) -> bool) -> Vec<Diagnostic> {
    let mut taken: Vec<&Edit> = Vec::new();
    let mut chosen = Vec::new();
    for diagnostic in &analysis.diagnostics {
        let Some(fix) = diagnostic
            .fix
            .as_ref()
            .filter(|f| f.applicability == Applicability::Machine)
        else {
            continue;
        };
        if diagnostic.suppressed.is_some()
            || fix.edits.is_empty()
            || !fix.edits.iter().all(|e| fixable(e.file))
            || refused.contains(&anchor(diagnostic))
        {
            continue;
        }
        if fix.edits.iter().any(|e| taken.iter().any(|t| overlaps(t, e))) {
            continue;
        }
        taken.extend(fix.edits.iter());
        chosen.push(diagnostic.clone());
    }
    chosen
}

/// What identifies a finding's fix: what it says and does, and where its first edit is.
fn anchor(diagnostic: &Diagnostic) -> Anchor {
    let fix = diagnostic.fix.as_ref();
    let first = fix.and_then(|f| f.edits.first());
    Anchor {
        key: format!(
            "{}|{}|{}|{}",
            diagnostic.code,
            diagnostic.message,
            fix.map_or("", |f| f.message.as_str()),
            fix.map(|f| f
                .edits
                .iter()
                .map(|e| e.replacement.as_str())
                .collect::<Vec<_>>()
                .join("\u{1}"))
                .unwrap_or_default()
        ),
        file: first.map_or(diagnostic.primary.file, |e| e.file),
        offset: first.map_or(diagnostic.primary.span.start, |e| e.span.start),
    }
}

/// Moves anchors along with the text that edits changed before them.
fn shift_all(anchors: &mut [Anchor], edits: &[Edit]) {
    for anchor in anchors {
        anchor.offset = shift(anchor.file, anchor.offset, edits);
    }
}

/// Where `offset` of `file` is after `edits` (an offset inside an edit moves to its start).
fn shift(file: FileId, offset: usize, edits: &[Edit]) -> usize {
    let mut moved = offset as isize;
    for edit in edits.iter().filter(|e| e.file == file) {
        if edit.span.end <= offset {
            moved += edit.replacement.len() as isize - edit.span.len() as isize;
        } else if edit.span.start < offset {
            moved -= (offset - edit.span.start) as isize;
        }
    }
    moved.max(0) as usize
}

fn overlaps(a: &Edit, b: &Edit) -> bool {
    a.file == b.file
        && (a.span.start < b.span.end && b.span.start < a.span.end
            || a.span.start == b.span.start
            || (a.span.is_empty() && b.span.contains(&a.span.start))
            || (b.span.is_empty() && a.span.contains(&b.span.start)))
}

fn outcome(workspace: &Workspace, diagnostic: &Diagnostic, round: usize) -> Outcome {
    let at = anchor(diagnostic);
    let position = workspace.sources().line_col(at.file, at.offset);
    Outcome {
        code: diagnostic.code,
        message: diagnostic.fix.as_ref().map_or_else(String::new, |f| f.message.clone()),
        file: at.file,
        line: position.line,
        column: position.column,
        round,
        reason: None,
    }
}

/// Applies the fixes of `diagnostics` together and keeps them if they add no error; else
/// undoes them and says what they would add.
fn try_fixes(
    workspace: &mut Workspace,
    program: usize,
    before: &Analysis,
    diagnostics: &[Diagnostic],
    round: usize,
    originals: &mut BTreeMap<FileId, String>,
) -> Result<(Vec<Outcome>, Vec<Edit>), String> {
    let outcomes: Vec<Outcome> = diagnostics.iter().map(|d| outcome(workspace, d, round)).collect();
    let mut by_file: BTreeMap<FileId, Vec<&Edit>> = BTreeMap::new();
    for edit in diagnostics.iter().filter_map(|d| d.fix.as_ref()).flat_map(|f| &f.edits) {
        by_file.entry(edit.file).or_default().push(edit);
    }
    // Every file's new text first, so nothing is half applied.
    let mut new_texts: Vec<(FileId, String, String)> = Vec::new();
    let mut applied: Vec<Edit> = Vec::new();
    for (file, mut edits) in by_file {
        let text = workspace.sources().source(file).to_string();
        // Lines added to a file that ends its lines with `\r\n` end so too.
        let crlf = text.find('\n').is_some_and(|at| text[..at].ends_with('\r'));
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        let mut new = String::with_capacity(text.len());
        let mut at = 0;
        for edit in &edits {
            let (start, end) = (edit.span.start.min(text.len()), edit.span.end.min(text.len()));
            if start < at || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                return Err("its edits overlap".to_string());
            }
            let replacement = if crlf {
                edit.replacement.replace("\r\n", "\n").replace('\n', "\r\n")
            } else {
                edit.replacement.clone()
            };
            new.push_str(&text[at..start]);
            new.push_str(&replacement);
            applied.push(Edit {
                file,
                span: start..end,
                replacement,
            });
            at = end;
        }
        new.push_str(&text[at..]);
        new_texts.push((file, text, new));
    }
    let files: Vec<FileId> = new_texts.iter().map(|(file, _, _)| *file).collect();
    let snapshot = workspace.snapshot(&files);
    for (file, _, new) in &new_texts {
        let path = workspace.path(*file).to_path_buf();
        workspace.set_text(&path, new.as_str());
    }
    let after = workspace.analysis(program);
    if let Some(reason) = added_error(before, &after, &applied) {
        workspace.restore(snapshot);
        return Err(reason);
    }
    for (file, old, _) in new_texts {
        originals.entry(file).or_insert(old);
    }
    Ok((outcomes, applied))
}

/// The error a fix adds, if any: one that was not there before. An error in text that was
/// unread before and is read now (in the same item) is not added but revealed: the fix made
/// the text say what it says.
fn added_error(before: &Analysis, after: &Analysis, edits: &[Edit]) -> Option<String> {
    if after.gaps.unread.len() > before.gaps.unread.len() {
        return Some("text that no longer parses".to_string());
    }
    let mut known: HashMap<(Code, &str), usize> = HashMap::new();
    for d in before.diagnostics.iter().filter(|d| d.is_error()) {
        *known.entry((d.code, d.message.as_str())).or_default() += 1;
    }
    let mut added: Vec<&Diagnostic> = Vec::new();
    for d in after.diagnostics.iter().filter(|d| d.is_error()) {
        match known.get_mut(&(d.code, d.message.as_str())) {
            Some(count) if *count > 0 => *count -= 1,
            _ => added.push(d),
        }
    }
    if after.gaps.unread.len() < before.gaps.unread.len() {
        // The items that held unread text, where they are now.
        let revealed: Vec<(FileId, std::ops::Range<usize>)> = before
            .gaps
            .unread
            .iter()
            .map(|gap| {
                let item = before
                    .ast(gap.file)
                    .and_then(|ast| ast.members.iter().find(|m| m.span.contains(&gap.span.start)))
                    .map_or(gap.span.clone(), |m| m.span.clone());
                let start = shift(gap.file, item.start, edits);
                let end = shift(gap.file, item.end, edits).max(start);
                (gap.file, start..end + 1)
            })
            .collect();
        added.retain(|d| {
            !revealed
                .iter()
                .any(|(file, span)| d.primary.file == *file && span.contains(&d.primary.span.start))
        });
    }
    added.first().map(|d| format!("{} {}", d.code, d.message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::MemoryFs;
    use proptest::prelude::*;
    use std::path::Path;

    const PATH: &str = "/w/main.cruddur";

    fn workspace(text: &str) -> Workspace {
        let mut workspace = Workspace::new(MemoryFs::new().with(PATH, text));
        workspace.add_folder(Path::new("/w"));
        workspace
    }

    #[test]
    fn fixes_are_applied_round_after_round() {
        // The `:` must become `=` before the quoted value can be read, and then unquoted.
        let mut ws =
            workspace("repository r {\n  name: \"rr\"\n  scan_on_push = true\n  tag_mutability: \"immutable\"\n}\n");
        let fixed = fix_program(&mut ws, 0, &|_| true);
        let codes: Vec<&str> = fixed.applied.iter().map(|o| o.code.as_str()).collect();
        assert_eq!(codes, ["E0010", "E0010", "E0207"]);
        let file = ws.file(Path::new(PATH)).unwrap();
        assert_eq!(
            ws.sources().source(file),
            "repository r {\n  name = \"rr\"\n  scan_on_push = true\n  tag_mutability = immutable\n}\n"
        );
        assert_eq!(fixed.originals.len(), 1);
        assert!(fixed.refused.is_empty());
    }

    #[test]
    fn suggestions_are_left_to_a_person() {
        // A near name is a guess: `pushes = [backend_flsk]` might mean another repository.
        let text = "repository backend_flask {\n  name = \"bf\"\n}\nproject p {\n  name = \"pp\"\n  pushes = [backend_flsk]\n}\n";
        let mut ws = workspace(text);
        let analysis = ws.analysis(0);
        let guess = analysis
            .diagnostics
            .iter()
            .find(|d| d.code == Code::UnknownName)
            .unwrap();
        assert_eq!(guess.fix.as_ref().unwrap().applicability, Applicability::Suggested);
        let fixed = fix_program(&mut ws, 0, &|_| true);
        assert!(fixed.applied.is_empty() && fixed.originals.is_empty());
    }

    fn analysis_of(text: &str) -> std::sync::Arc<Analysis> {
        workspace(text).analysis(0)
    }

    #[test]
    fn an_error_a_fix_adds_is_named_and_one_it_reveals_is_not() {
        let before = analysis_of("repository r {\n  name = \"rr\"\n  scan_on_push = true\n}\n");
        // A fix that wrote `name = "r"` would add an error: AWS takes no one-letter names.
        let after = analysis_of("repository r {\n  name = \"r\"\n  scan_on_push = true\n}\n");
        let edits = [Edit {
            file: FileId(0),
            span: 26..28,
            replacement: "r".into(),
        }];
        let added = added_error(&before, &after, &edits).expect("an added error");
        assert!(added.starts_with("E0209"), "{added}");
        // The same error, there before (moved down a line by an edit above it): nothing added.
        let moved = analysis_of("\nrepository r {\n  name = \"r\"\n  scan_on_push = true\n}\n");
        let newline = [Edit {
            file: FileId(0),
            span: 0..0,
            replacement: "\n".into(),
        }];
        assert_eq!(added_error(&after, &moved, &newline), None);
        // Text that did not parse, read after the fix: what it says shows, and is not added.
        let broken = analysis_of("repository r {\n  name: \"r\"\n  scan_on_push = true\n}\n");
        let edits = [Edit {
            file: FileId(0),
            span: 21..22,
            replacement: " =".into(),
        }];
        assert_eq!(added_error(&broken, &after, &edits), None);
    }

    #[test]
    fn a_fix_that_would_add_an_error_is_undone() {
        // The role lacks the push permissions, but the repository has no name yet: the grant
        // the fix writes would name no repository, which is an error of its own.
        let text = "repository repo {\n}\nrole r {\n  trust = [codebuild]\n}\nproject bake {\n  name = \"bake\"\n  environment {\n    image = standard(\"7.0\")\n  }\n  pushes = [repo]\n  role = r\n}\n";
        let mut ws = workspace(text);
        let fixed = fix_program(&mut ws, 0, &|_| true);
        // The log permissions are granted; the push grant is left out, with its reason.
        assert_eq!(fixed.applied.len(), 1, "{:?}", fixed.applied);
        let refused = &fixed.refused[0];
        assert_eq!(refused.code, Code::MissingPermission);
        assert!(
            refused.reason.as_deref().is_some_and(|r| r.starts_with("E0406")),
            "{refused:?}"
        );
        let file = ws.file(Path::new(PATH)).unwrap();
        let fixed_text = ws.sources().source(file);
        assert!(fixed_text.contains("logs:PutLogEvents"), "{fixed_text}");
        assert!(!fixed_text.contains("ecr:PutImage"), "undone: {fixed_text}");
    }

    #[test]
    fn only_files_that_may_change_are_fixed() {
        let mut ws = workspace("repository r {\n  name: \"rr\"\n}\n");
        let fixed = fix_program(&mut ws, 0, &|_| false);
        assert!(fixed.applied.is_empty() && fixed.originals.is_empty());
    }

    /// Mistakes made in a clean example, as a person typing would make them.
    fn mutate(text: &str, choices: &[(u8, usize)]) -> String {
        let mut text = text.to_string();
        for &(kind, at) in choices {
            let lines: Vec<usize> = text.match_indices(" = ").map(|(i, _)| i).collect();
            if lines.is_empty() {
                break;
            }
            let i = lines[at % lines.len()];
            match kind % 5 {
                0 => text.replace_range(i..i + 3, ": "),
                1 => text.replace_range(i..i + 3, " =, "),
                2 => {
                    // Misspell the member name before ` = `.
                    let start = text[..i]
                        .rfind(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                        .map_or(0, |s| s + 1);
                    if i > start + 2 {
                        let bytes: Vec<char> = text[start..i].chars().collect();
                        let swapped: String = [&bytes[..1], &bytes[2..3], &bytes[1..2], &bytes[3..]]
                            .concat()
                            .iter()
                            .collect();
                        text.replace_range(start..i, &swapped);
                    }
                }
                3 => {
                    if let Some(close) = text[i..].find('}') {
                        text.replace_range(i + close..i + close + 1, "");
                    }
                }
                _ => {
                    let end = text[i + 3..].find('\n').map_or(text.len(), |e| i + 3 + e);
                    let value = text[i + 3..end].to_string();
                    if value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        text.replace_range(i + 3..end, &format!("\"{value}\""));
                    }
                }
            }
        }
        text
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn fixing_never_makes_text_unreadable_or_adds_errors(
            example in 0usize..4,
            choices in prop::collection::vec((0u8..5, 0usize..1000), 1..4),
        ) {
            let examples = [
                include_str!("../../examples/01-minimal.cruddur"),
                include_str!("../../examples/02-cruddur-backend-fargate.cruddur"),
                include_str!("../../examples/03-pull-request-checks.cruddur"),
                include_str!("../../examples/05-infrastructure-stack.cruddur"),
            ];
            let text = mutate(examples[example], &choices);
            let mut ws = workspace(&text);
            let before = ws.analysis(0);
            let fixed = fix_program(&mut ws, 0, &|_| true);
            let after = ws.analysis(0);
            prop_assert!(after.gaps.unread.len() <= before.gaps.unread.len(), "text became unreadable:\n{}", text);
            // Every error after the fixes was there before, or is in an item that held unread
            // text (items by name: positions move).
            let item_of = |analysis: &Analysis, d: &Diagnostic| -> Option<String> {
                analysis
                    .ast(d.primary.file)?
                    .members
                    .iter()
                    .find(|m| m.span.contains(&d.primary.span.start))
                    .map(|m| format!("{} {}", m.name.name, m.label().map_or("", |l| l.name.as_str())))
            };
            let unread_items: Vec<Option<String>> = before
                .gaps
                .unread
                .iter()
                .map(|gap| {
                    before.ast(gap.file).and_then(|ast| {
                        ast.members
                            .iter()
                            .find(|m| m.span.contains(&gap.span.start))
                            .map(|m| format!("{} {}", m.name.name, m.label().map_or("", |l| l.name.as_str())))
                    })
                })
                .collect();
            let mut known: HashMap<(Code, String), usize> = HashMap::new();
            for d in before.diagnostics.iter().filter(|d| d.is_error()) {
                *known.entry((d.code, d.message.clone())).or_default() += 1;
            }
            for d in after.diagnostics.iter().filter(|d| d.is_error()) {
                match known.get_mut(&(d.code, d.message.clone())) {
                    Some(count) if *count > 0 => *count -= 1,
                    _ => prop_assert!(
                        unread_items.contains(&item_of(&after, d)),
                        "fixing added {} {} in:\n{}",
                        d.code,
                        d.message,
                        text
                    ),
                }
            }
            // A second run has nothing left that it can fix.
            let again = fix_program(&mut ws, 0, &|_| true);
            prop_assert!(again.applied.is_empty() || fixed.rounds >= MAX_ROUNDS, "{:?}", again.applied);
        }
    }
}

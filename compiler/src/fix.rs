//! `cruddur check --fix`: the machine-applicable fixes diagnostics carry, applied to a
//! program's files in the workspace, round after round while new ones appear (a bounded
//! number of rounds). A fix is kept only if checking again finds no new unreadable text and
//! no error at the text it changed; otherwise it is undone and left to the user.

use crate::diagnostics::{Code, Diagnostic, Edit, FileId, Fix};
use crate::workspace::Workspace;
use crate::Analysis;
use std::collections::{BTreeMap, BTreeSet};

/// Rounds of fixing at most: each round's fixes may reveal more.
pub const MAX_ROUNDS: usize = 8;

/// A fix applied, or one left alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub code: Code,
    /// What the fix does ("insert `=`").
    pub message: String,
    pub file: FileId,
    /// 1-based line and column in the file as it was when the fix was tried.
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Default)]
pub struct Fixed {
    /// Files whose text changed, with their text before any fix.
    pub originals: BTreeMap<FileId, String>,
    pub applied: Vec<Outcome>,
    /// Fixes not applied: checking again found they would add an error.
    pub refused: Vec<Outcome>,
}

/// Applies the fixes of program `program`'s diagnostics in the workspace (as editor-buffer
/// text: write the files yourself, or not). Warnings' fixes are applied too; waived findings'
/// are not.
pub fn fix_program(workspace: &mut Workspace, program: usize) -> Fixed {
    let mut fixed = Fixed::default();
    let mut refused_keys: BTreeSet<String> = BTreeSet::new();
    for _ in 0..MAX_ROUNDS {
        let analysis = workspace.analysis(program);
        let candidates = candidates(&analysis, &refused_keys);
        if candidates.is_empty() {
            break;
        }
        // All at once first; one by one when together they add an error.
        if let Some(outcomes) = try_fixes(workspace, program, &analysis, &candidates, &mut fixed.originals) {
            fixed.applied.extend(outcomes);
            continue;
        }
        let mut progress = false;
        for diagnostic in &candidates {
            let current = workspace.analysis(program);
            // The finding may be gone, or moved, after the fixes just applied.
            let Some(now) = current.diagnostics.iter().find(|d| key(d) == key(diagnostic)).cloned() else {
                continue;
            };
            match try_fixes(
                workspace,
                program,
                &current,
                std::slice::from_ref(&now),
                &mut fixed.originals,
            ) {
                Some(outcomes) => {
                    fixed.applied.extend(outcomes);
                    progress = true;
                }
                None => {
                    refused_keys.insert(key(&now));
                    fixed.refused.push(outcome(workspace, &now));
                }
            }
        }
        if !progress {
            break;
        }
    }
    fixed
}

/// Findings with a fix to try: active, not refused before, edits not overlapping one another.
fn candidates(analysis: &Analysis, refused: &BTreeSet<String>) -> Vec<Diagnostic> {
    let mut taken: Vec<&Edit> = Vec::new();
    let mut chosen = Vec::new();
    for diagnostic in &analysis.diagnostics {
        let Some(fix) = diagnostic.fix.as_ref() else { continue };
        if diagnostic.suppressed.is_some() || refused.contains(&key(diagnostic)) {
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

/// What identifies a finding's fix across rounds (its position may move).
fn key(diagnostic: &Diagnostic) -> String {
    let fix = diagnostic.fix.as_ref();
    format!(
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
    )
}

fn overlaps(a: &Edit, b: &Edit) -> bool {
    a.file == b.file
        && (a.span.start < b.span.end && b.span.start < a.span.end
            || a.span.start == b.span.start
            || (a.span.is_empty() && b.span.contains(&a.span.start))
            || (b.span.is_empty() && a.span.contains(&b.span.start)))
}

fn outcome(workspace: &Workspace, diagnostic: &Diagnostic) -> Outcome {
    let at = diagnostic
        .fix
        .as_ref()
        .and_then(|f| f.edits.first())
        .map_or((diagnostic.primary.file, diagnostic.primary.span.start), |e| {
            (e.file, e.span.start)
        });
    let position = workspace.sources().line_col(at.0, at.1);
    Outcome {
        code: diagnostic.code,
        message: diagnostic.fix.as_ref().map_or_else(String::new, |f| f.message.clone()),
        file: at.0,
        line: position.line,
        column: position.column,
    }
}

/// Applies the fixes of `diagnostics` together; keeps them if they add no error, else undoes
/// them and returns `None`.
fn try_fixes(
    workspace: &mut Workspace,
    program: usize,
    before: &Analysis,
    diagnostics: &[Diagnostic],
    originals: &mut BTreeMap<FileId, String>,
) -> Option<Vec<Outcome>> {
    let outcomes: Vec<Outcome> = diagnostics.iter().map(|d| outcome(workspace, d)).collect();
    let fixes: Vec<&Fix> = diagnostics.iter().filter_map(|d| d.fix.as_ref()).collect();
    let mut by_file: BTreeMap<FileId, Vec<&Edit>> = BTreeMap::new();
    for edit in fixes.iter().flat_map(|f| &f.edits) {
        by_file.entry(edit.file).or_default().push(edit);
    }
    let mut previous: BTreeMap<FileId, String> = BTreeMap::new();
    // Where the edited text ends up, in the new text.
    let mut changed: Vec<(FileId, std::ops::Range<usize>)> = Vec::new();
    for (file, mut edits) in by_file {
        let text = workspace.sources().source(file).to_string();
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        let mut new = String::with_capacity(text.len());
        let mut at = 0;
        for edit in &edits {
            let (start, end) = (edit.span.start.min(text.len()), edit.span.end.min(text.len()));
            if start < at || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                return None;
            }
            new.push_str(&text[at..start]);
            changed.push((file, new.len()..new.len() + edit.replacement.len()));
            new.push_str(&edit.replacement);
            at = end;
        }
        new.push_str(&text[at..]);
        previous.insert(file, text);
        let path = workspace.path(file).to_path_buf();
        workspace.set_text(&path, new);
    }
    let after = workspace.analysis(program);
    if adds_error(before, &after, &changed) {
        for (file, text) in previous {
            let path = workspace.path(file).to_path_buf();
            workspace.set_text(&path, text);
        }
        return None;
    }
    for (file, text) in previous {
        originals.entry(file).or_insert(text);
    }
    Some(outcomes)
}

/// Whether a fix made things worse: text that no longer reads, or an error where it wrote.
fn adds_error(before: &Analysis, after: &Analysis, changed: &[(FileId, std::ops::Range<usize>)]) -> bool {
    if after.gaps.unread.len() > before.gaps.unread.len() {
        return true;
    }
    after.diagnostics.iter().filter(|d| d.is_error()).any(|d| {
        changed.iter().any(|(file, span)| {
            d.primary.file == *file
                && (d.primary.span.start < span.end.max(span.start + 1)
                    && span.start < d.primary.span.end.max(d.primary.span.start + 1))
        })
    })
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

    fn errors(workspace: &mut Workspace) -> usize {
        workspace
            .analysis(0)
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .count()
    }

    #[test]
    fn fixes_are_applied_round_after_round() {
        // The `:` must become `=` before the misspelt value can be read and fixed.
        let mut ws =
            workspace("repository r {\n  name: \"rr\"\n  scan_on_push = true\n  tag_mutability = imutable\n}\n");
        let fixed = fix_program(&mut ws, 0);
        let codes: Vec<&str> = fixed.applied.iter().map(|o| o.code.as_str()).collect();
        assert_eq!(codes, ["E0010", "E0210"]);
        let file = ws.file(Path::new(PATH)).unwrap();
        assert_eq!(
            ws.sources().source(file),
            "repository r {\n  name = \"rr\"\n  scan_on_push = true\n  tag_mutability = immutable\n}\n"
        );
        assert_eq!(fixed.originals.len(), 1);
        assert!(fixed.refused.is_empty());
    }

    #[test]
    fn a_fix_that_would_add_an_error_is_not_applied() {
        // `ecss` is `ecs` misspelt, but `ecs` has no action `Describez`: the fix would trade
        // one error for another where it writes.
        let text = "role r {\n  trust = [codebuild]\n  allow {\n    actions = [\"ecss:Describez\"]\n    resources = [\"*\"]\n  }\n}\n";
        let mut ws = workspace(text);
        let fixed = fix_program(&mut ws, 0);
        assert!(fixed.applied.is_empty(), "{:?}", fixed.applied);
        assert_eq!(fixed.refused.len(), 1);
        assert_eq!(fixed.refused[0].code, Code::UnknownIamService);
        assert_eq!((fixed.refused[0].line, fixed.refused[0].column), (4, 16));
        let file = ws.file(Path::new(PATH)).unwrap();
        assert_eq!(ws.sources().source(file), text, "undone");
        assert!(fixed.originals.is_empty());
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
                include_str!("../../examples/04-infrastructure-stack.cruddur"),
            ];
            let text = mutate(examples[example], &choices);
            let mut ws = workspace(&text);
            let unread = ws.analysis(0).gaps.unread.len();
            let before = errors(&mut ws);
            let fixed = fix_program(&mut ws, 0);
            let after = ws.analysis(0);
            prop_assert!(after.gaps.unread.len() <= unread, "text became unreadable:\n{}", text);
            let after_errors = after.diagnostics.iter().filter(|d| d.is_error()).count();
            prop_assert!(after_errors <= before || unread > 0, "{} errors became {} in:\n{}", before, after_errors, text);
            // A second run has nothing left that it can fix.
            let again = fix_program(&mut ws, 0);
            prop_assert!(again.applied.is_empty() || fixed.applied.len() >= MAX_ROUNDS, "{:?}", again.applied);
        }
    }
}

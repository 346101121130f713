//! `cruddur check --fix [--dry-run]`: applies the fixes, writes each changed file at once (or
//! prints a unified diff), says what it changed, and reports what remains.

use super::{output, report, ColorChoice, Format, Reporting};
use cruddur::diagnostics::Diagnostic;
use cruddur::fix;
use cruddur::workspace::{OsFs, Workspace};
use std::io::{self, Write};
use std::path::PathBuf;

pub fn run(paths: &[PathBuf], format: Format, color: ColorChoice, deny_warnings: bool, dry_run: bool) -> i32 {
    let mut workspace = Workspace::new(OsFs);
    // Fixes change the files named (directly or in a folder named), not the other files of
    // their programs.
    let named = match workspace.load(paths) {
        Ok(named) => named,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    // With --dry-run nothing is written: the exit status is the files' as they are.
    let analyses = workspace.analyses();
    let failing_now = dry_run && {
        let found = analyses.iter().flat_map(|a| a.diagnostics.iter());
        found.clone().any(|d| d.is_error()) || (deny_warnings && found.clone().any(|d| d.is_active()))
    };
    // The buildspec files a named file reads are fixed with it.
    let mut named = named;
    for program in workspace.programs() {
        if program.files.iter().any(|f| named.contains(f)) {
            named.extend(program.included.iter().copied());
        }
    }
    let mut applied = Vec::new();
    let mut refused = Vec::new();
    let mut originals = std::collections::BTreeMap::new();
    for program in 0..workspace.programs().len() {
        let fixed = fix::fix_program(&mut workspace, program, &|file| named.contains(&file));
        applied.extend(fixed.applied);
        refused.extend(fixed.refused);
        originals.extend(fixed.originals);
    }
    let sources = workspace.sources().clone();
    let changed: Vec<_> = originals
        .iter()
        .filter(|(file, before)| sources.source(**file) != before.as_str())
        .collect();
    if dry_run {
        let mut out = io::stdout().lock();
        for (file, before) in &changed {
            let name = diff_name(sources.name(**file));
            let _ = out.write_all(unified_diff(&name, before, sources.source(**file)).as_bytes());
        }
        let _ = out.flush();
    } else {
        for (file, _) in &changed {
            if let Err(message) = output::write_file(workspace.path(**file), sources.source(**file)) {
                eprintln!("error: {message}");
                return 2;
            }
        }
    }
    let verb = if dry_run { "would fix" } else { "fixed" };
    for outcome in &applied {
        eprintln!(
            "{verb} {}:{}:{}: {} {}{}",
            sources.name(outcome.file),
            outcome.line,
            outcome.column,
            outcome.code,
            outcome.message,
            if outcome.round > 1 {
                " (after the fixes above)"
            } else {
                ""
            }
        );
    }
    for outcome in &refused {
        eprintln!(
            "not fixed {}:{}:{}: {} {}: it would add {}",
            sources.name(outcome.file),
            outcome.line,
            outcome.column,
            outcome.code,
            outcome.message,
            outcome.reason.as_deref().unwrap_or("an error")
        );
    }
    let mut remaining: Vec<Diagnostic> = workspace
        .analyses()
        .iter()
        .flat_map(|a| a.diagnostics.iter().cloned())
        .collect();
    cruddur::diagnostics::sort(&mut remaining);
    let errors = remaining.iter().filter(|d| d.is_error()).count();
    let warnings = remaining.iter().filter(|d| d.is_active() && !d.is_error()).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    eprintln!(
        "{} {} in {}; {} and {} {}",
        plural(applied.len(), "fix").replace("fixs", "fixes"),
        if dry_run { "to apply" } else { "applied" },
        plural(changed.len(), "file"),
        plural(errors, "error"),
        plural(warnings, "warning"),
        if dry_run { "would remain" } else { "remain" },
    );
    if dry_run {
        // The text that would remain is not on disk: its findings are counted, not shown.
        return i32::from(failing_now);
    }
    let how = Reporting {
        deny_warnings,
        ..Reporting::new(color)
    };
    if let Err(code) = report(&remaining, &sources, format, how) {
        return code;
    }
    i32::from(errors > 0 || (deny_warnings && warnings > 0))
}

/// A file's name in a diff: `a/NAME` and `b/NAME` for a path below the working folder (what
/// `patch -p1` and `git apply` take), the path itself otherwise.
fn diff_name(name: &str) -> String {
    let clean: Vec<&str> = name
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect();
    let joined = clean.join("/");
    if name.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// A unified diff (three lines of context) between two texts of one file.
pub fn unified_diff(name: &str, before: &str, after: &str) -> String {
    let old: Vec<&str> = before.split_inclusive('\n').collect();
    let new: Vec<&str> = after.split_inclusive('\n').collect();
    let ops = line_diff(&old, &new);
    let below = !name.starts_with('/') && !name.split('/').any(|part| part == "..");
    let mut out = if below {
        format!("--- a/{name}\n+++ b/{name}\n")
    } else {
        format!("--- {name}\n+++ {name}\n")
    };
    const CONTEXT: usize = 3;
    // Changes closer than twice the context share a hunk.
    let changes: Vec<usize> = (0..ops.len()).filter(|&i| !matches!(ops[i], Op::Same(..))).collect();
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for &at in &changes {
        match groups.last_mut() {
            Some((_, last)) if at - *last <= 2 * CONTEXT + 1 => *last = at,
            _ => groups.push((at, at)),
        }
    }
    for (first, last) in groups {
        let start = first.saturating_sub(CONTEXT);
        let end = (last + 1 + CONTEXT).min(ops.len());
        let (old_start, new_start) = ops[start].positions();
        let old_len = ops[start..end].iter().filter(|o| !matches!(o, Op::Insert(..))).count();
        let new_len = ops[start..end].iter().filter(|o| !matches!(o, Op::Delete(..))).count();
        out.push_str(&format!(
            "@@ -{},{old_len} +{},{new_len} @@\n",
            old_start + usize::from(old_len > 0),
            new_start + usize::from(new_len > 0)
        ));
        for op in &ops[start..end] {
            let (mark, line) = match op {
                Op::Same(o, _) => (' ', old[*o]),
                Op::Delete(o, _) => ('-', old[*o]),
                Op::Insert(_, n) => ('+', new[*n]),
            };
            out.push(mark);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// One line of a diff, with its index in the old and new texts.
#[derive(Clone, Copy, Debug)]
enum Op {
    Same(usize, usize),
    Delete(usize, usize),
    Insert(usize, usize),
}

impl Op {
    fn positions(self) -> (usize, usize) {
        match self {
            Op::Same(o, n) | Op::Delete(o, n) | Op::Insert(o, n) => (o, n),
        }
    }
}

/// A line diff: the common start and end are kept, the middle by a longest common
/// subsequence (fixes change few lines; a middle too large is replaced whole).
fn line_diff(old: &[&str], new: &[&str]) -> Vec<Op> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (a, b) = (&old[prefix..old.len() - suffix], &new[prefix..new.len() - suffix]);
    let mut ops: Vec<Op> = (0..prefix).map(|i| Op::Same(i, i)).collect();
    if a.len() * b.len() <= 4_000_000 {
        let mut table = vec![vec![0u32; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                table[i][j] = if a[i] == b[j] {
                    table[i + 1][j + 1] + 1
                } else {
                    table[i + 1][j].max(table[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            if i < a.len() && j < b.len() && a[i] == b[j] {
                ops.push(Op::Same(prefix + i, prefix + j));
                i += 1;
                j += 1;
            } else if j < b.len() && (i == a.len() || table[i][j + 1] > table[i + 1][j]) {
                ops.push(Op::Insert(prefix + i, prefix + j));
                j += 1;
            } else {
                ops.push(Op::Delete(prefix + i, prefix + j));
                i += 1;
            }
        }
    } else {
        ops.extend((0..a.len()).map(|i| Op::Delete(prefix + i, prefix)));
        ops.extend((0..b.len()).map(|j| Op::Insert(prefix + a.len(), prefix + j)));
    }
    ops.extend((0..suffix).map(|k| Op::Same(old.len() - suffix + k, new.len() - suffix + k)));
    ops
}

#[cfg(test)]
mod tests {
    use super::unified_diff;

    #[test]
    fn a_unified_diff_has_hunks_with_context() {
        let before = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let after = "a\nb\nc\nD\ne\nf\ng\nh\n";
        assert_eq!(
            unified_diff("x.cruddur", before, after),
            "--- a/x.cruddur\n+++ b/x.cruddur\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n"
        );
        let inserted = unified_diff("x", "a\n", "a\nb\n");
        assert_eq!(inserted, "--- a/x\n+++ b/x\n@@ -1,1 +1,2 @@\n a\n+b\n");
    }

    /// As `diff -u` writes them: three lines of context on each side, hunks apart when more
    /// than six unchanged lines separate them.
    #[test]
    fn hunks_have_three_lines_of_context_on_each_side() {
        let lines = |n: usize, changed: &[(usize, &str)]| -> String {
            (1..=n)
                .map(|i| {
                    changed
                        .iter()
                        .find(|(at, _)| *at == i)
                        .map_or(i.to_string(), |(_, t)| t.to_string())
                        + "\n"
                })
                .collect()
        };
        let two = unified_diff("f", &lines(20, &[]), &lines(20, &[(3, "three"), (15, "fifteen")]));
        assert_eq!(
            two,
            "--- a/f\n+++ b/f\n@@ -1,6 +1,6 @@\n 1\n 2\n-3\n+three\n 4\n 5\n 6\n@@ -12,7 +12,7 @@\n 12\n 13\n 14\n-15\n+fifteen\n 16\n 17\n 18\n"
        );
        let one = unified_diff("f", &lines(8, &[]), &lines(8, &[(2, "two"), (7, "seven")]));
        assert_eq!(
            one,
            "--- a/f\n+++ b/f\n@@ -1,8 +1,8 @@\n 1\n-2\n+two\n 3\n 4\n 5\n 6\n-7\n+seven\n 8\n"
        );
        assert!(unified_diff("../x", "a\n", "b\n").starts_with("--- ../x\n+++ ../x\n"));
    }
}

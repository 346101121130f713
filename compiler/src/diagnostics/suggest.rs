//! "Did you mean": the closest known name to a misspelt one, for diagnostics and their fixes;
//! and the article before a word.

/// The closest of `candidates` to `name`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    let lower = name.to_ascii_lowercase();
    // Among equally close candidates, prefer the one that starts like the name.
    let shared_prefix = |candidate: &str| {
        lower
            .chars()
            .zip(candidate.to_ascii_lowercase().chars())
            .take_while(|(a, b)| a == b)
            .count()
    };
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let name_chars: Vec<char> = lower.chars().collect();
    let mut scratch = Scratch::default();
    let close = candidates
        .iter()
        .filter_map(|candidate| Some((scratch.distance_within(&name_chars, candidate, limit)?, *candidate)))
        .min_by_key(|(distance, candidate)| (*distance, std::cmp::Reverse(shared_prefix(candidate)), *candidate))
        .map(|(_, candidate)| candidate);
    // Otherwise a short form or a spelled-out form: `repository` for `repo`, `env` for `environment`.
    close.or_else(|| {
        candidates
            .iter()
            .filter(|c| {
                let c = c.to_ascii_lowercase();
                c.len().min(lower.len()) >= 3 && (c.starts_with(&lower) || lower.starts_with(&c))
            })
            .min_by_key(|c| (c.len().abs_diff(lower.len()), **c))
            .copied()
    })
}

/// Levenshtein distance, counting an adjacent transposition as one edit.
/// Buffers reused from one candidate to the next: a name is compared with every name a scope
/// knows, on every analysis.
#[derive(Default)]
struct Scratch {
    candidate: Vec<char>,
    rows: [Vec<usize>; 3],
}

impl Scratch {
    /// The optimal-string-alignment distance (edits and swaps of neighbours) between `name`
    /// (lowercase) and `candidate` (compared in lowercase), if it is at most `limit`. Lengths
    /// further apart than the limit are never that close, and are not compared.
    fn distance_within(&mut self, name: &[char], candidate: &str, limit: usize) -> Option<usize> {
        let length = candidate.chars().count();
        if length.abs_diff(name.len()) > limit {
            return None;
        }
        self.candidate.clear();
        self.candidate.extend(candidate.chars().map(|c| c.to_ascii_lowercase()));
        let b = &self.candidate;
        let [before, previous, row] = &mut self.rows;
        for r in [&mut *before, &mut *previous, &mut *row] {
            r.clear();
            r.resize(b.len() + 1, 0);
        }
        previous.iter_mut().enumerate().for_each(|(j, cell)| *cell = j);
        for i in 1..=name.len() {
            row[0] = i;
            for j in 1..=b.len() {
                let cost = usize::from(name[i - 1] != b[j - 1]);
                let mut best = (previous[j] + 1).min(row[j - 1] + 1).min(previous[j - 1] + cost);
                if i > 1 && j > 1 && name[i - 1] == b[j - 2] && name[i - 2] == b[j - 1] {
                    best = best.min(before[j - 2] + 1);
                }
                row[j] = best;
            }
            std::mem::swap(before, previous);
            std::mem::swap(previous, row);
        }
        Some(previous[b.len()]).filter(|&d| d <= limit)
    }
}

/// "a `codebuild`", "an `ecs`", "an Approval".
pub fn a_or_an(word: &str) -> String {
    let first = word
        .trim_start_matches('`')
        .chars()
        .next()
        .unwrap_or('x')
        .to_ascii_lowercase();
    let article = if "aeio".contains(first) { "an" } else { "a" };
    let article = if word.is_empty() { "a" } else { article };
    format!("{article} {word}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The whole table, as the definition reads.
    fn distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in rows.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in rows[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (rows[i - 1][j] + 1)
                    .min(rows[i][j - 1] + 1)
                    .min(rows[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(rows[i - 2][j - 2] + 1);
                }
                rows[i][j] = best;
            }
        }
        rows[a.len()][b.len()]
    }

    #[test]
    fn close_names_are_suggested_and_far_ones_are_not() {
        assert_eq!(did_you_mean("enviroment", ["environment", "name"]), Some("environment"));
        assert_eq!(did_you_mean("naem", ["name", "role"]), Some("name"));
        assert_eq!(did_you_mean("Image", ["image"]), Some("image"));
        assert_eq!(did_you_mean("repo", ["repository", "role"]), Some("repository"));
        assert_eq!(did_you_mean("zzzz", ["name", "role"]), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn the_bounded_distance_agrees_with_the_whole_table(
            a in "[abcAB\u{e9}_]{0,9}",
            b in "[abcAB\u{e9}_]{0,9}",
            limit in 0usize..5,
        ) {
            let lower = a.to_ascii_lowercase();
            let name: Vec<char> = lower.chars().collect();
            let expected = distance(&lower, &b.to_ascii_lowercase());
            let mut scratch = Scratch::default();
            // Twice: buffers left from the first call must not change the second.
            for _ in 0..2 {
                let got = scratch.distance_within(&name, &b, limit);
                prop_assert_eq!(got, Some(expected).filter(|&d| d <= limit));
            }
        }
    }
}

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
    let close = candidates
        .iter()
        .map(|candidate| (edit_distance(&lower, &candidate.to_ascii_lowercase()), *candidate))
        .filter(|(distance, _)| *distance <= limit)
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
fn edit_distance(a: &str, b: &str) -> usize {
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

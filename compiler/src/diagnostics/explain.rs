//! `cruddur explain`: the catalog entries of `spec/diagnostics.md`, embedded at build time.

use super::Code;

/// The diagnostics catalog, as written in the spec.
pub const CATALOG: &str = include_str!("../../../spec/diagnostics.md");

/// The catalog entry for a code: from its `## CODE` heading to the next heading of that level.
pub fn entry(code: Code) -> Option<&'static str> {
    entries().find(|(c, _)| *c == code.as_str()).map(|(_, text)| text)
}

/// Every `## CODE …` entry of the catalog, as (code, text), found once per process (SARIF
/// writes every rule's entry each time it reports).
pub fn entries() -> impl Iterator<Item = (&'static str, &'static str)> {
    static ENTRIES: std::sync::OnceLock<Vec<(&'static str, &'static str)>> = std::sync::OnceLock::new();
    ENTRIES
        .get_or_init(|| {
            let mut starts: Vec<usize> = CATALOG.match_indices("\n## ").map(|(i, _)| i + 1).collect();
            starts.push(CATALOG.len());
            starts
                .windows(2)
                .map(|w| CATALOG[w[0]..w[1]].trim_end())
                .filter_map(|text| {
                    let code = text.strip_prefix("## ")?.split([':', ' ']).next()?;
                    Some((code, text))
                })
                .collect()
        })
        .iter()
        .copied()
}

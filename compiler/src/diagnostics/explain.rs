//! `cruddur explain`: the catalog entries of `spec/diagnostics.md`, embedded at build time.

use super::Code;

/// The diagnostics catalog, as written in the spec.
pub const CATALOG: &str = include_str!("../../../spec/diagnostics.md");

/// The catalog entry for a code: from its `## CODE` heading to the next heading of that level.
pub fn entry(code: Code) -> Option<&'static str> {
    entries().find(|(c, _)| *c == code.as_str()).map(|(_, text)| text)
}

/// Every `## CODE …` entry of the catalog, as (code, text).
pub fn entries() -> impl Iterator<Item = (&'static str, &'static str)> {
    let mut starts: Vec<usize> = CATALOG.match_indices("\n## ").map(|(i, _)| i + 1).collect();
    starts.push(CATALOG.len());
    let texts: Vec<&'static str> = starts.windows(2).map(|w| CATALOG[w[0]..w[1]].trim_end()).collect();
    texts.into_iter().filter_map(|text| {
        let code = text.strip_prefix("## ")?.split([':', ' ']).next()?;
        Some((code, text))
    })
}

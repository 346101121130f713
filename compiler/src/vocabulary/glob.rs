//! Glob patterns as the language writes them wherever names are matched (`tags` of a webhook,
//! like the branch and tag filters of a pipeline's triggers): `*` within a name, `**` across
//! `/`, `?` one character, `[abc]` (or `[!abc]`) one of a set, `{a,b}` one of several. CodeBuild's
//! webhook filters take regular expressions instead; `to_regex` translates.

/// Why a glob cannot be read: a bracket or brace opened at this byte offset and never closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unclosed {
    pub opener: char,
    pub at: usize,
}

/// The regular expression (without anchors) that matches what `glob` matches.
pub fn to_regex(glob: &str) -> Result<String, Unclosed> {
    let mut out = String::with_capacity(glob.len() * 2);
    // Offsets of the braces still open.
    let mut braces: Vec<usize> = Vec::new();
    let mut chars = glob.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '*' if chars.peek().is_some_and(|&(_, next)| next == '*') => {
                chars.next();
                out.push_str(".*");
            }
            '*' => out.push_str("[^/]*"),
            '?' => out.push_str("[^/]"),
            '[' => {
                let rest = &glob[at + 1..];
                // A `]` right after the opening (or after `!`) is one of the set, not its end.
                let skip = usize::from(rest.starts_with('!'));
                let first = rest[skip..].chars().next().map_or(0, char::len_utf8);
                let Some(close) = rest[skip + first..].find(']').map(|i| i + skip + first) else {
                    return Err(Unclosed { opener: '[', at });
                };
                let set = &rest[..close];
                out.push('[');
                let set = match set.strip_prefix('!') {
                    Some(negated) => {
                        out.push('^');
                        negated
                    }
                    None => set,
                };
                for c in set.chars() {
                    if matches!(c, '\\' | '[' | ']' | '^') {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push(']');
                // Past the set and its `]`.
                while chars.peek().is_some_and(|&(i, _)| i <= at + 1 + close) {
                    chars.next();
                }
            }
            '{' => {
                braces.push(at);
                out.push('(');
            }
            ',' if !braces.is_empty() => out.push('|'),
            '}' if !braces.is_empty() => {
                braces.pop();
                out.push(')');
            }
            c => push_escaped(&mut out, c),
        }
    }
    match braces.first() {
        Some(&at) => Err(Unclosed { opener: '{', at }),
        None => Ok(out),
    }
}

/// `text` for a regular expression that matches it as written.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    if "\\.+*?()|[]{}^$".contains(c) {
        out.push('\\');
    }
    out.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(glob: &str, name: &str) -> bool {
        let pattern = format!("^{}$", to_regex(glob).unwrap());
        regex_lite::Regex::new(&pattern).unwrap().is_match(name)
    }

    #[test]
    fn globs_match_what_they_say() {
        assert!(matches("v*", "v1.2.3"));
        assert!(!matches("v*", "release/v1"));
        assert!(!matches("v*", "x1"));
        assert!(matches("release/**", "release/a/b"));
        assert!(!matches("release/*", "release/a/b"));
        assert!(matches("v?.0", "v2.0"));
        assert!(!matches("v?.0", "v2/0"));
        assert!(!matches("v?.0", "v2x0"));
        assert!(matches("v[12].*", "v1.x"));
        assert!(!matches("v[12].*", "v3.x"));
        assert!(matches("v[!12]", "v3"));
        assert!(!matches("v[!12]", "v1"));
        assert!(matches("[]]", "]"));
        assert!(matches("{main,release/**}", "release/2.0"));
        assert!(matches("{main,release/**}", "main"));
        assert!(!matches("{main,release/**}", "mainline"));
        assert!(matches("a{b,c{d,e}}", "ace"));
        assert!(matches("1.0+build", "1.0+build"));
        assert!(!matches("1.0+build", "1x0build"));
        assert!(matches("a,b}", "a,b}"));
        assert!(matches("$(x)|^", "$(x)|^"));
    }

    #[test]
    fn an_unclosed_bracket_or_brace_is_reported_where_it_opens() {
        assert_eq!(to_regex("v[12"), Err(Unclosed { opener: '[', at: 1 }));
        assert_eq!(to_regex("a{b,{c}"), Err(Unclosed { opener: '{', at: 1 }));
        assert_eq!(to_regex("[]"), Err(Unclosed { opener: '[', at: 0 }));
    }
}

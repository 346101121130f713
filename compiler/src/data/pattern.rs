//! botocore's name patterns, matched whole. Most are bracketed classes repeated
//! (`[A-Za-z0-9.@\-_]+`, `[A-Za-z0-9][A-Za-z0-9\-_]{1,149}`): those are matched by sets of
//! character ranges, which cost nothing to build (regex-lite spends 440,000 instructions
//! compiling `{1,149}`, 7% of a whole `cruddur build` of the seed); the others compile to
//! a regular expression once per process.

use std::cell::RefCell;
use std::rc::Rc;

/// Whether all of `value` matches `pattern` (a botocore pattern, unanchored as written).
pub fn matches_whole(pattern: &'static str, value: &str) -> bool {
    // Each pattern is read once per thread: a program checks the same few patterns (static
    // text of the limits table: its address and length name it) against every name.
    type Cache = Vec<((usize, usize), Rc<Matcher>)>;
    thread_local! {
        static CACHE: RefCell<Cache> = Default::default();
    }
    let key = (pattern.as_ptr() as usize, pattern.len());
    let cached = CACHE.with_borrow(|cache| cache.iter().find(|(k, _)| *k == key).map(|(_, m)| m.clone()));
    let matcher = cached.unwrap_or_else(|| {
        let matcher = Rc::new(Matcher::new(pattern));
        CACHE.with_borrow_mut(|cache| cache.push((key, matcher.clone())));
        matcher
    });
    match &*matcher {
        Matcher::Classes(classes) => classes.matches_whole(value),
        Matcher::Line => !value.contains('\n'),
        Matcher::Anything => true,
        Matcher::ImagePath => image_path(value),
        Matcher::Regex(regex) => regex.is_match(value),
    }
}

/// A pattern ready to match: its classes matched directly where it is only classes, the
/// patterns that take any text without asking, otherwise the regex engine.
enum Matcher {
    Classes(Classes),
    /// `.*`: any text without a line break.
    Line,
    /// `[\s\S]*`: any text.
    Anything,
    /// [`IMAGE_PATH`], an ECR repository name: the regex engine took 25,000 instructions a name.
    ImagePath,
    Regex(regex_lite::Regex),
}

impl Matcher {
    fn new(pattern: &str) -> Matcher {
        match pattern {
            ".*" => return Matcher::Line,
            r"[\s\S]*" => return Matcher::Anything,
            IMAGE_PATH => return Matcher::ImagePath,
            _ => {}
        }
        match Classes::parse(pattern) {
            Some(classes) => Matcher::Classes(classes),
            None => {
                Matcher::Regex(regex_lite::Regex::new(&format!("^(?:{pattern})$")).expect("botocore patterns compile"))
            }
        }
    }
}

/// botocore's pattern for an ECR repository name (Docker's image path): components of lower-case
/// letters and digits separated by `/`, each a run of them separated by `.`, `_`, `__` or dashes.
const IMAGE_PATH: &str = r"[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*";

/// Whether all of `value` matches [`IMAGE_PATH`].
fn image_path(value: &str) -> bool {
    value.split('/').all(|component| {
        let bytes = component.as_bytes();
        let mut at = 0;
        loop {
            let run = bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                .count();
            if run == 0 {
                return false;
            }
            at += run;
            match bytes.get(at) {
                None => return true,
                Some(b'.') => at += 1,
                Some(b'_') => at += if bytes.get(at + 1) == Some(&b'_') { 2 } else { 1 },
                Some(b'-') => at += bytes[at..].iter().take_while(|b| **b == b'-').count(),
                Some(_) => return false,
            }
        }
    })
}

/// Bracketed classes, each with a count (`[a-z]`, `[…]+`, `[…]*`, `[…]?`, `[…]{1,149}`), then an
/// optional `$`: matched by sets of inclusive character ranges.
#[derive(Debug, PartialEq)]
struct Classes {
    items: Vec<Class>,
}

#[derive(Debug, PartialEq)]
struct Class {
    ranges: Vec<(char, char)>,
    /// Bit `b`: the class holds the ASCII character `b` (read from `ranges`).
    ascii: u128,
    min: usize,
    max: usize,
}

impl Classes {
    fn parse(pattern: &str) -> Option<Classes> {
        let mut rest = pattern.strip_suffix('$').unwrap_or(pattern);
        let mut items = Vec::new();
        while !rest.is_empty() {
            let (ranges, after) = ranges(rest.strip_prefix('[')?)?;
            let (min, max, after) = count(after)?;
            let ascii = (0..128u8)
                .filter(|&b| ranges.iter().any(|&(low, high)| (low..=high).contains(&char::from(b))))
                .fold(0u128, |bits, b| bits | 1 << b);
            items.push(Class {
                ranges,
                ascii,
                min,
                max,
            });
            rest = after;
        }
        (!items.is_empty()).then_some(Classes { items })
    }

    fn matches_whole(&self, value: &str) -> bool {
        // Classes of fixed counts, then one of any count, are read greedily (the usual shape:
        // `[A-Za-z0-9][A-Za-z0-9\-_]{1,149}`); other shapes try every split.
        let (last, fixed) = self.items.split_last().expect("at least one class");
        if fixed.iter().all(|class| class.min == class.max) {
            let mut chars = value.chars();
            for class in fixed {
                for _ in 0..class.min {
                    if !chars.next().is_some_and(|c| class.holds(c)) {
                        return false;
                    }
                }
            }
            let mut read = 0;
            for c in chars {
                if read == last.max || !last.holds(c) {
                    return false;
                }
                read += 1;
            }
            return read >= last.min;
        }
        let chars: Vec<char> = value.chars().collect();
        // `reached[i]`: the items so far can read exactly the first `i` characters.
        let mut reached = vec![false; chars.len() + 1];
        reached[0] = true;
        for class in &self.items {
            let mut next = vec![false; chars.len() + 1];
            for start in (0..=chars.len()).filter(|&i| reached[i]) {
                let mut read = 0;
                loop {
                    if read >= class.min {
                        next[start + read] = true;
                    }
                    let Some(&c) = chars.get(start + read) else { break };
                    if read == class.max || !class.holds(c) {
                        break;
                    }
                    read += 1;
                }
            }
            reached = next;
        }
        reached[chars.len()]
    }
}

impl Class {
    fn holds(&self, c: char) -> bool {
        if c.is_ascii() {
            return self.ascii & (1 << c as u32) != 0;
        }
        self.ranges.iter().any(|&(low, high)| (low..=high).contains(&c))
    }
}

/// The ranges of a class up to its `]`, and the text after it.
fn ranges(body: &str) -> Option<(Vec<(char, char)>, &str)> {
    // A negated class, and class set operations (`--`, `&&`, `~~`), are left to the regex
    // engine.
    if body.starts_with('^') || ["--", "&&", "~~"].iter().any(|op| body.contains(op)) {
        return None;
    }
    let mut items: Vec<(char, char)> = Vec::new();
    let mut chars = body.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let single = match c {
            // An empty class is not one (a first `]` would be read as itself).
            ']' if items.is_empty() => return None,
            ']' => return Some((items, &body[at + 1..])),
            '[' => return None,
            '\\' => match chars.next()?.1 {
                'w' => {
                    // A range from a class (`[\w-z]`) is an error to the regex engine.
                    let mut ahead = chars.clone().map(|(_, c)| c);
                    if ahead.next() == Some('-') && ahead.next() != Some(']') {
                        return None;
                    }
                    items.extend([('0', '9'), ('A', 'Z'), ('a', 'z'), ('_', '_')]);
                    continue;
                }
                // Escaped punctuation stands for itself (`\<` and `\>` are word boundaries);
                // other escapes are not simple.
                e if e.is_ascii_punctuation() && !matches!(e, '<' | '>') => e,
                _ => return None,
            },
            c => c,
        };
        // `a-z` is a range; a `-` first, last or after a range is itself.
        let mut ahead = chars.clone();
        if ahead.next().map(|(_, c)| c) == Some('-') && ahead.peek().is_some_and(|&(_, c)| c != ']') {
            if single == '-' {
                return None; // a range from `-`
            }
            chars.next();
            let end = match chars.next()?.1 {
                '\\' => chars.next().map(|(_, c)| c).filter(char::is_ascii_punctuation)?,
                '[' | ']' => return None,
                end => end,
            };
            if end < single {
                return None;
            }
            items.push((single, end));
        } else {
            items.push((single, single));
        }
    }
    None // no `]`
}

/// The count after a class (`+`, `*`, `?`, `{n}`, `{m,n}`, `{m,}`, or none: one), and the rest.
fn count(text: &str) -> Option<(usize, usize, &str)> {
    Some(match text.chars().next() {
        Some('+') => (1, usize::MAX, &text[1..]),
        Some('*') => (0, usize::MAX, &text[1..]),
        Some('?') => (0, 1, &text[1..]),
        Some('{') => {
            let end = text.find('}')?;
            let number = |digits: &str| {
                (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| digits.parse::<usize>().ok())
                    .flatten()
            };
            let (min, max) = match text[1..end].split_once(',') {
                Some((min, "")) => (number(min)?, usize::MAX),
                Some((min, max)) => (number(min)?, number(max)?),
                None => {
                    let n = number(&text[1..end])?;
                    (n, n)
                }
            };
            (min <= max).then_some((min, max, &text[end + 1..]))?
        }
        _ => (1, 1, text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn regex(pattern: &str, value: &str) -> bool {
        regex_lite::Regex::new(&format!("^(?:{pattern})$"))
            .unwrap()
            .is_match(value)
    }

    #[test]
    fn reads_the_classes_of_the_limits_table() {
        let classes = Classes::parse(r"[A-Za-z0-9+=,.@_-]*").unwrap();
        assert_eq!((classes.items[0].min, classes.items[0].max), (0, usize::MAX));
        assert!(classes.items[0].ranges.contains(&('-', '-')));
        assert_eq!(Classes::parse(r"[\w+=,.@-]+").unwrap().items[0].ranges.len(), 10);
        let project = Classes::parse(r"[A-Za-z0-9][A-Za-z0-9\-_]{1,149}").unwrap();
        assert_eq!((project.items[1].min, project.items[1].max), (1, 149));
        // Not classes alone: the regex engine's.
        for pattern in [r"[^a]+", r"[\s\S]*", ".*", r"(a|b)", r"[a-z]{2}-x", r"[a-z"] {
            assert_eq!(Classes::parse(pattern), None, "{pattern}");
        }
        // What the regex engine reads otherwise, or rejects: left to it.
        for pattern in [
            r"[--a]+",
            r"[--/]",
            r"[]",
            r"[][a]",
            r"[!--]",
            r"[a&&b]",
            r"[a~~b]",
            r"[\w-z]",
            r"[\<]",
            r"[a]{+5}",
            r"[a]{1,+5}",
        ] {
            assert_eq!(Classes::parse(pattern), None, "{pattern}");
        }
    }

    #[test]
    fn repository_names_take_the_image_path_matcher() {
        assert_eq!(crate::data::limit("repository_name").pattern, Some(IMAGE_PATH));
        assert!(matches!(Matcher::new(IMAGE_PATH), Matcher::ImagePath));
    }

    #[test]
    fn counts_bound_what_a_class_reads() {
        for (pattern, value, fits) in [
            (r"[a-z][a-z0-9]{1,3}", "ab", true),
            (r"[a-z][a-z0-9]{1,3}", "a", false),
            (r"[a-z][a-z0-9]{1,3}", "abcde", false),
            (r"[a-z]*[a-z]", "abc", true),
            (r"[a-z]?[0-9]{2,}", "123", true),
            (r"[a-z]?[0-9]{2,}", "a1", false),
            (r"[a-z]{2}[0-9]+", "ab12", true),
            (r"[a-z]{2}[0-9]+", "a12", false),
            (r"[a-z]{2}[0-9]+", "ab", false),
            (r"[a-z]{2}[0-9]{0,1}", "ab12", false),
        ] {
            assert_eq!(matches_whole(pattern, value), fits, "{pattern} on {value}");
            assert_eq!(regex(pattern, value), fits, "{pattern} on {value} (regex)");
        }
    }

    proptest! {
        /// Repository names, from the characters they may hold, match as the regex engine reads
        /// botocore's pattern.
        #[test]
        fn image_paths_match_as_the_regex_engine_reads_them(value in "[a-z0-9._/-]{0,14}") {
            prop_assert_eq!(image_path(&value), regex(IMAGE_PATH, &value), "{:?}", value);
        }

        /// Every pattern of the limits table matches as the regex engine would.
        #[test]
        fn agrees_with_the_regex_engine(value in "[-a-zA-Z0-9_.@+=,/#\\\\ $^é\u{212A}\t\n\\[\\]]{0,12}") {
            for (_, limit) in crate::data::limits_table() {
                if let Some(pattern) = limit.pattern {
                    prop_assert_eq!(matches_whole(pattern, &value), regex(pattern, &value), "{} on {:?}", pattern, value);
                }
            }
        }
    }
}

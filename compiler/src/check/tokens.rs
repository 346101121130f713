//! Secrets recognised by their shape, in every string of a program: a `let`, a command, a
//! setting, an `env` value. The formats are the ones their issuers publish (each row cites its
//! source); a value that matches is a live credential written into the pipeline's source, its
//! history and its generated files.

use crate::diagnostics::{Code, Diagnostic, FileId, SourceMap};
use crate::syntax::ast;
use std::ops::Range;

/// Characters a token's body is made of.
#[derive(Clone, Copy)]
enum Body {
    /// `A-Z 0-9`.
    UpperDigits,
    /// `A-Z a-z 0-9`.
    Alphanumeric,
    /// `A-Z a-z 0-9 _`.
    Word,
    /// `A-Z a-z 0-9 _ -`.
    UrlSafe,
}

impl Body {
    fn allows(self, b: u8) -> bool {
        match self {
            Body::UpperDigits => b.is_ascii_uppercase() || b.is_ascii_digit(),
            Body::Alphanumeric => b.is_ascii_alphanumeric(),
            Body::Word => b.is_ascii_alphanumeric() || b == b'_',
            Body::UrlSafe => b.is_ascii_alphanumeric() || b == b'_' || b == b'-',
        }
    }
}

struct Format {
    what: &'static str,
    /// Always a credential (an error), or one that is sometimes public by design, such as a
    /// JWT's anonymous key or a test-mode key (a warning).
    certain: bool,
    prefixes: &'static [&'static str],
    body: Body,
    /// Length of the body after the prefix: at least `min`, at most `max`.
    min: usize,
    max: usize,
    source: &'static str,
}

const FORMATS: &[Format] = &[
    Format {
        certain: true,
        what: "an AWS access key id",
        prefixes: &["AKIA", "ASIA"],
        body: Body::UpperDigits,
        min: 16,
        max: 16,
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids",
    },
    Format {
        certain: true,
        what: "a GitHub token",
        prefixes: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        body: Body::Alphanumeric,
        min: 36,
        max: 36,
        source: "https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/",
    },
    Format {
        certain: true,
        what: "a GitHub fine-grained personal access token",
        prefixes: &["github_pat_"],
        body: Body::Word,
        min: 82,
        max: 255,
        source: "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats",
    },
    Format {
        certain: true,
        what: "a GitLab token",
        prefixes: &["glpat-", "glptt-", "glrt-", "gldt-"],
        body: Body::UrlSafe,
        min: 20,
        max: 255,
        source: "https://docs.gitlab.com/security/tokens/#token-prefixes",
    },
    Format {
        certain: true,
        what: "a Slack token",
        prefixes: &["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xapp-"],
        body: Body::UrlSafe,
        min: 20,
        max: 255,
        source: "https://api.slack.com/authentication/token-types",
    },
    Format {
        certain: true,
        what: "an npm access token",
        prefixes: &["npm_"],
        body: Body::Alphanumeric,
        min: 36,
        max: 36,
        source: "https://github.blog/changelog/2021-09-23-npm-has-a-new-access-token-format/",
    },
    Format {
        certain: true,
        what: "a Stripe live secret key",
        prefixes: &["sk_live_", "rk_live_"],
        body: Body::Alphanumeric,
        min: 24,
        max: 255,
        source: "https://docs.stripe.com/keys",
    },
    Format {
        certain: false,
        what: "a Stripe test-mode secret key",
        prefixes: &["sk_test_", "rk_test_"],
        body: Body::Alphanumeric,
        min: 24,
        max: 255,
        source: "https://docs.stripe.com/keys",
    },
    Format {
        certain: true,
        what: "a PyPI API token",
        prefixes: &["pypi-"],
        body: Body::UrlSafe,
        min: 50,
        max: 4096,
        source: "https://pypi.org/help/#apitoken",
    },
    Format {
        certain: true,
        what: "a Docker Hub access token",
        prefixes: &["dckr_pat_"],
        body: Body::UrlSafe,
        min: 20,
        max: 255,
        source: "https://docs.docker.com/security/access-tokens/",
    },
];

/// The pairs of bytes some prefix starts with, one bit per pair: most word starts (`npm`,
/// `sudo`, `git`…) are ruled out by one lookup.
const PREFIX_PAIRS: [u64; 1024] = {
    let mut table = [0u64; 1024];
    let mut f = 0;
    while f < FORMATS.len() {
        let mut p = 0;
        while p < FORMATS[f].prefixes.len() {
            let bytes = FORMATS[f].prefixes[p].as_bytes();
            let pair = (bytes[0] as usize) << 8 | bytes[1] as usize;
            table[pair / 64] |= 1 << (pair % 64);
            p += 1;
        }
        f += 1;
    }
    table
};

/// Whether a prefix starts with the two bytes at `at`.
fn starts_a_prefix(bytes: &[u8], at: usize) -> bool {
    let Some(&second) = bytes.get(at + 1) else { return false };
    let pair = (bytes[at] as usize) << 8 | second as usize;
    PREFIX_PAIRS[pair / 64] & (1 << (pair % 64)) != 0
}

/// A credential found in text: what it is, where (byte range within the text), and the
/// page that documents its format.
pub struct Found {
    pub what: &'static str,
    pub certain: bool,
    pub at: Range<usize>,
    pub source: &'static str,
}

/// Every credential-shaped run in `text`.
pub fn find(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    // A token's prefix starts a word (`xghp_…` is not a GitHub token): only word starts are
    // tried, each against every prefix, in one pass (most texts are short, and a searcher per
    // prefix cost more than the search).
    let word_starts = (0..bytes.len()).filter(|&i| {
        starts_a_prefix(bytes, i) && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'))
    });
    for start in word_starts {
        for format in FORMATS {
            for prefix in format.prefixes {
                if !bytes[start..].starts_with(prefix.as_bytes()) {
                    continue;
                }
                let body_start = start + prefix.len();
                let len = bytes[body_start..]
                    .iter()
                    .take_while(|b| format.body.allows(**b))
                    .count();
                let body = &text[body_start..body_start + len];
                // The token ends its word: `AKIA…` inside a longer base64 run is not a key id.
                let ends_word = bytes.get(body_start + len).is_none_or(|b| !b.is_ascii_alphanumeric());
                if len < format.min || len > format.max || !ends_word || placeholder(body) {
                    continue;
                }
                found.push(Found {
                    certain: format.certain,
                    what: format.what,
                    at: start..body_start + len,
                    source: format.source,
                });
            }
        }
    }
    found.extend(private_keys(text));
    found.extend(jwts(text));
    found.sort_by_key(|f| f.at.start);
    found
}

/// Where `needle` starts in `text`, overlaps included (`match_indices` skips them, and the
/// callers' needles cannot overlap themselves). Found from its first byte: texts are short,
/// and a substring searcher per text cost more than the search.
fn starts_of<'a>(text: &'a str, needle: &'static str) -> impl Iterator<Item = usize> + 'a {
    let (bytes, first) = (text.as_bytes(), needle.as_bytes()[0]);
    (0..bytes.len()).filter(move |&i| bytes[i] == first && bytes[i..].starts_with(needle.as_bytes()))
}

/// Documentation stand-ins: `ghp_xxxx…`, `AKIAIOSFODNN7EXAMPLE`, `<token>`: few distinct
/// characters, or AWS's `EXAMPLE` marker.
fn placeholder(body: &str) -> bool {
    let distinct: std::collections::BTreeSet<u8> = body.bytes().collect();
    distinct.len() < 6 || body.contains("EXAMPLE") || body.to_ascii_lowercase().contains("xxxx")
}

/// PEM private keys (RFC 7468 labels such as `RSA PRIVATE KEY`, `EC PRIVATE KEY`,
/// `OPENSSH PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`): https://www.rfc-editor.org/rfc/rfc7468
fn private_keys(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    for start in starts_of(text, "-----BEGIN ") {
        let rest = &text[start + "-----BEGIN ".len()..];
        let Some(end) = rest.find("-----") else { continue };
        let label = &rest[..end];
        // The key itself must follow: a header alone (`sed 's/-----BEGIN RSA PRIVATE KEY-----/…/'`
        // re-wrapping a key read at run time) holds no secret.
        let header_end = start + "-----BEGIN ".len() + end + 5;
        let material = text[header_end..]
            .bytes()
            .filter(|b| !b.is_ascii_whitespace())
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
            .count();
        if (label.ends_with("PRIVATE KEY") || label == "PGP PRIVATE KEY BLOCK") && material >= 64 {
            found.push(Found {
                certain: true,
                what: "a private key",
                at: start..start + "-----BEGIN ".len() + end + 5,
                source: "https://www.rfc-editor.org/rfc/rfc7468",
            });
        }
    }
    found
}

/// JSON Web Tokens: three base64url parts joined by `.`, the first two JSON objects (so they
/// start `eyJ`): https://www.rfc-editor.org/rfc/rfc7519
fn jwts(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let part = |from: usize| bytes[from..].iter().take_while(|b| Body::UrlSafe.allows(**b)).count();
    let mut found = Vec::new();
    for start in starts_of(text, "eyJ") {
        if start > 0 && Body::UrlSafe.allows(bytes[start - 1]) {
            continue;
        }
        let header = part(start);
        let payload_start = start + header + 1;
        if header < 10 || bytes.get(start + header) != Some(&b'.') || !text[payload_start..].starts_with("eyJ") {
            continue;
        }
        let payload = part(payload_start);
        let signature_start = payload_start + payload + 1;
        if payload < 10 || bytes.get(payload_start + payload) != Some(&b'.') {
            continue;
        }
        let signature = part(signature_start);
        if signature < 16 {
            continue;
        }
        found.push(Found {
            certain: false,
            what: "a JSON Web Token",
            at: start..signature_start + signature,
            source: "https://www.rfc-editor.org/rfc/rfc7519",
        });
    }
    found
}

/// Reports each credential in the file's strings.
pub fn check(sources: &SourceMap, file: FileId, ast: &ast::File, out: &mut Vec<Diagnostic>) {
    let text = sources.source(file);
    for member in &ast.members {
        super::security::visit_strings(member, &mut |span: &Range<usize>| {
            report(text, file, span, Home::Program, out);
        });
    }
}

/// The same for a buildspec file the program reads: all of its text.
pub fn check_buildspec_file(sources: &SourceMap, file: FileId, out: &mut Vec<Diagnostic>) {
    let text = sources.source(file);
    report(text, file, &(0..text.len()), Home::BuildspecFile, out);
}

/// Where a credential was found, for the help that says where it belongs instead.
enum Home {
    Program,
    BuildspecFile,
}

fn report(text: &str, file: FileId, span: &Range<usize>, home: Home, out: &mut Vec<Diagnostic>) {
    let Some(raw) = text.get(span.clone()) else { return };
    for token in find(raw) {
        // A token as a URL's password is S0002's (credentials inside a URL).
        if raw[token.at.end..].starts_with('@') {
            continue;
        }
        let at = span.start + token.at.start..span.start + token.at.end;
        let (code, message) = if token.certain {
            (
                Code::SecretInSource,
                format!(
                    "this string holds {}: a live credential in the pipeline's source",
                    token.what
                ),
            )
        } else {
            (
                Code::PossibleSecretInSource,
                format!(
                    "this string holds {}, a credential unless it is public by design",
                    token.what
                ),
            )
        };
        let help = match home {
            Home::Program => "store it in Secrets Manager and read it in the project's `env` with `NAME = secrets_manager(\"secret-id\")`",
            Home::BuildspecFile => "store it in Secrets Manager and read it under the buildspec's `env: secrets-manager:` as `NAME: secret-id`",
        };
        out.push(
            Diagnostic::new(code, message, file, at, "credential")
                .with_help(help)
                .with_note(format!(
                    "revoke and rotate it: it is already in this file's history and in every file built from it (format: {})",
                    token.source
                )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::find;

    fn whats(text: &str) -> Vec<&'static str> {
        find(text).into_iter().map(|f| f.what).collect()
    }

    #[test]
    fn recognises_each_format_and_not_its_look_alikes() {
        // Assembled at run time so this file holds no token-shaped literal.
        let body36 = "aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY2zA4";
        assert_eq!(whats(&format!("ghp_{body36}")), ["a GitHub token"]);
        assert_eq!(
            whats(&format!("curl -H 'Authorization: token ghp_{body36}'")),
            ["a GitHub token"]
        );
        assert!(whats(&format!("xghp_{body36}")).is_empty());
        assert!(whats("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx").is_empty());
        assert_eq!(whats(&format!("npm_{body36}")), ["an npm access token"]);
        assert_eq!(
            whats(&format!("{}{}", "AKIA", "Q3EGH7KXN2LPW4RT")),
            ["an AWS access key id"]
        );
        assert!(whats("AKIAIOSFODNN7EXAMPLE").is_empty());
        let material = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw";
        assert_eq!(
            whats(&format!("-----BEGIN {} PRIVATE KEY-----\n{material}", "RSA")),
            ["a private key"]
        );
        assert!(whats("-----BEGIN PUBLIC KEY-----").is_empty());
        let jwt = format!(
            "{}.{}.{}",
            "eyJhbGciOiJIUzI1NiJ9", "eyJzdWIiOiIxMjM0NTY3ODkwIn0", "dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
        assert_eq!(whats(&jwt), ["a JSON Web Token"]);
        assert_eq!(whats(&format!("xoxb-{}", "1234567890-abcdefGHIJKL")), ["a Slack token"]);
        assert!(whats("sk_live_short").is_empty());
        // Inside a longer word, and a PEM header without key material, are not credentials.
        assert!(whats(&format!("{}{}", "AKIA", "Q3EGH7KXN2LPW4RTabc")).is_empty());
        assert!(whats(&format!("sed 's/-----BEGIN {} PRIVATE KEY-----/&\\n/'", "RSA")).is_empty());
    }
}

//! Account ids in imported text: in ECR registry hosts (`ACCOUNT.dkr.ecr.REGION.amazonaws.com`,
//! with a repository after `/`) and in ARNs (`arn:aws:sns:us-east-1:ACCOUNT:topic`). They are
//! recorded when the input is scanned, and put back as `${{ aws.account }}` (or a parameter for
//! a second account), `${{ aws.region }}` and `${{ repository.uri }}` when it is written.

use super::writer::Piece;
use super::Context;

/// An account id found in text: where, and what kind of place holds it.
#[derive(Debug, PartialEq)]
pub(super) struct Found<'t> {
    /// The twelve digits.
    pub start: usize,
    pub account: &'t str,
    pub place: Place<'t>,
}

#[derive(Debug, PartialEq)]
pub(super) enum Place<'t> {
    /// `ACCOUNT.dkr.ecr.REGION.amazonaws.com`, and the repository after it; `end` is where
    /// the host (and repository) end.
    Registry {
        region: &'t str,
        repository: Option<&'t str>,
        host_end: usize,
        end: usize,
    },
    /// The account field of an ARN, with the ARN's Region (empty for a global service's).
    Arn { region: &'t str },
}

/// Every account id the text holds in a registry host or an ARN.
pub(super) fn find(text: &str) -> Vec<Found<'_>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if !bytes[at].is_ascii_digit() || (at > 0 && bytes[at - 1].is_ascii_alphanumeric()) {
            at += 1;
            continue;
        }
        let digits = bytes[at..].iter().take_while(|b| b.is_ascii_digit()).count();
        let end = at + digits;
        if digits != 12 {
            at = end;
            continue;
        }
        let account = &text[at..end];
        if let Some(place) = registry(text, end).or_else(|| arn(text, at, end)) {
            found.push(Found {
                start: at,
                account,
                place,
            });
        }
        at = end;
    }
    found
}

fn registry(text: &str, end: usize) -> Option<Place<'_>> {
    let rest = text[end..].strip_prefix(".dkr.ecr.")?;
    let region_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        .count();
    let region = &rest[..region_len];
    if region.is_empty() || !rest[region_len..].starts_with(".amazonaws.com") {
        return None;
    }
    let host_end = end + ".dkr.ecr.".len() + region_len + ".amazonaws.com".len();
    // A repository name: lower case letters, digits and `._-/`, ending in a letter or digit.
    let after = &text[host_end..];
    let repository = after.strip_prefix('/').map(|path| {
        let len = path
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-/".contains(b))
            .count();
        path[..len].trim_end_matches(['.', '_', '-', '/'])
    });
    let repository = repository.filter(|r| !r.is_empty());
    Some(Place::Registry {
        region,
        repository,
        host_end,
        end: host_end + repository.map_or(0, |r| r.len() + 1),
    })
}

/// The account field of an ARN: `arn:PARTITION:SERVICE:REGION:` before it, `:` or `/` after.
fn arn(text: &str, start: usize, end: usize) -> Option<Place<'_>> {
    let before = &text[..start];
    // After the separator, whatever its width (U+0085 is whitespace of two bytes).
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || "\"'=,([{".contains(*c))
        .map_or(0, |(n, c)| n + c.len_utf8());
    let word = &before[word_start..];
    let fields: Vec<&str> = word.split(':').collect();
    let is_arn = fields.len() == 5 && fields[0] == "arn" && fields[1].starts_with("aws") && fields[4].is_empty();
    let closed = text[end..].starts_with(':') || text[end..].starts_with('/');
    (is_arn && closed).then(|| Place::Arn { region: fields[3] })
}

/// Records the accounts and the first registry's Region (an ECR registry a build logs in to
/// or pushes to is its own Region's, most often; an ARN's Region says where that resource is,
/// not where the build runs).
pub(super) fn scan(cx: &mut Context, text: &str) {
    for found in find(text) {
        cx.account(found.account);
        if let Place::Registry { region, .. } = found.place {
            if cx.region.is_none() {
                cx.region = Some(region.to_string());
            }
        }
    }
}

/// The text with its account ids, its registries and the URIs of known repositories as the
/// values cruddur fills in.
pub(super) fn pieces(cx: &Context, text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut done = 0;
    let push_text = |pieces: &mut Vec<Piece>, piece: &str| {
        if piece.is_empty() {
            return;
        }
        match pieces.last_mut() {
            Some(Piece::Text(last)) => last.push_str(piece),
            _ => pieces.push(Piece::Text(piece.to_string())),
        }
    };
    for found in find(text) {
        let Some(account) = cx.account_path(found.account) else {
            continue;
        };
        push_text(&mut pieces, &text[done..found.start]);
        let home_account = account == "aws.account";
        match found.place {
            Place::Registry {
                region,
                repository,
                host_end,
                end,
            } => {
                let home_region = cx.region.as_deref() == Some(region);
                let known = repository.and_then(|r| cx.repositories.get(r));
                if let (Some(id), true, true) = (known, home_account, home_region) {
                    pieces.push(Piece::Path(format!("{id}.uri")));
                    done = end;
                    continue;
                }
                pieces.push(Piece::Path(account));
                push_text(&mut pieces, ".dkr.ecr.");
                if home_region {
                    pieces.push(Piece::Path("aws.region".to_string()));
                } else {
                    push_text(&mut pieces, region);
                }
                push_text(&mut pieces, ".amazonaws.com");
                done = host_end;
            }
            Place::Arn { .. } => {
                pieces.push(Piece::Path(account));
                done = found.start + 12;
            }
        }
    }
    push_text(&mut pieces, &text[done..]);
    // A known account's twelve digits elsewhere (a bucket named after it): the account too.
    pieces
        .into_iter()
        .flat_map(|piece| match piece {
            Piece::Text(text) => bare_accounts(cx, &text),
            path => vec![path],
        })
        .collect()
}

/// Text with each twelve-digit run that is a known account (digits on neither side) as the
/// account's value.
fn bare_accounts(cx: &Context, text: &str) -> Vec<Piece> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut done, mut at) = (0, 0);
    while at < bytes.len() {
        if !bytes[at].is_ascii_digit() || (at > 0 && bytes[at - 1].is_ascii_digit()) {
            at += 1;
            continue;
        }
        let len = bytes[at..].iter().take_while(|b| b.is_ascii_digit()).count();
        if len == 12 {
            if let Some(path) = cx.account_path(&text[at..at + 12]) {
                if done < at {
                    out.push(Piece::Text(text[done..at].to_string()));
                }
                out.push(Piece::Path(path));
                done = at + 12;
            }
        }
        at += len;
    }
    if done < text.len() {
        out.push(Piece::Text(text[done..].to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_are_found_in_registries_and_arns_only() {
        let text = "docker push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web:$TAG; \
                    aws sns publish --topic-arn arn:aws:sns:eu-west-1:210987654321:alerts; \
                    echo 123456789012 build 1234567890123";
        let found = find(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].account, "123456789012");
        assert!(matches!(
            found[0].place,
            Place::Registry {
                region: "eu-west-1",
                repository: Some("team/web"),
                ..
            }
        ));
        assert_eq!(found[1].account, "210987654321");
        assert_eq!(found[1].place, Place::Arn { region: "eu-west-1" });
    }

    #[test]
    fn a_wide_separator_before_an_account_is_stepped_over_whole() {
        // Found by fuzzing: a two-byte whitespace (U+0085) before the digits.
        assert!(find("export X=\u{85}123456789012.dkr.ecs.us-east-1").is_empty());
        assert_eq!(find("\u{85}arn:aws:sns:us-east-1:123456789012:topic").len(), 1);
    }

    #[test]
    fn known_repositories_and_the_home_account_become_values() {
        let mut cx = Context::default();
        scan(&mut cx, "123456789012.dkr.ecr.us-east-1.amazonaws.com/web");
        scan(&mut cx, "arn:aws:iam::999999999999:role/x");
        cx.repositories.insert("web".into(), "web".into());
        let written = |text: &str| super::super::writer::interpolated(&pieces(&cx, text));
        assert_eq!(
            written("docker push 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1"),
            "\"docker push ${{ web.uri }}:1\""
        );
        assert_eq!(
            written("docker login 123456789012.dkr.ecr.us-east-1.amazonaws.com"),
            "\"docker login ${{ aws.account }}.dkr.ecr.${{ aws.region }}.amazonaws.com\""
        );
        assert_eq!(
            written("pull 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web"),
            "\"pull ${{ aws.account }}.dkr.ecr.eu-west-1.amazonaws.com/web\""
        );
        assert_eq!(
            written("--role arn:aws:iam::999999999999:role/x"),
            "\"--role arn:aws:iam::${{ account_id_2 }}:role/x\""
        );
        assert_eq!(
            written("s3://artifacts-123456789012-us-east-1/x 1234567890123"),
            "\"s3://artifacts-${{ aws.account }}-us-east-1/x 1234567890123\""
        );
    }
}

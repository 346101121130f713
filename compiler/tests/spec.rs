//! `spec/language.md` documents every item and member the schema accepts.

use cruddur::vocabulary::{self as schema, items::ITEMS, MemberSpec};

const LANGUAGE: &str = include_str!("../../spec/language.md");

fn section(keyword: &str) -> &'static str {
    let heading = format!("\n### `{keyword}`\n");
    let start = LANGUAGE
        .find(&heading)
        .unwrap_or_else(|| panic!("spec/language.md has no section ### `{keyword}`"));
    let rest = &LANGUAGE[start + heading.len()..];
    let end = rest.find("\n### ").or_else(|| rest.find("\n## ")).unwrap_or(rest.len());
    &rest[..end]
}

/// Checks that `text` names each member; the members of a member an earlier section documented
/// (a `stage_template`'s `action`, as a pipeline's) are that section's.
fn check_members(keyword: &str, members: &[MemberSpec], text: &str, documented: &mut Vec<MemberSpec>) {
    for member in members {
        assert!(
            text.contains(&format!("`{}`", member.name)),
            "spec/language.md section `{keyword}` does not document member `{}`",
            member.name
        );
        if documented.contains(member) {
            continue;
        }
        documented.push(*member);
        check_members(keyword, schema::members_of(member.form), text, documented);
    }
}

#[test]
fn every_item_and_member_is_documented() {
    let mut documented = Vec::new();
    for item in ITEMS {
        let text = section(item.keyword);
        check_members(item.keyword, schema::members_of(item.form), text, &mut documented);
    }
}

#[test]
fn schema_docs_are_present() {
    fn walk(members: &[MemberSpec]) {
        for member in members {
            assert!(!member.doc.is_empty(), "member `{}` has no doc line", member.name);
            if let cruddur::vocabulary::ValueType::Minutes(limit) | cruddur::vocabulary::ValueType::Integer(limit) =
                member.ty
            {
                let limit = cruddur::data::limit(limit);
                assert!(
                    limit.min.is_some() && limit.max.is_some(),
                    "`{}` has no range",
                    member.name
                );
            }
            assert!(
                !member.aws.is_empty(),
                "member `{}` does not say what it becomes in AWS",
                member.name
            );
            assert!(
                member.link.is_empty() || member.link.starts_with("https://docs.aws.amazon.com/"),
                "member `{}` links outside AWS's documentation",
                member.name
            );
            walk(schema::members_of(member.form));
        }
    }
    for item in ITEMS {
        assert!(!item.doc.is_empty());
        walk(schema::members_of(item.form));
    }
}

#[test]
fn every_provider_and_setting_is_documented() {
    let start = LANGUAGE
        .find("### Providers")
        .expect("spec/language.md has a Providers section");
    let text = &LANGUAGE[start..];
    let text = &text[..text.find("### Artifacts").unwrap_or(text.len())];
    for provider in cruddur::vocabulary::providers::PROVIDERS {
        assert!(
            text.contains(&format!("`{}`", provider.name)),
            "provider `{}` is not in the spec's table",
            provider.name
        );
        for setting in provider.settings.iter().map(|s| s.name) {
            assert!(
                text.contains(&format!("`{setting}`")),
                "setting `{setting}` of `{}` is not in the spec",
                provider.name
            );
        }
    }
}

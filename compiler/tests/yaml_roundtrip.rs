//! Any command string survives buildspec YAML: written by the emitter, read back by a YAML
//! parser, unchanged. (CI repeats this with PyYAML, an independent parser.)

use proptest::prelude::*;

fn round_trip(commands: &[String]) -> Vec<String> {
    let yaml = cruddur::emit::buildspec::commands_yaml(commands);
    let value: serde_json::Value =
        serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("unreadable YAML {yaml:?}: {e}"));
    value["phases"]["build"]["commands"]
        .as_array()
        .unwrap_or_else(|| panic!("no commands in {yaml:?}"))
        .iter()
        .map(|v| {
            v.as_str()
                .unwrap_or_else(|| panic!("not a string: {v:?} in {yaml:?}"))
                .to_string()
        })
        .collect()
}

#[test]
fn tricky_strings_survive() {
    let tricky: Vec<String> = [
        "yes",
        "no",
        "on",
        "off",
        "true",
        "null",
        "~",
        "3.10",
        "1_000",
        "0x1F",
        "1e3",
        "12:30",
        "2024-01-01",
        "=",
        "- item",
        "key: value",
        "# comment",
        "a #b",
        "*alias",
        "&anchor",
        "!tag",
        "%directive",
        "@at",
        "`tick`",
        "{a: 1}",
        "[1, 2]",
        "'single'",
        "\"double\"",
        "trailing ",
        " leading",
        "tab\there",
        "two\nlines",
        "newline\n",
        "",
        "|",
        ">",
        "? q",
        "é ☕ 🚀",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(round_trip(&tricky), tricky);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_commands_survive(commands in proptest::collection::vec("[ -~\\t\\né☕]{0,40}", 1..8)) {
        prop_assert_eq!(round_trip(&commands), commands);
    }
}

//! JSON text of an emitted document, in the layout `serde_json::to_string_pretty` gives (two
//! spaces per level, `"key": value`, `[]` and `{}` when empty), byte for byte, written
//! directly: serde_json's serializer writes each indent, comma and escape through its
//! formatter trait, which was a fifth of `build`'s time on large programs. A property test
//! compares the two on arbitrary values.

use serde_json::Value;

/// `value` as pretty-printed JSON with a final newline.
pub fn pretty(value: &Value) -> String {
    let mut out = String::with_capacity(1024);
    write_value(&mut out, value, 0);
    out.push('\n');
    out
}

/// A field of [`pretty_object`].
pub enum Field<'a> {
    Items(&'a [Value]),
    Text(&'a str),
}

/// An object of borrowed fields, as [`pretty`] writes the same object built as a value; the
/// keys are given in the order a `Value` keeps them (sorted).
pub fn pretty_object(fields: &[(&str, Field)]) -> String {
    let mut out = String::with_capacity(1024);
    out.push('{');
    for (index, (key, field)) in fields.iter().enumerate() {
        out.push_str(if index == 0 { "\n" } else { ",\n" });
        indent(&mut out, 1);
        write_string(&mut out, key);
        out.push_str(": ");
        match field {
            Field::Items(items) => write_array(&mut out, items, 1),
            Field::Text(text) => write_string(&mut out, text),
        }
    }
    out.push_str(if fields.is_empty() { "}\n" } else { "\n}\n" });
    out
}

fn write_array(out: &mut String, items: &[Value], depth: usize) {
    if items.is_empty() {
        out.push_str("[]");
        return;
    }
    out.push('[');
    for (index, item) in items.iter().enumerate() {
        out.push_str(if index == 0 { "\n" } else { ",\n" });
        indent(out, depth + 1);
        write_value(out, item, depth + 1);
    }
    out.push('\n');
    indent(out, depth);
    out.push(']');
}

fn write_value(out: &mut String, value: &Value, depth: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        // Numbers are rare in these documents: serde_json's own rendering, to stay identical.
        Value::Number(number) => out.push_str(&number.to_string()),
        Value::String(text) => write_string(out, text),
        Value::Array(items) => write_array(out, items, depth),
        Value::Object(entries) if entries.is_empty() => out.push_str("{}"),
        Value::Object(entries) => {
            out.push('{');
            for (index, (key, item)) in entries.iter().enumerate() {
                out.push_str(if index == 0 { "\n" } else { ",\n" });
                indent(out, depth + 1);
                write_string(out, key);
                out.push_str(": ");
                write_value(out, item, depth + 1);
            }
            out.push('\n');
            indent(out, depth);
            out.push('}');
        }
    }
}

fn indent(out: &mut String, depth: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = depth * 2;
    while left > 0 {
        let step = left.min(SPACES.len());
        out.push_str(&SPACES[..step]);
        left -= step;
    }
}

/// A JSON string: `"` and `\` escaped, control characters as serde_json writes them (`\n`,
/// `\t`… or `\u00XX` in lower-case hex); everything else, non-ASCII included, as it is.
fn write_string(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Eight bytes at a time while none needs an escape: most strings have none.
        if let Some(word) = bytes.get(at..at + 8) {
            if !needs_escape(u64::from_le_bytes(word.try_into().expect("eight bytes"))) {
                at += 8;
                continue;
            }
        }
        let byte = bytes[at];
        at += 1;
        if byte >= 0x20 && byte != b'"' && byte != b'\\' {
            continue;
        }
        let at = at - 1;
        // Escapes are ASCII, so `at` is a character boundary.
        out.push_str(&text[start..at]);
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[usize::from(byte >> 4)] as char);
                out.push(HEX[usize::from(byte & 0xf)] as char);
            }
        }
        start = at + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

/// Whether any of the eight bytes of `word` is a control character, `"` or `\`. Each test is
/// the exact "some byte is below n" bit trick (for n ≤ 128): no false answers either way.
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |w: u64, n: u64| w.wrapping_sub(ONES * n) & !w & HIGH;
    let control = below(word, 0x20);
    let quote = below(word ^ (ONES * u64::from(b'"')), 1);
    let backslash = below(word ^ (ONES * u64::from(b'\\')), 1);
    control | quote | backslash != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn value() -> impl Strategy<Value = Value> {
        let text = "(a|é|𝄞|\"|\\\\|/|\n|\r|\t|\u{8}|\u{c}|\u{1}|\u{1f}|\u{7f}| |abcdefgh){0,12}";
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            text.prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((text, inner), 0..6)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn writes_what_serde_json_writes(value in value()) {
            let expected = serde_json::to_string_pretty(&value).unwrap() + "\n";
            prop_assert_eq!(pretty(&value), expected);
        }

        #[test]
        fn an_object_of_borrowed_fields_reads_as_the_same_value(
            items in prop::collection::vec(value(), 0..4),
            text in "[a-z\"]{0,6}",
            with_items in any::<bool>(),
            with_text in any::<bool>(),
        ) {
            let mut fields = Vec::new();
            let mut object = serde_json::Map::new();
            if with_items {
                fields.push(("Items", Field::Items(&items)));
                object.insert("Items".into(), Value::Array(items.clone()));
            }
            if with_text {
                fields.push(("Text", Field::Text(&text)));
                object.insert("Text".into(), Value::String(text.clone()));
            }
            prop_assert_eq!(pretty_object(&fields), pretty(&Value::Object(object)));
        }
    }

    #[test]
    fn the_word_test_finds_every_byte_that_needs_an_escape() {
        let escaped = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
        for filler in 0..=255u8 {
            for byte in 0..=255u8 {
                for position in 0..8 {
                    let mut word = [filler; 8];
                    word[position] = byte;
                    assert_eq!(
                        needs_escape(u64::from_le_bytes(word)),
                        escaped(filler) || escaped(byte),
                        "{word:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn deep_nesting_indents_past_the_spaces_at_hand() {
        let mut value = Value::from("x");
        for _ in 0..40 {
            value = Value::Array(vec![value]);
        }
        assert_eq!(pretty(&value), serde_json::to_string_pretty(&value).unwrap() + "\n");
    }
}

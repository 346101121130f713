//! The benchmark program: the seed pipeline repeated under fresh names until it has the lines
//! asked for. Shared by the compiler's and the language server's benchmarks.

pub fn generate(target_lines: usize) -> String {
    let seed = include_str!("../../examples/02-cruddur-backend-fargate.cruddur");
    // Items keep their shape; names get a numeric suffix so every copy is distinct.
    let names = [
        "cruddur_github",
        "backend_flask",
        "backend_fargate",
        "backend",
        "bake",
        "account_id",
        "connection_arn",
    ];
    let mut out = String::new();
    let mut copy = 0;
    let mut lines = 0;
    while lines < target_lines {
        let mut text = seed.to_string();
        for name in names {
            text = replace_word(&text, name, &format!("{name}_{copy}"));
        }
        if copy > 0 {
            // One `aws` item per program.
            let start = text.find("aws {").unwrap();
            let end = start + text[start..].find("}\n").unwrap() + 2;
            text.replace_range(start..end, "");
        }
        out.push_str(&text);
        out.push('\n');
        lines += text.lines().count() + 1;
        copy += 1;
    }
    out
}

fn replace_word(text: &str, word: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let is_word = text[i..].starts_with(word)
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'))
            && bytes
                .get(i + word.len())
                .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
        if is_word {
            out.push_str(with);
            i += word.len();
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

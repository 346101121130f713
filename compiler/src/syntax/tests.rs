//! Unit tests of the syntax layer: literal decoding and tree shapes with their spans.

use super::ast::{ExprKind, MemberKind, StrPart};
use super::parse;
use crate::diagnostics::FileId;

fn parse_ok(source: &str) -> super::ast::File {
    let parsed = parse(source, FileId(0));
    assert!(
        parsed.diagnostics.is_empty(),
        "unexpected diagnostics: {:#?}",
        parsed.diagnostics
    );
    parsed.file
}

fn property_value(source: &str) -> ExprKind {
    let file = parse_ok(source);
    match &file.members[0].kind {
        MemberKind::Property(expr) => expr.kind.clone(),
        other => panic!("not a property: {other:?}"),
    }
}

fn string_value(source: &str) -> Vec<StrPart> {
    match property_value(source) {
        ExprKind::Str(lit) => lit.parts,
        other => panic!("not a string: {other:?}"),
    }
}

#[test]
fn durations_are_seconds() {
    assert_eq!(property_value("t = 20m"), ExprKind::Duration(1200));
    assert_eq!(property_value("t = 1h30m"), ExprKind::Duration(5400));
    assert_eq!(property_value("t = 1h2m3s"), ExprKind::Duration(3723));
    assert_eq!(property_value("t = 45s"), ExprKind::Duration(45));
}

#[test]
fn numbers_keep_their_text() {
    assert_eq!(property_value("n = 3.10"), ExprKind::Number("3.10".into()));
    assert_eq!(property_value("n = 007"), ExprKind::Number("007".into()));
}

#[test]
fn escapes_decode() {
    assert_eq!(
        string_value(r#"s = "a\"b\\c\n\t\$d\u{2713}""#),
        vec![StrPart::Text("a\"b\\c\n\t$d\u{2713}".into())]
    );
}

#[test]
fn text_between_dollars_and_escapes_is_kept_whole() {
    // Runs of plain text, multi-byte characters among them, around `$` that is not an
    // interpolation and around escapes.
    assert_eq!(
        string_value(r#"s = "é $HOME/ü\tß $ x$$ ∂\\ end$""#),
        vec![StrPart::Text("é $HOME/ü\tß $ x$$ ∂\\ end$".into())]
    );
}

#[test]
fn escaped_dollar_is_not_interpolation() {
    assert_eq!(
        string_value(r#"s = "\${{ x }}""#),
        vec![StrPart::Text("${{ x }}".into())]
    );
}

#[test]
fn shell_variables_pass_through() {
    assert_eq!(
        string_value(r#"s = "$A ${B} $$""#),
        vec![StrPart::Text("$A ${B} $$".into())]
    );
}

#[test]
fn interpolation_has_path_and_spans() {
    let source = r#"s = "x ${{ repo.uri }}:y""#;
    let parts = string_value(source);
    assert_eq!(parts.len(), 3);
    let StrPart::Interp(interp) = &parts[1] else {
        panic!("{parts:?}")
    };
    assert_eq!(&source[interp.span.clone()], "${{ repo.uri }}");
    let names: Vec<_> = interp
        .path
        .iter()
        .map(|i| (i.name.as_str(), &source[i.span.clone()]))
        .collect();
    assert_eq!(names, vec![("repo", "repo"), ("uri", "uri")]);
    assert_eq!(parts[2], StrPart::Text(":y".into()));
}

#[test]
fn triple_quoted_strings_are_dedented_and_raw() {
    let source = "s = \"\"\"\n    if [ -f x ]; then\n      echo \\n\n    fi\n    \"\"\"";
    assert_eq!(
        string_value(source),
        vec![StrPart::Text("if [ -f x ]; then\n  echo \\n\nfi".into())]
    );
}

#[test]
fn triple_quoted_strings_interpolate_with_source_spans() {
    let source = "s = \"\"\"\n  push ${{ r.uri }}\n  \"\"\"";
    let parts = string_value(source);
    assert_eq!(parts[0], StrPart::Text("push ".into()));
    let StrPart::Interp(interp) = &parts[1] else {
        panic!("{parts:?}")
    };
    assert_eq!(&source[interp.span.clone()], "${{ r.uri }}");
}

#[test]
fn triple_quoted_strings_keep_crlf_out_of_the_text() {
    let source = "s = \"\"\"\r\n  a\r\n  b\r\n  \"\"\"";
    assert_eq!(string_value(source), vec![StrPart::Text("a\nb".into())]);
}

#[test]
fn member_forms_and_spans() {
    let source =
        "project bake {\n  timeout = 20m\n  phase build { run \"make\", \"x\" }\n  runtime python = \"3.12\"\n}";
    let file = parse_ok(source);
    let project = &file.members[0];
    assert_eq!(&source[project.span.clone()], source);
    let MemberKind::Block {
        label: Some(label),
        value: None,
        body: Some(body),
    } = &project.kind
    else {
        panic!()
    };
    assert_eq!(label.name, "bake");
    assert_eq!(&source[body.span.clone()], &source[13..]);
    assert_eq!(&source[body.members[0].span.clone()], "timeout = 20m");
    let MemberKind::Block { body: Some(phase), .. } = &body.members[1].kind else {
        panic!()
    };
    let MemberKind::Statement(args) = &phase.members[0].kind else {
        panic!()
    };
    assert_eq!(args.len(), 2);
    assert_eq!(&source[args[1].span.clone()], "\"x\"");
    let MemberKind::Block {
        label: Some(label),
        value: Some(value),
        body: None,
    } = &body.members[2].kind
    else {
        panic!()
    };
    assert_eq!(label.name, "python");
    assert_eq!(&source[value.span.clone()], "\"3.12\"");
}

#[test]
fn calls_fields_and_lists() {
    let source = "x = f(a.b, n = [1, \"s\",], )";
    let ExprKind::Call { callee, args } = property_value(source) else {
        panic!()
    };
    assert_eq!(callee.name, "f");
    assert_eq!(args.len(), 2);
    assert!(matches!(&args[0].value.kind, ExprKind::Field(_, field) if field.name == "b"));
    assert_eq!(args[1].name.as_ref().unwrap().name, "n");
    assert!(matches!(&args[1].value.kind, ExprKind::List(items) if items.len() == 2));
}

#[test]
fn comments_are_kept_in_order() {
    let file = parse_ok("// a\nx = 1 /* b */\n// c");
    assert_eq!(file.comments.len(), 3);
    assert!(file.comments[1].block);
}

#[test]
fn a_value_may_not_start_on_the_next_line() {
    let parsed = parse("a =\nb = 1", FileId(0));
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].primary.span, 3..3);
    assert_eq!(parsed.file.members.len(), 1);
    assert_eq!(parsed.file.members[0].name.name, "b");
}

/// A header written without its `{` is the one finding, at the header, and the text reads as
/// if the `{` were there; a stray `}` with no such header is still only dropped.
#[test]
fn a_missing_opening_brace_is_reported_at_its_header() {
    let whole = "pipeline p {\n  stage S {\n    action A = approval {\n      custom_data = \"x\"\n    }\n  }\n  name = \"p\"\n}\n";
    for (header, written) in [
        ("pipeline p", "pipeline p {"),
        ("stage S", "stage S {"),
        ("action A = approval", "action A = approval {"),
    ] {
        let source = whole.replacen(written, header, 1);
        let parsed = parse(&source, FileId(0));
        let codes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["E0012"], "{source}");
        let d = &parsed.diagnostics[0];
        let end = source.find(header).unwrap() + header.len();
        assert_eq!(d.primary.span.end, end, "{source}");
        assert!(d.message.contains(&format!("after `{header}`")), "{}", d.message);
        let fix = d.fix.as_ref().unwrap();
        assert_eq!(
            (fix.edits[0].span.clone(), fix.edits[0].replacement.as_str()),
            (end..end, " {")
        );
        // Read as written with the `{`: the same tree.
        assert_eq!(
            format!("{:?}", shape(&parsed.file)),
            format!("{:?}", shape(&parse_ok(whole)))
        );
    }
    // An extra `}` under a line that opens nothing: dropped, as before.
    let parsed = parse("a = 1\n  b = 2\n}\n", FileId(0));
    assert_eq!(parsed.diagnostics.len(), 1);
    assert!(parsed.diagnostics[0].message.starts_with("unmatched closing"));
}

/// The members' names, nested, without spans.
fn shape(file: &super::ast::File) -> Vec<String> {
    fn walk(members: &[super::ast::Member], depth: usize, out: &mut Vec<String>) {
        for member in members {
            out.push(format!("{depth}:{}", member.name.name));
            if let Some(body) = member.body() {
                walk(&body.members, depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&file.members, 0, &mut out);
    out
}

#[test]
fn bom_and_crlf_are_whitespace() {
    let file = parse_ok("\u{feff}a = 1\r\nb = 2\r\n");
    assert_eq!(file.members.len(), 2);
}

/// Every file of the repository's examples, UI cases and fuzz seeds is read the same way by
/// the direct reader and the grammar.
#[test]
fn the_direct_reader_agrees_with_the_grammar_on_the_corpus() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in [
        "examples",
        "tests/ui",
        "fuzz/corpus/check",
        "fuzz/corpus/fix_and_format",
    ] {
        collect(&root.join(dir), &mut files);
    }
    let (mut accepted, mut rejected) = (0, 0);
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        for part in bytes.split(|b| *b == 0) {
            match super::compare_readers(&String::from_utf8_lossy(part)) {
                Ok(true) => accepted += 1,
                Ok(false) => rejected += 1,
                Err(why) => panic!("{}: {why}", path.display()),
            }
        }
    }
    // The corpus holds both kinds in numbers.
    assert!(
        accepted > 200 && rejected > 200,
        "{accepted} accepted, {rejected} rejected"
    );
}

/// Split at the start of every line, every file of the corpus is read in two halves as it is
/// read whole (or the halves give way to the whole file).
#[test]
fn reading_in_halves_agrees_with_reading_whole_at_every_seam_of_the_corpus() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    // The fuzz corpus is left to the `check` fuzz target, which tries seams in its inputs.
    for dir in ["examples", "tests/ui"] {
        collect(&root.join(dir), &mut files);
    }
    let (mut seams, mut read) = (0, 0);
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        for part in bytes.split(|b| *b == 0) {
            let source = String::from_utf8_lossy(part);
            for seam in line_starts(&source) {
                seams += 1;
                match super::compare_halves(&source, seam) {
                    Ok(halves) => read += usize::from(halves),
                    Err(why) => panic!("{} split at {seam}: {why}", path.display()),
                }
            }
        }
    }
    // Most seams of a program fall inside a block, where a half is unbalanced.
    assert!(seams > 5_000 && read > 1_000, "{read} of {seams} seams read in halves");
}

/// The byte offsets where a line other than the first starts.
fn line_starts(source: &str) -> impl Iterator<Item = usize> + '_ {
    source.match_indices('\n').map(|(at, _)| at + 1)
}

/// A large file (over the size at which reading is split) builds the same tree read on two
/// threads as read whole; and a seam inside a multi-line string is not one.
#[test]
fn a_large_file_reads_the_same_in_halves() {
    let member = "project p {\n  image = \"x\"\n  run \"make\", \"\"\"\nstage\n  \"\"\"\n}\n// note\n";
    let source = member.repeat(2 * crate::parallel::LARGE_PROGRAM / member.len());
    let whole = super::read(&source, FileId(0), super::lexer::lex(&source, FileId(0)));
    assert!(whole.diagnostics.is_empty(), "{:?}", whole.diagnostics);
    assert_eq!(super::parse(&source, FileId(0)).file, whole.file);
    let middle = source.len() / 2;
    let member = middle + source[middle..].find("\nproject").unwrap() + 1;
    match super::read_in_halves(&source, FileId(0), member, true) {
        super::Halves::Read(halves) => assert_eq!(halves.file, whole.file),
        _ => panic!("not read in halves"),
    }
    // `stage` starts a line inside the triple-quoted string: the first half's lexer reads on.
    let inside = middle + source[middle..].find("\nstage").unwrap() + 1;
    assert!(matches!(
        super::read_in_halves(&source, FileId(0), inside, true),
        super::Halves::Lexed(_)
    ));
}

fn collect(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if dir.ends_with("check")
            || dir.ends_with("fix_and_format")
            || path.extension().is_some_and(|e| e == "cruddur")
        {
            files.push(path);
        }
    }
}

mod direct_reader {
    use proptest::prelude::*;

    /// Pieces of programs, valid and not, joined at random: shapes near the grammar's edges.
    const PIECES: &[&str] = &[
        "a",
        "b",
        "stage",
        "\n",
        " ",
        "=",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        ",",
        ".",
        ";",
        ":",
        "\"s\"",
        "\"x y\"",
        "1",
        "2.5",
        "20m",
        "3x",
        "true",
        "false",
        " = ",
        " {\n",
        "\n}",
        "f(",
        "x = ",
        "#",
        "/* c */",
        "\"${{ a.b }}\"",
        "\"\"\"\n  t\n  \"\"\"",
        "'q'",
        "é",
    ];

    /// A program drawn from the grammar by `choices` (a byte each time it branches), then
    /// some of its pieces replaced, inserted or dropped as `edits` say.
    fn program(choices: &[u8], edits: &[(u8, u8)]) -> String {
        let mut choices = choices.iter().copied().chain(std::iter::repeat(0));
        let mut pieces = Vec::new();
        members(&mut choices, &mut pieces, 0);
        for (at, piece) in edits {
            let at = *at as usize % (pieces.len() + 1);
            match piece % 3 {
                0 => pieces.insert(at, PIECES[*piece as usize % PIECES.len()]),
                1 if at < pieces.len() => drop(pieces.remove(at)),
                _ if at < pieces.len() => pieces[at] = PIECES[*piece as usize % PIECES.len()],
                _ => {}
            }
        }
        pieces.concat()
    }

    fn members(choices: &mut impl Iterator<Item = u8>, out: &mut Vec<&'static str>, depth: u32) {
        for _ in 0..choices.next().unwrap_or(0) % 4 {
            out.push(["a", "stage", "\"n\"", "run"][choices.next().unwrap_or(0) as usize % 4]);
            match choices.next().unwrap_or(0) % 6 {
                0 | 1 => {
                    out.push(" = ");
                    expr(choices, out, depth);
                }
                2 if depth < 3 => {
                    out.push(" {\n");
                    members(choices, out, depth + 1);
                    out.push("}");
                }
                3 if depth < 3 => {
                    out.push([" b", " \"l\""][choices.next().unwrap_or(0) as usize % 2]);
                    if choices.next().unwrap_or(0) % 2 == 0 {
                        out.push(" = ");
                        expr(choices, out, depth);
                    }
                    out.push(" {\n");
                    members(choices, out, depth + 1);
                    out.push("}");
                }
                _ => {
                    out.push(" ");
                    expr(choices, out, depth);
                    for _ in 0..choices.next().unwrap_or(0) % 3 {
                        out.push([", ", ",\n"][choices.next().unwrap_or(0) as usize % 2]);
                        expr(choices, out, depth);
                    }
                }
            }
            out.push(["\n", ";", "; ", "\n\n"][choices.next().unwrap_or(0) as usize % 4]);
        }
    }

    fn expr(choices: &mut impl Iterator<Item = u8>, out: &mut Vec<&'static str>, depth: u32) {
        match choices.next().unwrap_or(0) % 8 {
            0 => out
                .push(["\"s\"", "1", "2.5", "20m", "1h3q", "true", "false"][choices.next().unwrap_or(0) as usize % 7]),
            1 | 2 if depth < 4 => {
                out.push("f(");
                for _ in 0..choices.next().unwrap_or(0) % 3 {
                    if choices.next().unwrap_or(0) % 2 == 0 {
                        out.push("k = ");
                    }
                    expr(choices, out, depth + 1);
                    out.push([", ", ",\n"][choices.next().unwrap_or(0) as usize % 2]);
                }
                out.push(")");
            }
            3 if depth < 4 => {
                out.push("[");
                for _ in 0..choices.next().unwrap_or(0) % 3 {
                    expr(choices, out, depth + 1);
                    out.push([", ", ",\n", "\n,"][choices.next().unwrap_or(0) as usize % 3]);
                }
                out.push("]");
            }
            _ => out.push(["x", "x.y", "x.y.z"][choices.next().unwrap_or(0) as usize % 3]),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]
        #[test]
        fn agrees_with_the_grammar(
            choices in proptest::collection::vec(any::<u8>(), 0..120),
            edits in proptest::collection::vec(any::<(u8, u8)>(), 0..3),
        ) {
            let source = program(&choices, &edits);
            if let Err(why) = super::super::compare_readers(&source) {
                panic!("{source:?}: {why}");
            }
            for seam in super::line_starts(&source) {
                if let Err(why) = super::super::compare_halves(&source, seam) {
                    panic!("{source:?} split at {seam}: {why}");
                }
            }
        }
    }
}

/// Fixes that make quotes straight, applied together, leave no `"""` (which would open a
/// triple-quoted string): a fix next to a quote that is, or will be, straight adds a space.
#[test]
fn quotes_made_straight_side_by_side_stay_apart() {
    for source in [
        "let x = ''''''\n",
        "let x = ['''n-d]\n",
        "let x = [\u{201C}\u{201D}''\u{2018}\u{2019}]\n",
        "let x = \"\"'a'\n",
    ] {
        let parsed = parse(source, FileId(0));
        let mut edits: Vec<_> = parsed
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .flat_map(|f| f.edits.clone())
            .collect();
        assert!(!edits.is_empty(), "{source:?}");
        edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
        let mut fixed = source.to_string();
        for edit in edits {
            fixed.replace_range(edit.span.clone(), &edit.replacement);
        }
        assert!(!fixed.contains("\"\"\""), "{source:?} fixed as {fixed:?}");
    }
}

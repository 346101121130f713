use super::*;
use proptest::prelude::*;
use std::path::Path;

fn fmt(text: &str) -> String {
    match format(text) {
        Ok(formatted) => formatted,
        Err(error) => panic!("{error:?} for:\n{text}"),
    }
}

#[test]
fn the_canonical_layout() {
    let messy = r#"// The header stays on top.
param   account_id
param region_name = "us-east-1"
repository repo{name="app";scan_on_push=true
tag_mutability   =immutable}
project   build {
    name = "app-build" // trailing comments stay on their line
    description="Builds it"


    environment { // and on the line of `{`
      image=standard("7.0")
      privileged = true }
    pushes=[repo]
    phase build {
        run "docker build -t ${{repo.uri}}:latest ."
        run "docker push ${{  repo.uri  }}:latest"
    }
    cache {}
    // dangling at the end of a block
}
pipeline p {
  name = "p"
  stage Source { action Src = github(c) { repo = "o/r"
    branch = "main"
    output Code } }
  stage Build {
    action Build = codebuild(build) { input Code }
  }
}
"#;
    let expected = r#"// The header stays on top.
param account_id
param region_name = "us-east-1"

repository repo {
  name           = "app"
  scan_on_push   = true
  tag_mutability = immutable
}

project build {
  name        = "app-build" // trailing comments stay on their line
  description = "Builds it"

  environment { // and on the line of `{`
    image      = standard("7.0")
    privileged = true
  }
  pushes = [repo]
  phase build {
    run "docker build -t ${{ repo.uri }}:latest ."
    run "docker push ${{ repo.uri }}:latest"
  }
  cache {}
  // dangling at the end of a block
}

pipeline p {
  name = "p"

  stage Source {
    action Src = github(c) {
      repo   = "o/r"
      branch = "main"
      output Code
    }
  }

  stage Build {
    action Build = codebuild(build) {
      input Code
    }
  }
}
"#;
    assert_eq!(fmt(messy), expected);
    assert_eq!(fmt(expected), expected, "formatted text stays as it is");
}

#[test]
fn long_lists_and_calls_wrap_one_element_per_line_and_keep_their_comments() {
    let text = "role r {\n  trust = [codebuild]\n  allow {\n    actions = [\"logs:CreateLogGroup\", // first\n      // the rest\n      \"logs:CreateLogStream\", \"logs:PutLogEvents\"]\n    resources = [\"arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/a-long-project-name:*\", \"arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/b\"]\n  }\n}\n";
    let expected = "role r {\n  trust = [codebuild]\n  allow {\n    actions = [\n      \"logs:CreateLogGroup\", // first\n      // the rest\n      \"logs:CreateLogStream\",\n      \"logs:PutLogEvents\",\n    ]\n    resources = [\n      \"arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/a-long-project-name:*\",\n      \"arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/b\",\n    ]\n  }\n}\n";
    assert_eq!(fmt(text), expected);
    // A list that fits goes back on one line.
    let short = "project p {\n  pushes = [\n    a,\n    b,\n  ]\n}\n";
    assert_eq!(fmt(short), "project p {\n  pushes = [a, b]\n}\n");
}

#[test]
fn multi_line_strings_move_with_their_member_and_keep_their_text() {
    let text = "project p {\n        phase build {\n                run \"\"\"\n                  if true; then\n                    echo ${{x}}\n                  fi\n                  \"\"\"\n        }\n}\n";
    let formatted = fmt(text);
    assert_eq!(
        formatted,
        "project p {\n  phase build {\n    run \"\"\"\n      if true; then\n        echo ${{ x }}\n      fi\n      \"\"\"\n  }\n}\n"
    );
}

#[test]
fn a_comment_the_layout_has_no_place_for_keeps_its_member_as_written() {
    let text = "project p {\n  timeout = /* minutes */ 20m\n  name =    \"p\"\n}\n";
    assert_eq!(
        fmt(text),
        "project p {\n  timeout = /* minutes */ 20m\n  name = \"p\"\n}\n"
    );
}

#[test]
fn a_waiver_after_a_member_keeps_the_lines_it_covers() {
    let list = (0..8)
        .map(|i| format!("\"s3:GetObject{i}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let text = format!(
        "role r {{\n  trust = [codebuild]\n  allow {{\n    actions = [\"*\"] // cruddur-allow(S0005): a test\n    resources = [{list}, \"*\"] // cruddur-allow(S0006): a test\n  }}\n}}\n"
    );
    let formatted = fmt(&text);
    assert!(
        formatted.contains("    actions = [\"*\"] // cruddur-allow(S0005): a test\n"),
        "{formatted}"
    );
    assert!(
        formatted.contains(&format!("resources = [{list}, \"*\"] // cruddur-allow(S0006)")),
        "{formatted}"
    );
}

#[test]
fn every_comment_after_a_member_stays_on_its_line() {
    let text = "project pp {\n  name = \"pp\" /* a */ // about name\n  description = \"d\"\n}\n";
    assert_eq!(
        fmt(text),
        "project pp {\n  name        = \"pp\" /* a */ // about name\n  description = \"d\"\n}\n"
    );
}

#[test]
fn members_sharing_a_line_with_a_waiver_stay_on_it() {
    let text = "role r {\n  name = \"rr\"\n  trust = [codebuild]\n  allow {\n    actions = [\"s3:*\"]; resources = [\"*\"] // cruddur-allow(S0005, S0006): two on a line\n  }\n}\n";
    let formatted = fmt(text);
    assert!(
        formatted
            .contains("    actions = [\"s3:*\"]; resources = [\"*\"] // cruddur-allow(S0005, S0006): two on a line\n"),
        "{formatted}"
    );
}

#[test]
fn a_byte_order_mark_stays() {
    assert_eq!(fmt("\u{feff}param   a\n"), "\u{feff}param a\n");
}

#[test]
fn text_with_syntax_errors_is_refused() {
    let Err(FormatError::Syntax(errors)) = format("project p {\n  name: \"p\"\n}\n") else {
        panic!("a syntax error must be refused");
    };
    assert_eq!(errors[0].code, crate::diagnostics::Code::UnexpectedToken);
    assert!(matches!(format("project p {"), Err(FormatError::Syntax(_))));
}

#[test]
fn a_file_keeps_its_line_endings_one_kind_throughout() {
    let text = "project p {\r\n  name =   \"pp\" // x\r\n  phase build {\r\n      run \"\"\"\r\n        echo hi\r\n        \"\"\"\r\n  }\r\n}\r\n";
    let formatted = fmt(text);
    assert_eq!(
        formatted,
        "project p {\r\n  name = \"pp\" // x\r\n  phase build {\r\n    run \"\"\"\r\n      echo hi\r\n      \"\"\"\r\n  }\r\n}\r\n"
    );
    assert_eq!(fmt(&formatted), formatted);
    assert_eq!(
        fmt("project p {\n  name = \"pp\"\n}\n"),
        "project p {\n  name = \"pp\"\n}\n"
    );
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n\n"), "");
    assert_eq!(fmt("// only\n\n\n// comments\n"), "// only\n\n// comments\n");
}

/// Every example and every UI case that parses formats to a fixed point, meaning kept
/// (`format` checks the tree, the comments and the waived findings itself).
#[test]
fn examples_and_ui_cases_format_to_a_fixed_point() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut formatted = 0;
    for dir in ["examples", "tests/ui", "tests/conformance"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "cruddur"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            match format(&text) {
                Ok(once) => {
                    assert_eq!(
                        format(&once).ok().as_ref(),
                        Some(&once),
                        "{} is not idempotent",
                        path.display()
                    );
                    formatted += 1;
                }
                Err(FormatError::Syntax(_)) => {}
                Err(FormatError::Unsafe(why)) => panic!("{}: {why}", path.display()),
            }
            if dir == "examples" {
                assert_eq!(
                    format(&text).ok().as_ref(),
                    Some(&text),
                    "{} is not formatted",
                    path.display()
                );
            }
        }
    }
    assert!(formatted >= 60, "only {formatted} files formatted");
}

#[test]
fn the_readme_snippets_are_formatted() {
    let readme = include_str!("../../../README.md");
    let mut snippets = 0;
    for block in readme.split("```cruddur\n").skip(1) {
        let snippet = &block[..block.find("```").unwrap()];
        assert_eq!(fmt(snippet), snippet, "a README snippet is not formatted");
        snippets += 1;
    }
    assert!(snippets >= 1);
}

// Generated programs: random members, values, spacing and comments.

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "name", "image", "a", "b_2", "timeout", "stage", "run", "repo", "x",
    ])
    .prop_map(str::to_string)
}

fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[a-z ]{0,12}".prop_map(|t| format!("\"{t}\"")),
        ("[a-z]{1,6}", "[ ]{0,2}", "[ ]{0,2}").prop_map(|(n, a, b)| format!("\"x${{{{{a}{n}.uri{b}}}}}y\"")),
        name(),
        "[0-9]{1,3}",
        prop::sample::select(vec!["20m", "1h30m", "true", "false", "3.12"]).prop_map(str::to_string),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            (prop::collection::vec(inner.clone(), 0..5), "[ \n]{0,2}")
                .prop_map(|(items, space)| format!("[{space}{}{space}]", items.join(&format!(",{space}")))),
            (name(), prop::collection::vec(inner, 0..4))
                .prop_map(|(callee, args)| format!("{callee}({})", args.join(", "))),
        ]
    })
}

fn comment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z ]{0,10}".prop_map(|t| format!("// {t}")),
        "[a-z ]{0,10}".prop_map(|t| format!("/* {t} */"))
    ]
}

fn member() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        (name(), "[ ]{0,3}", value()).prop_map(|(n, space, v)| format!("{n}{space}={space}{v}")),
        (name(), value(), prop::option::of(value())).prop_map(|(n, v, w)| match w {
            Some(w) => format!("{n} {v}, {w}"),
            None => format!("{n} {v}"),
        }),
    ];
    leaf.prop_recursive(3, 30, 5, |inner| {
        (
            name(),
            prop::option::of(name()),
            prop::collection::vec((inner, prop::option::of(comment()), prop::option::of(comment())), 0..5),
            "[ ]{0,4}",
        )
            .prop_map(|(n, label, members, indent)| {
                let mut body = String::new();
                for (member, before, after) in members {
                    if let Some(before) = before {
                        body.push_str(&format!("\n{indent}{before}"));
                    }
                    body.push_str(&format!("\n{indent}{member}"));
                    if let Some(after) = after {
                        body.push_str(&format!(" {after}"));
                    }
                }
                let label = label.map(|l| format!(" {l}")).unwrap_or_default();
                format!("{n}{label} {{{body}\n}}")
            })
    })
}

fn program() -> impl Strategy<Value = String> {
    prop::collection::vec((member(), prop::option::of(comment()), "\n{1,3}"), 0..6).prop_map(|items| {
        items
            .into_iter()
            .map(|(member, comment, gap)| match comment {
                Some(comment) => format!("{comment}\n{member}{gap}"),
                None => format!("{member}{gap}"),
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_programs_format_to_a_fixed_point(text in program()) {
        let parsed = crate::syntax::parse(&text, crate::diagnostics::FileId(0));
        prop_assume!(parsed.diagnostics.is_empty());
        let once = format(&text);
        prop_assert!(once.is_ok(), "{:?} for:\n{}", once.err(), text);
        let once = once.unwrap();
        prop_assert_eq!(format(&once).ok(), Some(once.clone()));
    }
}

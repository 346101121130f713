//! The tour of the examples (`examples/README.md`) stays true: one section per example, in
//! order; each section's diagram is what `cruddur graph` prints for it; and each "try this
//! mistake" line, applied to a copy of the example, gives exactly the error it quotes and
//! nothing else.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

struct Section<'a> {
    /// The example, relative to `examples/`.
    path: &'a str,
    text: &'a str,
}

fn sections(readme: &str) -> Vec<Section<'_>> {
    readme
        .split("\n## [")
        .skip(1)
        .map(|text| {
            let start = text.find("](").expect("a section heading links its example") + 2;
            let end = start + text[start..].find(')').unwrap();
            Section {
                path: &text[start..end],
                text,
            }
        })
        .collect()
}

/// The text between `open` and the next `close` after it.
fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text.find(open).unwrap_or_else(|| panic!("no `{open}` in {text}")) + open.len();
    let end = start
        + text[start..]
            .find(close)
            .unwrap_or_else(|| panic!("no `{close}` after `{open}`"));
    &text[start..end]
}

fn analyze(path: &Path) -> std::sync::Arc<cruddur::analysis::Analysis> {
    let mut workspace = cruddur::workspace::Workspace::new(cruddur::workspace::OsFs);
    workspace.load(&[path.to_path_buf()]).unwrap();
    assert_eq!(workspace.programs().len(), 1, "{} is one program", path.display());
    workspace.analysis(0)
}

fn examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cruddur") || p.join("cruddur.toml").is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_tour_has_a_section_per_example_in_order() {
    let readme = std::fs::read_to_string(root().join("examples/README.md")).unwrap();
    let listed: Vec<&str> = sections(&readme).iter().map(|s| s.path).collect();
    assert_eq!(listed, examples(), "examples/README.md lists the examples in order");
}

/// `BLESS=1` rewrites the diagrams from `cruddur graph`; the prose stays as written.
#[test]
fn the_tour_diagrams_are_what_cruddur_graph_prints() {
    let path = root().join("examples/README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    if std::env::var_os("BLESS").is_some() {
        // Each section holds one diagram: the n-th chart block is the n-th section's.
        let (mut blessed, mut rest) = (String::new(), readme.as_str());
        for section in sections(&readme) {
            let analysis = analyze(&root().join("examples").join(section.path));
            let chart = cruddur::emit::graph::mermaid_program(&analysis.program, &analysis.artifacts);
            let start = rest.find("```mermaid\n").unwrap() + "```mermaid\n".len();
            let end = start + rest[start..].find("```").unwrap();
            blessed.push_str(&rest[..start]);
            blessed.push_str(&chart);
            rest = &rest[end..];
        }
        blessed.push_str(rest);
        std::fs::write(&path, blessed).unwrap();
        return;
    }
    for section in sections(&readme) {
        let analysis = analyze(&root().join("examples").join(section.path));
        let chart = cruddur::emit::graph::mermaid_program(&analysis.program, &analysis.artifacts);
        assert_eq!(
            between(section.text, "```mermaid\n", "```"),
            chart,
            "the diagram of {} in examples/README.md is not what `cruddur graph` prints (BLESS=1 rewrites it)",
            section.path
        );
    }
}

#[test]
fn the_tour_mistakes_give_the_errors_it_quotes() {
    let readme = std::fs::read_to_string(root().join("examples/README.md")).unwrap();
    let scratch = std::env::temp_dir().join(format!("cruddur-tour-{}", std::process::id()));
    for section in sections(&readme) {
        let mistake = between(section.text, "**Try this mistake:** in `", ".\n");
        let file = &mistake[..mistake.find('`').unwrap()];
        let from = between(mistake, ", replace `", "` with `");
        let to = between(mistake, "` with `", "`; `cruddur check --format short` reports ``");
        let quoted = between(mistake, "reports ``", "``").trim();

        // A copy of the example with the mistake made.
        let _ = std::fs::remove_dir_all(&scratch);
        let source = root().join("examples").join(section.path);
        copy(&source, &scratch.join(section.path));
        let changed = scratch.join(file);
        let text = std::fs::read_to_string(&changed).unwrap();
        assert!(text.contains(from), "{}: `{from}` is not in {file}", section.path);
        std::fs::write(&changed, text.replacen(from, to, 1)).unwrap();

        let analysis = analyze(&scratch.join(section.path));
        let reported: Vec<String> = analysis
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{}[{}]: {}",
                    if d.is_error() { "error" } else { "warning" },
                    d.code,
                    d.message
                )
            })
            .collect();
        assert_eq!(
            reported,
            [quoted],
            "{}: the mistake should give exactly the quoted finding",
            section.path
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
}

/// Each example opens with what it teaches, what it creates in AWS and what the reader must
/// have already, and the command that builds it.
#[test]
fn every_example_opens_with_what_it_teaches_creates_and_needs() {
    for name in examples() {
        let path = root().join("examples").join(&name);
        let program = if path.is_dir() {
            path.join("pipeline.cruddur")
        } else {
            path
        };
        let text = std::fs::read_to_string(&program).unwrap();
        let header: String = text
            .lines()
            .take_while(|l| l.starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for part in [
            "// Teaches",
            "Creates:",
            "Needs already:",
            "// Build it:",
            &format!("cruddur build examples/{name}"),
        ] {
            assert!(header.contains(part), "{name}: the opening comment has no `{part}`");
        }
    }
}

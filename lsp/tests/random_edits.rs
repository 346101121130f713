//! Thousands of random edits (typed characters, deletions, pastes of example fragments,
//! half-typed strings and interpolations, non-ASCII text) sent as an editor sends them, with
//! requests at random places between them: nothing panics, and the diagnostics published at
//! the end are those of a fresh analysis of the final text. Line breaks are `\n` (an editor
//! keeps one kind per document; `\r\n` positions are tested with the conversions).

use cruddur::workspace::MemoryFs;
use cruddur_lsp::convert::text_position;
use cruddur_lsp::features::{editing, navigation, outline};
use cruddur_lsp::{Options, Session};
use std::path::Path;
use tower_lsp_server::ls_types::{self as lsp, Uri};

/// A small deterministic generator (xorshift64*), so a failure reproduces from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const EXAMPLE: &str = include_str!("../../examples/02-cruddur-backend-fargate.cruddur");
const PIECES: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "\"\"\"",
    "=",
    ",",
    ".",
    "\n",
    " ",
    "  ",
    "${{ ",
    " }}",
    "$",
    "//",
    "/*",
    "*/",
    "project",
    "pipeline",
    "stage",
    "action",
    "x",
    "é",
    "☕",
    "🚀",
    "\t",
    "12m",
    "true",
    "input ",
    "output ",
    "run \"",
    "${{ backend_flask.",
    "cruddur-allow(S0",
];

/// A char boundary at or before `at`.
fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn random_edit(rng: &mut Rng, text: &str) -> (usize, usize, String) {
    let start = boundary(text, rng.below(text.len() + 1));
    // The text stays a size people edit: past it, edits delete.
    let kind = if text.len() > 12_000 { 5 } else { rng.below(10) };
    match kind {
        // Typing: one or a few pieces.
        0..=4 => {
            let count = 1 + rng.below(3);
            let typed: String = (0..count).map(|_| PIECES[rng.below(PIECES.len())]).collect();
            (start, start, typed)
        }
        // Deleting a little or a lot.
        5..=7 => {
            let length = if rng.below(5) == 0 {
                rng.below(400)
            } else {
                rng.below(6)
            };
            (start, boundary(text, start + length), String::new())
        }
        // Pasting a fragment of an example.
        _ => {
            let from = boundary(EXAMPLE, rng.below(EXAMPLE.len()));
            let to = boundary(EXAMPLE, from + rng.below(300));
            (start, start, EXAMPLE[from..to].to_string())
        }
    }
}

fn ask_something(rng: &mut Rng, session: &mut Session, uri: &Uri, text: &str) {
    let Some(file) = session.file(uri) else { return };
    let Some(analysis) = session.analysis(file) else { return };
    let view = session.view(file, analysis);
    let at = text_position(text, boundary(text, rng.below(text.len() + 1)));
    let range = lsp::Range::new(at, text_position(text, boundary(text, rng.below(text.len() + 1))));
    match rng.below(11) {
        0 => drop(editing::completion(&view, at)),
        1 => drop(editing::hover(&view, at)),
        2 => drop(navigation::definition(&view, at)),
        3 => drop(navigation::references(&view, at, true)),
        4 => drop(navigation::prepare_rename(&view, at)),
        5 => drop(navigation::rename(&view, at, "renamed")),
        6 => drop(navigation::document_symbols(&view)),
        7 => drop(outline::folding_ranges(&view)),
        8 => drop(outline::semantic_tokens(&view)),
        9 => drop(editing::formatting(&view)),
        _ => drop(editing::code_actions(&view, range)),
    }
}

fn session_with(fs: MemoryFs) -> Session {
    let mut session = Session::new(fs, Options::default());
    session.add_folder(Path::new("/w"));
    session
}

/// The diagnostics a session would publish for `uri`, from scratch.
fn diagnostics_of(session: &mut Session, uri: &Uri) -> Vec<lsp::Diagnostic> {
    let file = session.file(uri).unwrap();
    let analysis = session.analysis(file).unwrap();
    cruddur_lsp::features::diagnostics(session, &analysis, file)
}

fn run(seed: u64, edits: usize) {
    let fs = MemoryFs::new().with("/w/cruddur.toml", "").with(
        "/w/repos.cruddur",
        "repository backend_flask {\n  name = \"backend-flask\"\n}\n",
    );
    let mut session = session_with(fs.clone());
    let uri = Uri::from_file_path("/w/main.cruddur").unwrap();
    let mut text = EXAMPLE.replace("repository backend_flask", "repository backend_flask_here");
    session.did_open(uri.clone(), 0, text.clone());
    let mut rng = Rng(seed);
    let mut published: Vec<lsp::PublishDiagnosticsParams> = Vec::new();
    for version in 1..=edits {
        let (start, end, inserted) = random_edit(&mut rng, &text);
        let change = lsp::TextDocumentContentChangeEvent {
            range: Some(lsp::Range::new(text_position(&text, start), text_position(&text, end))),
            range_length: None,
            text: inserted.clone(),
        };
        text.replace_range(start..end, &inserted);
        session.did_change(&uri, version as i32, vec![change]);
        if rng.below(4) == 0 {
            ask_something(&mut rng, &mut session, &uri, &text);
        }
        if rng.below(8) == 0 {
            published.extend(session.publish());
        }
        let file = session.file(&uri).unwrap();
        assert_eq!(
            session.workspace().sources().source(file),
            text,
            "seed {seed}, edit {version}: the server's text drifted from the editor's"
        );
    }
    published.extend(session.publish());
    // What the editor shows: the last list published for the file.
    let shown = published
        .iter()
        .rev()
        .find(|p| p.uri == uri)
        .map(|p| p.diagnostics.clone())
        .unwrap_or_default();
    let mut fresh = session_with(fs);
    fresh.did_open(uri.clone(), 0, text.clone());
    assert_eq!(
        shown,
        diagnostics_of(&mut fresh, &uri),
        "seed {seed}: the published diagnostics differ from a fresh analysis of:\n{text}"
    );
}

#[test]
fn random_edits_never_crash_and_end_where_a_fresh_analysis_does() {
    let edits: usize = std::env::var("CRUDDUR_RANDOM_EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1500);
    for seed in [0x9E37_79B9_7F4A_7C15, 42, 7_777_777] {
        run(seed, edits);
    }
}

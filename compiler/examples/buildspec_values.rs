//! For the conformance step: prints, as JSON, what each project's buildspec is meant to
//! contain (the same structure `cruddur build` serializes to YAML), so that an independent
//! YAML parser can be checked against it. With `--commands`, reads a JSON list of strings on
//! stdin and prints the YAML of a buildspec whose build phase runs exactly those commands.
//!
//! Usage: cargo run --example buildspec_values -- FILE-OR-FOLDER [NAME=VALUE…]
//!        cargo run --example buildspec_values -- --commands < strings.json

use cruddur::workspace::{OsFs, Workspace};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--commands") {
        let mut input = String::new();
        std::io::stdin().read_to_string(&mut input).expect("stdin");
        let commands: Vec<String> = serde_json::from_str(&input).expect("a JSON list of strings");
        print!("{}", cruddur::emit::buildspec::commands_yaml(&commands));
        return;
    }
    let path = args.first().expect("a .cruddur file");
    let params: BTreeMap<String, String> = args[1..]
        .iter()
        .filter_map(|a| a.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    // A file, or a folder holding a program (with the buildspec files it reads).
    let mut workspace = Workspace::new(OsFs);
    workspace.load(&[PathBuf::from(path)]).expect("a readable program");
    let analysis = workspace.analysis(0);
    let values = cruddur::emit::buildspec_values(&analysis.program, &params);
    println!("{}", serde_json::to_string_pretty(&values).expect("serializable"));
}

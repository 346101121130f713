//! Command-line interface: argument parsing, reading inputs, choosing a renderer.
//! Exit codes: 0 clean (warnings allowed), 1 errors in the sources, 2 usage or I/O problems.

mod inputs;

use clap::{Parser, Subcommand, ValueEnum};
use cruddur::diagnostics::{explain, render, Code, SourceMap};
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  cruddur check examples/                   check every .cruddur file under examples/
  cruddur check pipeline.cruddur --format short
  cruddur check ci/ --format json > diagnostics.json
  cruddur explain E0011                     what an error code means and how to fix it";

#[derive(Parser)]
#[command(
    name = "cruddur",
    version,
    about = "Compiler for .cruddur pipeline definitions: checks them and emits what AWS CodePipeline, CodeBuild and IAM take",
    after_help = EXAMPLES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check .cruddur files and report every problem found
    #[command(after_help = EXAMPLES)]
    Check {
        /// Files or directories (searched recursively for *.cruddur)
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// How to print diagnostics
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// When to colour terminal output
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Print the documentation of a diagnostic code (e.g. E0011)
    Explain {
        /// The code, e.g. E0011
        code: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Source excerpts with labels, for people
    Human,
    /// One line per problem: file:line:col: severity[CODE]: message
    Short,
    /// A JSON document, for tools
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Command::Check { paths, format, color } => check(&paths, format, color),
        Command::Explain { code } => explain_code(&code),
    }
}

fn check(paths: &[PathBuf], format: Format, color: ColorChoice) -> i32 {
    let files = match inputs::collect(paths) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    for program in inputs::programs(&files) {
        let mut ids = Vec::with_capacity(program.len());
        for path in program {
            match inputs::read(path) {
                Ok(text) => ids.push(sources.add(inputs::display_name(path), text)),
                Err(message) => {
                    eprintln!("error: {message}");
                    return 2;
                }
            }
        }
        diagnostics.extend(cruddur::analyze(&sources, &ids).diagnostics);
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let written = match format {
        Format::Human => {
            let color = match color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            render::human(&mut out, &diagnostics, &sources, color)
        }
        Format::Short => render::short(&mut out, &diagnostics, &sources),
        Format::Json => render::json(&mut out, &diagnostics, &sources),
    };
    if let Err(error) = written.and_then(|_| out.flush()) {
        if error.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write output: {error}");
            return 2;
        }
    }
    i32::from(diagnostics.iter().any(|d| d.is_error()))
}

fn explain_code(code: &str) -> i32 {
    let Ok(parsed) = code.parse::<Code>() else {
        eprintln!("error: `{code}` is not a cruddur diagnostic code (they look like E0011); see spec/diagnostics.md");
        return 2;
    };
    match explain::entry(parsed) {
        Some(text) => {
            let mut out = io::stdout().lock();
            match writeln!(out, "{text}").and_then(|_| out.flush()) {
                Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
                    eprintln!("error: cannot write output: {error}");
                    2
                }
                _ => 0,
            }
        }
        None => {
            eprintln!("error: {code} has no documentation entry");
            2
        }
    }
}

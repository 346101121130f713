//! Throughput of the front end on a generated program of 100,000+ lines (the seed pipeline
//! repeated under fresh names). Run with `cargo bench -p cruddur`. Prints MB/s for lex+parse
//! and for the whole check, and the peak resident memory; writes the generated file to
//! `target/bench-100k.cruddur` so the CLI can be timed on it too. Then the time an editor
//! waits: re-analysing a 10,000-line program in a workspace after a one-line change.

use cruddur::diagnostics::{FileId, SourceMap};
use std::time::{Duration, Instant};

#[path = "generate.rs"]
mod generate;
use generate::generate;

const TARGET_LINES: usize = 100_000;

/// Copies of the seed in the generated program.
fn copies(text: &str) -> usize {
    text.matches("pipeline backend_fargate_").count()
}

/// The median time until `run`'s result is ready. Freeing the result is not counted: the
/// commands do not free theirs (the process ends), and the language server keeps an analysis
/// until a newer one replaces it.
fn measure<T>(label: &str, bytes: usize, mut run: impl FnMut() -> T) -> f64 {
    drop(run()); // warm up
    let mut samples = Vec::new();
    let started = Instant::now();
    while samples.len() < 5 || (started.elapsed() < Duration::from_secs(5) && samples.len() < 30) {
        let t = Instant::now();
        let result = std::hint::black_box(run());
        samples.push(t.elapsed().as_secs_f64());
        drop(result);
    }
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let (median, best) = (samples[samples.len() / 2], samples[0]);
    let mbps = bytes as f64 / median / 1e6;
    // The best run too: on a shared virtual machine the median moves with the neighbours'
    // load (by a third between runs of one binary), the best run much less.
    println!(
        "{label:<28} median {:>8.2} ms  {:>7.1} MB/s   best {:>8.2} ms  {:>7.1} MB/s  ({} runs)",
        median * 1e3,
        mbps,
        best * 1e3,
        bytes as f64 / best / 1e6,
        samples.len()
    );
    mbps
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    // `cargo test` runs benches with --bench absent; do nothing then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    // To profile one step: `CRUDDUR_BENCH_STEPS=throughput` (or `reanalysis`, `scaling`), and
    // `CRUDDUR_BENCH_SCALE=300000,600000` for the sizes of the scaling step.
    let steps = std::env::var("CRUDDUR_BENCH_STEPS").unwrap_or_else(|_| "throughput,reanalysis,scaling".into());
    let sizes: Vec<usize> = std::env::var("CRUDDUR_BENCH_SCALE")
        .map(|s| s.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|_| vec![1_000, 10_000, 100_000, 1_000_000]);
    for step in steps.split(',') {
        match step.trim() {
            "throughput" => throughput(),
            "reanalysis" => reanalysis(),
            "scaling" => scaling(&sizes),
            other => panic!("unknown step `{other}`"),
        }
    }
}

/// MB/s of lex+parse, check, fmt and emit on the 100,000-line program, and the peak memory.
fn throughput() {
    let text = generate(TARGET_LINES);
    let lines = text.lines().count();
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-100k.cruddur");
    let _ = std::fs::write(&target, &text);
    println!(
        "input: {lines} lines, {:.2} MB ({})",
        text.len() as f64 / 1e6,
        target.display()
    );

    // Every copy writes its own names: give each its own AWS names so outputs do not clash.
    let mut params = std::collections::BTreeMap::new();
    params.insert("account_id_0".to_string(), "123456789012".to_string());
    for copy in 0..copies(&text) {
        params.insert(
            format!("connection_arn_{copy}"),
            format!("arn:aws:codeconnections:us-east-1:123456789012:connection/{copy:08}-0000-4000-8000-000000000000"),
        );
    }
    // First, while this process is small: a child's peak as the kernel reports it is at least
    // the peak of the process it was started from.
    #[cfg(target_os = "linux")]
    cli_peaks(&target, &params);

    let mut sources = SourceMap::new();
    let file = sources.add("bench.cruddur", text.clone());
    let first = cruddur::analyze(&sources, &[file]);
    assert!(
        first.diagnostics.iter().all(|d| !d.is_error()),
        "the generated program should check clean: {:?}",
        first.diagnostics.iter().find(|d| d.is_error())
    );
    drop(first);

    measure("lex + parse", text.len(), || cruddur::syntax::parse(&text, FileId(0)));
    measure("check (parse + all checks)", text.len(), || {
        cruddur::analyze(&sources, &[file])
    });
    // The generated text is not in the canonical layout: this prints, re-parses and compares.
    measure("fmt", text.len(), || cruddur::format::format(&text).ok());
    let analysis = cruddur::analyze(&sources, &[file]);
    match cruddur::emit::emit(&analysis.program, &params) {
        Ok(files) => println!("emit: {} files", files.len()),
        Err(errors) => println!("emit reports {} problems (first: {})", errors.len(), errors[0].message),
    }
    measure("emit (all outputs)", text.len(), || {
        cruddur::emit::emit(&analysis.program, &params).ok()
    });
    if let Some(kib) = peak_rss_kib() {
        println!("peak resident memory of this process: {:.1} MiB", kib as f64 / 1024.0);
    }
}

/// The peak resident memory of `cruddur check` and `cruddur build` on the generated file, each
/// a process of its own as a user runs it (this benchmark's own peak also counts its copies of
/// the text and every step above).
#[cfg(target_os = "linux")]
fn cli_peaks(file: &std::path::Path, params: &std::collections::BTreeMap<String, String>) {
    let out = std::env::temp_dir().join(format!("cruddur-bench-out-{}", std::process::id()));
    let build: Vec<String> = ["build".to_string(), "--out".into(), out.display().to_string()]
        .into_iter()
        .chain(
            params
                .iter()
                .flat_map(|(k, v)| ["--param".to_string(), format!("{k}={v}")]),
        )
        .chain([file.display().to_string()])
        .collect();
    let check = vec!["check".to_string(), file.display().to_string()];
    let own = peak_rss_kib().unwrap_or(0) as i64;
    for args in [check, build] {
        let started = Instant::now();
        #[allow(clippy::zombie_processes)] // reaped by wait4, which also gives its peak
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_cruddur"))
            .args(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("cruddur runs");
        let (status, max_rss_kib) = wait_with_peak(child.id());
        let peak = if max_rss_kib > own {
            format!("{:>6.1} MiB", max_rss_kib as f64 / 1024.0)
        } else {
            format!("≤ {:.1} MiB (this process's own peak hides it)", own as f64 / 1024.0)
        };
        println!(
            "cruddur {:<5} peak resident memory {peak}  ({:.0} ms, {status})",
            args[0],
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    let _ = std::fs::remove_dir_all(&out);
}

/// Waits for a child and returns how it ended and its peak resident memory (KiB on Linux),
/// which only the kernel's accounting at reaping time knows.
#[cfg(target_os = "linux")]
fn wait_with_peak(pid: u32) -> (String, i64) {
    let mut status = 0;
    // SAFETY: wait4 writes into the two locals it is given; the pid is our own child's.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid as libc::pid_t, "wait4");
    let ended = if libc::WIFSIGNALED(status) {
        format!("killed by signal {}", libc::WTERMSIG(status))
    } else {
        format!("exit {}", libc::WEXITSTATUS(status))
    };
    (ended, usage.ru_maxrss)
}

/// Check and build at 1,000 to 1,000,000 lines: the time per line stays flat when cost grows
/// linearly with the program.
fn scaling(sizes: &[usize]) {
    for &target in sizes {
        let text = generate(target);
        let lines = text.lines().count();
        // Files of at most 100,000 lines (a file may hold 32 MiB), one program.
        let mut sources = SourceMap::new();
        let chunks: Vec<&str> = text.split_inclusive("\n}\n\n").collect();
        let per_file = chunks.len().div_ceil(lines.div_ceil(100_000));
        let files: Vec<_> = chunks
            .chunks(per_file)
            .enumerate()
            .map(|(i, part)| sources.add(format!("scale{i}.cruddur"), part.concat()))
            .collect();
        let mut params = std::collections::BTreeMap::new();
        params.insert("account_id_0".to_string(), "123456789012".to_string());
        for copy in 0..copies(&text) {
            params.insert(
                format!("connection_arn_{copy}"),
                format!(
                    "arn:aws:codeconnections:us-east-1:123456789012:connection/{copy:08}-0000-4000-8000-000000000000"
                ),
            );
        }
        let runs = if lines > 200_000 { 1 } else { 3 };
        let best = |mut run: Box<dyn FnMut()>| {
            (0..runs)
                .map(|_| {
                    let t = Instant::now();
                    run();
                    t.elapsed().as_secs_f64()
                })
                .fold(f64::INFINITY, f64::min)
        };
        let check = best(Box::new(|| {
            std::hint::black_box(cruddur::analyze(&sources, &files));
        }));
        let analysis = cruddur::analyze(&sources, &files);
        assert!(
            analysis.diagnostics.iter().all(|d| !d.is_error()),
            "{lines} lines: {:?}",
            analysis.diagnostics.iter().find(|d| d.is_error())
        );
        let build = best(Box::new(|| {
            std::hint::black_box(cruddur::emit::emit(&analysis.program, &params).ok());
        }));
        println!(
            "{lines:>9} lines  check {:>9.1} ms ({:>5.2} µs/line)  build {:>9.1} ms ({:>5.2} µs/line)",
            check * 1e3,
            check * 1e6 / lines as f64,
            build * 1e3,
            build * 1e6 / lines as f64
        );
    }
}

/// What an editor waits for: the analysis of a 10,000-line program after a one-line change,
/// in a workspace, as one file and as ten.
fn reanalysis() {
    use cruddur::workspace::{MemoryFs, Workspace};
    use std::path::{Path, PathBuf};
    let text = generate(10_000);
    let lines = text.lines().count();
    let edit = |text: &str, round: usize| {
        // One line of one description changes; everything else stays.
        text.replacen(
            "Builds the backend-flask image",
            if round % 2 == 0 {
                "Builds the backend-flask image!"
            } else {
                "Builds the backend-flask image"
            },
            1,
        )
    };

    let single = PathBuf::from("/w/pipeline.cruddur");
    let mut workspace = Workspace::new(MemoryFs::new().with(&single, text.as_str()));
    workspace.add_folder(Path::new("/w"));
    assert!(workspace.analysis(0).diagnostics.iter().all(|d| !d.is_error()));
    let mut round = 0;
    measure_time(&format!("re-analysis, {lines} lines, 1 file"), || {
        round += 1;
        workspace.set_text(&single, edit(&text, round));
        std::hint::black_box(workspace.analysis(0));
    });

    // The same program in ten files of one project.
    let copies: Vec<&str> = text.split_inclusive("\n}\n\n").collect();
    let per_file = copies.len().div_ceil(10);
    let fs = MemoryFs::new().with("/p/cruddur.toml", "");
    let mut first = String::new();
    for (index, chunk) in copies.chunks(per_file).enumerate() {
        let part: String = chunk.concat();
        if index == 0 {
            first = part.clone();
        }
        fs.insert(format!("/p/part{index:02}.cruddur"), part);
    }
    let changed = PathBuf::from("/p/part00.cruddur");
    let mut workspace = Workspace::new(fs);
    workspace.add_folder(Path::new("/p"));
    assert_eq!(workspace.programs().len(), 1);
    assert!(workspace.analysis(0).diagnostics.iter().all(|d| !d.is_error()));
    let files = workspace.programs()[0].files.len();
    let mut round = 0;
    measure_time(&format!("re-analysis, {lines} lines, {files} files"), || {
        round += 1;
        workspace.set_text(&changed, edit(&first, round));
        std::hint::black_box(workspace.analysis(0));
    });
}

fn measure_time(label: &str, mut run: impl FnMut()) {
    run(); // warm up
    let mut samples = Vec::new();
    let started = Instant::now();
    while samples.len() < 10 || (started.elapsed() < Duration::from_secs(5) && samples.len() < 100) {
        let t = Instant::now();
        run();
        samples.push(t.elapsed().as_secs_f64());
    }
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "{label:<38} median {:>7.2} ms  p90 {:>7.2} ms  ({} runs)",
        samples[samples.len() / 2] * 1e3,
        samples[samples.len() * 9 / 10] * 1e3,
        samples.len()
    );
}

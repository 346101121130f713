use super::*;
use crate::diagnostics::Code;

const REPO: &str = "repository r {\n  name = \"rr\"\n  scan_on_push = true\n  tag_mutability = immutable\n}\n";
const PROJECT: &str = "project p {\n  name = \"pp\"\n  environment {\n    image = standard(\"7.0\")\n    privileged = true\n  }\n  pushes = [r]\n  phase build { run ecr_login(r) }\n}\n";

fn codes(analysis: &Analysis) -> Vec<&'static str> {
    analysis.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

fn project_fs() -> MemoryFs {
    MemoryFs::new()
        .with("/w/app/cruddur.toml", "")
        .with("/w/app/repo.cruddur", REPO)
        .with("/w/app/build/project.cruddur", PROJECT)
        .with("/w/alone.cruddur", PROJECT)
}

#[test]
fn a_folder_with_cruddur_toml_is_one_program_and_other_files_stand_alone() {
    let mut ws = Workspace::new(project_fs());
    ws.load(&[PathBuf::from("/w")]).unwrap();
    let programs = ws.programs();
    assert_eq!(programs.len(), 2);
    assert_eq!(programs[0].root, None);
    assert_eq!(ws.path(programs[0].files[0]), Path::new("/w/alone.cruddur"));
    assert_eq!(programs[1].root.as_deref(), Some(Path::new("/w/app")));
    assert_eq!(programs[1].files.len(), 2);
    let analyses = ws.analyses();
    // The project's program resolves `r` across its files; the lone file does not, and is
    // pointed at the file that defines it.
    assert!(analyses[1].diagnostics.is_empty(), "{:?}", analyses[1].diagnostics);
    let unknown = analyses[0]
        .diagnostics
        .iter()
        .find(|d| d.code == Code::UnknownName)
        .expect("r is unknown in the lone file");
    assert!(
        unknown.notes.iter().any(|n| n.contains("/w/app/repo.cruddur")),
        "{unknown:?}"
    );
}

#[test]
fn naming_one_file_of_a_project_loads_the_whole_program() {
    let mut ws = Workspace::new(project_fs());
    let named = ws.load(&[PathBuf::from("/w/app/build/project.cruddur")]).unwrap();
    assert_eq!(ws.programs().len(), 1);
    assert_eq!(ws.programs()[0].files.len(), 2);
    // What was named is the one file, not its program.
    assert_eq!(named, vec![ws.file(Path::new("/w/app/build/project.cruddur")).unwrap()]);
    assert!(ws.analysis(0).diagnostics.is_empty());
}

#[test]
fn usage_errors_are_explained() {
    let mut ws = Workspace::new(
        project_fs()
            .with("/w/empty/readme.txt", "")
            .with("/w/bad.cruddur", [0xff, 0xfe]),
    );
    assert!(ws
        .load(&[PathBuf::from("/nowhere")])
        .unwrap_err()
        .contains("no such file"));
    assert!(ws
        .load(&[PathBuf::from("/w/empty")])
        .unwrap_err()
        .contains("no .cruddur files"));
    assert!(ws
        .load(&[PathBuf::from("/w/bad.cruddur")])
        .unwrap_err()
        .contains("not UTF-8"));
    let mut ws = Workspace::new(project_fs().with("/w/app/cruddur.toml", "[severity]\nX = \"off\""));
    assert!(ws
        .load(&[PathBuf::from("/w/app")])
        .unwrap_err()
        .contains("not a diagnostic code"));
}

#[test]
fn configuration_applies_to_its_program() {
    let fs = project_fs().with("/w/app/cruddur.toml", "[severity]\nE0204 = \"off\"\n");
    let mut ws = Workspace::new(fs.with(
        "/w/app/extra.cruddur",
        "repository unused {\n  name = \"uu\"\n  scan_on_push = true\n  tag_mutability = immutable\n}\n",
    ));
    ws.load(&[PathBuf::from("/w/app")]).unwrap();
    assert!(!codes(&ws.analysis(0)).contains(&"E0204"));
}

#[test]
fn an_unsaved_buffer_wins_over_disk_until_dropped() {
    let mut ws = Workspace::new(project_fs());
    ws.load(&[PathBuf::from("/w/app")]).unwrap();
    let before = ws.analysis(0);
    assert!(Arc::ptr_eq(&before, &ws.analysis(0)), "unchanged: the same analysis");
    let file = ws.set_text(Path::new("/w/app/repo.cruddur"), "repository q {\n  name = \"qq\"\n}\n");
    assert_eq!(ws.sources().source(file), "repository q {\n  name = \"qq\"\n}\n");
    let after = ws.analysis(0);
    assert!(codes(&after).contains(&"E0202"), "`r` is gone: {:?}", codes(&after));
    // A watcher's notice does not replace the buffer.
    ws.changed_on_disk(Path::new("/w/app/repo.cruddur"));
    assert!(codes(&ws.analysis(0)).contains(&"E0202"));
    ws.remove_text(Path::new("/w/app/repo.cruddur"));
    assert_eq!(ws.sources().source(file), REPO);
    assert!(ws.analysis(0).diagnostics.is_empty());
}

#[test]
fn a_new_buffer_joins_its_program_and_brings_the_program_along() {
    let mut ws = Workspace::new(project_fs());
    let file = ws.set_text(Path::new("/w/app/new.cruddur"), "let tag = \"${{ r.uri }}\"\n");
    let program = ws.program_of(file).unwrap();
    assert_eq!(
        ws.programs()[program].files.len(),
        3,
        "the program's files on disk are read"
    );
    let analysis = ws.analysis(program);
    assert!(
        !codes(&analysis).contains(&"E0202"),
        "`r` resolves: {:?}",
        codes(&analysis)
    );
    // A buffer that was never saved leaves with its text.
    ws.remove_text(Path::new("/w/app/new.cruddur"));
    assert!(ws
        .file(Path::new("/w/app/new.cruddur"))
        .is_none_or(|f| ws.program_of(f).is_none()));
    assert_eq!(ws.programs()[0].files.len(), 2);
}

#[test]
fn a_new_cruddur_toml_regroups_the_files() {
    let fs = MemoryFs::new().with("/w/a.cruddur", REPO).with("/w/b.cruddur", PROJECT);
    let mut ws = Workspace::new(fs.clone());
    ws.add_folder(Path::new("/w"));
    assert_eq!(ws.programs().len(), 2);
    assert!(codes(&ws.analysis(1)).contains(&"E0202"));
    fs.insert("/w/cruddur.toml", "[severity]\nS0011 = \"error\"\n");
    ws.changed_on_disk(Path::new("/w/cruddur.toml"));
    assert_eq!(ws.programs().len(), 1);
    assert!(ws.analysis(0).diagnostics.is_empty(), "{:?}", codes(&ws.analysis(0)));
    // A broken configuration is kept as an error; the default applies meanwhile.
    fs.insert("/w/cruddur.toml", "[severity]\nS0011 = \"loud\"\n");
    ws.changed_on_disk(Path::new("/w/cruddur.toml"));
    let error = ws.programs()[0].config_error.as_ref().unwrap();
    assert!(error.reason.contains("use \"error\""), "{error:?}");
    assert_eq!((error.line, error.column), (1, 8));
    fs.remove(Path::new("/w/cruddur.toml"));
    ws.changed_on_disk(Path::new("/w/cruddur.toml"));
    assert_eq!(ws.programs().len(), 2);
}

#[test]
fn a_file_deleted_on_disk_leaves_its_program() {
    let fs = project_fs();
    let mut ws = Workspace::new(fs.clone());
    ws.load(&[PathBuf::from("/w/app")]).unwrap();
    fs.remove(Path::new("/w/app/repo.cruddur"));
    ws.changed_on_disk(Path::new("/w/app/repo.cruddur"));
    assert_eq!(ws.programs()[0].files.len(), 1);
    assert!(codes(&ws.analysis(0)).contains(&"E0202"));
    fs.insert("/w/app/repo.cruddur", REPO);
    ws.changed_on_disk(Path::new("/w/app/repo.cruddur"));
    assert!(ws.analysis(0).diagnostics.is_empty());
}

#[test]
fn a_changed_name_reaches_the_notes_of_other_programs() {
    let fs = MemoryFs::new().with("/w/a.cruddur", REPO).with("/w/b.cruddur", PROJECT);
    let mut ws = Workspace::new(fs);
    ws.add_folder(Path::new("/w"));
    let noted = |ws: &mut Workspace| {
        ws.analysis(1)
            .diagnostics
            .iter()
            .any(|d| d.code == Code::UnknownName && !d.notes.is_empty())
    };
    assert!(noted(&mut ws));
    ws.set_text(Path::new("/w/a.cruddur"), REPO.replace("repository r", "repository s"));
    assert!(!noted(&mut ws), "`r` is defined nowhere now");
}

#[test]
fn a_param_without_default_in_another_file_is_noted_too() {
    // `param account` is a statement, not a labelled block: still a name defined elsewhere.
    let fs = MemoryFs::new()
        .with("/w/a.cruddur", "param account\n")
        .with("/w/b.cruddur", "aws {\n  account = account\n}\n");
    let mut ws = Workspace::new(fs);
    ws.add_folder(Path::new("/w"));
    let b = ws.file(Path::new("/w/b.cruddur")).unwrap();
    let analysis = ws.analysis_of(b).unwrap();
    let unknown = analysis
        .diagnostics
        .iter()
        .find(|d| d.code == Code::UnknownName)
        .expect("`account` is not in b's program");
    assert!(
        unknown.notes.iter().any(|n| n.contains("a.cruddur")),
        "{:?}",
        unknown.notes
    );
}

const BUILDSPEC_PROJECT: &str = "connection c {\n  arn = \"arn:aws:codeconnections:us-east-1:123456789012:connection/x\"\n}\nproject p {\n  name = \"pp\"\n  source = github(c, \"o/r\")\n  buildspec = file(\"ci/buildspec.yml\")\n  environment {\n    image = standard(\"7.0\")\n  }\n}\n";

fn codes_of(ws: &mut Workspace) -> Vec<&'static str> {
    let analysis = ws.analysis(0);
    let mut codes: Vec<&'static str> = analysis.diagnostics.iter().map(|d| d.code.as_str()).collect();
    codes.retain(|c| *c != "S0012");
    codes
}

#[test]
fn a_buildspec_file_is_read_from_the_program_root_and_followed_on_disk() {
    let fs = MemoryFs::new()
        .with("/w/cruddur.toml", "")
        .with("/w/infra/app.cruddur", BUILDSPEC_PROJECT)
        .with(
            "/w/ci/buildspec.yml",
            "version: 0.2\nphases:\n  build:\n    commands:\n      - echo Step: one\n",
        );
    let mut ws = Workspace::new(fs.clone());
    ws.load(&[PathBuf::from("/w/infra/app.cruddur")]).unwrap();
    // Relative to the folder of cruddur.toml, not to the .cruddur file.
    assert_eq!(codes_of(&mut ws), ["E0519"]);
    let analysis = ws.analysis(0);
    let file = analysis
        .diagnostics
        .iter()
        .find(|d| d.code == Code::InvalidBuildspecFile)
        .unwrap()
        .primary
        .file;
    let yaml = ws.path(file).to_path_buf();
    assert_eq!(yaml, Path::new("/w/ci/buildspec.yml"));
    assert_eq!(ws.programs().len(), 1, "a buildspec file is no program of its own");
    assert_eq!(ws.programs()[0].included.len(), 1);
    // Mended on disk: the watcher's notice makes the program read it again.
    fs.insert(
        "/w/ci/buildspec.yml",
        "version: 0.2\nphases:\n  build:\n    commands:\n      - make\n",
    );
    ws.changed_on_disk(Path::new("/w/ci/buildspec.yml"));
    assert_eq!(codes_of(&mut ws), Vec::<&str>::new());
    // Gone, then back.
    fs.remove(Path::new("/w/ci/buildspec.yml"));
    ws.changed_on_disk(Path::new("/w/ci/buildspec.yml"));
    assert_eq!(codes_of(&mut ws), ["E0518"]);
    fs.insert(
        "/w/ci/buildspec.yml",
        "version: 0.2\nphases:\n  build:\n    commands:\n      - make\n",
    );
    ws.changed_on_disk(Path::new("/w/ci/buildspec.yml"));
    assert_eq!(codes_of(&mut ws), Vec::<&str>::new());
}

#[test]
fn a_lone_file_reads_buildspec_files_beside_it() {
    let fs = MemoryFs::new()
        .with("/w/app.cruddur", BUILDSPEC_PROJECT)
        .with("/w/ci/buildspec.yml", "phases: {}\n");
    let mut ws = Workspace::new(fs);
    ws.load(&[PathBuf::from("/w/app.cruddur")]).unwrap();
    assert_eq!(codes_of(&mut ws), ["E0519"], "no version");
}

#[test]
fn a_buildspec_file_is_read_again_with_its_program_even_without_a_watcher() {
    let fs = MemoryFs::new()
        .with("/w/app.cruddur", BUILDSPEC_PROJECT)
        .with("/w/ci/buildspec.yml", "phases: {}\n");
    let mut ws = Workspace::new(fs.clone());
    ws.load(&[PathBuf::from("/w/app.cruddur")]).unwrap();
    assert_eq!(codes_of(&mut ws), ["E0519"]);
    // Mended on disk with no notice, then the program is edited: the file is read again.
    fs.insert(
        "/w/ci/buildspec.yml",
        "version: 0.2\nphases:\n  build:\n    commands:\n      - make\n",
    );
    ws.set_text(Path::new("/w/app.cruddur"), format!("{BUILDSPEC_PROJECT}\n"));
    assert_eq!(codes_of(&mut ws), Vec::<&str>::new());
    // A program's own source is no buildspec, and stays a source.
    let pointing_at_itself = BUILDSPEC_PROJECT.replace("ci/buildspec.yml", "app.cruddur");
    ws.set_text(Path::new("/w/app.cruddur"), pointing_at_itself);
    assert_eq!(codes_of(&mut ws), ["E0518"]);
    assert_eq!(ws.programs().len(), 1);
    assert_eq!(ws.programs()[0].files.len(), 1);
}

#[test]
fn a_restored_snapshot_brings_back_the_text_and_the_analyses_without_analysing_again() {
    let mut ws = Workspace::new(project_fs());
    ws.load(&[PathBuf::from("/w")]).unwrap();
    let before = ws.analyses();
    let repo = ws.file(Path::new("/w/app/repo.cruddur")).unwrap();
    let snapshot = ws.snapshot(&[repo]);
    // Renaming the repository changes what every program sees.
    ws.set_text(
        Path::new("/w/app/repo.cruddur"),
        REPO.replace("repository r", "repository q"),
    );
    let tried = ws.analyses();
    assert!(codes(&tried[1]).contains(&"E0202"), "{:?}", codes(&tried[1]));
    ws.restore(snapshot);
    assert_eq!(ws.sources().source(repo), REPO);
    let after = ws.analyses();
    for (before, after) in before.iter().zip(&after) {
        assert!(Arc::ptr_eq(before, after), "analysed again");
    }
    // What was put back is what analysing the text again gives.
    ws.set_text(Path::new("/w/app/repo.cruddur"), REPO);
    let again = ws.analyses();
    for (after, again) in after.iter().zip(&again) {
        assert_eq!(codes(after), codes(again));
    }
    assert!(
        !Arc::ptr_eq(&after[1], &again[1]),
        "the repository's program is analysed again"
    );
}

//! `cruddur init`: a starting program written from one of the examples, with the values a
//! newcomer changes first (the repository, the branch, the Region) filled in from flags.
//! The templates are the example files themselves, embedded at build time, so a template is
//! always a program the test suite builds and validates.

use cruddur::workspace::{OsFs, Workspace};
use std::path::{Path, PathBuf};

pub struct Template {
    pub name: &'static str,
    pub summary: &'static str,
    /// The example it is made from, under `examples/`.
    pub example: &'static str,
    /// Its files: the program first, then what it reads, by path from the program's folder.
    pub files: &'static [(&'static str, &'static str)],
    /// The repository and branch the example builds, replaced by `--repo` and `--branch`.
    pub repo: &'static str,
    pub branch: &'static str,
}

macro_rules! example {
    ($path:literal) => {
        include_str!(concat!("../../../examples/", $path))
    };
}

pub const TEMPLATES: &[Template] = &[
    Template {
        name: "minimal",
        summary: "every push to a branch runs the tests in CodeBuild",
        example: "01-minimal.cruddur",
        files: &[("pipeline.cruddur", example!("01-minimal.cruddur"))],
        repo: "my-org/my-app",
        branch: "main",
    },
    Template {
        name: "fargate",
        summary: "build a Docker image, push it to ECR, deploy it to an ECS service",
        example: "02-cruddur-backend-fargate.cruddur",
        files: &[("pipeline.cruddur", example!("02-cruddur-backend-fargate.cruddur"))],
        repo: "omenking/aws-bootcamp-cruddur-2023",
        branch: "prod",
    },
    Template {
        name: "pull-request-checks",
        summary: "run the tests on every pull request (a CodeBuild webhook, no pipeline)",
        example: "03-pull-request-checks.cruddur",
        files: &[("pipeline.cruddur", example!("03-pull-request-checks.cruddur"))],
        repo: "my-org/my-app",
        branch: "main",
    },
    Template {
        name: "tests-and-scan",
        summary: "tests with reports and an Inspector image scan before an ECS deploy",
        example: "04-tests-and-image-scan.cruddur",
        files: &[("pipeline.cruddur", example!("04-tests-and-image-scan.cruddur"))],
        repo: "my-org/orders-api",
        branch: "main",
    },
    Template {
        name: "stack",
        summary: "test a CloudFormation template, then update its stack",
        example: "05-infrastructure-stack.cruddur",
        files: &[("pipeline.cruddur", example!("05-infrastructure-stack.cruddur"))],
        repo: "my-org/orders-queue",
        branch: "main",
    },
    Template {
        name: "static-site",
        summary: "build a site, copy it to S3, invalidate CloudFront's cache",
        example: "06-static-site.cruddur",
        files: &[("pipeline.cruddur", example!("06-static-site.cruddur"))],
        repo: "my-org/frontend",
        branch: "main",
    },
    Template {
        name: "serverless",
        summary: "package a SAM application and deploy it through a change set",
        example: "07-serverless-application.cruddur",
        files: &[("pipeline.cruddur", example!("07-serverless-application.cruddur"))],
        repo: "my-org/greetings",
        branch: "main",
    },
    Template {
        name: "buildspec-file",
        summary: "the fargate pipeline with the buildspec kept in the repository",
        example: "08-buildspec-in-the-repository",
        files: &[
            (
                "pipeline.cruddur",
                example!("08-buildspec-in-the-repository/pipeline.cruddur"),
            ),
            ("cruddur.toml", example!("08-buildspec-in-the-repository/cruddur.toml")),
            (
                "backend-flask/buildspec.yml",
                example!("08-buildspec-in-the-repository/backend-flask/buildspec.yml"),
            ),
        ],
        repo: "omenking/aws-bootcamp-cruddur-2023",
        branch: "prod",
    },
    Template {
        name: "staging-production",
        summary: "deploy to staging, wait for an approval, deploy to production",
        example: "09-staging-then-production.cruddur",
        files: &[("pipeline.cruddur", example!("09-staging-then-production.cruddur"))],
        repo: "my-org/my-app",
        branch: "main",
    },
    Template {
        name: "blue-green",
        summary: "ECS blue/green through CodeDeploy, with the task definition and AppSpec files",
        example: "10-ecs-blue-green",
        files: &[
            ("pipeline.cruddur", example!("10-ecs-blue-green/pipeline.cruddur")),
            ("cruddur.toml", example!("10-ecs-blue-green/cruddur.toml")),
            ("taskdef.json", example!("10-ecs-blue-green/taskdef.json")),
            ("appspec.yaml", example!("10-ecs-blue-green/appspec.yaml")),
        ],
        repo: "my-org/orders-web",
        branch: "main",
    },
    Template {
        name: "cross-account",
        summary: "one pipeline deploying a stack to a staging and a production account",
        example: "11-cross-account-deploy.cruddur",
        files: &[("pipeline.cruddur", example!("11-cross-account-deploy.cruddur"))],
        repo: "my-org/orders",
        branch: "main",
    },
    Template {
        name: "scheduled-job",
        summary: "a build on a schedule, in a VPC, uploading its output to S3",
        example: "12-scheduled-job.cruddur",
        files: &[("pipeline.cruddur", example!("12-scheduled-job.cruddur"))],
        repo: "my-org/orders-reports",
        branch: "main",
    },
];

/// The Region the examples are written for, replaced by `--region`.
const EXAMPLE_REGION: &str = "us-east-1";

pub struct Values {
    pub repo: Option<String>,
    pub branch: Option<String>,
    pub region: Option<String>,
}

pub fn list() -> String {
    let width = TEMPLATES.iter().map(|t| t.name.len()).max().unwrap_or(0);
    TEMPLATES
        .iter()
        .map(|t| format!("{:width$}  {} (examples/{})\n", t.name, t.summary, t.example))
        .collect()
}

/// What is wrong with the flags' values, checked before anything is written.
pub fn validate(values: &Values) -> Result<(), String> {
    if let Some(repo) = &values.repo {
        let mut parts = repo.split('/');
        let well_formed = matches!((parts.next(), parts.next(), parts.next()), (Some(o), Some(n), None) if !o.is_empty() && !n.is_empty())
            && repo.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
        if !well_formed {
            return Err(format!("--repo `{repo}` is not OWNER/NAME, e.g. my-org/my-app"));
        }
    }
    if let Some(branch) = &values.branch {
        if branch.is_empty()
            || branch
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "\"\\~^:?*[".contains(c))
        {
            return Err(format!("--branch `{branch}` is not a Git branch name"));
        }
    }
    if let Some(region) = &values.region {
        // The compiler's own judgement, so what is written checks.
        if let Some(problem) = cruddur::resolve::lower::region_problem(region) {
            return Err(format!("--region `{region}`: {problem}"));
        }
    }
    Ok(())
}

/// The template's files with the values filled in, by path from `program`'s folder; the
/// program's own path is `program`.
pub fn render(template: &Template, values: &Values, program: &Path) -> Vec<(PathBuf, String)> {
    let folder = program.parent().map(Path::to_path_buf).unwrap_or_default();
    template
        .files
        .iter()
        .enumerate()
        .map(|(n, (path, text))| {
            let (path, text) = if n == 0 {
                (program.to_path_buf(), fill(template, values, text, program))
            } else {
                (folder.join(path), text.to_string())
            };
            (path, text)
        })
        .collect()
}

fn fill(template: &Template, values: &Values, text: &str, program: &Path) -> String {
    // What the opening comment says to build: the program, or its folder for a template
    // with a cruddur.toml.
    let built = if template.files.len() > 1 {
        program
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    } else {
        program
    };
    let text = text.replace(&format!("examples/{}", template.example), &built.display().to_string());
    let quoted = |value: &str| format!("\"{value}\"");
    text.lines()
        .map(|line| {
            let mut line = line.to_string();
            let comment = line.trim_start().starts_with("//");
            if let Some(repo) = &values.repo {
                line = line.replace(&quoted(template.repo), &quoted(repo));
            }
            if let Some(branch) = &values.branch {
                if comment {
                    // Where the comments name the branch: `main`, or (main) in a diagram.
                    line = line.replace(&format!("`{}`", template.branch), &format!("`{branch}`"));
                    line = line.replace(&format!("({}", template.branch), &format!("({branch}"));
                } else if line.contains("branch") {
                    // `branch = "main"`, `branches = ["main", …]`, `github(…, branch = "main")`.
                    line = line.replace(&quoted(template.branch), &quoted(branch));
                }
            }
            if let (Some(region), false) = (&values.region, comment) {
                if line.trim_start().starts_with("region") {
                    line = line.replace(&quoted(EXAMPLE_REGION), &quoted(region));
                }
            }
            line + "\n"
        })
        .collect()
}

/// The sentence of the program's opening comment that says what must exist already.
pub fn needs(program: &str) -> Option<String> {
    let header: Vec<&str> = program
        .lines()
        .take_while(|l| l.starts_with("//"))
        .map(|l| l.trim_start_matches('/').trim())
        .collect();
    let joined = header.join(" ");
    let start = joined.find("Needs already:")?;
    let rest = &joined[start..];
    // To the end of the paragraph: the next empty comment line; the pages it cites stay in
    // the file.
    let end = rest.find("  ").unwrap_or(rest.len());
    let words: Vec<&str> = rest[..end]
        .split_whitespace()
        .filter(|w| !w.starts_with("https://"))
        .collect();
    Some(words.join(" "))
}

/// Writes the template's files, none if any exists already, and prints what to run next.
pub fn run(template_name: &str, program: &Path, values: &Values, force_list: bool) -> i32 {
    if force_list {
        print!("{}", list());
        return 0;
    }
    let Some(template) = TEMPLATES.iter().find(|t| t.name == template_name) else {
        let names: Vec<&str> = TEMPLATES.iter().map(|t| t.name).collect();
        let near = cruddur::diagnostics::did_you_mean(template_name, names.iter().copied())
            .map(|n| format!("did you mean `{n}`? "))
            .unwrap_or_default();
        eprintln!(
            "error: no template named `{template_name}`; {near}templates: {} (`cruddur init --list` says what each is)",
            names.join(", ")
        );
        return 2;
    };
    // A folder: the program goes into it, under the usual name.
    let program = if program.is_dir() {
        program.join("pipeline.cruddur")
    } else {
        program.to_path_buf()
    };
    let program = program.as_path();
    if program.extension().is_none_or(|e| e != "cruddur") {
        eprintln!(
            "error: `{}` is not a .cruddur file name; write e.g. `{}`",
            program.display(),
            program.with_extension("cruddur").display()
        );
        return 2;
    }
    if let Err(message) = validate(values) {
        eprintln!("error: {message}");
        return 2;
    }
    let files = render(template, values, program);
    let existing: Vec<String> = files
        .iter()
        .filter(|(path, _)| path.exists())
        .map(|(path, _)| path.display().to_string())
        .collect();
    if !existing.is_empty() {
        eprintln!(
            "error: {} exist{} already; nothing written (choose another path, or move {} away)",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" },
            if existing.len() == 1 { "it" } else { "them" }
        );
        return 1;
    }
    let mut written: Vec<&Path> = Vec::new();
    for (path, text) in &files {
        let made = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| {
                // `create_new`: a file that appeared meanwhile is not overwritten.
                use std::io::Write;
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(path)
                    .and_then(|mut f| f.write_all(text.as_bytes()))
            });
        if let Err(error) = made {
            for done in &written {
                let _ = std::fs::remove_file(done);
            }
            eprintln!("error: cannot write `{}`: {error}; nothing written", path.display());
            return 2;
        }
        written.push(path);
    }
    print!("{}", next_steps(template, program, &files));
    0
}

fn next_steps(template: &Template, program: &Path, files: &[(PathBuf, String)]) -> String {
    let mut out = String::new();
    let shown: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    out.push_str(&format!(
        "wrote {} from template `{}` (examples/{})\n",
        shown.join(", "),
        template.name,
        template.example
    ));
    if let Some(needs) = needs(&files[0].1) {
        out.push_str(&format!("\n{needs}\n"));
    }
    out.push_str(
        "\nThe names of what it deploys to (clusters, services, buckets, stacks, roles) are the\nexample's: change them to yours. The comments say what each one is.\n",
    );
    // The files the pipeline reads from the repository (cruddur.toml is cruddur's own).
    let others: Vec<String> = files[1..]
        .iter()
        .filter(|(p, _)| !p.ends_with("cruddur.toml"))
        .map(|(p, _)| p.display().to_string())
        .collect();
    if !others.is_empty() {
        out.push_str(&format!(
            "It reads {} from the repository: edit {} for your application.\n",
            others.join(", "),
            if others.len() == 1 { "it" } else { "them" }
        ));
    }
    // The program as cruddur reads it: the folder when the template has a cruddur.toml.
    let target = if files.iter().any(|(p, _)| p.ends_with("cruddur.toml")) {
        program
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf()
    } else {
        program.to_path_buf()
    };
    let params = parameters(&target);
    out.push_str(&format!("\nNext:\n  cruddur check {}\n", target.display()));
    let flags: String = params
        .iter()
        .filter(|(_, _, default)| !default)
        .map(|(name, _, _)| format!(" --param {name}=…"))
        .collect();
    out.push_str(&format!("  cruddur build {} --out build/{flags}\n", target.display()));
    if !params.is_empty() {
        out.push_str("\nParameters:\n");
        let width = params.iter().map(|(n, _, _)| n.len()).max().unwrap_or(0);
        for (name, description, default) in &params {
            let default = if *default { " (has a default)" } else { "" };
            out.push_str(&format!("  {name:width$}  {description}{default}\n"));
        }
    }
    out
}

/// The program's parameters: name, description, whether it has a default.
fn parameters(path: &Path) -> Vec<(String, String, bool)> {
    let mut workspace = Workspace::new(OsFs);
    if workspace.load(&[path.to_path_buf()]).is_err() || workspace.programs().is_empty() {
        return Vec::new();
    }
    let analysis = workspace.analysis(0);
    analysis
        .program
        .params
        .iter()
        .map(|p| {
            (
                p.header.name.clone(),
                p.description.clone().unwrap_or_default(),
                p.default.is_some(),
            )
        })
        .collect()
}

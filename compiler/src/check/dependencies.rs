//! What a build runs that someone else publishes, at whatever version is newest when it runs
//! (CICD-SEC-3): a release published tomorrow, by its maintainers or by whoever takes over
//! their account, then runs in the build with its role and secrets.
//!
//! - S0022: tools installed from a package registry (`pip install awscli`, `npm install -g
//!   serverless`, `go install …@latest`). Installs from a lock or requirements file, from a path
//!   or a pinned URL, and the distribution's own packages (`yum`, `apt-get`: signed, and fixed by
//!   the build image's release) are not judged.
//! - S0023: a custom build image named by `latest`, or by no tag at all.

use super::buildspec::simple_commands;
use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::model::*;

pub fn check(program: &Program, out: &mut Vec<Diagnostic>) {
    build_images(program, out);
    for project in &program.projects {
        for command in project.phases.iter().flat_map(|p| p.commands.iter().chain(&p.finally)) {
            let Command::Shell(text) = command else { continue };
            let unpinned: Vec<(&str, Vec<String>)> = text
                .literal_runs()
                .flat_map(simple_commands)
                .filter_map(|words| unpinned(&words))
                .collect();
            let Some((tool, _)) = unpinned.first() else { continue };
            let packages: Vec<String> = unpinned.iter().flat_map(|(_, p)| p).map(|p| format!("`{p}`")).collect();
            out.push(
                Diagnostic::new(
                    Code::UnpinnedInstall,
                    format!(
                        "{} installed by {tool} at whatever version is newest when the build runs",
                        packages.join(", ")
                    ),
                    text.loc.file,
                    text.loc.span.clone(),
                    "no pinned version",
                )
                .with_help(help(tool)),
            );
        }
    }
}

/// S0023: a custom build image named by `latest`, or with no tag (which pulls `latest`): the
/// build runs whatever image was pushed last under that name. A version tag is taken as the
/// author's choice, and a digest pins the image; CodeBuild's own images are versioned.
fn build_images(program: &Program, out: &mut Vec<Diagnostic>) {
    for project in &program.projects {
        let Some(Image {
            image: ImageRef::Uri(uri),
            ..
        }) = &project.environment.image
        else {
            continue;
        };
        let Some(written) = uri.literal() else { continue };
        if written.starts_with("aws/codebuild/") || written.contains('@') || written.is_empty() {
            continue;
        }
        // The tag follows the last `:` of the last path segment (a registry's port is before it).
        let name = written.rsplit('/').next().unwrap_or(&written);
        let message = match name.split_once(':') {
            None => {
                format!("the build image `{written}` has no tag, so it is `latest`: whatever image was pushed last")
            }
            Some((_, "latest")) => {
                format!("the build image `{written}` is named by `latest`: whatever image was pushed last")
            }
            Some(_) => continue,
        };
        out.push(
            Diagnostic::new(
                Code::MutableBuildImage,
                message,
                uri.loc.file,
                uri.loc.span.clone(),
                "moves with every push",
            )
            .with_help(
                "pin it: a version tag (`node:20.11.1`), or a digest (`node@sha256:…`) for an image that cannot change",
            ),
        );
    }
}

/// How to pin with `tool`.
fn help(tool: &str) -> &'static str {
    match tool {
        "pip" => "pin it: `awscli==1.32.0`, or install from a requirements file with hashes (`pip install --require-hashes -r requirements.txt`)",
        "npm" | "yarn" | "pnpm" => "pin it: `serverless@3.38.0`, or install from the lock file (`npm ci`)",
        "gem" => "pin it: `gem install bundler -v 2.5.6`, or install from the Gemfile.lock (`bundle install`)",
        "go" => "pin it: `go install golang.org/x/tools/cmd/goimports@v0.18.0`",
        _ => "pin it: `cargo install ripgrep --version 14.1.0 --locked`",
    }
}

/// The installing tool and the packages a command installs unpinned, if it does.
fn unpinned(words: &[&str]) -> Option<(&'static str, Vec<String>)> {
    let words: Vec<&str> = words.iter().map(|w| w.trim_matches(['"', '\''])).collect();
    let (tool, args): (&'static str, &[&str]) = match words.as_slice() {
        ["pip" | "pip3", "install", args @ ..] => ("pip", args),
        ["python" | "python3", "-m", "pip", "install", args @ ..] => ("pip", args),
        ["npm", "install" | "i" | "add", args @ ..] => ("npm", args),
        ["yarn", "global", "add", args @ ..] | ["yarn", "add", args @ ..] => ("yarn", args),
        ["pnpm", "add" | "install" | "i", args @ ..] => ("pnpm", args),
        ["gem", "install", args @ ..] => ("gem", args),
        ["go", "install", args @ ..] => ("go", args),
        ["cargo", "install", args @ ..] => ("cargo", args),
        _ => return None,
    };
    let flagged = |flags: &[&str]| {
        args.iter().any(|a| {
            flags
                .iter()
                .any(|f| a == f || a.strip_prefix(f).is_some_and(|rest| rest.starts_with('=')))
        })
    };
    let unpinned: Vec<String> = match tool {
        "pip" => packages(args, PIP_VALUED)
            .filter(|p| !pip_pinned(p))
            .map(str::to_string)
            .collect(),
        "npm" | "yarn" | "pnpm" => packages(args, NPM_VALUED)
            .filter(|p| !npm_pinned(p))
            .map(str::to_string)
            .collect(),
        // `-v` pins every gem the command names.
        "gem" if flagged(&["-v", "--version"]) => Vec::new(),
        "gem" => packages(args, GEM_VALUED)
            .filter(|p| !p.contains(':'))
            .map(str::to_string)
            .collect(),
        "go" => packages(args, &[])
            .filter(|p| {
                p.rsplit_once('@')
                    .is_some_and(|(_, version)| matches!(version, "latest" | "master" | "main" | "HEAD"))
            })
            .map(str::to_string)
            .collect(),
        _ if flagged(&["--version", "--vers", "--path", "--rev", "--tag"]) => Vec::new(),
        _ => packages(args, CARGO_VALUED)
            .filter(|p| !p.contains('@'))
            .map(str::to_string)
            .collect(),
    };
    (!unpinned.is_empty()).then_some((tool, unpinned))
}

/// Options of each tool that take a value (the next word), so that value is not a package.
const PIP_VALUED: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-t",
    "--target",
    "-i",
    "--index-url",
    "--extra-index-url",
    "--prefix",
    "--root",
    "--src",
    "-f",
    "--find-links",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--trusted-host",
    "--cache-dir",
    "--log",
    "--proxy",
    "--timeout",
    "--retries",
    "--upgrade-strategy",
    "--progress-bar",
    "--report",
    "--only-binary",
    "--no-binary",
];
const NPM_VALUED: &[&str] = &[
    "--prefix",
    "--registry",
    "--cache",
    "--tag",
    "--omit",
    "--include",
    "-w",
    "--workspace",
];
const GEM_VALUED: &[&str] = &["-i", "--install-dir", "-n", "--bindir", "-s", "--source", "--platform"];
const CARGO_VALUED: &[&str] = &[
    "--git",
    "--branch",
    "--index",
    "--registry",
    "--root",
    "--target",
    "--target-dir",
    "--features",
    "-F",
    "--profile",
    "-j",
    "--jobs",
    "--bin",
    "--example",
];

/// The words of `args` that name packages: not options, nor the values of `valued` options, nor
/// shell redirections.
fn packages<'a>(args: &'a [&'a str], valued: &'a [&str]) -> impl Iterator<Item = &'a str> {
    let mut skip_next = false;
    args.iter()
        .copied()
        .take_while(|word| !word.starts_with('#'))
        .filter(move |word| {
            if std::mem::take(&mut skip_next) {
                return false;
            }
            // `> file`, `2> file`: the file is no package; nor is `>file`.
            let redirection = word.trim_start_matches(|c: char| c.is_ascii_digit() || c == '&');
            if redirection.starts_with(['>', '<']) {
                skip_next = redirection.trim_start_matches(['>', '<', '&']).is_empty();
                return false;
            }
            if valued.contains(word) {
                skip_next = true;
                return false;
            }
            // A variable's value is not known: not judged.
            !word.is_empty() && !word.starts_with('-') && !word.contains('$')
        })
}

/// A pip requirement that names one version, a local path, a file or a URL.
fn pip_pinned(spec: &str) -> bool {
    spec.contains("==")
        || spec.contains('@')
        || spec.contains('/')
        || spec.starts_with('.')
        || [".whl", ".tar.gz", ".zip"].iter().any(|ext| spec.ends_with(ext))
}

/// An npm package spec with one exact version (`name@1.2.3`, `@scope/name@1.2.3`), or a path,
/// a tarball, a git or other URL.
fn npm_pinned(spec: &str) -> bool {
    if spec.starts_with(['.', '/', '~']) || spec.contains("://") || spec.starts_with("git") || spec.ends_with(".tgz") {
        return true;
    }
    // A scoped name starts with `@`: the version follows the last one after it.
    // (After its first character, whatever its width: fuzzing found a multibyte one.)
    let after_first = spec.char_indices().nth(1).map_or("", |(at, _)| &spec[at..]);
    let Some((_, version)) = after_first.rsplit_once('@') else {
        return false;
    };
    let core = version.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(command: &str) -> Option<String> {
        simple_commands(command)
            .find_map(|words| unpinned(&words))
            .map(|(_, packages)| packages.join(" "))
    }

    #[test]
    fn a_package_spec_starting_with_a_wide_character_is_read_whole() {
        // Found by fuzzing: slicing after one byte split `é`.
        assert!(!npm_pinned("é"));
        assert!(npm_pinned("é@1.2.3"));
        assert_eq!(finds("npm install -g é").as_deref(), Some("é"));
    }

    #[test]
    fn unpinned_installs_are_found_and_pinned_ones_are_not() {
        assert_eq!(finds("pip install awscli").as_deref(), Some("awscli"));
        assert_eq!(
            finds("pip3 install --upgrade 'boto3>=1.20'").as_deref(),
            Some("boto3>=1.20")
        );
        assert_eq!(
            finds("pip install awscli==1.32.0 boto3 rich").as_deref(),
            Some("boto3 rich")
        );
        assert_eq!(
            finds("python3 -m pip install -q requests==2.31.0 rich").as_deref(),
            Some("rich")
        );
        assert_eq!(finds("pip install -r requirements.txt"), None);
        assert_eq!(finds("pip install -e ."), None);
        assert_eq!(finds("pip install ./dist/app-1.0-py3-none-any.whl"), None);
        assert_eq!(finds("pip install git+https://github.com/org/tool@v1.2"), None);
        assert_eq!(finds("npm install -g serverless").as_deref(), Some("serverless"));
        assert_eq!(finds("npm i -g aws-cdk@^2").as_deref(), Some("aws-cdk@^2"));
        assert_eq!(finds("npm install -g aws-cdk@2.130.0"), None);
        assert_eq!(finds("npm install -g @aws-amplify/cli@12.10.1"), None);
        assert_eq!(
            finds("npm install -g @aws-amplify/cli").as_deref(),
            Some("@aws-amplify/cli")
        );
        assert_eq!(finds("npm install"), None);
        assert_eq!(finds("npm ci"), None);
        assert_eq!(
            finds("yarn global add typescript@latest").as_deref(),
            Some("typescript@latest")
        );
        assert_eq!(finds("gem install bundler").as_deref(), Some("bundler"));
        assert_eq!(finds("gem install bundler -v 2.5.6"), None);
        assert_eq!(finds("gem install bundler:2.5.6"), None);
        assert_eq!(
            finds("go install golang.org/x/tools/cmd/goimports@latest").as_deref(),
            Some("golang.org/x/tools/cmd/goimports@latest")
        );
        assert_eq!(finds("go install golang.org/x/tools/cmd/goimports@v0.18.0"), None);
        assert_eq!(finds("cargo install ripgrep").as_deref(), Some("ripgrep"));
        assert_eq!(finds("cargo install ripgrep --version 14.1.0"), None);
        assert_eq!(finds("cargo install ripgrep@14.1.0 --locked"), None);
        assert_eq!(finds("cargo install --path ."), None);
        assert_eq!(finds("sudo pip install awscli > /dev/null").as_deref(), Some("awscli"));
        assert_eq!(finds("pip install $TOOLS"), None);
        assert_eq!(finds("npm install -g 2fa-cli@1.0.0 > npm.log 2>&1"), None);
        assert_eq!(finds("npm install -g 2fa-cli 2> err.log").as_deref(), Some("2fa-cli"));
        assert_eq!(finds("pip install awscli==1.32.0 # and nothing else"), None);
        assert_eq!(finds("yum install -y jq"), None);
        assert_eq!(finds("echo pip install awscli"), None);
    }
}

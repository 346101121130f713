"""The integrations that cannot run here, checked as far as this machine allows.

- Dockerfile: no Docker daemon runs on the CI machine, so the recipe is read with
  dockerfile-parse (PyPI) and checked: two stages, the toolchain the workspace declares, the
  build stage's command run here writes the binaries the final stage copies, the final stage
  runs as the user it creates (not root), and its entry point is `cruddur`; .dockerignore keeps
  build output out of the context.
- integrations/gitlab/.gitlab-ci.yml, read with PyYAML: the reports GitLab is told about are
  the files the script writes, in the formats GitLab reads, kept when the job fails.

Prints one line per check and ends with 'N passed, N failed'.
"""

import json
import pathlib
import re
import shlex
import subprocess
import sys
import tomllib

import yaml
from dockerfile_parse import DockerfileParser

ROOT = pathlib.Path(__file__).resolve().parents[2]
passed = failed = 0


def result(name: str, problems: list) -> None:
    global passed, failed
    if problems:
        failed += 1
        print(f"FAIL {name}")
        for problem in problems:
            print(f"     {problem}")
    else:
        passed += 1
        print(f"ok   {name}")


def check_dockerfile() -> None:
    parser = DockerfileParser(path=str(ROOT / "Dockerfile"))
    problems = []
    stages = [i for i in parser.structure if i["instruction"] == "FROM"]
    if len(stages) != 2:
        problems.append(f"{len(stages)} stages, expected a build stage and a runtime stage")
    rust_version = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["package"]["rust-version"]
    declared = [i["value"].split("=", 1)[1] for i in parser.structure if i["instruction"] == "ARG" and i["value"].startswith("RUST_VERSION=")]
    if declared != [rust_version]:
        problems.append(f"RUST_VERSION {declared}, the workspace declares {rust_version}")
    last_from = max(i["startline"] for i in stages)
    final = [i for i in parser.structure if i["startline"] > last_from]
    build = [i for i in parser.structure if i["startline"] < last_from]
    # The build stage's command, run here.
    runs = [i["value"] for i in build if i["instruction"] == "RUN"]
    cargo = next((r for r in runs if r.startswith("cargo build")), None)
    if cargo is None:
        problems.append("the build stage runs no `cargo build`")
    else:
        command = shlex.split(cargo.split("&&")[0])
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            problems.append(f"`{' '.join(command)}` failed: {done.stderr[-2000:]}")
    copies = [i["value"] for i in final if i["instruction"] == "COPY"]
    for copy in copies:
        words = copy.split()
        if words[0].startswith("--from="):
            for source in words[1:-1]:
                here = ROOT / pathlib.Path(source).relative_to("/src")
                if not here.is_file():
                    problems.append(f"the final stage copies {source}, which the build does not write ({here})")
    users = [i["value"] for i in final if i["instruction"] == "USER"]
    if not users or users[-1].split(":")[0] in ("0", "root"):
        problems.append(f"the final stage runs as {users[-1] if users else 'root'}")
    else:
        uid = users[-1].split(":")[0]
        created = any(i["instruction"] == "RUN" and re.search(rf"useradd\b.*--uid {uid}\b", i["value"]) for i in final)
        if not created:
            problems.append(f"user {uid} is not created in the final stage")
    entry = [i["value"] for i in final if i["instruction"] == "ENTRYPOINT"]
    if not entry or json.loads(entry[-1]) != ["cruddur"]:
        problems.append(f"the entry point is {entry}")
    ignored = (ROOT / ".dockerignore").read_text().split()
    if "target/" not in ignored:
        problems.append(".dockerignore does not keep target/ out of the build context")
    result("Dockerfile, read by dockerfile-parse, its build command run here (no Docker daemon)", problems)


def check_gitlab() -> None:
    config = yaml.safe_load((ROOT / "integrations" / "gitlab" / ".gitlab-ci.yml").read_text())
    problems = []
    job = config.get("cruddur", {})
    script = " ".join(job.get("script", []))
    reports = job.get("artifacts", {}).get("reports", {})
    for report, form in (("codequality", "gitlab"), ("junit", "junit")):
        path = reports.get(report)
        if not path or not re.search(rf"--format {form} > {re.escape(path)}\b", script):
            problems.append(f"the {report} report ({path}) is not what `--format {form}` writes")
    if job.get("artifacts", {}).get("when") != "always":
        problems.append("the reports are not kept when the job fails")
    result("integrations/gitlab/.gitlab-ci.yml, read by PyYAML: the reports are the files written", problems)


def main() -> int:
    check_dockerfile()
    check_gitlab()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

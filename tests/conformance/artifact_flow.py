"""Artifact flow: follows every artifact through an emitted pipeline as CodePipeline would.

Independent of the compiler's own model, it reads only the emitted files:
  - codepipeline/*.json gives the stages, the actions in run order, and which artifact each
    action reads and writes;
  - codebuild/*.json gives each build's buildspec and environment variables.
Each CodeBuild action's buildspec is *run*: its commands, phase by phase in one bash process
(buildspec 0.2 keeps one shell), in a scratch folder standing for `$CODEBUILD_SRC_DIR`, with
the files of the action's input artifacts laid out as CodeBuild lays them out. Only tools
that write files are real (`cat`, `printf`, `sed`, `cp`, `mkdir`, `jq`…); every other command
(`docker`, `npm`, `pytest`…) succeeds and does nothing, `aws`/`sam` write the file named by
`--output-template-file`, as they would, and `docker image inspect` prints the digest a push
leaves in the image store. The files the buildspec's `artifacts` then match are
the artifact's contents. A source's artifact is the repository (any file may be in it), except
an ECR source's, which holds `imageDetail.json`.

Each consumer's read is then checked against the artifact it names: an ECS deploy's
`FileName`, a blue/green deploy's task definition, appspec and `imageDetail.json`, a stack's
template and configuration. Image definitions and image details written by a build are also
parsed, as the deploy would parse them.
"""
import fnmatch
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

import yaml

# Real tools: the ones buildspecs use to write, copy or transform files.
REAL_TOOLS = [
    "awk", "base64", "basename", "cat", "cp", "cut", "date", "dirname", "envsubst", "find",
    "grep", "gzip", "head", "jq", "ln", "ls", "mkdir", "mv", "rm", "sed", "sort", "tail", "tar",
    "tee", "touch", "tr", "uniq", "wc", "xargs", "zip",
]

# Every other command succeeds and does nothing; `aws` and `sam` write the template they
# are asked to write, and a `cd` into the repository's folders finds them (the repository
# itself is not here).
PRELUDE = r"""
command_not_found_handle() { return 0; }
__write_template() {
  local out="" in=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --output-template-file) out="$2"; shift ;;
      --output-template-file=*) out="${1#*=}" ;;
      --template-file|--template|-t) in="$2"; shift ;;
    esac
    shift
  done
  if [ -n "$out" ]; then
    mkdir -p "$(dirname "$out")"
    if [ -n "$in" ] && [ -f "$in" ]; then cat "$in" > "$out"; else printf '{}\n' > "$out"; fi
  fi
  return 0
}
aws() {
  case "$1 $2" in
    "ecr get-login-password") printf 'stub-password\n' ;;
    *) __write_template "$@" ;;
  esac
}
docker() {
  case "$1 $2" in
    # After a push (or a pull) the image store holds the image's digest in its repository:
    # `repository@sha256:…`, the image named without its tag.
    "image inspect")
      for image; do :; done
      printf '%s@sha256:%s\n' "${image%:*}" "$(printf '%064d' 0)" ;;
  esac
  return 0
}
sam() {
  case "$1" in
    build) mkdir -p .aws-sam/build && printf '{}\n' > .aws-sam/build/template.yaml ;;
    *) __write_template "$@" ;;
  esac
}
cd() {
  if [ $# -gt 0 ] && [ "$1" != "-" ] && [ ! -d "$1" ]; then mkdir -p "$1"; fi
  builtin cd "$@"
}
"""

PHASES = ["install", "pre_build", "build", "post_build"]

# CodeBuild's own variables, with stand-in values (build-env-ref-env-vars.html).
CODEBUILD_VARIABLES = {
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "CODEBUILD_BUILD_ID": "project:0000",
    "CODEBUILD_BUILD_NUMBER": "1",
    "CODEBUILD_INITIATOR": "codepipeline/pipeline",
    "CODEBUILD_RESOLVED_SOURCE_VERSION": "0123456789abcdef0123456789abcdef01234567",
    "CODEBUILD_SOURCE_VERSION": "0123456789abcdef0123456789abcdef01234567",
    "CODEBUILD_WEBHOOK_TRIGGER": "",
}

ANY_FILE = "**"

# Files a build writes for a deploy (the repository does not hold them): listed under a
# build's `artifacts` but never written is a failure, not a file from the repository.
WRITTEN_BY_BUILDS = {"image definitions", "image detail"}


class Artifact:
    """What an artifact holds: files known by path (with their content), and patterns of
    files that may come from the repository (a source, or a build's pattern it did not write)."""

    def __init__(self, files=None, patterns=None):
        self.files = files or {}
        self.patterns = patterns or []

    def holds(self, path: str) -> bool:
        return path in self.files or any(glob_matches(p, path) for p in self.patterns)


def glob_matches(pattern: str, path: str) -> bool:
    if pattern == ANY_FILE or pattern.endswith("/**/*") and path.startswith(pattern[:-4]):
        return True
    if "**/" in pattern:
        # `**/` matches zero or more folders.
        return glob_matches(pattern.replace("**/", "", 1), path) or fnmatch.fnmatchcase(path, pattern)
    return fnmatch.fnmatchcase(path, pattern) and pattern.count("/") == path.count("/")


def actions_in_order(pipeline: dict):
    for stage in pipeline["stages"]:
        for run_order in sorted({a.get("runOrder", 1) for a in stage["actions"]}):
            yield stage["name"], [a for a in stage["actions"] if a.get("runOrder", 1) == run_order]


def tool_dir() -> pathlib.Path:
    folder = pathlib.Path(tempfile.mkdtemp(prefix="cruddur-flow-bin-"))
    for tool in REAL_TOOLS:
        found = shutil.which(tool)
        if found:
            (folder / tool).symlink_to(found)
        else:
            # A file-writing tool this machine lacks must not pass as a stub that does nothing.
            stub = folder / tool
            stub.write_text(f"#!/bin/sh\necho 'artifact flow: {tool} is not installed on this machine' >&2\nexit 127\n")
            stub.chmod(0o755)
    return folder


def lay_out(artifact: Artifact, into: pathlib.Path) -> None:
    into.mkdir(parents=True, exist_ok=True)
    for path, content in artifact.files.items():
        target = into / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def shell_script(buildspec: dict) -> str:
    """One shell for the whole build. A phase stops at its first failing command; its
    `finally` commands still run; the build then stops, as CodeBuild does."""
    lines = [
        PRELUDE,
        "__ok=1",
        '__run() { [ "$__ok" = 1 ] || return 0; printf \'%s\\n\' "$1" >&2; eval "$2" || { __ok=0; printf \'FAILED %s\\n\' "$1" >&2; }; }',
        '__finally() { printf \'%s\\n\' "$1" >&2; eval "$2" || printf \'FAILED %s\\n\' "$1" >&2; }',
    ]
    variables = (buildspec.get("env") or {}).get("variables") or {}
    for name, value in variables.items():
        lines.append(f"export {name}={shell_quote(str(value))}")
    phases = buildspec.get("phases") or {}
    for phase in PHASES:
        body = phases.get(phase) or {}
        for command in body.get("commands") or []:
            lines.append(f"__run {shell_quote(f'[{phase}] {command}')} {shell_quote(command)}")
        for command in body.get("finally") or []:
            lines.append(f"__finally {shell_quote(f'[{phase} finally] {command}')} {shell_quote(command)}")
        lines.append('[ "$__ok" = 1 ] || exit 1')
    return "\n".join(lines) + "\n"


def shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def collect(spec: dict, source_dir: pathlib.Path) -> Artifact:
    """The files a buildspec `artifacts` (or secondary artifact) block selects."""
    base = source_dir / (spec.get("base-directory") or "")
    discard = str(spec.get("discard-paths", "no")).lower() in ("yes", "true")
    artifact = Artifact()
    for pattern in spec.get("files") or []:
        matched = False
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if not path.is_file():
                    continue
                relative = path.relative_to(base).as_posix()
                if glob_matches(pattern, relative):
                    matched = True
                    artifact.files[path.name if discard else relative] = path.read_bytes()
        if not matched:
            # Not written by the build: the repository must hold it.
            artifact.patterns.append(pattern.rsplit("/", 1)[-1] if discard else pattern)
    return artifact


def run_build(project: dict, action: dict, inputs: dict, tools: pathlib.Path, problems: list) -> dict:
    """Runs one CodeBuild action; returns its output artifacts by name."""
    names = [a["name"] for a in action.get("inputArtifacts", [])]
    primary = action.get("configuration", {}).get("PrimarySource") or (names[0] if names else None)
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="cruddur-flow-"))
    env = {"PATH": str(tools), "HOME": str(scratch / "home"), "LANG": "C.UTF-8"}
    env.update(CODEBUILD_VARIABLES)
    for variable in project.get("environment", {}).get("environmentVariables", []):
        env[variable["name"]] = variable["value"] if variable.get("type", "PLAINTEXT") == "PLAINTEXT" else "stub-secret"
    overrides = action.get("configuration", {}).get("EnvironmentVariables")
    for variable in json.loads(overrides) if overrides else []:
        env[variable["name"]] = variable["value"] if variable.get("type", "PLAINTEXT") == "PLAINTEXT" else "stub-secret"
    source_dir = scratch / "src"
    for name in names:
        folder = source_dir if name == primary else scratch / "src2" / name
        lay_out(inputs[name], folder)
        if name != primary:
            env[f"CODEBUILD_SRC_DIR_{name}"] = str(folder)
    source_dir.mkdir(parents=True, exist_ok=True)
    env["CODEBUILD_SRC_DIR"] = str(source_dir)
    spec = project["source"]["buildspec"]
    if "\n" not in spec:
        # A buildspec kept in the repository: CodeBuild reads it from the primary source.
        if not (source_dir / spec).is_file():
            problems.append(f"{action['name']}: the buildspec file {spec} is not in its source")
            shutil.rmtree(scratch, ignore_errors=True)
            return {a["name"]: Artifact() for a in action.get("outputArtifacts", [])}
        spec = (source_dir / spec).read_text()
    buildspec = yaml.safe_load(spec)
    # The stubs need bash (`command_not_found_handle`, `builtin`); the commands run as they
    # would under `sh` too for what this test looks at: the files they write.
    run = subprocess.run(
        ["/bin/bash", "-c", shell_script(buildspec)],
        cwd=source_dir, env=env, capture_output=True, text=True, timeout=60,
    )
    if run.returncode != 0:
        failing = [line for line in run.stderr.splitlines() if line.startswith("FAILED ")]
        problems.append(f"{action['name']}: the buildspec fails (exit {run.returncode}) at {failing[0][7:] if failing else '?'}: {run.stderr.strip()[-300:]}")
    outputs = {}
    spec = buildspec.get("artifacts") or {}
    secondary = spec.get("secondary-artifacts") or {}
    out_names = [a["name"] for a in action.get("outputArtifacts", [])]
    for name in out_names:
        if name in secondary:
            outputs[name] = collect(secondary[name], source_dir)
        elif len(out_names) == 1 and spec.get("files"):
            outputs[name] = collect(spec, source_dir)
        else:
            problems.append(f"{action['name']}: output artifact {name} is not in the buildspec's artifacts")
            outputs[name] = Artifact()
    shutil.rmtree(scratch, ignore_errors=True)
    return outputs


def split_artifact_path(value: str, default_artifact: str):
    if "::" in value:
        artifact, path = value.split("::", 1)
        return artifact, path
    return default_artifact, value


def reads(action: dict):
    """(artifact, path, kind) for each file a consumer reads from its inputs."""
    provider = action["actionTypeId"]["provider"]
    config = action.get("configuration", {})
    first = (action.get("inputArtifacts") or [{}])[0].get("name")
    if provider == "ECS":
        yield first, config.get("FileName", "imagedefinitions.json"), "image definitions"
    elif provider == "CodeDeployToECS":
        yield config.get("TaskDefinitionTemplateArtifact"), config.get("TaskDefinitionTemplatePath", "taskdef.json"), "task definition"
        yield config.get("AppSpecTemplateArtifact"), config.get("AppSpecTemplatePath", "appspec.yaml"), "appspec"
        for index in range(1, 5):
            if f"Image{index}ArtifactName" in config:
                yield config[f"Image{index}ArtifactName"], "imageDetail.json", "image detail"
    elif provider == "CloudFormation":
        for key in ("TemplatePath", "TemplateConfiguration"):
            if key in config:
                artifact, path = split_artifact_path(config[key], first)
                yield artifact, path, "template" if key == "TemplatePath" else "template configuration"


def content_problems(kind: str, content: bytes) -> list:
    """What a deploy would reject in a file a build wrote."""
    try:
        document = json.loads(content)
    except ValueError as error:
        return [f"not JSON: {error}"] if kind in ("image definitions", "image detail") else []
    if kind == "image definitions":
        if not isinstance(document, list) or not document:
            return ["image definitions must be a non-empty JSON list"]
        return [
            f"entry {i} needs string `name` and `imageUri` without unexpanded variables: {entry!r}"
            for i, entry in enumerate(document)
            if not (isinstance(entry, dict) and all(isinstance(entry.get(k), str) and entry[k] and "$" not in entry[k] for k in ("name", "imageUri")))
        ]
    if kind == "image detail":
        if not (isinstance(document, dict) and isinstance(document.get("ImageURI"), str) and document["ImageURI"]):
            return ["imageDetail.json needs a string `ImageURI`"]
    return []


def repository_files(repository) -> dict:
    """The files of a repository folder (an example that stands for one), by path."""
    if repository is None:
        return {}
    return {
        str(p.relative_to(repository)): p.read_bytes()
        for p in sorted(repository.rglob("*"))
        if p.is_file()
    }


def check_pipeline(path: pathlib.Path, projects: dict, tools: pathlib.Path, repository=None) -> list:
    pipeline = json.loads(path.read_text())["pipeline"]
    problems = []
    produced = {}
    for stage, actions in actions_in_order(pipeline):
        outputs = {}
        for action in actions:
            where = f"{stage}.{action['name']}"
            missing = [a["name"] for a in action.get("inputArtifacts", []) if a["name"] not in produced]
            if missing:
                problems.append(f"{where} reads {', '.join(missing)} before any earlier action writes it")
                continue
            for artifact, file, kind in reads(action):
                if artifact is None or artifact not in produced:
                    problems.append(f"{where} reads its {kind} from {artifact!r}, which is not one of the artifacts written so far")
                elif kind in WRITTEN_BY_BUILDS and file not in produced[artifact].files and produced[artifact].patterns != [ANY_FILE]:
                    problems.append(f"{where} reads {file} ({kind}) from {artifact}, whose build never writes it (it holds {sorted(produced[artifact].files)})")
                elif not produced[artifact].holds(file):
                    held = sorted(produced[artifact].files) + produced[artifact].patterns
                    problems.append(f"{where} reads {file} ({kind}) from {artifact}, which holds only {held}")
                elif file in produced[artifact].files:
                    problems += [f"{where}: {file} from {artifact}: {p}" for p in content_problems(kind, produced[artifact].files[file])]
            category = action["actionTypeId"]["category"]
            provider = action["actionTypeId"]["provider"]
            names = [a["name"] for a in action.get("outputArtifacts", [])]
            if provider == "CodeBuild":
                project = projects.get(action["configuration"]["ProjectName"])
                if project is None:
                    problems.append(f"{where} runs project {action['configuration']['ProjectName']}, which is not emitted")
                    continue
                step = []
                outputs.update(run_build(project, action, produced, tools, step))
                problems += [f"{stage}.{p}" for p in step]
            elif category == "Source" and provider == "ECR":
                for name in names:
                    detail = json.dumps({"ImageURI": "123456789012.dkr.ecr.us-east-1.amazonaws.com/repo@sha256:0"}).encode()
                    outputs[name] = Artifact({"imageDetail.json": detail})
            elif category == "Source" and repository is not None:
                # The example's folder is the repository: its files, and any other file.
                for name in names:
                    outputs[name] = Artifact(repository_files(repository), patterns=[ANY_FILE])
            else:
                # The repository, or a file an action other than a build writes: unknown contents.
                for name in names:
                    outputs[name] = Artifact(patterns=[ANY_FILE])
        # Actions with one run order run together: none sees another's output.
        produced.update(outputs)
    return problems


def check_folder(folder: pathlib.Path, result, repository=None) -> None:
    """`repository`: the folder the pipelines' sources check out, when the example is one."""
    projects = {}
    for path in sorted(folder.glob("codebuild/*.json")):
        if not path.name.endswith(".webhook.json"):
            project = json.loads(path.read_text())
            projects[project["name"]] = project
    tools = tool_dir()
    try:
        for path in sorted(folder.glob("codepipeline/*.json")):
            name = f"artifact flow {path.relative_to(folder.parent)}"
            try:
                result(name, check_pipeline(path, projects, tools, repository))
            except (OSError, ValueError, KeyError, subprocess.SubprocessError) as error:
                result(name, [f"could not follow the artifacts: {error!r}"])
    finally:
        shutil.rmtree(tools, ignore_errors=True)


def self_test() -> list:
    """The flow check must fail on a consumer reading a file its build does not write."""
    write = "printf '[{\"name\":\"web\",\"imageUri\":\"%s\"}]' \"$URI\" > imagedefinitions.json"
    buildspec = {
        "version": 0.2,
        "phases": {"build": {"commands": [write]}},
        "artifacts": {"files": ["imagedefinitions.json"]},
    }
    project = {"name": "p", "source": {"buildspec": yaml.safe_dump(buildspec)}, "environment": {"environmentVariables": [{"name": "URI", "value": "repo:tag"}]}}

    def pipeline(file_name: str, uri: str) -> dict:
        project["environment"]["environmentVariables"][0]["value"] = uri
        source = {"name": "S", "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"}, "outputArtifacts": [{"name": "Src"}]}
        build = {"name": "B", "actionTypeId": {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"}, "configuration": {"ProjectName": "p"}, "inputArtifacts": [{"name": "Src"}], "outputArtifacts": [{"name": "Img"}]}
        deploy = {"name": "D", "actionTypeId": {"category": "Deploy", "owner": "AWS", "provider": "ECS", "version": "1"}, "configuration": {"FileName": file_name}, "inputArtifacts": [{"name": "Img"}]}
        return {"pipeline": {"stages": [{"name": "s", "actions": [a]} for a in (source, build, deploy)]}}

    folder = pathlib.Path(tempfile.mkdtemp(prefix="cruddur-flow-self-"))
    tools = tool_dir()
    outcomes = []
    try:
        cases = [
            ("imagedefinitions.json", "repo:tag", True, False),
            ("images.json", "repo:tag", True, True),
            ("imagedefinitions.json", "", True, True),
            # Listed under `artifacts` but never written: not assumed to be in the repository.
            ("imagedefinitions.json", "repo:tag", False, True),
        ]
        for file_name, uri, writes, should_fail in cases:
            buildspec["phases"]["build"]["commands"] = [write if writes else "echo built"]
            project["source"]["buildspec"] = yaml.safe_dump(buildspec)
            path = folder / "p.json"
            path.write_text(json.dumps(pipeline(file_name, uri)))
            found = check_pipeline(path, {"p": project}, tools)
            if bool(found) != should_fail:
                outcomes.append(f"{file_name} with URI {uri!r}, written: {writes}: expected {'a problem' if should_fail else 'none'}, got {found}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(tools, ignore_errors=True)
    return outcomes


if __name__ == "__main__":
    import sys
    print(self_test() or "self test ok")
    for arg in sys.argv[1:]:
        check_folder(pathlib.Path(arg), lambda name, problems: print(("FAIL " if problems else "ok   ") + name, *problems, sep="\n     "))

#!/usr/bin/env python3
"""Conformance: checks cruddur's emitted files with validators written by others.

For every folder under tests/golden/ (one per example, kept equal to `cruddur build` output
by the golden test):
  - codepipeline/*.json against botocore's CreatePipeline input shape, codebuild/*.json
    against CreateProject and *.webhook.json against CreateWebhook: botocore's ParamValidator
    (types, required members, minimums), plus enum, pattern and max checks walked from the
    same model (ParamValidator skips those);
  - cloudformation/*.json with cfn-lint: no errors and no warnings;
  - iam/*.policy.json, iam/existing/*/*.policy.json and s3/*.policy.json with parliament: no
    findings;
  - buildspec/*.yml parsed with PyYAML and compared with what the compiler meant to write
    (`cargo run --example buildspec_values`), plus a round trip of tricky command strings;
  - the artifact flow (artifact_flow.py): each pipeline's builds are run with their tools
    stubbed, and every file a consumer reads (an ECS deploy's image definitions, a stack's
    template, a blue/green deploy's task definition, appspec and image detail) must be in the
    artifact it names, and parse as the deploy would parse it.
Then:
  - `cruddur check --format sarif` over the UI corpus, validated by Microsoft's SARIF
    Multitool (tests/conformance/node_modules): no errors, and no warnings but SARIF2005
    (cruddur has no public home page to give as `informationUri`);
  - `cruddur check --format junit` read by junitparser, and `--format checkstyle` by Python's
    XML parser, over the UI corpus, each agreeing with `--format json`;
  - the seed pipeline's hand-written role (tests/ui/security-seed-inline-policy.cruddur)
    yields exactly one error, E0403 for ecr:GetAuthorizationToken; applying its fix leaves a
    clean program whose emitted policy parliament passes with no findings.

Prints one line per check and ends with 'N passed, N failed'; exits non-zero on any failure.
"""
import json
import pathlib
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as xml_tree

import botocore.session
import junitparser
import yaml
from botocore.validate import ParamValidator

import artifact_flow

ROOT = pathlib.Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = ROOT / "examples"
PARAMS = [
    "account_id=123456789012",
    "connection_arn=arn:aws:codeconnections:us-east-1:123456789012:connection/0123abcd-0000-4000-8000-000000000000",
    "staging_account=111122223333",
    "production_account=444455556666",
    "artifact_key_arn=arn:aws:kms:us-east-1:123456789012:key/0123abcd-0000-4000-8000-000000000001",
    "cruddur_version=0.1.0",
]
VENV_BIN = pathlib.Path(sys.executable).parent

passed = 0
failed = 0


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


def model_checks(shape, value, path: str, problems: list) -> None:
    """Enum, pattern, min/max checks that ParamValidator leaves out, walked over the shape."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                model_checks(member, value[name], f"{path}.{name}", problems)
    elif kind == "list" and isinstance(value, list):
        limit = shape.metadata.get("max")
        if limit is not None and len(value) > limit:
            problems.append(f"{path}: {len(value)} items, max {limit}")
        for index, item in enumerate(value):
            model_checks(shape.member, item, f"{path}[{index}]", problems)
    elif kind == "map" and isinstance(value, dict):
        for key, item in value.items():
            model_checks(shape.key, key, f"{path} key", problems)
            model_checks(shape.value, item, f"{path}.{key}", problems)
    elif kind == "string" and isinstance(value, str):
        if shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} not in {shape.enum}")
        pattern = shape.metadata.get("pattern")
        if pattern and not re.fullmatch(pattern, value, re.DOTALL):
            problems.append(f"{path}: {value!r} does not match {pattern!r}")
        limit = shape.metadata.get("max")
        if limit is not None and len(value) > limit:
            problems.append(f"{path}: length {len(value)} > max {limit}")
    elif kind in ("integer", "long") and isinstance(value, int):
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and value < low or high is not None and value > high:
            problems.append(f"{path}: {value} outside {low}..{high}")


def validate_input(service_model, operation: str, document: dict) -> list:
    shape = service_model.operation_model(operation).input_shape
    report = ParamValidator().validate(document, shape)
    problems = [line for line in report.generate_report().splitlines() if line.strip()] if report.has_errors() else []
    model_checks(shape, document, operation, problems)
    return problems


def check_api_definitions(session, folder: pathlib.Path) -> None:
    codepipeline = session.get_service_model("codepipeline")
    codebuild = session.get_service_model("codebuild")
    for path in sorted(folder.glob("codepipeline/*.json")):
        result(f"botocore CreatePipeline {path.relative_to(folder.parent)}", validate_input(codepipeline, "CreatePipeline", json.loads(path.read_text())))
    for path in sorted(folder.glob("codebuild/*.json")):
        operation = "CreateWebhook" if path.name.endswith(".webhook.json") else "CreateProject"
        result(f"botocore {operation} {path.relative_to(folder.parent)}", validate_input(codebuild, operation, json.loads(path.read_text())))
    notifications = session.get_service_model("codestar-notifications")
    for path in sorted(folder.glob("notifications/*.json")):
        result(f"botocore CreateNotificationRule {path.relative_to(folder.parent)}", validate_input(notifications, "CreateNotificationRule", json.loads(path.read_text())))
    events = session.get_service_model("events")
    for path in sorted(folder.glob("events/*.json")):
        operation = "PutTargets" if path.name.endswith(".targets.json") else "PutRule"
        document = json.loads(path.read_text())
        problems = validate_input(events, operation, document)
        if operation == "PutRule" and "ScheduleExpression" in document:
            # A schedule, not a pattern: `rate(…)` or `cron(…)`, and the one or the other.
            expression = document["ScheduleExpression"]
            if not re.fullmatch(r"(rate|cron)\(.+\)", expression) or "EventPattern" in document:
                problems.append(f"ScheduleExpression {expression!r} is not rate(…) or cron(…), or stands beside a pattern")
        elif operation == "PutRule":
            # The pattern is JSON text: it must parse, and say which events start the pipeline.
            try:
                pattern = json.loads(document["EventPattern"])
                if not pattern.get("source") or not pattern.get("detail-type"):
                    problems.append("EventPattern has no source or detail-type")
            except (KeyError, ValueError) as error:
                problems.append(f"EventPattern is not JSON: {error}")
        result(f"botocore {operation} {path.relative_to(folder.parent)}", problems)


def check_templates(folder: pathlib.Path) -> None:
    for path in sorted(folder.glob("cloudformation/*.json")):
        run = subprocess.run([str(VENV_BIN / "cfn-lint"), "--format", "parseable", str(path)], capture_output=True, text=True)
        problems = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
        if run.returncode != 0 and not problems:
            problems = [f"cfn-lint exited {run.returncode}"]
        result(f"cfn-lint {path.relative_to(folder.parent)}", problems)


def check_policies(folder: pathlib.Path) -> None:
    # The roles cruddur creates, what existing roles (of other accounts) must allow, and the
    # artifact bucket's policy for those accounts.
    policies = [*folder.glob("iam/*.policy.json"), *folder.glob("iam/existing/*/*.policy.json"), *folder.glob("s3/*.policy.json")]
    for path in sorted(policies):
        # parliament reads stdin when it is not a terminal, so the policy goes in as --string.
        run = subprocess.run([str(VENV_BIN / "parliament"), "--string", path.read_text(), "--json"], capture_output=True, text=True)
        problems = [line for line in run.stdout.splitlines() if line.strip()]
        if run.returncode != 0:
            problems.append(f"parliament exited {run.returncode}: {run.stderr.strip()}")
        result(f"parliament {path.relative_to(folder.parent)}", problems)


def cargo_example(args: list, stdin: str = "") -> str:
    run = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "--example", "buildspec_values", "--", *args],
        cwd=ROOT, input=stdin, capture_output=True, text=True, check=True,
    )
    return run.stdout


def check_buildspecs(folder: pathlib.Path, source: pathlib.Path) -> None:
    expected = json.loads(cargo_example([str(source), *PARAMS]))
    for path in sorted(folder.glob("buildspec/*.yml")):
        parsed = yaml.safe_load(path.read_text())
        meant = expected.get(path.stem)
        problems = [] if parsed == meant else [f"PyYAML reads {parsed!r}", f"compiler meant {meant!r}"]
        result(f"PyYAML {path.relative_to(folder.parent)}", problems)


def check_buildspec_files(folder: pathlib.Path, source: pathlib.Path) -> None:
    """A buildspec kept in the repository: the path a project names is in the repository, and
    PyYAML reads it as a buildspec (version 0.2, phases with lists of string commands), as
    CodeBuild would before running a command."""
    for path in sorted(folder.glob("codebuild/*.json")):
        if path.name.endswith(".webhook.json"):
            continue
        spec = json.loads(path.read_text())["source"].get("buildspec", "")
        # Inline, or kept in an S3 object (by its ARN), which is not in the repository.
        if "\n" in spec or spec.startswith("arn:aws:s3:::"):
            continue
        problems = []
        file = source / spec if source.is_dir() else None
        if file is None or not file.is_file():
            problems.append(f"{spec} is not in the repository {source}")
        else:
            document = yaml.safe_load(file.read_text())
            if str(document.get("version")) not in ("0.2", "0.1"):
                problems.append(f"version {document.get('version')!r}")
            for name, phase in (document.get("phases") or {}).items():
                for key in ("commands", "finally"):
                    commands = (phase or {}).get(key, [])
                    if not isinstance(commands, list) or not all(isinstance(c, str) for c in commands):
                        problems.append(f"phases.{name}.{key} is not a list of strings: {commands!r}")
        result(f"PyYAML {path.relative_to(folder.parent)} reads {spec}", problems)


TRICKY = [
    "yes", "no", "on", "off", "true", "null", "~", "3.10", "1_000", "0x1F", "1e3", "12:30", "2024-01-01",
    "=", "- item", "key: value", "# not a comment", "a #b", "*alias", "&anchor", "!tag", "%directive", "@at",
    "`tick`", "{a: 1}", "[1, 2]", "'single'", '"double"', "trailing space ", " leading", "tab\there",
    "multi\nline", "ends with newline\n", "", "|", ">", "? question", "${{ not interpolated }}", "é ☕ 🚀",
    "docker build -t $IMAGE_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION .",
    "printf '[{\"name\":\"%s\",\"imageUri\":\"%s\"}]' 'app' \"$IMAGE\" > imagedefinitions.json",
]


def check_round_trip() -> None:
    rng = random.Random(20261126)
    alphabet = list("abc :#-*&!%@`'\"{}[],|>?=\\\t\n$0123456789.éZ")
    strings = list(TRICKY)
    for _ in range(2000):
        strings.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))))
    yaml_text = cargo_example(["--commands"], json.dumps(strings))
    parsed = yaml.safe_load(yaml_text)
    got = parsed["phases"]["build"]["commands"]
    problems = [f"{a!r} came back as {b!r}" for a, b in zip(strings, got) if a != b]
    if len(got) != len(strings):
        problems.append(f"{len(strings)} commands written, {len(got)} read")
    result(f"PyYAML round trip of {len(strings)} command strings", problems[:10])


def cruddur(*args: str, check: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / "target" / "release" / "cruddur"), *args], cwd=ROOT, capture_output=True, text=True, check=check)


def taxonomy_problems(run: dict) -> list:
    """Every security rule relates to an OWASP CI/CD risk, and every relationship points at a
    taxon the run declares, in the taxonomy the driver says it supports (SARIF 2.1.0 §3.19.3,
    §3.52, §3.53); the Multitool does not follow these references."""
    problems = []
    driver = run["tool"]["driver"]
    supported = {t["guid"]: t["name"] for t in driver.get("supportedTaxonomies", [])}
    taxa = {}
    for taxonomy in run.get("taxonomies", []):
        if taxonomy["guid"] not in supported:
            problems.append(f"taxonomy {taxonomy['name']} is not in supportedTaxonomies")
        for taxon in taxonomy.get("taxa", []):
            taxa[taxon["guid"]] = (taxon["id"], taxonomy["guid"])
    for rule in driver["rules"]:
        relationships = rule.get("relationships", [])
        if rule["id"].startswith("S") and not any(
            r["target"]["id"].startswith("CICD-SEC-") for r in relationships
        ):
            problems.append(f"{rule['id']} names no OWASP CI/CD risk")
        for relationship in relationships:
            target = relationship["target"]
            found = taxa.get(target.get("guid"))
            if found != (target["id"], target["toolComponent"]["guid"]):
                problems.append(f"{rule['id']}: relationship to {target['id']} points at no declared taxon")
    return problems


def check_sarif() -> None:
    cases = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "ui").glob("*.cruddur"))
    run = cruddur("check", *cases, "--format", "sarif")
    problems = []
    if run.returncode not in (0, 1):
        problems.append(f"cruddur exited {run.returncode}: {run.stderr}")
    document = json.loads(run.stdout)
    results = document["runs"][0]["results"]
    if not any("suppressions" in r for r in results) or not any("fixes" in r for r in results):
        problems.append("the corpus should produce suppressed results and fixes")
    problems.extend(taxonomy_problems(document["runs"][0]))
    target = ROOT / "target" / "conformance.sarif"
    target.write_text(run.stdout)
    tool = ROOT / "tests" / "conformance" / "node_modules" / ".bin" / "sarif-multitool"
    validate = subprocess.run([str(tool), "validate", str(target)], capture_output=True, text=True)
    for line in (validate.stdout + validate.stderr).splitlines():
        finding = re.search(r":\s+(error|warning|note)\s+(\w+):", line)
        if finding and finding.groups() != ("warning", "SARIF2005"):
            problems.append(line.strip())
    if validate.returncode != 0:
        problems.append(f"sarif-multitool exited {validate.returncode}")
    result(f"SARIF Multitool validate ({len(results)} results from {len(cases)} files)", problems)


def check_ci_reports() -> None:
    """`--format junit` read by junitparser, and `--format checkstyle` by Python's XML parser,
    over the UI corpus: one test case per rule and file (a passing one for a file without
    findings), failed for errors (and warnings with `--deny warnings`), and one checkstyle
    error per finding, each agreeing with `--format json`."""
    cases = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "ui").glob("*.cruddur"))
    findings = [d for d in json.loads(cruddur("check", *cases, "--format", "json").stdout)["diagnostics"] if not d.get("suppressed")]
    rules = {}
    for d in findings:
        rules.setdefault((d["file"], d["code"]), []).append(d["severity"])
    for deny in (False, True):
        problems = []
        run = cruddur("check", *cases, "--format", "junit", *(["--deny", "warnings"] if deny else []))
        report = ROOT / "target" / "conformance-junit.xml"
        report.write_text(run.stdout)
        xml = junitparser.JUnitXml.fromfile(str(report))
        read = {}
        for suite in xml:
            for case in suite:
                failed = any(isinstance(r, junitparser.Failure) for r in case.result)
                read[(suite.name, case.name)] = failed
        expected = {}
        for (file, code), severities in rules.items():
            expected[(file, code)] = "error" in severities or deny
        got = {(file, name.split(" ")[0]): failed for (file, name), failed in read.items() if name != "cruddur check"}
        if got != expected:
            problems.append(f"{len(got)} rule cases read, {len(expected)} expected; differing: {sorted(set(got.items()) ^ set(expected.items()))[:5]}")
        clean = [file for (file, name) in read if name == "cruddur check"]
        if any(file for (file, _) in rules if file in clean):
            problems.append("a file with findings also has a passing `cruddur check` case")
        if xml.failures != sum(expected.values()) or xml.tests != len(read):
            problems.append(f"the totals say {xml.tests} tests, {xml.failures} failures")
        what = "with --deny warnings" if deny else "errors fail, warnings pass"
        result(f"junitparser reads the JUnit report ({len(read)} test cases from {len(cases)} files, {what})", problems)
    problems = []
    root = xml_tree.fromstring(cruddur("check", *cases, "--format", "checkstyle").stdout.encode())
    errors = [(f.get("name"), int(e.get("line")), e.get("source")) for f in root.iter("file") for e in f.iter("error")]
    expected = sorted((d["file"], d["span"]["line"], "cruddur." + d["code"]) for d in findings)
    if sorted(errors) != expected:
        problems.append(f"{len(errors)} checkstyle errors, {len(expected)} findings")
    result(f"Python's XML parser reads the Checkstyle report ({len(errors)} errors)", problems)


def apply_fixes(text: str, diagnostics: list) -> str:
    edits = [e for d in diagnostics if d.get("fix") for e in d["fix"]["edits"]]
    data = text.encode()
    for edit in sorted(edits, key=lambda e: e["start"], reverse=True):
        data = data[: edit["start"]] + edit["replacement"].encode() + data[edit["end"]:]
    return data.decode()


def check_seed_policy() -> None:
    case = "tests/ui/security-seed-inline-policy.cruddur"
    run = cruddur("check", case, "--format", "json")
    diagnostics = json.loads(run.stdout)["diagnostics"]
    problems = []
    codes = [(d["code"], d["severity"]) for d in diagnostics]
    if codes != [("E0403", "error")] or "ecr:GetAuthorizationToken" not in diagnostics[0]["message"]:
        problems.append(f"expected exactly E0403 for ecr:GetAuthorizationToken, got {codes}")
    fixed = ROOT / "target" / "seed-fixed.cruddur"
    fixed.write_text(apply_fixes((ROOT / case).read_text(), diagnostics))
    recheck = cruddur("check", str(fixed), "--format", "short")
    if recheck.returncode != 0 or recheck.stdout.strip() != "":
        problems.append(f"after the fix: {recheck.stdout.strip() or recheck.stderr.strip()}")
    out = ROOT / "target" / "seed-fixed-out"
    build = cruddur("build", str(fixed), "--out", str(out), "--param", "account_id=123456789012")
    if build.returncode != 0:
        problems.append(f"build failed: {build.stdout}{build.stderr}")
    else:
        policy = out / "iam" / "cruddur-backend-flask-bake-image-role.policy.json"
        statements = json.loads(policy.read_text())["Statement"]
        token = [s for s in statements if "ecr:GetAuthorizationToken" in s["Action"]]
        if len(token) != 1 or token[0]["Resource"] != ["*"] or token[0]["Action"] != ["ecr:GetAuthorizationToken"]:
            problems.append(f"expected one statement granting only the token on *: {token}")
        lint = subprocess.run([str(VENV_BIN / "parliament"), "--string", policy.read_text(), "--json"], capture_output=True, text=True)
        findings = [line for line in lint.stdout.splitlines() if line.strip()]
        problems.extend(f"parliament: {f}" for f in findings)
    result("seed inline policy: exactly E0403, and the fixed policy passes parliament", problems)


def main() -> int:
    session = botocore.session.get_session()
    # An example is a file, or a folder standing for a repository (with its buildspec files).
    folders = [
        (p, EXAMPLES / f"{p.name}.cruddur" if (EXAMPLES / f"{p.name}.cruddur").is_file() else EXAMPLES / p.name)
        for p in sorted(GOLDEN.iterdir())
        if p.is_dir()
    ]
    if not folders:
        print("no golden folders found")
        return 1
    # Every provider, built fresh: the examples do not use them all.
    all_providers = ROOT / "tests" / "conformance" / "all-providers.cruddur"
    built = ROOT / "target" / "conformance" / "all-providers"
    run = cruddur("build", str(all_providers), "--out", str(built), *[a for p in PARAMS for a in ("--param", p)])
    result("cruddur build tests/conformance/all-providers.cruddur", [] if run.returncode == 0 else [run.stdout, run.stderr])
    folders.append((built, all_providers))
    for folder, source in folders:
        check_api_definitions(session, folder)
        check_templates(folder)
        check_policies(folder)
        check_buildspecs(folder, source)
        check_buildspec_files(folder, source)
        artifact_flow.check_folder(folder, result, source if source.is_dir() else None)
    result("artifact flow: catches a deploy reading a file its build does not write", artifact_flow.self_test())
    check_round_trip()
    check_sarif()
    check_ci_reports()
    check_seed_policy()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Generates compiler/src/data/pipeline_quotas.json: CodePipeline's quotas on a pipeline's
shape (stages per pipeline, actions per stage and per pipeline, parallel and sequential actions
in a stage), which CodePipeline enforces when the pipeline is created or updated.

Source: the markdown source of the CodePipeline User Guide page "Quotas in AWS CodePipeline"
(https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html), in the archived
repository github.com/awsdocs/aws-codepipeline-user-guide, path doc_source/limits.md, as of
commit 1ddafe8b28f11ebe7b5eafd6adbfe7fa9d000a86 (2023-06-15, the last commit before the content
was deleted on archiving). Licence, as stated in that repository's LICENSE-SUMMARY: the
documentation is under the Creative Commons Attribution-ShareAlike 4.0 International licence.
Only the numbers (facts) are taken.

Usage: python3 tools/gen_pipeline_quotas.py PATH-TO-limits.md
Get the file with
  git show 1ddafe8b28f11ebe7b5eafd6adbfe7fa9d000a86:doc_source/limits.md
in a clone of github.com/awsdocs/aws-codepipeline-user-guide.
"""
import hashlib
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "compiler" / "src" / "data" / "pipeline_quotas.json"
REPOSITORY = "github.com/awsdocs/aws-codepipeline-user-guide"
COMMIT = "1ddafe8b28f11ebe7b5eafd6adbfe7fa9d000a86"
PATH = "doc_source/limits.md"
PAGE = "https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html"

# Row heading (as the page words it) -> (quota name, what the compiler reads: "min-max" or "max").
ROWS = {
    "Number of stages in a pipeline": ("stages_per_pipeline", "range"),
    "Number of actions in a stage": ("actions_per_stage", "range"),
    "Maximum number of actions per pipeline": ("actions_per_pipeline", "max"),
    "Maximum number of parallel actions in a stage": ("parallel_actions_per_stage", "max"),
    "Maximum number of sequential actions in a stage": ("sequential_actions_per_stage", "max"),
}


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    data = pathlib.Path(sys.argv[1]).read_bytes()
    text = data.decode()
    quotas = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or cells[0] not in ROWS:
            continue
        name, form = ROWS[cells[0]]
        numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", cells[1])]
        if form == "range":
            if not re.fullmatch(r"Minimum of \d+, maximum of \d+", cells[1]):
                sys.exit(f"{cells[0]}: unexpected wording {cells[1]!r}")
            quotas[name] = {"min": numbers[0], "max": numbers[1], "row": cells[0]}
        else:
            if len(numbers) != 1:
                sys.exit(f"{cells[0]}: unexpected wording {cells[1]!r}")
            quotas[name] = {"max": numbers[0], "row": cells[0]}
    missing = sorted(name for name, _ in ROWS.values() if name not in quotas)
    if missing:
        sys.exit(f"not found in {sys.argv[1]}: {', '.join(missing)}")
    document = {
        "_generated_by": "tools/gen_pipeline_quotas.py: do not edit by hand",
        "_source": f"{PAGE}: {REPOSITORY} {PATH} at {COMMIT} (CC BY-SA 4.0), sha256 {hashlib.sha256(data).hexdigest()}",
        "quotas": dict(sorted(quotas.items())),
    }
    OUTPUT.write_text(json.dumps(document, indent=2) + "\n")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(quotas)} quotas")


if __name__ == "__main__":
    main()

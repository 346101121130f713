#!/usr/bin/env python3
"""Generates compiler/src/data/action_types.json from the gathered CodePipeline action-type
facts (shared/data/codepipeline-action-types.json, sources listed in that file: the AWS
CodePipeline User Guide action reference pages, cross-checked with cfn-lint).

Usage: python3 tools/gen_action_types.py [PATH-TO-codepipeline-action-types.json]
Default path: ../shared/data/codepipeline-action-types.json (beside the repository).
The output is committed; the compiler builds without the shared data.
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "codepipeline-action-types.json"
OUTPUT = ROOT / "compiler" / "src" / "data" / "action_types.json"


def main() -> None:
    source = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    data = json.loads(source.read_text())
    types = []
    for p in data["providers"]:
        types.append({
            "category": p["category"],
            "owner": p["owner"],
            "provider": p["provider"],
            "version": p["version"],
            "input_artifacts": [p["input_artifacts"]["min"], p["input_artifacts"]["max"]],
            "output_artifacts": [p["output_artifacts"]["min"], p["output_artifacts"]["max"]],
            "configuration": [
                {"name": c["name"], "required": bool(c["required"]), **({"values": c["values"]} if "values" in c else {})}
                for c in p["configuration"]
            ],
            "docs_page": p.get("docs_page", ""),
        })
    types.sort(key=lambda t: (t["category"], t["provider"]))
    document = {
        "_generated_by": "tools/gen_action_types.py: do not edit by hand",
        "_source": "shared/data/codepipeline-action-types.json (AWS CodePipeline User Guide action reference; cfn-lint PipelineArtifactCounts cross-check)",
        "action_types": types,
    }
    OUTPUT.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(types)} action types")


if __name__ == "__main__":
    main()

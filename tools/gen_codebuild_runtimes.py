#!/usr/bin/env python3
"""Generates compiler/src/data/codebuild_images.json: for each current CodeBuild curated image,
its identifier, legacy aliases, architecture, and the runtime versions its runtimes.yml
offers (keys kept as strings: "3.10" is not 3.1).

Source: shared/data/codebuild-runtimes.json and shared/data/codebuild-images/images.json,
derived from github.com/aws/aws-codebuild-docker-images at commit
1590e48787084015430500926ea922130dbe9367 (Amazon Software License 1.0; facts only).

Usage: python3 tools/gen_codebuild_runtimes.py [SHARED-DATA-DIR]
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data"
OUTPUT = ROOT / "compiler" / "src" / "data" / "codebuild_images.json"


def main() -> None:
    source = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    runtimes = json.loads((source / "codebuild-runtimes.json").read_text())
    images = json.loads((source / "codebuild-images" / "images.json").read_text())["images"]
    out = []
    for identifier, by_runtime in sorted(runtimes.items()):
        meta = images.get(identifier, {})
        out.append({
            "identifier": identifier,
            "aliases": sorted(meta.get("legacy_aliases", [])),
            "architecture": meta["arch"],
            "os": meta["os"],
            "runtimes": {name: list(versions) for name, versions in sorted(by_runtime.items())},
        })
    document = {
        "_generated_by": "tools/gen_codebuild_runtimes.py: do not edit by hand",
        "_source": "github.com/aws/aws-codebuild-docker-images@1590e48787084015430500926ea922130dbe9367 runtimes.yml files (via shared/data); https://docs.aws.amazon.com/codebuild/latest/userguide/runtime-versions.html for the <major>.x and latest forms",
        "images": out,
    }
    OUTPUT.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(out)} images")


if __name__ == "__main__":
    main()

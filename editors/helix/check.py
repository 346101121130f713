#!/usr/bin/env python3
"""Checks editors/helix/languages.toml against the keys Helix accepts, without Helix.

    python3 editors/helix/check.py [FILE]     # default: languages.toml beside this script
    python3 editors/helix/check.py --self-test

Helix reads `[[language]]` tables with serde's `deny_unknown_fields`: an unknown or misspelt
key makes it reject the user's whole languages.toml at start-up ("Bad language config").
This script parses the file with tomllib (Python 3.11+) and checks every key and the type
of every value against the set below, then that the cruddur entry is what the project means
it to be. Exit 0 when the file passes, 1 when it does not, 2 on usage errors.

Where the key set comes from (keep it in step when Helix changes):
  - Helix's "Languages" page, https://docs.helix-editor.com/languages.html (the book of
    release 25.07.1, book/src/languages.md): the documented `[[language]]` keys and the
    `[language-server.NAME]` keys;
  - helix-core/src/syntax/config.rs (`LanguageConfiguration`, `LanguageServerConfiguration`,
    `IndentationConfiguration`, `BlockCommentToken`, `FormatterConfiguration`; master at
    commit 027fa463), for the exact spelling, the types and which keys are required.
Keys newer than some releases are marked with the first release that has them; the file
itself uses only keys of 24.03 and later.
"""
from __future__ import annotations

import sys
import tomllib
from pathlib import Path

# --- what Helix accepts -----------------------------------------------------------------

STR = "a string"
BOOL = "a boolean"
INT = "an integer"
STR_LIST = "a list of strings"
TABLE = "a table"


def is_type(value, kind) -> bool:
    if kind == STR:
        return isinstance(value, str)
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == STR_LIST:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == TABLE:
        return isinstance(value, dict)
    raise ValueError(kind)


def check_file_types(value, where, errors):
    # Each entry is an extension (or a whole file name without extension) or { glob = "…" }.
    if not isinstance(value, list):
        errors.append(f"{where}: expected a list")
        return
    for i, entry in enumerate(value):
        if isinstance(entry, str):
            continue
        if isinstance(entry, dict) and set(entry) == {"glob"} and isinstance(entry["glob"], str):
            continue
        errors.append(f"{where}[{i}]: expected a string or {{ glob = \"…\" }}")


def check_comment_tokens(value, where, errors):
    # A single token or a list (the first is used for commenting).
    if isinstance(value, str) or is_type(value, STR_LIST) and value:
        return
    errors.append(f"{where}: expected a string or a non-empty list of strings")


def check_block_comment_tokens(value, where, errors):
    # { start = "/*", end = "*/" } or a list of such tables (the first is used for commenting).
    entries = value if isinstance(value, list) else [value]
    if not entries:
        errors.append(f"{where}: expected a table or a non-empty list of tables")
    for i, entry in enumerate(entries):
        at = where if not isinstance(value, list) else f"{where}[{i}]"
        if not isinstance(entry, dict):
            errors.append(f"{at}: expected {{ start = \"…\", end = \"…\" }}")
            continue
        for key in sorted(set(entry) - {"start", "end"}):
            errors.append(f"{at}: unknown key `{key}` (keys: start, end)")
        for key in ("start", "end"):
            if not isinstance(entry.get(key), str):
                errors.append(f"{at}.{key}: required, a string")


def check_indent(value, where, errors):
    # IndentationConfiguration: both keys required; tab-width from 1 to 16.
    if not isinstance(value, dict):
        errors.append(f"{where}: expected {{ tab-width = N, unit = \"…\" }}")
        return
    for key in sorted(set(value) - {"tab-width", "unit"}):
        errors.append(f"{where}: unknown key `{key}` (keys: tab-width, unit)")
    width = value.get("tab-width")
    if not is_type(width, INT) or not 1 <= width <= 16:
        errors.append(f"{where}.tab-width: required, an integer from 1 to 16")
    unit = value.get("unit")
    if not isinstance(unit, str) or not unit:
        errors.append(f"{where}.unit: required, a non-empty string (spaces or \"\\t\")")


FEATURES = {
    "format", "goto-declaration", "goto-definition", "goto-type-definition", "goto-reference",
    "goto-implementation", "signature-help", "hover", "document-highlight", "completion",
    "code-action", "workspace-command", "document-symbols", "workspace-symbols", "diagnostics",
    "pull-diagnostics", "rename-symbol", "inlay-hints", "document-colors",
}


def check_language_servers(value, where, errors):
    # Names, or { name = "…", only-features = […] / except-features = […] }.
    if not isinstance(value, list):
        errors.append(f"{where}: expected a list")
        return
    for i, entry in enumerate(value):
        at = f"{where}[{i}]"
        if isinstance(entry, str):
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            errors.append(f"{at}: expected a server name or {{ name = \"…\", … }}")
            continue
        for key in sorted(set(entry) - {"name", "only-features", "except-features"}):
            errors.append(f"{at}: unknown key `{key}`")
        for key in ("only-features", "except-features"):
            for feature in entry.get(key, []):
                if feature not in FEATURES:
                    errors.append(f"{at}.{key}: unknown feature `{feature}`")


def check_formatter(value, where, errors):
    if not isinstance(value, dict) or not isinstance(value.get("command"), str):
        errors.append(f"{where}: expected {{ command = \"…\", args = […] }}")
        return
    for key in sorted(set(value) - {"command", "args"}):
        errors.append(f"{where}: unknown key `{key}` (keys: command, args)")
    if "args" in value and not is_type(value["args"], STR_LIST):
        errors.append(f"{where}.args: expected {STR_LIST}")


def check_severity(value, where, errors):
    if value not in ("Hint", "Info", "Warning", "Error"):
        errors.append(f"{where}: expected one of Hint, Info, Warning, Error")


def check_auto_pairs(value, where, errors):
    if isinstance(value, bool):
        return
    if isinstance(value, dict) and all(
        isinstance(k, str) and len(k) == 1 and isinstance(v, str) and len(v) == 1 for k, v in value.items()
    ):
        return
    errors.append(f"{where}: expected a boolean or a table of one-character pairs")


def check_rulers(value, where, errors):
    if not (isinstance(value, list) and all(is_type(v, INT) and 0 <= v < 65536 for v in value)):
        errors.append(f"{where}: expected a list of column numbers")


# `[[language]]` keys: key -> (type or checker, required, first release, if not all).
LANGUAGE_KEYS = {
    "name": (STR, True, None),
    "language-id": (STR, False, None),
    "scope": (STR, True, None),
    "file-types": (check_file_types, True, None),
    "shebangs": (STR_LIST, False, None),
    "roots": (STR_LIST, False, None),
    "comment-tokens": (check_comment_tokens, False, "24.03"),
    "comment-token": (check_comment_tokens, False, None),  # the older name, still accepted
    "block-comment-tokens": (check_block_comment_tokens, False, "24.03"),
    "text-width": (INT, False, None),
    "soft-wrap": (TABLE, False, None),
    "auto-format": (BOOL, False, None),
    "formatter": (check_formatter, False, None),
    "path-completion": (BOOL, False, "25.01"),
    "word-completion": (TABLE, False, "25.07"),
    "diagnostic-severity": (check_severity, False, None),
    "grammar": (STR, False, None),
    "injection-regex": (STR, False, None),
    "language-servers": (check_language_servers, False, "23.10"),
    "indent": (check_indent, False, None),
    "debugger": (TABLE, False, None),
    "auto-pairs": (check_auto_pairs, False, None),
    "rulers": (check_rulers, False, None),
    "workspace-lsp-roots": (STR_LIST, False, None),
    "persistent-diagnostic-sources": (STR_LIST, False, "24.03"),
    "rainbow-brackets": (BOOL, False, "after 25.07.1 (master)"),
}

SOFT_WRAP_KEYS = {"enable": BOOL, "max-wrap": INT, "max-indent-retain": INT, "wrap-indicator": STR,
                  "wrap-at-text-width": BOOL}
WORD_COMPLETION_KEYS = {"enable": BOOL, "trigger-length": INT}

# `[language-server.NAME]` keys.
SERVER_KEYS = {
    "command": (STR, True),
    "args": (STR_LIST, False),
    "environment": (TABLE, False),
    "config": (TABLE, False),  # sent as initializationOptions and in workspace/configuration
    "timeout": (INT, False),
    "required-root-patterns": (STR_LIST, False),
}

TOP_LEVEL_KEYS = {"language", "language-server", "grammar", "use-grammars"}


def check_value(kind, value, where, errors):
    if callable(kind):
        kind(value, where, errors)
    elif not is_type(value, kind):
        errors.append(f"{where}: expected {kind}, found {type(value).__name__}")


def check_sub_table(value, keys, where, errors):
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if key not in keys:
            errors.append(f"{where}: unknown key `{key}` (keys: {', '.join(keys)})")
        elif not is_type(item, keys[key]):
            errors.append(f"{where}.{key}: expected {keys[key]}")


def check_config(config: dict) -> list[str]:
    errors: list[str] = []
    for key in config:
        if key not in TOP_LEVEL_KEYS:
            errors.append(f"unknown top-level key `{key}` (keys: {', '.join(sorted(TOP_LEVEL_KEYS))})")

    servers = config.get("language-server", {})
    if not isinstance(servers, dict):
        errors.append("[language-server]: expected tables, [language-server.NAME]")
        servers = {}
    for name, server in servers.items():
        where = f"[language-server.{name}]"
        if not isinstance(server, dict):
            errors.append(f"{where}: expected a table")
            continue
        for key, (kind, required) in SERVER_KEYS.items():
            if key in server:
                check_value(kind, server[key], f"{where} {key}", errors)
            elif required:
                errors.append(f"{where}: `{key}` is required")
        for key in server:
            if key not in SERVER_KEYS:
                errors.append(f"{where}: unknown key `{key}` (Helix ignores it; keys: {', '.join(SERVER_KEYS)})")

    languages = config.get("language", [])
    if not isinstance(languages, list):
        errors.append("`language` must be written [[language]]")
        languages = []
    for i, language in enumerate(languages):
        if not isinstance(language, dict):
            errors.append(f"[[language]] #{i + 1}: expected a table")
            continue
        where = f"[[language]] #{i + 1} ({language.get('name', '?')})"
        for key, (kind, required, _) in LANGUAGE_KEYS.items():
            if key in language:
                check_value(kind, language[key], f"{where} {key}", errors)
            elif required:
                errors.append(f"{where}: `{key}` is required")
        for key in language:
            if key not in LANGUAGE_KEYS:
                errors.append(f"{where}: unknown key `{key}` (Helix rejects the whole file)")
        if "comment-tokens" in language and "comment-token" in language:
            errors.append(f"{where}: `comment-tokens` and its older name `comment-token` both given")
        check_sub_table(language.get("soft-wrap"), SOFT_WRAP_KEYS, f"{where} soft-wrap", errors)
        check_sub_table(language.get("word-completion"), WORD_COMPLETION_KEYS, f"{where} word-completion", errors)
        # A server named here must be defined: in this file, or among Helix's own defaults.
        for entry in language.get("language-servers", []) if isinstance(language.get("language-servers"), list) else []:
            name = entry if isinstance(entry, str) else entry.get("name") if isinstance(entry, dict) else None
            if isinstance(name, str) and name not in servers:
                errors.append(f"{where} language-servers: `{name}` is not defined in [language-server.{name}]")
    return errors


# --- what the project means the file to say ---------------------------------------------

def check_cruddur(config: dict) -> list[str]:
    errors = []
    entries = [l for l in config.get("language", []) if isinstance(l, dict) and l.get("name") == "cruddur"]
    if len(entries) != 1:
        return [f"expected one [[language]] named cruddur, found {len(entries)}"]
    language = entries[0]
    expected = {
        "scope": "source.cruddur",
        "file-types": ["cruddur"],
        "roots": ["cruddur.toml"],
        "indent": {"tab-width": 2, "unit": "  "},
        "language-servers": ["cruddur-lsp"],
    }
    for key, value in expected.items():
        if language.get(key) != value:
            errors.append(f"cruddur: {key} should be {value!r}, is {language.get(key)!r}")
    tokens = language.get("comment-tokens", language.get("comment-token"))
    if tokens not in ("//", ["//"]):
        errors.append(f"cruddur: the line comment token should be //, is {tokens!r}")
    if language.get("block-comment-tokens") not in ({"start": "/*", "end": "*/"}, [{"start": "/*", "end": "*/"}]):
        errors.append("cruddur: block-comment-tokens should be { start = \"/*\", end = \"*/\" }")
    server = config.get("language-server", {}).get("cruddur-lsp", {})
    if server.get("command") != "cruddur-lsp":
        errors.append("[language-server.cruddur-lsp]: command should be \"cruddur-lsp\"")
    return errors


def check_text(text: str) -> list[str]:
    try:
        config = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        return [f"not valid TOML: {e}"]
    return check_config(config)


# --- self-test: the checker catches what Helix would reject -----------------------------

GOOD = (Path(__file__).parent / "languages.toml").read_text(encoding="utf-8") if __name__ == "__main__" else ""

MISTAKES = {
    "a misspelt key": ('comment-tokens = "//"', 'coment-tokens = "//"'),
    "the wrong type": ("roots = [\"cruddur.toml\"]", "roots = \"cruddur.toml\""),
    "an unknown indent key": ('indent = { tab-width = 2, unit = "  " }', 'indent = { tab-width = 2, units = "  " }'),
    "a tab width out of range": ('tab-width = 2', 'tab-width = 0'),
    "a block comment without end": ('{ start = "/*", end = "*/" }', '{ start = "/*" }'),
    "an undefined server": ('language-servers = ["cruddur-lsp"]', 'language-servers = ["cruddur-ls"]'),
    "a server without command": ('command = "cruddur-lsp"', 'cmd = "cruddur-lsp"'),
    "a missing scope": ('scope = "source.cruddur"\n', ''),
    "the old language-server key": ('language-servers = ["cruddur-lsp"]', 'language-server = { command = "cruddur-lsp" }'),
}


def self_test() -> int:
    failures = 0
    if check_text(GOOD):
        print("self-test FAIL: languages.toml itself does not pass")
        failures += 1
    for what, (old, new) in MISTAKES.items():
        if old not in GOOD:
            print(f"self-test FAIL: cannot make {what}: `{old}` is not in languages.toml")
            failures += 1
            continue
        errors = check_text(GOOD.replace(old, new, 1))
        if errors:
            print(f"self-test ok   {what}: {errors[0]}")
        else:
            print(f"self-test FAIL {what} was not caught")
            failures += 1
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) > 2 or (len(argv) == 2 and argv[1].startswith("-")):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    path = Path(argv[1]) if len(argv) == 2 else Path(__file__).parent / "languages.toml"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        print(f"check.py: cannot read {path}: {e.strerror}", file=sys.stderr)
        return 2
    errors = check_text(text)
    if not errors:
        errors = check_cruddur(tomllib.loads(text))
    for error in errors:
        print(f"{path}: {error}")
    if errors:
        return 1
    config = tomllib.loads(text)
    print(f"{path}: OK ({len(config.get('language', []))} language, "
          f"{len(config.get('language-server', {}))} language server; keys as in Helix 25.07.1)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

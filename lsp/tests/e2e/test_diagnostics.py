"""Diagnostics and quick fixes: what an editor shows for a broken file, and that applying the
server's fix clears it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from lsprotocol import types

from support import CACHE, CruddurClient, apply_edits, codes, open_document, wait_until

MISSPELLED = "single/misspelled.cruddur"
COLON = "single/colon.cruddur"


async def diagnostics_with(client: CruddurClient, uri: str, code: str) -> list[types.Diagnostic]:
    return await wait_until(
        lambda: (d := client.diagnostics.get(uri)) is not None and code in codes(d) and list(d),
        f"a diagnostic {code} published for {uri}",
    )


async def published_clean(client: CruddurClient, uri: str, version: int) -> types.PublishDiagnosticsParams:
    def found():
        for params in client.published:
            if params.uri == uri and params.version == version:
                return params
        return None

    params = await wait_until(found, f"diagnostics of {uri} at version {version}")
    assert list(params.diagnostics) == [], f"still: {[(d.code, d.message) for d in params.diagnostics]}"
    assert client.diagnostics[uri] == params.diagnostics
    return params


async def test_opening_a_buffer_publishes_its_diagnostics(client: CruddurClient):
    # A buffer the folder does not hold on disk (a new file): it is checked once opened.
    uri = client.uri("single/new.cruddur")
    text = client.text(MISSPELLED)
    assert uri not in client.diagnostics
    open_document(client, uri, text, version=3)

    params = await wait_until(
        lambda: next((p for p in client.published if p.uri == uri), None),
        "publishDiagnostics for the opened buffer",
    )
    assert params.version == 3
    assert codes(params.diagnostics) == ["E0103"]
    [diagnostic] = params.diagnostics
    # `  nme     = "my-app-unit-tests"` on line 28 (27 counting from 0): the member's name.
    assert diagnostic.range == types.Range(
        start=types.Position(line=27, character=2), end=types.Position(line=27, character=5)
    )
    assert text.splitlines()[27][2:5] == "nme"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.source == "cruddur"
    assert diagnostic.message.startswith("`project` has no member `nme`")
    assert "note: `project` takes: name, description," in diagnostic.message
    # The code links to its explanation, written to the cache folder the server was given.
    assert diagnostic.code_description is not None
    href = diagnostic.code_description.href
    assert href.startswith("file://") and href.endswith("/E0103.md"), href
    explanation = Path(url2pathname(urlparse(href).path))
    assert explanation.is_relative_to(CACHE), explanation
    assert explanation.read_text(encoding="utf-8").startswith("## E0103: unknown member")


async def test_workspace_files_are_checked_without_being_opened(client: CruddurClient):
    # The files of the folder are checked at start: the broken ones are published (not open,
    # so without a version); a clean file has nothing to announce.
    await diagnostics_with(client, client.uri(MISSPELLED), "E0103")
    await diagnostics_with(client, client.uri(COLON), "E0010")
    assert {p.uri: (p.version, codes(p.diagnostics)) for p in client.published} == {
        client.uri(MISSPELLED): (None, ["E0103"]),
        client.uri(COLON): (None, ["E0010"]),
    }
    for clean in ["program/bake.cruddur", "program/repositories.cruddur", "single/unformatted.cruddur"]:
        assert list(client.diagnostics.get(client.uri(clean), [])) == [], clean


async def test_the_quick_fix_renames_the_member_and_the_diagnostic_clears(client: CruddurClient):
    uri = client.uri(MISSPELLED)
    text = client.text(MISSPELLED)
    open_document(client, uri, text)
    [diagnostic] = await diagnostics_with(client, uri, "E0103")

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    assert actions is not None
    assert [(a.kind, a.title) for a in actions] == [(types.CodeActionKind.QuickFix, "replace with `name`")]
    [fix] = actions
    assert isinstance(fix, types.CodeAction)
    assert fix.diagnostics is not None and codes(fix.diagnostics) == ["E0103"]
    # A near name is a suggestion, which a person confirms: the server marks only mechanical
    # fixes (one possible meaning) preferred, and leaves this one out of "fix all".
    assert fix.is_preferred is False
    assert fix.edit is not None and fix.edit.changes is not None
    assert list(fix.edit.changes) == [uri]
    edits = fix.edit.changes[uri]
    fixed = apply_edits(text, edits)
    # Only the name is replaced (the alignment is the formatter's business).
    assert fixed == text.replace('  nme     = "my-app-unit-tests"', '  name     = "my-app-unit-tests"')

    # The editor applies the edit and reports it as ranged changes (last first, so that each
    # range still means what it meant).
    changes = [
        types.TextDocumentContentChangePartial(range=e.range, text=e.new_text)
        for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True)
    ]
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=changes,
        )
    )
    await published_clean(client, uri, version=2)

    # The server now holds the fixed text: a code action finds nothing left to fix.
    after = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=60, character=0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert after is not None and list(after) == []


async def test_a_mechanical_fix_is_preferred_and_offered_as_fix_all(client: CruddurClient):
    uri = client.uri(COLON)
    text = client.text(COLON)
    open_document(client, uri, text)
    [diagnostic] = await diagnostics_with(client, uri, "E0010")
    assert diagnostic.message.startswith("expected `=`, found `:`")
    assert diagnostic.range.start == types.Position(line=28, character=9)

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    assert actions is not None
    assert [(a.kind, a.title, a.is_preferred) for a in actions] == [
        (types.CodeActionKind.QuickFix, "replace `:` with `=`", True),
        (types.CodeActionKind.SourceFixAll, "Fix all mechanical problems in the file", None),
    ]
    expected = text.replace("  timeout: 15m", "  timeout = 15m")
    for action in actions:
        assert action.edit is not None and action.edit.changes is not None
        assert apply_edits(text, action.edit.changes[uri]) == expected, action.title

    # This time the editor sends the whole text.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=expected)],
        )
    )
    await published_clean(client, uri, version=2)


async def test_files_changed_on_disk_are_checked_again(client: CruddurClient):
    # VS Code can watch files: the server asks it to, for sources and `cruddur.toml`.
    registration = await wait_until(
        lambda: next(
            (r for r in client.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES), None
        ),
        "a registration for workspace/didChangeWatchedFiles",
    )
    globs = sorted(w["globPattern"] for w in registration.register_options["watchers"])
    assert globs == ["**/*.cruddur", "**/*.yaml", "**/*.yml", "**/cruddur.toml"]

    # A closed file of the program changes on disk: a reference in it breaks.
    path = client.workspace / "program" / "bake.cruddur"
    uri = path.as_uri()
    # The start's check of the folder is done once its first diagnostics arrive.
    await diagnostics_with(client, client.uri(MISSPELLED), "E0103")
    assert uri not in client.diagnostics
    path.write_text(path.read_text().replace("pushes = [r, other]", "pushes = [rr, other]"))
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Changed)])
    )
    diagnostics = await wait_until(
        lambda: [d for d in client.diagnostics.get(uri, []) if d.code == "E0202"],
        "an unknown-name diagnostic for the edited file",
    )
    assert diagnostics[0].message.startswith("no repository named `rr`"), diagnostics[0].message


async def test_a_buildspec_file_is_checked_and_its_findings_shown_in_it(client: CruddurClient):
    # `repo/pipeline.cruddur` reads its buildspec from `repo/ci/buildspec.yml`. A command with
    # `: ` written without quotes, saved there, is shown in the YAML file at its line.
    path = client.workspace / "repo" / "ci" / "buildspec.yml"
    uri = path.as_uri()
    await diagnostics_with(client, client.uri(MISSPELLED), "E0103")
    assert list(client.diagnostics.get(uri, [])) == []
    path.write_text(path.read_text().replace("- make test", "- echo Step: test"))
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Changed)])
    )
    diagnostics = await diagnostics_with(client, uri, "E0519")
    assert diagnostics[0].range.start == types.Position(line=4, character=8), diagnostics[0].range
    assert "is a mapping, not a string" in diagnostics[0].message
    # Mended on disk: the finding goes.
    path.write_text(path.read_text().replace("- echo Step: test", "- 'echo Step: test'"))
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Changed)])
    )
    await wait_until(lambda: list(client.diagnostics.get(uri, [None])) == [], f"no diagnostics for {uri}")

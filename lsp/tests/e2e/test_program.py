"""What the server says about a whole program rather than one file: `cruddur/graph` (its
pipelines as the Mermaid chart `cruddur graph` prints), `cruddur/status` (its counts of
errors and warnings, a status bar's), and warnings shown as errors when the client denies them
(`denyWarnings`, at `initialize` or in VS Code's `cruddur.check` settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from support import CruddurClient, codes, custom_request, open_document, wait_until

INVALID_PARAMS = -32602

GRAPH = "cruddur/graph"
STATUS = "cruddur/status"

APP = "pipelines/app.cruddur"
DOCS = "pipelines/docs.cruddur"
BAKE = "program/bake.cruddur"
REPOSITORIES = "program/repositories.cruddur"
WARNED = "warned/unused.cruddur"

# `cruddur graph fixtures/pipelines` prints exactly this: two pipelines, so a group each.
PIPELINES_CHART = """\
flowchart LR
  subgraph p0["app"]
    subgraph p0stage0["Source"]
      p0s0a0["Checkout<br/><i>github</i>"]
    end
    subgraph p0stage1["Test"]
      p0s1a0["Tests<br/><i>codebuild</i>"]
    end
    p0s0a0 -- "Code" --> p0s1a0
  end
  subgraph p1["docs"]
    subgraph p1stage0["Source"]
      p1s0a0["Checkout<br/><i>github</i>"]
    end
    subgraph p1stage1["Check"]
      p1s1a0["Lint<br/><i>codebuild</i>"]
      p1s1a1["Tests<br/><i>codebuild</i>"]
    end
    p1s0a0 -- "Pages" --> p1s1a0
    p1s0a0 -- "Pages" --> p1s1a1
  end
"""

# `cruddur graph` of `single/misspelled.cruddur` or `single/colon.cruddur` once fixed (the
# pipeline of `examples/01-minimal.cruddur`): one pipeline, no group around it.
MINIMAL_CHART = """\
flowchart LR
  subgraph stage0["Source"]
    s0a0["Checkout<br/><i>github</i>"]
  end
  subgraph stage1["Test"]
    s1a0["Tests<br/><i>codebuild</i>"]
  end
  s0a0 -- "Code" --> s1a0
"""

# Two warnings (`cruddur check` says: E0204 on `unused`, S0008 on `lint`'s `privileged`) and
# one waived finding (S0008 on `tests`), which is neither shown nor counted.
WARNED_TEXT = """\
repository unused {
  name           = "unused"
  scan_on_push   = true
  tag_mutability = immutable
}

project tests {
  name = "tests"
  environment {
    image = amazonlinux_standard("5.0")
    // cruddur-allow(S0008): the tests start a VPN client
    privileged = true
  }
  phase build {
    run "make test"
  }
}

project lint {
  name = "lint"
  environment {
    image      = amazonlinux_standard("5.0")
    privileged = true
  }
  phase build {
    run "make lint"
  }
}
"""


@pytest.fixture
def workspace(workspace: Path) -> Path:
    """The fixtures, and a closed file with warnings: `warned/unused.cruddur`, a program of
    its own (not in `fixtures/`: the other tests expect every file there to be clean or to
    have errors)."""
    (workspace / "warned").mkdir()
    (workspace / WARNED).write_text(WARNED_TEXT, encoding="utf-8")
    return workspace


def document(uri: str) -> dict[str, Any]:
    return {"textDocument": {"uri": uri}}


async def graph(client: CruddurClient, uri: str) -> Any:
    return await custom_request(client, GRAPH, document(uri))


async def status(client: CruddurClient, uri: str) -> Any:
    return await custom_request(client, STATUS, document(uri))


def replace_text(client: CruddurClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def severities(diagnostics) -> list[types.DiagnosticSeverity | None]:
    return [d.severity for d in diagnostics]


async def published_since(
    client: CruddurClient, start: int, uri: str, what: str, predicate=lambda p: True
) -> types.PublishDiagnosticsParams:
    """The first diagnostics of `uri` published after the `start` first ones that satisfy
    `predicate`."""
    return await wait_until(
        lambda: next((p for p in client.published[start:] if p.uri == uri and predicate(p)), None),
        f"diagnostics of {uri} {what}",
    )


def configure(client: CruddurClient, settings: Any) -> None:
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=settings))


# --- cruddur/graph --------------------------------------------------------------------------


async def test_graph_is_the_programs_chart_as_the_cli_prints_it(client: CruddurClient):
    # Neither file is open: the server reads them from the folder. Both files of the program
    # answer with the whole program's chart, its pipelines in the order of the files.
    for relative in [APP, DOCS]:
        answer = await graph(client, client.uri(relative))
        assert answer == {"mermaid": PIPELINES_CHART, "pipelines": 2, "errors": 0}, relative


async def test_graph_is_withheld_while_any_file_of_the_program_has_errors(client: CruddurClient):
    uri = client.uri(DOCS)
    text = client.text(DOCS)
    broken = text.replace("codebuild(lint)", "codebuild(lints)").replace("codebuild(tests)", "codebuild(test)")
    assert broken != text
    open_document(client, uri, broken)
    # Asked from the other file, which is fine: the program's wiring is not known.
    assert await graph(client, client.uri(APP)) == {"mermaid": None, "pipelines": 2, "errors": 2}
    published = await published_since(client, 0, uri, "with the two errors", lambda p: len(p.diagnostics) == 2)
    assert codes(published.diagnostics) == ["E0202", "E0202"]

    # Fixed in the buffer (not saved), with the second stage renamed: the chart is the
    # buffer's.
    replace_text(client, uri, 2, text.replace("stage Check {", "stage Review {"))
    answer = await graph(client, client.uri(APP))
    assert answer == {
        "mermaid": PIPELINES_CHART.replace('p1stage1["Check"]', 'p1stage1["Review"]'),
        "pipelines": 2,
        "errors": 0,
    }
    assert client.text(DOCS) == text


@pytest.mark.parametrize(
    "relative, mistake, fixed",
    [
        ("single/misspelled.cruddur", '  nme     = "my-app-unit-tests"', '  name    = "my-app-unit-tests"'),
        # A file that does not parse.
        ("single/colon.cruddur", "  timeout: 15m", "  timeout = 15m"),
    ],
    ids=["unknown-member", "syntax-error"],
)
async def test_graph_of_a_file_with_an_error_is_drawn_once_it_is_fixed(
    client: CruddurClient, relative: str, mistake: str, fixed: str
):
    uri = client.uri(relative)
    text = client.text(relative)
    assert mistake in text
    # From the folder, then open.
    assert await graph(client, uri) == {"mermaid": None, "pipelines": 1, "errors": 1}
    open_document(client, uri, text)
    assert await graph(client, uri) == {"mermaid": None, "pipelines": 1, "errors": 1}
    replace_text(client, uri, 2, text.replace(mistake, fixed))
    # One pipeline: `cruddur graph` draws it without a group.
    assert await graph(client, uri) == {"mermaid": MINIMAL_CHART, "pipelines": 1, "errors": 0}


async def test_graph_of_a_program_without_pipelines_draws_its_projects(client: CruddurClient):
    # `program/` is clean, and has a project and repositories but no pipeline: the chart
    # draws the project no pipeline runs, from either file of the program.
    for relative in [BAKE, REPOSITORIES]:
        answer = await graph(client, client.uri(relative))
        assert (answer["pipelines"], answer["errors"]) == (0, 0), answer
        assert answer["mermaid"].startswith("flowchart LR\n"), answer
        assert "<i>codebuild project</i>" in answer["mermaid"], answer


@pytest.mark.parametrize("method", [GRAPH, STATUS])
async def test_a_file_the_server_does_not_hold_has_no_answer(client: CruddurClient, tmp_path: Path, method: str):
    absent = client.uri("single/absent.cruddur")
    elsewhere = (tmp_path / "elsewhere" / "file.cruddur").as_uri()
    for uri in [absent, elsewhere]:
        assert await custom_request(client, method, document(uri)) is None, uri

    # A buffer that is not on disk belongs to the workspace while it is open, and no longer.
    uri = client.uri("single/new.cruddur")
    open_document(client, uri, client.text("single/misspelled.cruddur"))
    assert await custom_request(client, method, document(uri)) is not None
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert await custom_request(client, method, document(uri)) is None


@pytest.mark.parametrize("method", [GRAPH, STATUS])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"textDocument": {}},
        {"textDocument": {"uri": 42}},
        {"uri": "file:///workspace/program/bake.cruddur"},
    ],
    ids=["empty", "no-uri", "uri-not-a-string", "uri-outside-textDocument"],
)
async def test_a_request_without_a_document_uri_is_refused_as_invalid_params(
    client: CruddurClient, method: str, params: dict[str, Any]
):
    with pytest.raises(JsonRpcException) as refused:
        await custom_request(client, method, params)
    assert refused.value.code == INVALID_PARAMS, refused.value
    # The server goes on answering.
    assert (await status(client, client.uri(BAKE)))["errors"] == 0


# --- cruddur/status -------------------------------------------------------------------------


async def test_status_counts_the_problems_of_all_the_files_of_the_program(client: CruddurClient):
    bake, repositories = client.uri(BAKE), client.uri(REPOSITORIES)
    files = sorted([bake, repositories])

    def answer_of(answer: Any) -> Any:
        return {**answer, "files": sorted(answer["files"])}

    # Clean on disk.
    for uri in [bake, repositories]:
        assert answer_of(await status(client, uri)) == {"errors": 0, "warnings": 0, "files": files, "parameters": []}

    # A repository nothing pushes to (E0204), that does not scan on push (S0011), and whose
    # mutable tags are waived (not counted).
    scratch = """
repository scratch {
  name = "scratch"
  // cruddur-allow(S0011): throwaway images, overwritten on purpose
  tag_mutability = mutable
}
"""
    open_document(client, repositories, client.text(REPOSITORIES) + scratch)
    for uri in [bake, repositories]:
        assert answer_of(await status(client, uri)) == {"errors": 0, "warnings": 2, "files": files, "parameters": []}

    # An unknown member in the other file (E0103): one error. Text that does not fit the
    # language may hold references, so the unused repository is not reported meanwhile.
    open_document(client, bake, client.text(BAKE).replace('  name   = "bake-image"', '  nme    = "bake-image"'))
    for uri in [bake, repositories]:
        assert answer_of(await status(client, uri)) == {"errors": 1, "warnings": 1, "files": files, "parameters": []}

    # The counts are those of the published diagnostics.
    await wait_until(
        lambda: codes(client.diagnostics.get(bake, [])) == ["E0103"]
        and codes(client.diagnostics.get(repositories, [])) == ["S0011"],
        "the diagnostics of both files",
    )
    assert severities(client.diagnostics[bake]) == [types.DiagnosticSeverity.Error]
    assert severities(client.diagnostics[repositories]) == [types.DiagnosticSeverity.Warning]


async def test_status_names_the_parameters_a_build_takes(client: CruddurClient):
    # A client building the program passes `--param` for these names only (the compiler
    # refuses a parameter the program does not declare).
    app = client.uri("pipelines/app.cruddur")
    assert (await status(client, app))["parameters"] == ["account_id", "connection_arn"]
    assert (await status(client, client.uri(BAKE)))["parameters"] == []


async def test_a_broken_cruddur_toml_is_counted_as_an_error(client: CruddurClient):
    # Its error is published on cruddur.toml (the default configuration applies meanwhile): the
    # program's count says so too, or a status bar would read clean beside a red Problems panel.
    bake = client.uri(BAKE)
    assert (await status(client, bake))["errors"] == 0
    config = client.workspace / "program" / "cruddur.toml"
    config.write_text("# rules\n[severity\n", encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    await wait_until(lambda: client.diagnostics.get(config.as_uri()), "the error of cruddur.toml")
    assert (await status(client, bake))["errors"] == 1
    # Where TOML says it is wrong (the second line), in a sentence without TOML's quote of it.
    [error] = client.diagnostics[config.as_uri()]
    assert error.range.start.line == 1, error.range
    assert "|" not in error.message and "default configuration applies" in error.message, error.message


# --- Warnings denied ------------------------------------------------------------------------


def all_warnings(severity: types.DiagnosticSeverity):
    """A predicate: the publication holds the warned file's two diagnostics, both with
    `severity`."""
    return lambda p: codes(p.diagnostics) == ["E0204", "S0008"] and set(severities(p.diagnostics)) == {severity}


async def test_warnings_denied_at_initialize_are_published_and_counted_as_errors(
    client_denying_warnings: CruddurClient,
):
    client = client_denying_warnings
    uri = client.uri(WARNED)
    # The closed file, checked at start.
    published = await published_since(client, 0, uri, "as errors", all_warnings(types.DiagnosticSeverity.Error))
    assert published.version is None
    assert "lint" in published.diagnostics[1].message, published.diagnostics[1].message
    assert await status(client, uri) == {"errors": 2, "warnings": 0, "files": [uri], "parameters": []}

    # The setting turned off: warnings again.
    start = len(client.published)
    configure(client, {"cruddur": {"check": {"denyWarnings": False}}})
    await published_since(client, start, uri, "as warnings", all_warnings(types.DiagnosticSeverity.Warning))
    assert await status(client, uri) == {"errors": 0, "warnings": 2, "files": [uri], "parameters": []}


async def test_changing_the_setting_publishes_every_file_again(client: CruddurClient):
    closed = client.uri(WARNED)
    opened = client.uri("single/warned.cruddur")
    misspelled = client.uri("single/misspelled.cruddur")
    open_document(client, opened, WARNED_TEXT, version=4)
    for uri in [closed, opened]:
        await published_since(client, 0, uri, "as warnings", all_warnings(types.DiagnosticSeverity.Warning))
        assert await status(client, uri) == {"errors": 0, "warnings": 2, "files": [uri], "parameters": []}
    await wait_until(lambda: client.diagnostics.get(misspelled), "the diagnostics of the misspelled file")

    # VS Code sends its settings' `cruddur` section.
    start = len(client.published)
    configure(client, {"cruddur": {"check": {"denyWarnings": True}}})
    for uri, version in [(closed, None), (opened, 4)]:
        published = await published_since(client, start, uri, "as errors", all_warnings(types.DiagnosticSeverity.Error))
        assert published.version == version
        assert await status(client, uri) == {"errors": 2, "warnings": 0, "files": [uri], "parameters": []}
    # No warning is left on show anywhere; errors stay errors.
    for uri, diagnostics in client.diagnostics.items():
        assert types.DiagnosticSeverity.Warning not in severities(diagnostics), uri
    assert severities(client.diagnostics[misspelled]) == [types.DiagnosticSeverity.Error]

    # Settings that do not mention it leave it as it is.
    configure(client, {"cruddur": {"check": {}}, "editor": {"tabSize": 2}})
    assert await status(client, opened) == {"errors": 2, "warnings": 0, "files": [opened], "parameters": []}

    # Turned off again: warnings.
    start = len(client.published)
    configure(client, {"cruddur": {"check": {"denyWarnings": False}}})
    for uri, version in [(closed, None), (opened, 4)]:
        published = await published_since(
            client, start, uri, "as warnings", all_warnings(types.DiagnosticSeverity.Warning)
        )
        assert published.version == version
        assert await status(client, uri) == {"errors": 0, "warnings": 2, "files": [uri], "parameters": []}
    assert severities(client.diagnostics[misspelled]) == [types.DiagnosticSeverity.Error]

"""The client of the end-to-end tests: pytest-lsp starts `cruddur-lsp` (`$CRUDDUR_LSP`, else
`target/debug/cruddur-lsp`), initializes it with a workspace folder that is a fresh copy of
`fixtures/` in a temporary folder (the tests edit files there, never in the repository), and
shuts it down after each test, checking that it exits with status 0. `client` initializes the
server without options, `client_denying_warnings` with `{"denyWarnings": true}`."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, client_capabilities

from support import CACHE, FIXTURES, SERVER_ENV, CruddurClient, make_client, server_path


def pytest_sessionstart(session: pytest.Session) -> None:
    server = server_path()
    if not (server.is_file() and os.access(server, os.X_OK)):
        raise pytest.UsageError(
            f"no language server at {server}: build it (`cargo build -p cruddur-lsp`) or name "
            "it in CRUDDUR_LSP"
        )


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(CACHE, ignore_errors=True)


def pytest_report_header(config: pytest.Config) -> str:
    return f"cruddur-lsp: {server_path()}"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of `fixtures/`: `single/` holds files that are programs of their own,
    `program/` a `cruddur.toml` program of two files, `pipelines/` another, with a pipeline
    in each of its two files."""
    root = tmp_path / "workspace"
    shutil.copytree(FIXTURES, root)
    return root


def _client_fixture(initialization_options: dict[str, Any] | None):
    """A client fixture whose `initialize` carries `initialization_options`."""

    @pytest_lsp.fixture(
        config=ClientServerConfig(
            server_command=[str(server_path())],
            client_factory=make_client,
            server_env=SERVER_ENV,
        )
    )
    async def fixture(lsp_client: CruddurClient, workspace: Path):
        lsp_client.workspace = workspace
        # VS Code's capabilities: what it supports (snippets, Markdown, watched files…), and
        # pytest-lsp warns about any answer outside them (an error here: see pytest.ini).
        result = await lsp_client.initialize_session(
            types.InitializeParams(
                capabilities=client_capabilities("visual-studio-code"),
                root_uri=workspace.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="workspace")],
                initialization_options=initialization_options,
            )
        )
        assert result.server_info is not None and result.server_info.name == "cruddur-lsp"
        yield
        await asyncio.wait_for(lsp_client.shutdown_session(), timeout=5)
        server = lsp_client._server  # pygls' subprocess; pytest-lsp reads it the same way
        assert server is not None and server.returncode == 0, (
            f"after shutdown and exit the server's status is {server and server.returncode}"
        )

    return fixture


# The server initialized without options.
client = _client_fixture(None)
# The server told to show warnings as errors (`cruddur check --deny warnings`).
client_denying_warnings = _client_fixture({"denyWarnings": True})

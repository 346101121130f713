"""The server's life as a process, spoken to in hand-written LSP frames: how it ends (LSP:
status 0 after `shutdown` then `exit`, 1 otherwise) and what a bad message does to it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from support import SERVER_ENV, RawServer, frame

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
METHOD_NOT_FOUND = -32601
SERVER_NOT_INITIALIZED = -32002


@pytest.fixture
def server():
    server = RawServer(SERVER_ENV)
    yield server
    server.kill()


def ends_within(server: RawServer, seconds: float) -> tuple[int | None, float]:
    start = time.monotonic()
    status = server.wait(seconds)
    return status, time.monotonic() - start


def test_shutdown_then_exit_ends_with_status_0(server: RawServer, workspace: Path):
    answer = server.initialize(workspace)
    assert answer["result"]["serverInfo"]["name"] == "cruddur-lsp"
    server.request(2, "shutdown")
    assert server.response(2) == {"jsonrpc": "2.0", "id": 2, "result": None}
    server.notify("exit")
    status, took = ends_within(server, 2)
    assert status == 0, f"status {status} after {took:.2f} s"


def test_exit_without_shutdown_ends_with_status_1(server: RawServer):
    server.initialize()
    server.notify("exit")
    status, took = ends_within(server, 2)
    assert status == 1, f"status {status} after {took:.2f} s"


def test_closing_stdin_without_shutdown_ends_the_server(server: RawServer, workspace: Path):
    server.initialize(workspace)
    # Wait for an answer, so that the server is past `initialized`.
    server.request(2, "workspace/symbol", {"query": ""})
    server.response(2)
    server.close_stdin()
    status, took = ends_within(server, 2)
    assert status is not None, "still running 2 s after its input closed"
    assert status == 1, f"status {status} after {took:.2f} s"


def test_a_request_before_initialize_is_refused(server: RawServer):
    server.request(1, "workspace/symbol", {"query": ""})
    answer = server.response(1)
    assert answer["error"]["code"] == SERVER_NOT_INITIALIZED, answer
    # And initialize still works.
    server.initialize()
    server.request(3, "shutdown")
    assert server.response(3)["result"] is None


def test_an_unknown_method_is_answered_with_method_not_found(server: RawServer):
    server.initialize()
    server.request(2, "cruddur/noSuchThing", {})
    assert server.response(2)["error"]["code"] == METHOD_NOT_FOUND
    server.request(3, "workspace/symbol", {"query": "zzz"})
    assert server.response(3)["result"] == []


def test_invalid_params_are_answered_with_an_error(server: RawServer):
    server.initialize()
    server.request(2, "textDocument/hover", {"bogus": 1})
    answer = server.response(2)
    assert answer["error"]["code"] == INVALID_PARAMS, answer
    server.request(3, "workspace/symbol", {"query": "zzz"})
    assert server.response(3)["result"] == []


@pytest.mark.parametrize(
    "body, code",
    [
        # Valid Content-Length, the JSON cut short.
        (b'{"jsonrpc": "2.0", "id": 2, "method": "workspace/symbol", "params": {', PARSE_ERROR),
        (b"not json at all", PARSE_ERROR),
        # JSON, but no JSON-RPC message.
        (b'{"hello": "world"}', INVALID_REQUEST),
    ],
    ids=["truncated-json", "not-json", "not-json-rpc"],
)
def test_a_malformed_message_does_not_stop_the_server(server: RawServer, body: bytes, code: int):
    server.initialize()
    server.send_bytes(frame(body))
    # The server may answer it with an error (id null) or ignore it; either way it must go on
    # answering what follows.
    server.request(3, "workspace/symbol", {"query": "zzz"})
    answer = server.response(3)
    assert answer["result"] == [], answer
    for message in server.seen:
        if "method" not in message:
            assert message["id"] is None and message["error"]["code"] == code, message
    server.request(4, "shutdown")
    assert server.response(4)["result"] is None
    server.notify("exit")
    assert server.wait(2) == 0

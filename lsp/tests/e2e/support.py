"""Helpers shared by the end-to-end tests: where the server is, pytest-lsp's client with a
record of what the server sent, LSP text edits applied to a string, requests of cruddur's own
(`cruddur/graph`…), waiting for the server's notifications, and a bare-bones client that
writes LSP frames to the server's standard input (for what a client library hides: exit
statuses, closed pipes, malformed messages)."""

from __future__ import annotations

import asyncio
import json
import os
import queue
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
FIXTURES = HERE / "fixtures"


def server_path() -> Path:
    """The server binary: `$CRUDDUR_LSP` (relative to the current folder), else the debug
    build of this checkout."""
    given = os.environ.get("CRUDDUR_LSP")
    return Path(given).resolve() if given else REPO / "target" / "debug" / "cruddur-lsp"


# The server writes each diagnostic code's explanation to `$XDG_CACHE_HOME/cruddur/…` and
# links it from `codeDescription`: a folder of the test run's own, not the user's cache.
CACHE = Path(tempfile.mkdtemp(prefix="cruddur-lsp-e2e-cache-"))
SERVER_ENV = {**os.environ, "XDG_CACHE_HOME": str(CACHE)}


# --- The pytest-lsp client ------------------------------------------------------------------


class CruddurClient(LanguageClient):
    """pytest-lsp's client, which also keeps every `publishDiagnostics` (with its document
    version) in order, and the registrations the server asks for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.published: list[types.PublishDiagnosticsParams] = []
        self.registrations: list[types.Registration] = []
        self.workspace: Path | None = None

    def uri(self, relative: str) -> str:
        assert self.workspace is not None
        return (self.workspace / relative).as_uri()

    def text(self, relative: str) -> str:
        assert self.workspace is not None
        return (self.workspace / relative).read_text(encoding="utf-8")


def _on_publish(client: CruddurClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)


def _on_register(client: CruddurClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


def make_client() -> CruddurClient:
    client = CruddurClient(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _on_publish
    features[types.CLIENT_REGISTER_CAPABILITY] = _on_register
    register_lsp_features(client, features)
    return client


# --- Text edits -----------------------------------------------------------------------------


def offset_of(text: str, position: types.Position) -> int:
    """The string index of an LSP position (line, UTF-16 column) in `text`."""
    start = 0
    for _ in range(position.line):
        newline = text.find("\n", start)
        if newline < 0:
            return len(text)
        start = newline + 1
    end = text.find("\n", start)
    line = text[start : len(text) if end < 0 else end]
    units = 0
    for index, char in enumerate(line):
        if units >= position.character:
            return start + index
        units += 2 if ord(char) > 0xFFFF else 1
    return start + len(line)


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """`text` with LSP text edits applied (all ranges refer to the text before any edit)."""
    spans = sorted(
        ((offset_of(text, e.range.start), offset_of(text, e.range.end), e.new_text) for e in edits),
        reverse=True,
    )
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


def position_of(text: str, needle: str, occurrence: int = 0, delta: int = 0) -> types.Position:
    """The position of the `occurrence`-th `needle` in `text` (ASCII text), `delta` columns
    to the right."""
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    column = at - (text.rfind("\n", 0, at) + 1)
    return types.Position(line=line, character=column)


# --- Documents ------------------------------------------------------------------------------


def open_document(client: Any, uri: str, text: str, version: int = 1) -> None:
    """`textDocument/didOpen` of a cruddur buffer."""
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="cruddur", version=version, text=text)
        )
    )


def at(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


def codes(diagnostics: Any) -> list[Any]:
    return [d.code for d in diagnostics]


# --- Requests of cruddur's own --------------------------------------------------------------


def plain(value: Any) -> Any:
    """JSON's dicts and lists again: pygls turns the result of a request it has no type for
    into namedtuples (`Object(errors=0, …)`), objects nested in it too."""
    if hasattr(value, "_asdict"):
        return {key: plain(item) for key, item in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


async def custom_request(client: Any, method: str, params: Any) -> Any:
    """A request LSP does not define (`cruddur/graph`…); its result as plain JSON."""
    return plain(await client.protocol.send_request_async(method, params))


# --- Waiting --------------------------------------------------------------------------------


async def wait_until(predicate: Callable[[], Any], what: str, timeout: float = 10.0) -> Any:
    """Polls `predicate` until it returns something truthy, which is returned."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(0.01)


# --- A raw client ---------------------------------------------------------------------------


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class RawServer:
    """The server as a subprocess, spoken to in LSP frames written by hand. A thread reads its
    standard output into a queue of decoded messages."""

    def __init__(self, env: dict[str, str]):
        self.process = subprocess.Popen(
            [str(server_path())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.stderr = b""
        self.seen: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        try:
            while True:
                length = None
                while True:
                    line = stdout.readline()
                    if not line:
                        return
                    if line in (b"\r\n", b"\n"):
                        break
                    name, _, value = line.decode("ascii").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                if length is None:
                    raise ValueError("a frame without Content-Length")
                body = stdout.read(length)
                self.messages.put(json.loads(body))
        finally:
            self.messages.put(None)

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        self.stderr = self.process.stderr.read()

    def send_bytes(self, data: bytes) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(data)
            self.process.stdin.flush()
        except BrokenPipeError:
            self.drain()
            raise AssertionError(f"the server no longer reads its input; {self.gone()}") from None

    def drain(self) -> None:
        """Moves what the server sent and nobody read yet to `self.seen`."""
        while True:
            try:
                message = self.messages.get(timeout=0.2)
            except queue.Empty:
                return
            if message is None:
                self.messages.put(None)
                return
            self.seen.append(message)

    def send(self, message: dict[str, Any]) -> None:
        self.send_bytes(frame(json.dumps({"jsonrpc": "2.0", **message}).encode()))

    def request(self, id: int, method: str, params: Any = None) -> None:
        message: dict[str, Any] = {"id": id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    def notify(self, method: str, params: Any = None) -> None:
        message: dict[str, Any] = {"method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    def next_message(self, timeout: float = 5.0) -> dict[str, Any]:
        try:
            message = self.messages.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the server sent nothing for {timeout} s") from None
        if message is None:
            self.messages.put(None)
            raise AssertionError(f"the server closed its output; {self.gone()}")
        return message

    def gone(self) -> str:
        """How the server ended, for a failure's message."""
        status = self.wait(1)
        return (
            f"status {status}; its last messages: {self.seen[-3:]}; "
            f"stderr: {self.stderr.decode(errors='replace')!r}"
        )

    def response(self, id: int, timeout: float = 5.0) -> dict[str, Any]:
        """The response to request `id`; the server's requests and notifications before it
        are kept in `self.seen` (requests from the server are answered with null)."""
        deadline = time.monotonic() + timeout
        while True:
            message = self.next_message(max(0.0, deadline - time.monotonic()))
            if "method" in message and "id" in message:
                self.send({"id": message["id"], "result": None})
            if "method" not in message and message.get("id") == id:
                return message
            self.seen.append(message)

    def initialize(self, root: Path | None = None) -> dict[str, Any]:
        params: dict[str, Any] = {"processId": os.getpid(), "capabilities": {}}
        if root is not None:
            params["workspaceFolders"] = [{"uri": root.as_uri(), "name": root.name}]
        self.request(1, "initialize", params)
        answer = self.response(1)
        self.notify("initialized", {})
        return answer

    def close_stdin(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()

    def wait(self, timeout: float) -> int | None:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass

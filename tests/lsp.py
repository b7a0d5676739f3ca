"""A small Language Server Protocol client: it starts an editor's language server (here
yaml-language-server, what VS Code and other editors run for YAML) over stdio, opens
documents in it and asks what an editor asks: the diagnostics it would underline, the
completions it would offer and the hover text it would show."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Any


class LanguageServer:
    def __init__(self, command: list[str], root: Path, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self._next = 0
        self._answers: dict[int, queue.Queue[Any]] = {}
        self._diagnostics: dict[str, list[dict[str, Any]]] = {}
        self._published = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {
            "processId": None, "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": "project"}],
            "capabilities": {"workspace": {"configuration": True},
                             "textDocument": {"publishDiagnostics": {}, "hover": {"contentFormat": ["markdown"]},
                                              "completion": {"completionItem": {"snippetSupport": False}}}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": settings})

    # -- the wire ------------------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            message = json.loads(stream.read(length))
            if "id" in message and "method" in message:  # the server asks the client
                self._answer_server(message)
            elif "id" in message:
                self._answers.setdefault(message["id"], queue.Queue()).put(message)
            elif message.get("method") == "textDocument/publishDiagnostics":
                with self._published:
                    self._diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
                    self._published.notify_all()

    def _answer_server(self, message: dict[str, Any]) -> None:
        if message["method"] == "workspace/configuration":
            result = [self.settings.get(item.get("section", ""), None) for item in message["params"]["items"]]
        else:
            result = None
        self._send({"id": message["id"], "result": result})

    def request(self, method: str, params: dict[str, Any], timeout: float = 30) -> Any:
        self._next += 1
        number = self._next
        answers = self._answers.setdefault(number, queue.Queue())
        self._send({"id": number, "method": method, "params": params})
        answer = answers.get(timeout=timeout)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer["result"]

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    # -- what an editor does -------------------------------------------------------------

    def open(self, path: Path, text: str | None = None) -> str:
        """Open a document (its text as on disk unless given) and return its URI."""
        uri = path.resolve().as_uri()
        with self._published:
            self._diagnostics.pop(uri, None)
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1,
            "text": path.read_text(encoding="utf-8") if text is None else text}})
        return uri

    def close(self, uri: str) -> None:
        """Close a document. (The server then publishes no diagnostics for it, which may
        arrive after a later `open` of the same URI: open each text at its own URI.)"""
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def diagnostics(self, uri: str, timeout: float = 30) -> list[dict[str, Any]]:
        """The diagnostics the server publishes for `uri` once it has read its schema."""
        deadline = time.monotonic() + timeout
        with self._published:
            while uri not in self._diagnostics:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no diagnostics for {uri}")
                self._published.wait(left)
            return self._diagnostics[uri]

    def completion(self, uri: str, line: int, character: int) -> list[str]:
        result = self.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                          "position": {"line": line, "character": character}})
        items = result.get("items", []) if isinstance(result, dict) else (result or [])
        return [item["label"] for item in items]

    def hover(self, uri: str, line: int, character: int) -> str:
        result = self.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                     "position": {"line": line, "character": character}})
        if not result:
            return ""
        contents = result["contents"]
        return contents["value"] if isinstance(contents, dict) else str(contents)

    def stop(self) -> None:
        try:
            self.request("shutdown", {}, timeout=10)
            self.notify("exit", {})
        except (RuntimeError, OSError, queue.Empty):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()

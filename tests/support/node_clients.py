"""The JavaScript clients' side of tests/clients: Node, the harness's scripts and a Node
process answering GraphQL requests line by line."""

import json
import queue
import shutil
import subprocess
import threading

import pytest

from tests.support.app_server import BASE_DIR

CLIENTS_DIR = BASE_DIR / "tests" / "clients"
ANSWER_SECONDS = 2  # CMS_API_CACHE_TIMEOUT of the short-lived server under test
ANSWER_TIMEOUT = 60  # seconds a Node client may take for one answer before the test fails


def node() -> str:
    """The node binary; fails the test when Node or the harness's packages are missing."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is not installed: the client tests need node (20 or later) and npm.")
    if not (CLIENTS_DIR / "node_modules" / ".package-lock.json").exists():
        pytest.fail(
            "tests/clients/node_modules is missing: run `npm ci --prefix tests/clients` "
            "(`make test` does it)."
        )
    return node


def node_command(script: str, *args: str) -> list[str]:
    """``node tests/clients/<script> args``."""
    return [node(), str(CLIENTS_DIR / script), *args]


class NodeClient:
    """A Node process answering one JSON line per request line (tests/clients/apollo.mjs)."""

    def __init__(self, command: list[str]):
        self.process = subprocess.Popen(
            command,
            cwd=CLIENTS_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            if line.startswith("RESULT "):
                self.lines.put(line[len("RESULT ") :])
        self.lines.put(None)

    def ask(self, query: str, variables: dict | None = None) -> dict:
        self.process.stdin.write(json.dumps({"query": query, "variables": variables or {}}) + "\n")
        self.process.stdin.flush()
        try:
            line = self.lines.get(timeout=ANSWER_TIMEOUT)
        except queue.Empty:
            pytest.fail(f"no answer from {self.process.args} within {ANSWER_TIMEOUT} s")
        if line is None:
            self.process.wait(timeout=10)
            pytest.fail(f"{self.process.args} ended: {self.process.stderr.read()[-3000:]}")
        return json.loads(line)

    def close(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

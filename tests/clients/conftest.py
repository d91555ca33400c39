"""A live production app server (gunicorn) for the JavaScript clients, and the clients.

One setup for the whole session: a fresh database (an SQLite file in a temporary folder,
or a PostgreSQL database of its own when the suite runs on PostgreSQL), migrated and
loaded with the demo content; the real Redis under a key prefix of its own; two servers
on them, one keeping answers the default 300 s, one only ANSWER_SECONDS (2) so a test can
outwait them.

The Node packages live in tests/clients/node_modules (`npm ci --prefix tests/clients`,
which `make test` runs); without them these tests fail, they do not skip.

CMS_CLIENTS_SERVER_DIR serves another checkout of the project (its code, this harness),
e.g. a branch's worktree, to see how far it gets.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings

CLIENTS_DIR = Path(__file__).resolve().parent
BASE_DIR = CLIENTS_DIR.parent.parent
SERVER_DIR = Path(os.environ.get("CMS_CLIENTS_SERVER_DIR", BASE_DIR)).resolve()
REDIS_URL = (
    getattr(settings, "TEST_REDIS_URL", None) or settings.REDIS_URL or "redis://127.0.0.1:6379/0"
)
ANSWER_SECONDS = 2  # CMS_API_CACHE_TIMEOUT of the server under test
ANSWER_TIMEOUT = 60  # seconds a Node client may take for one answer before the test fails

TOKEN = """
from wagtail.models import Site
from cms.api import tokens
from cms.api.models import ApiToken
raw = tokens.generate()
token = ApiToken(name="clients", rate_limit=10000)
token.set_key(raw)
token.save()
token.sites.set(Site.objects.all())
print(raw)
"""
PUBLISH = """
from articles.models import ArticlePage
article = ArticlePage.objects.get(slug={slug!r})
article.title = {title!r}
article.save_revision().publish()
"""


def _node() -> str:
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
    return [_node(), str(CLIENTS_DIR / script), *args]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Database:
    """A database of the server's own: the suite's tests run inside transactions it cannot see."""

    def __init__(self, folder: Path):
        db = settings.DATABASES["default"]
        self.admin_url = None
        if db["ENGINE"].endswith("postgresql"):
            host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
            user = db["USER"] or "postgres"
            self.name = f"{db['NAME']}_clients_{uuid.uuid4().hex[:8]}"
            self.admin_url = f"postgres://{user}@{host}:{port}/postgres"
            self.url = f"postgres://{user}@{host}:{port}/{self.name}"
        else:
            self.url = f"sqlite:///{folder / 'db.sqlite3'}"

    def create(self):
        if self.admin_url:
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        if self.admin_url:
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class LiveServer:
    def __init__(self, env: dict):
        self.env = env
        self.url = ""  # the GraphQL endpoint, once serving
        self.short_lived_url = ""  # the same, on a server keeping answers ANSWER_SECONDS
        self.token = ""  # an API token that reads every site

    def manage(self, *args: str, code: str | None = None) -> str:
        command = [sys.executable, str(SERVER_DIR / "manage.py"), *args]
        if code is not None:
            command += ["-c", code]
        done = subprocess.run(
            command, env=self.env, cwd=SERVER_DIR, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def publish_title(self, slug: str, title: str) -> None:
        """An editor's change, published by another process (as the scheduler or a command would)."""
        self.manage("shell", code=PUBLISH.format(slug=slug, title=title))


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    for _ in range(300):
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url + "healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the app server did not start:\n{log.read_text()[-3000:]}")


def _start(env: dict, log: Path, answer_seconds: int, workers: int):
    """gunicorn on a free port; its base URL and process."""
    port = _free_port()
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            [str(BASE_DIR / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "cms.wsgi"],
            env={
                **env,
                "PORT": str(port),
                "WEB_WORKERS": str(workers),
                "CMS_API_CACHE_TIMEOUT": str(answer_seconds),
            },
            cwd=SERVER_DIR,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    return f"http://127.0.0.1:{port}/", process


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """Two app servers on one database and one Redis: answers kept the default 300 s on
    ``url`` (what is served from the cache, and what a publish drops, is then certain), and
    ``ANSWER_SECONDS`` on ``short_lived_url``, for the step after the answer's expiry."""
    _node()  # before the server's minute of setup
    folder = tmp_path_factory.mktemp("clients")
    database = _Database(folder)
    prefix = f"test-clients-{uuid.uuid4().hex}"
    env = {
        "PATH": str(BASE_DIR / ".venv" / "bin") + ":/usr/bin:/bin",
        "PYTHONPATH": str(SERVER_DIR),
        "DJANGO_SETTINGS_MODULE": "settings.production",
        "SECRET_KEY": "clients-test-secret-key-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database.url,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        # Every client of this session comes from 127.0.0.1.
        "CMS_API_RATE_LIMIT_PER_IP": "10000",
        "MEDIA_ROOT": str(folder / "media"),
        "VAR_DIR": str(folder),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    database.create()
    processes = []
    try:
        server = LiveServer(env)
        server.manage("migrate", "--noinput", "-v0")
        server.manage("load_demo_content")
        server.token = server.manage("shell", code=TOKEN).split()[-1]
        bases = []
        for name, seconds, workers in (("kept", 300, 2), ("short", ANSWER_SECONDS, 1)):
            log = folder / f"gunicorn-{name}.log"
            base, process = _start(env, log, seconds, workers)
            processes.append(process)
            _wait_until_up(base, process, log)
            bases.append(base)
        server.url, server.short_lived_url = (base + "graphql/" for base in bases)
        yield server
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
        database.drop()


@pytest.fixture(scope="session")
def open_introspection_url(app_server, tmp_path_factory):
    """The GraphQL endpoint of one more app server on ``app_server``'s database and Redis,
    answering introspection to anyone (CMS_API_INTROSPECTION=always): the audits, which
    probe with ``__type``, then see the anonymous path, answer cache included."""
    log = tmp_path_factory.mktemp("clients-open") / "gunicorn-open.log"
    env = {**app_server.env, "CMS_API_INTROSPECTION": "always"}
    base, process = _start(env, log, 300, 1)
    try:
        _wait_until_up(base, process, log)
        yield base + "graphql/"
    finally:
        process.terminate()
        process.wait(timeout=30)


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

"""Real processes on a real PostgreSQL database, for tests that kill them or their services.

``fault_database`` migrates one database per test session and hands each test module a
copy of it (``CREATE DATABASE ... TEMPLATE``): seconds instead of a migration per module.
``Silent`` is a TCP listener that accepts and never answers (a hung SMTP server or Redis).
"""

from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]
MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def _server_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        host, port, user = db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["USER"] or "postgres"
        return f"postgres://{user}@{host}:{port}"
    return "postgres://postgres@127.0.0.1:5432"


def base_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        "PATH": str(BASE_DIR / ".venv" / "bin") + ":/usr/bin:/bin:/usr/sbin:/sbin",
        "PYTHONPATH": str(BASE_DIR),
        "DJANGO_SETTINGS_MODULE": "settings.production",
        "SECRET_KEY": "fault-test-secret-key-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "CMS_API_RATE_LIMIT_PER_IP": "100000",
        "CMS_PUBLIC_RATE_LIMIT_PER_IP": "100000",
        "LOG_LEVEL": "WARNING",
    }
    env.update(extra)
    return env


def manage(env: dict, *args: str, check: bool = True) -> str:
    out = subprocess.run(
        [*MANAGE, *args], env=env, cwd=BASE_DIR, capture_output=True, check=False, text=True
    )
    if check and out.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    return out.stdout


_template: list[tuple[str, str]] = []


def _fault_template() -> tuple[str, str]:
    """Migrated once per test run (dropped when it ends), then copied per module."""
    if not _template:
        server = _server_url()
        name = f"cms_faults_tpl_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        atexit.register(_drop, server, name)
        manage(base_env(f"{server}/{name}"), "migrate", "--noinput", "-v0")
        _template.append((server, name))
    return _template[0]


def _drop(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def fault_database():
    """The URL of a freshly migrated PostgreSQL database of this module's own."""
    server, template = _fault_template()
    name = f"cms_faults_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield f"{server}/{name}"
    _drop(server, name)


def start(command: list[str], env: dict, log: Path | None = None) -> subprocess.Popen:
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (the child keeps it)
    return subprocess.Popen(
        command, env=env, cwd=BASE_DIR, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def worker_command(*extra: str) -> list[str]:
    return [
        *MANAGE,
        "db_worker",
        "--backend",
        "durable",
        "--no-startup-delay",
        "--no-reload",
        "--interval",
        "0.2",
        *extra,
    ]


def wait_for(predicate, timeout: float, step: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Silent:
    """A TCP listener that accepts every connection and never says a word."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self.accepted = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)
            self.accepted.set()

    def close(self):
        self.sock.close()
        for conn in self.held:
            conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

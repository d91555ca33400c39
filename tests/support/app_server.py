"""The app in a process of its own, on a database of its own, for tests over real HTTP.

A server process cannot see the rows of a test's wrapping transaction, so it gets a fresh
database: an SQLite file in a temporary folder, or a PostgreSQL database with a unique name
(helpers run side by side on one PostgreSQL; none may drop another's). Keys in the real
Redis go under a prefix of the server's own and are deleted afterwards.

``AppServer`` starts gunicorn (as `make serve` does) on a free port and waits for /healthz,
or tests/support/serve.py (the WSGI app on a thread per request, printing the port it
bound), which needs neither a reachable database nor Redis to come up. ``start``/``stop``
run any other process (a worker, nginx, an S3 server) in a process group of its own, so
stopping it stops its children too. This is the one way tests start app servers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings

from tests.support.fakes import free_port

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS_URL = (
    getattr(settings, "TEST_REDIS_URL", None) or settings.REDIS_URL or "redis://127.0.0.1:6379/0"
)
SERVE = BASE_DIR / "tests" / "support" / "serve.py"
GUNICORN = str(BASE_DIR / ".venv" / "bin" / "gunicorn")
MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]


def _suite_on_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


class Database:
    """A database of a server's own. ``postgresql`` None follows the suite's database."""

    def __init__(self, label: str, folder: Path, postgresql: bool | None = None):
        self.postgresql = _suite_on_postgresql() if postgresql is None else postgresql
        if self.postgresql:
            db = settings.DATABASES["default"] if _suite_on_postgresql() else {}
            host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
            user = db.get("USER") or "postgres"
            self.name = f"cms_test_{label}_{uuid.uuid4().hex[:12]}"
            self.server = f"postgres://{user}@{host}:{port}"
            self.url = f"{self.server}/{self.name}"
        else:
            self.path = folder / f"{label}.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def create(self) -> None:
        if self.postgresql:
            with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.postgresql:
            with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def scalar(self, sql: str):
        """The one value ``sql`` selects, read beside the server (which may hold it open)."""
        if self.postgresql:
            with psycopg.connect(self.url) as conn:
                return conn.execute(sql).fetchone()[0]
        import sqlite3

        with sqlite3.connect(self.path) as conn:
            return conn.execute(sql).fetchone()[0]


def production_env(
    label: str,
    database_url: str,
    *,
    settings_module: str = "settings.production",
    code_dir: Path = BASE_DIR,
    **extra: str,
) -> dict[str, str]:
    """The environment of a server process in production settings on ``database_url``;
    ``extra`` adds or overrides variables."""
    return {
        "PATH": str(BASE_DIR / ".venv" / "bin") + ":/usr/bin:/bin:/usr/sbin:/sbin",
        "PYTHONPATH": str(code_dir),
        "DJANGO_SETTINGS_MODULE": settings_module,
        "SECRET_KEY": f"{label}-test-secret-key-{uuid.uuid4().hex}",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        **extra,
    }


@contextmanager
def server_environment(
    label: str,
    folder: Path,
    *,
    postgresql: bool | None = None,
    settings_module: str = "settings.production",
    code_dir: Path = BASE_DIR,
    **extra: str,
):
    """The environment of a server process on a fresh, migrated database; the database
    and the server's Redis keys are gone afterwards. ``extra`` adds or overrides variables."""
    database = Database(label, folder, postgresql)
    prefix = f"test-{label}-{uuid.uuid4().hex}"
    env = production_env(
        label,
        database.url,
        settings_module=settings_module,
        code_dir=code_dir,
        **{
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": prefix,
            "MEDIA_ROOT": str(folder / "media"),
            "VAR_DIR": str(folder),
            **extra,
        },
    )
    database.create()
    try:
        manage(env, "migrate", "--noinput", "-v0", code_dir=code_dir)
        yield env, database
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
        database.drop()


def manage(env: dict, *args: str, code: str | None = None, code_dir: Path = BASE_DIR) -> str:
    """``manage.py args`` (``shell -c code``) in the server's environment; its output."""
    command = [sys.executable, str(code_dir / "manage.py"), *args]
    if code is not None:
        command += ["-c", code]
    done = subprocess.run(
        command, env=env, cwd=code_dir, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done.stdout


def start(command: list[str], env: dict, log: Path | None = None, **popen) -> subprocess.Popen:
    """``command`` in a process group of its own (``stop`` ends its children with it),
    its output appended to ``log``."""
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (the child keeps it)
    try:
        return subprocess.Popen(
            command,
            env=env,
            cwd=popen.pop("cwd", BASE_DIR),
            stdout=popen.pop("stdout", out),
            stderr=out,
            start_new_session=True,
            **popen,
        )
    finally:
        if log:
            out.close()


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def wait_for(predicate, timeout: float, step: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class AppServer:
    """The app served on 127.0.0.1 until ``stop()``; ``base`` is its URL (no slash).

    gunicorn keeps its port across ``stop()`` and ``start()`` (a restart behind a proxy);
    serve.py binds a free port of its own. ``autostart=False`` leaves starting to the caller.
    """

    def __init__(
        self,
        env: dict,
        *,
        gunicorn: bool = True,
        workers: int = 1,
        log: Path | None = None,
        code_dir: Path = BASE_DIR,
        port: int | None = None,
        args: tuple[str, ...] = (),
        autostart: bool = True,
    ):
        self.env, self.gunicorn, self.log, self.code_dir = env, gunicorn, log, code_dir
        if log:
            log.write_text("")
        self.process = None
        if gunicorn:
            self.port = port or free_port()
            self.base = f"http://127.0.0.1:{self.port}"
            self.command = [GUNICORN, "-c", "gunicorn.conf.py", *args, "cms.wsgi"]
            self.env = {**env, "PORT": str(self.port), "WEB_WORKERS": str(workers)}
        else:
            self.command = [sys.executable, str(SERVE)]
        if autostart:
            self.start()

    def start(self):
        if self.gunicorn:
            self.process = start(self.command, self.env, self.log, cwd=self.code_dir)
            self._wait_for_health()
        else:
            self.process = start(
                self.command, self.env, self.log, cwd=self.code_dir, stdout=subprocess.PIPE
            )
            line = self.process.stdout.readline()
            if not line.strip().isdigit():
                self.stop()
                pytest.fail(f"the app server did not start{self._log_tail()}")
            self.port = int(line)
            self.base = f"http://127.0.0.1:{self.port}"
        return self

    def _log_tail(self) -> str:
        return f":\n{self.log.read_text()[-3000:]}" if self.log else ""

    def answers(self) -> bool:
        # /healthz touches neither the database nor Redis: up means the process answers.
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    def _wait_for_health(self) -> None:
        deadline = time.monotonic() + 60
        while self.process.poll() is None and time.monotonic() < deadline:
            if self.answers():
                return
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"the app server did not start{self._log_tail()}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None:
            stop(self.process, sig)

"""The app in a process of its own, on a database of its own, for tests over real HTTP.

A server process cannot see the rows of a test's wrapping transaction, so it gets a fresh
database: an SQLite file in a temporary folder, or a PostgreSQL database with a unique name
(helpers run side by side on one PostgreSQL; none may drop another's). Keys in the real
Redis go under a prefix of the server's own and are deleted afterwards.

``AppServer`` starts gunicorn (as `make serve` does) on a free port and waits for /healthz,
or tests/support/serve.py (the WSGI app on a thread per request, printing the port it
bound), which needs neither a reachable database nor Redis to come up.
"""

from __future__ import annotations

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
    env = {
        "PATH": str(BASE_DIR / ".venv" / "bin") + ":/usr/bin:/bin",
        "PYTHONPATH": str(code_dir),
        "DJANGO_SETTINGS_MODULE": settings_module,
        "SECRET_KEY": f"{label}-test-secret-key-{uuid.uuid4().hex}",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database.url,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "MEDIA_ROOT": str(folder / "media"),
        "VAR_DIR": str(folder),
        **extra,
    }
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
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


class AppServer:
    """The app served on 127.0.0.1 until ``stop()``; ``base`` is its URL (no slash)."""

    def __init__(
        self,
        env: dict,
        *,
        gunicorn: bool = True,
        workers: int = 1,
        log: Path | None = None,
        code_dir: Path = BASE_DIR,
    ):
        self.log = log
        output = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115  (closed below)
        try:
            if gunicorn:
                port = free_port()
                self.process = subprocess.Popen(
                    [GUNICORN, "-c", "gunicorn.conf.py", "cms.wsgi"],
                    env={**env, "PORT": str(port), "WEB_WORKERS": str(workers)},
                    cwd=code_dir,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
                self.base = f"http://127.0.0.1:{port}"
                self._wait_for_health()
            else:
                self.process = subprocess.Popen(
                    [sys.executable, str(SERVE)],
                    env=env,
                    cwd=code_dir,
                    stdout=subprocess.PIPE,
                    stderr=output,
                    text=True,
                )
                line = self.process.stdout.readline()
                if not line.strip().isdigit():
                    self.stop()
                    pytest.fail(f"the app server did not start{self._log_tail()}")
                self.base = f"http://127.0.0.1:{int(line)}"
        finally:
            if log:
                output.close()

    def _log_tail(self) -> str:
        return f":\n{self.log.read_text()[-3000:]}" if self.log else ""

    def _wait_for_health(self) -> None:
        # /healthz touches neither the database nor Redis: up means the process answers.
        for _ in range(300):
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        pytest.fail(f"the app server did not start{self._log_tail()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

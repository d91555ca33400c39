"""`make run` with a DATABASE_URL naming a database that does not exist yet creates it."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER = "postgres://postgres@127.0.0.1:5432"

pytestmark = pytest.mark.slow


def manage(*args, database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "settings.dev"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.fixture
def server():
    try:
        with psycopg.connect(SERVER + "/postgres", autocommit=True, connect_timeout=3) as db:
            yield db
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")


def test_a_missing_postgresql_database_is_created_once(server):
    name = f"cms_ensure_{uuid.uuid4().hex[:12]}"
    try:
        first = manage("ensure_database", database_url=f"{SERVER}/{name}")
        assert first.returncode == 0, first.stderr
        assert "Created" in first.stdout
        assert server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        again = manage("ensure_database", database_url=f"{SERVER}/{name}")
        assert again.returncode == 0 and "Created" not in again.stdout
    finally:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_an_unreachable_server_is_a_clear_error(tmp_path):
    result = manage("ensure_database", database_url="postgres://postgres@127.0.0.1:1/cms")
    assert result.returncode != 0
    assert "Cannot reach PostgreSQL" in result.stderr


def test_sqlite_gets_its_folder(tmp_path):
    target = tmp_path / "new" / "db.sqlite3"
    result = manage("ensure_database", database_url=f"sqlite:///{target}")
    assert result.returncode == 0, result.stderr
    assert target.parent.is_dir()

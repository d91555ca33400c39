"""Real processes on a real PostgreSQL database, for tests that kill them or their services.

``fault_database`` migrates one database per test session and hands each test module a
copy of it (``CREATE DATABASE ... TEMPLATE``): seconds instead of a migration per module.
Processes start and stop through tests/support/app_server.py.
"""

from __future__ import annotations

import atexit
import uuid

import psycopg
import pytest
from django.conf import settings

from tests.support.app_server import MANAGE, manage, production_env


def _server_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        host, port, user = db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["USER"] or "postgres"
        return f"postgres://{user}@{host}:{port}"
    return "postgres://postgres@127.0.0.1:5432"


def base_env(database_url: str, **extra: str) -> dict[str, str]:
    """Production settings on ``database_url``, with every client of a test (all from
    127.0.0.1) under the rate limits."""
    return production_env(
        "fault",
        database_url,
        **{
            "CMS_API_RATE_LIMIT_PER_IP": "100000",
            "CMS_PUBLIC_RATE_LIMIT_PER_IP": "100000",
            "LOG_LEVEL": "WARNING",
            **extra,
        },
    )


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

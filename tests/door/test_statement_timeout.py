"""The per-request statement timeout: on PostgreSQL a statement of an API request that
waits longer than CMS_API_STATEMENT_TIMEOUT_MS is cancelled and the client gets a 503
(retry later), not a worker stuck for minutes. SQLite has no such setting."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def articles():
    return Client().post(
        "/graphql/",
        data=json.dumps({"query": "{ articles { totalCount } }"}),
        content_type="application/json",
        HTTP_HOST="localhost",
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_statement_stuck_behind_a_lock_is_cancelled_with_503(site, settings):
    settings.CMS_API_STATEMENT_TIMEOUT_MS = 300
    if connection.vendor != "postgresql":
        with CaptureQueriesContext(connection) as queries:
            assert articles().status_code == 200
        assert not any("statement_timeout" in q["sql"] for q in queries)
        return

    import psycopg

    params = connection.get_connection_params()
    locker = psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        host=params.get("host"),
        port=params.get("port"),
        user=params.get("user"),
    )
    try:
        with locker.transaction():
            locker.execute("LOCK TABLE wagtailcore_site IN ACCESS EXCLUSIVE MODE")
            response = articles()
    finally:
        locker.close()
    assert response.status_code == 503, response.content
    assert response["Retry-After"]
    assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    # The same connection serves the next API request, and any other request gets the
    # database's default back.
    assert articles().status_code == 200
    assert Client().get("/healthz", HTTP_HOST="localhost").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_timeout_is_set_once_per_connection_not_per_request(site, settings):
    settings.CMS_API_STATEMENT_TIMEOUT_MS = 4000
    Client().get("/healthz", HTTP_HOST="localhost")
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert articles().status_code == 200
    set_once = 1 if connection.vendor == "postgresql" else 0  # SQLite has no such setting
    assert len([q for q in queries if "statement_timeout" in q["sql"]]) == set_once
    if not set_once:
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "4s"

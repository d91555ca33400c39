"""Honest errors: server-side failures are masked in production and carry a request id
that leads to the server log; the database down means 503 with Retry-After."""

import json
import logging
import os
import urllib.error
import urllib.request

import pytest
from django.test import Client, override_settings

from tests.support.app_server import BASE_DIR, AppServer
from tests.support.failing_schema import INTERNAL_DETAIL
from tests.support.fakes import free_port
from tests.support.raising_view import DETAIL as RAISED_DETAIL

# Every client reads it in Chinese, whatever language the test's thread last had.
INTERNAL_IN_CHINESE = "服务器内部错误,请稍后重试。如需帮助,请提供请求编号 requestId。"


class Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def api_log():
    handler = Records()
    handler.setFormatter(logging.Formatter("%(message)s\n%(exc_text)s"))
    logger = logging.getLogger("cms.api")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def post(query, **headers):
    return Client().post(
        "/graphql/",
        data=json.dumps({"query": query}),
        content_type="application/json",
        HTTP_HOST="localhost",
        **headers,
    )


@override_settings(ROOT_URLCONF="tests.support.failing_schema", CMS_API_MASK_ERRORS=True)
def test_production_masks_exception_text_path_and_host(db, api_log):
    response = post("{ fine broken }")
    body = response.json()
    assert body["data"] == {"fine": "ok", "broken": None}
    [error] = body["errors"]
    request_id = response["X-Request-ID"]
    assert error == {
        "message": INTERNAL_IN_CHINESE,
        "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
    }
    assert "db.internal" not in response.content.decode()
    assert "10.0.0.5" not in response.content.decode()
    # The request id leads to the full story in the server log.
    logged = "\n".join(api_log)
    assert request_id in logged
    assert INTERNAL_DETAIL in logged


@override_settings(ROOT_URLCONF="tests.support.failing_schema", CMS_API_MASK_ERRORS=False)
def test_development_shows_the_exception_text(db, api_log):
    error = post("{ broken }").json()["errors"][0]
    assert INTERNAL_DETAIL in error["message"]
    assert error["path"] == ["broken"]


@override_settings(ROOT_URLCONF="tests.support.failing_schema")
def test_client_request_id_is_kept_when_sane_and_replaced_when_not(db, api_log):
    kept = post("{ broken }", HTTP_X_REQUEST_ID="front-end-42abc")
    assert kept["X-Request-ID"] == "front-end-42abc"
    assert kept.json()["errors"][0]["extensions"]["requestId"] == "front-end-42abc"
    replaced = post("{ broken }", HTTP_X_REQUEST_ID="<script>\n")
    assert replaced["X-Request-ID"] != "<script>\n"
    assert len(replaced["X-Request-ID"]) == 32


def test_client_errors_keep_their_message_and_code_in_production(gql, site, settings):
    settings.CMS_API_MASK_ERRORS = True
    errors = gql.errors('{ article(id: "abc") { title } }')
    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}
    assert errors[0]["message"] == "id 必须是数字。"


# Health probes


def test_healthz_and_readyz_answer_ok(db, redis_cache):
    assert Client().get("/healthz", HTTP_HOST="localhost").json() == {"status": "ok"}
    ready = Client().get("/readyz", HTTP_HOST="localhost")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_readyz_is_503_when_the_cache_is_unreachable(db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.core.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    ready = Client().get("/readyz", HTTP_HOST="localhost")
    assert ready.status_code == 503
    assert ready.json() == {
        "status": "unavailable",
        "database": "ok",
        "cache": "unreachable",
        "failing": ["redis"],
    }


# The database down: a real server process whose PostgreSQL connection points at a closed port


@pytest.fixture(params=["5000", "0"], ids=["timeout-set-in-middleware", "no-statement-timeout"])
def server_without_database(request, tmp_path):
    """The app served over real HTTP with its database unreachable.

    With a statement timeout the middleware meets the outage first; without, a resolver.
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/gone",
        "CMS_API_STATEMENT_TIMEOUT_MS": request.param,
        "PYTHONPATH": str(BASE_DIR),
    }
    env.pop("REDIS_URL", None)
    server = AppServer(env, gunicorn=False, log=tmp_path / "serve.log")
    try:
        yield server
    finally:
        server.stop()


def http(url, body=None):
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json", "Host": "localhost"},
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.mark.slow
def test_database_down_means_503_with_retry_after_and_no_host(server_without_database):
    server = server_without_database
    base = server.base
    status, headers, text = http(f"{base}/graphql/", {"query": "{ articles { totalCount } }"})
    assert status == 503, text
    assert headers["Retry-After"] == "30"
    body = json.loads(text)
    assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert body["errors"][0]["extensions"]["requestId"] == headers["X-Request-ID"]
    for leak in ("127.0.0.1", "5432", "postgres", "gone", "connection"):
        assert leak not in text.lower(), text

    status, _, text = http(f"{base}/readyz")
    assert status == 503
    assert json.loads(text) == {
        "status": "unavailable",
        "database": "unreachable",
        "cache": "ok",
        "failing": ["database"],
    }
    status, _, text = http(f"{base}/healthz")
    assert (status, json.loads(text)) == (200, {"status": "ok"})

    server.stop()
    log = server.log.read_text()
    assert headers["X-Request-ID"] in log


@override_settings(ROOT_URLCONF="tests.support.failing_schema", CMS_API_MASK_ERRORS=True)
def test_value_the_database_refuses_is_a_client_error_not_a_500(db, api_log):
    response = post("{ outOfRange }")
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "smallint" not in error["message"] and "overflow" not in error["message"].lower()
    assert response["X-Request-ID"] in "\n".join(api_log)


@pytest.mark.slow
@pytest.mark.parametrize("server_without_database", ["0"], indirect=True)
def test_database_down_after_the_executor_is_json_503_not_django_html(server_without_database):
    # ``{ __typename }`` runs without the database; keeping its answer then asks the
    # database when the next page expires, outside the executor.
    server = server_without_database
    base = server.base
    status, headers, text = http(f"{base}/graphql/?query=%7B__typename%7D")
    assert status == 503, text
    assert headers["Content-Type"].startswith("application/json")
    assert headers["Retry-After"] == "30"
    error = json.loads(text)["errors"][0]
    assert error["extensions"] == {
        "code": "SERVICE_UNAVAILABLE",
        "requestId": headers["X-Request-ID"],
    }
    server.stop()
    log = server.log.read_text()
    assert headers["X-Request-ID"] in log


@override_settings(ROOT_URLCONF="tests.support.raising_view")
def test_a_failure_outside_the_executor_is_masked_json_500_and_logged(db, api_log):
    response = post("{ __typename }")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["errors"][0]
    assert error["message"] == INTERNAL_IN_CHINESE
    assert error["extensions"]["requestId"] == response["X-Request-ID"]
    assert RAISED_DETAIL not in response.content.decode()
    assert any(response["X-Request-ID"] in line and RAISED_DETAIL in line for line in api_log)

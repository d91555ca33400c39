"""Every HTTP path answers a failing dependency quickly and honestly.

Real app servers (tests/support/serve.py through app_server.AppServer, production settings) on PostgreSQL: with the database
refused, hung (a listener that never answers) and with its tables locked, every path that
reads the database answers 503 with Retry-After and no internals, JSON or HTML as the path
speaks, within the statement timeout plus a second; /healthz stays 200 and /readyz names
the database. With Redis hung and refused, every path answers (no 5xx but readyz's 503),
and /readyz names Redis.
"""

import json
import re
import time
import urllib.error
import urllib.request

import psycopg
import pytest

from tests.support.app_server import AppServer, manage
from tests.support.fakes import Silent, free_port
from tests.support.fault_env import (
    base_env,
    fault_database,  # noqa: F401 (fixture)
)
from tests.support.site_scripts import ONE_ARTICLE

pytestmark = pytest.mark.slow

TIMEOUT_MS = 1000
BOUND = TIMEOUT_MS / 1000 + 1
# A database host that never answers costs the connect timeout instead; libpq's (and
# psycopg's) least is 2 s.
CONNECT_TIMEOUT = 2
SETUP = (
    ONE_ARTICLE
    + """
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from cms.core.factories import ImageFactory
document = get_document_model().objects.create(title="说明")
document.file.save("guide.txt", ContentFile(b"hello"), save=True)
image = ImageFactory()
print(document.url, image.file.url)
"""
)
# Paths that answer without the database, whatever happens to it (the admin sends a
# visitor with no session to its login page).
NO_DATABASE = {"/healthz", "/embed/v1.js", "/admin/"}


def paths(document_url: str, image_url: str) -> dict[str, tuple[str, bytes | None]]:
    """Path → (method, body). Each reads the database on a client's behalf (but those in
    NO_DATABASE)."""
    query = json.dumps({"query": "{ articles { items { title } } }"}).encode()
    return {
        "/graphql/": ("POST", query),
        "/sitemap.xml": ("GET", None),
        "/feeds/articles.atom": ("GET", None),
        "/oembed?url=http%3A%2F%2F127.0.0.1%2Fchildcare%2F": ("GET", None),
        "/embed/v1.js": ("GET", None),
        document_url: ("GET", None),
        image_url: ("GET", None),
        "/admin/login/": ("GET", None),
        "/admin/": ("GET", None),
        "/healthz": ("GET", None),
        "/readyz": ("GET", None),
    }


def fetch(base: str, path: str, method: str, body: bytes | None):
    request = urllib.request.Request(
        base + path,
        data=body,
        method=method,
        headers={"Content-Type": "application/json", "Accept": "application/json, text/html"},
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, headers, text = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, text = error.code, error.headers, error.read()
    return status, headers, text.decode("utf-8", "replace"), time.monotonic() - started


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


urllib.request.install_opener(urllib.request.build_opener(NoRedirect))


@pytest.fixture(scope="module")
def content(fault_database, tmp_path_factory):  # noqa: F811
    media = tmp_path_factory.mktemp("media")
    env = base_env(
        fault_database,
        MEDIA_ROOT=str(media),
        VAR_DIR=str(tmp_path_factory.mktemp("var")),
        CMS_SERVE_MEDIA="true",
        CMS_STATEMENT_TIMEOUT_MS=str(TIMEOUT_MS),
        CMS_ADMIN_STATEMENT_TIMEOUT_MS=str(TIMEOUT_MS),
        CMS_API_STATEMENT_TIMEOUT_MS=str(TIMEOUT_MS),
        DB_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
        # Kept answers would spare the database: every read here must reach it.
        CMS_API_CACHE_TIMEOUT="0",
    )
    document_url, image_url = manage(env, "shell", "-c", SETUP).split()[-2:]
    return env, paths(document_url, image_url)


@pytest.fixture(scope="module")
def working(content):
    env, _ = content
    server = AppServer(env, gunicorn=False)
    yield server.base
    server.stop()


def assert_unavailable(path, status, headers, text, elapsed, bound=BOUND):
    assert elapsed <= bound, f"{path} took {elapsed:.2f} s"
    assert status == 503, (path, status, text[:300])
    assert headers["Retry-After"], path
    assert "no-store" in headers["Cache-Control"], path
    for leak in ("127.0.0.1", "5432", "postgres", "psycopg", "traceback", "lock", "cancel"):
        assert leak not in text.lower(), (path, text[:300])
    speaks_json = path.startswith(("/graphql/", "/oembed", "/readyz"))
    kind = "application/json" if speaks_json else "text/html"
    assert headers["Content-Type"].startswith(kind), (path, headers["Content-Type"])
    if speaks_json:
        json.loads(text)


def test_every_path_answers_while_everything_works(content, working):
    _, table = content
    for path, (method, body) in table.items():
        status, _, text, _ = fetch(working, path, method, body)
        assert status < 500, (path, status, text[:300])


@pytest.mark.parametrize("outage", ["refused", "hung"])
def test_database_unreachable_means_503_on_every_path_that_reads_it(content, outage):
    env, table = content
    bound = max(BOUND, CONNECT_TIMEOUT + 1) if outage == "hung" else BOUND
    with Silent() as silent:
        port = silent.port if outage == "hung" else free_port()
        url = re.sub(r"@[^/]+/", f"@127.0.0.1:{port}/", env["DATABASE_URL"])
        server = AppServer({**env, "DATABASE_URL": url}, gunicorn=False)
        base = server.base
        try:
            for path, (method, body) in table.items():
                status, headers, text, elapsed = fetch(base, path, method, body)
                if path in NO_DATABASE:
                    assert status < 500 and elapsed <= BOUND, (path, status, text[:300])
                    continue
                assert_unavailable(path, status, headers, text, elapsed, bound)
                if path == "/readyz":
                    assert json.loads(text)["failing"] == ["database"]
        finally:
            server.stop()


LOCKED = [
    "wagtailcore_page",
    "wagtailcore_site",
    "wagtailcore_collection",
    "wagtaildocs_document",
    "cms_customimage",
    "auth_user",
    "django_session",
]


def test_locked_tables_mean_503_within_the_statement_timeout(content, working):
    env, table = content
    with psycopg.connect(env["DATABASE_URL"]) as locker:
        locker.execute(f"LOCK TABLE {', '.join(LOCKED)} IN ACCESS EXCLUSIVE MODE")
        try:
            for path, (method, body) in table.items():
                status, headers, text, elapsed = fetch(working, path, method, body)
                # SELECT 1 needs no table; the login form reads none of the locked ones.
                if path in NO_DATABASE | {"/readyz", "/admin/login/"}:
                    assert status < 500 and elapsed <= BOUND, (path, status, text[:300])
                    continue
                assert_unavailable(path, status, headers, text, elapsed)
        finally:
            locker.rollback()


@pytest.mark.parametrize("outage", ["refused", "hung"])
def test_redis_out_every_path_answers_and_readyz_names_redis(content, outage):
    env, table = content
    with Silent() as silent:
        port = silent.port if outage == "hung" else free_port()
        server = AppServer({**env, "REDIS_URL": f"redis://127.0.0.1:{port}/0"}, gunicorn=False)
        base = server.base
        try:
            for path, (method, body) in table.items():
                status, _, text, elapsed = fetch(base, path, method, body)
                assert elapsed <= BOUND, f"{path} took {elapsed:.2f} s"
                if path == "/readyz":
                    assert status == 503
                    assert json.loads(text)["failing"] == ["redis"]
                else:
                    assert status < 500, (path, status, text[:300])
        finally:
            server.stop()

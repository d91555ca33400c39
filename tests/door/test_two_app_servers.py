"""Two production app servers (gunicorn) on one PostgreSQL and one Redis.

A change made through one server, or by a separate process, is seen through the other
on its next request: the kept answers are dropped across servers, not per process.
"""

import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS_URL = (
    getattr(settings, "TEST_REDIS_URL", None) or settings.REDIS_URL or "redis://127.0.0.1:6379/0"
)
LIST = "{ articles { items { id title } } }"
SETUP = """
from wagtail.models import Page, Site
from django.contrib.auth import get_user_model
from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from home.factories import HomePageFactory
home = HomePageFactory(parent=Page.get_first_root_node(), slug="childcare")
Site.objects.filter(is_default_site=True).update(root_page=home, hostname="localhost")
index = ArticleIndexPageFactory(parent=home)
article = ArticlePageFactory(parent=index, title="第一版")
get_user_model().objects.create_superuser("admin", "a@example.com", "pw-Two-Servers-1")
print(article.pk)
"""
REPUBLISH = """
from articles.models import ArticlePage
article = ArticlePage.objects.get(pk={pk})
article.title = "第二版"
article.save_revision().publish()
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        host, port, user = db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["USER"] or "postgres"
        return f"postgres://{user}@{host}:{port}/{db['NAME']}_servers"
    # Unique per run: two suites on one machine must not share (or drop) each other's.
    return f"postgres://postgres@127.0.0.1:5432/cms_test_servers_{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def environment():
    url = _database_url()
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    prefix = f"test-servers-{uuid.uuid4().hex}"
    env = {
        "PATH": str(BASE_DIR / ".venv" / "bin") + ":/usr/bin:/bin",
        "PYTHONPATH": str(BASE_DIR),
        "DJANGO_SETTINGS_MODULE": "settings.production",
        "SECRET_KEY": "two-servers-test-secret-key-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "MEDIA_ROOT": str(BASE_DIR / "var" / "test-servers-media"),
    }
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=BASE_DIR)
    out = subprocess.run(
        [*manage, "shell", "-c", SETUP], env=env, check=True, cwd=BASE_DIR, capture_output=True
    )
    article_id = int(out.stdout.decode().split()[-1])
    yield env, article_id
    for key in redis.Redis.from_url(REDIS_URL).scan_iter(match=f"{prefix}:*"):
        redis.Redis.from_url(REDIS_URL).delete(key)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def servers(environment):
    env, _ = environment
    processes, bases = [], []
    for _ in range(2):
        port = _free_port()
        server_env = {**env, "PORT": str(port), "WEB_WORKERS": "1", "DB_CONN_MAX_AGE": "60"}
        processes.append(
            subprocess.Popen(
                [
                    str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
                    "-c",
                    "gunicorn.conf.py",
                    "cms.wsgi",
                ],
                env=server_env,
                cwd=BASE_DIR,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base in bases:
            for _ in range(150):
                try:
                    if _request(base, "/graphql/?query=%7B__typename%7D")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail(f"{base} did not start")
        yield bases
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)


def _request(base, path, data=None, headers=None):
    request = urllib.request.Request(
        base + path, data=data, headers={"Host": "localhost", **(headers or {})}
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def read(base):
    query = urllib.parse.urlencode({"query": LIST})
    status, headers, body = _request(base, f"/graphql/?{query}")
    assert status == 200, body
    items = json.loads(body)["data"]["articles"]["items"]
    return [item["title"] for item in items], headers.get("X-Cache")


def _cookies(headers, jar):
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        jar[name] = rest.split(";", 1)[0]
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def unpublish_through_admin(base, page_id):
    jar = {}
    status, headers, body = _request(base, "/admin/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode(
        {"username": "admin", "password": "pw-Two-Servers-1", "csrfmiddlewaretoken": token}
    ).encode()
    status, headers, _ = _request(base, "/admin/login/", form, {"Cookie": _cookies(headers, jar)})
    assert status == 302, "admin login failed"
    cookie = _cookies(headers, jar)
    status, headers, body = _request(
        base, f"/admin/pages/{page_id}/unpublish/", None, {"Cookie": cookie}
    )
    assert status == 200, body[:300]
    cookie = _cookies(headers, jar)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode()
    status, _, body = _request(base, f"/admin/pages/{page_id}/unpublish/", form, {"Cookie": cookie})
    assert status == 302, body[:300]


def test_a_change_through_one_server_is_seen_through_the_other(servers, environment):
    env, article_id = environment
    first, second = servers
    assert read(second) == (["第一版"], "MISS")
    assert read(second) == (["第一版"], "HIT")
    assert read(first) == (["第一版"], "HIT")  # one shared cache, not one per server

    # Another process (a management command, the scheduler...) publishes a new revision.
    subprocess.run(
        [
            sys.executable,
            str(BASE_DIR / "manage.py"),
            "shell",
            "-c",
            REPUBLISH.format(pk=article_id),
        ],
        env=env,
        check=True,
        cwd=BASE_DIR,
    )
    assert read(second) == (["第二版"], "MISS")
    assert read(first) == (["第二版"], "HIT")

    # An editor unpublishes through the admin of the first server; the second no longer shows it.
    unpublish_through_admin(first, article_id)
    assert read(second) == ([], "MISS")

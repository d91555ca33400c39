"""Two production app servers (gunicorn) on one PostgreSQL and one Redis.

A change made through one server, or by a separate process, is seen through the other
on its next request: the kept answers are dropped across servers, not per process.
"""

import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.support.app_server import AppServer, manage, server_environment

pytestmark = pytest.mark.slow  # two gunicorn servers on a fresh PostgreSQL database

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


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    # PostgreSQL whatever the suite runs on: two processes writing one SQLite file is not
    # what production runs.
    folder = tmp_path_factory.mktemp("servers")
    with server_environment("servers", folder, postgresql=True) as (env, _database):
        yield env, int(manage(env, "shell", code=SETUP).split()[-1])


@pytest.fixture(scope="module")
def servers(environment):
    env, _ = environment
    running = []
    try:
        for _ in range(2):
            running.append(AppServer({**env, "DB_CONN_MAX_AGE": "60"}))
        yield [server.base for server in running]
    finally:
        for server in running:
            server.stop()


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
    manage(env, "shell", code=REPUBLISH.format(pk=article_id))
    assert read(second) == (["第二版"], "MISS")
    assert read(first) == (["第二版"], "HIT")

    # An editor unpublishes through the admin of the first server; the second no longer shows it.
    unpublish_through_admin(first, article_id)
    assert read(second) == ([], "MISS")

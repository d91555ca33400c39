"""Precise CDN purge: answers name what they show, and a publish purges exactly those.

A gunicorn server on PostgreSQL and Redis with the generic HTTP purger pointed at a purge
receiver started here (it refuses the first call, so the retry is exercised), and the
durable worker that runs the purge task. Answers are read through the server; an article is
then published by another process (as an editor's save or the scheduler would).
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg
import pytest

from tests.support.app_server import manage, start, stop, wait_for
from tests.support.fault_env import (
    fault_database,  # noqa: F401 (fixture)
    worker_command,
)
from tests.support.scale_env import SiteServer, app_env

pytestmark = pytest.mark.slow

SETUP = """
from wagtail.models import Page, Site
from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from home.factories import HomePageFactory
from home.models import ServiceArea
home = HomePageFactory(parent=Page.get_first_root_node(), slug="childcare")
Site.objects.filter(is_default_site=True).update(root_page=home, hostname="localhost")
index = ArticleIndexPageFactory(parent=home)
first = ArticlePageFactory(parent=index, title="第一篇", slug="first")
second = ArticlePageFactory(parent=index, title="第二篇", slug="second")
ServiceArea.objects.create(name="智慧托育", slug="smart")
print(first.pk, second.pk)
"""
REPUBLISH = """
from articles.models import ArticlePage
article = ArticlePage.objects.get(pk={pk})
article.title = "第一篇(修订)"
article.save_revision().publish()
"""


class PurgeReceiver:
    """Records each purge request's tags; answers 503 to the next ``fail_next`` calls."""

    def __init__(self):
        self.calls: list[dict] = []
        self.fail_next = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.calls.append(
                    {"tags": json.loads(body)["tags"], "auth": self.headers.get("Authorization")}
                )
                failing = receiver.fail_next > 0
                receiver.fail_next -= 1
                self.send_response(503 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/purge"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture(scope="module")
def topology(fault_database, tmp_path_factory):  # noqa: F811
    var = tmp_path_factory.mktemp("purge")
    receiver = PurgeReceiver()
    env = app_env(
        fault_database,
        var,
        CMS_CDN_PURGER="http",
        CMS_CDN_PURGE_URL=receiver.url,
        CMS_CDN_PURGE_TOKEN="purge-token",
        CMS_CDN_RETRY_BASE="1",
    )
    first, second = (int(value) for value in manage(env, "shell", "-c", SETUP).split()[-2:])
    server = SiteServer(env, var, "app").start()
    worker = start(worker_command(), env, var / "worker.log")
    try:
        # The setup's own changes (a snippet saved) were purged too: start from none pending.
        wait_for(lambda: _pending(fault_database) == 0, 30, step=0.2, what="setup's purges")
        yield {"env": env, "server": server, "receiver": receiver, "ids": (first, second)}
    finally:
        stop(worker)
        server.stop()
        receiver.close()


def _pending(database_url) -> int:
    with psycopg.connect(database_url) as conn:
        query = "SELECT count(*) FROM cdn_cdnpurge WHERE status NOT IN ('succeeded', 'failed')"
        return conn.execute(query).fetchone()[0]


def _answer(server, query):
    response = server.session().get(server.base + "/graphql/", params={"query": query})
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    return response


def test_publishing_an_article_purges_the_answers_that_showed_it_and_nothing_else(topology):
    server, receiver = topology["server"], topology["receiver"]
    first, second = topology["ids"]
    queries = {
        "the article": f"{{ article(id: {first}) {{ title }} }}",
        "the list": "{ articles { items { title } } }",
        "another article": f"{{ article(id: {second}) {{ title summary }} }}",
        "service areas": "{ serviceAreas { name } }",
    }
    tags = {}
    for name, query in queries.items():
        response = _answer(server, query)
        # Kept a day by the CDN, which is told of every change; briefly by browsers.
        assert response.headers["Cache-Control"] == "public, max-age=30, s-maxage=86400"
        tags[name] = set(response.headers["Cache-Tag"].split(","))
        assert tags[name] == set(response.headers["Surrogate-Key"].split(" "))
        # The kept copy names the same things.
        assert set(_answer(server, query).headers["Cache-Tag"].split(",")) == tags[name]
    assert f"page-{first}" in tags["the article"] and f"page-{first}" in tags["the list"]
    assert "list-articles.articlepage" in tags["the list"]
    assert f"page-{second}" in tags["another article"]
    assert any(tag.startswith("home.servicearea-") for tag in tags["service areas"])

    receiver.calls.clear()
    receiver.fail_next = 1
    manage(topology["env"], "shell", "-c", REPUBLISH.format(pk=first))
    # The first call is refused (503); the durable task tries again a second later.
    wait_for(lambda: len(receiver.calls) >= 2, 30, step=0.2, what="the purge to be retried")
    refused, purged = receiver.calls[:2]
    assert refused["tags"] == purged["tags"]
    assert purged["auth"] == "Bearer purge-token"
    purged_tags = set(purged["tags"])
    assert purged_tags & tags["the article"]
    assert purged_tags & tags["the list"]
    assert not purged_tags & tags["another article"]
    assert not purged_tags & tags["service areas"]
    assert len(receiver.calls) == 2  # one change, one purge (retried once)
    assert "第一篇(修订)" in _answer(server, queries["the article"]).text

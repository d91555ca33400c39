"""A live production app server (gunicorn) for the JavaScript clients, and the clients.

One setup for the whole session: a fresh database (an SQLite file in a temporary folder,
or a PostgreSQL database of its own when the suite runs on PostgreSQL), migrated and
loaded with the demo content; the real Redis under a key prefix of its own; two servers
on them, one keeping answers the default 300 s, one only ANSWER_SECONDS (2) so a test can
outwait them.

The Node packages live in tests/clients/node_modules (`npm ci --prefix tests/clients`,
which `make test` runs); without them these tests fail, they do not skip.

CMS_CLIENTS_SERVER_DIR serves another checkout of the project (its code, this harness),
e.g. a branch's worktree, to see how far it gets.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.app_server import BASE_DIR, AppServer, manage, server_environment
from tests.support.node_clients import ANSWER_SECONDS, node

SERVER_DIR = Path(os.environ.get("CMS_CLIENTS_SERVER_DIR", BASE_DIR)).resolve()

TOKEN = """
from wagtail.models import Site
from cms.api import tokens
from cms.api.models import ApiToken
raw = tokens.generate()
token = ApiToken(name="clients", rate_limit=10000)
token.set_key(raw)
token.save()
token.sites.set(Site.objects.all())
print(raw)
"""
PUBLISH = """
from articles.models import ArticlePage
article = ArticlePage.objects.get(slug={slug!r})
article.title = {title!r}
article.save_revision().publish()
"""


class LiveServer:
    def __init__(self, env: dict):
        self.env = env
        self.url = ""  # the GraphQL endpoint, once serving
        self.short_lived_url = ""  # the same, on a server keeping answers ANSWER_SECONDS
        self.token = ""  # an API token that reads every site

    def manage(self, *args: str, code: str | None = None) -> str:
        return manage(self.env, *args, code=code, code_dir=SERVER_DIR)

    def publish_title(self, slug: str, title: str) -> None:
        """An editor's change, published by another process (as the scheduler or a command would)."""
        self.manage("shell", code=PUBLISH.format(slug=slug, title=title))


def _start(env: dict, log: Path, answer_seconds: int, workers: int) -> AppServer:
    return AppServer(
        {**env, "CMS_API_CACHE_TIMEOUT": str(answer_seconds)},
        workers=workers,
        log=log,
        code_dir=SERVER_DIR,
    )


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """Two app servers on one database and one Redis: answers kept the default 300 s on
    ``url`` (what is served from the cache, and what a publish drops, is then certain), and
    ``ANSWER_SECONDS`` on ``short_lived_url``, for the step after the answer's expiry."""
    node()  # before the server's minute of setup
    folder = tmp_path_factory.mktemp("clients")
    with server_environment(
        "clients",
        folder,
        code_dir=SERVER_DIR,
        # Every client of this session comes from 127.0.0.1.
        CMS_API_RATE_LIMIT_PER_IP="10000",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ) as (env, _database):
        running = []
        try:
            server = LiveServer(env)
            server.manage("load_demo_content")
            server.token = server.manage("shell", code=TOKEN).split()[-1]
            for name, seconds, workers in (("kept", 300, 2), ("short", ANSWER_SECONDS, 1)):
                running.append(_start(env, folder / f"gunicorn-{name}.log", seconds, workers))
            server.url, server.short_lived_url = (app.base + "/graphql/" for app in running)
            yield server
        finally:
            for app in running:
                app.stop()


@pytest.fixture(scope="session")
def open_introspection_url(app_server, tmp_path_factory):
    """The GraphQL endpoint of one more app server on ``app_server``'s database and Redis,
    answering introspection to anyone (CMS_API_INTROSPECTION=always): the audits, which
    probe with ``__type``, then see the anonymous path, answer cache included."""
    log = tmp_path_factory.mktemp("clients-open") / "gunicorn-open.log"
    env = {**app_server.env, "CMS_API_INTROSPECTION": "always"}
    app = _start(env, log, 300, 1)
    try:
        yield app.base + "/graphql/"
    finally:
        app.stop()

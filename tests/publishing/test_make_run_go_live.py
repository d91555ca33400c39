"""Under ``make run`` (no Redis), a scheduled page is visible to clients within the
scheduler's interval plus a second of its go-live time.

The processes are those ``make run`` starts, with its settings (settings.dev, SQLite under
VAR_DIR): ``start_scheduler``, ``db_worker --backend durable`` and ``runserver``. The
scheduler runs in the worker process and the answers are kept by the web process: the
content generation must reach the web process (a cache both share, under VAR_DIR).
"""

import datetime
import json
import re
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.app_server import MANAGE, manage, start, stop, wait_for
from tests.support.fakes import free_port
from tests.support.fault_env import base_env

pytestmark = pytest.mark.slow

INTERVAL = 2
MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"
SETUP = """
import datetime
from django.utils import timezone
from wagtail.models import Page, Site
from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from home.factories import HomePageFactory
home = HomePageFactory(parent=Page.get_first_root_node(), slug="childcare")
Site.objects.filter(is_default_site=True).update(root_page=home, hostname="127.0.0.1")
index = ArticleIndexPageFactory(parent=home)
article = ArticlePageFactory(parent=index, title="定时上线", slug="go-live", live=False)
article.go_live_at = timezone.now() + datetime.timedelta(seconds={delay})
article.save_revision().publish()
print(article.go_live_at.timestamp())
"""
QUERY = '{ article(slug: "go-live") { title } }'


def worker_args_of_make_run() -> list[str]:
    """The worker's arguments exactly as the Makefile's run target gives them."""
    recipe = MAKEFILE.read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    line = re.search(r"\$\(MANAGE\) (db_worker[^&;\n]*)", recipe).group(1)
    return line.split()


def ask(base: str):
    request = urllib.request.Request(
        f"{base}/graphql/",
        data=json.dumps({"query": QUERY}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["data"]["article"]


def test_scheduled_page_is_visible_within_interval_plus_a_second(tmp_path):
    env = base_env(
        "",
        DJANGO_SETTINGS_MODULE="settings.dev",
        VAR_DIR=str(tmp_path),
        CMS_SCHEDULER_INTERVAL=str(INTERVAL),
        # Seconds answers are kept: far longer than the test, so only invalidation helps.
        CMS_API_CACHE_TIMEOUT="600",
    )
    del env["DATABASE_URL"]
    manage(env, "migrate", "--noinput", "-v0")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "run.log"
    # Far enough ahead for the processes to start and the null answer to be kept.
    go_live = float(manage(env, "shell", "-c", SETUP.format(delay=25)).split()[-1])
    manage(env, "start_scheduler")
    worker = start([*MANAGE, *worker_args_of_make_run()], env, log)
    web = start([*MANAGE, "runserver", f"127.0.0.1:{port}"], env, log)
    try:
        wait_for(lambda: _answers(base), 60, step=0.5, what="runserver")
        assert ask(base) is None
        assert ask(base) is None  # kept now, in the web process
        assert time.time() < go_live, "the processes took too long to start"
        seen = wait_for(
            lambda: ask(base) is not None and time.time(),
            go_live - time.time() + INTERVAL + 30,
            step=0.05,
            what="the page to go live",
        )
    finally:
        stop(web)
        stop(worker)
    late = seen - go_live
    when = datetime.datetime.fromtimestamp(go_live)
    assert late <= INTERVAL + 1, f"visible {late:.2f} s after its go-live time ({when})"


def _answers(base: str) -> bool:
    try:
        urllib.request.urlopen(f"{base}/healthz", timeout=2).close()
        return True
    except OSError:
        return False

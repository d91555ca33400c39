"""Redis hung (accepts, never answers) or refused: reads keep their speed, logins are refused.

Three real app servers (tests/support/serve.py, production settings) on one SQLite database: one
with a working Redis, one whose REDIS_URL points at a local socket that accepts and never
answers, one at a closed port. Requests go round-robin to the three, so the machine's load
falls on each alike, and medians of 30 are compared.

The bound, 1.5x, is the issue's. A kept answer cannot come from a Redis that does not
answer, so with Redis out every read is made afresh: its median is compared with that of
reads made afresh with Redis working (same query, a site name spelt in another case each
time, so each is a new cache key for the same work), which pay the rate limit, the answer
lookup and the write to Redis. Before the circuit breaker a hung Redis cost ~20 s a read.
"""

import json
import re
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.support.app_server import REDIS_URL, AppServer, manage, server_environment
from tests.support.fakes import Silent, free_port

pytestmark = pytest.mark.slow

PASSWORD = "pw-Outage-托育-1"
SETUP = f"""
from wagtail.models import Page, Site
from django.contrib.auth import get_user_model
from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from home.factories import HomePageFactory
home = HomePageFactory(parent=Page.get_first_root_node(), slug="childcare")
Site.objects.filter(is_default_site=True).update(root_page=home, hostname="localhost")
index = ArticleIndexPageFactory(parent=home)
for n in range(5):
    ArticlePageFactory(parent=index, title=f"文章{{n}}", slug=f"article-{{n}}")
get_user_model().objects.create_superuser("admin", "a@example.cn", "{PASSWORD}")
"""
QUERY = """query($site: String) {
  article(site: $site, slug: "article-0") { title url summary categories { name } }
  articles(site: $site, perPage: 5) { items { title url } }
}"""
ROUNDS = 30


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    with server_environment(
        "outage",
        tmp_path_factory.mktemp("outage"),
        postgresql=False,
        CMS_API_RATE_LIMIT_PER_IP="100000",
        CMS_PUBLIC_RATE_LIMIT_PER_IP="100000",
        LOG_LEVEL="WARNING",
    ) as (env, _database):
        manage(env, "shell", code=SETUP)
        yield env


@pytest.fixture(scope="module")
def servers(environment, tmp_path_factory):
    """One server per Redis (working, hung, refused): their base URLs, and the servers
    (each logging to a file of its own)."""
    hung = Silent()
    urls = {
        "working": REDIS_URL,
        "hung": f"redis://127.0.0.1:{hung.port}/0",
        "refused": f"redis://127.0.0.1:{free_port()}/0",
    }
    logs = tmp_path_factory.mktemp("outage-logs")
    running = {}
    try:
        for name, url in urls.items():
            running[name] = AppServer(
                {**environment, "REDIS_URL": url}, gunicorn=False, log=logs / f"{name}.log"
            )
        yield {name: server.base for name, server in running.items()}, running
    finally:
        for server in running.values():
            server.stop()
        hung.close()


def request(base, path, data=None, headers=None, method=None):
    req = urllib.request.Request(
        base + path, data=data, headers={"Host": "localhost", **(headers or {})}, method=method
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(req, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def spelling(n: int) -> str:
    """``localhost`` in the n-th of its 512 spellings by case: the same site."""
    return "".join(c.upper() if n >> i & 1 else c for i, c in enumerate("localhost"))


def read(base, method, n):
    variables = {"site": spelling(n)}
    started = time.perf_counter()
    if method == "GET":
        query = urllib.parse.urlencode({"query": QUERY, "variables": json.dumps(variables)})
        status, headers, body = request(base, f"/graphql/?{query}")
    else:
        data = json.dumps({"query": QUERY, "variables": variables}).encode()
        status, headers, body = request(
            base, "/graphql/", data, {"Content-Type": "application/json"}
        )
    elapsed = time.perf_counter() - started
    answer = json.loads(body)
    assert status == 200 and "errors" not in answer, body[:300]
    assert answer["data"]["article"]["title"] == "文章0"
    return elapsed, headers.get("X-Cache")


def medians(bases, method):
    """p50 in ms: per server, of the same read again (kept when Redis works) and of reads
    with a new cache key each time; requests interleaved across servers."""
    times = {(name, kind): [] for name in bases for kind in ("same", "new")}
    caches = {name: [] for name in bases}
    offset = 1 if method == "GET" else 100  # new keys, not the GET's
    for name in bases:  # warm up: modules, connections, the breaker's first trip
        for n in range(3):
            read(bases[name], method, 0)
            read(bases[name], method, 400 + offset + n)
    for n in range(ROUNDS):
        for name, base in bases.items():
            elapsed, x_cache = read(base, method, 0)
            times[name, "same"].append(elapsed)
            caches[name].append(x_cache)
            times[name, "new"].append(read(base, method, offset + n + 1)[0])
    return {key: statistics.median(values) * 1000 for key, values in times.items()}, caches


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_reads_keep_their_speed_with_redis_hung_or_refused(servers, method):
    bases, _ = servers
    p50, caches = medians(bases, method)
    report = ", ".join(f"{name}/{kind} {ms:.1f} ms" for (name, kind), ms in p50.items())
    print(method, "p50:", report)  # shown with -rP: the margin, run to run
    # The working server keeps and serves answers; the others cannot.
    assert set(caches["working"]) == {"HIT"}, report
    assert set(caches["hung"]) == set(caches["refused"]) == {"MISS"}, report
    afresh = p50["working", "new"]
    for outage in ("hung", "refused"):
        for kind in ("same", "new"):
            assert p50[outage, kind] <= 1.5 * afresh, report


def login(base):
    status, headers, body = request(base, "/admin/login/")
    assert status == 200, body[:300]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
    form = urllib.parse.urlencode(
        {"username": "admin", "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    return request(base, "/admin/login/", form, {"Cookie": f"csrftoken={cookie}"})


@pytest.mark.parametrize("outage", ["hung", "refused"])
def test_logins_are_refused_with_a_clear_answer_while_redis_is_out(servers, outage):
    bases, _ = servers
    status, headers, body = login(bases[outage])
    assert status == 503, body[:300]
    assert "登录服务暂时不可用" in body.decode()
    assert headers["Cache-Control"] == "no-store"
    assert headers.get("Retry-After")
    # The same account and password work where Redis works.
    assert login(bases["working"])[0] == 302


def test_the_outage_is_logged_once_per_trip_not_per_request(servers):
    bases, running = servers
    for _ in range(20):
        read(bases["refused"], "POST", 0)
    running["refused"].stop()
    log = running["refused"].log.read_text()
    trips = log.count("unreachable (")
    # Refused all along: one trip, its failed probes after each cool-down are not news.
    assert trips == 1, log[-2000:]
    assert "Rate limit cache unreachable" not in log
    assert "Traceback" not in log, log[-2000:]

"""`make bench`: our GraphQL (uncached, cached) against Wagtail's API v2 and a static file.

Seeds 10,000 articles into PostgreSQL (BENCH_DATABASE_URL), serves the app with gunicorn
(settings benchmarks.settings: production plus API v2), loads it with wrk from this process's
child and prints requests/s, p50/p99 latency, ratios, SQL queries per request and the
resident memory of each worker. Each load run lasts BENCH_SECONDS (10).
"""

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
from settings.env import env, env_int  # noqa: E402

DATABASE_URL = env("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cms_bench")
# The list's latency at 100 articles is measured on a database of its own ("<name>_100").
SMALL_DATABASE_URL = DATABASE_URL + "_100"
REDIS_URL = env("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
ARTICLES = env_int("BENCH_ARTICLES", 10000)
SECONDS = env_int("BENCH_SECONDS", 10)
WORKERS = env_int("WEB_WORKERS", 2)
CONNECTIONS = env_int("BENCH_CONNECTIONS", 8)
PYTHON = str(BASE_DIR / ".venv" / "bin" / "python")
SEED_SLUG = "持续优化便民生活圈"  # cms.demo.articles.SEED_SLUG: the full seed article
STATIC_DIR = BASE_DIR / "var" / "bench-static"

LIST = (
    "{ articles(perPage: 10) { items { id title summary publishedAt url categories { name }"
    ' cover { alt rendition(filter: "fill-320x180") { url width height } } } } }'
)
ARTICLE = (
    "query($id: ID) { article(id: $id) { id title subtitle summary publishedAt url"
    ' categories { name } cover { alt rendition(filter: "fill-640x360") { url width height } }'
    " body { blockType ... on HeadingBlock { text level } ... on ParagraphBlock { html }"
    " ... on QuoteBlock { html speakerName speakerRole }"
    ' ... on FigureBlock { caption alt image { rendition(filter: "max-800x800") { url } } }'
    " ... on MediaEmbedBlock { url title caption } }"
    " sources { name url } recommendedReading { title url } } }"
)
ENV = {
    "PATH": "/usr/bin:/bin",
    "PYTHONPATH": str(BASE_DIR),
    "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
    "ALLOWED_HOSTS": "localhost,127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "CACHE_KEY_PREFIX": "bench",
    "DB_CONN_MAX_AGE": "600",
    "STATIC_ROOT": str(STATIC_DIR),
    "MEDIA_ROOT": str(BASE_DIR / "var" / "bench-media"),
    "LOG_LEVEL": "WARNING",
    # wrk sends thousands of requests a second from one address: the per-address limit stays
    # on (its Redis counter is part of every request's cost) but high enough not to refuse.
    "CMS_API_RATE_LIMIT_PER_IP": "100000000",
    # A worker recycled mid-run would measure its start-up, not its steady state.
    "WEB_MAX_REQUESTS": "0",
}


def manage(*args, extra=None, database=DATABASE_URL):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        env={**ENV, "DATABASE_URL": database, **(extra or {})},
        cwd=BASE_DIR,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def ensure_database(database):
    import psycopg

    name = database.rsplit("/", 1)[1]
    with psycopg.connect(database.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    print(f"{name}: migrating, loading the demo content ...", flush=True)
    manage("migrate", "--noinput", "-v0", database=database)
    manage("load_demo_content", database=database)


def seed(count, database):
    print(
        manage(
            "shell",
            "-c",
            f"import sys; sys.argv=['', '{count}']; exec(open('benchmarks/seed.py').read())",
            database=database,
        )
        .strip()
        .splitlines()[0],
        flush=True,
    )


class Server:
    def __init__(self, cache: bool, database=DATABASE_URL):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        extra = {"PORT": str(self.port), "WEB_WORKERS": str(WORKERS), "DATABASE_URL": database}
        extra["CMS_API_CACHE_TIMEOUT"] = "300" if cache else "0"
        self.process = subprocess.Popen(
            [str(BASE_DIR / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "cms.wsgi"],
            env={**ENV, **extra},
            cwd=BASE_DIR,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(200):
            try:
                self.get("/graphql/?query=%7B__typename%7D")
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("the server did not start")

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=60) as response:
            return response.read()

    def worker_rss_mb(self):
        out = subprocess.run(
            ["ps", "-o", "rss=", "--ppid", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        return [round(int(kb) / 1024, 1) for kb in out]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def gql_path(query, variables=None):
    params = {"query": query}
    if variables:
        params["variables"] = json.dumps(variables)
    return "/graphql/?" + urllib.parse.urlencode(params)


def wrk(url):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label):
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"{url}: {non2xx.group(1)} failed responses")
    return {"rps": rps, "p50": ms("50%"), "p99": ms("99%")}


SQL_COUNT = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="localhost")
counts = {}
for name, path in json.loads(PATHS).items():
    client.get(path)  # warm: renditions exist
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200, path
    counts[name] = len(queries)
print(json.dumps(counts))
"""


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: sudo apt-get install -y wrk")
    for database, count in ((SMALL_DATABASE_URL, 100), (DATABASE_URL, ARTICLES)):
        ensure_database(database)
        seed(count, database)
    manage("collectstatic", "--noinput", "-v0")

    server = Server(cache=False, database=SMALL_DATABASE_URL)
    small = wrk(server.base + gql_path(LIST))
    server.stop()

    server = Server(cache=False)
    found = json.loads(server.get(gql_path(f'{{ article(slug: "{SEED_SLUG}") {{ id }} }}')))
    if not found.get("data", {}).get("article"):
        raise SystemExit(f"the seed article is missing: {found}")
    seed_id = found["data"]["article"]["id"]
    paths = {
        ("list", "graphql"): gql_path(LIST),
        ("article", "graphql"): gql_path(ARTICLE, {"id": seed_id}),
        (
            "list",
            "api v2",
        ): "/api/v2/pages/?type=articles.ArticlePage&limit=10&order=-first_published_at"
        "&fields=summary,published_at,categories,cover",
        ("article", "api v2"): f"/api/v2/pages/{seed_id}/",
    }
    bench_static = STATIC_DIR / "bench"
    bench_static.mkdir(parents=True, exist_ok=True)
    for kind in ("list", "article"):
        answer = server.get(paths[(kind, "graphql")])
        if json.loads(answer).get("errors"):
            raise SystemExit(f"the {kind} query failed: {answer[:500]}")
        (bench_static / f"{kind}.json").write_bytes(answer)
    server.stop()
    paths[("list", "static")] = "/static/bench/list.json"
    paths[("article", "static")] = "/static/bench/article.json"

    sql = json.loads(
        manage(
            "shell",
            "-c",
            "PATHS = "
            + repr(json.dumps({f"{k}|{v}": p for (k, v), p in paths.items()}))
            + SQL_COUNT,
            extra={"CMS_API_CACHE_TIMEOUT": "0"},
        )
        .strip()
        .splitlines()[-1]
    )

    results = {}
    server = Server(cache=False)
    for key, path in paths.items():
        results[(key[0], "graphql uncached" if key[1] == "graphql" else key[1])] = wrk(
            server.base + path
        )
    rss = server.worker_rss_mb()
    server.stop()
    server = Server(cache=True)
    for kind in ("list", "article"):
        results[(kind, "graphql cached")] = wrk(server.base + paths[(kind, "graphql")])
    rss_cached = server.worker_rss_mb()
    server.stop()

    print(f"\n{ARTICLES} articles, {WORKERS} gunicorn workers, wrk -c{CONNECTIONS} -d{SECONDS}s\n")
    print(f"{'':9}{'variant':18}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'SQL/req':>9}")
    for kind in ("list", "article"):
        for variant in ("graphql uncached", "graphql cached", "api v2", "static"):
            r = results[(kind, variant)]
            source = "graphql" if variant.startswith("graphql") else variant
            queries = 0 if variant == "graphql cached" else sql[f"{kind}|{source}"]
            if variant == "static":
                queries = 0
            print(f"{kind:9}{variant:18}{r['rps']:9.0f}{r['p50']:9.2f}{r['p99']:9.2f}{queries:>9}")
        r = {
            v: results[(kind, v)]["rps"]
            for v in ("graphql uncached", "graphql cached", "api v2", "static")
        }
        print(
            f"{kind:9}ratios: uncached/api v2 {r['graphql uncached'] / r['api v2']:.2f}, "
            f"cached/api v2 {r['graphql cached'] / r['api v2']:.2f}, "
            f"uncached/static {r['graphql uncached'] / r['static']:.2f}, "
            f"cached/static {r['graphql cached'] / r['static']:.2f}\n"
        )
    p50_10k = results[("list", "graphql uncached")]["p50"]
    print(
        f"list p50 uncached: {small['p50']:.2f} ms at 100 articles, {p50_10k:.2f} ms at {ARTICLES}"
        f" ({p50_10k / small['p50']:.2f}x)"
    )
    print(f"resident memory per worker (MB): uncached run {rss}, cached run {rss_cached}")


if __name__ == "__main__":
    main()

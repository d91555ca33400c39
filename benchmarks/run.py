"""`make bench`: our GraphQL (uncached, cached) against Wagtail's API v2, stock wagtail-grapple
and a static file, then the ratios against the targets, then a per-phase profile.

Seeds BENCH_ARTICLES (10,000) articles into PostgreSQL (BENCH_DATABASE_URL) through the model
(its defaults fill every field not given), serves the app with gunicorn (settings
benchmarks.settings: production plus API v2 and stock grapple at bench-only URLs), loads it
with wrk and prints requests/s, p50/p99 latency, SQL queries per request and the resident
memory of each worker. Each load run lasts BENCH_SECONDS (10). The profile mode runs
BENCH_PROFILE_REQUESTS (50) requests per endpoint in process through the whole Django stack
(benchmarks/phases.py).

Exits non-zero on an error (a failed answer, a server that does not start); a target not met
is reported, not an error: `.ci/run` runs this at a smoke size where figures mean nothing.
"""

import json
import math
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
from settings.env import env, env_int  # noqa: E402

DATABASE_URL = env("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cms_bench")
DATABASE_NAME = DATABASE_URL.rsplit("/", 1)[1]
# The list's latency at 100 articles is measured on a database of its own ("<name>_100").
SMALL_DATABASE_URL = DATABASE_URL + "_100"
SMALL_ARTICLES = 100
REDIS_URL = env("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
ARTICLES = env_int("BENCH_ARTICLES", 10000)
SECONDS = env_int("BENCH_SECONDS", 10)
WORKERS = env_int("WEB_WORKERS", 2)
CONNECTIONS = env_int("BENCH_CONNECTIONS", 8)
PROFILE_REQUESTS = env_int("BENCH_PROFILE_REQUESTS", 50)
PYTHON = str(BASE_DIR / ".venv" / "bin" / "python")
SEED_SLUG = "持续优化便民生活圈"  # cms.demo.articles.SEED_SLUG: the full seed article
STATIC_DIR = BASE_DIR / "var" / "bench-static"
GRAPPLE_PATH = "/bench/grapple/"  # benchmarks/urls.py

# The same fields of the same articles, asked of our root queries and of stock grapple's.
LIST_FIELDS = (
    "summary publishedAt categories { name }"
    ' cover { alt rendition(filter: "fill-320x180") { url width height } }'
)
ARTICLE_FIELDS = (
    "subtitle summary publishedAt categories { name }"
    ' cover { alt rendition(filter: "fill-640x360") { url width height } }'
    " body { blockType ... on HeadingBlock { text level } ... on ParagraphBlock { html }"
    " ... on QuoteBlock { html speakerName speakerRole }"
    ' ... on FigureBlock { caption alt image { rendition(filter: "max-800x800") { url } } }'
    " ... on MediaEmbedBlock { url title caption } }"
    " sources { name url } recommendedReading { title url }"
)
LIST = f"{{ articles(perPage: 10) {{ items {{ id title url {LIST_FIELDS} }} }} }}"
ARTICLE = f"query($id: ID) {{ article(id: $id) {{ id title url {ARTICLE_FIELDS} }} }}"
GRAPPLE_LIST = (
    '{ pages(contentType: "articles.ArticlePage", limit: 10, order: "-first_published_at")'
    f" {{ id title url ... on ArticlePage {{ {LIST_FIELDS} }} }} }}"
)
GRAPPLE_ARTICLE = (
    "query($id: ID) { page(id: $id) { id title url"
    f" ... on ArticlePage {{ {ARTICLE_FIELDS} }} }} }}"
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
    # Kept answers of another bench database (another run, CI's smoke run) are not this one's.
    "CACHE_KEY_PREFIX": f"bench-{DATABASE_NAME}",
    "DB_CONN_MAX_AGE": "600",
    "STATIC_ROOT": str(STATIC_DIR),
    "MEDIA_ROOT": str(BASE_DIR / "var" / "bench-media"),
    "LOG_LEVEL": "WARNING",
    # wrk sends thousands of requests a second from one address: the per-address limits stay
    # on (their Redis counters are part of every request's cost) but high enough not to
    # refuse: the API's, and the other public paths' (stock grapple's, API v2's).
    "CMS_API_RATE_LIMIT_PER_IP": "100000000",
    "CMS_PUBLIC_RATE_LIMIT_PER_IP": "100000000",
    # A worker recycled mid-run would measure its start-up, not its steady state.
    "WEB_MAX_REQUESTS": "0",
}

VARIANTS = ("graphql uncached", "graphql cached", "stock grapple", "api v2", "static")
OTHERS = ("stock grapple", "api v2", "static")  # measured beside our uncached GraphQL


def manage(*args, extra=None, database=DATABASE_URL):
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        env={**ENV, "DATABASE_URL": database, **(extra or {})},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def bench_shell(code, extra=None, database=DATABASE_URL):
    """Run ``code`` in `manage.py shell`; its last line of output, as JSON."""
    return json.loads(manage("shell", "-c", code, extra=extra, database=database).splitlines()[-1])


def _server_connection():
    import psycopg

    return psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True)


def database_exists(database):
    with _server_connection() as conn:
        name = database.rsplit("/", 1)[1]
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def ensure_database(database, template=None):
    """Create (from ``template`` when given: copying a migrated database is much faster than
    migrating another), migrate and load the demo content; a kept database is migrated."""
    name = database.rsplit("/", 1)[1]
    if not database_exists(database):
        with _server_connection() as conn:
            if template:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.rsplit("/", 1)[1]}"')
                print(f"{name}: a copy of {template.rsplit('/', 1)[1]}", flush=True)
                return
            conn.execute(f'CREATE DATABASE "{name}"')
    started = time.monotonic()
    print(f"{name}: migrating ...", end=" ", flush=True)
    manage("migrate", "--noinput", "-v0", database=database)
    if not has_seed_article(database):
        print("loading the demo content ...", end=" ", flush=True)
        manage("load_demo_content", database=database)
    print(f"{time.monotonic() - started:.0f} s", flush=True)


def has_seed_article(database):
    import psycopg

    with psycopg.connect(database) as conn:
        query = "SELECT 1 FROM wagtailcore_page WHERE slug = %s AND live"
        return bool(conn.execute(query, [SEED_SLUG]).fetchone())


def article_count(database):
    import psycopg

    with psycopg.connect(database) as conn:
        return conn.execute("SELECT count(*) FROM articles_articlepage").fetchone()[0]


def seed(count, database):
    started = time.monotonic()
    out = manage(
        "shell",
        "-c",
        f"import sys; sys.argv=['', '{count}']; exec(open('benchmarks/seed.py').read())",
        database=database,
    )
    name = database.rsplit("/", 1)[1]
    said = next(line for line in out.splitlines() if line.startswith("seeding"))
    print(f"{name}: {said}, {time.monotonic() - started:.0f} s", flush=True)


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
        for _ in range(300):
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited ({self.process.returncode})")
            try:
                self.get("/graphql/?query=%7B__typename%7D")
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("the server did not start")

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=60) as response:
            return response.read()

    def workers(self):
        return subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()

    def worker_rss_mb(self):
        """Resident memory per worker: the pages each shares with the others counted whole."""
        return [_smaps_mb(pid, "Rss") for pid in self.workers()]

    def worker_pss_mb(self):
        """Proportional memory per worker: each shared page split between its sharers (what
        the machine pays for a worker; the app is loaded before the fork)."""
        return [_smaps_mb(pid, "Pss") for pid in self.workers()]

    def stop(self):
        if self.process.poll() is None:
            # Graceful: the workers first answer what wrk left queued (slow on a busy machine).
            self.process.terminate()
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.process.kill()  # its workers exit when they see their master gone
                self.process.wait()


def _smaps_mb(pid, field):
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return round(int(line.split()[1]) / 1024, 1)
    return math.nan


def warm(server, paths):
    """Each path asked a few times, so every worker has made what it makes on first use (a
    schema, a parsed document) before wrk measures it."""
    for path in paths:
        for _ in range(2 * WORKERS):
            server.get(path)


@contextmanager
def serving(cache: bool, database=DATABASE_URL):
    server = Server(cache, database)
    try:
        yield server
    finally:
        server.stop()


def gql_path(query, variables=None, endpoint="/graphql/"):
    params = {"query": query}
    if variables:
        params["variables"] = json.dumps(variables)
    return endpoint + "?" + urllib.parse.urlencode(params)


def wrk(server, path):
    out = subprocess.run(
        # A slow answer is counted in the latencies, not dropped as wrk's timeout (2 s).
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--timeout",
            "30s",
            "--latency",
            server.base + path,
        ],
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
        raise SystemExit(f"{path[:80]}: {non2xx.group(1)} failed responses")
    # The requests wrk left queued are answered before this one: the next run starts on
    # idle workers.
    server.get("/healthz")
    if "50%" not in out:  # not one answer in the time given (a machine too busy)
        return {"rps": rps, "p50": math.nan, "p99": math.nan}
    return {"rps": rps, "p50": ms("50%"), "p99": ms("99%")}


def answer_of(server, path):
    """The JSON answer at ``path``; an error in it stops the benchmark."""
    try:
        answer = json.loads(server.get(path))
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{path[:80]}: HTTP {error.code} {error.read()[:800]}") from error
    if answer.get("errors"):
        raise SystemExit(f"{path[:80]}: {json.dumps(answer['errors'], ensure_ascii=False)[:800]}")
    return answer


def profile(paths, cache: bool):
    """benchmarks/phases.py in a process of its own, on {name: (endpoint, path)}."""
    code = (
        "from benchmarks.phases import main; "
        f"main({json.dumps(paths, ensure_ascii=False)!r}, {PROFILE_REQUESTS})"
    )
    return bench_shell(code, extra={"CMS_API_CACHE_TIMEOUT": "300" if cache else "0"})


def prepare():
    started = time.monotonic()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: sudo apt-get install -y wrk")
    ensure_database(DATABASE_URL)
    if not database_exists(SMALL_DATABASE_URL) and article_count(DATABASE_URL) <= SMALL_ARTICLES:
        ensure_database(SMALL_DATABASE_URL, template=DATABASE_URL)
    else:
        ensure_database(SMALL_DATABASE_URL)
    seed(SMALL_ARTICLES, SMALL_DATABASE_URL)
    seed(ARTICLES, DATABASE_URL)
    manage("collectstatic", "--noinput", "-v0")
    print(f"prepared in {time.monotonic() - started:.0f} s", flush=True)


def endpoints(server):
    """{(kind, source): path} for the list and the seed article; writes the static copies."""
    found = answer_of(server, gql_path(f'{{ article(slug: "{SEED_SLUG}") {{ id }} }}'))
    if not found["data"]["article"]:
        raise SystemExit(f"the seed article is missing: {found}")
    seed_id = found["data"]["article"]["id"]
    paths = {
        ("list", "graphql"): gql_path(LIST),
        ("article", "graphql"): gql_path(ARTICLE, {"id": seed_id}),
        ("list", "stock grapple"): gql_path(GRAPPLE_LIST, endpoint=GRAPPLE_PATH),
        ("article", "stock grapple"): gql_path(
            GRAPPLE_ARTICLE, {"id": seed_id}, endpoint=GRAPPLE_PATH
        ),
        ("list", "api v2"): "/api/v2/pages/?type=articles.ArticlePage&limit=10"
        "&order=-first_published_at&fields=summary,published_at,categories,cover",
        ("article", "api v2"): f"/api/v2/pages/{seed_id}/",
    }
    bench_static = STATIC_DIR / "bench"
    bench_static.mkdir(parents=True, exist_ok=True)
    ours = {kind: answer_of(server, paths[(kind, "graphql")]) for kind in ("list", "article")}
    for kind, answer in ours.items():
        (bench_static / f"{kind}.json").write_text(json.dumps(answer, ensure_ascii=False))
    # Stock grapple answers the same fields of the same article; a difference would mean the
    # comparison is not like for like.
    stock = answer_of(server, paths[("article", "stock grapple")])["data"]["page"]
    if stock != ours["article"]["data"]["article"]:
        print("warning: stock grapple's article differs from ours", flush=True)
    items = answer_of(server, paths[("list", "stock grapple")])["data"]["pages"]
    if len(items) != len(ours["list"]["data"]["articles"]["items"]):
        print("warning: stock grapple's list has another length than ours", flush=True)
    for kind in ("list", "article"):
        server.get(paths[(kind, "api v2")])
    paths[("list", "static")] = "/static/bench/list.json"
    paths[("article", "static")] = "/static/bench/article.json"
    return paths


def ratio(a, b):
    return a / b if b else math.nan


def ratio_rows(results, memory):
    """(what, ratio, sign, target) for each of the issue's targets."""
    rows = []
    for kind, api_target in (("article", 2.5), ("list", 4.0)):
        uncached = results[(kind, "graphql uncached")]["rps"]
        rows.append(
            (
                f"{kind} uncached / API v2 req/s",
                ratio(uncached, results[(kind, "api v2")]["rps"]),
                ">=",
                api_target,
            )
        )
        rows.append(
            (
                f"{kind} uncached / stock grapple req/s",
                ratio(uncached, results[(kind, "stock grapple")]["rps"]),
                ">=",
                1.5,
            )
        )
    for kind in ("article", "list"):
        cached = results[(kind, "graphql cached")]
        rows.append(
            (
                f"{kind} cached / static file req/s",
                ratio(cached["rps"], results[(kind, "static")]["rps"]),
                ">=",
                0.8,
            )
        )
        rows.append((f"{kind} cached p99 / p50", ratio(cached["p99"], cached["p50"]), "<=", 3.0))
    rows.append(("memory per worker, MB (largest)", max(memory), "<=", 135))
    return rows


def main():
    prepare()
    with serving(cache=False, database=SMALL_DATABASE_URL) as server:
        warm(server, [gql_path(LIST)])
        small = wrk(server, gql_path(LIST))

    # WhiteNoise indexes STATIC_ROOT when a worker starts: the static copies are written
    # before the server that serves them starts.
    with serving(cache=False) as server:
        paths = endpoints(server)
    results = {}
    with serving(cache=False) as server:
        warm(server, [paths[(kind, "graphql")] for kind in ("list", "article")])
        for kind in ("list", "article"):
            results[(kind, "graphql uncached")] = wrk(server, paths[(kind, "graphql")])
        # Our GraphQL's own footprint, before API v2 and grapple load theirs into the workers.
        rss, pss = server.worker_rss_mb(), server.worker_pss_mb()
        warm(server, [paths[(kind, s)] for kind in ("list", "article") for s in OTHERS])
        for source in OTHERS:
            for kind in ("list", "article"):
                results[(kind, source)] = wrk(server, paths[(kind, source)])
        rss_all = server.worker_rss_mb()
    with serving(cache=True) as server:
        for kind in ("list", "article"):
            answer_of(server, paths[(kind, "graphql")])  # kept now: every request a hit
            warm(server, [paths[(kind, "graphql")]])
            results[(kind, "graphql cached")] = wrk(server, paths[(kind, "graphql")])
        rss_cached = server.worker_rss_mb()

    # {variant: (the view it goes through, its key in paths)}
    profiled = {
        "graphql uncached": ("graphql", "graphql"),
        "stock grapple": ("grapple", "stock grapple"),
        "api v2": ("other", "api v2"),
    }
    uncached = profile(
        {
            f"{kind}|{variant}": (view, paths[(kind, source)])
            for kind in ("article", "list")
            for variant, (view, source) in profiled.items()
        },
        cache=False,
    )
    cached = profile(
        {
            f"{kind}|graphql cached": ("graphql", paths[(kind, "graphql")])
            for kind in ("article", "list")
        },
        cache=True,
    )
    report(results, small, (rss, rss_all, rss_cached, pss), uncached, cached)


def report(results, small, memory, uncached, cached):
    """The table, then TARGETS, then PROFILE."""
    rss, rss_all, rss_cached, pss = memory
    sql = {name: row["sql n"] for name, row in {**uncached, **cached}.items()}

    print(f"\n{ARTICLES} articles, {WORKERS} gunicorn workers, wrk -c{CONNECTIONS} -d{SECONDS}s\n")
    print(f"{'':9}{'variant':18}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'SQL/req':>9}")
    for kind in ("list", "article"):
        for variant in VARIANTS:
            r = results[(kind, variant)]
            queries = sql.get(f"{kind}|{variant}", 0)  # a static file: WhiteNoise, no SQL
            print(
                f"{kind:9}{variant:18}{r['rps']:9.0f}{r['p50']:9.2f}{r['p99']:9.2f}{queries:9.0f}"
            )
    p50_big = results[("list", "graphql uncached")]["p50"]
    print(
        f"\nlist p50 uncached: {small['p50']:.2f} ms at {SMALL_ARTICLES} articles, "
        f"{p50_big:.2f} ms at {ARTICLES} ({p50_big / small['p50']:.2f}x)"
    )
    print(
        f"resident memory per worker (MB): our GraphQL uncached {rss}, after API v2 and "
        f"grapple {rss_all}, cached {rss_cached}; proportional (shared pages split), our "
        f"GraphQL uncached {pss}"
    )

    print(f"\nTARGETS{'':34}{'ratio':>8}{'target':>9}")
    for what, value, sign, target in ratio_rows(results, rss + rss_cached):
        met = value >= target if sign == ">=" else value <= target
        verdict = "n/a" if math.isnan(value) else "met" if met else "not met"
        print(f"{what:41}{value:8.2f}{sign:>5}{target:4g}  {verdict}")

    columns = ("total", "parse/validate", "execute", "serialize", "other", "sql ms", "sql n")
    print(
        f"\nPROFILE: ms per request, in process through the Django stack, "
        f"{PROFILE_REQUESTS} requests each (other: middleware, routing, answer cache, headers)"
    )
    print(f"{'':28}" + "".join(f"{c:>15}" for c in columns))
    missing = set()
    for name, row in {**uncached, **cached}.items():
        kind, source = name.split("|")
        phased = source != "api v2"
        cells = [
            f"{row[c]:15.2f}" if phased or c in ("total", "sql ms", "sql n") else f"{'-':>15}"
            for c in columns
        ]
        print(f"{kind + ' ' + source:28}" + "".join(cells))
        missing.update(row["missing"])
    if missing:
        print(f"hooks not found (their phases count as other): {', '.join(sorted(missing))}")


if __name__ == "__main__":
    main()

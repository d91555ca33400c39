"""The uncached GraphQL article and list, in one process: ms per request, SQL per request and
where the time goes (cProfile), without a server or load generator in the way.

    .venv/bin/python benchmarks/profile_uncached.py [--requests N] [--articles N] [--profile]

Seeds PROFILE_DATABASE_URL (default cms_profile) with the demo content and N articles as
``make bench`` does (benchmarks.run), then sends the bench's LIST and ARTICLE queries through
Django's test client to /graphql/ with the response cache off (CMS_API_CACHE_TIMEOUT=0), so
every request resolves. The two queries alternate, so a busy machine slows both alike.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
from benchmarks import run  # noqa: E402
from settings.env import env  # noqa: E402

DATABASE_URL = env("PROFILE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cms_profile")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200, help="of each query")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top list")
    parser.add_argument("--no-seed", action="store_true", help="the database is ready")
    options = parser.parse_args()
    if not options.no_seed:
        run.ensure_database(DATABASE_URL)
        run.seed(options.articles, DATABASE_URL)

    os.environ.update({**run.ENV, "DATABASE_URL": DATABASE_URL, "CMS_API_CACHE_TIMEOUT": "0"})
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    found = client.get(run.gql_path(f'{{ article(slug: "{run.SEED_SLUG}") {{ id }} }}')).json()
    paths = {
        "list": run.gql_path(run.LIST),
        "article": run.gql_path(run.ARTICLE, {"id": found["data"]["article"]["id"]}),
    }
    for name, path in paths.items():
        answer = client.get(path)  # warm: renditions exist, the document is parsed
        assert answer.status_code == 200 and "errors" not in answer.json(), answer.content[:500]
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        print(f"{name}: {len(queries)} SQL queries per request")

    wall = dict.fromkeys(paths, 0.0)
    cpu = dict.fromkeys(paths, 0.0)
    for _ in range(options.requests):
        for name, path in paths.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            wall[name] += time.perf_counter() - start
            cpu[name] += time.process_time() - start_cpu
    for name, path in paths.items():
        # Python function calls per request: the one measure a busy machine does not move.
        profile = cProfile.Profile()
        profile.runcall(client.get, path)
        stats = pstats.Stats(profile)
        print(
            f"{name}: {wall[name] * 1000 / options.requests:.2f} ms wall,"
            f" {cpu[name] * 1000 / options.requests:.2f} ms CPU per request,"
            f" {stats.total_calls} Python calls"
        )
        if options.profile:
            for _ in range(options.requests - 1):
                profile.runcall(client.get, path)
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out)
            stats.sort_stats("cumulative").print_stats(70)
            stats.sort_stats("tottime").print_stats(30)
            print(out.getvalue())


if __name__ == "__main__":
    main()

"""Search benchmark: precision@5, recall and latency of the `search` GraphQL query.

Runs over the demo content plus generated articles, at 1,000 and then 10,000 articles
(--sizes), against the database named by DATABASE_URL (`make bench-search` uses a fresh
SQLite file under var/). Each generated article has one topic; the topic's phrase is in its title
(one article in three) or in its body. An article is relevant to a query when its
topic's phrase holds every query word, or it is a demo article whose text does.

    make bench-search                      # SQLite
    make bench-search BENCH_SEARCH_SIZES=200,500   # a quick check
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search make bench-search

Precision@5 divides by min(5, number of relevant articles). Latency is the whole
GraphQL request through Django (in process, settings.dev), median and 95th percentile
of 3 runs of every query, asking for the first page of 10 hits with excerpts. Every run
searches: the answer cache is off, and the cache the door counts requests in is the
process's memory (settings.dev keeps it in files under var/, whose writes on a busy disk
were most of what was measured).

Then the admin's search, as an editor's browser asks for it (Wagtail's page search, the
explorer's search box and the page chooser, each ranked by relevance; the first page of
results), median of 3 runs of a few queries: the SQL queries each request runs, the time
of its search statements (those reading the index) and of the whole request (mostly the
rendering of Wagtail's admin page).

    .venv/bin/python benchmarks/search_bench.py --again   # measure a bench database again
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")

import django

django.setup()

from django.test.utils import override_settings  # noqa: E402

# See the docstring: every run searches, and counting requests costs no file writes.
override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    CMS_API_CACHE_TIMEOUT=0,
    CMS_API_RATE_LIMIT_PER_IP=10**9,
).enable()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Page  # noqa: E402
from wagtail.search.backends import get_search_backend  # noqa: E402

from articles.factories import ArticlePageFactory, paragraph, story  # noqa: E402
from articles.models import ArticleIndexPage, ArticlePage  # noqa: E402
from cms.search.highlight import plain_text  # noqa: E402

# (query, phrase put into the articles of this topic)
TOPICS = [
    ("托育", "托育"),
    ("普惠托育", "普惠托育"),
    ("托位", "托位"),
    ("便民生活圈", "便民生活圈"),
    ("一刻钟", "一刻钟"),
    ("婴幼儿", "婴幼儿"),
    ("百城万圈", "百城万圈"),
    ("托育机构", "托育机构"),
    ("社区嵌入式服务", "社区嵌入式服务"),
    ("育儿补贴", "育儿补贴"),
    ("生育支持", "生育支持"),
    ("幼儿园", "幼儿园"),
    ("保育照护", "保育照护"),
    ("消防安全", "消防安全"),
    ("膳食营养", "膳食营养"),
    ("疾病防控", "疾病防控"),
    ("家政服务", "家政服务"),
    ("养老服务", "养老服务"),
    ("城市更新", "城市更新"),
    ("税费优惠", "税费优惠"),
    ("运营补贴", "运营补贴"),
    ("中央预算内投资", "中央预算内投资"),
    ("人才培养", "人才培养"),
    ("智慧托育", "智慧托育"),
    ("托育装备", "托育装备"),
    ("早期发展", "早期发展"),
    ("科学育儿", "科学育儿"),
    ("儿童健康管理", "儿童健康管理"),
    ("用人单位办托", "用人单位办托"),
    ("医育结合", "医育结合"),
    ("2035 目标", "2035年远景目标"),
    ("数字化 平台", "数字化服务平台"),
]
# Queries for the seed article only (expected: the demo articles holding every word).
SEED_QUERIES = ["杜希学", "2030 百城万圈", "150.3万", "普惠托育服务体系", "李佳路"]
# Words that appear only as characters across other words (教育|婴儿, 托运|行李):
# every hit is a false one. Plain substring matching would return every article.
NEGATIVE_QUERIES = ["育婴", "运行"]

FILLER = [
    "各地结合实际制定实施方案,明确任务分工和时间表。",
    "有关部门将加强统筹协调,形成工作合力。",
    "会议强调要坚持以人民为中心的发展思想。",
    "相关负责人介绍了下一步工作安排。",
    "记者从发布会上获悉,多项措施将于年内落地。",
    "专家表示,这些举措有助于提升公共服务水平。",
    "文件提出,要完善监测评估机制,定期通报进展情况。",
    "此次活动吸引了众多家庭参与,现场气氛热烈。",
    "调查显示,受访家庭对服务质量的满意度持续提高。",
    "该市将继续推进试点工作,及时总结推广经验。",
    "教育婴儿的方式因家庭而异,需要因材施教。",  # distractor: 育婴 / 婴幼 characters
    "火车托运行李需要提前办理手续。",  # distractor: 托 without 托育 / 托位
]


def client():
    return Client(HTTP_HOST="localhost")


def run_query(http, query):
    body = json.dumps(
        {
            "query": "query($q: String!) { search(query: $q, perPage: 10) "
            "{ totalCount items { page { id } } } }",
            "variables": {"q": query},
        }
    )
    start = time.perf_counter()
    response = http.post("/graphql/", data=body, content_type="application/json")
    elapsed = time.perf_counter() - start
    data = response.json()
    if "errors" in data:
        raise SystemExit(f"{query}: {data['errors']}")
    result = data["data"]["search"]
    ids = [int(item["page"]["id"]) for item in result["items"]]
    return ids, result["totalCount"], elapsed


def all_result_ids(http, query):
    """Every hit (pages of 100), for recall."""
    body_tpl = (
        "query($q: String!, $p: Int) { search(query: $q, perPage: 100, page: $p) "
        "{ hasNextPage items { page { id } } } }"
    )
    ids, page = [], 1
    while True:
        response = http.post(
            "/graphql/",
            data=json.dumps({"query": body_tpl, "variables": {"q": query, "p": page}}),
            content_type="application/json",
        )
        result = response.json()["data"]["search"]
        ids += [int(item["page"]["id"]) for item in result["items"]]
        if not result["hasNextPage"]:
            return ids
        page += 1


def generate(index, start, count, topic_of):
    """Bulk-create `count` live articles under `index` (rows first, then the index)."""
    rng = random.Random(start)
    content_type = ContentType.objects.get_for_model(ArticlePage)
    now = timezone.now()
    pages = []
    for n in range(start, start + count):
        topic = n % len(TOPICS)
        phrase = TOPICS[topic][1]
        sentences = rng.sample(FILLER, 6)
        title = f"第{n}期 " + (f"{phrase}工作取得新进展" if n % 3 == 0 else "工作动态")
        if n % 3:
            sentences.insert(rng.randrange(len(sentences)), f"会议专题研究了{phrase}相关工作。")
        slug = f"bench-{n}"
        pages.append(
            (
                Page(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=content_type,
                    path=Page._get_path(
                        index.path, index.depth + 1, index.numchild + 1 + n - start
                    ),
                    depth=index.depth + 1,
                    numchild=0,
                    url_path=f"{index.url_path}{slug}/",
                    live=True,
                    first_published_at=now,
                    last_published_at=now,
                    locale_id=index.locale_id,
                    translation_key=uuid.uuid4(),
                ),
                "".join(sentences[:2]),
                story(*(paragraph(f"<p>{s}</p>") for s in sentences)),
                now - timezone.timedelta(hours=n),
                topic,
            )
        )
    with transaction.atomic():
        Page.objects.bulk_create([p[0] for p in pages], batch_size=500)
        created = dict(
            Page.objects.filter(slug__in=[p[0].slug for p in pages]).values_list("slug", "id")
        )
        # The article's own row as the tests' factory builds it (the model's defaults fill
        # every field not given: a field added later, canonical_url was one, cannot break
        # the insert), written column by column after its page row.
        fields = ArticlePage._meta.local_concrete_fields
        table = ArticlePage._meta.db_table
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        insert = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        with connection.cursor() as cursor:
            for page, summary, body, published_at, _ in pages:
                article = ArticlePageFactory.build(
                    title=page.title,
                    slug=page.slug,
                    summary=summary,
                    body=body,
                    published_at=published_at,
                )
                article.page_ptr_id = created[page.slug]
                row = [f.get_db_prep_save(getattr(article, f.attname), connection) for f in fields]
                # One execute per row: graphene-django's SQL tracking (left on the connection
                # by the GraphQL requests) cannot log executemany on SQLite.
                cursor.execute(insert, row)
        index.numchild += count
        Page.objects.filter(pk=index.pk).update(numchild=index.numchild)
    for page, *_rest, topic in pages:
        topic_of[created[page.slug]] = topic
    ids = list(created.values())
    backend = get_search_backend()
    for i in range(0, len(ids), 1000):
        backend.add_bulk(ArticlePage, list(ArticlePage.objects.filter(pk__in=ids[i : i + 1000])))


def analyze():
    """Fresh planner statistics, as autovacuum keeps them on a live site: with those of
    an empty table PostgreSQL plans the search for a few rows, not 10,000."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure(label, topic_of, demo_texts):
    http = client()
    run_query(http, "托育")  # warm up (segmenter, caches)
    rows, latencies = [], []
    queries = [query for query, _phrase in TOPICS] + SEED_QUERIES + NEGATIVE_QUERIES
    for query in queries:
        words = query.split()
        # Relevant: the topic's phrase holds every query word (托育 is in 普惠托育 too).
        topics = {t for t, (_q, phrase) in enumerate(TOPICS) if all(w in phrase for w in words)}
        relevant = {pk for pk, t in topic_of.items() if t in topics}
        relevant |= {pk for pk, text in demo_texts.items() if all(w in text for w in words)}
        timings = []
        for _ in range(3):
            ids, total, elapsed = run_query(http, query)
            timings.append(elapsed)
        latencies += timings
        found = set(all_result_ids(http, query))
        top5 = ids[:5]
        if relevant:
            p5 = len([i for i in top5 if i in relevant]) / min(5, len(relevant))
            recall = len(found & relevant) / len(relevant)
        else:
            p5 = recall = None
        false_hits = len(found - relevant)
        rows.append(
            (query, len(relevant), total, false_hits, p5, recall, statistics.median(timings))
        )
    print(f"\n== {label}: {ArticlePage.objects.count()} articles")
    print(f"{'query':<16}{'relevant':>9}{'hits':>7}{'false':>7}{'P@5':>7}{'recall':>8}{'ms':>8}")
    for query, relevant, total, false_hits, p5, recall, ms in rows:
        p5_text = "-" if p5 is None else f"{p5:.2f}"
        recall_text = "-" if recall is None else f"{recall:.2f}"
        print(
            f"{query:<16}{relevant:>9}{total:>7}{false_hits:>7}{p5_text:>7}{recall_text:>8}"
            f"{ms * 1000:>8.1f}"
        )
    latencies.sort()
    scored = [r for r in rows if r[4] is not None]
    print(
        f"mean P@5 {statistics.mean(r[4] for r in scored):.3f}   "
        f"mean recall {statistics.mean(r[5] for r in scored):.3f}   "
        f"false hits {sum(r[3] for r in rows)}   "
        f"latency median {statistics.median(latencies) * 1000:.1f} ms   "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1] * 1000:.1f} ms   "
        f"({len(rows)} queries)"
    )


ADMIN_QUERIES = ["托育", "便民生活圈", "杜希学", "数字化 平台"]


def admin_client():
    user = get_user_model().objects.filter(username="bench-admin").first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench-admin", "", None)
    http = client()
    http.force_login(user)
    return http


def measure_admin(label):
    """The admin's ranked search, as Wagtail's views run it (see the docstring)."""
    http = admin_client()
    home = Page.objects.get(depth=2)
    views = [
        ("page search", reverse("wagtailadmin_pages:search")),
        ("explorer", reverse("wagtailadmin_explore", args=[home.pk])),
        ("page chooser", reverse("wagtailadmin_choose_page_search")),
    ]
    print(f"\n== {label}: the admin's search ({ArticlePage.objects.count()} articles)")
    print(f"{'view':<14}{'query':<14}{'SQL':>6}{'search ms':>12}{'ms':>9}")
    latencies, search_sql = [], []
    for name, url in views:
        http.get(url, {"q": "托育"})  # warm up
        for query in ADMIN_QUERIES:
            timings, sql_times = [], []
            for _ in range(3):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = http.get(url, {"q": query})
                    timings.append(time.perf_counter() - start)
                if response.status_code != 200:
                    raise SystemExit(f"{name} {query}: status {response.status_code}")
                sql_times.append(
                    sum(
                        float(q["time"])
                        for q in queries.captured_queries
                        if "indexentry" in q["sql"]
                    )
                )
            latencies += timings
            search_sql += sql_times
            print(
                f"{name:<14}{query:<14}{len(queries.captured_queries):>6}"
                f"{statistics.median(sql_times) * 1000:>12.1f}"
                f"{statistics.median(timings) * 1000:>9.1f}"
            )
    print(
        f"admin search: search statements median {statistics.median(search_sql) * 1000:.1f} ms, "
        f"whole request median {statistics.median(latencies) * 1000:.1f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes",
        default="1000,10000",
        help="article counts to measure at, ascending, comma-separated (default 1000,10000)",
    )
    parser.add_argument(
        "--again",
        action="store_true",
        help="measure the articles a previous run generated in this database (no --sizes)",
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    call_command("migrate", verbosity=0)
    generated = ArticlePage.objects.filter(slug__startswith="bench-")
    if args.again:
        # Each generated article's topic is in its slug (bench-<n>, topic n % len(TOPICS)).
        topic_of = {
            pk: int(slug.removeprefix("bench-")) % len(TOPICS)
            for pk, slug in generated.values_list("pk", "slug")
        }
        demo_texts = {
            page.pk: page.title + " " + plain_text(page)
            for page in ArticlePage.objects.exclude(pk__in=topic_of)
        }
        analyze()
        measure("again", topic_of, demo_texts)
        measure_admin("again")
        return
    if generated.exists():
        raise SystemExit("This database already holds generated articles; use a fresh one.")
    call_command("load_demo_content", verbosity=0)
    demo_texts = {
        page.pk: page.title + " " + plain_text(page) for page in ArticlePage.objects.all()
    }
    index = ArticleIndexPage.objects.get()
    topic_of = {}
    done = len(demo_texts)
    for target in sizes:
        if target <= done:
            raise SystemExit(f"--sizes: {target} is not above the {done} articles already there")
        started = time.perf_counter()
        generate(index, done, target - done, topic_of)
        print(
            f"\ngenerated and indexed {target - done} articles in "
            f"{time.perf_counter() - started:.1f} s ({connection.vendor})"
        )
        done = target
        analyze()
        measure(f"{target} articles", topic_of, demo_texts)
        measure_admin(f"{target} articles")


if __name__ == "__main__":
    main()

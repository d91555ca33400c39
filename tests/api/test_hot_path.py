"""What keeps an uncached read cheap: no COUNT unless asked, relations fetched only when
selected, documents checked once per process, prefetched renditions served without a
cache write, and one Redis client per pool. Each test fails when the saving is undone."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.core.factories import ImageFactory
from cms.core.models import filter_of
from cms.door import documents

ITEMS = "items { title }"


def sql_of(gql, query, variables=None):
    with CaptureQueriesContext(connection) as queries:
        data = gql(query, variables)
    return data, [q["sql"] for q in queries]


@pytest.fixture
def twelve(article_factory):
    return [article_factory(title=f"第{n}篇") for n in range(12)]


def test_list_without_total_runs_no_count(gql, twelve):
    data, sql = sql_of(gql, f"{{ articles(perPage: 5) {{ hasNextPage {ITEMS} }} }}")
    assert len(data["articles"]["items"]) == 5
    assert data["articles"]["hasNextPage"] is True
    assert not [s for s in sql if "COUNT(" in s.upper()]

    data, sql = sql_of(gql, f"{{ articles(perPage: 5) {{ totalCount totalPages {ITEMS} }} }}")
    assert data["articles"]["totalCount"] == 12
    assert data["articles"]["totalPages"] == 3
    assert [s for s in sql if "COUNT(" in s.upper()]


@pytest.mark.parametrize(
    ("page", "per_page", "expected_items", "has_next"),
    [(1, 12, 12, False), (1, 11, 11, True), (3, 5, 2, False), (2, 6, 6, False), (4, 5, 0, False)],
)
def test_has_next_page_agrees_with_and_without_count(
    gql, twelve, page, per_page, expected_items, has_next
):
    query = "query($p: Int, $n: Int) { articles(page: $p, perPage: $n) { hasNextPage %s %s } }"
    variables = {"p": page, "n": per_page}
    lean = gql(query % ("", ITEMS), variables)["articles"]
    counted = gql(query % ("totalCount", ITEMS), variables)["articles"]
    assert len(lean["items"]) == len(counted["items"]) == expected_items
    assert lean["hasNextPage"] is counted["hasNextPage"] is has_next


def test_relations_are_fetched_only_when_selected(gql, twelve):
    _, lean = sql_of(gql, f"{{ articles {{ {ITEMS} }} }}")
    for table in ("articlesource", "articletag", "recommendedreading", "articlecategory"):
        assert not [s for s in lean if table in s], table

    query = "{ articles { items { title ...More } } } fragment More on ArticlePage { sources { name } tags { name } }"
    _, full = sql_of(gql, query)
    assert [s for s in full if "articlesource" in s]
    assert [s for s in full if "articletag" in s]
    assert not [s for s in full if "recommendedreading" in s]


def test_a_checked_document_is_reused_but_limits_still_see_the_variables(gql, twelve, settings):
    documents.cache().clear()
    query = (
        "query($n: Int) { articles(perPage: $n) { items { title body { blockType "
        "... on ParagraphBlock { html } } sources { name } categories { name } } } }"
    )
    settings.CMS_API_MAX_COST = 200
    assert gql(query, {"n": 1})["articles"]["items"]
    assert len(documents.cache()) == 1
    errors = gql.errors(query, {"n": 100})
    assert errors[0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert documents.cache().hits >= 1


def test_invalid_documents_are_refused_every_time_and_never_kept(gql):
    documents.cache().clear()
    for _ in range(2):
        errors = gql.errors("{ articles { items { nope } } }")
        assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert len(documents.cache()) == 0


def test_a_changed_token_limit_applies_to_a_kept_document(gql, twelve, settings):
    query = "{ articles { items { title summary url } } }"
    assert gql(query)["articles"]["items"]
    settings.CMS_API_MAX_TOKENS = 5
    assert gql.errors(query)[0]["extensions"]["code"] == "QUERY_TOO_LARGE"


def test_prefetched_renditions_are_not_written_back_to_the_cache(gql, article_factory):
    image = ImageFactory()
    for n in range(3):
        article_factory(title=f"图{n}", cover_image=image)
    query = '{ articles { items { cover { rendition(filter: "fill-320x180") { url } } } } }'
    gql(query)  # makes the rendition
    cache.clear()
    items = gql(query)["articles"]["items"]
    assert all(item["cover"]["rendition"]["url"] for item in items)
    assert not [key for key in cache._cache if "rendition" in key.lower()]


def test_each_filter_spec_is_parsed_once_per_process(gql, article_factory):
    for n in range(3):
        article_factory(title=f"图{n}", cover_image=ImageFactory())
    query = '{ articles { items { cover { rendition(filter: "fill-320x180") { url } } } } }'
    gql(query)  # makes the renditions
    filter_of.cache_clear()
    assert all(item["cover"]["rendition"] for item in gql(query)["articles"]["items"])
    used = filter_of.cache_info()
    # The size check and the rendition of each cover: two specs (with and without format).
    assert used.misses == 2
    assert used.hits >= 4


def test_one_redis_client_per_pool(redis_cache):
    first = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client(write=True) is first
    redis_cache.set("hot-path", 1)
    assert redis_cache.incr("hot-path") == 2
    assert redis_cache.get("hot-path") == 2


def test_rate_limit_counts_in_one_round_trip_with_an_expiry(redis_cache):
    from cms.api import ratelimit

    assert ratelimit.hit("hot-path-ip", limit=2, window=60) is None
    assert ratelimit.hit("hot-path-ip", limit=2, window=60) is None
    assert ratelimit.hit("hot-path-ip", limit=2, window=60) > 0
    client = redis_cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match="*api:rl:hot-path-ip:*"))
    assert len(keys) == 1
    assert 0 < client.ttl(keys[0]) <= 65
    assert int(client.get(keys[0])) == 3


BODY_COLUMN = '."body"'  # the article body column, under any table alias


def test_bodies_are_read_only_when_asked(gql, article_factory):
    from articles.factories import RecommendedReadingFactory

    linked = article_factory(title="被推荐")
    article = article_factory(title="主文")
    RecommendedReadingFactory(page=article, article=linked)
    query = '{ article(slug: "%s") { title %s recommendedReading { title article { title %s } } } }'
    body = "body { blockType }"

    _, sql = sql_of(gql, query % (article.slug, "", ""))
    assert not [s for s in sql if BODY_COLUMN in s], sql

    _, main_only = sql_of(gql, query % (article.slug, body, ""))
    assert len([s for s in main_only if BODY_COLUMN in s]) == 1

    data, both = sql_of(gql, query % (article.slug, body, body))
    assert data["article"]["recommendedReading"][0]["article"]["body"] is not None
    assert len([s for s in both if BODY_COLUMN in s]) == 2
    assert len(both) == len(main_only)  # read with the prefetch, not one query per item


def test_a_list_without_bodies_reads_none(gql, twelve):
    _, sql = sql_of(gql, "{ articles { items { title summary } } }")
    assert not [s for s in sql if BODY_COLUMN in s]


def test_the_counter_and_the_kept_answer_come_in_one_round_trip(redis_cache):
    redis_cache.set("hot-path-answer", (7, b"{}", '"e"'))
    count, found = redis_cache.count_in_window(
        "hot-path-counter", 60, ["hot-path-answer", "hot-path-absent"]
    )
    assert count == 1
    assert found == {"hot-path-answer": (7, b"{}", '"e"')}


def test_answers_still_come_when_the_cache_is_down(gql, twelve, settings):
    from tests.support.fakes import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "cms.core.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    settings.CMS_API_CACHE_TIMEOUT = 300
    for _ in range(2):
        assert len(gql("{ articles { items { title } } }")["articles"]["items"]) == 10


def test_the_hit_tally_keeps_its_best_half_past_its_limit(redis_cache, monkeypatch):
    """Many distinct answers hit between two warmings must not grow the tally without end."""
    from cms.core import cache as cache_module

    monkeypatch.setattr(cache_module, "TALLY_MAX", 10)
    for n in range(11):
        redis_cache.set(f"answer-{n}", "x")
        for _ in range(n + 1):  # the later, the more hits
            redis_cache.count_in_window("tally-counter", 60, [f"answer-{n}"], ("tally", 60))
    kept = redis_cache.most_tallied("tally", 20, 20)
    assert len(kept) <= 10
    assert {f"answer-{n}" for n in range(5, 10)} <= set(kept)  # the most hit survive

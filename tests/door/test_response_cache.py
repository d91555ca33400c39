"""The GraphQL answer cache on the real Redis: persisted queries, ETag/304, invalidation.

Answers go through Django's test client; the cache is Django's RedisCache on a fresh key
prefix, as in production (the suite's default keeps the response cache off).
"""

import pytest
import redis
from django.conf import settings as django_settings
from django.test import Client
from wagtail.models import PageViewRestriction

from articles.factories import ArticleCategoryFactory
from cms.api.models import ApiSettings
from tests.support.answer_cache import LIST, REDIS_URL, apq, get, post, titles


def test_second_read_is_served_from_redis(cached, article_factory):
    article_factory(title="第一篇")
    first = post(cached, LIST)
    assert first["X-Cache"] == "MISS"
    second = post(cached, LIST)
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert titles(second) == ["第一篇"]


def test_key_includes_variables_site_and_token(cached, article_factory, site, make_token):
    article_factory(title="一")
    _token, key = make_token(site)
    query = "query($n: Int) { articles(perPage: $n) { items { title } } }"
    assert post(cached, query, {"n": 1})["X-Cache"] == "MISS"
    assert post(cached, query, {"n": 2})["X-Cache"] == "MISS"
    assert post(cached, query, {"n": 1})["X-Cache"] == "HIT"
    assert post(cached, query, {"n": 1}, HTTP_HOST="127.0.0.1")["X-Cache"] == "MISS"
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert post(cached, query, {"n": 1}, **bearer)["X-Cache"] == "MISS"
    assert post(cached, query, {"n": 1}, **bearer)["X-Cache"] == "HIT"


def test_persisted_query_protocol(cached, article_factory):
    article_factory(title="持久化")
    unknown = get(cached, extensions=apq(LIST))
    assert unknown.status_code == 200
    assert unknown.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert unknown["Cache-Control"] == "no-store"

    registered = get(cached, LIST, extensions=apq(LIST))
    assert titles(registered) == ["持久化"]
    by_hash = get(cached, extensions=apq(LIST))
    assert titles(by_hash) == ["持久化"]
    # POST by hash too (Apollo's default before useGETForHashedQueries).
    assert titles(post(cached, None, extensions=apq(LIST))) == ["持久化"]

    wrong = get(cached, "{ articles { totalCount } }", extensions=apq(LIST))
    assert wrong.status_code == 200  # a request error, answered as application/json
    assert wrong.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    bad = get(cached, extensions={"persistedQuery": {"version": 1, "sha256Hash": "x"}})
    assert bad.status_code == 400


def test_cors_answers_name_origin_once_in_vary(cached, site):
    ApiSettings.objects.create(site=site, cors_origins="https://www.example.cn")
    response = get(cached, LIST, HTTP_ORIGIN="https://www.example.cn")
    assert response["Access-Control-Allow-Origin"] == "https://www.example.cn"
    assert response["Vary"].replace(" ", "").split(",").count("Origin") == 1


def test_get_answers_carry_cache_headers_and_304(cached, article_factory, site, make_token):
    article_factory(title="标题")
    response = get(cached, LIST)
    assert response["Cache-Control"] == f"public, max-age={django_settings.CMS_API_HTTP_MAX_AGE}"
    # Origin too: a CDN must not hand an answer without CORS headers to a partner's page.
    assert set(response["Vary"].replace(" ", "").split(",")) >= {"Host", "Authorization", "Origin"}
    etag = response["ETag"]
    assert etag.startswith('"') and len(etag) > 10

    again = get(cached, LIST, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert get(cached, LIST, HTTP_IF_NONE_MATCH='"other"').status_code == 200

    _token, key = make_token(site)
    with_token = get(cached, LIST, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert with_token["Cache-Control"].startswith("private, ")
    # Refusals from the API's door are not kept by anyone either.
    refused = get(cached, LIST, HTTP_AUTHORIZATION="Bearer cms_not-a-real-key")
    assert refused.status_code == 401
    assert refused["Cache-Control"] == "no-store"
    # A POST answer is kept server-side but not by browsers or CDNs.
    assert post(cached, LIST)["Cache-Control"] == "no-store"


def test_answers_with_errors_are_never_kept(cached, article_factory):
    article_factory()
    query = '{ article(id: "abc") { title } }'
    for _ in range(2):
        response = get(cached, query)
        assert response.json()["errors"]
        assert "X-Cache" not in response
        assert "ETag" not in response
        assert response["Cache-Control"] == "no-store"
    etagless = get(cached, query, HTTP_IF_NONE_MATCH="*")
    assert etagless.status_code == 200


def test_mutations_are_never_kept(cached, home):
    mutation = (
        'mutation { submitBookingForm(input: {values: {}, consent: false, formToken: "x"}) { ok } }'
    )
    for _ in range(2):
        response = post(cached, mutation)
        assert response.status_code == 200, response.content
        assert "X-Cache" not in response
        assert response["Cache-Control"] == "no-store"
    assert get(cached, mutation).status_code == 405 or get(cached, mutation).json()["errors"]


def test_publishing_drops_kept_answers(cached, article_factory, django_capture_on_commit_callbacks):
    first = article_factory(title="旧")
    assert titles(post(cached, LIST)) == ["旧"]
    assert post(cached, LIST)["X-Cache"] == "HIT"

    with django_capture_on_commit_callbacks(execute=True):
        first.title = "新"
        first.save_revision().publish()
    response = post(cached, LIST)
    assert response["X-Cache"] == "MISS"
    assert titles(response) == ["新"]

    with django_capture_on_commit_callbacks(execute=True):
        first.unpublish()
    assert titles(post(cached, LIST)) == []


def test_privacy_and_snippet_changes_drop_kept_answers(
    cached, article_factory, django_capture_on_commit_callbacks
):
    article = article_factory(title="公开")
    assert titles(post(cached, LIST)) == ["公开"]
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    assert titles(post(cached, LIST)) == []

    query = "{ articles { totalCount } }"
    post(cached, query)
    assert post(cached, query)["X-Cache"] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        ArticleCategoryFactory()
    assert post(cached, query)["X-Cache"] == "MISS"


def test_changes_not_committed_keep_the_answers(cached, article_factory):
    # Invalidation waits for the commit; before it, other servers still read the old rows.
    article = article_factory(title="稳定")
    post(cached, LIST)
    article.title = "未提交"
    article.save_revision().publish()
    assert post(cached, LIST)["X-Cache"] == "HIT"


def test_a_kept_answer_is_served_before_the_database_is_touched(cached, article_factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article_factory(title="早")
    first = get(cached, LIST)
    assert first["X-Cache"] == "MISS"
    with CaptureQueriesContext(connection) as queries:
        again = get(cached, LIST)
    assert again["X-Cache"] == "HIT"
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert len(queries) == 0, [q["sql"] for q in queries]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_hit_carries_the_headers_of_the_miss(cached, article_factory, site, method):
    """A kept answer is told to browsers, CDNs and CORS clients as the answer made by the
    view was; only X-Cache and the request's own id differ."""
    article_factory(title="头")
    send = get if method == "GET" else post
    headers = {"HTTP_ORIGIN": "https://app.example.cn", "HTTP_ACCEPT_ENCODING": "gzip"}
    ApiSettings.objects.create(site=site, cors_origins="https://app.example.cn")
    miss, hit = send(cached, LIST, **headers), send(cached, LIST, **headers)
    assert (miss["X-Cache"], hit["X-Cache"]) == ("MISS", "HIT")
    assert hit.content == miss.content

    def told(response):
        return {k: v for k, v in response.items() if k not in ("X-Cache", "X-Request-ID")}

    assert told(hit) == told(miss)
    assert "Access-Control-Allow-Origin" in told(hit)


def test_a_kept_answer_costs_one_redis_command(cached, article_factory):
    """The rate-limit counter and the kept answer: one command (a script) on the server,
    not a SET, INCR and MGET that redis-py packs and parses one by one."""
    import threading

    article_factory(title="一条命令")
    assert get(cached, LIST)["X-Cache"] == "MISS"
    monitor_client = redis.Redis.from_url(REDIS_URL)
    prefix = django_settings.CACHES["default"]["KEY_PREFIX"]
    seen, ready = [], threading.Event()

    def watch():
        with monitor_client.monitor() as monitor:
            ready.set()
            for command in monitor.listen():
                if "stop-watching" in command["command"]:
                    return
                if prefix in command["command"] and command.get("client_type") != "lua":
                    seen.append(command["command"].split()[0])

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    ready.wait(5)
    assert get(cached, LIST)["X-Cache"] == "HIT"
    monitor_client.get(f"{prefix}-stop-watching")
    watcher.join(5)
    assert seen == ["EVALSHA"]


def test_a_session_cookie_still_gets_the_right_answer(cached, article_factory):
    article_factory(title="带会话")
    assert titles(get(cached, LIST)) == ["带会话"]
    cached.cookies["sessionid"] = "not-a-session"
    assert titles(get(cached, LIST)) == ["带会话"]


def test_an_answer_kept_for_one_origin_is_not_served_to_another(cached, site, other_site):
    from cms.api.models import ApiSettings

    ApiSettings.objects.create(site=site, cors_origins="https://www.example.cn")
    ApiSettings.objects.create(site=other_site, cors_origins="https://partner.example.org")
    query = '{ articles(site: "localhost") { items { title } } }'
    allowed = get(cached, query, HTTP_ORIGIN="https://www.example.cn")
    assert allowed.status_code == 200
    assert get(cached, query, HTTP_ORIGIN="https://www.example.cn")["X-Cache"] == "HIT"
    # Listed by another site only: refused, though the same query's answer is kept.
    other = get(cached, query, HTTP_ORIGIN="https://partner.example.org")
    assert other.status_code == 403
    assert "X-Cache" not in other


def test_booking_form_over_get_is_never_kept(cached, home):
    # The embed widget reads the form as a persisted query over GET; each answer carries a
    # fresh signed form token, so neither Redis, a browser nor a CDN may keep it.
    from cms.leads.factories import BookingFormPageFactory

    BookingFormPageFactory(parent=home)
    query = "query($site: String) { bookingForm(site: $site) { heading formToken } }"
    registered = get(cached, query, extensions=apq(query))
    by_hash = get(cached, extensions=apq(query))
    tokens = set()
    for response in (registered, by_hash):
        assert response.status_code == 200, response.content
        form = response.json()["data"]["bookingForm"]
        assert form["heading"] == "欢迎预约演示"
        tokens.add(form["formToken"])
        assert response["Cache-Control"] == "no-store"
        assert "ETag" not in response
        assert "X-Cache" not in response
    assert len(tokens) == 2
    # The same form without its token is an ordinary read, kept and cacheable.
    heading = "{ bookingForm { heading } }"
    assert get(cached, heading)["X-Cache"] == "MISS"
    assert get(cached, heading)["ETag"]


def test_extensions_that_are_not_json_are_refused_by_name(cached, db):
    response = cached.get("/graphql/", {"extensions": "{not json"})
    assert response.status_code == 400
    assert "extensions" in response.json()["errors"][0]["message"]


@pytest.mark.slow
def test_no_answer_outlives_the_expiry_of_a_page_it_shows(cached, article_factory):
    import datetime
    import time

    from django.utils import timezone

    article_factory(title="常驻")
    article_factory(title="将过期", expire_at=timezone.now() + datetime.timedelta(seconds=3))
    first = get(cached, LIST)
    assert sorted(titles(first)) == ["将过期", "常驻"]
    assert first["X-Cache"] == "MISS"
    max_age = int(first["Cache-Control"].rsplit("=", 1)[1])
    assert 0 < max_age <= 3  # browsers and CDNs drop it by then too
    assert get(cached, LIST)["X-Cache"] == "HIT"
    time.sleep(3.2)
    # No publish, no scheduler run: the expired article is gone from the next answer.
    after = get(cached, LIST)
    assert titles(after) == ["常驻"]


COVER = '{ article(slug: "pictured") { cover { title } } }'


@pytest.fixture
def pictured(cached, article_factory):
    """An article whose cover sits in a public collection, and a view-restricted one."""
    from wagtail.models import Collection, CollectionViewRestriction

    from cms.core.factories import ImageFactory

    root = Collection.get_first_root_node()
    restricted = root.add_child(name="内部")
    CollectionViewRestriction.objects.create(
        collection=restricted, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    album = root.add_child(name="相册")
    article_factory(slug="pictured", cover_image=ImageFactory(title="照片", collection=album))
    assert post(cached, COVER).json()["data"]["article"]["cover"] == {"title": "照片"}
    assert post(cached, COVER)["X-Cache"] == "HIT"
    return album, restricted


def test_moving_a_collection_under_a_restricted_one_drops_kept_answers(
    cached, pictured, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    album, restricted = pictured
    editor = Client(HTTP_HOST="localhost")
    editor.force_login(get_user_model().objects.create_superuser("admin", "a@example.cn", "pw"))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("wagtailadmin_collections:edit", args=[album.pk]),
            {"name": album.name, "parent": restricted.pk},
        )
    assert response.status_code == 302, response.content
    album.refresh_from_db()
    assert album.get_parent() == restricted
    assert post(cached, COVER).json()["data"]["article"]["cover"] is None


def test_restricting_a_collection_drops_kept_answers(
    cached, pictured, django_capture_on_commit_callbacks
):
    from wagtail.models import CollectionViewRestriction

    album, _restricted = pictured
    with django_capture_on_commit_callbacks(execute=True):
        CollectionViewRestriction.objects.create(
            collection=album, restriction_type=CollectionViewRestriction.LOGIN
        )
    assert post(cached, COVER).json()["data"]["article"]["cover"] is None

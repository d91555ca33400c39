"""The per-client limit on every public path (cms/door/throttle.py), and the wrong-password limit
on Wagtail's view-restriction password forms (cms/door/guesses.py), on the real Redis."""

import json

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from tests.support.fakes import free_port

LIMIT = 3

PUBLIC = {
    "sitemap": ("GET", "/sitemap.xml"),
    "feed": ("GET", "/feeds/articles.atom"),
    "oembed": ("GET", "/oembed?url=http%3A%2F%2Flocalhost%2Farticles%2Fx%2F"),
    "embed-script": ("GET", "/embed/v1.js"),
    "graphql-preflight": ("OPTIONS", "/graphql/"),
    "preflight-elsewhere": ("OPTIONS", "/oembed"),
    "media": ("GET", "/media/images/photo.jpg"),
    "documents": ("GET", "/documents/1/report.pdf"),
    "admin-login": ("GET", "/admin/login/"),
    "landing": ("GET", "/"),
}


@pytest.fixture
def throttled(settings, redis_cache, home):
    settings.CMS_PUBLIC_RATE_LIMIT_PER_IP = LIMIT
    return settings


def send(method, path, ip="192.0.2.10", **headers):
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR=ip)
    headers.setdefault("HTTP_ORIGIN", "https://partner.example.cn")
    headers.setdefault("HTTP_ACCESS_CONTROL_REQUEST_METHOD", "GET")
    return client.generic(method, path, **headers)


@pytest.mark.parametrize("name", PUBLIC)
def test_each_public_path_is_limited_per_client(throttled, name):
    method, path = PUBLIC[name]
    answered = [send(method, path).status_code for _ in range(LIMIT)]
    assert 429 not in answered
    refused = send(method, path)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 61
    assert refused["Cache-Control"] == "no-store"
    text = refused.content.decode()
    if path.startswith(("/graphql/", "/oembed")):
        body = json.loads(text)
        assert "请求过于频繁" in json.dumps(body, ensure_ascii=False)
        assert "RATE_LIMITED" in text
    else:
        assert refused["Content-Type"].startswith("text/plain")
        assert "请求过于频繁" in text
    # Another client is not affected.
    assert send(method, path, ip="192.0.2.11").status_code != 429


def test_one_counter_across_the_public_paths(throttled):
    names = list(PUBLIC)[:LIMIT]
    assert [send(*PUBLIC[name]).status_code != 429 for name in names] == [True] * LIMIT
    assert send(*PUBLIC["media"]).status_code == 429


def test_an_ipv6_client_is_counted_by_its_64(throttled):
    rotating = [f"2001:db8:1:2:{n}::1" for n in range(LIMIT + 1)]
    statuses = [send("GET", "/embed/v1.js", ip=ip).status_code for ip in rotating]
    assert statuses[:LIMIT].count(429) == 0
    assert statuses[LIMIT] == 429
    assert send("GET", "/embed/v1.js", ip="2001:db8:1:3::1").status_code != 429


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_probes_are_never_limited(throttled, path):
    assert [send("GET", path).status_code for _ in range(3 * LIMIT)] == [200] * (3 * LIMIT)


def test_graphql_reads_are_counted_once_by_the_api_not_here(throttled):
    throttled.CMS_API_RATE_LIMIT_PER_IP = 2 * LIMIT
    body = json.dumps({"query": "{ __typename }"})
    statuses = [
        Client(HTTP_HOST="localhost").post("/graphql/", body, "application/json").status_code
        for _ in range(2 * LIMIT + 1)
    ]
    # The API's own limit (2 * LIMIT) decides, not the public one (LIMIT).
    assert statuses == [200] * (2 * LIMIT) + [429]


def test_the_signed_in_admin_is_not_limited(throttled, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@example.cn", "pw-Throttle-1")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    assert 429 not in [client.get("/admin/").status_code for _ in range(3 * LIMIT)]


def test_throttle_fails_open_when_redis_is_down(throttled):
    throttled.CACHES = {
        "default": {
            "BACKEND": "cms.core.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.05, "socket_timeout": 0.05},
        }
    }
    assert 429 not in [send("GET", "/embed/v1.js").status_code for _ in range(3 * LIMIT)]


# Wagtail's password form for a private collection's documents


@pytest.fixture
def restriction(db, redis_cache, settings):
    settings.CMS_PASSWORD_FORM_MAX_FAILURES = 4
    collection = Collection.get_first_root_node().add_child(name="内部资料")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="right-密码",
    )
    document = get_document_model().objects.create(
        title="内部文件", file=ContentFile(b"%PDF-1.4", name="internal.pdf"), collection=collection
    )
    return restriction, document


def guess(restriction, password, ip="192.0.2.10"):
    restriction, document = restriction
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR=ip)
    response = client.post(
        f"/documents/authenticate_with_password/{restriction.pk}/",
        {"password": password, "return_url": document.url},
    )
    return response


def test_password_form_refuses_after_wrong_guesses_even_the_right_one(restriction):
    assert [guess(restriction, f"wrong-{n}").status_code for n in range(4)] == [200] * 4
    refused = guess(restriction, "right-密码")
    assert refused.status_code == 429
    assert "密码错误次数过多" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    # Another address is not locked out by these guesses.
    assert guess(restriction, "right-密码", ip="192.0.2.11").status_code == 302


def test_password_form_counts_an_ipv6_client_by_its_64(restriction):
    guesses = [guess(restriction, "wrong", ip=f"2001:db8:5:6::{n}") for n in range(1, 5)]
    assert [response.status_code for response in guesses] == [200] * 4
    assert guess(restriction, "right-密码", ip="2001:db8:5:6::99").status_code == 429
    assert guess(restriction, "right-密码", ip="2001:db8:5:7::1").status_code == 302


def test_password_form_refuses_a_guess_spread_over_many_addresses(restriction, settings):
    settings.CMS_PASSWORD_FORM_MAX_FAILURES_PER_RESTRICTION = 6
    statuses = [guess(restriction, "wrong", ip=f"203.0.113.{n}").status_code for n in range(6)]
    assert statuses == [200] * 6  # each address below its own limit (4)
    refused = guess(restriction, "right-密码", ip="192.0.2.99")
    assert refused.status_code == 429
    assert "密码错误次数过多" in refused.content.decode()


def test_password_form_lets_the_right_password_in_below_the_limit(restriction):
    assert [guess(restriction, "wrong").status_code for _ in range(3)] == [200] * 3
    assert guess(restriction, "right-密码").status_code == 302
    # A success clears the address's count.
    assert [guess(restriction, "wrong").status_code for _ in range(3)] == [200] * 3
    assert guess(restriction, "right-密码").status_code == 302


def test_password_form_fails_closed_when_redis_is_down(restriction, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.core.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.05, "socket_timeout": 0.05},
        }
    }
    refused = guess(restriction, "right-密码")
    assert refused.status_code == 503
    assert "暂时无法验证密码" in refused.content.decode()

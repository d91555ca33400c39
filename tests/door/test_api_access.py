"""Partners' tokens (scopes, expiry, revocation, rate limits), sites that require a
token, CORS per site and introspection, through /graphql/ as clients call it."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from cms.api import tokens
from cms.api.models import ApiSettings, ApiToken

ARTICLES = "query($site: String) { articles(site: $site) { totalCount } }"


def post(
    query, variables=None, token=None, origin=None, ip="203.0.113.7", host="localhost", accept=None
):
    headers = {"HTTP_HOST": host, "REMOTE_ADDR": ip}
    if accept is not None:
        headers["HTTP_ACCEPT"] = accept
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if origin is not None:
        headers["HTTP_ORIGIN"] = origin
    return Client().post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **headers,
    )


def codes(response) -> set[str]:
    return {error["extensions"]["code"] for error in response.json().get("errors", [])}


# Tokens


def test_token_is_stored_hashed_and_reads_its_sites(site, make_token, article_factory):
    article_factory(title="公开")
    token, raw = make_token(site)
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in (stored.key_hash, stored.prefix)
    assert stored.key_hash == tokens.digest(raw)
    response = post(ARTICLES, token=raw)
    assert response.status_code == 200, response.json()
    assert response.json()["data"] == {"articles": {"totalCount": 1}}


def test_token_cannot_read_a_site_it_is_not_scoped_to(site, other_site, make_token):
    _, raw = make_token(site)
    allowed = post(ARTICLES, {"site": "localhost"}, token=raw)
    assert allowed.status_code == 200, allowed.json()
    refused = post(ARTICLES, {"site": "other.example.com"}, token=raw)
    assert refused.status_code == 403
    assert codes(refused) == {"FORBIDDEN"}
    assert refused.json()["data"] is None


@pytest.mark.parametrize(
    "fields",
    [
        {"revoked": True},
        {"expires_at": timezone.now() - datetime.timedelta(seconds=1)},
    ],
    ids=["revoked", "expired"],
)
def test_revoked_or_expired_token_is_refused(site, make_token, fields):
    _, raw = make_token(site, **fields)
    response = post(ARTICLES, token=raw)
    assert response.status_code == 401
    assert codes(response) == {"UNAUTHENTICATED"}
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "data" not in response.json()


def test_token_that_expires_later_is_accepted(site, make_token):
    _, raw = make_token(site, expires_at=timezone.now() + datetime.timedelta(days=1))
    assert post(ARTICLES, token=raw).status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Bearer cms_" + "x" * 43, "Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer"],
)
def test_unknown_or_malformed_token_is_refused(site, header):
    response = Client().post(
        "/graphql/",
        data=json.dumps({"query": ARTICLES}),
        content_type="application/json",
        HTTP_HOST="localhost",
        HTTP_AUTHORIZATION=header,
    )
    assert response.status_code == 401
    assert codes(response) == {"UNAUTHENTICATED"}


def test_anonymous_reads_stay_allowed_by_default(site, article_factory):
    article_factory()
    assert post(ARTICLES).json()["data"] == {"articles": {"totalCount": 1}}


def test_site_that_requires_a_token_refuses_anonymous_reads(site, make_token, article_factory):
    article = article_factory(slug="only-partners")
    ApiSettings.objects.create(site=site, require_token=True)
    for query in (
        ARTICLES,
        '{ article(slug: "only-partners") { title } }',
        f"{{ page(id: {article.id}) {{ title }} }}",
        # Shared by all sites, yet read under the site's rules too.
        "{ articleCategories { name } }",
        "{ serviceAreas { name } }",
        "{ siteChrome { mainMenu { label } } }",
    ):
        response = post(query)
        assert response.status_code == 401, response.json()
        assert codes(response) == {"UNAUTHENTICATED"}
        assert article.title not in response.content.decode()
    _, raw = make_token(site)
    answered = post('{ article(slug: "only-partners") { title } }', token=raw)
    assert answered.json()["data"] == {"article": {"title": article.title}}


def test_requiring_a_token_on_one_site_leaves_the_other_open(site, other_site):
    ApiSettings.objects.create(site=site, require_token=True)
    assert post(ARTICLES, {"site": "other.example.com"}).status_code == 200
    assert post(ARTICLES, {"site": "localhost"}).status_code == 401


# Rate limits, on the real Redis


def test_token_rate_limit(site, make_token, redis_cache):
    _, raw = make_token(site, rate_limit=3)
    _, other_raw = make_token(site, name="另一个")
    statuses = [post(ARTICLES, token=raw).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = post(ARTICLES, token=raw)
    assert codes(limited) == {"RATE_LIMITED"}
    assert 1 <= int(limited["Retry-After"]) <= 61
    assert post(ARTICLES, token=other_raw).status_code == 200
    assert any(key for key in redis_cache._cache.get_client().scan_iter(match="*api:rl:token:*"))


def test_ip_rate_limit_for_anonymous_clients(site, redis_cache, settings):
    settings.CMS_API_RATE_LIMIT_PER_IP = 2
    statuses = [post(ARTICLES, ip="198.51.100.1").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert post(ARTICLES, ip="198.51.100.2").status_code == 200


def test_ip_rate_limit_counts_an_ipv6_client_by_its_64(site, redis_cache, settings):
    settings.CMS_API_RATE_LIMIT_PER_IP = 2
    # A client rotating through the addresses of its /64 is one client.
    statuses = [post(ARTICLES, ip=f"2001:db8:1:2::{n}").status_code for n in range(1, 4)]
    assert statuses == [200, 200, 429]
    assert post(ARTICLES, ip="2001:db8:1:3::1").status_code == 200


def test_ip_behind_trusted_proxy_is_taken_from_x_forwarded_for(site, redis_cache, settings):
    settings.CMS_API_RATE_LIMIT_PER_IP = 1
    settings.CMS_API_TRUSTED_PROXIES = 1

    def via_proxy(client_ip):
        return (
            Client()
            .post(
                "/graphql/",
                data=json.dumps({"query": ARTICLES}),
                content_type="application/json",
                HTTP_HOST="localhost",
                REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR=f"1.2.3.4, {client_ip}",
            )
            .status_code
        )

    assert [via_proxy("198.51.100.9"), via_proxy("198.51.100.9")] == [200, 429]
    assert via_proxy("198.51.100.10") == 200  # The spoofable first entry is not the key.


# CORS per site


@pytest.fixture
def origins(site, other_site):
    ApiSettings.objects.create(
        site=site, cors_origins="https://www.example.cn\nhttp://localhost:3000"
    )
    ApiSettings.objects.create(site=other_site, cors_origins="https://partner.example.org")


def preflight(origin):
    return Client().options(
        "/graphql/",
        HTTP_HOST="localhost",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )


def test_preflight_allows_listed_origins_only(origins):
    allowed = preflight("https://www.example.cn")
    assert allowed.status_code == 204
    assert allowed["Access-Control-Allow-Origin"] == "https://www.example.cn"
    assert "Authorization" in allowed["Access-Control-Allow-Headers"]
    assert "POST" in allowed["Access-Control-Allow-Methods"]
    assert "Origin" in allowed["Vary"]
    refused = preflight("https://evil.example.net")
    assert "Access-Control-Allow-Origin" not in refused


def test_origin_reads_only_the_sites_that_list_it(origins):
    own = post(ARTICLES, {"site": "localhost"}, origin="https://www.example.cn")
    assert own.status_code == 200
    assert own["Access-Control-Allow-Origin"] == "https://www.example.cn"
    foreign = post(ARTICLES, {"site": "other.example.com"}, origin="https://www.example.cn")
    assert foreign.status_code == 403
    assert codes(foreign) == {"FORBIDDEN"}
    partner = post(ARTICLES, {"site": "other.example.com"}, origin="https://partner.example.org")
    assert partner.status_code == 200


def test_unlisted_origin_gets_no_cors_headers_and_no_content(origins, article_factory):
    article_factory(title="公开")
    response = post(ARTICLES, {"site": "localhost"}, origin="https://evil.example.net")
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response


def test_server_to_server_calls_without_origin_are_not_affected_by_cors(origins):
    assert post(ARTICLES, {"site": "other.example.com"}).status_code == 200


# Introspection


INTROSPECTION = "{ __schema { queryType { name } } }"
SPEC = "application/graphql-response+json"


def test_introspection_is_refused_to_anonymous_clients_by_default(site):
    response = post(INTROSPECTION, accept=SPEC)
    assert response.status_code == 400
    assert "introspection" in response.json()["errors"][0]["message"]
    assert post('{ __type(name: "ArticlePage") { name } }', accept=SPEC).status_code == 400
    # Legacy application/json clients get the same refusal as a GraphQL error, with 200.
    legacy = post(INTROSPECTION)
    assert legacy.status_code == 200
    assert legacy.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_introspection_is_allowed_with_a_valid_token(site, make_token):
    _, raw = make_token(site)
    response = post(INTROSPECTION, token=raw)
    assert response.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


def test_introspection_can_be_switched_off_for_everyone(site, make_token, settings):
    settings.CMS_API_INTROSPECTION = "never"
    _, raw = make_token(site)
    assert post(INTROSPECTION, token=raw, accept=SPEC).status_code == 400


def test_typename_is_not_introspection(site):
    assert post("{ __typename }").json() == {"data": {"__typename": "Query"}}


def test_requests_with_bad_tokens_count_against_the_address(site, redis_cache, settings):
    settings.CMS_API_RATE_LIMIT_PER_IP = 2
    bad = "cms_" + "y" * 43
    statuses = [post(ARTICLES, token=bad, ip="198.51.100.77").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]

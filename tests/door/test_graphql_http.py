"""The HTTP door of /graphql/ as GraphQL over HTTP defines it: one request read from one
place, media types and status codes, refusals as JSON with the request id, and answers a
CDN can keep (no cookie, UTF-8, gzip with an ETag per representation). The answer cache
runs on the real Redis under a fresh key prefix."""

import gzip
import hashlib
import json

import pytest
from django.test import Client

from cms.api.cache_invalidation import _bump
from cms.door import documents

SPEC = "application/graphql-response+json"
LIST = "{ articles { items { title } } }"
COUNT = "{ articles { totalCount } }"
TWO_OPS = "query Titles { articles { items { title } } } query Count { articles { totalCount } }"


@pytest.fixture
def cached(redis_cache, settings):
    settings.CMS_API_CACHE_TIMEOUT = 300
    return Client(HTTP_HOST="localhost")


@pytest.fixture
def client_(db):
    return Client(HTTP_HOST="localhost")


def post(client, body, path="/graphql/", **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(path, data=data, content_type="application/json", **headers)


def apq(query):
    return {
        "persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}
    }


def refused_with(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/")
    body = response.json()
    error = body["errors"][0]
    assert error["extensions"]["requestId"] == response["X-Request-ID"]
    if code is not None:
        assert error["extensions"]["code"] == code, body
    return error


# One request, one meaning: a POST's URL is never read (cache poisoning).


def test_a_query_in_the_url_of_a_post_neither_runs_nor_is_kept_for_it(cached, article_factory):
    article_factory(title="正文查询")
    url = "/graphql/?" + "query=" + COUNT.replace(" ", "+")
    poisoned = post(cached, {"query": LIST}, path=url)
    assert poisoned.json() == {"data": {"articles": {"items": [{"title": "正文查询"}]}}}
    # The URL's query, asked by GET, gets its own answer, not the one just kept.
    honest = cached.get("/graphql/", {"query": COUNT})
    assert honest.json() == {"data": {"articles": {"totalCount": 1}}}
    again = post(cached, {"query": LIST})
    assert again["X-Cache"] == "HIT"
    assert again.content == poisoned.content


def test_variables_in_the_url_of_a_post_are_ignored(cached, article_factory):
    for n in range(3):
        article_factory(title=f"第{n}篇")
    query = "query($n: Int) { articles(perPage: $n) { items { title } } }"
    url = "/graphql/?variables=" + json.dumps({"n": 1})
    answer = post(cached, {"query": query, "variables": {"n": 2}}, path=url)
    assert len(answer.json()["data"]["articles"]["items"]) == 2
    one = cached.get("/graphql/", {"query": query, "variables": json.dumps({"n": 1})})
    assert len(one.json()["data"]["articles"]["items"]) == 1


def test_operation_name_in_the_url_of_a_post_is_ignored(cached, article_factory):
    article_factory(title="操作名")
    url = "/graphql/?operationName=Count"
    answer = post(cached, {"query": TWO_OPS, "operationName": "Titles"}, path=url)
    assert answer.json() == {"data": {"articles": {"items": [{"title": "操作名"}]}}}
    count = cached.get("/graphql/", {"query": TWO_OPS, "operationName": "Count"})
    assert count.json() == {"data": {"articles": {"totalCount": 1}}}


def test_a_get_never_reads_its_body_or_content_type(cached, article_factory):
    # Apollo Client 3 and 4 send Content-Type: application/json on GET.
    article_factory(title="阿波罗")
    registered = cached.get("/graphql/", {"query": LIST, "extensions": json.dumps(apq(LIST))})
    assert registered.status_code == 200, registered.content
    _bump()  # the kept answer is old: the next GET runs the query again
    response = cached.get(
        "/graphql/", {"extensions": json.dumps(apq(LIST))}, CONTENT_TYPE="application/json"
    )
    assert response.status_code == 200, response.content
    assert response["X-Cache"] == "MISS"
    assert response.json() == {"data": {"articles": {"items": [{"title": "阿波罗"}]}}}


# Media types and status codes.


def test_graphql_response_json_is_answered_when_accepted(client_, index):
    ok = post(client_, {"query": "{ __typename }"}, HTTP_ACCEPT=SPEC)
    assert ok.status_code == 200
    assert ok["Content-Type"] == f"{SPEC}; charset=utf-8"
    invalid = post(client_, {"query": "{ articles { nope } }"}, HTTP_ACCEPT=SPEC)
    assert invalid["Content-Type"].startswith(SPEC)
    error = refused_with(invalid, 400, "GRAPHQL_VALIDATION_FAILED")
    assert "nope" in error["message"]
    assert "data" not in invalid.json()


@pytest.mark.parametrize("accept", [None, "application/json", "*/*"])
def test_application_json_clients_get_graphql_errors_with_200(client_, index, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = post(client_, {"query": "{ articles { nope } }"}, **headers)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    refused_with(response, 200, "GRAPHQL_VALIDATION_FAILED")


def test_the_preferred_media_type_wins(client_, index):
    apollo4 = f"{SPEC},application/json;q=0.9"
    assert post(client_, {"query": "{ __typename }"}, HTTP_ACCEPT=apollo4)[
        "Content-Type"
    ].startswith(SPEC)
    legacy_first = f"{SPEC};q=0.5,application/json"
    response = post(client_, {"query": "{ __typename }"}, HTTP_ACCEPT=legacy_first)
    assert response["Content-Type"].startswith("application/json")
    # A q-value outside 0…1 is not a preference above all others.
    inflated = f"{SPEC};q=5,application/json"
    response = post(client_, {"query": "{ __typename }"}, HTTP_ACCEPT=inflated)
    assert response["Content-Type"].startswith("application/json")


def test_an_unacceptable_accept_is_406(client_, index):
    response = post(client_, {"query": "{ __typename }"}, HTTP_ACCEPT="text/html")
    refused_with(response, 406, "NOT_ACCEPTABLE")


def test_a_mutation_over_get_is_405_with_allow(client_, index):
    response = client_.get("/graphql/", {"query": "mutation { __typename }"}, HTTP_ACCEPT=SPEC)
    refused_with(response, 405, "METHOD_NOT_ALLOWED")
    assert response["Allow"] == "GET, POST"


@pytest.mark.parametrize("method", ["put", "delete", "patch", "head"])
def test_other_methods_are_405_with_allow(client_, index, method):
    response = getattr(client_, method)("/graphql/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    if method != "head":
        refused_with(response, 405, "METHOD_NOT_ALLOWED")


def test_an_oversize_json_body_is_413_json(client_, index, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"query": "{ __typename }", "variables": {"x": "托" * 2000}}
    refused_with(post(client_, body), 413, "PAYLOAD_TOO_LARGE")


@pytest.mark.parametrize(
    "body",
    [
        {"query": "{ __typename }", "operationName": {}},
        {"query": "{ __typename }", "operationName": []},
        {"query": "{ __typename }", "operationName": 1},
        {"query": "{ __typename }", "operationName": True},
        {"query": "{ __typename }", "variables": 1},
        {"query": "{ __typename }", "variables": "{}"},
        {"query": "{ __typename }", "variables": [1]},
        {"query": "{ __typename }", "extensions": True},
        {"query": "{ __typename }", "extensions": 0},
        {"query": {"a": 1}},
        {"query": 0},
        {"query": False},
        {"notquery": "{ __typename }"},
    ],
)
@pytest.mark.parametrize("accept", [SPEC, "application/json"])
def test_malformed_parameters_are_400_json_with_the_request_id(client_, index, body, accept):
    refused_with(post(client_, body, HTTP_ACCEPT=accept), 400, "BAD_REQUEST")


@pytest.mark.parametrize("parameter", ["variables", "operationName", "extensions"])
def test_null_parameters_mean_absent(client_, index, parameter):
    response = post(client_, {"query": "{ __typename }", parameter: None}, HTTP_ACCEPT=SPEC)
    assert response.json() == {"data": {"__typename": "Query"}}


def test_variables_nested_a_thousand_deep_are_400_json(client_, index):
    for levels in (1000, 40):
        variables = '{"x": ' + "[" * levels + "]" * levels + "}"
        body = '{"query": "{ __typename }", "variables": ' + variables + "}"
        error = refused_with(post(client_, body), 400, "BAD_REQUEST")
        assert "嵌套过深" in error["message"]
        url = client_.get("/graphql/", {"query": "{ __typename }", "variables": variables})
        assert "嵌套过深" in refused_with(url, 400, "BAD_REQUEST")["message"]


@pytest.mark.parametrize(
    ("accept", "status"), [(SPEC, 400), ("application/json", 200), (None, 200)]
)
def test_an_unknown_or_unchosen_operation_is_a_request_error(client_, index, accept, status):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = post(client_, {"query": TWO_OPS, "operationName": "Nope"}, **headers)
    error = refused_with(response, status, "BAD_REQUEST")
    assert "Nope" in error["message"]
    assert "data" not in response.json()
    several = post(client_, {"query": TWO_OPS}, **headers)
    assert "operationName" in refused_with(several, status, "BAD_REQUEST")["message"]


# Text no later step can encode (a lone surrogate, NUL) is refused where it is read.

UNSTORABLE = ["\ud800", "\udfff", "\x00"]


@pytest.mark.parametrize("cache_on", [True, False])
@pytest.mark.parametrize("bad", UNSTORABLE)
@pytest.mark.parametrize(
    ("parameter", "body"),
    [
        ("query", lambda bad: {"query": "{ __typename } #" + bad}),
        ("operationName", lambda bad: {"query": "{ __typename }", "operationName": bad}),
        ("extensions", lambda bad: {"query": "{ __typename }", "extensions": {"x": [bad]}}),
        ("extensions", lambda bad: {"query": "{ __typename }", "extensions": {bad: 1}}),
    ],
)
def test_unstorable_text_in_a_post_is_400_naming_the_parameter(
    request, index, cache_on, bad, parameter, body
):
    client = request.getfixturevalue("cached" if cache_on else "client_")
    for accept in (SPEC, "application/json"):
        response = post(client, body(bad), HTTP_ACCEPT=accept)
        error = refused_with(response, 400, "BAD_REQUEST")
        assert error["message"].startswith(parameter), error
        assert bad not in error["message"]


@pytest.mark.parametrize("cache_on", [True, False])
@pytest.mark.parametrize("bad", UNSTORABLE)
def test_unstorable_text_in_variables_is_bad_user_input_naming_the_argument(
    request, index, cache_on, bad
):
    # Variables become arguments, which name themselves (cms.api.arguments); NUL the
    # limits refuse first, in any variable. The door only carries them that far: into the
    # cache key, the executor, the logs.
    field = "variables" if bad == "\x00" else "slug"
    client = request.getfixturevalue("cached" if cache_on else "client_")
    query = "query Q($s: String) { article(slug: $s) { title } }"
    for method in ("GET", "POST"):
        variables = {"s": "a" + bad, bad: [bad]}
        if method == "GET":
            response = client.get("/graphql/", {"query": query, "variables": json.dumps(variables)})
        else:
            response = post(client, {"query": query, "variables": variables})
        assert response.status_code == 200, response.content
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["extensions"]["field"] == field


@pytest.mark.parametrize("cache_on", [True, False])
@pytest.mark.parametrize(
    ("parameter", "params"),
    [
        ("query", {"query": "{ __typename } #\x00"}),
        ("operationName", {"query": "{ __typename }", "operationName": "A\x00"}),
        # A URL's own percent-encoding cannot carry a lone surrogate; its JSON can.
        ("extensions", {"query": "{ __typename }", "extensions": '{"x": "\\ud800"}'}),
    ],
)
def test_unstorable_text_in_a_get_is_400_naming_the_parameter(
    request, index, cache_on, parameter, params
):
    client = request.getfixturevalue("cached" if cache_on else "client_")
    error = refused_with(client.get("/graphql/", params), 400, "BAD_REQUEST")
    assert error["message"].startswith(parameter), error


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(client_, index, constant):
    body = '{"query": "query Q($n: Int) { __typename }", "variables": {"n": ' + constant + "}}"
    refused_with(post(client_, body), 400, "BAD_REQUEST")
    for name in ("variables", "extensions"):
        params = {"query": "{ __typename }", name: '{"n": ' + constant + "}"}
        error = refused_with(client_.get("/graphql/", params), 400, "BAD_REQUEST")
        assert error["message"].startswith(name)


@pytest.mark.parametrize("version", ["1.0", "true", '"1"'])
def test_a_persisted_query_version_must_be_the_integer_1(cached, index, version):
    sha = hashlib.sha256(LIST.encode()).hexdigest()
    extensions = '{"persistedQuery": {"version": ' + version + ', "sha256Hash": "' + sha + '"}}'
    for response in (
        cached.get("/graphql/", {"query": LIST, "extensions": extensions}),
        post(cached, '{"query": "' + LIST + '", "extensions": ' + extensions + "}"),
    ):
        assert "版本" in refused_with(response, 400, "BAD_REQUEST")["message"]


# Cheapest checks first.


def test_conflicting_aliases_are_refused_by_the_alias_limit_before_the_spec_rules(client_, index):
    # The same alias with different arguments conflicts: OverlappingFieldsCanBeMerged
    # compares every pair. Were it run first, its GRAPHQL_VALIDATION_FAILED would be here.
    fields = " ".join(("a:title", "a:summary")[n % 2] for n in range(660))
    query = "{ articles { items { " + fields + " } } }"
    assert len(query) < 6600
    response = post(client_, {"query": query}, HTTP_ACCEPT=SPEC)
    assert response.status_code == 400
    codes = {error["extensions"]["code"] for error in response.json()["errors"]}
    assert codes == {"TOO_MANY_ALIASES"}


def test_a_huge_comment_is_refused_by_its_bytes_and_never_kept(client_, index):
    documents.cache().clear()
    query = "# " + "x" * 200_000 + "\n{ __typename }"  # 200 kB, within the body limit
    response = post(client_, {"query": query}, HTTP_ACCEPT=SPEC)
    error = refused_with(response, 400, "QUERY_TOO_LARGE")
    assert "字节" in error["message"]
    assert len(documents.cache()) == 0


def test_the_document_cache_is_bounded_in_bytes_and_entries():
    kept = documents.DocumentCache(max_entries=3)
    for n in range(5):
        kept.put(n, f"doc{n}", size=10, max_bytes=25)
    assert len(kept) == 2 and kept.bytes == 20
    assert kept.get(4) is not None and kept.get(0) is None
    kept.put("big", "x", size=26, max_bytes=25)
    assert kept.get("big") is None
    many = documents.DocumentCache(max_entries=3)
    for n in range(5):
        many.put(n, n, size=1, max_bytes=100)
    assert len(many) == 3


def test_a_persisted_query_is_registered_only_once_it_passed(cached, index, settings):
    for query in ("{ articles { nope } }", "{ articles { " + "items { title } " * 1 + "}"):
        sent = cached.get("/graphql/", {"query": query, "extensions": json.dumps(apq(query))})
        assert sent.json()["errors"]
        by_hash = cached.get("/graphql/", {"extensions": json.dumps(apq(query))})
        error = refused_with(by_hash, 200, "PERSISTED_QUERY_NOT_FOUND")
        assert error["message"] == "PersistedQueryNotFound"
    settings.CMS_API_MAX_QUERY_BYTES = 40
    long_query = "{ articles { items { title summary url } } }"
    cached.get("/graphql/", {"query": long_query, "extensions": json.dumps(apq(long_query))})
    by_hash = cached.get("/graphql/", {"extensions": json.dumps(apq(long_query))})
    refused_with(by_hash, 200, "PERSISTED_QUERY_NOT_FOUND")
    settings.CMS_API_MAX_QUERY_BYTES = 32 * 1024
    ok = cached.get("/graphql/", {"query": long_query, "extensions": json.dumps(apq(long_query))})
    assert ok.status_code == 200 and "errors" not in ok.json()
    assert cached.get("/graphql/", {"extensions": json.dumps(apq(long_query))}).status_code == 200


@pytest.mark.parametrize(
    ("accept", "status"), [(SPEC, 400), ("application/json", 200), (None, 200)]
)
def test_persisted_query_errors_carry_the_request_id(cached, index, accept, status):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    params = {"query": LIST, "extensions": json.dumps(apq(COUNT))}
    # A mismatch is a request error like any other; PersistedQueryNotFound is 200 for every
    # client, as Apollo expects before it sends the query.
    refused_with(
        cached.get("/graphql/", params, **headers), status, "PERSISTED_QUERY_HASH_MISMATCH"
    )
    unknown = cached.get("/graphql/", {"extensions": json.dumps(apq(COUNT))}, **headers)
    refused_with(unknown, 200, "PERSISTED_QUERY_NOT_FOUND")
    bad = {"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}}
    refused_with(cached.get("/graphql/", {"extensions": json.dumps(bad)}), 400, "BAD_REQUEST")


# Answers a CDN can keep.


def test_a_public_answer_sets_no_cookie_and_varies_on_no_cookie(cached, article_factory):
    article_factory(title="无饼干")
    for expected in ("MISS", "HIT"):
        response = cached.get("/graphql/", {"query": LIST}, HTTP_ACCEPT_LANGUAGE="en")
        assert response["X-Cache"] == expected
        assert not response.cookies, response.cookies
        vary = {v.strip() for v in response["Vary"].split(",")}
        assert "Cookie" not in vary and "Accept-Language" not in vary, vary
        assert {"Host", "Authorization", "Origin", "Accept"} <= vary


def test_chinese_text_is_sent_as_utf8(client_, article_factory):
    article_factory(title="托育服务")
    response = client_.get("/graphql/", {"query": LIST})
    assert "托育服务".encode() in response.content
    assert b"\\u" not in response.content


def test_gzip_when_accepted_with_an_etag_per_encoding(cached, article_factory):
    for n in range(12):
        article_factory(title=f"压缩测试文章第{n}篇")
    plain = cached.get("/graphql/", {"query": LIST})
    zipped = cached.get("/graphql/", {"query": LIST}, HTTP_ACCEPT_ENCODING="gzip, br")
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    for response in (plain, zipped):
        assert "Accept-Encoding" in response["Vary"]
    assert plain["ETag"] != zipped["ETag"]
    # Each representation is revalidated against its own tag only.
    headers = {"HTTP_ACCEPT_ENCODING": "gzip"}
    same = cached.get("/graphql/", {"query": LIST}, HTTP_IF_NONE_MATCH=zipped["ETag"], **headers)
    assert same.status_code == 304
    other = cached.get("/graphql/", {"query": LIST}, HTTP_IF_NONE_MATCH=plain["ETag"], **headers)
    assert other.status_code == 200
    assert (
        cached.get("/graphql/", {"query": LIST}, HTTP_IF_NONE_MATCH=plain["ETag"]).status_code
        == 304
    )


@pytest.mark.parametrize(
    ("accept_encoding", "gzipped"),
    [
        ("*;q=0, gzip", True),
        ("gzip;q=0, *", False),
        ("br, gzip;q=0", False),
        ("identity, *;q=0.5", True),
        ("gzip;q=0.001", True),
        ("GZIP ; Q=1", True),
        ("gzip;q=0, gzip", False),
        ("br", False),
        ("", False),
        ("gzip;q=nan", False),
        ("gzip;q=2, *", False),
    ],
)
def test_accept_encoding_is_read_whole(client_, article_factory, accept_encoding, gzipped):
    for n in range(12):
        article_factory(title=f"压缩测试文章第{n}篇")
    response = client_.get("/graphql/", {"query": LIST}, HTTP_ACCEPT_ENCODING=accept_encoding)
    assert response.status_code == 200
    assert (response.get("Content-Encoding") == "gzip") is gzipped


def test_a_kept_json_answer_is_not_served_to_a_graphql_response_json_client(cached, index):
    assert cached.get("/graphql/", {"query": LIST})["X-Cache"] == "MISS"
    spec = cached.get("/graphql/", {"query": LIST}, HTTP_ACCEPT=SPEC)
    assert spec["X-Cache"] == "MISS"
    assert spec["Content-Type"].startswith(SPEC)
    again = cached.get("/graphql/", {"query": LIST}, HTTP_ACCEPT=SPEC)
    assert again["X-Cache"] == "HIT"
    assert again["Content-Type"].startswith(SPEC)


def test_a_tokens_answers_stop_when_its_sites_change(cached, site, other_site, make_token):
    token, raw = make_token(site, other_site)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    query = '{ articles(site: "other.example.com") { items { title } } }'
    assert cached.get("/graphql/", {"query": query}, **bearer).status_code == 200
    assert cached.get("/graphql/", {"query": query}, **bearer)["X-Cache"] == "HIT"
    token.sites.set([site])  # no content change: the generation stays
    refused = cached.get("/graphql/", {"query": query}, **bearer)
    assert refused.status_code == 403
    assert "X-Cache" not in refused

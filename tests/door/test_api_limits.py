"""Validation limits: each over-limit query is refused before it runs (HTTP 400 for a
client accepting application/graphql-response+json), and the same kind of query within
the limit is answered."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def post_raw(client, body, content_type="application/json"):
    return client.post("/graphql/", data=body, content_type=content_type, HTTP_HOST="localhost")


def refused(gql, query, variables=None, code=None):
    """The answer to an over-limit query: HTTP 400, no data, and no SQL run for it."""
    with CaptureQueriesContext(connection) as queries:
        response = gql.post(query, variables, HTTP_ACCEPT="application/graphql-response+json")
    body = response.json()
    assert response.status_code == 400, body
    assert "data" not in body or body["data"] is None
    assert body["errors"][0]["extensions"]["requestId"] == response["X-Request-ID"]
    if code is not None:
        assert code in {error["extensions"]["code"] for error in body["errors"]}, body
    ran = [q["sql"] for q in queries if "statement_timeout" not in q["sql"]]
    assert ran == []
    return body["errors"]


def nested_children(levels: int) -> str:
    query = "title"
    for _ in range(levels):
        query = f"children {{ {query} }}"
    return f'{{ page(urlPath: "/") {{ {query} }} }}'


# Depth


def test_query_deeper_than_the_limit_is_refused(gql, index, settings):
    settings.CMS_API_MAX_DEPTH = 6
    errors = refused(gql, nested_children(6), code="QUERY_TOO_DEEP")  # page + 6 + title = 8
    assert "上限为 6 层" in errors[0]["message"]


def test_query_within_the_depth_limit_is_answered(gql, index, settings):
    settings.CMS_API_MAX_DEPTH = 6
    settings.CMS_API_MAX_COST = 100_000  # four nested lists of 10: this test is about depth
    data = gql(nested_children(4))  # page + 4 + title = 6
    assert data["page"]["children"] == [{"children": []}]


def test_depth_counts_through_fragments(gql, index, settings):
    settings.CMS_API_MAX_DEPTH = 4
    query = (
        'query { page(urlPath: "/") { ...A } } '
        "fragment A on PageInterface { children { ...B } } "
        "fragment B on PageInterface { children { children { title } } }"
    )
    refused(gql, query, code="QUERY_TOO_DEEP")


def test_default_depth_limit_refuses_the_32_level_query(gql, index):
    refused(gql, nested_children(32), code="QUERY_TOO_DEEP")


# Aliases


def test_too_many_aliases_are_refused(gql, index, settings):
    settings.CMS_API_MAX_ALIASES = 3
    query = "{ " + " ".join(f"a{n}: articleCategories {{ name }}" for n in range(4)) + " }"
    errors = refused(gql, query, code="TOO_MANY_ALIASES")
    assert "4 个别名" in errors[0]["message"]


def test_aliases_within_the_limit_are_answered(gql, index, settings):
    settings.CMS_API_MAX_ALIASES = 3
    query = "{ " + " ".join(f"a{n}: articleCategories {{ name }}" for n in range(3)) + " }"
    assert set(gql(query)) == {"a0", "a1", "a2"}


# Document size in tokens


def test_document_with_more_tokens_than_the_cap_is_refused(gql, index, settings):
    settings.CMS_API_MAX_TOKENS = 50
    query = "{ " + "articleCategories { name } " * 20 + "}"  # 4 tokens each
    errors = refused(gql, query, code="QUERY_TOO_LARGE")
    assert "50" in errors[0]["message"]


def test_document_under_the_token_cap_is_answered(gql, index, settings):
    settings.CMS_API_MAX_TOKENS = 50
    assert gql("{ " + "articleCategories { name } " * 10 + "}") == {"articleCategories": []}


# Cost


ARTICLE_FIELDS = "title summary url categories { name } tags { name } sources { name url }"


def test_cost_multiplies_by_the_requested_page_size(gql, index, settings):
    settings.CMS_API_MAX_COST = 1000
    # Per item: 3 + (1 + 10) * 2 + (1 + 20) = 46; 30 items cost more than 1000.
    query = f"query($n: Int) {{ articles(perPage: $n) {{ items {{ {ARTICLE_FIELDS} }} }} }}"
    errors = refused(gql, query, {"n": 30}, code="QUERY_TOO_COMPLEX")
    assert "上限为 1000" in errors[0]["message"]
    data = gql(query, {"n": 20})
    assert data == {"articles": {"items": []}}


def test_cost_counts_literal_page_sizes_and_defaults(gql, index, settings):
    settings.CMS_API_MAX_COST = 1000
    refused(
        gql,
        f"{{ articles(perPage: 30) {{ items {{ {ARTICLE_FIELDS} }} }} }}",
        code="QUERY_TOO_COMPLEX",
    )
    # Without perPage the argument's default (10) counts.
    assert gql(f"{{ articles {{ items {{ {ARTICLE_FIELDS} }} }} }}")["articles"]["items"] == []


def test_cost_of_repeated_fragments_is_computed_without_blowing_up(gql, index):
    # Each fragment doubles the one before: 2**40 fields once expanded.
    fragments = ["fragment F0 on ArticleCategory { name }"]
    for n in range(1, 41):
        fragments.append(
            f"fragment F{n} on ArticleCategory {{ ...F{n - 1} ... on ArticleCategory {{ ...F{n - 1} }} }}"
        )
    query = "{ articleCategories { ...F40 } } " + " ".join(fragments)
    refused(gql, query, code="QUERY_TOO_COMPLEX")


# Page size


@pytest.mark.parametrize("per_page", [101, 5000])
def test_page_size_above_100_is_refused_before_execution(gql, index, per_page):
    errors = refused(
        gql, "query($n: Int) { articles(perPage: $n) { totalCount } }", {"n": per_page}
    )
    assert errors[0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "perPage",
        "requestId": errors[0]["extensions"]["requestId"],
    }


def test_limit_argument_above_100_is_refused(gql, index):
    refused(gql, '{ page(urlPath: "/") { children(limit: 101) { title } } }', code="BAD_USER_INPUT")


def test_page_size_of_100_is_answered(gql, index):
    assert gql("{ articles(perPage: 100) { perPage } }") == {"articles": {"perPage": 100}}


# Specification rules are still applied


def test_misspelled_field_is_refused(gql, index):
    errors = refused(gql, "{ articles { itemz { title } } }")
    assert "itemz" in errors[0]["message"]
    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_unknown_argument_and_wrong_type_are_refused(gql, index):
    refused(gql, "{ articles(pageSize: 3) { totalCount } }")
    refused(gql, '{ articles(perPage: "ten") { totalCount } }')


def test_fragment_cycle_is_refused_not_looped(gql, index):
    query = (
        "{ articleCategories { ...A } } fragment A on ArticleCategory { name ...B } "
        "fragment B on ArticleCategory { slug ...A }"
    )
    refused(gql, query)


def test_suggestions_are_not_sent_by_default(gql, index):
    errors = refused(gql, "{ articles { totalCont } }")
    assert "Did you mean" not in errors[0]["message"]


def test_suggestions_are_sent_where_enabled(gql, index, settings):
    settings.CMS_API_SUGGESTIONS = True
    errors = refused(gql, "{ articles { totalCont } }")
    assert "Did you mean 'totalCount'?" in errors[0]["message"]


# Transport


def test_batches_are_refused(client, index):
    body = json.dumps([{"query": "{ articleCategories { name } }"}] * 2)
    response = post_raw(client, body)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert "批量" in error["message"]
    assert error["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        '"a string"',
        '{"query": 12}',
        '{"query": {"a": 1}}',
        '{"query": "{ articleCategories { name } }", "variables": [1]}',
        '{"query": "{ articleCategories { name } }", "variables": "{not json"}',
        '{"query": "{ articleCategories { name } }", "operationName": 3}',
        "{}",
    ],
)
def test_malformed_requests_are_400_with_errors(client, index, body):
    response = post_raw(client, body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["requestId"] == response["X-Request-ID"]


def test_syntax_error_is_400(gql, index):
    errors = refused(gql, "{ articles { ", code="GRAPHQL_PARSE_FAILED")
    assert errors[0]["message"].startswith("Syntax Error")


def test_the_readme_article_query_is_within_every_limit(gql, article_factory):
    article_factory(slug="seed")
    query = (
        '{ article(slug: "seed") { title publishedAt summary cover { alt rendition(filter: "fill-640x360") { url width height } srcset } '
        "categories { name } tags { name } body { __typename ... on HeadingBlock { text level } ... on ParagraphBlock { html } "
        "... on FigureBlock { alt caption image { srcset(widths: [320, 640]) } } ... on QuoteBlock { html speakerName speakerRole } "
        "... on KeyFiguresBlock { heading figures { label value } } } sources { name url } recommendedReading { title url isExternal } } }"
    )
    assert gql(query)["article"]["title"]


def test_explicit_null_page_arguments_mean_the_defaults(gql, article_factory):
    # Found by the fuzz run: `perPage: null` used to be a TypeError (500-class error).
    article_factory()
    data = gql("{ articles(page: null, perPage: null) { page perPage totalCount } }")
    assert data == {"articles": {"page": 1, "perPage": 10, "totalCount": 1}}


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"\xff\xfe{ articleCategories { name } }", "application/graphql", 415),
        (b"\xff\xfe", "application/json", 400),
        (b'{"query": "{ __typename }"}', "application/json; charset=latin-1", 415),
        (b"--x\r\nContent-Disposition: form-data\r\n\r\n", "multipart/form-data; boundary=x", 415),
        (b"--x\r\n", "multipart/form-data", 415),
    ],
    ids=["graphql", "json-not-utf8", "json-latin1", "multipart-broken", "multipart-no-boundary"],
)
def test_undecodable_bodies_are_4xx_not_500(client, index, body, content_type, status):
    response = client.post("/graphql/", data=body, content_type=content_type, HTTP_HOST="localhost")
    assert response.status_code == status, response.content
    assert response.json()["errors"][0]["extensions"]["requestId"] == response["X-Request-ID"]


def test_a_post_that_is_not_json_is_415_naming_the_type_to_send(client, index):
    # GraphQL over HTTP: a POST is application/json; a form or a bare document is refused
    # rather than read some other way than the answer cache's key was.
    for data, content_type in (
        ("{ articleCategories { name } }", "application/graphql"),
        ("query=%7B+articleCategories+%7B+name+%7D+%7D", "application/x-www-form-urlencoded"),
    ):
        response = client.post(
            "/graphql/", data=data, content_type=content_type, HTTP_HOST="localhost"
        )
        assert response.status_code == 415
        error = response.json()["errors"][0]
        assert "application/json" in error["message"]
        assert error["extensions"]["requestId"] == response["X-Request-ID"]


def test_nul_characters_are_refused_before_reaching_the_database(gql, index):
    # Found by the fuzz run on PostgreSQL: text columns cannot hold NUL (a DataError).
    query = "query($s: String) { article(slug: $s) { title } }"
    errors = refused(gql, query, {"s": "a\x00b"}, code="BAD_USER_INPUT")
    assert "NUL" in errors[0]["message"]
    refused(gql, '{ article(slug: "a\\u0000b") { title } }', code="BAD_USER_INPUT")
    assert gql(query, {"s": "ab"}) == {"article": None}


def test_id_beyond_the_database_range_is_simply_not_found(gql, index):
    assert gql('{ article(id: "99999999999999999999999") { title } }') == {"article": None}
    assert gql('{ page(id: "99999999999999999999999") { title } }') == {"page": None}

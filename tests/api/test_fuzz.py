"""Fuzzing the endpoint over real HTTP: schemathesis generates GraphQL queries (valid and
invalid) for every root field from the schema, fetched by introspection with a partner
token, and posts them to a live server. No answer may be a 500 or lack both ``data``
and ``errors``. Bounded by FUZZ_MAX_EXAMPLES (settings/test.py) so the suite stays short.
Below it, hypothesis sends arbitrary bodies (bytes, JSON of any shape) under every
content type: the transport layer must answer them the same way.
"""

import json

import pytest
import requests
import schemathesis
from django.test import Client
from graphql import (
    ListValueNode,
    NameNode,
    ObjectFieldNode,
    ObjectValueNode,
    StringValueNode,
)
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from articles.factories import ArticleCategoryFactory, paragraph, story
from cms.core.factories import ImageFactory

pytestmark = pytest.mark.slow  # a live server and hundreds of generated queries


def _form_values():
    """GenericScalar (the booking form's values): objects of strings and lists of strings."""
    text = st.text(max_size=30).map(lambda value: StringValueNode(value=value))
    listed = st.lists(text, max_size=3).map(lambda values: ListValueNode(values=tuple(values)))
    keys = st.sampled_from(["name", "mobile", "organisation", "city", "interests", "message", "x"])
    return st.dictionaries(keys, st.one_of(text, listed), max_size=6).map(
        lambda fields: ObjectValueNode(
            fields=tuple(
                ObjectFieldNode(name=NameNode(value=key), value=value)
                for key, value in fields.items()
            )
        )
    )


schemathesis.graphql.scalar("GenericScalar", _form_values())


@pytest.fixture
def content(article_factory):
    category = ArticleCategoryFactory(name="政策解读", slug="policy")
    image = ImageFactory(file__width=640, file__height=360)
    for n in range(3):
        article = article_factory(
            slug=f"fuzz-{n}",
            cover_image=image,
            body=story(
                paragraph("<p>托育服务</p>"),
                {"type": "image", "value": {"image": image.pk, "caption": "", "alt_text": ""}},
            ),
        )
        article.categories.add(category)
        article.tags.add("托育")
        article.save()


def check_answer(response):
    assert response.status_code < 500, (response.status_code, response.text)
    body = response.json()
    assert isinstance(body, dict) and ("data" in body or "errors" in body), body
    headers = {name.lower(): value for name, value in response.headers.items()}
    request_id = headers["x-request-id"]
    request_id = request_id[0] if isinstance(request_id, list) else request_id
    for error in body.get("errors") or []:
        assert error["extensions"]["requestId"] == request_id
        assert error["extensions"]["code"] != "INTERNAL_SERVER_ERROR", error


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_schemathesis_finds_no_500_and_no_answer_without_data_or_errors(
    live_server, content, site, make_token, settings
):
    settings.CMS_API_RATE_LIMIT_PER_IP = 100_000
    _, raw = make_token(site, rate_limit=100_000)
    url = f"{live_server.url}/graphql/"
    auth = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.graphql.from_url(url, headers=auth)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {operation.label for operation in operations} >= {
        "Query.article",
        "Query.articles",
        "Query.articleCategories",
        "Query.page",
    }
    session = requests.Session()
    calls = []

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=settings.FUZZ_MAX_EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def fuzz(case):
                # Anonymous and partner clients alike.
                headers = auth if len(calls) % 2 else {}
                response = case.call(session=session, headers=headers)
                calls.append((response.status_code, "errors" in response.json()))
                check_answer(response)

            fuzz()

    assert len(calls) >= len(operations) * 2
    # Both valid and refused queries were sent (application/json answers refusals with 200).
    assert (200, False) in calls and (200, True) in calls


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)
ENVELOPES = st.fixed_dictionaries(
    {},
    optional={
        "query": st.one_of(JSON_VALUES, st.sampled_from(["{ articles { totalCount } }", "{"])),
        "variables": JSON_VALUES,
        "operationName": JSON_VALUES,
    },
)


@hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.one_of(
        st.binary(max_size=100),
        JSON_VALUES.map(lambda value: json.dumps(value).encode()),
        ENVELOPES.map(lambda value: json.dumps(value).encode()),
    ),
    content_type=st.sampled_from(
        [
            "application/json",
            "application/graphql",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "text/plain",
        ]
    ),
)
def test_any_request_body_gets_data_or_errors_never_a_500(site, body, content_type):
    response = Client().post(
        "/graphql/", data=body, content_type=content_type, HTTP_HOST="localhost"
    )
    assert response.status_code < 500, response.content
    answer = response.json()
    assert isinstance(answer, dict) and ("data" in answer or "errors" in answer), answer

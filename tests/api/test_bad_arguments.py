"""Every argument a client can get wrong answers BAD_USER_INPUT naming it, with a Chinese
message: never INTERNAL_SERVER_ERROR, never a server error in the log.

The arguments are found by introspecting the schema the endpoint serves: every String, ID,
Int, PositiveInt and Date argument of every root field and of every page relation
(children, descendants, ...), so an argument added later is tried too. Each is posted
to /graphql/ as a front end would, the value in the variables.
"""

import json
import logging
import re

import pytest
from graphql import get_introspection_query, graphql_sync

from cms.schema import schema

CHINESE = re.compile(r"[\u4e00-\u9fff]")
LONE_SURROGATE = "\ud800"


def _introspected_types() -> dict:
    result = graphql_sync(schema.graphql_schema, get_introspection_query())
    assert result.errors is None, result.errors
    return {item["name"]: item for item in result.data["__schema"]["types"]}


TYPES = _introspected_types()


def _type_text(ref) -> str:
    if ref["kind"] == "NON_NULL":
        return _type_text(ref["ofType"]) + "!"
    if ref["kind"] == "LIST":
        return f"[{_type_text(ref['ofType'])}]"
    return ref["name"]


def _named(ref) -> str:
    return ref["name"] if ref["ofType"] is None else _named(ref["ofType"])


# Values for the other, required arguments of a field, so that only one is wrong.
FILLERS = {"query": '"托育"', "prefix": '"托"', "path": '"/old/"'}

ROOT_FIELDS = [field for field in TYPES["Query"]["fields"] if field["args"]]
RELATIONS = [field for field in TYPES["PageInterface"]["fields"] if field["args"]]


def _document(field, argument, in_relation: bool) -> str:
    """One operation passing ``$v`` to ``argument`` of ``field``, the field's other
    required arguments filled with valid values."""
    others = [
        f"{other['name']}: {FILLERS[other['name']]}"
        for other in field["args"]
        if other is not argument and other["type"]["kind"] == "NON_NULL"
    ]
    call = ", ".join([f"{argument['name']}: $v", *others])
    selection = f"{field['name']}({call}) {{ __typename }}"
    if in_relation:
        selection = f'page(urlPath: "/") {{ {selection} }}'
    return f"query Wrong($v: {_type_text(argument['type'])}) {{ {selection} }}"


def _cases(scalars: set[str]):
    for in_relation, fields in ((False, ROOT_FIELDS), (True, RELATIONS)):
        for field in fields:
            for argument in field["args"]:
                if _named(argument["type"]) in scalars:
                    label = f"{'page.' if in_relation else ''}{field['name']}.{argument['name']}"
                    yield pytest.param(_document(field, argument, in_relation), argument, id=label)


STRING_CASES = list(_cases({"String", "ID"}))
INT_CASES = list(_cases({"Int", "PositiveInt"}))
ID_CASES = list(_cases({"ID"}))
DATE_CASES = list(_cases({"Date"}))


@pytest.fixture
def server_errors(caplog):
    """Records a server would log as its own fault (errors), or as a value only the
    database refused (the cms.api warning that asks for a validator)."""
    caplog.set_level(logging.WARNING)

    def found():
        return [
            record
            for record in caplog.records
            if record.levelno >= logging.ERROR
            or (record.name == "cms.api" and record.levelno >= logging.WARNING)
        ]

    return found


def assert_refused(gql, document, value, argument_name, server_errors):
    response = gql.post(document, {"v": value})
    body = json.loads(response.content)
    errors = body.get("errors") or []
    assert errors, body
    codes = [error["extensions"]["code"] for error in errors]
    assert "INTERNAL_SERVER_ERROR" not in codes, body
    assert [(e["extensions"]["code"], e["extensions"].get("field")) for e in errors] == [
        ("BAD_USER_INPUT", argument_name)
    ], body
    assert CHINESE.search(errors[0]["message"]), errors[0]
    assert server_errors() == []
    return errors[0]


def test_the_walk_finds_the_arguments_clients_get_wrong():
    found = {param.id for param in STRING_CASES + INT_CASES + DATE_CASES}
    assert {
        "article.slug",
        "article.urlPath",
        "article.token",
        "article.id",
        "articles.category",
        "redirect.path",
        "siteChrome.site",
        "search.dateTo",
        "page.children.offset",
        "page.children.id",
        "page.descendants.searchQuery",
    } <= found
    assert len({param.id for param in STRING_CASES}) > 30


@pytest.mark.parametrize(("document", "argument"), STRING_CASES)
def test_a_lone_surrogate_in_any_string_argument_is_bad_user_input(
    gql, home, server_errors, document, argument
):
    error = assert_refused(gql, document, LONE_SURROGATE, argument["name"], server_errors)
    assert LONE_SURROGATE not in error["message"]  # not echoed back: no client could read it


@pytest.mark.parametrize(("document", "argument"), ID_CASES)
@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "\uff11\uff12", "²"])
def test_an_id_that_is_not_a_number_is_bad_user_input(
    gql, home, server_errors, document, argument, value
):
    error = assert_refused(gql, document, value, argument["name"], server_errors)
    assert error["message"] == f"{argument['name']} 必须是数字。"


@pytest.mark.parametrize(("document", "argument"), ID_CASES)
@pytest.mark.parametrize("value", [str(2**31), str(2**63), "9" * 40])
def test_an_id_beyond_the_databases_integers_is_no_such_page(
    gql, home, server_errors, document, argument, value
):
    # A well-formed number naming no row: an empty answer, not an error (nor a DataError).
    response = gql.post(document, {"v": value})
    body = json.loads(response.content)
    assert "errors" not in body, body
    assert server_errors() == []


@pytest.mark.parametrize(("document", "argument"), INT_CASES)
def test_a_negative_number_is_bad_user_input(gql, home, server_errors, document, argument):
    assert_refused(gql, document, -1, argument["name"], server_errors)


@pytest.mark.parametrize(
    ("document", "argument"),
    [case for case in INT_CASES if _named(case.values[1]["type"]) == "PositiveInt"],
)
@pytest.mark.parametrize("value", [1e30, 2**31, 2**70, 0.5])
def test_an_offset_or_limit_beyond_int_is_bad_user_input(
    gql, home, server_errors, document, argument, value
):
    assert_refused(gql, document, value, argument["name"], server_errors)


@pytest.mark.parametrize(
    ("document", "argument"),
    [case for case in INT_CASES if _named(case.values[1]["type"]) == "Int"],
)
def test_a_number_beyond_graphqls_int_is_refused_by_the_specification(
    gql, home, server_errors, document, argument
):
    # GraphQL's own Int (32 bits) refuses 1e30 while coercing the variables, before any
    # resolver: the specification's error (HTTP 400 in graphql-response+json), never a server
    # error.
    response = gql.post(document, {"v": 1e30}, HTTP_ACCEPT="application/graphql-response+json")
    [error] = response.json()["errors"]
    assert response.status_code == 400
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", error
    assert server_errors() == []


@pytest.mark.parametrize("literal", ["1e30", "3000000000", "-1", "2.5"])
@pytest.mark.parametrize("relation", [field["name"] for field in RELATIONS])
def test_offset_literals_out_of_range_are_bad_user_input(
    gql, home, server_errors, relation, literal
):
    document = f'query Wrong {{ page(urlPath: "/") {{ {relation}(offset: {literal}) {{ id }} }} }}'
    response = gql.post(document)
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"]["field"] == "offset"
    assert server_errors() == []


@pytest.mark.parametrize(("document", "argument"), DATE_CASES)
@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "2025-13-01", "昨天", "2025-1-1"])
def test_a_date_far_off_or_malformed_is_bad_user_input(
    gql, home, server_errors, document, argument, value
):
    assert_refused(gql, document, value, argument["name"], server_errors)


def test_dates_within_range_still_filter(gql, article_factory, server_errors):
    article_factory(slug="a", title="托育日期")
    data = gql(
        'query Dated { search(query: "托育", dateFrom: "1900-01-01", dateTo: "2999-12-31") '
        "{ totalCount } }"
    )
    assert data == {"search": {"totalCount": 1}}
    assert server_errors() == []


@pytest.mark.parametrize(
    "field",
    [
        f["name"]
        for f in TYPES["SubmitBookingFormInput"]["inputFields"]
        if _named(f["type"]) in {"String", "GenericScalar"}
    ],
)
def test_a_lone_surrogate_in_the_booking_input_is_bad_user_input(gql, home, server_errors, field):
    values = {
        "formToken": "t",
        "consent": True,
        "values": {"name": "张三"},
        field: LONE_SURROGATE if field != "values" else {"name": LONE_SURROGATE},
    }
    document = "mutation Book($v: SubmitBookingFormInput!) { submitBookingForm(input: $v) { ok } }"
    assert_refused(gql, document, values, "input", server_errors)


def test_introspection_fields_with_arguments_still_answer(gql, home, settings, server_errors):
    settings.CMS_API_INTROSPECTION = "always"
    data = gql(
        'query Types { __type(name: "ArticlePage") { name fields(includeDeprecated: true) '
        "{ name } } }"
    )
    assert data["__type"]["name"] == "ArticlePage"
    assert server_errors() == []

"""Property tests (hypothesis) for the validators of client and editor input: whatever
comes in, the answer is a clean value or the validator's own error, never a crash."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from graphql import GraphQLError
from hypothesis import given
from hypothesis import strategies as st

from cms.api import tokens
from cms.api.origins import normalise_origin, parse_origins
from cms.api.pages import ORDERABLE_PAGE_FIELDS, checked_order
from cms.door.answers import request_id

LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
HOST = st.lists(LABEL, min_size=1, max_size=4).map(".".join)
ORIGIN = st.builds(
    lambda scheme, host, port: f"{scheme}://{host}" + (f":{port}" if port else ""),
    st.sampled_from(["http", "https"]),
    HOST,
    st.one_of(st.none(), st.integers(1, 65535)),
)


@given(ORIGIN, st.booleans(), st.booleans())
def test_valid_origins_are_normalised_and_idempotent(origin, shout, slash):
    written = (origin.upper() if shout else origin) + ("/" if slash else "")
    normalised = normalise_origin(f"  {written} ")
    assert normalised == origin
    assert normalise_origin(normalised) == normalised


@given(st.text())
def test_any_text_is_an_origin_or_a_validation_error(text):
    try:
        origin = normalise_origin(text)
    except ValidationError:
        return
    assert re.fullmatch(r"https?://[a-z0-9.-]+(:[0-9]{1,5})?", origin)


@given(st.lists(st.one_of(ORIGIN, st.text(max_size=30)), max_size=8))
def test_origin_lists_parse_or_name_each_bad_line(lines):
    text = "\n".join(lines)
    try:
        origins = parse_origins(text)
    except ValidationError as error:
        assert len(error.error_list) >= 1
        return
    assert len(origins) == len(set(origins))
    assert all(normalise_origin(origin) == origin for origin in origins)


@given(st.text())
def test_any_authorization_header_is_none_a_token_or_invalid(header):
    try:
        token = tokens.parse_bearer(header)
    except tokens.InvalidToken:
        return
    assert token is None or token.startswith("cms_")


@given(st.sampled_from(["Bearer", "bearer", "BEARER"]), st.sampled_from([" ", "  ", "\t"]))
def test_generated_tokens_round_trip_through_the_bearer_header(scheme, space):
    raw = tokens.generate()
    assert tokens.parse_bearer(f"{scheme}{space}{raw}") == raw
    assert tokens.digest(raw) != raw and len(tokens.digest(raw)) == 64


@given(st.text())
def test_order_accepts_known_fields_or_refuses_with_a_field_error(order):
    try:
        checked = checked_order(order)
    except GraphQLError as error:
        assert error.extensions == {"code": "BAD_USER_INPUT", "field": "order"}
        return
    for term in (checked or "").split(","):
        if term:
            assert term.lstrip("-") in ORDERABLE_PAGE_FIELDS


@given(st.lists(st.sampled_from(sorted(ORDERABLE_PAGE_FIELDS)), min_size=1), st.booleans())
def test_known_order_fields_are_accepted(fields, descending):
    order = ",".join(("-" if descending else "") + field for field in fields)
    assert checked_order(order) == order


@given(st.text(max_size=100))
def test_request_ids_are_the_clients_when_sane_else_generated(sent):
    request = RequestFactory().get("/graphql/", HTTP_X_REQUEST_ID=sent)
    rid = request_id(request)
    assert re.fullmatch(r"[A-Za-z0-9._-]{8,64}", rid)
    assert rid == sent or len(rid) == 32


@pytest.mark.parametrize(
    "origin", ["https://www.example.cn:0", "https://a..b", "ftp://x.cn", "https://x.cn/path"]
)
def test_examples_of_bad_origins(origin):
    with pytest.raises(ValidationError):
        normalise_origin(origin)

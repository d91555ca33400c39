"""Apollo Client 3 and 4, as front ends set them up, against a live server with Redis.

Automatic persisted queries over GET (``createPersistedQueryLink({ sha256,
useGETForHashedQueries: true })``): the first ask of a query sends only its hash, the
server answers PersistedQueryNotFound, Apollo sends the query once (POST) and from then on
the hash alone, over GET, with ``Content-Type: application/json`` (which Apollo sends on
GET too). A hash-only GET must answer wherever the answer comes from: the answer cache,
or the resolvers after a publish or the answer's expiry. Errors must reach Apollo as
GraphQL errors with their codes, not as a bare network error.
"""

import time
import uuid

import pytest

from tests.support.node_clients import ANSWER_SECONDS, NodeClient, node_command

pytestmark = pytest.mark.slow

SEED_SLUG = "持续优化便民生活圈"


@pytest.fixture(params=["3", "4"], ids=["apollo3", "apollo4"])
def apollo_version(request):
    return request.param


@pytest.fixture
def apollo(apollo_version, app_server):
    """Apollo against the server that keeps answers 300 s."""
    client = NodeClient(node_command("apollo.mjs", apollo_version, app_server.url))
    yield client
    client.close()


@pytest.fixture
def apollo_short_lived(apollo_version, app_server):
    """Apollo against the server that keeps answers ANSWER_SECONDS."""
    client = NodeClient(node_command("apollo.mjs", apollo_version, app_server.short_lived_url))
    yield client
    client.close()


def nonce() -> str:
    return uuid.uuid4().hex[:12]


def steps(answer: dict) -> list[tuple[str, bool, int]]:
    """Each HTTP exchange Apollo made: method, whether the query text went along, status."""
    return [(e["method"], e["sentQuery"], e["status"]) for e in answer["exchanges"]]


def answered(answer: dict) -> dict:
    assert answer["graphQLErrors"] == [] and answer["networkError"] is None, answer
    assert answer["data"] is not None, answer
    return answer["data"]


def register(apollo, query: str) -> dict:
    """First ask: hash only (GET, not found), then the query with its hash (POST)."""
    answer = apollo.ask(query)
    data = answered(answer)
    assert steps(answer) == [("GET", False, 200), ("POST", True, 200)], answer["exchanges"]
    assert all(e["sentHash"] for e in answer["exchanges"]), answer["exchanges"]
    return data


def by_hash_only(apollo, query: str) -> dict:
    """A later ask: one GET with the hash alone, answered."""
    answer = apollo.ask(query)
    answered(answer)
    assert steps(answer) == [("GET", False, 200)], answer["exchanges"]
    return answer


def seed_title_query() -> str:
    return f'query SeedTitle_{nonce()} {{ article(slug: "{SEED_SLUG}") {{ title }} }}'


def test_a_never_seen_query_is_registered_then_answered_by_its_hash_from_the_cache(apollo):
    query = f"query Latest_{nonce()} {{ articles(perPage: 3) {{ items {{ title url }} }} }}"
    first = register(apollo, query)
    assert len(first["articles"]["items"]) == 3

    again = by_hash_only(apollo, query)
    assert again["data"] == first
    assert again["exchanges"][0]["xCache"] == "HIT"
    # What Apollo sends on a GET, which a server must not read as "parse the body".
    assert again["exchanges"][0]["requestContentType"] == "application/json"


def test_hash_only_get_after_a_publish_answers_the_new_content(apollo, app_server):
    query = seed_title_query()
    register(apollo, query)
    assert by_hash_only(apollo, query)["exchanges"][0]["xCache"] == "HIT"

    title = f"持续优化便民生活圈 {nonce()}"
    app_server.publish_title(SEED_SLUG, title)

    after = by_hash_only(apollo, query)
    assert after["data"]["article"]["title"] == title
    assert after["exchanges"][0]["xCache"] == "MISS"


def test_hash_only_get_after_the_answer_expired_answers(apollo_short_lived):
    query = seed_title_query()
    kept = register(apollo_short_lived, query)
    time.sleep(ANSWER_SECONDS + 1)  # past the kept answer's lifetime, not a timed assertion

    after = by_hash_only(apollo_short_lived, query)
    assert after["data"]["article"]["title"] == kept["article"]["title"]
    assert after["exchanges"][0]["xCache"] == "MISS"


def test_booking_form_token_three_times(apollo):
    query = f"query BookingForm_{nonce()} {{ bookingForm {{ formToken submitLabel }} }}"
    tokens = [register(apollo, query)["bookingForm"]["formToken"]]
    for _ in range(2):
        answer = by_hash_only(apollo, query)
        assert answer["exchanges"][0]["xCache"] != "HIT"
        tokens.append(answer["data"]["bookingForm"]["formToken"])
    assert all(isinstance(token, str) and token for token in tokens), tokens


def test_a_validation_error_reaches_apollo_as_a_graphql_error_with_its_code(apollo):
    answer = apollo.ask(f"query Misspelled_{nonce()} {{ articles {{ items {{ titel }} }} }}")
    assert answer["networkError"] is None, answer
    assert answer["data"] is None
    codes = {error["code"] for error in answer["graphQLErrors"]}
    assert codes == {"GRAPHQL_VALIDATION_FAILED"}, answer["graphQLErrors"]
    assert "titel" in answer["graphQLErrors"][0]["message"]

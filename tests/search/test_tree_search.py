"""``searchQuery`` on the page relations (children, descendants, siblings, ...) searches
with the Chinese-aware backend and returns only pages ``cms.core.visibility`` allows.

Before, every such query was a server error: the search backend refuses to filter on
``expire_at``, which the visibility rule needs.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.factories import ArticleCategoryFactory, paragraph, story
from cms.core.factories import ImageFactory
from tests.support.hidden_pages import HIDDEN_KINDS, hide

DESCENDANTS = """query Found($q: String) { page(urlPath: "/") {
  descendants(searchQuery: $q) { title } } }"""
CHILDREN = """query Found($q: String) { page(urlPath: "/articles/") {
  children(searchQuery: $q) { title } } }"""


def titles(gql, document, query, **variables):
    data = gql(document, {"q": query, **variables})
    (relation,) = data["page"].values()
    return [page["title"] for page in relation]


def body(text):
    return story(paragraph(f"<p>{text}</p>"))


@pytest.mark.parametrize("document", [DESCENDANTS, CHILDREN], ids=["descendants", "children"])
def test_a_word_only_in_the_body_is_found(gql, index, article_factory, document):
    article_factory(slug="a", title="便民生活圈新闻", body=body("各地推进普惠托育服务体系建设"))
    article_factory(slug="b", title="社区食堂", body=body("老年助餐服务"))
    assert titles(gql, document, "托育") == ["便民生活圈新闻"]
    assert titles(gql, document, "助餐") == ["社区食堂"]
    assert titles(gql, document, "航天") == []


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
@pytest.mark.parametrize("document", [DESCENDANTS, CHILDREN], ids=["descendants", "children"])
def test_drafts_expired_and_private_pages_are_never_found(
    gql, index, article_factory, document, kind
):
    article_factory(slug="shown", title="公开文章", body=body("普惠托育"))
    hide(article_factory(slug="hidden", title="隐藏文章", body=body("普惠托育")), kind)
    assert titles(gql, document, "托育") == ["公开文章"]


def test_only_the_relation_is_searched(gql, home, index, article_factory):
    article_factory(slug="first", title="托育一", body=body("托育"))
    article_factory(slug="second", title="托育二", body=body("托育"))
    data = gql(
        'query Related { article(slug: "first") { siblings(searchQuery: "托育") { title } '
        'ancestors(searchQuery: "托育") { title } children(searchQuery: "托育") { title } } }'
    )
    # The home page's title (中国托育服务) holds the word; the index page's does not.
    assert home.title == "中国托育服务"
    assert data["article"] == {
        "siblings": [{"title": "托育二"}],
        "ancestors": [{"title": "中国托育服务"}],
        "children": [],
    }


def test_title_hits_come_first_then_limit_and_offset_apply(gql, index, article_factory):
    article_factory(slug="body", title="社区新闻", body=body("托育"))
    article_factory(slug="title", title="托育新政", body=body("政策"))
    assert titles(gql, DESCENDANTS, "托育") == ["托育新政", "社区新闻"]
    query = """query Paged($q: String, $l: PositiveInt, $o: PositiveInt) { page(urlPath: "/") {
      descendants(searchQuery: $q, limit: $l, offset: $o) { title } } }"""
    data = gql(query, {"q": "托育", "l": 1, "o": 1})
    assert data["page"]["descendants"] == [{"title": "社区新闻"}]


def test_search_operator_or_finds_either_word(gql, index, article_factory):
    article_factory(slug="a", title="托育", body=body("托育"))
    article_factory(slug="b", title="助餐", body=body("助餐"))
    query = """query Either { page(urlPath: "/") {
      descendants(searchQuery: "托育 助餐", searchOperator: OR) { title } } }"""
    found = [page["title"] for page in gql(query)["page"]["descendants"]]
    assert sorted(found) == ["助餐", "托育"]
    assert titles(gql, DESCENDANTS, "托育 助餐") == []


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ('searchQuery: ""', "searchQuery"),
        ('searchQuery: "、。"', "searchQuery"),
        ('searchQuery: "托育", order: "title"', "order"),
    ],
)
def test_unusable_search_arguments_are_bad_user_input(gql, index, arguments, field):
    errors = gql.errors(
        f'query Wrong {{ page(urlPath: "/") {{ descendants({arguments}) {{ id }} }} }}'
    )
    assert [error["extensions"] for error in errors] == [{"code": "BAD_USER_INPUT", "field": field}]


@pytest.mark.slow
def test_query_count_does_not_grow_with_the_matches(gql, index, article_factory):
    category = ArticleCategoryFactory()
    image = ImageFactory()
    query = """query Found($q: String, $n: PositiveInt) { page(urlPath: "/") {
      descendants(searchQuery: $q, limit: $n) { title ... on ArticlePage {
        cover { alt } categories { name } } } } }"""

    def count(n):
        with CaptureQueriesContext(connection) as queries:
            found = gql(query, {"q": "托育", "n": n})["page"]["descendants"]
        assert len(found) == n
        return len(queries)

    for n in range(12):
        article = article_factory(
            slug=f"a{n}", title=f"资讯{n}", body=body("托育"), cover_image=image
        )
        article.categories.add(category)
        article.save()
    count(12)
    assert count(3) == count(12)

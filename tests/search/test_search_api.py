"""The `search` root query: Chinese words, ranking, highlighting, filters, bad input."""

import datetime
import re

import pytest
from django.utils import timezone

from articles.factories import ArticleCategoryFactory, paragraph, story

SEARCH = """query($q: String!, $page: Int, $perPage: Int, $category: String, $tag: String,
  $from: Date, $to: Date) {
  search(query: $q, page: $page, perPage: $perPage, category: $category, tag: $tag,
         dateFrom: $from, dateTo: $to) {
    totalCount page totalPages hasNextPage words
    items { title url highlightedTitle excerpt publishedAt page { slug } } } }"""


def search(gql, q, **variables):
    return gql(SEARCH, {"q": q, **variables})["search"]


def slugs(result):
    return [item["page"]["slug"] for item in result["items"]]


@pytest.mark.parametrize(
    "query",
    ["托育", "便民生活圈", "杜希学", "普惠托育服务体系", "百城万圈", "2030 百城万圈", "150.3万"],
)
@pytest.mark.slow
def test_seed_article_is_found_for_its_words(gql, seed, query):
    result = search(gql, query)
    assert seed.slug in slugs(result), (query, result)


@pytest.mark.slow
@pytest.mark.parametrize("query", ["养老院", "足球比赛", "人工智能", "Python", "2031"])
def test_seed_article_is_not_found_for_unrelated_words(gql, seed, query):
    assert seed.slug not in slugs(search(gql, query, perPage=100))


@pytest.mark.slow
def test_a_word_inside_a_longer_word_is_found_but_not_characters_out_of_order(gql, seed):
    # 托育 is inside 普惠托育 and 托育服务; 育托 is nowhere in the text.
    assert seed.slug in slugs(search(gql, "托育"))
    assert search(gql, "育托")["totalCount"] == 0


def test_a_long_word_is_found_where_the_text_cuts_it_differently(gql, article_factory):
    article_factory(
        slug="a", title="场地支持", body=story(paragraph("<p>对普惠托育机构给予补助</p>"))
    )
    assert slugs(search(gql, "托育机构")) == ["a"]


def test_a_short_word_is_not_found_across_other_words(gql, article_factory):
    article_factory(slug="a", title="家庭教育", body=story(paragraph("<p>教育儿童要有耐心</p>")))
    assert search(gql, "育儿")["totalCount"] == 0
    assert slugs(search(gql, "教育")) == ["a"]


@pytest.mark.slow
def test_query_words_are_reported(gql, seed):
    assert search(gql, "2030 百城万圈")["words"] == ["2030", "百城万圈"]


def test_title_hit_beats_newer_body_hit(gql, article_factory):
    base = timezone.now() - datetime.timedelta(days=10)
    article_factory(
        slug="body-new",
        title="社区服务新动态",
        summary="摘要",
        published_at=base,
        body=story(paragraph("<p>发展婴幼儿照护服务。</p>")),
    )
    article_factory(
        slug="title-old",
        title="婴幼儿照护指南",
        summary="摘要",
        published_at=base - datetime.timedelta(days=5),
        body=story(paragraph("<p>无关内容。</p>")),
    )
    assert slugs(search(gql, "婴幼儿")) == ["title-old", "body-new"]


def test_newer_wins_between_equal_hits(gql, article_factory):
    base = timezone.now() - datetime.timedelta(days=10)
    for days, slug in [(1, "older"), (3, "newest"), (2, "middle")]:
        article_factory(
            slug=slug,
            title=f"托位供给{slug}",
            summary="摘要",
            published_at=base + datetime.timedelta(days=days),
        )
    assert slugs(search(gql, "托位")) == ["newest", "middle", "older"]


def test_all_words_in_title_beat_some_words_in_title(gql, article_factory):
    now = timezone.now()
    article_factory(slug="one", title="普惠托育新政", published_at=now)
    article_factory(
        slug="both",
        title="普惠托育与托位",
        published_at=now - datetime.timedelta(days=3),
        body=story(paragraph("<p>普惠托育 托位</p>")),
    )
    article_factory(
        slug="one-with-body",
        title="托位建设",
        published_at=now - datetime.timedelta(days=1),
        body=story(paragraph("<p>普惠托育</p>")),
    )
    assert slugs(search(gql, "普惠托育 托位")) == ["both", "one-with-body"]


@pytest.mark.slow
def test_excerpt_and_title_mark_matched_words(gql, seed):
    item = next(i for i in search(gql, "杜希学")["items"] if i["page"]["slug"] == seed.slug)
    assert "<mark>杜希学</mark>" in item["excerpt"]
    assert item["highlightedTitle"] == item["title"]  # not in the title: nothing marked
    item = search(gql, "便民生活圈")["items"][0]
    assert item["highlightedTitle"].startswith("持续优化<mark>便民生活圈</mark>")


def test_excerpt_escapes_html_and_keeps_only_mark_tags(gql, article_factory):
    article_factory(
        slug="html",
        title="托育<script>alert(1)</script>",
        summary="摘要 & <b>托育</b>",
        body=story(paragraph('<p>正文<a href="x">托育</a> &lt;img src=x onerror=1&gt;</p>')),
    )
    item = search(gql, "托育")["items"][0]
    for html in (item["excerpt"], item["highlightedTitle"]):
        assert "<mark>托育</mark>" in html
        assert re.findall(r"<(/?\w+)", html) and set(re.findall(r"<(/?\w+)", html)) == {
            "mark",
            "/mark",
        }, html
    assert "&lt;script&gt;" in item["highlightedTitle"]


def test_pagination_and_total_count(gql, article_factory):
    for n in range(12):
        article_factory(slug=f"a{n}", title=f"托育资讯{n}")
    first = search(gql, "托育", perPage=5)
    assert (first["totalCount"], first["totalPages"], first["hasNextPage"]) == (12, 3, True)
    last = search(gql, "托育", page=3, perPage=5)
    assert len(last["items"]) == 2 and last["hasNextPage"] is False
    pages = slugs(first) + slugs(search(gql, "托育", page=2, perPage=5)) + slugs(last)
    assert sorted(pages) == sorted(f"a{n}" for n in range(12))


def test_filters_by_category_tag_and_date(gql, article_factory):
    policy = ArticleCategoryFactory(slug="policy")
    day = datetime.datetime(2025, 9, 22, 23, 30, tzinfo=datetime.UTC)  # 09-23 in Beijing
    a = article_factory(slug="a", title="托育政策", published_at=day)
    a.categories.add(policy)
    a.tags.add("托位")
    a.save()
    article_factory(slug="b", title="托育动态", published_at=day - datetime.timedelta(days=30))
    assert slugs(search(gql, "托育", category="policy")) == ["a"]
    assert slugs(search(gql, "托育", tag="托位")) == ["a"]
    assert slugs(search(gql, "托育", **{"from": "2025-09-23", "to": "2025-09-23"})) == ["a"]
    assert slugs(search(gql, "托育", to="2025-09-22")) == ["b"]
    assert search(gql, "托育", category="missing")["totalCount"] == 0


@pytest.mark.slow
def test_other_pages_are_searched_too(gql, seed):
    assert slugs(search(gql, "新闻资讯")) == [seed.get_parent().slug]


@pytest.mark.slow
def test_page_size_over_the_api_limit_is_refused_before_execution(gql, seed):
    response = gql.post(
        SEARCH, {"q": "托育", "perPage": 101}, HTTP_ACCEPT="application/graphql-response+json"
    )
    assert response.status_code == 400  # the API's page-size limit (cms.door.limits)
    assert re.search(r"[\u4e00-\u9fff]", response.json()["errors"][0]["message"])


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"q": ""}, "query"),
        ({"q": "   "}, "query"),
        ({"q": "!!!?。,"}, "query"),
        ({"q": "托" * 101}, "query"),
        ({"q": "托育", "perPage": 0}, "perPage"),
        ({"q": "托育", "page": 0}, "page"),
        ({"q": "托育", "from": "2025-09-23", "to": "2025-09-01"}, "dateFrom"),
    ],
)
@pytest.mark.slow
def test_bad_input_is_a_chinese_field_error(gql, seed, variables, field):
    response = gql.post(SEARCH, variables)
    assert response.status_code == 200
    error = response.json()["errors"][0]
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_USER_INPUT", field)
    assert re.search(r"[\u4e00-\u9fff]", error["message"]), error["message"]


@pytest.mark.slow
@pytest.mark.parametrize("query", ['"托育', "托育 OR NOT", "托育*", "'; DROP TABLE x; --", "a\\b"])
def test_query_syntax_characters_are_just_text(gql, seed, query):
    result = search(gql, query)
    assert result["totalCount"] >= 0


@pytest.mark.slow
def test_explicit_null_paging_means_the_defaults(gql, seed):
    data = gql(
        "query($q: String!) { search(query: $q, page: null, perPage: null) { page totalCount } "
        "searchSuggestions(prefix: $q, limit: null) { title } }",
        {"q": "托育"},
    )
    assert data["search"]["page"] == 1
    assert data["search"]["totalCount"] >= 1

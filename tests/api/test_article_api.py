"""The article over GraphQL: every field, the list, lookups and bad arguments."""

import datetime
import json

import pytest
from django.utils import timezone
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.models import Page, Site

from articles.factories import (
    ArticleCategoryFactory,
    ArticleSourceFactory,
    RecommendedReadingFactory,
    paragraph,
    story,
)
from cms.core.factories import ImageFactory
from home.factories import HomePageFactory

ARTICLE_FIELDS = """
  title subtitle summary publishedAt url
  cover { id title alt width height }
  categories { name slug }
  tags { name slug }
  sources { name url }
  recommendedReading { title url isExternal article { title } }
"""


def at(year, month, day, hour=12):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def test_article_by_slug_returns_every_field(gql, article_factory):
    other = article_factory(title="往期文章一")
    category = ArticleCategoryFactory(name="政策解读", slug="政策解读")
    article = article_factory(
        title="托育新政",
        slug="托育新政",
        subtitle="副标题",
        summary="摘要",
        cover_image=ImageFactory(title="封面", alt_text="封面说明"),
        published_at=timezone.make_aware(datetime.datetime(2025, 9, 22, 15, 10, 55)),
    )
    article.categories.add(category)
    article.tags.add("托育")
    article.save()
    ArticleSourceFactory(page=article, name="新华网", url="http://www.news.cn/", sort_order=0)
    ArticleSourceFactory(page=article, name="商务部官网", url="", sort_order=1)
    RecommendedReadingFactory(page=article, article=other, sort_order=0)
    RecommendedReadingFactory(
        page=article, external_url="https://example.org/a", title="外部文章", sort_order=1
    )

    data = gql(f'{{ article(slug: "托育新政") {{ {ARTICLE_FIELDS} }} }}')["article"]

    assert data["title"] == "托育新政"
    assert data["subtitle"] == "副标题"
    assert data["summary"] == "摘要"
    assert data["publishedAt"] == "2025-09-22T15:10:55+08:00"
    assert data["url"] == "/articles/%E6%89%98%E8%82%B2%E6%96%B0%E6%94%BF/"
    assert data["cover"]["alt"] == "封面说明"
    assert (data["cover"]["width"], data["cover"]["height"]) == (1200, 675)
    assert data["categories"] == [{"name": "政策解读", "slug": "政策解读"}]
    assert data["tags"] == [{"name": "托育", "slug": "托育"}]
    assert data["sources"] == [
        {"name": "新华网", "url": "http://www.news.cn/"},
        {"name": "商务部官网", "url": ""},
    ]
    assert data["recommendedReading"] == [
        {
            "title": "往期文章一",
            "url": other.url,
            "isExternal": False,
            "article": {"title": "往期文章一"},
        },
        {"title": "外部文章", "url": "https://example.org/a", "isExternal": True, "article": None},
    ]


def test_empty_optional_fields_are_null(gql, article_factory):
    article_factory(slug="plain", subtitle="")
    data = gql('{ article(slug: "plain") { subtitle cover { id } } }')["article"]
    assert data == {"subtitle": None, "cover": None}


def test_body_blocks_resolve_to_concrete_types_in_order(gql, article_factory):
    image = ImageFactory(title="配图", alt_text="默认说明")
    # Wagtail keeps fetched embeds in this table; the row stands in for the provider's answer.
    Embed.objects.create(
        hash=get_embed_hash("https://v.example.com/1"),
        url="https://v.example.com/1",
        max_width=None,
        type="video",
        html='<iframe src="https://v.example.com/embed/1"></iframe>',
        title="视频",
        thumbnail_url="",
        width=640,
        height=360,
    )
    body = story(
        {"type": "heading", "value": {"text": "小标题", "level": "h3"}},
        paragraph("<p>第一段<b>加粗</b></p>"),
        {"type": "image", "value": {"image": image.id, "caption": "图注", "alt_text": ""}},
        {
            "type": "quote",
            "value": {"text": "<p>讲话</p>", "speaker_name": "杜希学", "speaker_role": "监察专员"},
        },
        {"type": "embed", "value": {"embed": "https://v.example.com/1", "caption": ""}},
        {
            "type": "key_figures",
            "value": {"heading": "", "figures": [{"label": "便民生活圈", "value": "6255个"}]},
        },
    )
    article_factory(slug="blocks", body=body)
    query = """{ article(slug: "blocks") { body { __typename blockType id
        ... on HeadingBlock { text level }
        ... on ParagraphBlock { html }
        ... on FigureBlock { caption alt image { title } }
        ... on QuoteBlock { html speakerName speakerRole }
        ... on MediaEmbedBlock { url embedHtml title caption }
        ... on KeyFiguresBlock { heading figures { label value } } } } }"""
    blocks = gql(query)["article"]["body"]

    assert [b["__typename"] for b in blocks] == [
        "HeadingBlock",
        "ParagraphBlock",
        "FigureBlock",
        "QuoteBlock",
        "MediaEmbedBlock",
        "KeyFiguresBlock",
    ]
    assert all(b["id"] for b in blocks)
    assert blocks[0] | {"id": None} == {
        "__typename": "HeadingBlock",
        "blockType": "HeadingBlock",
        "id": None,
        "text": "小标题",
        "level": "h3",
    }
    assert blocks[1]["html"] == "<p>第一段<b>加粗</b></p>"
    assert blocks[2]["caption"] == "图注"
    assert blocks[2]["alt"] == "默认说明"
    assert blocks[2]["image"] == {"title": "配图"}
    assert blocks[3]["html"] == "<p>讲话</p>"
    assert (blocks[3]["speakerName"], blocks[3]["speakerRole"]) == ("杜希学", "监察专员")
    assert blocks[4]["url"] == "https://v.example.com/1"
    assert blocks[4]["title"] == "视频"
    assert "iframe" in blocks[4]["embedHtml"]
    assert blocks[4]["caption"] is None
    assert blocks[5]["heading"] is None
    assert blocks[5]["figures"] == [{"label": "便民生活圈", "value": "6255个"}]


def test_block_alt_text_overrides_the_images_own(gql, article_factory):
    image = ImageFactory(alt_text="默认说明")
    body = story({"type": "image", "value": {"image": image.id, "caption": "", "alt_text": "特定"}})
    article_factory(slug="alt", body=body)
    blocks = gql('{ article(slug: "alt") { body { ... on FigureBlock { alt caption } } } }')
    assert blocks["article"]["body"] == [{"alt": "特定", "caption": None}]


def test_article_by_url_path_accepts_plain_and_encoded_paths(gql, article_factory):
    article_factory(slug="托育新政", title="托育新政")
    for path in [
        "/articles/托育新政/",
        "articles/托育新政",
        "/articles/%E6%89%98%E8%82%B2%E6%96%B0%E6%94%BF/",
    ]:
        data = gql("query($p: String) { article(urlPath: $p) { title } }", {"p": path})
        assert data["article"] == {"title": "托育新政"}, path


def test_article_by_id(gql, article_factory):
    article = article_factory(title="按编号")
    data = gql("query($id: ID) { article(id: $id) { title } }", {"id": str(article.id)})
    assert data["article"] == {"title": "按编号"}


def test_unknown_article_is_null(gql, index):
    assert gql('{ article(slug: "nope") { title } }') == {"article": None}


def test_article_lookup_needs_an_argument(gql, index):
    errors = gql.errors("{ article { title } }")
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_non_numeric_id_is_a_clear_error(gql, index):
    errors = gql.errors('{ article(id: "abc") { title } }')
    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}


def test_page_query_finds_any_page_type(gql, article_factory, index):
    article = article_factory(title="文章")
    data = gql(
        "query($p: String) { page(urlPath: $p) { __typename title ... on ArticlePage { summary } } }",
        {"p": "/articles/"},
    )
    assert data["page"]["__typename"] == "ArticleIndexPage"
    data = gql("query($id: ID) { page(id: $id) { __typename title } }", {"id": str(article.id)})
    assert data["page"] == {"__typename": "ArticlePage", "title": "文章"}
    assert gql('{ page(urlPath: "/") { __typename } }')["page"] == {"__typename": "HomePage"}


class TestArticleList:
    QUERY = """query($page: Int, $perPage: Int, $category: String, $tag: String, $order: ArticleOrder) {
      articles(page: $page, perPage: $perPage, category: $category, tag: $tag, order: $order) {
        totalCount page perPage totalPages hasNextPage items { title publishedAt } } }"""

    @pytest.fixture
    def articles(self, article_factory):
        return [
            article_factory(title=f"文章{n}", published_at=at(2025, 1, n + 1)) for n in range(5)
        ]

    def test_newest_first_by_default(self, gql, articles):
        data = gql(self.QUERY)["articles"]
        assert [i["title"] for i in data["items"]] == ["文章4", "文章3", "文章2", "文章1", "文章0"]
        assert data["totalCount"] == 5
        assert (data["page"], data["perPage"], data["totalPages"]) == (1, 10, 1)
        assert data["hasNextPage"] is False

    def test_oldest_first(self, gql, articles):
        data = gql(self.QUERY, {"order": "OLDEST"})["articles"]
        assert [i["title"] for i in data["items"]][:2] == ["文章0", "文章1"]

    def test_pagination(self, gql, articles):
        data = gql(self.QUERY, {"page": 2, "perPage": 2})["articles"]
        assert [i["title"] for i in data["items"]] == ["文章2", "文章1"]
        assert (data["totalCount"], data["totalPages"], data["hasNextPage"]) == (5, 3, True)
        last = gql(self.QUERY, {"page": 3, "perPage": 2})["articles"]
        assert [i["title"] for i in last["items"]] == ["文章0"]
        assert last["hasNextPage"] is False

    def test_page_past_the_end_is_empty(self, gql, articles):
        data = gql(self.QUERY, {"page": 9, "perPage": 2})["articles"]
        assert data["items"] == []
        assert data["totalCount"] == 5

    def test_filter_by_category(self, gql, articles):
        category = ArticleCategoryFactory(slug="政策解读")
        articles[1].categories.add(category)
        articles[1].save()
        data = gql(self.QUERY, {"category": "政策解读"})["articles"]
        assert [i["title"] for i in data["items"]] == ["文章1"]
        assert data["totalCount"] == 1

    def test_filter_by_tag(self, gql, articles):
        articles[2].tags.add("托育")
        articles[2].save()
        articles[3].tags.add("托育", "普惠")
        articles[3].save()
        data = gql(self.QUERY, {"tag": "托育"})["articles"]
        assert [i["title"] for i in data["items"]] == ["文章3", "文章2"]
        assert gql(self.QUERY, {"tag": "unknown"})["articles"]["totalCount"] == 0

    @pytest.mark.parametrize(
        ("variables", "field"),
        [({"perPage": 0}, "perPage"), ({"perPage": 101}, "perPage"), ({"page": 0}, "page")],
    )
    def test_out_of_range_arguments_are_refused(self, gql, articles, variables, field):
        errors = gql.errors(self.QUERY, variables)
        assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
        assert errors[0]["message"]  # a Chinese sentence for the developer
        assert any("\u4e00" <= ch <= "\u9fff" for ch in errors[0]["message"])

    def test_unknown_order_is_refused_by_the_schema(self, gql, articles):
        response = gql.post(
            self.QUERY, {"order": "title"}, HTTP_ACCEPT="application/graphql-response+json"
        )
        assert response.status_code == 400
        assert response.json()["errors"]


class TestSites:
    @pytest.fixture
    def second_site(self, db, index):
        other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="other")
        from articles.factories import ArticleIndexPageFactory, ArticlePageFactory

        other_index = ArticleIndexPageFactory(parent=other_home)
        ArticlePageFactory(parent=other_index, title="另一站点的文章", slug="other-article")
        return Site.objects.create(hostname="other.example.com", port=80, root_page=other_home)

    def test_each_site_lists_only_its_own_articles(self, gql, article_factory, second_site):
        article_factory(title="本站文章")
        query = "query($s: String) { articles(site: $s) { items { title } } }"
        local = gql(query, {"s": "localhost"})["articles"]["items"]
        other = gql(query, {"s": "other.example.com"})["articles"]["items"]
        assert local == [{"title": "本站文章"}]
        assert other == [{"title": "另一站点的文章"}]

    def test_article_of_another_site_is_not_found_by_slug(self, gql, second_site):
        query = '{ article(site: "localhost", slug: "other-article") { title } }'
        assert gql(query) == {"article": None}

    def test_several_sites_and_none_named_is_an_error(self, gql, second_site):
        errors = gql.errors("{ articles { totalCount } }")
        assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "site"}

    def test_unknown_hostname_is_an_error(self, gql, index):
        errors = gql.errors('{ articles(site: "nope.example.com") { totalCount } }')
        assert errors[0]["extensions"] == {"code": "NOT_FOUND", "field": "site"}

    def test_hostname_with_port(self, gql, article_factory):
        article_factory(title="端口")
        data = gql('{ articles(site: "localhost:80") { totalCount } }')
        assert data["articles"]["totalCount"] == 1


def test_article_categories(gql, db):
    ArticleCategoryFactory(name="行业动态", slug="industry", sort_order=2)
    ArticleCategoryFactory(name="政策解读", slug="policy", sort_order=1)
    data = gql("{ articleCategories { name slug description } }")
    assert data["articleCategories"] == [
        {"name": "政策解读", "slug": "policy", "description": ""},
        {"name": "行业动态", "slug": "industry", "description": ""},
    ]


def test_graphql_answers_json_to_a_plain_post(client, article_factory):
    article_factory(title="x")
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": "{ articles { totalCount } }"}),
        content_type="application/json",
        HTTP_HOST="localhost",
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"articles": {"totalCount": 1}}}

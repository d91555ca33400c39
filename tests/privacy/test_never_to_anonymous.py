"""Nothing unpublished, expired or private reaches a client, through any relation.

Each relation the schema exposes to pages is tried with a draft, an expired page and a
view-restricted page on the far end.
"""

import pytest
from wagtail.models import PageViewRestriction

from articles.factories import RecommendedReadingFactory, paragraph, story
from home.factories import CallToActionFactory
from tests.support import hidden_pages
from tests.support.hidden_pages import HIDDEN_KINDS


@pytest.fixture
def hide(index):
    """Turn a live article into one a client must not see, in the given way."""
    return hidden_pages.hide


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_article_is_not_found_by_slug_id_or_path(gql, article_factory, hide, kind):
    article = hide(article_factory(slug="secret", title="秘密"), kind)
    assert gql('{ article(slug: "secret") { title } }') == {"article": None}
    assert gql("query($id: ID) { article(id: $id) { title } }", {"id": str(article.id)}) == {
        "article": None
    }
    assert gql('{ article(urlPath: "/articles/secret/") { title } }') == {"article": None}
    assert gql("query($id: ID) { page(id: $id) { title } }", {"id": str(article.id)}) == {
        "page": None
    }


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_article_is_not_listed_or_counted(gql, article_factory, hide, kind):
    article_factory(title="公开")
    hide(article_factory(title="秘密"), kind)
    data = gql("{ articles { totalCount items { title } } }")["articles"]
    assert data == {"totalCount": 1, "items": [{"title": "公开"}]}


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_recommended_reading_leaves_out_hidden_articles(gql, article_factory, hide, kind):
    visible_target = article_factory(title="可见推荐")
    hidden_target = hide(article_factory(title="秘密推荐"), kind)
    article = article_factory(slug="host")
    RecommendedReadingFactory(page=article, article=hidden_target, sort_order=0)
    RecommendedReadingFactory(page=article, article=visible_target, sort_order=1)
    data = gql('{ article(slug: "host") { recommendedReading { title article { title } } } }')
    assert data["article"]["recommendedReading"] == [
        {"title": "可见推荐", "article": {"title": "可见推荐"}}
    ]


def test_recommended_reading_uses_the_live_title_not_the_draft_title(gql, article_factory):
    target = article_factory(title="已发布标题")
    target.title = "草稿标题"
    target.save_revision()  # a draft edit: the live row keeps the published title
    article = article_factory(slug="host")
    RecommendedReadingFactory(page=article, article=target)
    data = gql('{ article(slug: "host") { recommendedReading { title article { title } } } }')
    assert data["article"]["recommendedReading"] == [
        {"title": "已发布标题", "article": {"title": "已发布标题"}}
    ]


def test_draft_edits_of_a_live_article_are_not_served(gql, article_factory):
    article = article_factory(slug="edited", title="已发布", summary="已发布摘要")
    article.title = "草稿"
    article.summary = "草稿摘要"
    article.save_revision()
    data = gql('{ article(slug: "edited") { title summary } }')
    assert data["article"] == {"title": "已发布", "summary": "已发布摘要"}


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_rich_text_link_to_hidden_page_is_dropped_but_its_text_kept(
    gql, article_factory, hide, kind
):
    hidden = hide(article_factory(slug="hidden-target"), kind)
    live = article_factory(slug="live-target")
    html = (
        f'<p>见<a linktype="page" id="{hidden.id}">秘密页面</a>和'
        f'<a linktype="page" id="{live.id}">公开页面</a>以及'
        f'<a linktype="page" id="999999">已删除页面</a></p>'
    )
    body = story(
        paragraph(html),
        {"type": "quote", "value": {"text": html, "speaker_name": "某人", "speaker_role": ""}},
    )
    article_factory(slug="links", body=body)
    blocks = gql(
        '{ article(slug: "links") { body { ... on ParagraphBlock { html } ... on QuoteBlock { html } } } }'
    )["article"]["body"]
    expected = '<p>见秘密页面和<a href="/articles/live-target/">公开页面</a>以及已删除页面</p>'
    assert [block["html"] for block in blocks] == [expected, expected]
    assert "hidden-target" not in str(blocks)


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_calls_to_action_and_links_in_a_list_of_bodies_leave_out_hidden_pages(
    gql, article_factory, hide, kind
):
    """A list's bodies are read together (cms.api.peers); each link and call to action
    still answers to the visibility rule on its own."""
    hidden = hide(article_factory(slug="hidden-target", title="隐藏"), kind)
    live = article_factory(slug="live-target", title="公开")
    for target in (hidden, live):
        call = CallToActionFactory(target_kind="page", target_page=target)
        article_factory(
            body=story(
                paragraph(f'<p><a linktype="page" id="{target.id}">链接</a></p>'),
                {"type": "call_to_action", "value": {"call_to_action": call.pk}},
            )
        )
    query = """{ articles { items { body { ... on ParagraphBlock { html }
      ... on CallToActionBlock { callToAction { target { url page { title } } } } } } } }"""
    bodies = [item["body"] for item in gql(query)["articles"]["items"]]
    linking = [body for body in bodies if len(body) == 2]
    assert linking == [
        [
            {"html": '<p><a href="/articles/live-target/">链接</a></p>'},
            {
                "callToAction": {
                    "target": {"url": "/articles/live-target/", "page": {"title": "公开"}}
                }
            },
        ],
        [{"html": "<p>链接</p>"}, {"callToAction": {"target": {"url": None, "page": None}}}],
    ]
    assert "hidden-target" not in str(bodies) and "隐藏" not in str(bodies)


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_tree_relations_leave_out_hidden_pages(gql, index, article_factory, hide, kind):
    article_factory(slug="visible", title="可见")
    hide(article_factory(slug="hidden", title="隐藏"), kind)
    query = """{ page(urlPath: "/articles/") {
        children { title } descendants { title }
        ... on ArticleIndexPage { parent { title } } } }"""
    data = gql(query)["page"]
    assert data["children"] == [{"title": "可见"}]
    assert data["descendants"] == [{"title": "可见"}]
    siblings = gql(
        '{ page(urlPath: "/articles/visible/") { siblings { title } nextSiblings { title } previousSiblings { title } } }'
    )
    assert siblings["page"] == {"siblings": [], "nextSiblings": [], "previousSiblings": []}


def test_home_page_has_no_parent_and_ancestors_stop_at_the_site(gql, article_factory):
    article_factory(slug="a")
    assert gql('{ page(urlPath: "/") { parent { title } } }') == {"page": {"parent": None}}
    data = gql('{ page(urlPath: "/articles/a/") { ancestors { __typename } } }')
    assert data["page"]["ancestors"] == [
        {"__typename": "HomePage"},
        {"__typename": "ArticleIndexPage"},
    ]


def test_parent_that_is_private_is_null(gql, index, article_factory):
    article_factory(slug="a")
    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    assert gql('{ article(slug: "a") { title } }') == {"article": None}


def test_children_order_accepts_only_known_fields(gql, index, article_factory):
    article_factory(title="乙", slug="b")
    article_factory(title="甲", slug="a")
    data = gql('{ page(urlPath: "/articles/") { children(order: "slug") { title } } }')
    assert data["page"]["children"] == [{"title": "甲"}, {"title": "乙"}]
    errors = gql.errors(
        '{ page(urlPath: "/articles/") { children(order: "owner__password") { title } } }'
    )
    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "order"}


def test_schema_offers_no_drafts_revisions_users_or_grapple_defaults(gql, settings):
    settings.CMS_API_INTROSPECTION = "always"  # Anonymous introspection is off by default.
    types = gql("{ __schema { types { name fields { name } } queryType { fields { name } } } }")
    schema = types["__schema"]
    root_fields = {field["name"] for field in schema["queryType"]["fields"]}
    assert root_fields == {
        "article",
        "articles",
        "articleCategories",
        "bookingForm",
        "page",
        "redirect",
        "search",
        "searchSuggestions",
        "serviceAreas",
        "siteChrome",
    }
    type_names = {t["name"] for t in schema["types"]}
    assert not {"UserType", "User", "Revision", "PageRevision", "SiteObjectType"} & type_names
    forbidden = {
        "draftTitle",
        "hasUnpublishedChanges",
        "latestRevisionCreatedAt",
        "lockedAt",
        "lockedBy",
        "owner",
        "revisions",
        "aliasOf",
        "aliases",
        "goLiveAt",
        "expireAt",
        "sitesRootedHere",
        "password",
        "username",
        "lastLogin",
        "isStaff",
        "isSuperuser",
        "submissions",
        "formSubmissions",
    }
    for graphql_type in schema["types"]:
        names = {field["name"] for field in graphql_type["fields"] or []}
        assert not names & forbidden, (graphql_type["name"], names & forbidden)

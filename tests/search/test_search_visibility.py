"""Search and suggestions never return drafts, expired or private pages; no N+1."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.factories import ArticleCategoryFactory, ArticleSourceFactory
from cms.core.factories import ImageFactory
from tests.support.hidden_pages import HIDDEN_KINDS, hide


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_articles_are_not_found_or_counted(gql, article_factory, kind):
    article_factory(slug="shown", title="托育公开文章")
    hide(article_factory(slug="hidden", title="托育秘密文章"), kind)
    data = gql('{ search(query: "托育") { totalCount items { page { slug } } } }')["search"]
    assert data == {"totalCount": 1, "items": [{"page": {"slug": "shown"}}]}
    data = gql('{ search(query: "秘密") { totalCount items { title } } }')["search"]
    assert data == {"totalCount": 0, "items": []}


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_articles_are_not_suggested(gql, article_factory, kind):
    article_factory(slug="shown", title="托育公开文章")
    hide(article_factory(slug="hidden", title="托育秘密文章"), kind)
    data = gql('{ searchSuggestions(prefix: "托") { title } }')
    assert data == {"searchSuggestions": [{"title": "托育公开文章"}]}


def test_draft_edits_of_a_live_article_are_not_searchable(gql, article_factory):
    article = article_factory(slug="live", title="托育已发布")
    article.title = "托育草稿标题秘密"
    article.save_revision()
    assert gql('{ search(query: "秘密") { totalCount } }')["search"]["totalCount"] == 0


def test_pages_of_another_site_are_not_returned(gql, article_factory, site):
    from wagtail.models import Page, Site

    from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
    from home.factories import HomePageFactory

    other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="other")
    Site.objects.create(hostname="other.example.com", root_page=other_home)
    other_index = ArticleIndexPageFactory(parent=other_home)
    ArticlePageFactory(parent=other_index, slug="elsewhere", title="托育别站")
    article_factory(slug="here", title="托育本站")
    data = gql('{ search(query: "托育", site: "localhost") { items { page { slug } } } }')
    assert data["search"]["items"] == [{"page": {"slug": "here"}}]


def test_suggestions_start_from_the_first_character(gql, article_factory):
    now = timezone.now()
    article_factory(slug="a", title="托育机构管理规范", published_at=now)
    article_factory(slug="b", title="社区托位建设", published_at=now)
    article_factory(slug="c", title="婴幼儿照护", published_at=now)
    data = gql('{ searchSuggestions(prefix: "托") { title highlightedTitle url } }')
    titles = [item["title"] for item in data["searchSuggestions"]]
    assert titles == ["托育机构管理规范", "社区托位建设"]
    assert data["searchSuggestions"][0]["highlightedTitle"] == "<mark>托</mark>育机构管理规范"
    data = gql('{ searchSuggestions(prefix: "托育机") { title } }')
    assert data["searchSuggestions"] == [{"title": "托育机构管理规范"}]


def test_suggestion_bad_input(gql, db):
    for prefix, field in [("", "prefix"), ("、。", "prefix"), ("托" * 51, "prefix")]:
        errors = gql.errors(
            "query($p: String!) { searchSuggestions(prefix: $p) { title } }", {"p": prefix}
        )
        assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


LIST = """query($n: Int) { search(query: "托育", perPage: $n) { totalCount items {
  title url excerpt highlightedTitle publishedAt
  page { title url ... on ArticlePage { cover { rendition(filter: "fill-320x180") { url } }
    categories { name } tags { name } sources { name } recommendedReading { title } } } } } }"""


@pytest.mark.slow
def test_search_query_count_does_not_grow_with_page_size(gql, article_factory):
    category = ArticleCategoryFactory()
    image = ImageFactory()
    for n in range(55):
        article = article_factory(title=f"托育资讯{n}", cover_image=image)
        article.categories.add(category)
        article.tags.add("托育")
        article.save()
        ArticleSourceFactory(page=article)

    def count(n):
        with CaptureQueriesContext(connection) as queries:
            data = gql(LIST, {"n": n})
        assert len(data["search"]["items"]) == n
        return len(queries)

    count(50)
    assert count(10) == count(50)

"""Every admin search box finds words of a page's body, cut as the API cuts them.

Wagtail's admin calls ``autocomplete()`` (title prefixes); the project's backend makes
that the full-text search: 托育 (in the seed's body, summary and tags), 杜希学 (the
speaker, not in the title), 百城万圈 (a phrase of the body).
"""

import pytest
from django.urls import reverse

from articles.factories import ArticlePageFactory
from cms.search.query import suggestions

BODY_WORDS = ["托育", "杜希学", "百城万圈"]

pytestmark = pytest.mark.slow


@pytest.fixture
def unrelated(seed):
    return ArticlePageFactory(
        parent=seed.get_parent(), title="足球赛事报道", summary="足球", body=[]
    )


@pytest.mark.parametrize("q", BODY_WORDS)
def test_page_search_finds_body_words(admin_client, seed, unrelated, q):
    content = admin_client.get(reverse("wagtailadmin_pages:search"), {"q": q}).content.decode()
    assert seed.title in content
    assert unrelated.title not in content


@pytest.mark.parametrize("q", BODY_WORDS)
def test_explorer_search_finds_body_words(admin_client, seed, unrelated, home, q):
    url = reverse("wagtailadmin_explore", args=[home.pk])
    content = admin_client.get(url, {"q": q}).content.decode()
    assert seed.title in content
    assert unrelated.title not in content


@pytest.mark.parametrize("q", BODY_WORDS)
def test_page_chooser_search_finds_body_words(admin_client, seed, unrelated, q):
    response = admin_client.get(reverse("wagtailadmin_choose_page_search"), {"q": q})
    html = response.content.decode()
    assert seed.title in html
    assert unrelated.title not in html


def test_the_word_being_typed_matches_as_a_prefix(admin_client, seed, unrelated):
    unrelated.title = "Football weekly"
    unrelated.save_revision().publish()
    content = admin_client.get(reverse("wagtailadmin_pages:search"), {"q": "footb"}).content
    assert "Football weekly" in content.decode()


def test_snippet_listing_finds_a_word_inside_a_name(admin_client, seed):
    url = reverse("wagtailsnippets_articles_articlecategory:list")
    content = admin_client.get(url, {"q": "解读"}).content.decode()
    assert "政策解读" in content and "行业动态" not in content


def test_api_suggestions_still_match_titles_only(seed, rf, site):
    """杜希学 is in the seed's body, not its title: no suggestion."""
    request = rf.get("/graphql/", HTTP_HOST="localhost")
    assert suggestions(request, site, "杜希学") == []
    assert [s.title for s in suggestions(request, site, "持续优化")] == [seed.title]

"""No tree relation leaves the site the query read.

The sites' home pages are siblings under the tree root, so a relation left unbounded
would walk from a public site into one that requires a token or refuses the browser's
origin. Site B here requires a token and lists one origin; site A is public beside it
and site C is public below B's home (so C's parent and ancestors are B's pages).
"""

import json

import pytest
from django.test import Client
from wagtail.models import Page, Site

from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from cms.api.models import ApiSettings
from home.factories import HomePageFactory

RELATIONS = ["siblings", "children", "descendants", "ancestors", "nextSiblings", "previousSiblings"]


@pytest.fixture
def guarded(site, index):
    """Site B (token required, one origin) beside A, and public site C below B's home."""
    root = Page.get_first_root_node()
    b_home = HomePageFactory(parent=root, slug="b", title="B-首页")
    b_index = ArticleIndexPageFactory(parent=b_home, slug="b-articles", title="B-栏目")
    ArticlePageFactory(parent=b_index, slug="b-secret", title="B-秘密")
    c_home = HomePageFactory(parent=b_home, slug="c", title="C-首页")
    ArticlePageFactory(parent=c_home, slug="c-article", title="C-文章")
    b = Site.objects.create(hostname="b.example.com", port=80, root_page=b_home)
    ApiSettings.objects.create(site=b, require_token=True, cors_origins="https://b.example.org")
    Site.objects.create(hostname="c.example.com", port=80, root_page=c_home)
    ArticlePageFactory(parent=index, slug="a", title="A-文章")
    return b


def _relations(depth: int) -> str:
    if depth == 0:
        return "title"
    inner = _relations(depth - 1)
    fields = " ".join(f"{name} {{ {inner} }}" for name in RELATIONS)
    return f"title parent {{ {inner} }} {fields}"


def anonymous(query: str) -> dict:
    response = Client(HTTP_HOST="localhost").post(
        "/graphql/", {"query": query}, content_type="application/json"
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


@pytest.mark.parametrize(
    ("site", "url_path"),
    [
        ("localhost", "/"),
        ("localhost", "/articles/a/"),
        ("c.example.com", "/"),
        ("c.example.com", "/c-article/"),
    ],
)
def test_no_relation_reaches_a_guarded_site(gql, guarded, site, url_path):
    data = anonymous(f'{{ page(site: "{site}", urlPath: "{url_path}") {{ {_relations(2)} }} }}')
    text = json.dumps(data, ensure_ascii=False)
    assert data["page"]["title"]
    assert "B-" not in text


def test_relations_still_walk_within_the_site(gql, guarded):
    data = anonymous(
        '{ page(site: "c.example.com", urlPath: "/c-article/") '
        "{ parent { title } ancestors { title } } }"
    )
    assert data["page"] == {"parent": {"title": "C-首页"}, "ancestors": [{"title": "C-首页"}]}
    data = anonymous('{ page(site: "c.example.com", urlPath: "/") { parent { title } } }')
    assert data["page"]["parent"] is None


def test_the_guarded_site_itself_stays_refused(gql, guarded):
    errors = gql.errors('{ page(site: "b.example.com", urlPath: "/") { title } }')
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("path", ["/sitemap.xml", "/feeds/articles.atom"])
def test_sitemap_and_feed_of_a_guarded_site_need_its_token(client, guarded, make_token, path):
    response = client.get(path, {"site": "b.example.com"}, HTTP_HOST="localhost")
    assert response.status_code == 401
    assert response.json()["field"] == "site"
    assert "B-" not in response.content.decode()
    _token, raw = make_token(guarded)
    response = client.get(
        path, {"site": "b.example.com"}, HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200
    assert "b-secret" in response.content.decode()
    assert client.get(path, {"site": "localhost"}, HTTP_HOST="localhost").status_code == 200


def test_oembed_of_a_guarded_site_is_refused_anonymously(client, guarded):
    url = "http://b.example.com/b-articles/b-secret/"
    response = client.get("/oembed", {"url": url}, HTTP_HOST="localhost")
    assert response.status_code == 401
    assert "B-" not in response.content.decode()
    public = client.get("/oembed", {"url": "http://localhost/articles/a/"}, HTTP_HOST="localhost")
    assert public.status_code == 200

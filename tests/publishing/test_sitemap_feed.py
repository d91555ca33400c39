"""sitemap.xml and the Atom feed hold only live, public pages, at front-end URLs."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from cms.publishing.models import FrontendSettings
from home.factories import HomePageFactory

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "atom": "http://www.w3.org/2005/Atom"}


def sitemap_urls(client, **params):
    response = client.get("/sitemap.xml", params, HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.findall("sm:url/sm:loc", NS)]


def feed_entries(client, **params):
    response = client.get("/feeds/articles.atom", params, HTTP_HOST="localhost")
    assert response.status_code == 200
    assert "atom+xml" in response["Content-Type"]
    root = ET.fromstring(response.content)
    return [
        (e.find("atom:title", NS).text, e.find("atom:link", NS).get("href"))
        for e in root.findall("atom:entry", NS)
    ]


@pytest.fixture
def mixed(site, index, article_factory):
    """One article of each kind: visible, draft, expired, private, noindex."""
    settings = FrontendSettings.for_site(site)
    settings.base_url = "https://www.example.cn"
    settings.save()
    article_factory(title="公开", slug="public")
    article_factory(title="草稿", slug="draft", live=False)
    expired = article_factory(title="过期", slug="expired")
    expired.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    expired.save()
    private = article_factory(title="私密", slug="private")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    article_factory(title="不索引", slug="noindex", noindex=True)


def test_sitemap_lists_only_live_public_indexable_pages_at_front_end_urls(client, mixed):
    assert sitemap_urls(client) == [
        "https://www.example.cn/",
        "https://www.example.cn/articles/",
        "https://www.example.cn/articles/public/",
    ]


def test_feed_lists_only_live_public_articles_newest_first(client, mixed, article_factory):
    article_factory(
        title="最新",
        slug="newest",
        published_at=timezone.now(),
    )
    assert feed_entries(client) == [
        ("最新", "https://www.example.cn/articles/newest/"),
        ("不索引", "https://www.example.cn/articles/noindex/"),
        ("公开", "https://www.example.cn/articles/public/"),
    ]


def test_feed_is_capped(client, settings, article_factory, site):
    settings.CMS_FEED_SIZE = 3
    for _ in range(5):
        article_factory()
    assert len(feed_entries(client)) == 3


def test_each_site_has_its_own_sitemap_and_feed(client, mixed):
    other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="other", title="其他")
    Site.objects.create(hostname="other.example.com", root_page=other_home)
    other_index = ArticleIndexPageFactory(parent=other_home, slug="news")
    ArticlePageFactory(parent=other_index, title="其他站点文章", slug="elsewhere")

    assert sitemap_urls(client, site="other.example.com") == [
        "http://other.example.com/",
        "http://other.example.com/news/",
        "http://other.example.com/news/elsewhere/",
    ]
    assert feed_entries(client, site="other.example.com") == [
        ("其他站点文章", "http://other.example.com/news/elsewhere/")
    ]
    assert "https://www.example.cn/articles/public/" in sitemap_urls(client)


def test_unknown_site_is_404_not_a_crash(client, mixed):
    for url in ("/sitemap.xml", "/feeds/articles.atom"):
        response = client.get(url, {"site": "nowhere.example"}, HTTP_HOST="localhost")
        assert response.status_code == 404
        assert response.json()["field"] == "site"
        response = client.get(url, {"site": "localhost:abc"}, HTTP_HOST="localhost")
        assert response.status_code == 404


def test_sitemap_and_feed_cost_no_query_per_page(client, site, article_factory):
    def counts():
        with CaptureQueriesContext(connection) as sitemap:
            client.get("/sitemap.xml", HTTP_HOST="localhost")
        with CaptureQueriesContext(connection) as feed:
            client.get("/feeds/articles.atom", HTTP_HOST="localhost")
        return len(sitemap), len(feed)

    for _ in range(10):
        article_factory()
    counts()  # the first request creates the site's settings row and caches site roots
    ten = counts()
    for _ in range(40):
        article_factory()
    assert counts() == ten

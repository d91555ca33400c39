"""SEO data over GraphQL: fields with fallbacks, the sharing image, canonical URLs, JSON-LD."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.factories import ArticleCategoryFactory
from cms.core.factories import ImageFactory
from cms.publishing.models import FrontendSettings

SEO = "{ title description canonicalUrl noindex image { alt } ogImage { url width height } }"
ARTICLE = "query($slug: String) { article(slug: $slug) { seo " + SEO + " jsonLd } }"


@pytest.fixture
def frontend(site):
    settings = FrontendSettings.for_site(site)
    settings.base_url = "https://www.example.cn"
    settings.save()
    return settings


def test_article_seo_falls_back_to_title_summary_cover_and_front_end_url(
    gql, frontend, article_factory
):
    cover = ImageFactory(title="封面")
    article_factory(title="托育新政", slug="policy", summary="政策摘要", cover_image=cover)
    seo = gql(ARTICLE, {"slug": "policy"})["article"]["seo"]
    assert seo["title"] == "托育新政"
    assert seo["description"] == "政策摘要"
    assert seo["canonicalUrl"] == "https://www.example.cn/articles/policy/"
    assert seo["noindex"] is False
    assert seo["image"] == {"alt": "封面的示意图"}
    # Wagtail's fill rounds the crop of this 1200x675 original to 631 px high.
    assert seo["ogImage"]["width"] == 1200 and seo["ogImage"]["height"] in (630, 631)
    assert seo["ogImage"]["url"].startswith("http://localhost/media/images/")
    assert seo["ogImage"]["url"].endswith(".jpg")


def test_editor_values_win_over_fallbacks(gql, frontend, article_factory):
    sharing = ImageFactory(title="分享图")
    article_factory(
        slug="policy",
        seo_title="搜索引擎标题",
        search_description="搜索描述",
        og_image=sharing,
        cover_image=ImageFactory(title="封面"),
        canonical_url="https://www.news.cn/original",
        noindex=True,
    )
    seo = gql(ARTICLE, {"slug": "policy"})["article"]["seo"]
    assert seo["title"] == "搜索引擎标题"
    assert seo["description"] == "搜索描述"
    assert seo["canonicalUrl"] == "https://www.news.cn/original"
    assert seo["noindex"] is True
    assert seo["image"]["alt"] == "分享图的示意图"


def test_canonical_url_falls_back_to_the_site_address_without_front_end_setting(
    gql, article_factory
):
    article_factory(slug="policy")
    seo = gql(ARTICLE, {"slug": "policy"})["article"]["seo"]
    assert seo["canonicalUrl"] == "http://localhost/articles/policy/"


def test_home_page_has_seo_too(gql, frontend, home):
    home.seo_title = "中国托育服务 官网"
    home.noindex = True
    home.save()
    seo = gql('{ page(urlPath: "/") { seo { title canonicalUrl noindex ogImage { url } } } }')
    assert seo["page"]["seo"] == {
        "title": "中国托育服务 官网",
        "canonicalUrl": "https://www.example.cn/",
        "noindex": True,
        "ogImage": None,
    }


def test_json_ld_is_a_news_article_safe_to_embed(gql, frontend, article_factory):
    category = ArticleCategoryFactory(name="政策解读", slug="policy-reading")
    article = article_factory(
        title="托育</script><script>alert(1)</script>",
        slug="policy",
        summary="摘要 & 说明",
        cover_image=ImageFactory(),
    )
    article.categories.add(category)
    article.tags.add("托育")
    article.save_revision().publish()
    text = gql(ARTICLE, {"slug": "policy"})["article"]["jsonLd"]
    assert "<" not in text and ">" not in text and "&" not in text
    data = json.loads(text)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "托育</script><script>alert(1)</script>"
    assert data["description"] == "摘要 & 说明"
    assert data["datePublished"].endswith("+08:00")
    assert data["mainEntityOfPage"] == {
        "@type": "WebPage",
        "@id": "https://www.example.cn/articles/policy/",
    }
    assert data["image"][0].startswith("http://localhost/media/images/")
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["url"] == "https://www.example.cn/"
    assert data["articleSection"] == ["政策解读"]
    assert data["keywords"] == ["托育"]


@pytest.mark.slow
def test_seo_and_json_ld_in_a_list_cost_no_query_per_article(gql, frontend, article_factory):
    image = ImageFactory()
    for n in range(50):
        article_factory(cover_image=image, og_image=image if n % 2 else None)
    query = "query($n: Int) { articles(perPage: $n) { items { seo " + SEO + " jsonLd } } }"

    def count(n):
        with CaptureQueriesContext(connection) as queries:
            assert len(gql(query, {"n": n})["articles"]["items"]) == n
        return len(queries)

    count(50)  # renders and stores the renditions once
    assert count(10) == count(50)

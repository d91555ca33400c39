"""oEmbed for partner sites: live articles only, whatever URL form they paste."""

import datetime
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.core.factories import ImageFactory
from cms.publishing.models import FrontendSettings
from home.models import OrganisationProfile


def oembed(client, **params):
    return client.get("/oembed?" + urlencode(params), HTTP_HOST="localhost")


@pytest.fixture
def article(article_factory, site):
    profile = OrganisationProfile.for_site(site)
    profile.name = "中国托育服务"
    profile.save()
    return article_factory(
        slug="托育新政",
        title="托育新政<解读>",
        summary="摘要 & 说明",
        cover_image=ImageFactory(file__width=1200, file__height=675),
        published_at=timezone.make_aware(datetime.datetime(2025, 9, 22, 15, 10)),
    )


def test_live_article_gives_a_rich_embed(client, article):
    response = oembed(client, url="http://localhost/articles/托育新政/", format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == "1.0"
    assert data["type"] == "rich"
    assert data["title"] == "托育新政<解读>"
    assert data["provider_name"] == "中国托育服务"
    assert (data["width"], data["height"]) == (600, 220)
    assert (data["thumbnail_width"], data["thumbnail_height"]) == (640, 360)
    assert data["thumbnail_url"].startswith("http://localhost/media/")
    # Everything the article says is escaped in the card.
    assert "托育新政&lt;解读&gt;" in data["html"] and "<解读>" not in data["html"]
    assert "摘要 &amp; 说明" in data["html"]
    assert "2025-09-22" in data["html"]
    assert response["Cache-Control"] == "public, max-age=3600"


def test_percent_encoded_url_and_front_end_host(client, article, site):
    settings = FrontendSettings.for_site(site)
    settings.base_url = "https://www.example.cn"
    settings.save()
    url = "https://www.example.cn/articles/%E6%89%98%E8%82%B2%E6%96%B0%E6%94%BF/"
    data = oembed(client, url=url).json()
    assert data["title"] == "托育新政<解读>"
    assert 'href="https://www.example.cn/articles/' in data["html"]
    assert data["provider_url"] == "https://www.example.cn/"


@pytest.mark.parametrize("kind", ["draft", "private", "expired"])
def test_hidden_article_is_a_404(client, article, kind):
    if kind == "draft":
        article.live = False
        article.save()
    elif kind == "private":
        PageViewRestriction.objects.create(page=article, restriction_type="password", password="x")
    else:
        article.expire_at = timezone.now() - datetime.timedelta(minutes=1)
        article.save()
    response = oembed(client, url="http://localhost/articles/托育新政/")
    assert response.status_code == 404
    assert "托育新政" not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/articles/nope/",
        "http://evil.example.com/articles/托育新政/",
        "http://localhost/",
        "javascript:alert(1)",
        "not a url",
    ],
)
def test_unknown_urls_are_404(client, article, url):
    assert oembed(client, url=url).status_code == 404


def test_bad_parameters(client, article):
    assert oembed(client).status_code == 400
    assert oembed(client, url="http://localhost/" + "a" * 3000).status_code == 400
    assert (
        oembed(client, url="http://localhost/articles/托育新政/", maxwidth="wide").status_code
        == 400
    )
    assert (
        oembed(client, url="http://localhost/articles/托育新政/", format="xml").status_code == 501
    )
    assert client.post("/oembed", HTTP_HOST="localhost").status_code == 405


def test_maxwidth_and_maxheight_are_honoured(client, article):
    data = oembed(
        client, url="http://localhost/articles/托育新政/", maxwidth="320", maxheight="100"
    ).json()
    assert (data["width"], data["height"]) == (320, 100)


def test_articles_advertise_their_oembed_url(gql, article):
    data = gql('{ article(slug: "托育新政") { oembedUrl } }')
    assert data["article"]["oembedUrl"] == (
        "http://localhost/oembed?url=http%3A%2F%2Flocalhost%2Farticles%2F"
        "%25E6%2589%2598%25E8%2582%25B2%25E6%2596%25B0%25E6%2594%25BF%2F&format=json"
    )

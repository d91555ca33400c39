"""Draft preview in the front end: the admin's Preview, the token, and every refusal."""

import re
import time
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Page, Site
from wagtail_headless_preview.models import HeadlessPreviewMixin, PagePreview

from cms.publishing.models import FrontendSettings
from home.factories import HomePageFactory
from tests.support.admin_forms import article_form

ARTICLE = "query($token: String, $id: ID, $site: String) { article(token: $token, id: $id, site: $site) { id title summary sources { name } } }"
PAGE = "query($token: String, $id: ID) { page(token: $token, id: $id) { id title ... on ArticlePage { summary } } }"


def admin_preview(client, url, form) -> str:
    """Post the form to the admin's preview view, open the preview, return its token."""
    response = client.post(url, form)
    assert response.json()["is_valid"], response.json()
    response = client.get(url)
    assert response.status_code == 200
    iframe = re.search(r'<iframe src="([^"]+)"', response.content.decode())
    assert iframe, response.content.decode()[:500]
    preview_url = unescape(iframe.group(1))
    return preview_url


def token_of(preview_url: str) -> str:
    return parse_qs(urlsplit(preview_url).query)["token"][0]


def old_token(page, seconds_ago: int) -> str:
    """A real token signed ``seconds_ago``, as if the editor had clicked Preview back then."""

    class Then(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - seconds_ago)

    token = Then(salt="headlesspreview.token").sign(f"id={page.pk}")
    page.update_page_preview(token)
    return token


@pytest.fixture
def frontend(site):
    settings = FrontendSettings.for_site(site)
    settings.base_url = "https://www.example.cn"
    settings.preview_url = "https://preview.example.cn/api/preview"
    settings.save()
    return settings


@pytest.fixture
def live_article(article_factory):
    return article_factory(title="已发布标题", slug="live-article", summary="已发布摘要")


def test_admin_preview_opens_the_sites_front_end_and_the_token_gives_the_draft(
    admin_client, gql, frontend, live_article
):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[live_article.pk])
    preview_url = admin_preview(admin_client, url, article_form(slug="live-article"))
    assert preview_url.startswith("https://preview.example.cn/api/preview?")
    assert parse_qs(urlsplit(preview_url).query)["content_type"] == ["articles.articlepage"]
    token = token_of(preview_url)

    draft = gql(ARTICLE, {"token": token})["article"]
    assert draft == {
        "id": str(live_article.pk),
        "title": "草稿标题",
        "summary": "草稿摘要",
        "sources": [{"name": "草稿来源"}],
    }
    assert gql(PAGE, {"token": token})["page"]["title"] == "草稿标题"
    assert (
        gql(ARTICLE, {"token": token, "id": str(live_article.pk)})["article"]["title"] == "草稿标题"
    )
    # Without the token, clients still get the live version.
    assert gql(ARTICLE, {"id": str(live_article.pk)})["article"]["title"] == "已发布标题"


def test_preview_of_a_new_article_before_its_first_save(admin_client, gql, frontend, index):
    url = reverse("wagtailadmin_pages:preview_on_add", args=["articles", "articlepage", index.pk])
    token = token_of(admin_preview(admin_client, url, article_form(title="全新草稿")))
    draft = gql(ARTICLE, {"token": token})["article"]
    assert draft["title"] == "全新草稿"
    assert draft["id"] is None
    assert not Page.objects.filter(title="全新草稿").exists()


def test_preview_url_falls_back_to_the_front_end_url(admin_client, site, live_article):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[live_article.pk])
    settings = FrontendSettings.for_site(site)
    settings.base_url = "https://m.example.cn/"
    settings.save()
    assert admin_preview(admin_client, url, article_form()).startswith(
        "https://m.example.cn/preview?"
    )


def test_token_expires_after_an_hour_by_default(gql, live_article):
    live_article.title = "一小时内的草稿"
    fresh = old_token(live_article, seconds_ago=3500)
    assert gql(ARTICLE, {"token": fresh})["article"]["title"] == "一小时内的草稿"
    expired = old_token(live_article, seconds_ago=3700)
    assert gql(ARTICLE, {"token": expired}) == {"article": None}
    assert gql(PAGE, {"token": expired}) == {"page": None}


def test_token_lifetime_is_configurable(gql, live_article):
    token = old_token(live_article, seconds_ago=2 * 3600)
    assert gql(ARTICLE, {"token": token}) == {"article": None}
    with override_settings(CMS_PREVIEW_TOKEN_MAX_AGE=3 * 3600):
        assert gql(ARTICLE, {"token": token})["article"]["id"] == str(live_article.pk)
    with override_settings(CMS_PREVIEW_TOKEN_MAX_AGE=60):
        assert gql(ARTICLE, {"token": old_token(live_article, seconds_ago=120)}) == {
            "article": None
        }


def refusals(live_article, other, home):
    token = old_token(live_article, seconds_ago=0)
    value, _, signature = token.rpartition(":")
    forged_id = HeadlessPreviewMixin.get_preview_signer().sign(f"id={other.pk}")
    # A token signed for another page id but pointing at this page's stored draft.
    PagePreview.objects.create(
        token=forged_id.replace(f"id={other.pk}", f"id={live_article.pk}"),
        content_type=live_article.content_type,
        content_json=live_article.to_json(),
    )
    wrong_salt = signing.TimestampSigner(salt="other").sign(f"id={live_article.pk}")
    PagePreview.objects.create(
        token=wrong_salt,
        content_type=live_article.content_type,
        content_json=live_article.to_json(),
    )
    home_token = HeadlessPreviewMixin.get_preview_signer().sign(f"id={home.pk}")
    home.update_page_preview(home_token)
    return {
        "tampered signature": value + ":" + ("A" * len(signature)),
        "tampered page id": forged_id.replace(f"id={other.pk}", f"id={live_article.pk}"),
        "other salt": wrong_salt,
        "garbage": "not-a-token",
        "empty": "",
        "signed but no stored draft": HeadlessPreviewMixin.get_preview_signer().sign(
            f"id={other.pk}"
        ),
        "a home page's token asked as an article": home_token,
        "huge": "x" * 5000,
    }


def test_every_refused_token_gets_null_and_no_error_text(gql, live_article, article_factory, home):
    other = article_factory(title="另一篇", slug="other")
    for reason, token in refusals(live_article, other, home).items():
        for query, root in ((ARTICLE, "article"), (PAGE, "page")):
            body = gql.post(query, {"token": token}).json()
            if reason == "a home page's token asked as an article" and root == "page":
                continue  # a valid token for a page: `page` answers it (tested below)
            assert body == {"data": {root: None}}, (reason, root, body)


def test_token_is_bound_to_its_page(gql, live_article, article_factory):
    other = article_factory(title="另一篇", slug="other")
    token = old_token(live_article, seconds_ago=0)
    assert gql(ARTICLE, {"token": token, "id": str(other.pk)}) == {"article": None}
    assert gql(PAGE, {"token": token, "id": str(other.pk)}) == {"page": None}
    by_slug = 'query($t: String) { article(token: $t, slug: "other") { id } }'
    assert gql(by_slug, {"t": token}) == {"article": None}
    by_path = 'query($t: String) { article(token: $t, urlPath: "/articles/live-article/") { id } }'
    assert gql(by_path, {"t": token})["article"]["id"] == str(live_article.pk)


def test_token_of_another_sites_page_gets_null(gql, live_article):
    other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="other-site")
    Site.objects.create(hostname="other.example.com", root_page=other_home)
    token = old_token(live_article, seconds_ago=0)
    assert gql(ARTICLE, {"token": token, "site": "other.example.com"}) == {"article": None}
    assert gql(ARTICLE, {"token": token, "site": "localhost"})["article"]["id"] == str(
        live_article.pk
    )


def test_preview_of_a_draft_that_was_never_published(gql, article_factory):
    draft = article_factory(title="从未发布", slug="never", live=False)
    token = old_token(draft, seconds_ago=0)
    assert gql(ARTICLE, {"token": token})["article"]["title"] == "从未发布"
    # Without the token, nothing reveals it.
    assert gql(ARTICLE, {"id": str(draft.pk)}) == {"article": None}


def test_a_draft_shows_only_visible_pages_through_its_relations(gql, live_article, article_factory):
    from articles.factories import RecommendedReadingFactory

    hidden = article_factory(title="未发布的推荐", slug="hidden", live=False)
    shown = article_factory(title="已发布的推荐", slug="shown")
    RecommendedReadingFactory(page=live_article, article=hidden)
    RecommendedReadingFactory(page=live_article, article=shown)
    live_article.refresh_from_db()
    token = old_token(live_article, seconds_ago=0)
    query = "query($t: String) { article(token: $t) { recommendedReading { title } siblings { title } } }"
    draft = gql(query, {"t": token})["article"]
    assert draft["recommendedReading"] == [{"title": "已发布的推荐"}]
    assert {"title": "未发布的推荐"} not in draft["siblings"]

"""Preview and live links lead where readers see the page: the site's front end.

The CMS renders no pages. With no front end known, Preview explains what to set instead
of framing an address where nothing answers; with one (a site setting, or the
CMS_FRONTEND_URL that `make run` sets), Preview opens its /preview and the admin's page
links ("View live", usage, status panel) are sent on to it.
"""

import re
from html import unescape

import pytest
from django.urls import reverse

from cms.publishing.models import FrontendSettings
from tests.support.admin_forms import article_form


@pytest.fixture
def article(article_factory):
    return article_factory(title="已发布文章", slug="已发布文章")


def preview_page(client, article):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    assert client.post(url, article_form(slug=article.slug)).json()["is_valid"]
    return client.get(url).content.decode()


def test_without_a_front_end_preview_says_what_to_set(admin_client, article, site):
    html = preview_page(admin_client, article)
    assert "<iframe" not in html
    assert "没有可用于预览的前端" in html
    assert "设置 → 前端" in html and "make run" in html
    settings_url = reverse("wagtailsettings:edit", args=["publishing", "frontendsettings", site.pk])
    assert f'href="{settings_url}"' in html


def test_with_the_development_front_end_preview_opens_it(admin_client, article, settings):
    settings.CMS_FRONTEND_URL = "http://127.0.0.1:3000"
    html = preview_page(admin_client, article)
    src = unescape(re.search(r'<iframe src="([^"]+)"', html).group(1))
    assert src.startswith("http://127.0.0.1:3000/preview?content_type=articles.articlepage&token=")


def test_a_sites_own_front_end_wins_over_the_development_one(admin_client, article, settings, site):
    settings.CMS_FRONTEND_URL = "http://127.0.0.1:3000"
    front = FrontendSettings.for_site(site)
    front.base_url = "https://www.example.cn"
    front.save()
    html = preview_page(admin_client, article)
    assert 'src="https://www.example.cn/preview?' in html


def test_live_links_are_sent_on_to_the_front_end(admin_client, article, settings):
    settings.CMS_FRONTEND_URL = "http://127.0.0.1:3000"
    path = article.get_url()  # what "View live" links to: a path on the CMS
    response = admin_client.get(path, HTTP_HOST="localhost")
    assert response.status_code == 302
    assert response["Location"] == "http://127.0.0.1:3000" + path


def test_the_edit_page_view_live_link_leads_to_the_front_end(admin_client, article, settings):
    settings.CMS_FRONTEND_URL = "http://127.0.0.1:3000"
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content
    links = re.findall(r'href="([^"]*)"', html.decode())
    live = [unescape(link) for link in links if "articles/" in unescape(link)]
    assert live, "no link to the live page on the edit page"
    response = admin_client.get(live[0], HTTP_HOST="localhost")
    assert response.status_code == 302
    assert response["Location"].startswith("http://127.0.0.1:3000/")


def test_a_draft_or_unknown_path_is_not_sent_on(admin_client, article_factory, settings):
    settings.CMS_FRONTEND_URL = "http://127.0.0.1:3000"
    draft = article_factory(title="草稿", slug="draft-only", live=False)
    response = admin_client.get(draft.get_url() or "/articles/draft-only/", HTTP_HOST="localhost")
    assert response.status_code == 404
    assert "本站内容由前端渲染" in response.content.decode()  # readable, not \\u escapes


def test_without_a_front_end_the_answer_is_readable_json(client, article):
    response = client.get(article.get_url(), HTTP_HOST="localhost")
    assert response.status_code == 404
    assert "本站内容由前端渲染" in response.content.decode()

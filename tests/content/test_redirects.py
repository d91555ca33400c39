"""Redirects managed in the admin, resolved by path over GraphQL."""

import datetime

import pytest
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction, Site

from cms.publishing.models import FrontendSettings
from home.factories import HomePageFactory

QUERY = """query($path: String!, $site: String) { redirect(path: $path, site: $site) {
  oldPath isPermanent location url page { id title } } }"""


@pytest.fixture
def target(site, article_factory):
    settings = FrontendSettings.for_site(site)
    settings.base_url = "https://www.example.cn"
    settings.save()
    return article_factory(title="新地址", slug="new-home")


def test_redirect_to_a_page_resolves_to_its_front_end_path(gql, site, target):
    Redirect.objects.create(old_path="/old-news", site=site, redirect_page=target)
    for path in ("/old-news", "/old-news/", "old-news/"):
        assert gql(QUERY, {"path": path})["redirect"] == {
            "oldPath": "/old-news",
            "isPermanent": True,
            "location": "/articles/new-home/",
            "url": "https://www.example.cn/articles/new-home/",
            "page": {"id": str(target.pk), "title": "新地址"},
        }


def test_redirect_created_in_the_admin_with_a_chinese_path(admin_client, gql, site, target):
    response = admin_client.post(
        "/admin/redirects/add/",
        {
            "old_path": "/旧栏目/文章/",
            "site": site.pk,
            "is_permanent": "",
            "redirect_link": "https://www.news.cn/x",
        },
    )
    assert response.status_code == 302
    encoded = "/%E6%97%A7%E6%A0%8F%E7%9B%AE/%E6%96%87%E7%AB%A0/"
    for path in ("/旧栏目/文章/", encoded):
        answer = gql(QUERY, {"path": path})["redirect"]
        assert answer["isPermanent"] is False
        assert answer["location"] == answer["url"] == "https://www.news.cn/x"
        assert answer["page"] is None


def test_no_redirect_is_null(gql, site):
    assert gql(QUERY, {"path": "/nothing-here/"}) == {"redirect": None}


@pytest.mark.parametrize("kind", ["draft", "expired", "private"])
def test_redirect_to_a_hidden_page_reveals_nothing(gql, site, target, kind):
    if kind == "draft":
        target.unpublish()
    elif kind == "expired":
        target.expire_at = timezone.now() - datetime.timedelta(seconds=1)
        target.save()
    else:
        PageViewRestriction.objects.create(
            page=target, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    Redirect.objects.create(old_path="/old-news", site=site, redirect_page=target)
    assert gql(QUERY, {"path": "/old-news"}) == {"redirect": None}


def test_site_specific_redirect_wins_and_other_sites_redirects_stay_apart(gql, site, target):
    other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="other")
    other = Site.objects.create(hostname="other.example.com", root_page=other_home)
    Redirect.objects.create(old_path="/a", site=None, redirect_link="https://all.example/")
    Redirect.objects.create(old_path="/a", site=site, redirect_page=target)
    Redirect.objects.create(old_path="/b", site=other, redirect_link="https://other.example/")
    assert gql(QUERY, {"path": "/a", "site": "localhost"})["redirect"]["location"] == (
        "/articles/new-home/"
    )
    assert gql(QUERY, {"path": "/a", "site": "other.example.com"})["redirect"]["url"] == (
        "https://all.example/"
    )
    assert gql(QUERY, {"path": "/b", "site": "localhost"}) == {"redirect": None}
    # A page of another site is named by its absolute front-end URL.
    Redirect.objects.create(old_path="/c", site=other, redirect_page=target)
    assert gql(QUERY, {"path": "/c", "site": "other.example.com"})["redirect"]["location"] == (
        "https://www.example.cn/articles/new-home/"
    )


def test_bad_path_is_a_field_error(gql, site):
    for path in ("", "   ", "/x" * 200):
        (error,) = gql.errors(QUERY, {"path": path})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "path"}

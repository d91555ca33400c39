"""The one visibility rule, checked on every way a page can be hidden."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from cms.core import visibility
from cms.core.visibility import Visibility


def restrict(page, kind=PageViewRestriction.PASSWORD):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="secret"
    )
    if kind == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.create(name="staff"))
    return restriction


@pytest.fixture
def live(article_factory):
    return article_factory(title="公开文章")


def test_live_public_page_is_visible(live):
    assert Visibility().allows(live)
    assert visibility.visible_pages().filter(pk=live.pk).exists()


def test_draft_is_hidden(article_factory):
    draft = article_factory(live=False)
    assert not Visibility().allows(draft)
    assert not visibility.visible_pages().filter(pk=draft.pk).exists()


def test_expired_page_is_hidden_before_the_scheduler_runs(article_factory):
    expired = article_factory(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    assert expired.live  # Wagtail still calls it live until publish_scheduled runs
    assert not Visibility().allows(expired)
    assert not visibility.visible_pages().filter(pk=expired.pk).exists()


def test_page_expiring_later_is_visible(article_factory):
    later = article_factory(expire_at=timezone.now() + datetime.timedelta(days=1))
    assert Visibility().allows(later)
    assert visibility.visible_pages().filter(pk=later.pk).exists()


@pytest.mark.parametrize(
    "kind",
    [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN, PageViewRestriction.GROUPS],
)
def test_restricted_page_and_its_descendants_are_hidden(index, article_factory, kind):
    article = article_factory()
    restrict(index, kind)
    rule = Visibility()
    assert not rule.allows(index)
    assert not rule.allows(Page.objects.get(pk=article.pk))
    assert not visibility.visible_pages().filter(pk__in=[index.pk, article.pk]).exists()


def test_tree_root_is_never_visible(db):
    assert not Visibility().allows(Page.get_first_root_node())
    assert not visibility.visible_pages().filter(depth=1).exists()


def test_none_is_not_visible():
    assert not Visibility().allows(None)


def test_restrictions_are_read_once_per_request(rf, live, django_assert_num_queries):
    request = rf.get("/")
    rule = visibility.for_request(request)
    assert rule is visibility.for_request(request)
    with django_assert_num_queries(1):
        for _ in range(5):
            assert rule.allows(live)


def test_keep_drops_hidden_pages_and_keeps_order(article_factory):
    first, hidden, last = article_factory(), article_factory(live=False), article_factory()
    assert Visibility().keep([first, hidden, None, last]) == [first, last]

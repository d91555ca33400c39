"""An editor's publishing details: the publication date of a scheduled article, and an
article that cannot be its own recommended reading."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from articles.models import ArticlePage, RecommendedReading


def schedule_then_arrive(article, hours=1):
    """Schedule ``article``, then let its go-live time pass; returns that time."""
    article.go_live_at = timezone.now() + datetime.timedelta(hours=hours)
    revision = article.save_revision()
    revision.publish()
    when = (timezone.now() - datetime.timedelta(minutes=5)).replace(microsecond=0)
    revision.content["go_live_at"] = when.isoformat()
    revision.approved_go_live_at = when
    revision.save(update_fields=["content", "approved_go_live_at"])
    Page.objects.filter(pk=article.pk).update(go_live_at=when)
    call_command("publish_scheduled", verbosity=0)
    return when


def test_a_scheduled_article_left_undated_is_dated_when_it_goes_live(article_factory):
    article = article_factory(title="定时文章", live=False, published_at=None)
    when = schedule_then_arrive(article)
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live
    assert article.published_at == when  # not the moment the form was opened

    # Editing and publishing again keeps the date readers already saw.
    draft = article.get_latest_revision_as_object()
    assert draft.published_at == when
    draft.summary = "改过的摘要"
    draft.save_revision().publish()
    assert ArticlePage.objects.get(pk=article.pk).published_at == when


def test_a_date_the_editor_chose_is_kept(article_factory):
    chosen = (timezone.now() - datetime.timedelta(days=30)).replace(microsecond=0)
    article = article_factory(live=False, published_at=chosen)
    schedule_then_arrive(article)
    assert ArticlePage.objects.get(pk=article.pk).published_at == chosen


def test_publishing_now_undated_dates_it_now(article_factory):
    article = article_factory(live=False, published_at=None)
    before = timezone.now()
    article.save_revision().publish()
    assert ArticlePage.objects.get(pk=article.pk).published_at >= before


def test_a_draft_in_preview_has_a_publication_date(article_factory):
    article = article_factory(live=False, published_at=None)
    assert article.publication_time is not None


def test_the_add_form_leaves_the_date_empty(admin_client, index):
    url = reverse("wagtailadmin_pages:add", args=["articles", "articlepage", index.pk])
    html = admin_client.get(url).content.decode()
    field = html[html.index('name="published_at"') - 300 : html.index('name="published_at"') + 300]
    assert 'value=""' in field or "value=" not in field


@pytest.fixture
def two_articles(article_factory):
    return article_factory(title="甲文章托育"), article_factory(title="乙文章托育")


def test_the_chooser_opened_from_an_article_does_not_offer_it(admin_client, two_articles):
    first, second = two_articles
    edit = "http://testserver" + reverse("wagtailadmin_pages:edit", args=[first.pk])
    response = admin_client.get(
        reverse("wagtailadmin_choose_page_search"),
        {"q": "文章", "page_type": "articles.articlepage"},
        HTTP_REFERER=edit,
    )
    html = response.content.decode()
    assert second.title in html and first.title not in html
    # Opened from elsewhere, both are offered.
    html = admin_client.get(
        reverse("wagtailadmin_choose_page_search"), {"q": "文章"}
    ).content.decode()
    assert second.title in html and first.title in html


def test_an_article_cannot_recommend_itself(two_articles):
    first, second = two_articles
    with pytest.raises(ValidationError) as refused:
        RecommendedReading(page=first, article=first).clean()
    assert "article" in refused.value.message_dict
    RecommendedReading(page=first, article=second).clean()

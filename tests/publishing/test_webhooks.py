"""Signed webhooks: events on publishing changes, delivered by the durable worker."""

import datetime
import json

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page, Site

from articles.factories import ArticleCategoryFactory
from cms.publishing.models import FrontendSettings, WebhookDelivery, WebhookEndpoint
from home.factories import HomePageFactory
from tests.support.receiver import Receiver
from tests.support.worker import run_worker, with_worker

SECRET = "s3cret-shared-with-the-front-end"
ALL_EVENTS = [
    "page.published",
    "page.unpublished",
    "page.deleted",
    "page.moved",
    "snippet.saved",
    "snippet.deleted",
    "setting.saved",
]


@pytest.fixture(autouse=True)
def loopback_receivers(settings):
    """The receivers here listen on 127.0.0.1, which production refuses (see
    test_webhook_ssrf.py, which runs with the setting empty)."""
    settings.CMS_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]


def endpoint_for(url, events=ALL_EVENTS, secret=SECRET, sites=()):
    endpoint = WebhookEndpoint.objects.create(name="前端", url=url, secret=secret, events=events)
    endpoint.sites.set(sites)
    return endpoint


def bodies(**filters):
    return [json.loads(d.body) for d in WebhookDelivery.objects.filter(**filters).order_by("id")]


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish a page's latest content as the admin does, committing (callbacks run)."""

    def do(page):
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()

    return do


@pytest.mark.slow
@with_worker
def test_publish_posts_a_signed_event_the_receiver_verifies(publish, article_factory):
    article = article_factory(slug="托育新政")
    with Receiver(SECRET) as receiver:
        endpoint_for(receiver.url)
        article.title = "新标题"
        publish(article)
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "pending"
        assert receiver.requests == []  # publishing itself sent nothing

        run_worker()

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request["valid"]
    assert request["headers"]["X-Webhook-Event"] == "page.published"
    event = receiver.events()[0]
    assert event["type"] == "page.published"
    assert event["ids"] == [article.pk]
    assert event["paths"] == ["/articles/%E6%89%98%E8%82%B2%E6%96%B0%E6%94%BF/"]
    assert event["site"]["hostname"] == "localhost"
    assert event["model"] == "articles.articlepage"
    assert datetime.datetime.fromisoformat(event["time"]).utcoffset() == datetime.timedelta(hours=8)
    delivery.refresh_from_db()
    assert delivery.status == "succeeded"
    assert delivery.response_status == 200
    assert json.loads(delivery.response_body) == {"received": 1}
    assert delivery.attempts == 1 and len(delivery.log) == 1


@pytest.mark.slow
@with_worker
def test_a_wrong_secret_fails_the_receivers_check(publish, article_factory):
    article = article_factory()
    with Receiver(SECRET) as receiver:
        endpoint_for(receiver.url, secret="not-the-receivers-secret")
        publish(article)
        run_worker()
    assert [r["valid"] for r in receiver.requests] == [False]
    delivery = WebhookDelivery.objects.get()
    assert delivery.response_status == 401
    assert delivery.status == "retrying"


@pytest.mark.slow
@with_worker
@override_settings(CMS_WEBHOOK_RETRY_BASE=30)
def test_failed_delivery_is_retried_with_backoff_and_then_succeeds(publish, article_factory):
    article = article_factory()
    with Receiver(SECRET, fail_first=1) as receiver:
        endpoint_for(receiver.url)
        publish(article)
        before = timezone.now()
        run_worker()
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "retrying"
        assert delivery.response_status == 503
        assert delivery.attempts == 1
        wait = delivery.next_attempt_at - before
        assert datetime.timedelta(seconds=29) < wait < datetime.timedelta(seconds=40)
        queued = DBTaskResult.objects.filter(status="READY", backend_name="durable").get()
        assert queued.run_after == delivery.next_attempt_at

        run_worker()  # not due yet: nothing happens
        assert len(receiver.requests) == 1

        queued.run_after = timezone.now()  # time passes
        queued.save(update_fields=["run_after"])
        run_worker()

    assert len(receiver.requests) == 2
    assert all(r["valid"] for r in receiver.requests)
    # The same event both times, each request signed afresh.
    assert receiver.events()[0] == receiver.events()[1]
    delivery.refresh_from_db()
    assert delivery.status == "succeeded"
    assert delivery.attempts == 2
    assert [entry["status"] for entry in delivery.log] == [503, 200]


@pytest.mark.slow
@with_worker
@override_settings(CMS_WEBHOOK_RETRY_BASE=10, CMS_WEBHOOK_MAX_ATTEMPTS=3)
def test_backoff_doubles_and_delivery_gives_up_after_the_last_attempt(publish, article_factory):
    article = article_factory()
    with Receiver(SECRET, fail_first=99) as receiver:
        endpoint_for(receiver.url)
        publish(article)
        waits = []
        for _ in range(3):
            started = timezone.now()
            run_worker()
            delivery = WebhookDelivery.objects.get()
            if delivery.next_attempt_at:
                waits.append(round((delivery.next_attempt_at - started).total_seconds()))
            DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    assert waits == [10, 20]
    assert delivery.status == "failed"
    assert delivery.attempts == 3
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert len(receiver.requests) == 3


@pytest.mark.slow
@with_worker
@override_settings(CMS_WEBHOOK_TIMEOUT=1)
def test_publishing_returns_while_the_endpoint_hangs(
    admin_client, django_capture_on_commit_callbacks, article_factory
):
    article = article_factory(title="旧标题")
    with Receiver(SECRET, hang=True) as receiver:
        endpoint_for(receiver.url)
        edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
        form = {
            "title": "新标题",
            "slug": article.slug,
            "summary": "摘要",
            "published_at": "2025-09-22 15:10:55",
            "body-count": "0",
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
            "sources-MIN_NUM_FORMS": "0",
            "sources-MAX_NUM_FORMS": "1000",
            "recommended_reading-TOTAL_FORMS": "0",
            "recommended_reading-INITIAL_FORMS": "0",
            "recommended_reading-MIN_NUM_FORMS": "0",
            "recommended_reading-MAX_NUM_FORMS": "1000",
            "tags": "",
            "action-publish": "action-publish",
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(edit_url, form)
        assert response.status_code == 302
        # The publish is done and the endpoint has not even been called.
        assert Page.objects.get(pk=article.pk).title == "新标题"
        assert receiver.requests == []
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "pending"

        run_worker()  # the worker gives up on the hanging request after the timeout
        assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.status == "retrying"
    assert delivery.response_status is None
    assert "timed out" in delivery.error.lower()


@pytest.mark.slow
def test_unpublish_delete_move_snippet_and_setting_events(
    publish, django_capture_on_commit_callbacks, index, home, site, article_factory
):
    endpoint_for("http://127.0.0.1:9/unused")
    a = article_factory(slug="a")
    b = article_factory(slug="b")
    with django_capture_on_commit_callbacks(execute=True):
        a.unpublish()
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=b.pk).delete()
    # Wagtail unpublishes a live page as it deletes it: both events reach the front end.
    assert sorted((e["type"], e["ids"], e["paths"]) for e in bodies()) == [
        ("page.deleted", [b.pk], ["/articles/b/"]),
        ("page.unpublished", [a.pk], ["/articles/a/"]),
        ("page.unpublished", [b.pk], ["/articles/b/"]),
    ]

    WebhookDelivery.objects.all().delete()
    c = article_factory(slug="c")
    with django_capture_on_commit_callbacks(execute=True):
        index.title = "资讯"
        index.slug = "news"
        index.save_revision().publish()
    WebhookDelivery.objects.all().delete()
    from articles.factories import ArticleIndexPageFactory

    other_parent = HomePageFactory(parent=Page.get_first_root_node(), slug="home2")
    Site.objects.create(hostname="other.example.com", root_page=other_parent)
    target = ArticleIndexPageFactory(parent=other_parent, slug="archive")
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=c.pk).move(target, pos="last-child")
    (moved,) = bodies(event_type="page.moved")
    assert moved["ids"] == [c.pk]
    assert moved["site"]["hostname"] == "other.example.com"
    assert moved["paths"] == ["/archive/c/", "/news/c/"]

    WebhookDelivery.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        category = ArticleCategoryFactory(name="政策解读", slug="policy")
    with django_capture_on_commit_callbacks(execute=True):
        frontend = FrontendSettings.for_site(site)  # a read creates the row: no event
    with django_capture_on_commit_callbacks(execute=True):
        frontend.base_url = "https://www.example.cn"
        frontend.save()
    events = bodies()
    assert [(e["type"], e["model"], e["ids"]) for e in events] == [
        ("snippet.saved", "articles.articlecategory", [category.pk]),
        ("setting.saved", "publishing.frontendsettings", [frontend.pk]),
    ]
    assert events[0]["site"] is None
    assert events[1]["site"]["hostname"] == "localhost"


def test_endpoints_get_only_their_events_and_sites(publish, site, article_factory):
    other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="other")
    other_site = Site.objects.create(hostname="other.example.com", root_page=other_home)
    only_unpublish = endpoint_for("http://127.0.0.1:9/a", events=["page.unpublished"])
    other_sites = endpoint_for("http://127.0.0.1:9/b", sites=[other_site])
    this_site = endpoint_for("http://127.0.0.1:9/c", sites=[site])
    inactive = endpoint_for("http://127.0.0.1:9/d")
    inactive.is_active = False
    inactive.save()

    publish(article_factory())
    assert list(WebhookDelivery.objects.values_list("endpoint", flat=True)) == [this_site.pk]
    assert not only_unpublish.deliveries.exists() and not other_sites.deliveries.exists()


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks, article_factory):
    from django.db import transaction

    endpoint_for("http://127.0.0.1:9/unused")
    article = article_factory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                article.save_revision().publish()
                raise RuntimeError("editor's transaction fails")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not WebhookDelivery.objects.exists()


@pytest.mark.slow
@with_worker
def test_admin_registers_endpoint_lists_deliveries_and_resends(
    admin_client, publish, django_capture_on_commit_callbacks, site, article_factory
):
    with Receiver(SECRET) as receiver:
        response = admin_client.post(
            reverse("publishing_webhook_endpoints:add"),
            {
                "name": "Next.js 前端",
                "url": receiver.url,
                "secret": SECRET,
                "events": ["page.published", "page.unpublished"],
                "sites": [site.pk],
                "is_active": "on",
            },
        )
        assert response.status_code == 302, response.context["form"].errors
        endpoint = WebhookEndpoint.objects.get()
        assert endpoint.events == ["page.published", "page.unpublished"]

        publish(article_factory(title="要通知的文章"))
        run_worker()
        delivery = WebhookDelivery.objects.get()

        listing = admin_client.get(reverse("publishing_webhook_deliveries:index"))
        html = listing.content.decode()
        assert "page.published" in html and "Next.js 前端" in html
        resend_url = reverse("publishing_webhook_deliveries:resend", args=[delivery.pk])
        assert resend_url in html
        inspect = admin_client.get(
            reverse("publishing_webhook_deliveries:inspect", args=[delivery.pk])
        )
        assert inspect.status_code == 200
        assert "received" in inspect.content.decode()
        # The log is not editable by people.
        assert admin_client.get(reverse("publishing_webhook_deliveries:add")).status_code == 302

        assert admin_client.get(resend_url).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(resend_url)
        assert response.status_code == 302
        run_worker()

    assert len(receiver.requests) == 2 and all(r["valid"] for r in receiver.requests)
    copy = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
    assert copy.resent_from == delivery and copy.status == "succeeded"
    assert copy.body == delivery.body


def test_admin_refuses_a_non_http_endpoint_url(admin_client):
    response = admin_client.post(
        reverse("publishing_webhook_endpoints:add"),
        {"name": "x", "url": "ftp://example.cn/hook", "secret": "s", "events": ["page.published"]},
    )
    assert response.status_code == 200
    assert "url" in response.context["form"].errors
    assert not WebhookEndpoint.objects.exists()

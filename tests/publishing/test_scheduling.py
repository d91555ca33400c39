"""Go-live and expiry dates take effect through the durable worker, with no manual command."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page

from cms.publishing.models import WebhookDelivery, WebhookEndpoint
from cms.publishing.tasks import run_scheduled_publishing
from tests.support.worker import run_worker, with_worker

# Each test commits for real and restores the initial data: seconds apiece.
pytestmark = [with_worker, pytest.mark.slow]

ONE = "query($id: ID) { article(id: $id) { title } }"
LIST = "{ articles { totalCount items { title } } }"


def queued_scheduler_runs():
    return DBTaskResult.objects.filter(
        task_path=run_scheduled_publishing.module_path, status="READY"
    )


def past(seconds=1):
    return timezone.now() - datetime.timedelta(seconds=seconds)


@pytest.fixture
def scheduled_article(article_factory):
    """An article an editor scheduled to go live; then its go-live time arrived."""
    article = article_factory(title="定时发布的文章", live=False)
    article.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = article.save_revision()
    revision.publish()
    article.refresh_from_db()
    assert not article.live
    # The hour passes: every copy of the go-live time is now in the past.
    when = past()
    revision.content["go_live_at"] = when.isoformat()
    revision.approved_go_live_at = when
    revision.save(update_fields=["content", "approved_go_live_at"])
    Page.objects.filter(pk=article.pk).update(go_live_at=when)
    return article


def test_start_scheduler_queues_one_run_however_often_it_is_called(db):
    call_command("start_scheduler", verbosity=0)
    call_command("start_scheduler", verbosity=0)
    assert queued_scheduler_runs().count() == 1


def test_scheduled_go_live_happens_on_the_worker_and_the_next_run_is_queued(
    gql, settings, scheduled_article
):
    settings.CMS_SCHEDULER_INTERVAL = 60
    assert gql(ONE, {"id": scheduled_article.pk}) == {"article": None}
    call_command("start_scheduler", verbosity=0)  # what `make run` does once

    started = timezone.now()
    run_worker()

    assert gql(ONE, {"id": scheduled_article.pk})["article"]["title"] == "定时发布的文章"
    assert gql(LIST)["articles"]["totalCount"] == 1
    (next_run,) = queued_scheduler_runs()
    assert next_run.run_after - started >= datetime.timedelta(seconds=59)
    assert (
        DBTaskResult.objects.filter(
            task_path=run_scheduled_publishing.module_path, status="SUCCESSFUL"
        ).count()
        == 1
    )


def test_the_chain_keeps_running_and_never_doubles(gql, scheduled_article, article_factory):
    call_command("start_scheduler", verbosity=0)
    run_worker()
    for _ in range(3):
        queued_scheduler_runs().update(run_after=timezone.now())  # the interval passes
        run_worker()
        assert queued_scheduler_runs().count() == 1
    assert (
        DBTaskResult.objects.filter(
            task_path=run_scheduled_publishing.module_path, status="SUCCESSFUL"
        ).count()
        == 4
    )


def test_expired_page_is_hidden_at_once_and_unpublished_by_the_worker(
    gql, client, django_capture_on_commit_callbacks, article_factory
):
    WebhookEndpoint.objects.create(
        name="前端", url="http://127.0.0.1:9/unused", events=["page.unpublished"]
    )
    keep = article_factory(title="长期有效")
    article = article_factory(title="到期下线", slug="expiring")
    article.expire_at = past()
    article.save()

    # Before the scheduler has run: already gone from every query, list and feed.
    assert gql(ONE, {"id": article.pk}) == {"article": None}
    assert [item["title"] for item in gql(LIST)["articles"]["items"]] == ["长期有效"]
    feed = client.get("/feeds/articles.atom", HTTP_HOST="localhost").content.decode()
    assert "到期下线" not in feed and "长期有效" in feed
    assert "expiring" not in client.get("/sitemap.xml", HTTP_HOST="localhost").content.decode()

    call_command("start_scheduler", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()

    article.refresh_from_db()
    assert not article.live and article.expired
    keep.refresh_from_db()
    assert keep.live
    (delivery,) = WebhookDelivery.objects.all()
    event = json.loads(delivery.body)
    assert (event["type"], event["ids"], event["paths"]) == (
        "page.unpublished",
        [article.pk],
        ["/articles/expiring/"],
    )

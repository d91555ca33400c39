"""cms.core.retry: the backoff webhook deliveries and CDN purges share."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms.cdn.models import CdnPurge
from cms.cdn.tasks import purge_cdn
from cms.core.retry import backoff, settle_attempt

pytestmark = pytest.mark.django_db


def test_backoff_doubles_after_each_failure():
    assert [backoff(30, n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


def _settle(purge, **outcome):
    purge.attempts += 1
    now = timezone.now()
    settle_attempt(purge, now, base_seconds=30, done_field="purged_at", task=purge_cdn, **outcome)
    return now


def test_a_failed_attempt_queues_its_retry_at_the_backoff():
    purge = CdnPurge.objects.create(tags=["page-1"], attempts=1)
    now = _settle(purge, succeeded=False, give_up=False)
    purge.refresh_from_db()
    assert purge.status == CdnPurge.Status.RETRYING
    assert purge.next_attempt_at == now + datetime.timedelta(seconds=60)
    queued = DBTaskResult.objects.get(status="READY", backend_name="durable")
    assert queued.run_after == purge.next_attempt_at


def test_success_and_giving_up_queue_nothing():
    done = CdnPurge.objects.create(tags=["a"], next_attempt_at=timezone.now())
    now = _settle(done, succeeded=True, give_up=False)
    failed = CdnPurge.objects.create(tags=["b"], next_attempt_at=timezone.now())
    _settle(failed, succeeded=False, give_up=True)
    done.refresh_from_db()
    failed.refresh_from_db()
    assert (done.status, done.purged_at, done.next_attempt_at) == ("succeeded", now, None)
    assert (failed.status, failed.purged_at, failed.next_attempt_at) == ("failed", None, None)
    assert not DBTaskResult.objects.exists()

"""Background work on the durable backend: webhook deliveries and the publishing scheduler.

The scheduler is a task that runs Wagtail's ``publish_scheduled`` and then enqueues
its own next run ``CMS_SCHEDULER_INTERVAL`` seconds later, so the worker that
``make run`` starts applies go-live and expiry dates without anyone running a
command. ``ensure_scheduler`` starts the chain (``manage.py start_scheduler``,
called by ``make run``) and keeps exactly one future run queued: calling it again,
or a second chain, adds nothing. If the worker is down, the queued run waits and
catches up when it returns (``publish_scheduled`` handles every overdue date).
"""

import datetime
import io

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


@task(backend="durable")
def run_scheduled_publishing() -> str:
    output = io.StringIO()
    try:
        call_command("publish_scheduled", stdout=output)
    finally:
        # Even when publishing one page fails, the next run must stay queued.
        ensure_scheduler(delay=settings.CMS_SCHEDULER_INTERVAL)
    return output.getvalue()[-1000:]


def _queued_runs():
    return DBTaskResult.objects.filter(
        task_path=run_scheduled_publishing.module_path,
        status=TaskResultStatus.READY,
        backend_name="durable",
    )


def ensure_scheduler(delay: int = 0):
    """Queue the next scheduler run unless one is already waiting; returns it or None."""
    with transaction.atomic():
        if _queued_runs().select_for_update().exists():
            return None
        run_after = timezone.now() + datetime.timedelta(seconds=delay)
        return run_scheduled_publishing.using(run_after=run_after).enqueue()

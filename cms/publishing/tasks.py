"""Background work on the durable backend: webhook deliveries and the publishing scheduler.

The scheduler is a task that runs Wagtail's ``publish_scheduled`` and then enqueues
its own next run ``CMS_SCHEDULER_INTERVAL`` seconds later, so the worker that
``make run`` starts applies go-live and expiry dates without anyone running a
command. ``ensure_scheduler`` starts the chain (``manage.py start_scheduler``,
called by ``make run``) and keeps exactly one future run queued: calling it again,
or a second chain, adds nothing. If the worker is down, the queued run waits and
catches up when it returns (``publish_scheduled`` handles every overdue date). Every
worker also calls it when it starts and on each heartbeat (the ``db_worker`` command of
this app), and a run whose worker died is put back in the queue (cms.publishing.recovery):
no crash, at any instant, ends the chain.
"""

import datetime
import io

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

# Any fixed number, the same in every process (pg_advisory_xact_lock's key).
SCHEDULER_LOCK = 7_301_301


@task(backend="durable")
def run_scheduled_publishing() -> str:
    output = io.StringIO()
    started = timezone.now()
    try:
        call_command("publish_scheduled", stdout=output)
    finally:
        # Even when publishing one page fails, the next run must stay queued. Counted from
        # this run's start, so runs begin every interval, however long each takes.
        ensure_scheduler(
            run_after=started + datetime.timedelta(seconds=settings.CMS_SCHEDULER_INTERVAL)
        )
    return output.getvalue()[-1000:]


def _queued_runs(*statuses):
    return DBTaskResult.objects.filter(
        task_path=run_scheduled_publishing.module_path,
        status__in=statuses or [TaskResultStatus.READY],
        backend_name="durable",
    )


def ensure_scheduler(delay: int = 0, if_idle: bool = False, run_after=None):
    """Queue the next scheduler run unless one is already waiting; returns it or None.

    ``if_idle`` (the workers' heartbeat) also leaves a running run alone: it queues the
    next one itself when it ends, and a run whose worker died is put back by recovery.
    """
    statuses = [TaskResultStatus.READY]
    if if_idle:
        statuses.append(TaskResultStatus.RUNNING)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Row locks cannot lock a row that is not there: two workers' heartbeats would
            # each queue a run, and two chains would follow. One lock for all of them.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEDULER_LOCK])
        if _queued_runs(*statuses).select_for_update().exists():
            return None
        if run_after is None:
            run_after = timezone.now() + datetime.timedelta(seconds=delay)
        return run_scheduled_publishing.using(run_after=run_after).enqueue()

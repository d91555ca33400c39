"""django-tasks-db's worker, with a lease, recovery of lost tasks and a scheduler that stays.

Same command and options as the library's (this app comes first in INSTALLED_APPS, so
``manage.py db_worker`` is this one). On top:

- before taking any task, and then every CMS_WORKER_HEARTBEAT_SECONDS on a thread of its
  own, the worker renews its lease, takes back tasks of workers whose lease ran out
  (cms.publishing.recovery), and makes sure the publishing scheduler has a run queued or
  running: a crash at any instant of the scheduler's chain costs at most one lease;
- it gives its lease up when it stops cleanly;
- when idle it sleeps until the next queued task is due, if that comes before the poll
  interval: the scheduler's runs start on time.

``--batch`` (tests, one-off runs) recovers once and leaves the scheduler alone: a batch run
must end, not queue work for later.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.db.models import Min
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from cms.core.signals import worker_starting
from cms.publishing import recovery

logger = logging.getLogger("cms.tasks")


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str, keep_scheduler: bool):
        super().__init__(name="task-worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.keep_scheduler = keep_scheduler
        self.stopped = threading.Event()

    def tick(self) -> None:
        from cms.publishing.tasks import ensure_scheduler

        recovery.beat(self.worker_id)
        recovery.recover_lost_tasks()
        if self.keep_scheduler:
            ensure_scheduler(delay=0, if_idle=True)

    def run(self) -> None:
        while not self.stopped.wait(settings.CMS_WORKER_HEARTBEAT_SECONDS):
            try:
                self.tick()
            except DatabaseError:
                # The database is away: the lease lapses, and the next beat renews it.
                logger.warning("Task worker heartbeat failed", exc_info=True)
            finally:
                close_old_connections()
        connection.close()


class Worker(db_worker.Worker):
    # The library sleeps ``interval`` whenever no task is due; a task due sooner (the
    # scheduler's next run) would start up to that late. Sleep until it instead.

    @property
    def interval(self) -> float:
        poll = self._poll
        try:
            due = DBTaskResult.objects.filter(
                backend_name=self.backend_name, status=TaskResultStatus.READY
            ).aggregate(next=Min("run_after"))["next"]
        except DatabaseError:
            return poll
        if due is None:
            return poll
        return min(poll, max(0.05, (due - timezone.now()).total_seconds()))

    @interval.setter
    def interval(self, value: float) -> None:
        self._poll = value

    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id, keep_scheduler=not self.batch)
        heartbeat.tick()
        close_old_connections()
        if not self.batch:
            heartbeat.start()
            worker_starting.send(sender=Command)
        try:
            super().run()
        finally:
            heartbeat.stopped.set()
            try:
                recovery.release(self.worker_id)
            except DatabaseError:
                logger.warning("Could not give the worker lease up", exc_info=True)


class Command(db_worker.Command):
    def handle(self, *args, **options):
        original = db_worker.Worker
        db_worker.Worker = Worker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original

"""Tasks whose worker died are taken back: at-least-once delivery on the durable backend.

django-tasks-db marks a task RUNNING when a worker claims it and finished when the task
returns; a worker killed in between (kill -9, OOM, a lost machine) leaves the row RUNNING
forever. Each worker therefore holds a lease (``WorkerLease``) that its heartbeat renews
every CMS_WORKER_HEARTBEAT_SECONDS. Any worker's heartbeat looks for RUNNING tasks whose
worker's lease is older than CMS_WORKER_LEASE_SECONDS (or gone) and puts them back in the
queue, recording why (``TaskRecovery``), or marks them failed once CMS_TASK_MAX_CLAIMS
workers have died on them (a task that kills its worker must not kill every worker).

So a task may run twice: each handler is idempotent or marks a repeat (the lead mail's
subject, the webhook's X-Webhook-Redelivery header). The bound: a lost task is running
again within lease + heartbeat seconds of its worker's last beat, while a worker runs.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cms.publishing.models import TaskRecovery, WorkerLease

logger = logging.getLogger("cms.tasks")

BACKEND = "durable"
LOST_EXCEPTION = "cms.publishing.recovery.WorkerLost"


class WorkerLost(Exception):
    """The class path recorded on a task failed because its workers kept dying."""


def beat(worker_id: str) -> None:
    WorkerLease.objects.update_or_create(
        worker_id=worker_id,
        defaults={"beat_at": timezone.now(), "hostname": socket.gethostname(), "pid": os.getpid()},
    )


def release(worker_id: str) -> None:
    WorkerLease.objects.filter(worker_id=worker_id).delete()


def _lease_cutoff() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.CMS_WORKER_LEASE_SECONDS)


def recover_lost_tasks() -> list[TaskRecovery]:
    """Put back (or fail) every RUNNING task whose worker's lease ran out; what was done."""
    cutoff = _lease_cutoff()
    done = []
    with transaction.atomic():
        # Locked rows belong to a worker finishing them right now: not lost.
        running = list(
            DBTaskResult.objects.select_for_update(skip_locked=True).filter(
                backend_name=BACKEND, status=TaskResultStatus.RUNNING, started_at__lt=cutoff
            )
        )
        if not running:
            return done
        worker_ids = {task.worker_ids[-1] for task in running if task.worker_ids}
        alive = set(
            WorkerLease.objects.filter(worker_id__in=worker_ids, beat_at__gte=cutoff).values_list(
                "worker_id", flat=True
            )
        )
        leases = dict(
            WorkerLease.objects.filter(worker_id__in=worker_ids).values_list("worker_id", "beat_at")
        )
        for task in running:
            worker = task.worker_ids[-1] if task.worker_ids else ""
            if worker in alive:
                continue
            last = leases.get(worker)
            when = timezone.localtime(last).strftime("%Y-%m-%d %H:%M:%S") if last else "无记录"
            reason = (
                f"工作进程 {worker} 失联(最后心跳:{when},租约 "
                f"{settings.CMS_WORKER_LEASE_SECONDS} 秒),第 {len(task.worker_ids)} 次执行未完成。"
            )
            if len(task.worker_ids) >= settings.CMS_TASK_MAX_CLAIMS:
                action = TaskRecovery.Action.FAILED
                reason += "已达最多执行次数,标记为失败。"
                task.status = TaskResultStatus.FAILED
                task.finished_at = timezone.now()
                task.exception_class_path = LOST_EXCEPTION
                task.traceback = reason
                task.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
            else:
                action = TaskRecovery.Action.RETRIED
                reason += "已重新排队。"
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
            done.append(
                TaskRecovery.objects.create(
                    task_id=task.id,
                    task_path=task.task_path,
                    worker_id=worker,
                    action=action,
                    reason=reason,
                )
            )
            logger.warning("Task %s (%s): %s", task.id, task.task_path, reason)
        # Leases of dead workers are no longer needed to explain anything.
        WorkerLease.objects.filter(beat_at__lt=cutoff - datetime.timedelta(days=1)).delete()
    return done


def stuck_tasks():
    """RUNNING tasks whose worker's lease ran out and no worker took back yet."""
    cutoff = _lease_cutoff()
    alive = WorkerLease.objects.filter(beat_at__gte=cutoff).values_list("worker_id", flat=True)
    running = DBTaskResult.objects.filter(
        backend_name=BACKEND, status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    )
    alive = set(alive)
    return [task for task in running if not task.worker_ids or task.worker_ids[-1] not in alive]

"""Settling one attempt of a durable job that retries with exponential backoff.

Webhook deliveries and CDN purges keep a row per job (status, attempts, next_attempt_at)
and a durable task per attempt; a failed attempt queues the next one itself, base, 2*base,
4*base ... seconds after the 1st, 2nd, 3rd failure, until the caller says to give up.
"""

from __future__ import annotations

import datetime


def backoff(base_seconds: float, attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=base_seconds * 2 ** (attempts - 1))


def settle_attempt(record, now, *, succeeded, give_up, base_seconds, done_field, task):
    """Mark ``record`` succeeded, failed or retrying, save it and queue the retry.

    ``record`` is a model with a ``Status`` of SUCCEEDED/FAILED/RETRYING, ``attempts``
    already counting this attempt and ``next_attempt_at``; ``done_field`` takes ``now`` on
    success. The retry is enqueued at once: the worker runs outside any request transaction.
    """
    status = type(record).Status
    record.next_attempt_at = None
    if succeeded:
        record.status = status.SUCCEEDED
        setattr(record, done_field, now)
    elif give_up:
        record.status = status.FAILED
    else:
        record.status = status.RETRYING
        record.next_attempt_at = now + backoff(base_seconds, record.attempts)
    record.save()
    if record.status == status.RETRYING:
        task.using(run_after=record.next_attempt_at).enqueue(record.pk)
    return record.status

"""The purge, on the durable backend: queued when a change commits, retried like webhooks.

``content_committed`` (cms.api.cache_invalidation) names what changed; with a purger
configured a ``CdnPurge`` row is written and ``purge_cdn`` enqueued in the same transaction,
so the purge survives a CDN that is down and a worker that dies (cms.publishing.recovery puts
a cut-off task back). A failed attempt queues the next one CMS_CDN_RETRY_BASE * 2^(n-1)
seconds later, up to CMS_CDN_MAX_ATTEMPTS in all.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task

from cms.api.cache_invalidation import content_committed
from cms.cdn import purgers
from cms.cdn.models import CdnPurge
from cms.core.retry import settle_attempt

logger = logging.getLogger(__name__)


@receiver(content_committed)
def on_content_committed(sender, tags, **kwargs):
    if purgers.configured() is not None and tags:
        request_purge(tags)


def request_purge(tags) -> CdnPurge:
    with transaction.atomic():
        purge = CdnPurge.objects.create(tags=sorted(set(tags)))
        purge_cdn.enqueue(purge.pk)
    return purge


def attempt_purge(purge_id: int) -> str:
    purge = CdnPurge.objects.filter(pk=purge_id).first()
    if purge is None or purge.status in (CdnPurge.Status.SUCCEEDED, CdnPurge.Status.FAILED):
        return "skipped"
    error = purgers.purge(purge.tags)
    now = timezone.now()
    purge.attempts += 1
    purge.error = (error or "")[:255]
    settle_attempt(
        purge,
        now,
        succeeded=error is None,
        give_up=purge.attempts >= settings.CMS_CDN_MAX_ATTEMPTS,
        base_seconds=settings.CMS_CDN_RETRY_BASE,
        done_field="purged_at",
        task=purge_cdn,
    )
    if purge.status == CdnPurge.Status.FAILED:
        logger.error("CDN purge %s gave up: %s", purge.pk, error)
    return purge.status


@task(backend="durable")
def purge_cdn(purge_id: int) -> str:
    """One purge attempt, in the durable worker; a failed one queues its own retry."""
    return attempt_purge(purge_id)

"""Webhook events: what changed, to whom it goes, and one signed delivery attempt.

A change records an event; after the change's transaction commits, one
``WebhookDelivery`` row per interested endpoint is written and a task enqueued on
the durable backend. The HTTP request happens only in the worker, with a timeout,
so a slow or failing endpoint never holds up an editor.

Receivers check ``X-Webhook-Signature: sha256=<hex>``, the HMAC-SHA256 of
``<X-Webhook-Timestamp> + "." + <raw body>`` with the endpoint's secret, and reject
old timestamps (a replayed request).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import re
import time
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from cms.core.retry import settle_attempt
from cms.publishing import safe_http
from cms.publishing.models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Webhook-Signature"
TIMESTAMP_HEADER = "X-Webhook-Timestamp"
EVENT_HEADER = "X-Webhook-Event"
DELIVERY_HEADER = "X-Webhook-Delivery"
# "1" when an earlier attempt of this delivery was cut off and may have arrived: receivers
# that act once per delivery skip a delivery id they have seen.
REDELIVERY_HEADER = "X-Webhook-Redelivery"
# Read at most this much of an answer; keep (and show) at most EXCERPT_CHARS of it.
_RESPONSE_READ = 2000
EXCERPT_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]+")
# Marks an error as a refused target: not retried, the URL has to change first.
REFUSED_PREFIX = "refused: "


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def record_event(
    event_type: str,
    *,
    site=None,
    ids: list,
    paths: list[str] = (),
    model: str = "",
) -> None:
    """Send ``event_type`` to the endpoints that want it, once the current transaction commits."""
    event = {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "time": timezone.localtime().isoformat(),
        "site": (
            {"id": site.pk, "hostname": site.hostname, "port": site.port}
            if site is not None
            else None
        ),
        "model": model,
        "ids": list(ids),
        "paths": list(dict.fromkeys(paths)),
    }
    # robust: whatever goes wrong here must not turn a successful publish into an error.
    transaction.on_commit(lambda: dispatch(event), robust=True)


def _wants(endpoint: WebhookEndpoint, event: dict) -> bool:
    if event["type"] not in (endpoint.events or []):
        return False
    site_ids = {site.pk for site in endpoint.sites.all()}
    return not site_ids or event["site"] is None or event["site"]["id"] in site_ids


def dispatch(event: dict) -> list[WebhookDelivery]:
    """One delivery per interested endpoint, each handed to the durable worker."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True).prefetch_related("sites")
        if _wants(endpoint, event)
    ]
    if not endpoints:
        return []
    body = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    deliveries = []
    with transaction.atomic():
        for endpoint in endpoints:
            delivery = WebhookDelivery.objects.create(
                endpoint=endpoint, event_id=event["id"], event_type=event["type"], body=body
            )
            deliver_webhook.enqueue(delivery.pk)
            deliveries.append(delivery)
    return deliveries


def resend(delivery: WebhookDelivery) -> WebhookDelivery:
    """A fresh delivery of the same event to the same endpoint (newly signed when sent)."""
    with transaction.atomic():
        copy = WebhookDelivery.objects.create(
            endpoint=delivery.endpoint,
            event_id=delivery.event_id,
            event_type=delivery.event_type,
            body=delivery.body,
            resent_from=delivery,
        )
        transaction.on_commit(lambda: deliver_webhook.enqueue(copy.pk))
    return copy


def excerpt(raw: bytes) -> str:
    """At most EXCERPT_CHARS printable characters of an answer, for the admin's log.

    The log is read by staff in a browser: no control characters, and the template
    escapes the rest. What an endpoint answers beyond that is not kept.
    """
    text = raw.decode("utf-8", "replace")
    text = _CONTROL.sub(" ", text).strip()
    return text[:EXCERPT_CHARS]


def _post(
    endpoint: WebhookEndpoint, delivery: WebhookDelivery, repeat: bool = False
) -> tuple[int | None, str, str]:
    """(status, answer excerpt, error) of one POST; never raises for network trouble.

    The target is checked again here, at delivery time: the URL may have been saved
    before the rule existed, or its name may now resolve elsewhere.
    """
    try:
        target = safe_http.check_url(endpoint.url)
    except safe_http.UnsafeTarget as refusal:
        return None, "", f"{REFUSED_PREFIX}{refusal}"
    body = delivery.body.encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "childcare-cms-webhooks/1",
        EVENT_HEADER: delivery.event_type,
        DELIVERY_HEADER: str(delivery.pk),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(endpoint.secret, timestamp, body),
    }
    if repeat:
        headers[REDELIVERY_HEADER] = "1"
    try:
        answer = safe_http.post(
            target, body, headers, settings.CMS_WEBHOOK_TIMEOUT, max_bytes=_RESPONSE_READ
        )
    except (OSError, http.client.HTTPException, ValueError) as error:
        return None, "", f"{type(error).__name__}: {error}"[:EXCERPT_CHARS]
    error = "" if 200 <= answer.status < 300 else f"HTTP {answer.status}"
    return answer.status, excerpt(answer.body), error


def attempt_delivery(delivery_id: int) -> str:
    """Send one delivery once; on failure, schedule the next attempt or give up."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.is_finished:
        return "skipped"
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        status, text, error = None, "", "endpoint disabled"
    else:
        # Committed before the POST: still set when an attempt starts means the last one
        # was cut off (its worker died, cms.publishing.recovery) and may have arrived.
        repeat = delivery.sending_since is not None
        WebhookDelivery.objects.filter(pk=delivery.pk).update(sending_since=timezone.now())
        status, text, error = _post(endpoint, delivery, repeat=repeat)
    delivery.sending_since = None
    now = timezone.now()
    delivery.attempts += 1
    delivery.response_status = status
    delivery.response_body = text
    delivery.error = error
    delivery.log = [
        *delivery.log,
        {"at": now.isoformat(), "status": status, "error": error, "response": text},
    ]
    refused = error.startswith(REFUSED_PREFIX)
    settle_attempt(
        delivery,
        now,
        succeeded=status is not None and 200 <= status < 300,
        give_up=refused
        or delivery.attempts >= settings.CMS_WEBHOOK_MAX_ATTEMPTS
        or not endpoint.is_active,
        base_seconds=settings.CMS_WEBHOOK_RETRY_BASE,
        done_field="delivered_at",
        task=deliver_webhook,
    )
    if delivery.status != WebhookDelivery.Status.RETRYING:
        logger.info("Webhook delivery %s %s", delivery.pk, delivery.status)
    return delivery.status


@task(backend="durable")
def deliver_webhook(delivery_id: int) -> str:
    """One delivery attempt, in the durable worker; a failed one queues its own retry."""
    return attempt_delivery(delivery_id)

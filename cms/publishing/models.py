"""Publishing data: each site's front-end addresses, webhook endpoints and their deliveries."""

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from cms.core.foreign_keys import optional_foreign_key


@register_setting(icon="globe")
class FrontendSettings(BaseSiteSetting):
    """Where this site's front end lives. The CMS renders no pages of its own."""

    base_url = models.URLField(
        _("front-end URL"),
        blank=True,
        help_text=_(
            "The public address of this site's front end, e.g. https://www.example.cn. "
            "Used for canonical URLs, the sitemap and the feed. Empty: the site's own address."
        ),
    )
    preview_url = models.URLField(
        _("preview URL"),
        blank=True,
        help_text=_(
            "The front-end page that shows drafts; the admin's Preview opens it with "
            "?content_type=...&token=... Empty: the front-end URL followed by /preview."
        ),
    )

    panels = [FieldPanel("base_url"), FieldPanel("preview_url")]

    class Meta:
        verbose_name = _("front end")
        verbose_name_plural = _("front ends")


class WebhookEvent(models.TextChoices):
    PAGE_PUBLISHED = "page.published", _("Page published")
    PAGE_UNPUBLISHED = "page.unpublished", _("Page unpublished")
    PAGE_DELETED = "page.deleted", _("Page deleted")
    PAGE_MOVED = "page.moved", _("Page moved")
    SNIPPET_SAVED = "snippet.saved", _("Snippet saved")
    SNIPPET_DELETED = "snippet.deleted", _("Snippet deleted")
    SETTING_SAVED = "setting.saved", _("Setting saved")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


# How a receiver checks a delivery, as cms.publishing.webhooks signs it.
SIGNATURE_HELP = _(
    "Shared with the receiver, which checks the X-Webhook-Signature header: "
    "sha256=HMAC-SHA256(secret, timestamp + '.' + body)."
)


class WebhookEndpoint(models.Model):
    """A front end (or any receiver) told about content changes."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("secret"), max_length=200, default=new_secret, help_text=SIGNATURE_HELP
    )
    events = models.JSONField(_("events"), default=list, blank=True)
    sites = models.ManyToManyField(
        "wagtailcore.Site",
        verbose_name=_("sites"),
        blank=True,
        related_name="+",
        help_text=_("Only changes of these sites; none chosen: every site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if not self.url:
            return  # the field's own validation reports it
        from cms.publishing.safe_http import UnsafeTarget, check_url

        try:
            check_url(self.url)
        except UnsafeTarget as refusal:
            raise ValidationError({"url": refusal}) from None


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one endpoint, with every attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RETRYING = "retrying", _("Retrying")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event_id = models.UUIDField(_("event ID"), db_index=True)
    event_type = models.CharField(_("event"), max_length=50, choices=WebhookEvent.choices)
    body = models.TextField(_("body"), help_text=_("The JSON sent, byte for byte."))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    response_status = models.PositiveIntegerField(_("response status"), null=True, blank=True)
    response_body = models.TextField(_("response body"), blank=True)
    error = models.TextField(_("error"), blank=True)
    log = models.JSONField(_("attempt log"), default=list, blank=True)
    # Set (and committed) before each POST, cleared with its outcome: still set when the
    # next attempt starts means the worker died mid-send, so the receiver may have it.
    sending_since = models.DateTimeField(null=True, blank=True, editable=False)
    resent_from = optional_foreign_key("self", _("resent from"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self):
        return f"{self.event_type} → {self.endpoint}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


class WorkerLease(models.Model):
    """A running task worker (``manage.py db_worker``), renewed by its heartbeat.

    A task claimed by a worker whose lease is older than CMS_WORKER_LEASE_SECONDS (killed,
    its machine gone) is taken back by another worker (cms.publishing.recovery).
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField(auto_now_add=True)
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self):
        return self.worker_id


class TaskRecovery(models.Model):
    """A task taken back from a lost worker: run again, or failed for good, and why."""

    class Action(models.TextChoices):
        RETRIED = "retried", _("Run again")
        FAILED = "failed", _("Marked failed")

    task_id = models.UUIDField(_("task"), db_index=True)
    task_path = models.TextField(_("task"))
    worker_id = models.CharField(_("lost worker"), max_length=64)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("reason"))
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("task recovery")
        verbose_name_plural = _("task recoveries")

    def __str__(self):
        return f"{self.task_path} ({self.get_action_display()})"

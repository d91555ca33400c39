from django.db import models
from django.utils.translation import gettext_lazy as _


class CdnPurge(models.Model):
    """One request to the CDN to drop the answers carrying ``tags``, kept until it succeeds
    or gives up (like a webhook delivery), so a CDN that is down loses no purge."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RETRYING = "retrying", _("retrying")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    tags = models.JSONField(_("tags"), default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    purged_at = models.DateTimeField(_("purged at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)

    class Meta:
        verbose_name = _("CDN purge")
        verbose_name_plural = _("CDN purges")
        ordering = ["-created_at"]

    def __str__(self):
        return " ".join(self.tags)[:100]

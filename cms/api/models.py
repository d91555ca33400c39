"""What editors manage for the API: partner tokens and each site's access settings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from cms.api import origins, tokens
from cms.core.editor_fields import flag


class ApiTokenQuerySet(models.QuerySet):
    def for_request(self, request):
        """The request's valid token, None when it sends none; tokens.InvalidToken otherwise."""
        raw = tokens.parse_bearer(request.headers.get("Authorization"))
        if raw is None:
            return None
        token = self.prefetch_related("sites").filter(key_hash=tokens.digest(raw)).first()
        if token is None or not token.is_usable():
            raise tokens.InvalidToken
        return token


class ApiToken(models.Model):
    """A partner's key to the API. Only its hash is stored; the key is shown once."""

    name = models.CharField(
        _("name"), max_length=100, help_text=_("Who uses this token, e.g. the partner's name.")
    )
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    sites = models.ManyToManyField(
        "wagtailcore.Site",
        verbose_name=_("sites"),
        related_name="+",
        help_text=_("The sites this token may read. A token with no site reads nothing."),
    )
    rate_limit = models.PositiveIntegerField(
        _("rate limit"), default=600, help_text=_("Requests per minute.")
    )
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Leave empty for no expiry.")
    )
    revoked = flag(_("revoked"), _("A revoked token is refused at once."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def set_key(self, raw: str) -> None:
        self.key_hash = tokens.digest(raw)
        self.prefix = raw[: len(tokens.PREFIX) + 4]

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return not self.revoked and (self.expires_at is None or self.expires_at > now)

    def may_read(self, site) -> bool:
        return any(allowed.pk == site.pk for allowed in self.sites.all())


def _validate_origins(value: str) -> None:
    origins.parse_origins(value)


@register_setting(icon="key")
class ApiSettings(BaseSiteSetting):
    """Who may read this site over GraphQL."""

    require_token = flag(
        _("require an API token"),
        _("When on, anonymous clients cannot read this site's content."),
    )
    cors_origins = models.TextField(
        _("allowed browser origins"),
        blank=True,
        validators=[_validate_origins],
        help_text=_("One per line, e.g. https://www.example.cn. Browsers elsewhere are refused."),
    )

    class Meta:
        verbose_name = _("API access")

    @property
    def origins(self) -> list[str]:
        try:
            return origins.parse_origins(self.cors_origins)
        except ValidationError:
            return []

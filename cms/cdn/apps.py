from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CdnConfig(AppConfig):
    name = "cms.cdn"
    label = "cdn"
    verbose_name = _("CDN purge")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms.cdn import tasks  # noqa: F401 (connects the receiver)

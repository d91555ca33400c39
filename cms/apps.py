from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Platform")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms import exports

        exports.install()  # every admin CSV export neutralizes formula cells
        from cms import login_lockout  # noqa: F401  (connects the login signals)
        from cms.api import cache_invalidation  # noqa: F401  (signal receivers)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DoorConfig(AppConfig):
    name = "cms.door"
    label = "door"
    verbose_name = _("HTTP door")

    def ready(self):
        from cms.door import login_lockout  # noqa: F401  (connects the login signals)
        from cms.door import warming  # noqa: F401  (queues the warming after each change)

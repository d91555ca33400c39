from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DoorConfig(AppConfig):
    name = "cms.door"
    label = "door"
    verbose_name = _("HTTP door")

    def ready(self):
        # Connect their signals: the login lockout's, and the warming after each change.
        from cms.door import login_lockout, warming  # noqa: F401

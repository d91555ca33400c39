from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    # The label stays "cms": the image model is "cms.CustomImage" in settings, migrations
    # and the database, from before the platform's base moved into cms.core.
    name = "cms.core"
    label = "cms"
    verbose_name = _("Platform")

    def ready(self):
        from cms.core import exports

        exports.install()  # every admin CSV export neutralizes formula cells

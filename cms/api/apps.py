from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "cms.api"
    label = "api"
    verbose_name = _("GraphQL API")

    def ready(self):
        from cms.api import cache_invalidation  # (its signal receivers connect on import)
        from cms.core.cache import on_recovery

        # A publish while Redis was out dropped its increment of the content generation:
        # once Redis answers again, it is redone (a blip that dropped none keeps the answers).
        on_recovery(cache_invalidation.redo_dropped_bump)

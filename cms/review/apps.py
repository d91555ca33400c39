from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "cms.review"
    label = "review"
    verbose_name = _("Review")

    def ready(self):
        from cms.review import signals  # noqa: F401  (default workflow, word-list cache, audit)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "cms.review"
    label = "review"
    verbose_name = _("Review")

    def ready(self):
        from cms.review import audit, signals  # noqa: F401  (default workflow, audit)

        audit.install()  # the site history export in Beijing time, with each entry's details

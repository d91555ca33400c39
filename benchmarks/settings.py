"""Production settings plus Wagtail's REST API v2, for `make bench` only (never deployed)."""

from settings.production import *  # noqa: F403
from settings.production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2", "rest_framework"]
ROOT_URLCONF = "benchmarks.urls"

# Seeding 10,000 articles: the search index is not what is measured.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
}

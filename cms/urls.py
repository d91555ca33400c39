from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.api.views import CmsGraphQLView
from cms.health import healthz, readyz
from cms.views import landing, page_path

urlpatterns = [
    path("", landing, name="landing"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Clients authenticate by token (never by session cookie), so CSRF does not apply.
    path("graphql/", csrf_exempt(CmsGraphQLView.as_endpoint()), name="graphql"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail builds page URLs by reversing "wagtail_serve". Front ends render the pages, so
# the CMS answers such a URL with a pointer to the API instead of a template.
urlpatterns.append(re_path(r"^((?:[\w\-]+/)*)$", page_path, name="wagtail_serve"))

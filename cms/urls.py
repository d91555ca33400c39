from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

# Builds the schema (and its media rule) when the URLs load, not on the first request.
import cms.schema  # noqa: F401
from articles.feeds import articles_feed
from articles.oembed import oembed
from cms.door.endpoint import CmsGraphQLView
from cms.door.health import healthz, readyz
from cms.door.pointers import landing, media, page_path
from cms.embed.widget import widget_v1
from cms.publishing.sitemap import sitemap

# A dependency failure raised outside a view (sessions, auth) is a 503 too (cms.door.failures).
handler500 = "cms.door.failures.server_error"

urlpatterns = [
    path("", landing, name="landing"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("feeds/articles.atom", articles_feed, name="articles_feed"),
    # Clients authenticate by token (never by session cookie), so CSRF does not apply.
    path("graphql/", csrf_exempt(CmsGraphQLView.as_endpoint()), name="graphql"),
    path("oembed", oembed, name="oembed"),
    path("embed/v1.js", widget_v1, name="embed_widget_v1"),
]

# Every /media/ request passes the media rule first (cms.door.media_serving); the bytes come
# from this process (CMS_SERVE_MEDIA) or, after the check, from the web server through
# X-Accel-Redirect / X-Sendfile. No web server or CDN may serve MEDIA_ROOT directly:
# it would skip the rule and hand out files of view-restricted collections.
urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", media, name="media"))

# Wagtail builds page URLs by reversing "wagtail_serve". Front ends render the pages, so
# the CMS answers such a URL with a pointer to the API instead of a template.
urlpatterns.append(re_path(r"^((?:[\w\-]+/)*)$", page_path, name="wagtail_serve"))

"""Draft preview in the front ends, with tokens that expire and name one page.

wagtail-headless-preview stores the draft (``PagePreview``) under a signed token and
sends the editor to the site's front-end preview URL with it. What a token may
show (its age, its page, its site) is decided in ``cms.api.drafts``.
"""

from __future__ import annotations

from django.template.response import TemplateResponse
from wagtail.models import Site
from wagtail_headless_preview.models import HeadlessPreviewMixin

from cms.api import frontend


class FrontendPreviewMixin(HeadlessPreviewMixin):
    """Page mixin: the admin's Preview opens this page's site's front-end preview URL."""

    def _preview_site(self, request) -> Site:
        site = self.get_site() if self.pk else None
        if site is None:
            parent = self.get_parent() if self.path else None
            site = parent.get_site() if parent is not None else None
        return site or Site.find_for_request(request)

    def get_client_root_url(self, request) -> str:
        return frontend.preview_url(self._preview_site(request), request)

    def serve_preview(self, request, preview_mode):
        site = self._preview_site(request)
        if not frontend.has_front_end(site, request):
            # The CMS renders no pages: the preview frame would open an address where
            # nothing answers. Tell the editor what to set instead.
            return TemplateResponse(
                request, "publishing/preview_without_front_end.html", {"site": site}
            )
        return super().serve_preview(request, preview_mode)

"""Draft preview in the front ends, with tokens that expire and name one page.

wagtail-headless-preview stores the draft (``PagePreview``) under a signed token and
sends the editor to the site's front-end preview URL with it. What a token may
show (its age, its page, its site) is decided in ``cms.api.drafts``.
"""

from __future__ import annotations

from wagtail.models import Site
from wagtail_headless_preview.models import HeadlessPreviewMixin

from cms.api import frontend


class FrontendPreviewMixin(HeadlessPreviewMixin):
    """Page mixin: the admin's Preview opens this page's site's front-end preview URL."""

    def get_client_root_url(self, request) -> str:
        site = self.get_site() if self.pk else None
        if site is None:
            parent = self.get_parent() if self.path else None
            site = parent.get_site() if parent is not None else None
        site = site or Site.find_for_request(request)
        return frontend.preview_url(site, request)

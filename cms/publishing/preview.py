"""Draft preview in the front ends, with tokens that expire and name one page.

wagtail-headless-preview stores the draft (``PagePreview``) under a signed token and
sends the editor to the site's front-end preview URL with it. The library checks the
signature but not its age, so ``draft_for_token`` enforces
``CMS_PREVIEW_TOKEN_MAX_AGE`` itself, and also that the draft is the page the token
names, of the asked-for type, on the asked-for site. Every refusal looks the same to
the client (no page), so nobody can tell whether a draft exists.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.template.response import TemplateResponse
from wagtail.models import Page, Site
from wagtail_headless_preview.models import HeadlessPreviewMixin, PagePreview

from cms.publishing import frontend


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


def _identifier(token: str) -> dict[str, str] | None:
    try:
        value = HeadlessPreviewMixin.get_preview_signer().unsign(
            token, max_age=settings.CMS_PREVIEW_TOKEN_MAX_AGE
        )
    except signing.BadSignature:  # also SignatureExpired
        return None
    parts = dict(part.split("=", 1) for part in value.split(";") if "=" in part)
    return parts if ("id" in parts or "parent_id" in parts) else None


def _is_in_site(page_id: int | None, site: Site) -> bool:
    if page_id is None:
        return False
    root = site.root_page
    return Page.objects.filter(
        pk=page_id, path__startswith=root.path, depth__gte=root.depth
    ).exists()


def draft_for_token(token: str, site: Site, page_model: type[Page] = Page) -> Page | None:
    """The draft a preview token stands for, or None for any token that does not qualify."""
    if not token or len(token) > 500:
        return None
    identifier = _identifier(token)
    if identifier is None:
        return None
    preview = PagePreview.objects.filter(token=token).first()
    if preview is None:
        return None
    try:
        page = preview.as_page()
    except (ValueError, LookupError, AttributeError, TypeError):
        return None
    if not isinstance(page, page_model):
        return None
    if "id" in identifier:
        if str(page.pk) != identifier["id"] or not _is_in_site(page.pk, site):
            return None
    else:
        parent_id = identifier["parent_id"]
        if page.pk is not None or not parent_id.isdigit():
            return None
        if identifier.get("page_type", "").lower() != page._meta.label_lower:
            return None
        if not _is_in_site(int(parent_id), site):
            return None
    return page

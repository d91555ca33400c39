"""SEO for every page: the fields editors fill (``SeoMixin``, beside Wagtail's own
``seo_title`` and ``search_description``) and what clients read (``Seo``).

The mixin is abstract, so each page type that uses it keeps the columns in its own table.
Fallbacks keep the answer useful when editors leave fields empty: the page title, the
type's own description (an article's summary), its cover image, its front-end URL.
"""

import graphene
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from cms.api.images import Image, ImageRendition, rendition_for
from cms.api.media_rule import visible_image
from cms.core.editor_fields import flag
from cms.core.foreign_keys import optional_foreign_key


class SeoMixin(models.Model):
    og_image = optional_foreign_key(
        "cms.CustomImage",
        _("social sharing image"),
        help_text=_("Shown when the page is shared (Open Graph). Empty: the cover image."),
    )
    canonical_url = models.URLField(
        _("canonical URL"),
        blank=True,
        help_text=_("Only when the original lives elsewhere. Empty: this page's own address."),
    )
    noindex = flag(
        _("hide from search engines"),
        _("Asks search engines not to index the page and leaves it out of the sitemap."),
    )

    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [FieldPanel("og_image"), FieldPanel("canonical_url"), FieldPanel("noindex")],
            heading=_("Search engines and sharing"),
        ),
    ]

    class Meta:
        abstract = True

    def seo_fallback_description(self) -> str:
        return ""

    def seo_fallback_image(self):
        return None


class Seo(graphene.ObjectType):
    title = graphene.String(required=True, description="SEO title, else the page title.")
    description = graphene.String(required=True)
    canonical_url = graphene.String(description="Absolute front-end URL of the original.")
    noindex = graphene.Boolean(required=True)
    image = graphene.Field(Image, description="The sharing image; pick sizes from it.")
    og_image = graphene.Field(
        ImageRendition, description="The sharing image at the Open Graph size (1200x630 JPEG)."
    )


def sharing_image(page, request):
    """The page's sharing image (else its fallback) when a client may see it.

    A private sharing image does not fall back to the cover: editors chose it, and
    showing another picture in its place would be a guess.
    """
    image = getattr(page, "og_image", None)
    if image is None and hasattr(page, "seo_fallback_image"):
        image = page.seo_fallback_image()
    return visible_image(image, request)


def canonical_url(page, request) -> str | None:
    from cms.api.frontend import page_url

    own = getattr(page, "canonical_url", "")
    if own:
        return own
    if page.pk is None or not page.path:
        return None
    return page_url(page, request)


def seo_for(page, request) -> Seo:
    image = sharing_image(page, request)
    description = page.search_description or ""
    if not description and hasattr(page, "seo_fallback_description"):
        description = page.seo_fallback_description()
    return Seo(
        title=page.seo_title or page.title,
        description=description,
        canonical_url=canonical_url(page, request),
        noindex=bool(getattr(page, "noindex", False)),
        image=image,
        og_image=(rendition_for(image, settings.CMS_OG_IMAGE_FILTER, request) if image else None),
    )

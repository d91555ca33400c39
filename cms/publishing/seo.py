"""Per-page SEO fields beside Wagtail's own ``seo_title`` and ``search_description``.

An abstract mixin, so each page type that uses it keeps the columns in its own table.
What clients read is built in ``cms.api.seo`` from these fields and their fallbacks.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page


class SeoMixin(models.Model):
    og_image = models.ForeignKey(
        "cms.CustomImage",
        verbose_name=_("social sharing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when the page is shared (Open Graph). Empty: the cover image."),
    )
    canonical_url = models.URLField(
        _("canonical URL"),
        blank=True,
        help_text=_("Only when the original lives elsewhere. Empty: this page's own address."),
    )
    noindex = models.BooleanField(
        _("hide from search engines"),
        default=False,
        help_text=_("Asks search engines not to index the page and leaves it out of the sitemap."),
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

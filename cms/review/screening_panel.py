"""The editor's screening panel: the hits of the text being edited, with their places."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, Panel

from cms.review.page_form import OVERRIDE_FIELD, OVERRIDE_PERMISSION
from cms.review.rules import category_label, screen_page


class ScreeningReportPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "review/screening_report.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            hits = getattr(self.form, "screening_hits", None)
            if hits is None:
                hits = screen_page(self.instance)
            context["hits"] = [
                {
                    **hit.as_dict(),
                    "category_label": category_label(hit.category),
                    "blocks": hit.blocks,
                    "excerpt": hit.excerpt,
                }
                for hit in hits
            ]
            page = self.instance
            if (
                page.pk
                and page.live_revision_id
                and page.latest_revision_id != page.live_revision_id
            ):
                # What reviewers check: the changes since the version last approved and published.
                context["compare_url"] = reverse(
                    "wagtailadmin_pages:revisions_compare", args=(page.pk, "live", "latest")
                )
            return context


def screening_panels():
    return MultiFieldPanel(
        [
            ScreeningReportPanel(),
            FieldPanel(OVERRIDE_FIELD, permission=OVERRIDE_PERMISSION),
        ],
        heading=_("Sensitive-word screening"),
    )

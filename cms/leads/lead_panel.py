"""The lead page: everything the visitor sent, readable, above the follow-up fields.

Staff read a lead where they follow it up (one page, not the listing's "inspect"):
Beijing time, interests as the names the visitor picked, a dash for what was left empty.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

EMPTY = "—"


def beijing_time(value) -> str:
    """A moment as staff read it: Beijing time, to the second."""
    if value is None:
        return EMPTY
    return date_format(timezone.localtime(value), "Y-m-d H:i:s")


def interests_text(value) -> str:
    if not value:
        return EMPTY
    if isinstance(value, str):
        return value
    return "、".join(str(item) for item in value)


def lead_details(lead) -> list[tuple[str, str]]:
    """(label, text) of every fact of a lead that staff read, in reading order."""

    def label(name):
        return lead._meta.get_field(name).verbose_name

    def text(value):
        return str(value) if value not in (None, "") else EMPTY

    return [
        (label("submit_time"), beijing_time(lead.submit_time)),
        (label("name"), text(lead.name)),
        (label("mobile"), text(lead.mobile)),
        (label("organisation"), text(lead.organisation)),
        (label("city"), text(lead.city)),
        (label("interests"), interests_text(lead.interests)),
        (label("message"), text(lead.message)),
        (label("site"), text(lead.site.site_name or lead.site.hostname) if lead.site else EMPTY),
        (_("booking form"), text(lead.page.title) if lead.page_id else EMPTY),
        (label("source_path"), text(lead.source_path)),
        (label("partner"), text(lead.partner)),
        (label("consent_version"), text(lead.consent_version)),
        (label("consented_at"), beijing_time(lead.consented_at)),
        (label("notified_at"), beijing_time(lead.notified_at)),
    ]


class LeadDetailsPanel(Panel):
    """Read-only: what the visitor sent and when; staff cannot change it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("What the visitor sent"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "leads/lead_details_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["details"] = lead_details(self.instance)
            return context

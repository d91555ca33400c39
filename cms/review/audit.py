"""The audit trail's export (Reports → Site history) in Beijing time, with each entry's details.

Wagtail writes the log entries' UTC timestamps as they are and leaves out the message,
where an override's reason and the screened words are. ``install()`` adds both to
Wagtail's site history report, the one export of who submitted, reviewed, overrode and
published what.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports.audit_logging import LogEntriesView


def _local_text(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _local_naive(value):
    # XLSX cells hold no time zone: the Beijing wall-clock time.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def install() -> None:
    if getattr(LogEntriesView, "_review_installed", False):
        return
    original_init = LogEntriesView.__init__

    def __init__(self, **kwargs):
        original_init(self, **kwargs)
        self.custom_field_preprocess["timestamp"] = {
            self.FORMAT_CSV: _local_text,
            self.FORMAT_XLSX: _local_naive,
        }
        if "message" not in self.list_export:
            self.list_export = [*self.list_export, "message"]
            self.export_headings = {**self.export_headings, "message": _("Details")}

    LogEntriesView.__init__ = __init__
    LogEntriesView._review_installed = True

"""CSV exports that cannot attack the staff who open them (formula injection).

Excel, WPS and LibreOffice run a CSV cell starting with ``=``, ``+``, ``-`` or ``@`` as
a formula: a lead named ``=HYPERLINK("http://…", "点击")`` or a DDE payload becomes a
live link or a command on a sales person's machine. Every CSV the admin writes (the
lead inbox, Wagtail's form submissions, reports, snippet listings) goes through
Wagtail's ``SpreadsheetExportMixin``; ``install()`` makes its CSV path prefix such
cells with an apostrophe (OWASP's advice), headings included. XLSX is already safe:
Wagtail writes formula-looking cells there as text.

The same exports are made for a Chinese office: times in Beijing time to the second
(Wagtail writes UTC, with microseconds in CSV), and CSV files start with a UTF-8 byte
order mark, without which Excel on Windows reads them as GBK and shows mojibake.
"""

import csv
import datetime
import re

from django.http import StreamingHttpResponse
from django.utils import timezone
from wagtail.admin.views.mixins import Echo, SpreadsheetExportMixin

BOM = "\ufeff"

# A cell starting with one of these (after any leading blanks) can be read as a formula;
# tab and CR because some spreadsheets drop them first; fullwidth forms because some
# IMEs turn them into the ASCII ones.
_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
# A plain number cannot carry a formula, and "-5" should stay a number.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def neutralize(value):
    """``value`` safe for a CSV cell: formula-leading text gets a leading apostrophe."""
    if not isinstance(value, str) or not value:
        return value
    if _NUMBER.fullmatch(value):
        return value
    if value[0] in _TRIGGERS or value.lstrip()[:1] in _TRIGGERS:
        return "'" + value
    return value


def _write_csv_row(self, writer, row_dict):
    return writer.writerow(
        {
            field: neutralize(self.preprocess_field_value(field, value, self.FORMAT_CSV))
            for field, value in row_dict.items()
        }
    )


def local_time(value: datetime.datetime) -> datetime.datetime:
    """A moment as a naive time of TIME_ZONE (Beijing), to the second."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0, tzinfo=None)


def _csv_time(value: datetime.datetime) -> str:
    return local_time(value).strftime("%Y-%m-%d %H:%M:%S")


def _stream_csv(self, queryset):
    # Wagtail's stream_csv, with the headings neutralized too (editors name form fields).
    writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
    yield BOM
    yield writer.writerow(
        {field: neutralize(self.get_heading(queryset, field)) for field in self.list_export}
    )
    for item in queryset:
        yield self.write_csv_row(writer, self.to_row_dict(item))


def _write_csv_response(self, queryset):
    response = StreamingHttpResponse(
        self.stream_csv(queryset), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
    return response


def install() -> None:
    """Make every Wagtail export safe and readable in a Chinese office (called at start-up)."""
    SpreadsheetExportMixin.write_csv_row = _write_csv_row
    SpreadsheetExportMixin.stream_csv = _stream_csv
    SpreadsheetExportMixin.write_csv_response = _write_csv_response
    # Replaced in place of Wagtail's datetime entry: it must stay ahead of the date entry,
    # which a datetime also matches.
    SpreadsheetExportMixin.custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        datetime.datetime: {
            SpreadsheetExportMixin.FORMAT_CSV: _csv_time,
            SpreadsheetExportMixin.FORMAT_XLSX: local_time,
        },
    }

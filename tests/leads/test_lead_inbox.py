"""The lead inbox reads like a Chinese office expects: one page with everything a visitor
sent, Beijing time, Chinese labels; CSV and XLSX exports Excel on Windows opens correctly."""

import csv
import datetime
import io
import re
import zoneinfo

import openpyxl
import pytest
from django.urls import reverse

from cms.leads.models import Lead
from tests.support.lead_forms import submit, valid_values

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
# 2025-09-22 07:10:55.123456 UTC is 15:10:55 in Beijing.
SUBMITTED = datetime.datetime(2025, 9, 22, 7, 10, 55, 123456, tzinfo=datetime.UTC)


@pytest.fixture
def lead(gql, form):
    values = valid_values(interests=["smart", "training"], city="", message="想了解\n人才培养方案")
    assert submit(gql, form, values).json()["data"]["submitBookingForm"]["ok"]
    Lead.objects.update(submit_time=SUBMITTED, consented_at=SUBMITTED)
    return Lead.objects.get()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def details_of(html: str) -> str:
    """The text of the lead's facts (Wagtail's own page chrome has a hidden "None")."""
    found = re.search(r'<dl class="lead-details">.*?</dl>', html, re.S)
    assert found, "no lead details on the page"
    return text_of(found.group(0))


def test_the_lead_page_shows_everything_the_visitor_sent(client, seller, lead):
    html = client.get(reverse("leads_lead:edit", args=[lead.pk])).content.decode()
    text = details_of(html)
    for expected in ["张三", "13800138000", "阳光托育中心", "想了解", "人才培养方案", "2025-09"]:
        assert expected in text, expected
    assert "智慧托育、托育人才" in text
    assert "2025-09-22 15:10:55" in text  # Beijing time, to the second
    assert "['" not in text and "None" not in text
    assert "—" in text  # the city left empty
    # ... and the follow-up fields staff edit, on the same page.
    assert 'name="status"' in html and 'name="notes"' in html and 'name="assignee"' in html


def test_the_read_only_page_is_as_readable(client, seller, lead):
    html = client.get(reverse("leads_lead:inspect", args=[lead.pk])).content.decode()
    found = re.search(r"<dl.*?</dl>", html, re.S)
    text = text_of(found.group(0))
    assert "智慧托育、托育人才" in text and "2025-09-22 15:10:55" in text
    assert "['" not in text and "None" not in text and "想了解" in text


def test_csv_export_has_a_bom_beijing_time_and_chinese_labels(client, seller, lead):
    response = client.get(reverse("leads_lead:index"), {"export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    header, row = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    record = dict(zip(header, row, strict=True))
    assert record["提交时间"] == "2025-09-22 15:10:55"
    assert record["状态"] == "新线索"
    assert record["感兴趣的服务"] == "智慧托育、托育人才"


def test_xlsx_export_has_beijing_time_and_chinese_labels(client, seller, lead):
    response = client.get(reverse("leads_lead:index"), {"export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, row = [[cell.value for cell in r] for r in workbook.active.iter_rows()]
    record = dict(zip(header, row, strict=True))
    assert record["提交时间"] == datetime.datetime(2025, 9, 22, 15, 10, 55)
    assert record["状态"] == "新线索"
    assert record["感兴趣的服务"] == "智慧托育、托育人才"

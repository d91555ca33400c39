# ruff: noqa: RUF001  (the fullwidth and other Unicode digits are the point of these tests)
"""What a visitor types is normalized once, before anything reads it: invisible and
control characters, line breaks in a name (the staff mail's subject), Unicode digits
in a mobile number (validation, the per-mobile limit, de-duplication, storage)."""

import pytest

from cms.leads.models import Lead
from cms.leads.tasks import notify_staff
from tests.support.fakes import mail_server
from tests.support.lead_forms import submit, valid_values
from tests.support.worker import run_worker

UNICODE_MOBILES = [
    "１３８００１３８０００",  # fullwidth
    "١٣٨٠٠١٣٨٠٠٠",  # Arabic-Indic
    "۱۳۸۰۰۱۳۸۰۰۰",  # Extended Arabic-Indic (Persian)
    "१३८००१३८०००",  # Devanagari
    "138００13８000",  # mixed
    "１３８－００１３－８０００",  # fullwidth digits and hyphens
    "+86 138\u200b0013\u20608000",  # zero-width characters inside
    "𝟏𝟑𝟖𝟎𝟎𝟏𝟑𝟖𝟎𝟎𝟎",  # mathematical bold
]


def result_of(response):
    assert response.status_code == 200, response.content
    return response.json()["data"]["submitBookingForm"]


@pytest.mark.parametrize("mobile", UNICODE_MOBILES)
def test_unicode_digits_are_stored_as_ascii(gql, form, mobile):
    assert result_of(submit(gql, form, valid_values(mobile=mobile)))["ok"]
    lead = Lead.objects.get()
    assert lead.mobile == "13800138000"
    assert lead.form_data["mobile"] == "13800138000"


@pytest.mark.parametrize("mobile", ["１２３４５", "٠١٠١٢٣٤٥٦٧٨", "１３８ＡＢＣ１３８０００"])
def test_unicode_digits_are_validated_as_ascii(gql, form, mobile):
    result = result_of(submit(gql, form, valid_values(mobile=mobile)))
    assert [error["field"] for error in result["errors"]] == ["mobile"]
    assert not Lead.objects.exists()


def test_the_same_number_in_other_digits_is_a_duplicate(gql, form):
    for mobile in ["13800138000", *UNICODE_MOBILES]:
        assert result_of(submit(gql, form, valid_values(mobile=mobile)))["ok"]
    assert Lead.objects.count() == 1


def test_the_per_mobile_limit_counts_the_number_not_its_spelling(
    gql,
    form,
    settings,
    redis_cache,
):
    settings.LEADS_RATE_LIMITS = {"ip": (100, 600), "mobile": (2, 3600)}
    for n, mobile in enumerate(["13800138000", "１３８００１３８０００"]):
        assert submit(gql, form, valid_values(mobile=mobile, message=f"第{n}次")).status_code == 200
    response = submit(gql, form, valid_values(mobile="١٣٨٠٠١٣٨٠٠٠", message="第3次"))
    assert response.status_code == 429
    assert Lead.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("\u202e三张\u202c", "三张"),  # right-to-left override
        ("张\u200b三", "张三"),  # zero-width space
        ("\u2066张三\u2069\u200f", "张三"),  # isolates, right-to-left mark
        ("\ufeff张\u200d三\u2060", "张三"),  # BOM, joiner, word joiner
        ("张\u061c三\u200e", "张三"),  # Arabic letter mark, left-to-right mark
        ("张三\r\nBcc: victim@example.com", "张三 Bcc: victim@example.com"),
        ("张\t三\x01\x1b", "张 三"),
        ("张三\u2028李四", "张三 李四"),
    ],
)
def test_names_keep_only_visible_single_line_text(gql, form, name, stored):
    assert result_of(submit(gql, form, valid_values(name=name)))["ok"]
    assert Lead.objects.get().name == stored


def test_a_name_of_only_invisible_characters_is_refused(gql, form):
    result = result_of(submit(gql, form, valid_values(name="\u200b\u202e\u2066 \r\n")))
    assert result["ok"] is False
    assert result["errors"][0]["field"] == "name"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in result["errors"][0]["message"])
    assert not Lead.objects.exists()


def test_other_fields_are_cleaned_too(gql, form):
    values = valid_values(
        organisation="阳光\u202e托育\r\n中心",
        city="\u200b北京",
        message="第一行\r\n第二行\u202e\x07\r第三行",
    )
    assert result_of(submit(gql, form, values, sourcePath="/a/\r\nX: y", partner="伙伴\u202e\n"))[
        "ok"
    ]
    lead = Lead.objects.get()
    assert (lead.organisation, lead.city) == ("阳光托育 中心", "北京")
    assert lead.message == "第一行\n第二行\n第三行"
    assert (lead.source_path, lead.partner) == ("/a/ X: y", "伙伴")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestMailWithHostileNames:
    @pytest.fixture
    def smtp(self, settings):
        with mail_server(settings) as server:
            yield server

    @pytest.mark.slow
    def test_a_name_with_crlf_is_stored_safely_and_mailed(
        self,
        gql,
        form,
        smtp,
        django_capture_on_commit_callbacks,
    ):
        name = "张三\r\nBcc: victim@example.com\r\n\r\n伪造正文"
        with django_capture_on_commit_callbacks(execute=True):
            assert result_of(submit(gql, form, valid_values(name=name[:50])))["ok"]
        run_worker()
        lead = Lead.objects.get()
        assert lead.name == "张三 Bcc: victim@example.com 伪造正文"
        assert lead.notified_at is not None
        (message,) = smtp.messages
        assert message["to"] == ["sales@example.cn"]
        assert "victim@example.com" not in message["to"]
        headers = message["data"].split("\r\n\r\n", 1)[0].split("\n\n", 1)[0]
        assert not any(line.lower().startswith("bcc:") for line in headers.splitlines())

    def test_a_lead_stored_before_the_rule_is_mailed_too(self, form, smtp):
        from django.utils import timezone

        lead = Lead.objects.create(
            page=form,
            form_data={},
            name="李四\r\nBcc: victim@example.com",
            mobile="13900139000",
            consent_version="1",
            consented_at=timezone.now(),
            fingerprint="old",
        )
        notify_staff.enqueue(lead.pk)
        run_worker()
        lead.refresh_from_db()
        assert lead.notified_at is not None
        (message,) = smtp.messages
        assert message["to"] == ["sales@example.cn"]

"""A booking form with the usual fields, and a visitor's valid submission to it."""

import pytest

from cms.leads.factories import BookingFormFieldFactory, BookingFormPageFactory
from cms.leads.form_tokens import issue_form_token
from home.factories import ServiceAreaFactory

MUTATION = """mutation($input: SubmitBookingFormInput!) {
  submitBookingForm(input: $input) { ok errors { field message } message } }"""


LEAD_FIELDS = [
    ("姓名", "name", True),
    ("手机号码", "mobile", True),
    ("机构名称", "organisation", False),
    ("所在城市", "city", False),
    ("感兴趣的服务", "interests", True),
    ("留言", "message", False),
]


@pytest.fixture(autouse=True)
def instant_forms(settings):
    settings.LEADS_MIN_FILL_SECONDS = 0
    settings.LEADS_NOTIFY_RETRY_DELAYS = [0, 0]


@pytest.fixture
def form(home):
    page = BookingFormPageFactory(
        parent=home, privacy_notice_version="2025-09", notify_emails="sales@example.cn"
    )
    for position, (label, field_type, required) in enumerate(LEAD_FIELDS):
        BookingFormFieldFactory(
            page=page, label=label, field_type=field_type, required=required, sort_order=position
        )
    ServiceAreaFactory(name="智慧托育", slug="smart", sort_order=1)
    ServiceAreaFactory(name="托育人才", slug="training", sort_order=2)
    return page


VALID_VALUES = {
    "name": "张三",
    "mobile": "138-0013-8000",
    "organisation": "阳光托育中心",
    "city": "北京",
    "interests": ["training"],
    "message": "想了解人才培养方案",
}


def valid_values(**overrides):
    """A visitor's valid answers, with ``overrides``; one set to None is left out."""
    values = {**VALID_VALUES, **overrides}
    return {key: value for key, value in values.items() if value is not None}


def submit(gql, form, values=None, **fields):
    payload = {
        "values": valid_values() if values is None else values,
        "consent": True,
        "formToken": issue_form_token(form.pk),
    }
    payload.update(fields)
    return gql.post(MUTATION, {"input": payload})

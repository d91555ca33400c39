"""Identical bookings sent at the same moment, without idempotency keys, store one lead.

The app runs in its own process (tests/support/serve.py, one thread per request, each with its
own database connection) on a database of its own: PostgreSQL when the tests run on
PostgreSQL (real concurrent transactions), else an SQLite file (writes serialized, the
check-then-insert race still open without the constraint).
"""

import json
import threading
import urllib.error
import urllib.request

import pytest

from tests.support.app_server import AppServer, manage, server_environment

RACERS = 30
SETUP = """
from wagtail.models import Page, Site
from cms.leads.factories import BookingFormFieldFactory, BookingFormPageFactory
from cms.leads.form_tokens import issue_form_token
from home.factories import HomePageFactory
home = HomePageFactory(parent=Page.get_first_root_node(), slug="childcare")
Site.objects.filter(is_default_site=True).update(root_page=home, hostname="localhost")
form = BookingFormPageFactory(parent=home)
for n, kind in enumerate(["name", "mobile", "message"]):
    BookingFormFieldFactory(page=form, label=kind, field_type=kind, required=True, sort_order=n)
print(issue_form_token(form.pk))
"""
MUTATION = """mutation($input: SubmitBookingFormInput!) {
  submitBookingForm(input: $input) { ok errors { field message } } }"""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over real HTTP; yields (base URL, a form token, the database)."""
    with server_environment(
        "lead_race", tmp_path_factory.mktemp("race"), settings_module="tests.support.settings_race"
    ) as (env, database):
        token = manage(env, "shell", code=SETUP).split()[-1]
        app = AppServer(env, gunicorn=False)
        try:
            yield app.base, token, database
        finally:
            app.stop()


def post(base: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        base + "/graphql/",
        data=json.dumps({"query": MUTATION, "variables": {"input": payload}}).encode(),
        headers={"Content-Type": "application/json", "Host": "localhost"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {"body": error.read().decode("utf-8", "replace")}


def race(base: str, payload: dict) -> list[tuple[int, dict]]:
    """RACERS identical requests, released together."""
    start = threading.Barrier(RACERS)
    answers = [None] * RACERS

    def one(n):
        start.wait()
        answers[n] = post(base, payload)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def test_identical_concurrent_submissions_store_one_lead(server):
    base, token, database = server

    def count_leads():
        return database.scalar("SELECT count(*) FROM leads_lead")

    payload = {
        "values": {"name": "张三", "mobile": "13800138000", "message": "同时提交"},
        "consent": True,
        "formToken": token,
    }
    answers = race(base, payload)
    assert all(status == 200 for status, _ in answers), answers
    assert all(body["data"]["submitBookingForm"]["ok"] for _, body in answers), answers
    assert count_leads() == 1
    # The same number spelt in fullwidth digits, racing too: still the same lead.
    payload["values"]["mobile"] = "１３８００１３８０００"  # noqa: RUF001
    answers = race(base, payload)
    assert all(status == 200 for status, _ in answers), answers
    assert count_leads() == 1

"""Identical bookings sent at the same moment, without idempotency keys, store one lead.

The app runs in its own process (tests/serve.py, one thread per request, each with its
own database connection) on a database of its own: PostgreSQL when the tests run on
PostgreSQL (real concurrent transactions), else an SQLite file (writes serialized, the
check-then-insert race still open without the constraint).
"""

import json
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]
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


def _on_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """(DATABASE_URL, a function counting the leads in it)."""
    if not _on_postgresql():
        path = tmp_path_factory.mktemp("race") / "race.sqlite3"

        def count_sqlite():
            with sqlite3.connect(path) as conn:
                return conn.execute("SELECT count(*) FROM leads_lead").fetchone()[0]

        yield f"sqlite:///{path}", count_sqlite
        return
    db = settings.DATABASES["default"]
    server = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    )
    name = f"cms_lead_race_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def count_postgresql():
        with psycopg.connect(f"{server}/{name}") as conn:
            return conn.execute("SELECT count(*) FROM leads_lead").fetchone()[0]

    yield f"{server}/{name}", count_postgresql
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def server(database):
    """The app over real HTTP on a free port; yields (base URL, a form token)."""
    url, _count = database
    env = {
        "PATH": str(BASE_DIR / ".venv" / "bin") + ":/usr/bin:/bin",
        "PYTHONPATH": str(BASE_DIR),
        "DJANGO_SETTINGS_MODULE": "tests.support.settings_race",
        "DATABASE_URL": url,
        "VAR_DIR": str(BASE_DIR / "var"),
    }
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=BASE_DIR)
    setup = subprocess.run(
        [*manage, "shell", "-c", SETUP], env=env, check=True, cwd=BASE_DIR, capture_output=True
    )
    token = setup.stdout.decode().split()[-1]
    process = subprocess.Popen(
        [sys.executable, str(BASE_DIR / "tests" / "support" / "serve.py")],
        env=env,
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        port = int(process.stdout.readline())
        yield f"http://127.0.0.1:{port}", token
    finally:
        process.terminate()
        process.wait(timeout=20)


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


def test_identical_concurrent_submissions_store_one_lead(server, database):
    base, token = server
    _url, count_leads = database
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

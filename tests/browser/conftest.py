"""Browser tests: Debian's Chromium driven by Playwright, against real servers on localhost.

Chromium comes from Debian's packages (`apt-get install chromium`, which `.ci/run` and
`make test` do when it is missing); Playwright never downloads a browser of its own.
Each test saves a screenshot under test-artifacts/.

The live server answers on threads of its own while the test's thread reads and writes
the same database, as in production: on SQLite the suite's database is therefore a file
(Django's in-memory test database would be one connection shared by all those threads,
whose transactions then mix). When a test ends, every browser context is closed and the
live server is left to finish what it was serving before the database is emptied: the
editor's pages keep sending requests (editing-session pings, preview updates) that would
otherwise write after the flush or hold a table it fails on.

They run as a pytest session of their own (`make test` and `.ci/run` do so): Playwright's
sync API keeps an event loop for the whole session, after which Django's transactional
tests elsewhere could no longer restore the migrated data between tests.
"""

import os
from pathlib import Path

import pytest

from tests.support.chromium import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    InFlight,
    start_frontend,
)

# Playwright's sync API keeps an event loop running on the test thread; the test's own ORM
# calls are still plain synchronous ones, so Django's async guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "browser.sqlite3")
        options = database.setdefault("OPTIONS", {})
        # Threads wait for each other's writes rather than fail, on a busy machine too; a
        # test database need not survive a power cut (no fsync: migrating it is quick).
        options["timeout"] = 30
        options["init_command"] = "PRAGMA synchronous=OFF"


@pytest.fixture(scope="session")
def live_server(live_server):
    live_server.in_flight = InFlight(live_server.thread.httpd)
    return live_server


@pytest.fixture(autouse=True)
def _quiet_before_flush(request):
    """Runs before the database is emptied (pytest-django's fixtures are set up first)."""
    yield
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()
    if "live_server" in request.fixturenames:
        server = request.getfixturevalue("live_server")
        server.in_flight.wait_idle(server.url)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def frontend(live_server):
    with start_frontend(live_server.url) as url:
        yield url

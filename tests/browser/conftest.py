"""Browser tests: Debian's Chromium driven by Playwright, against real servers on localhost.

Chromium comes from Debian's packages (`apt-get install chromium`, which `.ci/run` and
`make test` do when it is missing); Playwright never downloads a browser of its own.
Each test saves a screenshot under test-artifacts/.

They run as a pytest session of their own (`make test` and `.ci/run` do so): Playwright's
sync API keeps an event loop for the whole session, after which Django's transactional
tests elsewhere could no longer restore the migrated data between tests.
"""

import os
from pathlib import Path

import pytest

from tests.support.chromium import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, start_frontend

# Playwright's sync API keeps an event loop running on the test thread; the test's own ORM
# calls are still plain synchronous ones, so Django's async guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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

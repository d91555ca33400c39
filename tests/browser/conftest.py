"""Browser tests: Debian's Chromium driven by Playwright, against real servers on localhost.

Chromium comes from Debian's packages (`apt-get install chromium`, which `.ci/run` and
`make test` do when it is missing); Playwright never downloads a browser of its own.
Each test saves a screenshot under test-artifacts/.

They run as a pytest session of their own (`make test` and `.ci/run` do so): Playwright's
sync API keeps an event loop for the whole session, after which Django's transactional
tests elsewhere could no longer restore the migrated data between tests.
"""

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running on the test thread; the test's own ORM
# calls are still plain synchronous ones, so Django's async guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
REPO = Path(__file__).resolve().parents[2]
# Flags for a root user on a machine with no network but localhost.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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


def wait_for_http(url: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


@contextmanager
def start_frontend(cms_url: str):
    """The reference front end (frontend/serve.py) in its own process, in front of a CMS."""
    from tests.support.fakes import free_port

    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "frontend" / "serve.py"),
            "--port",
            str(port),
            "--cms",
            cms_url,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def frontend(live_server):
    with start_frontend(live_server.url) as url:
        yield url

"""What the browser tests share: Debian's Chromium, where screenshots go, and the reference
front end (frontend/serve.py) in a process of its own."""

import os
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager

from django.core.management import call_command

from tests.support.app_server import BASE_DIR, start, stop
from tests.support.fakes import free_port

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = BASE_DIR / "test-artifacts"
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


def load_demo_site(settings, media_root) -> None:
    """The demo content, its files real ones on disk the browser can load, served by the
    CMS as in development; the lead forms take an answer however fast it comes."""
    settings.LEADS_MIN_FILL_SECONDS = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT, settings.CMS_SERVE_MEDIA = media_root, True
    call_command("load_demo_content", verbosity=0)


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
    port = free_port()
    command = [sys.executable, str(BASE_DIR / "frontend" / "serve.py")]
    process = start([*command, "--port", str(port), "--cms", cms_url], dict(os.environ))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/")
        yield url
    finally:
        stop(process)


class InFlight:
    """Counts the connections a live server (Django's threaded WSGI server) is serving, so
    a test's end can wait until none is: a request still running when the test's database
    is emptied writes after the flush, or holds a lock the flush then fails on.

    A connection counts from the moment the server accepts it (on the server's own thread)
    until its handler thread has answered and closed its database connections.
    """

    def __init__(self, server):
        self.server, self.open = server, 0
        self.changed = threading.Condition()
        accept, serve = server.process_request, server.process_request_thread

        def counted_accept(request, client_address):
            with self.changed:
                self.open += 1
            try:
                accept(request, client_address)
            except BaseException:
                self._done()
                raise

        def counted_serve(request, client_address):
            try:
                serve(request, client_address)
            finally:
                self._done()

        # ThreadingMixIn looks both up on the instance: the thread it starts runs ours.
        server.process_request, server.process_request_thread = counted_accept, counted_serve

    def _done(self):
        with self.changed:
            self.open -= 1
            self.changed.notify_all()

    def wait_idle(self, url: str, timeout: float = 60) -> None:
        """Waits until every connection accepted before a last request of ours to ``url``
        has been served (the server accepts in order: none is left in its backlog)."""
        urllib.request.urlopen(url + "/healthz", timeout=timeout).close()
        with self.changed:
            if not self.changed.wait_for(lambda: self.open == 0, timeout):
                raise RuntimeError(f"the live server still serves {self.open} connection(s)")

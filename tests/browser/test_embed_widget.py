"""A partner page on another origin embeds the widget: articles, the booking form, CORS."""

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from wagtail.models import Site

from cms.api.models import ApiSettings
from cms.leads.models import Lead

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PARTNER_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>阳光托育中心</title>
<style>a {{ color: red; }} li {{ display: none; }}</style></head>
<body><h1>阳光托育中心</h1>
<cms-articles limit="3" style="--cms-accent: #c00"></cms-articles>
<cms-booking-form partner="阳光托育中心"></cms-booking-form>
<script src="{cms}/embed/v1.js" defer></script></body></html>"""


@pytest.fixture
def partner_site(live_server, tmp_path):
    """A partner's web server on its own origin, serving one page that embeds the widget."""

    def serve():
        (tmp_path / "index.html").write_text(PARTNER_PAGE.format(cms=live_server.url), "utf-8")
        handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
        handler.log_message = lambda *args: None
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    servers = []

    def start():
        server = serve()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture
def demo(settings, tmp_path):
    settings.LEADS_MIN_FILL_SECONDS = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT, settings.CMS_SERVE_MEDIA = tmp_path / "media", True
    call_command("load_demo_content", verbosity=0)


def allow(origin: str) -> None:
    api = ApiSettings.for_site(Site.objects.get(is_default_site=True))
    api.cors_origins = origin
    api.save()


def test_allowed_partner_shows_articles_and_books_a_demo(demo, partner_site, page):
    origin = partner_site()
    allow(origin)
    page.goto(origin + "/")
    articles = page.locator("cms-articles li")
    articles.first.wait_for()
    assert articles.count() == 3
    text = page.locator("cms-articles ul").inner_text()  # CSS locators pierce shadow roots
    assert "持续优化便民生活圈" in text
    # The partner's own CSS (li hidden, red links) does not reach inside the widget.
    assert articles.first.is_visible()
    link = page.locator("cms-articles a").first
    assert link.get_attribute("href").startswith("http")
    assert link.evaluate("a => getComputedStyle(a).color") == "rgb(204, 0, 0)"  # --cms-accent

    form = page.locator("cms-booking-form")
    form.get_by_label("姓名").fill("赵园长")
    form.get_by_label("手机号码").fill("13700137000")
    form.get_by_text("智慧托育").click()
    form.get_by_label("我已阅读并同意隐私政策").check()
    form.get_by_role("button", name="提交预约").press("Enter")
    page.locator("cms-booking-form .status.success").wait_for()
    lead = Lead.objects.get()
    assert (lead.name, lead.mobile, lead.interests) == ("赵园长", "13700137000", ["智慧托育"])
    assert lead.partner == "阳光托育中心"
    assert lead.source_path.startswith(origin)


def test_origin_not_allowed_gets_nothing(demo, partner_site, page):
    allowed, other = partner_site(), partner_site()
    allow(allowed)
    page.goto(other + "/")
    page.locator("cms-articles [role=alert]").wait_for()
    assert "持续优化便民生活圈" not in page.locator("body").inner_text()
    assert "暂时无法加载" in page.locator("cms-articles [role=alert]").inner_text()
    assert page.locator("cms-booking-form form").count() == 0


def test_widget_script_is_small_and_cacheable(live_server):
    import urllib.request

    with urllib.request.urlopen(live_server.url + "/embed/v1.js") as response:
        body = response.read()
        assert response.headers["Content-Type"].startswith("text/javascript")
        assert "max-age" in response.headers["Cache-Control"]
    assert len(body) < 16_000
    assert b"customElements.define" in body

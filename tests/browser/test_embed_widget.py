"""A partner page on another origin embeds the widget: articles, the booking form, CORS.

The widget reads over GET with Apollo's persisted queries and books over POST.
"""

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

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


class GraphQLRequests(list):
    """Each request the page sends to /graphql/: (method, GET parameters, POST body, request).

    Recorded when sent (the "request" event), which comes before the answer the widget renders.
    """

    def __init__(self, page):
        super().__init__()
        page.on("request", self.record)

    def record(self, request):
        if urlsplit(request.url).path != "/graphql/":
            return
        params = {name: values[0] for name, values in parse_qs(urlsplit(request.url).query).items()}
        self.append((request.method, params, request.post_data, request))

    def reads(self, variable):
        """The GET requests whose variables name ``variable`` (perPage: the article list)."""
        return [params for method, params, _, _ in self if variable in params.get("variables", "")]


def persisted_hash(params) -> str:
    return json.loads(params["extensions"])["persistedQuery"]["sha256Hash"]


def test_allowed_partner_shows_articles_and_books_a_demo(demo, partner_site, page):
    origin = partner_site()
    allow(origin)
    requests = GraphQLRequests(page)
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
    page.locator("cms-booking-form form").wait_for()

    # Reads are GETs naming a persisted query's hash: the first time the CMS does not know
    # it, so the widget sends it once more with the query.
    assert {method for method, *_ in requests} == {"GET"}
    articles_reads = requests.reads("perPage")
    assert [("query" in params) for params in articles_reads] == [False, True]
    assert len({persisted_hash(params) for params in articles_reads}) == 1
    listing = next(r.response() for _, params, _, r in requests if params == articles_reads[1])
    assert listing.headers["cache-control"].startswith("public, max-age=")
    assert listing.headers["etag"]
    assert "origin" in listing.headers["vary"].lower()
    # The booking form's answer carries a fresh signed token: never kept by any cache.
    form_reads = [r for r in requests if "bookingForm" in r[1].get("query", "")]
    form_answer = form_reads[-1][3].response()
    assert form_answer.headers["cache-control"] == "no-store"
    assert "etag" not in form_answer.headers

    # Once known, the hash alone is enough: no query in any URL of the next visit.
    requests.clear()
    page.reload()
    page.locator("cms-articles li").first.wait_for()
    page.locator("cms-booking-form form").wait_for()
    assert [method for method, *_ in requests] == ["GET", "GET"]
    assert all("query" not in params and persisted_hash(params) for _, params, *_ in requests)
    assert len(requests.reads("perPage")) == 1
    assert articles.count() == 3

    requests.clear()
    form = page.locator("cms-booking-form")
    form.get_by_label("姓名").fill("赵园长")
    form.get_by_label("手机号码").fill("13700137000")
    form.get_by_text("智慧托育").click()
    form.get_by_label("我已阅读并同意隐私政策").check()
    form.get_by_role("button", name="提交预约").press("Enter")
    page.locator("cms-booking-form .status.success").wait_for()
    # The booking itself stays a POST (the CMS refuses mutations over GET).
    [(method, params, body, _)] = requests
    assert (method, params) == ("POST", {})
    assert json.loads(body)["query"].startswith("mutation")
    lead = Lead.objects.get()
    assert (lead.name, lead.mobile, lead.interests) == ("赵园长", "13700137000", ["智慧托育"])
    assert lead.partner == "阳光托育中心"
    assert lead.source_path.startswith(origin)


def test_without_crypto_subtle_reads_send_the_query_over_get(demo, partner_site, page):
    # crypto.subtle exists only in secure contexts: a partner page on plain http elsewhere.
    page.add_init_script("Object.defineProperty(Crypto.prototype, 'subtle', { get() {} })")
    origin = partner_site()
    allow(origin)
    requests = GraphQLRequests(page)
    page.goto(origin + "/")
    page.locator("cms-articles li").first.wait_for()
    page.locator("cms-booking-form form").wait_for()
    assert [method for method, *_ in requests] == ["GET", "GET"]
    assert all("query" in params and "extensions" not in params for _, params, *_ in requests)


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

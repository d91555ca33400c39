"""A hostile CMS answer reaches the reference front end and the partner widget in Chromium:
nothing in it runs, and ordinary rich text still shows.

The "hostile CMS" is a small local HTTP server that answers every GraphQL read with the
shared payloads (tests/support/hostile_html.py) in `html` and `embedHtml`, and `javascript:`
in every URL; it serves the real widget script (cms.embed.widget.widget_source) and a
picture drawn by Pillow. Only the browsers' own sanitizer (cms/embed/sanitize.js)
stands between the answer and the page.
"""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from cms.embed.widget import widget_source
from tests.support.hostile_html import PAYLOADS, PWN

PLAYER = "https://player.bilibili.com/player.html?bvid=BV1xx411c7mD"
BAD_URL = f"javascript:{PWN}"
NORMAL_HTML = (
    '<h2 data-block-key="a1">政策要点</h2>'
    '<p data-block-key="a2">托育<b>服务</b>与<i>保障</i>,见<a href="/articles/ok/">相关文章</a>。</p>'
    "<ul><li>第一条</li><li>第二条</li></ul>"
    '<img alt="配图" class="richtext-image left" src="/media/ok.png" width="40" height="30">'
)
TEXT_PAYLOAD = PAYLOADS["img onerror"]
# Values a front end puts into its own markup: each tries to break out of its attribute.
ATTRIBUTE_BREAKOUT = f'x" autofocus onfocus="{PWN}" data-x="'
HOSTILE_FIELD = {
    "name": ATTRIBUTE_BREAKOUT,
    "label": TEXT_PAYLOAD,
    "fieldType": "name",
    "required": True,
    "helpText": TEXT_PAYLOAD,
    "choices": [],
}
BOOKING_FORM = {
    "heading": TEXT_PAYLOAD,
    "intro": TEXT_PAYLOAD,
    "submitLabel": "提交预约",
    "formToken": "token",
    "privacyNotice": TEXT_PAYLOAD,
    "fields": [HOSTILE_FIELD],
    "interests": [],
}


def _article() -> dict:
    body = [
        {"__typename": "HeadingBlock", "text": "小标题", "level": f"img src=x onerror={PWN} "},
        {
            "__typename": "FigureBlock",
            "alt": "图",
            "caption": TEXT_PAYLOAD,
            "image": {
                "rendition": {"url": "/media/ok.png", "width": f'40" onerror="{PWN}', "height": 30}
            },
        },
        {"__typename": "ParagraphBlock", "html": NORMAL_HTML},
    ]
    for payload in PAYLOADS.values():
        body += [
            {"__typename": "ParagraphBlock", "html": payload},
            {
                "__typename": "QuoteBlock",
                "html": payload,
                "speakerName": "某人",
                "speakerRole": None,
            },
            {
                "__typename": "MediaEmbedBlock",
                "url": BAD_URL,
                "embedHtml": f'<iframe src="{PLAYER}" allowfullscreen></iframe>{payload}',
                "caption": None,
            },
        ]
    return {
        "title": f"标题{TEXT_PAYLOAD}",
        "subtitle": None,
        "publishedAt": "2025-09-22T15:10:55+08:00",
        "summary": TEXT_PAYLOAD,
        "oembedUrl": BAD_URL,
        "cover": {
            "alt": TEXT_PAYLOAD,
            "srcset": f"{BAD_URL} 640w",
            "rendition": {"url": BAD_URL, "width": 960, "height": 540},
        },
        "body": body,
        "sources": [{"name": "来源", "url": BAD_URL}],
        "recommendedReading": [{"title": "推荐", "url": BAD_URL}],
    }


def _chrome() -> dict:
    link = {"label": "菜单", "url": BAD_URL, "children": [{"label": "子菜单", "url": BAD_URL}]}
    return {
        "siteChrome": {
            "profile": {
                "name": f"机构{TEXT_PAYLOAD}",
                "description": TEXT_PAYLOAD,
                "slogan": "口号",
                "valuesHeading": "价值观",
                "values": [TEXT_PAYLOAD],
                "copyrightLine": "版权",
                "icpNumber": "ICP",
                "icpUrl": BAD_URL,
                "businessLicenceLabel": "执照",
                "businessLicenceUrl": BAD_URL,
            },
            "mainMenu": [link],
            "footerMenu": [link],
            "contacts": [
                {
                    "heading": "联系我们",
                    "intro": TEXT_PAYLOAD,
                    "wechatLabel": "微信",
                    "wechatCaption": "扫码",
                    "wechatQrCode": {"alt": "二维码", "rendition": {"url": BAD_URL}},
                    "phoneLines": [
                        {
                            "label": "电话",
                            "number": "400-000-0000",
                            "telUri": BAD_URL,
                            "isOpenNow": False,
                            "serviceHours": {"label": "工作日"},
                        }
                    ],
                }
            ],
            "callToAction": {
                "heading": "预约",
                "text": TEXT_PAYLOAD,
                "buttonLabel": "预约体验",
                "target": {"kind": "URL", "url": BAD_URL},
            },
            "home": None,
        },
        "bookingForm": BOOKING_FORM,
    }


def _widget_answer(variables: dict) -> dict:
    if "perPage" in variables:
        cover = {"alt": TEXT_PAYLOAD, "rendition": {"url": BAD_URL, "width": 160, "height": 160}}
        good = {"url": "/media/ok.png", "width": 160, "height": 160}
        return {
            "articles": {
                "items": [
                    {
                        "title": f"标题{TEXT_PAYLOAD}",
                        "publishedAt": "2025-09-22T15:10:55+08:00",
                        "summary": TEXT_PAYLOAD,
                        "seo": {"canonicalUrl": BAD_URL},
                        "cover": cover,
                    },
                    {
                        "title": "正常文章",
                        "publishedAt": "2025-09-21T10:00:00+08:00",
                        "summary": "摘要",
                        "seo": {"canonicalUrl": "https://www.example.cn/articles/ok/"},
                        "cover": {"alt": "封面", "rendition": good},
                    },
                ]
            }
        }
    return {"bookingForm": BOOKING_FORM}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#2f7d6d").save(buffer, "PNG")
    return buffer.getvalue()


PARTNER_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>合作方</title></head><body><h1>合作方</h1>
<cms-articles limit="2"></cms-articles><cms-booking-form partner="合作方"></cms-booking-form>
<script src="/embed/v1.js" defer></script></body></html>"""


class HostileCMS(BaseHTTPRequestHandler):
    def _send(self, status, content: bytes, content_type: str):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def _json(self, data):
        self._send(200, json.dumps({"data": data}).encode(), "application/json")

    def do_GET(self):
        parts = urlsplit(self.path)
        if parts.path == "/graphql/":
            variables = json.loads(parse_qs(parts.query).get("variables", ["{}"])[0])
            self._json(_widget_answer(variables))
        elif parts.path == "/embed/v1.js":
            self._send(200, widget_source(), "text/javascript; charset=utf-8")
        elif parts.path == "/media/ok.png":
            self._send(200, _png(), "image/png")
        elif parts.path == "/partner":
            self._send(200, PARTNER_PAGE.encode(), "text/html; charset=utf-8")
        else:
            self._send(404, b"", "text/plain")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        query = json.loads(self.rfile.read(length))["query"]
        self._json({"article": _article()} if "article(" in query else _chrome())

    def log_message(self, *args):
        pass


@pytest.fixture
def hostile_cms():
    server = ThreadingHTTPServer(("127.0.0.1", 0), HostileCMS)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def hostile_frontend(hostile_cms):
    """The reference front end (frontend/serve.py) in front of the hostile CMS."""
    from tests.support.chromium import start_frontend

    with start_frontend(hostile_cms) as url:
        yield url


@pytest.fixture
def dialogs(page):
    opened = []

    def record(dialog):
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return opened


# Walks the document and every shadow root; lists what could run or leave the page.
FIND_HOSTILE = """() => {
  const problems = [];
  const safe = new Set(["http:", "https:", "mailto:", "tel:"]);
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      for (const { name, value } of el.attributes) {
        if (name.startsWith("on") || name === "srcdoc") problems.push(`${el.localName}[${name}]`);
        if (["href", "src", "action", "formaction", "data", "poster"].includes(name) && value) {
          const protocol = new URL(value, document.baseURI).protocol;
          if (!safe.has(protocol)) problems.push(`${el.localName}[${name}=${value}]`);
        }
        if (name === "srcset" && /(javascript|data|vbscript):/i.test(value)) problems.push(`${el.localName}[srcset]`);
      }
      if (["svg", "math", "object", "embed", "base", "meta", "style", "template", "noscript"].includes(el.localName)
          && el.closest("head") === null && !(el.localName === "style" && root !== document)) {
        problems.push(el.localName);
      }
      if (el.localName === "script" && !el.closest("head") && !el.src.endsWith("/embed/v1.js")) problems.push("script");
      if (el.localName === "iframe" && (!el.sandbox.length || new URL(el.src).hostname !== "player.bilibili.com")) {
        problems.push(`iframe ${el.src}`);
      }
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return problems;
}"""


def _nothing_ran(page, dialogs):
    page.wait_for_load_state("networkidle")  # images have failed or loaded: handlers had their turn
    assert dialogs == []
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate(FIND_HOSTILE) == []


@pytest.mark.slow
def test_reference_front_end_inserts_nothing_hostile(hostile_frontend, page, dialogs):
    page.goto(hostile_frontend + "/articles/hostile/")
    page.wait_for_selector("body[data-ready]")
    assert page.evaluate("document.body.dataset.ready") == "true", page.inner_text("main")
    _nothing_ran(page, dialogs)

    # Ordinary rich text still shows: headings, emphasis, links, lists, pictures, players.
    assert page.locator("main h2").all_inner_texts()[:2] == ["小标题", "政策要点"]
    assert page.locator("main b", has_text="服务").count() == 1
    assert page.get_attribute("main a:text('相关文章')", "href") == "/articles/ok/"
    assert page.locator("main ul li").all_inner_texts()[:2] == ["第一条", "第二条"]
    picture = page.locator("main img.richtext-image")
    assert picture.evaluate("img => img.naturalWidth") == 40
    assert picture.get_attribute("class") == "richtext-image left"
    players = page.locator("main iframe")
    assert players.count() == len(PAYLOADS)
    assert players.first.get_attribute("sandbox")
    # Text from the answer is shown as text.
    assert TEXT_PAYLOAD in page.inner_text("main h1")


@pytest.mark.slow
def test_widget_inserts_nothing_hostile(hostile_cms, page, dialogs):
    page.goto(hostile_cms + "/partner")
    page.locator("cms-articles li").first.wait_for()
    page.locator("cms-booking-form form").wait_for()
    _nothing_ran(page, dialogs)

    links = page.locator("cms-articles a")
    assert links.count() == 2
    assert links.nth(1).get_attribute("href") == "https://www.example.cn/articles/ok/"
    assert page.locator("cms-articles img").nth(1).evaluate("img => img.naturalWidth") == 40
    assert TEXT_PAYLOAD in links.first.inner_text()
    assert TEXT_PAYLOAD in page.locator("cms-booking-form h2").inner_text()
    # The sanitizer served inside the widget stays out of the partner page's globals.
    assert page.evaluate("typeof CmsSanitizer") == "undefined"

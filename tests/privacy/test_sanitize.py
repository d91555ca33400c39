"""The server's HTML allowlist (cms/core/sanitize.py): hostile HTML loses what could run, and
what Wagtail's editor produces keeps its meaning."""

import io
import json
from html.parser import HTMLParser

import pytest
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.format import embed_to_frontend_html
from wagtail.embeds.models import Embed

from cms.api.blocks import PARAGRAPH_FEATURES
from cms.core.factories import ImageFactory
from cms.core.richtext import render_rich_text
from cms.core.sanitize import clean_embed_html, clean_html
from tests.support.hostile_html import PAYLOADS, hostile_remains

PLAYER = "https://player.bilibili.com/player.html?bvid=BV1xx411c7mD&page=1"


@pytest.mark.parametrize("name", PAYLOADS)
def test_the_checker_sees_each_payload_as_hostile(name):
    # The checker is what the other tests trust: it must see every payload before cleaning.
    assert hostile_remains(PAYLOADS[name]), name


@pytest.mark.parametrize("name", PAYLOADS)
def test_rich_text_keeps_nothing_hostile(name):
    cleaned = clean_html(f"<p>正文</p>{PAYLOADS[name]}<p>结尾</p>")
    assert hostile_remains(cleaned) == [], cleaned
    assert "<iframe" not in cleaned
    assert cleaned.startswith("<p>正文</p>"), cleaned  # an unclosed payload may eat the end


@pytest.mark.parametrize("name", PAYLOADS)
def test_embed_html_keeps_nothing_hostile(name, settings):
    cleaned = clean_embed_html(PAYLOADS[name])
    assert hostile_remains(cleaned, settings.CMS_EMBED_IFRAME_HOSTS) == [], cleaned


_VOID = {"br", "hr", "img"}


class _Tree(HTMLParser):
    """Elements, attributes and text in order: what a document means, not how it is spelt."""

    def __init__(self, html: str, ignore_attributes=()):
        super().__init__(convert_charrefs=True)
        self.ignore = set(ignore_attributes)
        self.events = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        kept = sorted((k, v or "") for k, v in attrs if k not in self.ignore)
        self.events.append(("start", tag, tuple(kept)))

    def handle_endtag(self, tag):
        if tag not in _VOID:  # <hr/> and <hr> mean the same
            self.events.append(("end", tag))

    def handle_data(self, data):
        self.events.append(("text", data))


def _meaning(html: str, ignore_attributes=()) -> list:
    return _Tree(html, ignore_attributes).events


def _draftail_html(contentstate: dict, features) -> str:
    """The stored HTML Wagtail makes of what Draftail posts, as the admin's form does."""
    return ContentstateConverter(features).to_database_format(json.dumps(contentstate))


def _block(key, kind, text, styles=(), entities=()):
    return {
        "key": key,
        "type": kind,
        "depth": 0,
        "text": text,
        "inlineStyleRanges": [{"offset": o, "length": n, "style": s} for o, n, s in styles],
        "entityRanges": [{"offset": o, "length": n, "key": k} for o, n, k in entities],
        "data": {},
    }


def test_draftail_output_keeps_its_meaning(article_factory, index):
    target = article_factory(slug="linked", title="链接的文章")
    document = get_document_model().objects.create(title="通知")
    document.file.save("notice.pdf", io.BytesIO(b"%PDF-1.4"), save=True)
    image = ImageFactory(title="配图")
    contentstate = {
        "entityMap": {
            "0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "https://www.news.cn/"}},
            "1": {"type": "LINK", "mutability": "MUTABLE", "data": {"id": target.id}},
            "2": {"type": "DOCUMENT", "mutability": "MUTABLE", "data": {"id": document.id}},
            "3": {"type": "HORIZONTAL_RULE", "mutability": "IMMUTABLE", "data": {}},
            "4": {
                "type": "IMAGE",
                "mutability": "IMMUTABLE",
                "data": {"id": image.id, "format": "left", "alt": "孩子们在搭积木"},
            },
            "5": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "mailto:a@b.cn"}},
        },
        "blocks": [
            _block("h2key", "header-two", "政策解读"),
            _block("h3key", "header-three", "要点"),
            _block(
                "p1key",
                "unstyled",
                "托育服务事关千家万户 m2 H2O",
                styles=[
                    (0, 4, "BOLD"),
                    (4, 2, "ITALIC"),
                    (12, 1, "SUPERSCRIPT"),
                    (15, 1, "SUBSCRIPT"),
                ],
            ),
            _block(
                "p2key",
                "unstyled",
                "新华网 文章 通知 邮件",
                entities=[(0, 3, 0), (4, 2, 1), (7, 2, 2), (10, 2, 5)],
            ),
            _block("olkey", "ordered-list-item", "第一"),
            _block("ulkey", "unordered-list-item", "其一"),
            _block("hrkey", "atomic", " ", entities=[(0, 1, 3)]),
            _block("imkey", "atomic", " ", entities=[(0, 1, 4)]),
        ],
    }
    features = [*PARAGRAPH_FEATURES, "h2", "h3", "image"]
    stored = _draftail_html(contentstate, features)
    # The stored form is Wagtail's own: page, document and image references by id.
    assert 'linktype="page"' in stored and 'linktype="document"' in stored
    assert 'embedtype="image"' in stored

    rendered = render_rich_text(stored)
    for expected in ("<h2", "<h3", "<b>", "<i>", "<sup>", "<sub>", "<ol", "<ul", "<hr", "<img"):
        assert expected in rendered, expected
    assert _meaning(clean_html(rendered)) == _meaning(rendered), (rendered, clean_html(rendered))


def test_embed_markup_keeps_the_allowed_player_sandboxed(db, settings):
    embed = Embed.objects.create(
        url="https://www.bilibili.com/video/BV1xx411c7mD",
        hash=get_embed_hash("https://www.bilibili.com/video/BV1xx411c7mD"),
        type="video",
        html=f'<iframe src="{PLAYER}" width="640" height="360" frameborder="0" '
        'allow="autoplay; camera; microphone; fullscreen" allowfullscreen></iframe>',
        width=640,
        height=360,
    )
    # Wagtail's own markup for an embed (the responsive wrapper with its padding style).
    html = embed_to_frontend_html(embed.url)
    assert "<iframe" in html and "style=" in html

    cleaned = clean_embed_html(html)
    assert _meaning(cleaned, {"style", "sandbox", "allow"}) == _meaning(
        html, {"style", "sandbox", "allow"}
    )
    assert 'sandbox="allow-scripts allow-same-origin allow-popups allow-presentation"' in cleaned
    assert 'allow="autoplay; fullscreen"' in cleaned  # camera and microphone are not granted
    assert hostile_remains(cleaned, settings.CMS_EMBED_IFRAME_HOSTS) == []
    # Rich text never frames anything, not even an allowed player.
    assert "<iframe" not in clean_html(html)


@pytest.mark.parametrize(
    "src",
    [
        "http://player.bilibili.com/player.html",  # not https
        "https://player.bilibili.com.evil.example/player.html",
        "https://evil.example/?https://player.bilibili.com/",
        "//player.bilibili.com/player.html",  # scheme-relative: the page's scheme decides
    ],
)
def test_embed_iframe_from_elsewhere_loses_its_source(src):
    cleaned = clean_embed_html(f'<iframe src="{src}"></iframe>')
    assert "src=" not in cleaned, cleaned


def test_allowed_hosts_come_from_the_setting(settings):
    settings.CMS_EMBED_IFRAME_HOSTS = ["video.example.cn"]
    assert 'src="https://video.example.cn/p/1"' in clean_embed_html(
        '<iframe src="https://video.example.cn/p/1"></iframe>'
    )
    assert "src=" not in clean_embed_html(f'<iframe src="{PLAYER}"></iframe>')

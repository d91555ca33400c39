"""Rich text as HTML for clients.

Wagtail stores links to pages by id. Its own expansion turns every such link into
the page's URL whether or not the page is live, which tells a client that a draft
exists and where. Here a link to a page the client may not see is dropped (its
text stays), and links to visible pages are resolved with one query per document.
Links to documents in a private collection (or below one) are dropped the same way.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.rich_text import expand_db_html
from wagtail.rich_text.rewriters import extract_attrs

from cms import visibility

# Wagtail's stored format: <a linktype="page" id="12">text</a>. Links do not nest.
_PAGE_LINK = re.compile(r"<a(\b[^>]*\blinktype=\"page\"[^>]*)>(.*?)</a>", re.DOTALL)
_DOCUMENT_LINK = re.compile(r"<a(\b[^>]*\blinktype=\"document\"[^>]*)>(.*?)</a>", re.DOTALL)


def _link_ids(pattern: re.Pattern, source: str) -> set[int]:
    ids = set()
    for match in pattern.finditer(source):
        page_id = extract_attrs(match.group(1)).get("id", "")
        if page_id.isdigit():
            ids.add(int(page_id))
    return ids


def render_rich_text(source: str | None, request=None) -> str:
    if not source:
        return ""
    source = _without_hidden_documents(source, request)
    ids = _link_ids(_PAGE_LINK, source)
    urls: dict[int, str] = {}
    if ids:
        pages = visibility.visible_pages(Page.objects.filter(id__in=ids), request)
        for page in pages.only("id", "path", "depth", "url_path", "live", "expire_at"):
            url = page.get_url(request)
            if url:
                urls[page.id] = url

    def replace(match: re.Match) -> str:
        page_id = extract_attrs(match.group(1)).get("id", "")
        url = urls.get(int(page_id)) if page_id.isdigit() else None
        if url is None:
            return match.group(2)
        return f'<a href="{escape(url)}">{match.group(2)}</a>'

    return expand_db_html(_PAGE_LINK.sub(replace, source))


def _without_hidden_documents(source: str, request) -> str:
    ids = _link_ids(_DOCUMENT_LINK, source)
    if not ids:
        return source
    rule = visibility.for_request(request)
    shown = {
        document.id
        for document in get_document_model().objects.filter(id__in=ids).only("id", "collection")
        if rule.allows_media(document)
    }

    def replace(match: re.Match) -> str:
        document_id = extract_attrs(match.group(1)).get("id", "")
        if document_id.isdigit() and int(document_id) in shown:
            return match.group(0)
        return match.group(2)

    return _DOCUMENT_LINK.sub(replace, source)

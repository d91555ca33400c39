"""Rich text as HTML for clients.

Wagtail stores links to pages by id. Its own expansion turns every such link into
the page's URL whether or not the page is live, which tells a client that a draft
exists and where. Here a link to a page the client may not see is dropped (its
text stays), and links to visible pages are resolved once per request: a StreamField's
resolver calls ``prime_page_links`` with all of its rich text, so a body of many
paragraphs costs one query, not one per paragraph. Links to documents in a private
collection (or below one) are dropped the same way, and the others resolved the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.rich_text import expand_db_html
from wagtail.rich_text.rewriters import extract_attrs

from cms.core import visibility
from cms.core.request_state import state_of

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


def _page_urls(ids: set[int], request) -> dict[int, str | None]:
    """URL of each visible page among ``ids`` (None: not visible), one query for new ids."""
    known = state_of(request).page_link_urls if request is not None else {}
    missing = ids - known.keys()
    if missing:
        known.update(dict.fromkeys(missing))
        pages = visibility.visible_pages(Page.objects.filter(id__in=missing), request)
        for page in pages.only("id", "path", "depth", "url_path", "live", "expire_at"):
            known[page.id] = page.get_url(request) or None
    return known


def _strings(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, Iterable):  # lists, and a StreamField's RawDataView
        for item in value:
            yield from _strings(item)


def _document_urls(ids: set[int], request) -> dict[int, str | None]:
    """URL of each document among ``ids`` a client may see (None: hidden or deleted), one
    query for new ids."""
    known = state_of(request).document_link_urls if request is not None else {}
    missing = ids - known.keys()
    if missing:
        known.update(dict.fromkeys(missing))
        rule = visibility.for_request(request)
        documents = get_document_model().objects.filter(id__in=missing)
        for document in documents.only("id", "collection", "file"):
            if rule.allows_media(document):
                known[document.id] = document.url
    return known


def prime_page_links(raw_data, request) -> None:
    """Resolve, in one query each, the page and document links of every rich text in a
    StreamField's raw data (or a list of them)."""
    ids: set[int] = set()
    document_ids: set[int] = set()
    for text in _strings(raw_data):
        if 'linktype="page"' in text:
            ids |= _link_ids(_PAGE_LINK, text)
        if 'linktype="document"' in text:
            document_ids |= _link_ids(_DOCUMENT_LINK, text)
    if ids and request is not None:
        _page_urls(ids, request)
    if document_ids and request is not None:
        _document_urls(document_ids, request)


def render_rich_text(source: str | None, request=None) -> str:
    if not source:
        return ""
    source = _with_document_urls(source, request)
    ids = _link_ids(_PAGE_LINK, source)
    urls = _page_urls(ids, request) if ids else {}
    return expand_db_html(_linked(_PAGE_LINK, source, urls))


def _linked(pattern: re.Pattern, source: str, urls: dict[int, str]) -> str:
    """``source`` with each ``pattern`` link made an href from ``urls`` by its id; a link
    whose target is not in ``urls`` (hidden from the client) keeps only its text."""

    def replace(match: re.Match) -> str:
        target_id = extract_attrs(match.group(1)).get("id", "")
        url = urls.get(int(target_id)) if target_id.isdigit() else None
        if url is None:
            return match.group(2)
        return f'<a href="{escape(url)}">{match.group(2)}</a>'

    return pattern.sub(replace, source)


def _with_document_urls(source: str, request) -> str:
    """``source`` with its links to documents a client may see made hrefs, as Wagtail's
    expansion makes them, and the others dropped (their text kept): Wagtail would read the
    documents of each rich text on its own."""
    ids = _link_ids(_DOCUMENT_LINK, source)
    if not ids:
        return source
    return _linked(_DOCUMENT_LINK, source, _document_urls(ids, request))

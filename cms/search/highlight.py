"""Excerpts and titles with the matched words marked.

Everything is HTML-escaped; the only tags in the output are the ``<mark>`` tags added
here, so a front end may insert it as HTML.
"""

import re
from html import unescape

from django.utils.html import escape, strip_tags
from wagtail.blocks import StreamValue
from wagtail.search import index

EXCERPT_LENGTH = 120
EXCERPT_LEAD = 30
_SKIPPED_KEYS = {"type", "id", "level", "image", "url"}


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _SKIPPED_KEYS:
                yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def plain_text(page) -> str:
    """The searchable text of a page besides its title, without a database query.

    StreamFields are read from their stored JSON: converting them would load each
    chosen image, one query per page.
    """
    parts = []
    for field in page.get_search_fields():
        if not isinstance(field, index.SearchField) or field.field_name == "title":
            continue
        value = getattr(page, field.field_name, None)
        if isinstance(value, StreamValue):
            parts.extend(_strings(list(value.raw_data)))
        elif isinstance(value, str):
            parts.append(value)
    text = unescape(strip_tags(" ".join(parts)))
    return re.sub(r"\s+", " ", text).strip()


def _pattern(words: list[str]):
    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def mark(text: str, words: list[str]) -> str:
    pattern = _pattern(words)
    if pattern is None:
        return escape(text)
    out, position = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


def excerpt(text: str, words: list[str], length: int = EXCERPT_LENGTH) -> str:
    """A window of ``text`` around the first matched word, marked and escaped."""
    pattern = _pattern(words)
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - EXCERPT_LEAD) if match else 0
    end = min(len(text), start + length)
    window = text[start:end]
    return ("…" if start else "") + mark(window, words) + ("…" if end < len(text) else "")

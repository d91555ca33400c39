"""The one HTML allowlist of the API: what rich text and embeds may carry to a client.

Rich text can be written by importers and scripts as well as by Wagtail's editor, and
embed HTML comes from third-party oEmbed providers; neither is trusted. Every GraphQL
field that returns HTML is typed ``HTML`` or ``EmbedHTML`` (``cms.api.html``), whose
serialisation runs the value through here, so no resolver can forget it.

The allowlist keeps what Wagtail's rich-text features produce (Draftail's blocks and
inline styles, links, Wagtail's image and embed markup) and nothing that runs code:
no script, style, form or foreign (SVG/MathML) content, no event handlers, no style
attributes, only http(s)/mailto/tel links and http(s) images. Iframes pass only in
embed HTML, only over https from the hosts in ``CMS_EMBED_IFRAME_HOSTS``, and always
sandboxed. ``cms/embed/sanitize.js`` applies the same list again in browsers.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

import nh3
from django.conf import settings

# Draftail's blocks and inline styles, Wagtail's legacy <strong>/<em>, and the <div> of
# Wagtail's embed markup. No tables: no rich-text feature of ours makes them.
TAGS = frozenset(
    {
        *("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "div"),
        *("ol", "ul", "li", "a", "img"),
        *("b", "strong", "i", "em", "u", "s", "code", "sup", "sub"),
    }
)
# Dropped with everything inside them; any other tag not allowed is dropped, its text kept.
DROPPED_WITH_CONTENT = frozenset(
    {
        *("script", "style", "template", "noscript", "noembed", "noframes", "xmp"),
        *("iframe", "object", "embed", "applet", "svg", "math", "textarea", "select"),
        *("title", "head", "meta", "link", "base", "plaintext"),
    }
)
ATTRIBUTES = {
    "*": {"data-block-key"},  # Draftail's block ids, kept so editor output stays as it was
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
}
CLASSES = {
    "img": {"richtext-image", "left", "right", "full-width"},
    "div": {"responsive-object"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Embeds: the provider's player in a sandboxed iframe. allow-same-origin keeps the
# provider's own origin (needed by players for their cookies and storage); the frame is
# never ours, so it cannot reach the page. No top navigation, no forms, no modals.
IFRAME_ATTRIBUTES = {"src", "width", "height", "title", "allowfullscreen", "frameborder"}
IFRAME_SANDBOX = "allow-scripts allow-same-origin allow-popups allow-presentation"
IFRAME_ALLOW = frozenset(
    {"autoplay", "encrypted-media", "fullscreen", "picture-in-picture", "clipboard-write"}
)


def iframe_src_allowed(src: str, hosts) -> bool:
    try:
        parts = urlsplit(src.strip())
    except ValueError:
        return False
    return parts.scheme == "https" and (parts.hostname or "") in hosts


def _embed_attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if element != "iframe":
        return value
    if attribute == "src":
        return value if iframe_src_allowed(value, _iframe_hosts()) else None
    if attribute == "allow":
        kept = [
            token
            for token in (part.strip().split(" ")[0] for part in value.split(";"))
            if token in IFRAME_ALLOW
        ]
        return "; ".join(kept) or None
    return value


def _iframe_hosts() -> frozenset[str]:
    return frozenset(host.lower() for host in settings.CMS_EMBED_IFRAME_HOSTS)


def _cleaner(*, embed: bool) -> nh3.Cleaner:
    attributes = {tag: set(names) for tag, names in ATTRIBUTES.items()}
    tags = set(TAGS)
    dropped = set(DROPPED_WITH_CONTENT)
    options = {}
    if embed:
        tags.add("iframe")
        dropped.discard("iframe")
        attributes["iframe"] = IFRAME_ATTRIBUTES | {"allow"}
        options = {
            "attribute_filter": _embed_attribute_filter,
            "set_tag_attribute_values": {"iframe": {"sandbox": IFRAME_SANDBOX}},
        }
    return nh3.Cleaner(
        tags=tags,
        clean_content_tags=dropped,
        attributes=attributes,
        allowed_classes=CLASSES,
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        # Editor links carry no rel; a link without target cannot reach its opener.
        link_rel=None,
        **options,
    )


@cache
def _rich_text_cleaner() -> nh3.Cleaner:
    return _cleaner(embed=False)


@cache
def _embed_cleaner() -> nh3.Cleaner:
    return _cleaner(embed=True)


def clean_html(html: str | None) -> str:
    """Rich text as it may reach a client."""
    return _rich_text_cleaner().clean(html) if html else ""


def clean_embed_html(html: str | None) -> str:
    """Embed HTML (an oEmbed provider's) as it may reach a client: rich text plus iframes."""
    return _embed_cleaner().clean(html) if html else ""

"""The GraphQL types of HTML: every field that returns HTML is typed with one of these.

``HTML`` (rich text) and ``EmbedHTML`` (a provider's embed) clean their value when it is
serialised into the answer (``cms.core.sanitize``), so the allowlist holds whatever the
resolver returned.
"""

from __future__ import annotations

import graphene

from cms.core.sanitize import clean_embed_html, clean_html


def _output_only(value):
    raise TypeError("an output type")


class HTML(graphene.Scalar):
    """Rich text as HTML, cleaned by the server's allowlist: safe to insert as markup
    (README, "HTML from the API")."""

    serialize = staticmethod(clean_html)
    parse_value = staticmethod(_output_only)
    parse_literal = staticmethod(_output_only)


class EmbedHTML(graphene.Scalar):
    """An embed's HTML, cleaned by the server's allowlist; iframes only from the allowed
    players' hosts, over https and sandboxed."""

    serialize = staticmethod(clean_embed_html)
    parse_value = staticmethod(_output_only)
    parse_literal = staticmethod(_output_only)

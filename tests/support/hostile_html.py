"""Hostile HTML, shared by the server's and the browsers' sanitizer tests, and a checker
that says what of it survived.

Each payload tries to run ``PWN`` (it calls alert and sets ``window.__pwned``, so a
browser test sees either). The checker is written apart from the sanitizers: it parses
with Python's own HTML parser and knows nothing of their allowlists.
"""

from __future__ import annotations

from html.parser import HTMLParser

PWN = "window.__pwned=1;alert(1)"

PAYLOADS: dict[str, str] = {
    "script": f"<script>{PWN}</script>",
    "img onerror": f"<img src=x onerror={PWN}>",
    "javascript: link": f'<a href="javascript:{PWN}">点我</a>',
    "entity-encoded javascript:": f'<a href="JaVaScRiPt&colon;{PWN}">点我</a>',
    "javascript: after a space": f'<a href=" javascript:{PWN}">点我</a>',
    "javascript: with a tab": f'<a href="java\tscript:{PWN}">点我</a>',
    "data: link": '<a href="data:text/html,&lt;script&gt;window.__pwned=1&lt;/script&gt;">点我</a>',
    "vbscript: link": '<a href="vbscript:msgbox(1)">点我</a>',
    "data: image": '<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">',
    "svg onload": f"<svg onload={PWN}><circle r=1></circle></svg>",
    "svg script": f"<svg><script>{PWN}</script></svg>",
    "math href": f'<math><mtext><a href="javascript:{PWN}">x</a></mtext></math>',
    "math style mxss": f"<math><mtext><table><mglyph><style><img src=x onerror={PWN}>",
    "iframe javascript:": f"<iframe src=javascript:{PWN}></iframe>",
    "iframe srcdoc": f'<iframe srcdoc="&lt;script&gt;{PWN}&lt;/script&gt;"></iframe>',
    "iframe foreign host": '<iframe src="https://evil.example/player"></iframe>',
    "style url()": '<div style="background:url(javascript:alert(1))">背景</div>',
    "style expression()": '<p style="x:expression(alert(1))">表达式</p>',
    "style element": "<style>body{background:url(javascript:alert(1))}</style>",
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="javascript:alert(1)">',
    "form action": f'<form action="javascript:{PWN}"><button formaction="javascript:{PWN}">提交</button></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base href": '<base href="javascript:alert(1)//">',
    "noscript mxss": f'<noscript><p title="</noscript><img src=x onerror={PWN}>"></noscript>',
    "template": f"<template><img src=x onerror={PWN}></template>",
    "comment": f"<!--<img src=x onerror={PWN}>-->",
    "comment breakout": f"<!--><img src=x onerror={PWN}>-->",
    "cdata": f"<![CDATA[><img src=x onerror={PWN}>]]>",
    "event on allowed tag": f'<p onclick="{PWN}" onmouseover="{PWN}">段落</p>',
    "link with handler": f'<a href="/ok/" onfocus="{PWN}" autofocus>链接</a>',
    "details ontoggle": f"<details open ontoggle={PWN}><summary>x</summary></details>",
}

# What no cleaned HTML may hold, whatever the allowlist.
_FORBIDDEN_TAGS = {
    *("script", "style", "svg", "math", "object", "embed", "applet", "form", "button"),
    *("meta", "base", "link", "template", "noscript", "frame", "frameset", "input"),
}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcset"}
_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


class _Checker(HTMLParser):
    def __init__(self, iframe_hosts: frozenset[str]):
        super().__init__(convert_charrefs=True)
        self.iframe_hosts = iframe_hosts
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "iframe":
            self._iframe(dict(attrs))
        for name, value in attrs:
            self._attribute(tag, name, value or "")

    handle_startendtag = handle_starttag

    def _iframe(self, attrs: dict):
        from urllib.parse import urlsplit

        src = urlsplit((attrs.get("src") or "").strip())
        if attrs.get("src") and (src.scheme != "https" or src.hostname not in self.iframe_hosts):
            self.problems.append(f"iframe from {attrs['src']!r}")
        if "sandbox" not in attrs:
            self.problems.append("iframe without sandbox")

    def _attribute(self, tag, name, value):
        if name.startswith("on") or name in ("style", "srcdoc"):
            self.problems.append(f"<{tag} {name}>")
        if name in _URL_ATTRIBUTES:
            # As a browser reads it: control characters and whitespace do not count.
            squeezed = "".join(c for c in value if c > " ").lower()
            if ":" in squeezed.split("/", 1)[0] and not squeezed.startswith(_SAFE_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_comment(self, data):
        self.problems.append("comment")

    def unknown_decl(self, data):
        self.problems.append("declaration")


def hostile_remains(html: str, iframe_hosts=frozenset()) -> list[str]:
    """What in ``html`` could run code or leave the page; empty when nothing."""
    checker = _Checker(frozenset(iframe_hosts))
    checker.feed(html)
    checker.close()
    return checker.problems

"""The partner widget script (/embed/v1.js), served with the shared HTML sanitizer."""

from pathlib import Path

from django.http import HttpResponse
from django.views.decorators.http import require_GET

WIDGET = Path(__file__).resolve().parent / "v1.js"
# The browsers' HTML allowlist, one file shared with the reference front end.
SANITIZER = Path(__file__).resolve().parent / "sanitize.js"


def widget_source() -> bytes:
    """The widget with the sanitizer before it, in one block: CmsSanitizer stays out of the
    partner page's globals."""
    return b"{\n" + SANITIZER.read_bytes() + b"\n" + WIDGET.read_bytes() + b"\n}\n"


@require_GET
def widget_v1(request):
    """The partner widget. Versioned by URL: v1 changes only compatibly."""
    response = HttpResponse(widget_source(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response

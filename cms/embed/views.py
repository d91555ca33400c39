from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from cms.embed.oembed import OEmbedError, oembed_for


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


@require_GET
def oembed(request):
    if request.GET.get("format", "json") != "json":
        return _error(501, "只支持 format=json。")
    try:
        data = oembed_for(
            request.GET.get("url", ""),
            request,
            maxwidth=request.GET.get("maxwidth"),
            maxheight=request.GET.get("maxheight"),
        )
    except OEmbedError as error:
        return _error(error.status, error.message)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={data['cache_age']}"
    # Partner sites fetch this from their own servers or browsers.
    response["Access-Control-Allow-Origin"] = "*"
    return response


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

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


@require_GET
def widget_v1(request):
    """The partner widget. Versioned by URL: v1 changes only compatibly."""
    response = HttpResponse(WIDGET.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response

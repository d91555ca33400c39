from django.conf import settings
from django.http import Http404, JsonResponse
from django.views.static import serve


def landing(request):
    """Pages are rendered by the front ends; the CMS itself only points to its two doors."""
    return JsonResponse({"admin": "/admin/", "graphql": "/graphql/"})


def page_path(request, path):
    """Wagtail names page URLs after this route; the pages themselves are served by front ends."""
    return JsonResponse(
        {"detail": "本站内容由前端渲染,请通过 /graphql/ 读取。", "path": f"/{path}"}, status=404
    )


def media(request, path):
    if not settings.CMS_SERVE_MEDIA:
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)

from django.http import JsonResponse


def landing(request):
    """Pages are rendered by the front ends; the CMS itself only points to its two doors."""
    return JsonResponse({"admin": "/admin/", "graphql": "/graphql/"})


def page_path(request, path):
    """Wagtail names page URLs after this route; the pages themselves are served by front ends."""
    return JsonResponse(
        {"detail": "本站内容由前端渲染,请通过 /graphql/ 读取。", "path": f"/{path}"}, status=404
    )

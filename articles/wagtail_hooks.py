"""Admin behaviour of articles."""

from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from wagtail import hooks

# The admin views an article is edited (or previewed) on: the chooser opened from them
# must not offer that article itself.
_EDIT_VIEWS = {"wagtailadmin_pages:edit", "wagtailadmin_pages:preview_on_edit"}


def _page_being_edited(request) -> int | None:
    """The page whose edit form opened this chooser (its modal is fetched from that page)."""
    referer = request.headers.get("Referer") or ""
    parts = urlsplit(referer)
    if parts.netloc and parts.netloc != request.get_host():
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name not in _EDIT_VIEWS:
        return None
    page_id = match.kwargs.get("page_id") or (match.args[0] if match.args else None)
    return int(page_id) if str(page_id or "").isdigit() else None


@hooks.register("construct_page_chooser_queryset")
def not_the_article_itself(pages, request):
    """往期推荐 offers other articles: an article is never its own recommended reading."""
    page_id = _page_being_edited(request)
    return pages.exclude(pk=page_id) if page_id else pages

"""Admin: the word list and the direct-publishing rules, log actions, the Publish button,
and the 三审 and screening on Wagtail's publish paths outside the page editor."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from cms.core.admin_menu import register_viewset_group
from cms.review.guards import refusal, under_review
from cms.review.models import DirectPublishRule, SensitiveWord
from cms.review.page_form import BLOCKED_ACTION, OVERRIDE_ACTION
from cms.review.rules import may_publish_directly
from cms.review.views import ReviewPageViewSet


class SensitiveWordViewSet(ModelViewSet):
    model = SensitiveWord
    icon = "warning"
    menu_label = _("Sensitive words")
    url_prefix = "review/sensitive-words"
    list_display = ["word", "category", "severity", "is_active", "updated_at"]
    list_filter = ["category", "severity", "is_active"]
    search_fields = ["word", "note"]
    list_export = ["word", "category", "severity", "is_active", "note"]
    copy_view_enabled = False


class DirectPublishRuleViewSet(ModelViewSet):
    model = DirectPublishRule
    icon = "upload"
    menu_label = _("Direct publishing rules")
    url_prefix = "review/direct-publishing"
    list_display = ["page", "note"]
    copy_view_enabled = False


register_viewset_group(
    _("Review"),
    "tasks",
    SensitiveWordViewSet("review_sensitive_words"),
    DirectPublishRuleViewSet("review_direct_publishing"),
)


# After Wagtail's own base page viewset, which it replaces for every page type.
@hooks.register("register_admin_viewset", order=100)
def register_review_page_viewset():
    return ReviewPageViewSet()


def _found_words(log_entry):
    """The words screening found, as the log entry recorded them."""
    return "、".join(hit.get("found", "") for hit in (log_entry.data or {}).get("hits", []))


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    @actions.register_action(OVERRIDE_ACTION)
    class ScreeningOverride(LogFormatter):
        label = _("Sensitive-word screening overridden")

        def format_message(self, log_entry):
            return _("Screening overridden (%(words)s). Reason: %(reason)s") % {
                "words": _found_words(log_entry),
                "reason": (log_entry.data or {}).get("reason", ""),
            }

    @actions.register_action(BLOCKED_ACTION)
    class ScreeningBlocked(LogFormatter):
        label = _("Stopped by sensitive-word screening")

        def format_message(self, log_entry):
            return _("Stopped by sensitive-word screening: %(words)s") % {
                "words": _found_words(log_entry)
            }


@hooks.register("construct_page_action_menu")
def hide_publish_under_review(menu_items, request, context):
    """Under the 三审, Publish is offered only where direct publishing is allowed."""
    page = context.get("page")
    parent = context.get("parent_page")
    if page is None and parent is None:
        return
    if not may_publish_directly(request.user, page or parent, parent):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


def _refuse(request, message, next_url):
    messages.error(request, message)
    return redirect(next_url)


@hooks.register("before_bulk_action")
def review_bulk_publish(request, action_type, objects, action_class_instance):
    """The explorer's bulk Publish checks only Wagtail's publish permission."""
    if action_type != "publish" or not issubclass(action_class_instance.model, Page):
        return None
    user = request.user
    pages = list(objects)
    form = getattr(action_class_instance, "cleaned_form", None)
    if form is not None and form.cleaned_data.get("include_descendants"):
        for page in objects:
            pages.extend(
                descendant
                for descendant in page.get_descendants().not_live().specific()
                if descendant.permissions_for_user(user).can_publish()
            )
    for page in pages:
        message = refusal(user, page)
        if message:
            return _refuse(request, message, action_class_instance.next_url)
    return None


def _live_pages(page, with_descendants):
    pages = [page.specific] if page.live else []
    if with_descendants:
        pages.extend(page.get_descendants().live().specific())
    return pages


@hooks.register("before_copy_page")
def review_copy_page(request, page):
    """A live copy (publish copies, or an alias of a live page) is published content."""
    if request.method != "POST":
        return None
    parent = Page.objects.filter(pk=request.POST.get("new_parent_page") or None).first()
    alias = bool(request.POST.get("alias"))
    if parent is None or not (alias or request.POST.get("publish_copies")):
        return None
    for live in _live_pages(page, bool(request.POST.get("copy_subpages"))):
        if live.pk == page.pk and not alias and request.POST.get("new_title"):
            # The copy goes live under the title typed into the copy form.
            live.title = request.POST["new_title"]
        message = refusal(request.user, live, live, parent=parent)
        if message:
            return _refuse(request, message, request.get_full_path())
    return None


@hooks.register("before_move_page")
def review_move_page(request, page, destination):
    """Live content moved in from outside the 三审 would be published without it."""
    if under_review(page):
        return None
    for live in _live_pages(page, True):
        message = refusal(request.user, live, live, parent=destination)
        if message:
            return _refuse(request, message, reverse("wagtailadmin_pages:move", args=(page.pk,)))
    return None

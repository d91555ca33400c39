"""Admin: the word list and the direct-publishing rules, log actions, the Publish button."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter

from cms.review.models import DirectPublishRule, SensitiveWord
from cms.review.page_form import BLOCKED_ACTION, OVERRIDE_ACTION
from cms.review.rules import may_publish_directly


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


class ReviewViewSetGroup(ViewSetGroup):
    menu_label = _("Review")
    menu_icon = "tasks"
    items = (
        SensitiveWordViewSet("review_sensitive_words"),
        DirectPublishRuleViewSet("review_direct_publishing"),
    )


@hooks.register("register_admin_viewset")
def register_review_viewsets():
    return ReviewViewSetGroup()


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    @actions.register_action(OVERRIDE_ACTION)
    class ScreeningOverride(LogFormatter):
        label = _("Sensitive-word screening overridden")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            words = "、".join(hit.get("found", "") for hit in data.get("hits", []))
            return _("Screening overridden (%(words)s). Reason: %(reason)s") % {
                "words": words,
                "reason": data.get("reason", ""),
            }

    @actions.register_action(BLOCKED_ACTION)
    class ScreeningBlocked(LogFormatter):
        label = _("Stopped by sensitive-word screening")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            words = "、".join(hit.get("found", "") for hit in data.get("hits", []))
            return _("Stopped by sensitive-word screening: %(words)s") % {"words": words}


@hooks.register("construct_page_action_menu")
def hide_publish_under_review(menu_items, request, context):
    """Under the 三审, Publish is offered only where direct publishing is allowed."""
    page = context.get("page")
    parent = context.get("parent_page")
    if page is None and parent is None:
        return
    if not may_publish_directly(request.user, page or parent, parent):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]

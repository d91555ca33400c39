"""The page form that screens content and keeps the 三审 in the way of direct publishing.

Page types opt in with ``base_form_class = ScreenedPageForm``. The checks run in form
validation, so every path of Wagtail's create and edit views goes through them: Publish,
Submit to the workflow, Restart, and a reviewer's Approve from the editor. A blocking hit
makes the form invalid with a Chinese message naming the word and its place; a user with
``review.override_screening`` may go on by giving a reason, which is logged on the page.
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.log_actions import log

from cms.review.rules import category_label, may_publish_directly, screen_page

OVERRIDE_PERMISSION = "review.override_screening"
OVERRIDE_ACTION = "review.screening_override"
BLOCKED_ACTION = "review.screening_blocked"
OVERRIDE_FIELD = "screening_override_reason"


def requested_action(data) -> str | None:
    """The editor action a POST asks for, when it is one screening must pass."""
    if data.get("action-publish"):
        return "publish"
    if data.get("action-submit") or data.get("action-restart-workflow"):
        return "submit"
    if data.get("action-workflow-action") and data.get("workflow-action-name") == "approve":
        return "approve"
    return None


ACTION_LABELS = {
    "publish": _("publish"),
    "submit": _("submit for review"),
    "approve": _("approve"),
}


def describe_hits(hits) -> str:
    return gettext("; ").join(
        gettext("“%(found)s” (%(word)s, %(category)s) in %(place)s")
        % {
            "found": hit.found,
            "word": hit.word,
            "category": category_label(hit.category),
            "place": hit.place,
        }
        for hit in hits
    )


class ScreenedPageForm(WagtailAdminPageForm):
    screening_override_reason = forms.CharField(
        label=_("Reason for publishing despite blocking words"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when a blocking word is used on purpose (e.g. quoted from an official "
            "document). The reason is kept in the page's history."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.screening_hits = None
        self.screening_override = None
        if not (self.for_user and self.for_user.has_perm(OVERRIDE_PERMISSION)):
            self.fields.pop(OVERRIDE_FIELD, None)

    def _post_clean(self):
        super()._post_clean()
        action = requested_action(self.data) if self.is_bound else None
        if action is None or self.for_user is None:
            return
        page = self.instance
        if action == "publish" and not may_publish_directly(
            self.for_user, page, getattr(self, "parent_page", None)
        ):
            self.add_error(
                None,
                gettext(
                    "This page goes through the 三审 review before it is published: "
                    "use “Submit to 三审” instead. An administrator can allow direct "
                    "publishing of small fixes here (Settings → Direct publishing rules)."
                ),
            )
            return
        self.screening_hits = screen_page(page)
        blocking = [hit for hit in self.screening_hits if hit.blocks]
        if not blocking:
            return
        reason = (self.cleaned_data.get(OVERRIDE_FIELD) or "").strip()
        if reason and OVERRIDE_FIELD in self.fields:
            self.screening_override = {
                "action": action,
                "reason": reason,
                "hits": [hit.as_dict() for hit in blocking],
            }
            return
        message = gettext(
            "Sensitive-word screening stopped this page, it cannot %(action)s: %(hits)s. "
            "Change the text and try again."
        ) % {"action": ACTION_LABELS[action], "hits": describe_hits(blocking)}
        if OVERRIDE_FIELD in self.fields:
            message += " " + gettext(
                "If the wording is needed, give a reason under “Reason for publishing "
                "despite blocking words”."
            )
        self.add_error(None, message)
        if page.pk:
            log(
                instance=page,
                action=BLOCKED_ACTION,
                user=self.for_user,
                data={"action": action, "hits": [hit.as_dict() for hit in blocking]},
            )

    def save(self, commit=True):
        page = super().save(commit=commit)
        if self.screening_override:
            if page.pk:
                log_override(page, self.for_user, self.screening_override)
            else:
                # A new page has no id until its parent adds it: logged on its first save.
                page._screening_override = (self.for_user, self.screening_override)
        return page


def log_override(page, user, override):
    log(instance=page, action=OVERRIDE_ACTION, user=user, data=override)

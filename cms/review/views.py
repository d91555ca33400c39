"""Wagtail's page views with the 三审's guards: the dashboard's workflow action screens
approvals, autosave only ever saves a draft, and a workflow action acts once per step."""

from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet

from cms.review.guards import approval_refusal, claim_task_state

# The fields by which the editor's buttons ask Wagtail for more than saving a draft.
ACTION_FIELDS = (
    "action-publish",
    "action-submit",
    "action-restart-workflow",
    "action-workflow-action",
    "workflow-action-name",
    "workflow-action-extra-data",
    "action-cancel-workflow",
)


class AutosaveOnlySavesMixin:
    """Autosave posts the whole edit form, including the hidden fields the Approve button
    adds to it before the real submission: without this an autosave could approve, publish
    or submit. Autosave (and any request wanting JSON back) only saves a draft."""

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and not request.accepts("text/html"):
            # Dropped from the request's own data: the view and the form both read it.
            data = request.POST
            data._mutable = True
            for name in ACTION_FIELDS:
                data.pop(name, None)
            data._mutable = False
        return super().dispatch(request, *args, **kwargs)


class ReviewCreateView(AutosaveOnlySavesMixin, CreateView):
    pass


class ReviewEditView(AutosaveOnlySavesMixin, EditView):
    checked_task_state = None

    def workflow_action_is_valid(self):
        """Wagtail's check, remembering which step it was made against.

        Wagtail reads the current step again when it acts, after validating and saving the
        form: if another approval of this step commits in between, the action lands on the
        next step, which this reviewer may not even belong to (one click, two steps).
        """
        task_state = self.page.current_workflow_task_state
        self.checked_task_state = task_state
        if task_state is None:
            return False
        self.workflow_action = self.request.POST.get("workflow-action-name")
        actions = task_state.task.specific.get_actions(self.page, self.request.user)
        return self.workflow_action in [name for name, _label, _modal in actions]

    def perform_workflow_action(self):
        with transaction.atomic():
            message = claim_task_state(self.checked_task_state, self.page)
            if message is None:
                return super().perform_workflow_action()
        messages.error(self.request, message)
        return redirect(reverse("wagtailadmin_pages:edit", args=(self.page.pk,)))


class ScreenedWorkflowActionView(WorkflowActionView):
    def refuse(self, request, message):
        messages.error(request, message)
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # The modal follows "redirect", where the message is shown.
            return self.render_modal_json(
                request, {"step": "success", "redirect": self.redirect_url}
            )
        return redirect(self.redirect_url)

    def post(self, request, *args, **kwargs):
        if self.action_name == "approve":
            message = approval_refusal(request.user, self.object)
            if message:
                return self.refuse(request, message)
        with transaction.atomic():
            message = claim_task_state(self.task_state, self.object)
            if message is None:
                return super().post(request, *args, **kwargs)
        return self.refuse(request, message)


class ReviewPageViewSet(PageViewSet):
    """Wagtail's views for every page type, with the 三审's guards in front."""

    add_view_class = ReviewCreateView
    edit_view_class = ReviewEditView
    workflow_action_view_class = ScreenedWorkflowActionView

"""The page workflow action (dashboard Approve) with the screening in front of it."""

from django.shortcuts import redirect
from wagtail.admin import messages
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet

from cms.review.guards import approval_refusal


class ScreenedWorkflowActionView(WorkflowActionView):
    def post(self, request, *args, **kwargs):
        if self.action_name == "approve":
            message = approval_refusal(request.user, self.object)
            if message:
                messages.error(request, message)
                if request.headers.get("x-requested-with") == "XMLHttpRequest":
                    # The modal follows "redirect", where the message is shown.
                    return self.render_modal_json(
                        request, {"step": "success", "redirect": self.redirect_url}
                    )
                return redirect(self.redirect_url)
        return super().post(request, *args, **kwargs)


class ReviewPageViewSet(PageViewSet):
    """Wagtail's views for every page type, but the workflow action screens approvals."""

    workflow_action_view_class = ScreenedWorkflowActionView

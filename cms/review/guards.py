"""The 三审 and the screening on the publish paths that never use the page edit form.

``ScreenedPageForm`` guards the editor. Wagtail also publishes from the explorer's bulk
Publish, from Copy with "publish copies" (and aliases of live pages), by moving a live page,
and when the last reviewer approves from the dashboard: each of these asks ``refusal`` here
first. None of them has a place for an override reason, so a blocking word always stops
them; the editor, where the reason is given, stays the way to publish such a page.
"""

from django.utils.translation import gettext

from cms.review.rules import may_publish_directly, screen_page
from cms.review.workflow import WORKFLOW_NAME


def under_review(page) -> bool:
    """Whether the active 三审 covers ``page`` (a saved page, or a parent for a new one)."""
    workflow = page.get_workflow()
    return workflow is not None and workflow.active and workflow.name == WORKFLOW_NAME


def content_to_publish(page):
    """What publishing ``page`` makes live: its latest revision, else the page as stored."""
    page = page.specific_deferred if hasattr(page, "specific_deferred") else page
    revision = page.get_latest_revision()
    return revision.as_object() if revision is not None else page.specific


def blocked_message(page, hits) -> str:
    from cms.review.page_form import describe_hits

    return gettext(
        "Sensitive-word screening stopped “%(title)s”: %(hits)s. Change the text in the "
        "editor (where a reason for keeping the wording can be given, with the permission)."
    ) % {"title": page.title, "hits": describe_hits(hits)}


def review_message(page) -> str:
    return gettext(
        "“%(title)s” goes through the 三审 review before it is published: submit it to "
        "the 三审 from the editor. An administrator can allow direct publishing of small "
        "fixes here (Settings → Direct publishing rules)."
    ) % {"title": page.title}


def screening_refusal(content) -> str | None:
    blocking = [hit for hit in screen_page(content) if hit.blocks]
    return blocked_message(content, blocking) if blocking else None


def refusal(user, page, content=None, parent=None) -> str | None:
    """Why ``user`` may not make ``content`` (what ``page`` will show) live, or None.

    ``parent`` is where a page not yet saved there (a copy) will stand.
    """
    anchor = page if page.pk and parent is None else parent
    if not may_publish_directly(user, anchor):
        return review_message(page)
    return screening_refusal(content if content is not None else content_to_publish(page))


def approval_refusal(user, page) -> str | None:
    """Approving from the dashboard publishes at the last step without the editor's form.

    The content was screened at submission, but reviewers may have saved drafts since and
    the word list may have changed: what the approval passes on is screened again. A stop
    is logged like one in the editor.
    """
    from wagtail.log_actions import log

    from cms.review.page_form import BLOCKED_ACTION

    content = content_to_publish(page)
    blocking = [hit for hit in screen_page(content) if hit.blocks]
    if not blocking:
        return None
    log(
        instance=page.specific_deferred,
        action=BLOCKED_ACTION,
        user=user,
        data={"action": "approve", "hits": [hit.as_dict() for hit in blocking]},
    )
    return blocked_message(content, blocking)


def claim_task_state(task_state, page) -> str | None:
    """Lock the review step a reviewer acts on; why the action may not go on, or None.

    Wagtail checks the step's status on the copy each request loaded, so two approvals
    posted together (a double click, or an autosave that picked up the Approve fields) both
    pass and both move the workflow on. The row lock makes the second wait for the first
    and then see the step finished. Call inside the transaction that performs the action.
    """
    from wagtail.models import TaskState, WorkflowState

    locked = TaskState.objects.select_for_update().filter(
        pk=getattr(task_state, "pk", None), status=TaskState.STATUS_IN_PROGRESS
    )
    current = locked.values_list("workflow_state_id", flat=True).first()
    if current is not None and (
        WorkflowState.objects.filter(
            pk=current,
            status=WorkflowState.STATUS_IN_PROGRESS,
            current_task_state_id=task_state.pk,
        ).exists()
    ):
        return None
    return gettext(
        "The review step of “%(title)s” you acted on has already been dealt with (or the "
        "review has ended): nothing was done this time. Reload the page to see where the "
        "三审 stands now."
    ) % {"title": page.title}

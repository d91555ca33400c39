"""One Approve moves the 三审 on by exactly one step: autosave only saves a draft (it posts
the whole edit form, with the hidden fields Approve adds to it), and a second approval of a
step already dealt with is refused in Chinese instead of moving the workflow on again."""

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from wagtail.models import TaskState

from articles.models import ArticlePage
from cms.review.guards import claim_task_state
from cms.review.workflow import STEPS
from tests.support.review_forms import article_form, client_for, member, messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_and_second(django_user_model, index):
    """A reviewer in both the 编辑初审 and the 部门复审 group, who can act on either step."""
    user = member(django_user_model, "both", Group.objects.get(name=STEPS[0][1]))
    user.groups.add(Group.objects.get(name=STEPS[1][1]))
    return user


@pytest.fixture
def submitted(article_factory, admin_user):
    article = article_factory(title="托育服务新政策", slug="one-step", live=False)
    article.save_revision(user=admin_user)
    article.get_workflow().start(article, admin_user)
    article.refresh_from_db()
    assert article.current_workflow_task.name == STEPS[0][0]
    return article


def approve_fields(article):
    return article_form(
        title="托育服务新政策修订版",
        slug=article.slug,
        **{"action-workflow-action": "true", "workflow-action-name": "approve"},
    )


def edit_url(article):
    return reverse("wagtailadmin_pages:edit", args=(article.pk,))


def step_of(article):
    article.refresh_from_db()
    return article.current_workflow_task.name


def test_an_autosave_carrying_approve_only_saves_a_draft(submitted, first_and_second):
    client = client_for(first_and_second)
    response = client.post(
        edit_url(submitted), approve_fields(submitted), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200 and response.json()["success"]
    assert step_of(submitted) == STEPS[0][0]
    assert submitted.get_latest_revision().as_object().title == "托育服务新政策修订版"
    assert not TaskState.objects.filter(status=TaskState.STATUS_APPROVED).exists()

    # The real submission of the same form still approves, once.
    client.post(edit_url(submitted), approve_fields(submitted))
    assert step_of(submitted) == STEPS[1][0]


def test_an_autosave_carrying_publish_or_submit_does_not(submitted, admin_user):
    client = client_for(admin_user)
    for action in ("action-publish", "action-cancel-workflow"):
        form = article_form(title="托育服务新政策", slug=submitted.slug, **{action: "1"})
        response = client.post(edit_url(submitted), form, HTTP_ACCEPT="application/json")
        assert response.status_code == 200 and response.json()["success"]
    submitted.refresh_from_db()
    assert not submitted.live
    assert step_of(submitted) == STEPS[0][0]


def test_a_second_approval_of_the_same_step_is_refused(submitted, first_and_second):
    task_state = submitted.current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=(submitted.pk, "approve", task_state.pk)
    )
    client = client_for(first_and_second)
    client.post(url)
    assert step_of(submitted) == STEPS[1][0]
    # The same button again (a double click, a second tab): the step it names is done.
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "已经处理过" in messages_of(response)
    assert step_of(submitted) == STEPS[1][0]


def test_a_stale_copy_of_the_step_cannot_be_approved_again(submitted, first_and_second):
    """What the second of two concurrent approvals holds: the step as it was loaded before
    the first committed. Wagtail's own check reads that copy and would pass it."""
    stale = submitted.current_workflow_task_state
    client_for(first_and_second).post(edit_url(submitted), approve_fields(submitted))
    assert step_of(submitted) == STEPS[1][0]
    with transaction.atomic():
        assert "已经处理过" in claim_task_state(stale, submitted)
        assert claim_task_state(submitted.current_workflow_task_state, submitted) is None


def test_an_approval_committed_while_the_editor_validates_is_not_taken_for_the_next_step(
    submitted, django_user_model, monkeypatch
):
    """The browser test's failure: two approvals of 编辑初审 overlap (the click and an
    autosave carrying it). The second was checked against 编辑初审, but Wagtail read the
    step again after validating the form, found 部门复审 and approved that as a 编辑初审
    reviewer, moving the article straight to 总编终审."""
    first_group = Group.objects.get(name=STEPS[0][1])
    first = member(django_user_model, "first", first_group)
    peer = member(django_user_model, "peer", first_group)
    clean = ArticlePage.clean
    overlapping = []

    def clean_while_the_other_approval_commits(page):
        if not overlapping:
            overlapping.append(page.current_workflow_task_state)
            overlapping[0].approve(user=peer)
        return clean(page)

    monkeypatch.setattr(ArticlePage, "clean", clean_while_the_other_approval_commits)
    response = client_for(first).post(edit_url(submitted), approve_fields(submitted), follow=True)
    assert overlapping and overlapping[0].task.name == STEPS[0][0]
    assert "已经处理过" in messages_of(response)
    assert step_of(submitted) == STEPS[1][0]
    approvals = TaskState.objects.filter(status=TaskState.STATUS_APPROVED)
    assert [(state.task.name, state.finished_by) for state in approvals] == [(STEPS[0][0], peer)]

"""三审 in Chromium: an editor submits, 编辑初审 approves, 部门复审 requests changes, the
editor resubmits, 部门复审 and 总编终审 approve, and the article is live; four real users
in the real admin, against a live server."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, PageLogEntry

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Review-17"


def make_user(django_user_model, name, group):
    user = django_user_model.objects.create_user(name, f"{name}@example.cn", PASSWORD)
    user.groups.add(group)
    return user


def log_in(browser, live_server, name):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))
    return page


def workflow_action(page, edit_url, action):
    page.goto(edit_url)
    button = page.locator(f"button[data-workflow-action-name='{action}']").first
    if action == "approve":
        # The form is posted by the admin's script: wait for the page it leads to.
        with page.expect_navigation():
            button.dispatch_event("click")
    else:
        button.dispatch_event("click")


def submit(page):
    with page.expect_navigation():
        page.locator("button[name='action-submit']").dispatch_event("click")


def test_three_steps_with_a_rejection_and_a_resubmission(
    browser, live_server, django_user_model, article_factory, index
):
    editors = Group.objects.create(name="记者")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=editors, page=index, permission=Permission.objects.get(codename=codename)
        )
    make_user(django_user_model, "editor", editors)
    make_user(django_user_model, "first", Group.objects.get(name="编辑初审组"))
    make_user(django_user_model, "second", Group.objects.get(name="部门复审组"))
    make_user(django_user_model, "chief", Group.objects.get(name="总编终审组"))
    article = article_factory(title="托育新政", slug="review-flow", live=False)
    article.save_revision()
    edit_url = f"{live_server.url}/admin/pages/{article.pk}/edit/"

    editor = log_in(browser, live_server, "editor")
    editor.goto(edit_url)
    assert editor.locator("button[name='action-publish']").count() == 0
    submit(editor)
    article.refresh_from_db()
    assert article.current_workflow_task.name == "编辑初审"

    first = log_in(browser, live_server, "first")
    workflow_action(first, edit_url, "approve")
    first.wait_for_load_state("networkidle")
    assert article.current_workflow_task.name == "部门复审"

    second = log_in(browser, live_server, "second")
    workflow_action(second, edit_url, "reject")
    second.locator("textarea[name='comment']").fill("请补充政策来源")
    with second.expect_navigation():
        second.locator(".modal button[type='submit']").click()
    second.wait_for_load_state("networkidle")
    article.refresh_from_db()
    assert article.current_workflow_state.status == "needs_changes"

    editor.goto(edit_url)
    editor.fill("#id_title", "托育新政（已补充来源）")
    submit(editor)
    article.refresh_from_db()
    assert article.current_workflow_task.name == "部门复审"

    workflow_action(second, edit_url, "approve")
    second.wait_for_load_state("networkidle")
    chief = log_in(browser, live_server, "chief")
    workflow_action(chief, edit_url, "approve")
    chief.wait_for_load_state("networkidle")

    article.refresh_from_db()
    assert article.live
    assert article.title == "托育新政（已补充来源）"
    actions = list(
        PageLogEntry.objects.filter(page=article)
        .order_by("timestamp")
        .values_list("action", "user__username")
    )
    assert ("wagtail.workflow.reject", "second") in actions
    assert ("wagtail.workflow.resume", "editor") in actions
    assert ("wagtail.workflow.approve", "chief") in actions

"""The 三审 workflow: created by its migration (idempotently), on the article index, in the
editor: screening stops submission and publishing, overrides are logged, Publish is kept to
the groups an administrator allows, and the audit trail names who did what."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    PageLogEntry,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.test.utils.form_data import rich_text, streamfield

from cms.review.models import DirectPublishRule, SensitiveWord
from cms.review.workflow import STEPS, WORKFLOW_NAME, ensure_review_workflow
from tests.support.review_forms import article_form, client_for


def counts():
    return (
        Workflow.objects.count(),
        GroupApprovalTask.objects.count(),
        WorkflowTask.objects.count(),
        Group.objects.count(),
        WorkflowPage.objects.count(),
    )


@pytest.mark.django_db
def test_migration_created_the_workflow_and_running_it_again_changes_nothing(index):
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    tasks = [task.specific for task in workflow.tasks.order_by("workflow_tasks__sort_order")]
    assert [task.name for task in tasks] == [name for name, _ in STEPS]
    assert [[g.name for g in task.groups.all()] for task in tasks] == [[g] for _, g in STEPS]
    assert all(isinstance(task, GroupApprovalTask) for task in tasks)
    # A new article index gets the 三审 by default.
    assert index.get_workflow() == workflow
    before = counts()
    ensure_review_workflow(apps)
    ensure_review_workflow(apps)
    assert counts() == before
    for _, group_name in STEPS:
        assert (
            Group.objects.get(name=group_name).permissions.filter(codename="access_admin").exists()
        )


@pytest.mark.django_db
def test_an_administrator_can_change_the_workflow_without_the_migration_undoing_it(index):
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    WorkflowPage.objects.filter(page=index).delete()
    GroupApprovalTask.objects.get(name="部门复审").groups.add(Group.objects.create(name="法务"))
    ensure_review_workflow(apps)
    # The migration attaches to indexes without a workflow; it never removes a group.
    assert index.get_workflow() == workflow
    assert GroupApprovalTask.objects.get(name="部门复审").groups.count() == 2


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_index_is_under_the_workflow():
    call_command("load_demo_content", verbosity=0)
    from wagtail.models import Page

    article = Page.objects.get(slug="持续优化便民生活圈")
    assert article.get_workflow().name == WORKFLOW_NAME


@pytest.fixture
def editor(django_user_model, index):
    user = django_user_model.objects.create_user("editor", "e@example.cn", "pw-Editor-1")
    group = Group.objects.create(name="记者")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=index, permission=Permission.objects.get(codename=codename)
        )
    user.groups.add(group)
    return user


@pytest.fixture
def blocking_word(db):
    return SensitiveWord.objects.create(word="赌博", category="illegal", severity="block")


def add_url(index):
    return reverse("wagtailadmin_pages:add", args=("articles", "articlepage", index.pk))


def test_blocking_word_stops_submission_with_a_chinese_message(editor, index, blocking_word):
    client = client_for(editor)
    body = streamfield([("paragraph", {"text": rich_text("<p>打击<b>赌</b>、博</p>")})])
    response = client.post(
        add_url(index), article_form(body=body, **{"action-submit": "1"}), follow=True
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "敏感词检查" in text and "赌、博" in text and "正文" in text
    from articles.models import ArticlePage

    assert not ArticlePage.objects.filter(slug="托育服务新政策").exists()


@pytest.mark.slow
def test_editor_publish_is_refused_under_the_workflow_until_a_rule_allows_it(editor, index):
    from articles.models import ArticlePage

    client = client_for(editor)
    response = client.get(add_url(index))
    assert 'name="action-publish"' not in response.content.decode()
    assert 'name="action-submit"' in response.content.decode()
    response = client.post(add_url(index), article_form(**{"action-publish": "1"}))
    assert "三审" in response.content.decode()
    assert not ArticlePage.objects.filter(slug="托育服务新政策").exists()

    rule = DirectPublishRule.objects.create(page=index, note="错别字修改")
    rule.groups.add(editor.groups.get())
    response = client.get(add_url(index))
    assert 'name="action-publish"' in response.content.decode()
    client.post(add_url(index), article_form(**{"action-publish": "1"}))
    assert ArticlePage.objects.get(slug="托育服务新政策").live


@pytest.mark.slow
def test_override_needs_the_permission_and_a_reason_and_is_logged(editor, index, blocking_word):
    from articles.models import ArticlePage

    client = client_for(editor)
    form = article_form(title="严厉打击赌博", **{"action-submit": "1"})
    form["screening_override_reason"] = "引用公安部通报原文"
    client.post(add_url(index), form)
    # Without the permission the reason is not even a field: still stopped.
    assert not ArticlePage.objects.filter(slug="托育服务新政策").exists()

    editor.groups.get().permissions.add(Permission.objects.get(codename="override_screening"))
    editor = type(editor).objects.get(pk=editor.pk)
    client = client_for(editor)
    form["screening_override_reason"] = ""
    response = client.post(add_url(index), form)
    assert "理由" in response.content.decode()
    assert not ArticlePage.objects.filter(slug="托育服务新政策").exists()

    form["screening_override_reason"] = "引用公安部通报原文"
    client.post(add_url(index), form)
    page = ArticlePage.objects.get(slug="托育服务新政策")
    assert page.current_workflow_task.name == "编辑初审"
    entry = PageLogEntry.objects.get(page=page, action="review.screening_override")
    assert entry.user == editor
    assert entry.data["reason"] == "引用公安部通报原文"
    assert entry.data["action"] == "submit"
    assert entry.data["hits"][0]["found"] == "赌博"
    assert "引用公安部通报原文" in entry.message


def test_blocked_attempt_on_an_existing_page_is_logged(editor, article_factory, blocking_word):
    article = article_factory(title="托育服务", slug="托育服务")
    client = client_for(editor)
    form = article_form(title="赌博", slug="托育服务", **{"action-submit": "1"})
    client.post(reverse("wagtailadmin_pages:edit", args=(article.pk,)), form)
    entry = PageLogEntry.objects.get(page=article, action="review.screening_blocked")
    assert entry.user == editor


def test_scheduled_publish_names_who_scheduled_it(admin_user, article_factory):
    from wagtail.models import Revision

    article = article_factory(title="定时发布", slug="scheduled", live=False)
    article.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = article.save_revision(user=admin_user)
    revision.publish(user=admin_user)
    assert PageLogEntry.objects.filter(page=article, action="wagtail.publish.schedule").exists()
    # Its time has come: the scheduler (nobody) publishes it.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision = Revision.objects.get(pk=revision.pk)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    entry = PageLogEntry.objects.get(page=article, action="wagtail.publish.scheduled")
    assert entry.user == admin_user
    assert entry.data["scheduled_by"] == admin_user.pk


def test_site_history_export_has_the_custom_actions_in_beijing_time(
    admin_client, article_factory, admin_user
):
    article = article_factory(title="托育服务", slug="托育服务")
    from wagtail.log_actions import log

    log(article, "review.screening_override", user=admin_user, data={"reason": "原文", "hits": []})
    response = admin_client.get(reverse("wagtailadmin_reports:site_history") + "?export=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "忽略敏感词拦截" in text and "理由\uff1a原文" in text
    local = timezone.localtime(
        PageLogEntry.objects.get(action="review.screening_override").timestamp
    )
    assert local.strftime("%Y-%m-%d %H:%M") in text

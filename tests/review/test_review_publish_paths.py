"""The 三审 and the screening on Wagtail's publish paths outside the page editor: the
explorer's bulk Publish, Copy with "publish copies", moving a live page in, and the last
reviewer's Approve from the dashboard. Each is refused without the review (or a rule
allowing direct publishing) and stopped by a blocking word."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, PageLogEntry, WorkflowPage

from articles.factories import ArticleIndexPageFactory
from cms.review.models import DirectPublishRule, SensitiveWord
from cms.review.workflow import STEPS, WORKFLOW_NAME
from tests.support.review_forms import client_for, member, messages_of


@pytest.fixture
def blocking_word(db):
    return SensitiveWord.objects.create(word="赌博", category="illegal", severity="block")


def allow_direct_publishing(page, group):
    DirectPublishRule.objects.create(page=page, note="错别字修改").groups.add(group)


@pytest.fixture
def chief(django_user_model, index):
    """A 总编终审 member: publish_page on the article index, for the last approval."""
    return member(django_user_model, "chief", Group.objects.get(name=STEPS[-1][1]))


@pytest.fixture
def reporter(django_user_model, home, index):
    """Adds, edits and publishes anywhere under the home page (Wagtail's permissions)."""
    group = Group.objects.create(name="记者")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=home, permission=Permission.objects.get(codename=codename)
        )
    return member(django_user_model, "reporter", group)


def bulk_publish(client, *pages):
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    query = "&".join(f"id={page.pk}" for page in pages)
    return client.post(f"{url}?{query}", follow=True)


def test_bulk_publish_needs_the_review_or_a_rule(chief, article_factory, index):
    draft = article_factory(title="托育补贴新规", live=False)
    response = bulk_publish(client_for(chief), draft)
    draft.refresh_from_db()
    assert not draft.live
    assert "须经三审" in messages_of(response)

    allow_direct_publishing(index, chief.groups.get())
    bulk_publish(client_for(chief), draft)
    draft.refresh_from_db()
    assert draft.live


def test_bulk_publish_screens_the_latest_revision(chief, article_factory, index, blocking_word):
    allow_direct_publishing(index, chief.groups.get())
    draft = article_factory(title="托育补贴新规", live=False)
    draft.title = "网络赌博"
    draft.save_revision(user=chief)
    response = bulk_publish(client_for(chief), draft)
    draft.refresh_from_db()
    assert not draft.live
    assert "敏感词检查未通过" in messages_of(response) and "赌博" in messages_of(response)


def test_bulk_publish_of_descendants_is_checked_too(reporter, home, article_factory):
    draft = article_factory(title="托育补贴新规", live=False)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = client_for(reporter).post(
        f"{url}?id={home.pk}", {"include_descendants": "on"}, follow=True
    )
    draft.refresh_from_db()
    assert not draft.live
    assert "须经三审" in messages_of(response)


def copy(client, page, parent, **fields):
    data = {
        "new_title": page.title,
        "new_slug": f"{page.slug}-copy",
        "new_parent_page": parent.pk,
        "publish_copies": "on",
        **fields,
    }
    return client.post(reverse("wagtailadmin_pages:copy", args=(page.pk,)), data, follow=True)


def copies(index):
    return index.get_children().filter(slug__endswith="-copy")


def test_a_live_copy_needs_the_review_or_a_rule(reporter, article_factory, index, blocking_word):
    article = article_factory(title="托育补贴新规")
    response = copy(client_for(reporter), article, index, new_title="新标题")
    assert "须经三审" in messages_of(response)
    assert not copies(index).exists()

    allow_direct_publishing(index, reporter.groups.get())
    # The copy would go live under a title nobody screened.
    response = copy(client_for(reporter), article, index, new_title="网络赌博")
    assert "敏感词检查未通过" in messages_of(response) and "赌博" in messages_of(response)
    assert not copies(index).exists()

    copy(client_for(reporter), article, index, new_title="新标题")
    assert copies(index).get().live


def test_a_draft_copy_goes_to_the_review(reporter, article_factory, index):
    article = article_factory(title="托育补贴新规")
    copy(client_for(reporter), article, index, publish_copies="")
    assert not copies(index).get().live


def test_moving_a_live_page_in_from_outside_the_review(reporter, home, index, article_factory):
    elsewhere = ArticleIndexPageFactory(parent=home, slug="elsewhere")
    WorkflowPage.objects.filter(page=elsewhere).delete()
    article = article_factory(parent=elsewhere, title="未经三审的文章")
    workflow = Page.objects.get(pk=article.pk).get_workflow()
    assert article.live and (workflow is None or workflow.name != WORKFLOW_NAME)
    url = reverse("wagtailadmin_pages:move_confirm", args=(article.pk, index.pk))
    response = client_for(reporter).post(url, follow=True)
    article.refresh_from_db()
    assert article.get_parent().pk == elsewhere.pk
    assert "须经三审" in messages_of(response)

    allow_direct_publishing(index, reporter.groups.get())
    client_for(reporter).post(url)
    article.refresh_from_db()
    assert article.get_parent().pk == index.pk


@pytest.fixture
def reviewers(django_user_model, index):
    return [
        member(django_user_model, f"reviewer{number}", Group.objects.get(name=group))
        for number, (_, group) in enumerate(STEPS, start=1)
    ]


def approve(user, page):
    page.refresh_from_db()
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    return client_for(user).post(url, follow=True)


def test_dashboard_approve_screens_what_it_publishes(
    reviewers, admin_user, article_factory, blocking_word
):
    article = article_factory(title="托育补贴新规", live=False)
    article.save_revision(user=admin_user)
    article.get_workflow().start(article, admin_user)
    approve(reviewers[0], article)
    approve(reviewers[1], article)
    # A reviewer's draft saved after the screening at submission.
    article.refresh_from_db()
    article = article.specific
    article.title = "网络赌博"
    article.save_revision(user=reviewers[1])
    response = approve(reviewers[2], article)
    article.refresh_from_db()
    assert not article.live
    assert "敏感词检查未通过" in messages_of(response) and "赌博" in messages_of(response)
    assert article.current_workflow_task.name == STEPS[-1][0]
    entry = PageLogEntry.objects.get(page=article, action="review.screening_blocked")
    assert entry.user == reviewers[2] and entry.data["action"] == "approve"

    article.title = "托育补贴新规"
    article.save_revision(user=reviewers[2])
    approve(reviewers[2], article)
    article.refresh_from_db()
    assert article.live and article.title == "托育补贴新规"

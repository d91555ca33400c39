"""The 三审 tests' people and forms: reviewers by group, their logged-in clients, the
messages an admin answer shows, and the article edit form as the page editor posts it."""

from django.test import Client
from wagtail.test.utils.form_data import inline_formset, rich_text, streamfield

from tests.support.admin_forms import DRAFT_ARTICLE, form_data

# An article of one paragraph, without sources, recommended reading or comments.
PLAIN_ARTICLE = {
    **DRAFT_ARTICLE,
    "title": "托育服务新政策",
    "slug": "托育服务新政策",
    "subtitle": "",
    "summary": "摘要内容",
    "body": streamfield([("paragraph", {"text": rich_text("<p>正文段落</p>")})]),
    "sources": inline_formset([]),
    "comments": inline_formset([]),
}


def article_form(**overrides):
    return form_data(PLAIN_ARTICLE, **overrides)


def member(django_user_model, username, group):
    user = django_user_model.objects.create_user(username, f"{username}@example.cn", "pw-X-1")
    user.groups.add(group)
    return user


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def messages_of(response):
    return " ".join(str(message) for message in response.context["messages"])

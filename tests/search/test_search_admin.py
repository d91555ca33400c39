"""The admin's own search finds Chinese words; editors extend the dictionary."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from wagtail.search.models import IndexEntry

from cms.search.models import SearchTerm
from cms.search.segmentation import segmenter

pytestmark = pytest.mark.slow


@pytest.fixture
def editor(db, django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    return client


def test_admin_page_search_finds_a_chinese_word(editor, seed):
    response = editor.get(reverse("wagtailadmin_pages:search"), {"q": "便民生活圈"})
    assert response.status_code == 200
    assert seed.title in response.content.decode()
    response = editor.get(reverse("wagtailadmin_pages:search"), {"q": "足球"})
    assert seed.title not in response.content.decode()


@pytest.mark.parametrize(
    ("q", "found"),
    [('"便民生活圈"', True), ("便民生活圈 托得", True), ("便民生活圈 足球", False), ("!!!", False)],
)
def test_admin_page_search_takes_phrases_several_words_and_punctuation(editor, seed, q, found):
    response = editor.get(reverse("wagtailadmin_pages:search"), {"q": q})
    assert response.status_code == 200
    assert (seed.title in response.content.decode()) == found


@pytest.mark.parametrize("q", ['"', "*", "托育*", '"托育', "(托育", "托育 AND", "NEAR(托育)"])
def test_admin_page_search_survives_query_syntax(editor, seed, q):
    assert editor.get(reverse("wagtailadmin_pages:search"), {"q": q}).status_code == 200


def test_admin_image_search_finds_a_chinese_word(admin_client, seed):
    response = admin_client.get(reverse("wagtailimages:index"), {"q": "封面"})
    content = response.content.decode()
    assert "便民生活圈封面" in content
    assert "杜希学发言配图" not in content


def test_admin_snippet_search_finds_a_chinese_word(seed, admin_client):
    url = reverse("wagtailsnippets_articles_articlecategory:list")
    content = admin_client.get(url, {"q": "政策"}).content.decode()
    assert "政策解读" in content and "行业动态" not in content


# Transactional: the term's rebuild is queued on commit, and the worker, like a real one,
# closes its database connection when done.
@pytest.mark.django_db(transaction=True)
def test_editor_terms_change_segmentation_and_rebuild_the_index(admin_client, seed):
    assert "幼托一体化" not in [t.word for t in segmenter().query_terms("推进幼托一体化")]
    seed.summary += "推进幼托一体化。"
    seed.save_revision().publish()
    response = admin_client.post(
        reverse("wagtailsnippets_search_searchterm:add"), {"term": "幼托一体化", "note": ""}
    )
    assert response.status_code == 302
    assert SearchTerm.objects.filter(term="幼托一体化").exists()
    assert "幼托一体化" in [t.word for t in segmenter().query_terms("推进幼托一体化")]

    entry = IndexEntry.objects.get(object_id=str(seed.pk), content_type__model="articlepage")
    assert "幼托一体化" not in str(entry.body)  # indexed before the term existed
    assert DBTaskResult.objects.filter(task_path__endswith="rebuild_search_index").count() == 1
    call_command("db_worker", "--backend", "durable", "--batch", "--interval", "0")
    entry.refresh_from_db()
    assert "幼托一体化" in str(entry.body)


def test_a_term_with_spaces_is_refused(admin_client, db):
    response = admin_client.post(
        reverse("wagtailsnippets_search_searchterm:add"), {"term": "幼托 一体化", "note": ""}
    )
    assert response.status_code == 200
    assert not SearchTerm.objects.exists()

"""After a publish, the answers read most are made again by the durable worker, as an
anonymous client would get them, before any reader asks (cms.door.warming)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction

from cms.door.warming import warm_hot_answers
from tests.support.answer_cache import LIST, apq, get, titles

PRIVATE = "{ articles { items { title } } }"


def run_worker():
    call_command("db_worker", "--backend", "durable", "--batch", "--interval", "0")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_publish_warms_the_hot_persisted_query(
    cached,
    article_factory,
    django_capture_on_commit_callbacks,
):
    article = article_factory(title="旧标题")
    assert titles(get(cached, LIST, extensions=apq(LIST))) == ["旧标题"]
    assert get(cached, extensions=apq(LIST))["X-Cache"] == "HIT"  # counted

    with django_capture_on_commit_callbacks(execute=True):
        article.title = "新标题"
        article.save_revision().publish()
    assert DBTaskResult.objects.filter(task_path=warm_hot_answers.module_path).count() == 1
    run_worker()
    assert DBTaskResult.objects.get(task_path=warm_hot_answers.module_path).status == "SUCCESSFUL"

    # The first reader after the publish gets the new answer from the cache: no SQL.
    with CaptureQueriesContext(connection) as queries:
        warm = get(cached, extensions=apq(LIST))
    assert warm["X-Cache"] == "HIT"
    assert titles(warm) == ["新标题"]
    assert len(queries) == 0


def test_a_burst_of_changes_queues_one_run(
    cached,
    article_factory,
    django_capture_on_commit_callbacks,
):
    article = article_factory(title="一")
    for title in ("二", "三"):
        with django_capture_on_commit_callbacks(execute=True):
            article.title = title
            article.save_revision().publish()
    assert DBTaskResult.objects.filter(task_path=warm_hot_answers.module_path).count() == 1


def test_warming_keeps_nothing_an_anonymous_reader_may_not_see(
    cached,
    article_factory,
    site,
    make_token,
    django_capture_on_commit_callbacks,
):
    public, private = article_factory(title="公开"), article_factory(title="受限")
    assert sorted(titles(get(cached, LIST))) == ["公开", "受限"]
    assert get(cached, LIST)["X-Cache"] == "HIT"
    # A token holder's hot answer is never replayed: warming has no credentials.
    _token, key = make_token(site)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    get(cached, PRIVATE + " ", **bearer)
    assert get(cached, PRIVATE + " ", **bearer)["X-Cache"] == "HIT"

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    assert warm_hot_answers.call() == "warmed 1 of 1"

    warm = get(cached, LIST)
    assert warm["X-Cache"] == "HIT"
    assert titles(warm) == ["公开"]
    assert get(cached, PRIVATE + " ", **bearer)["X-Cache"] == "MISS"
    assert public.live


def test_warming_off_queues_nothing(
    cached,
    article_factory,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.CMS_API_WARM_QUERIES = 0
    article = article_factory(title="关")
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert not DBTaskResult.objects.filter(task_path=warm_hot_answers.module_path).exists()

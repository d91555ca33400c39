"""The admin's task page: workers, stuck tasks, tasks taken back from lost workers."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms.publishing.models import TaskRecovery, WorkerLease
from cms.publishing.recovery import recover_lost_tasks
from cms.publishing.tasks import run_scheduled_publishing


@pytest.fixture
def stuck(db):
    """A scheduler run claimed by a worker whose last heartbeat was long ago."""
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    WorkerLease.objects.create(worker_id="dead-worker", beat_at=long_ago)
    result = run_scheduled_publishing.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", started_at=long_ago, worker_ids=["dead-worker"]
    )
    return result.id


def test_superusers_see_stuck_then_retried_tasks_in_chinese(client, stuck):
    admin = get_user_model().objects.create_superuser("root", "r@example.cn", "pw-Tasks-1")
    client.force_login(admin)
    page = client.get("/admin/tasks/", HTTP_HOST="localhost").content.decode()
    assert "后台任务" in page and "卡住的任务" in page and "dead-worker" in page
    assert [r.action for r in recover_lost_tasks()] == ["retried"]
    assert DBTaskResult.objects.get(pk=stuck).status == "READY"
    page = client.get("/admin/tasks/", HTTP_HOST="localhost").content.decode()
    assert "已重新执行" in page and "失联" in page
    assert TaskRecovery.objects.count() == 1


def test_a_live_worker_keeps_its_task(stuck):
    WorkerLease.objects.filter(pk="dead-worker").update(beat_at=timezone.now())
    assert recover_lost_tasks() == []
    assert DBTaskResult.objects.get(pk=stuck).status == "RUNNING"


def test_editors_are_refused(client, db):
    from django.contrib.auth.models import Permission

    editor = get_user_model().objects.create_user("ed", "e@example.cn", "pw-Tasks-2")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get("/admin/tasks/", HTTP_HOST="localhost").status_code in (302, 403)

"""kill -9 of a real task worker, then a restart: nothing the worker held is lost.

Workers are real ``manage.py db_worker`` processes on a PostgreSQL database of their own,
with a 1 s heartbeat and a 3 s lease. The README's bound for a task whose worker died:
running again within lease + heartbeat seconds of the death while a worker runs (here the
restarted one, whose start-up counts too: STARTUP seconds of slack on a loaded machine).
"""

import email
import email.header
import signal
import time

import psycopg
import pytest

from tests.support.app_server import manage, start, stop, wait_for
from tests.support.fakes import FakeSMTPServer, Silent
from tests.support.fault_env import (
    base_env,
    fault_database,  # noqa: F401 (fixture)
    worker_command,
)

pytestmark = pytest.mark.slow

HEARTBEAT, LEASE, STARTUP = 1, 3, 6
BOUND = LEASE + HEARTBEAT + STARTUP

SETUP = """
import datetime
from django.utils import timezone
from wagtail.models import Page, Site
from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from cms.leads.factories import BookingFormPageFactory
from cms.leads.models import Lead
from home.factories import HomePageFactory
home = HomePageFactory(parent=Page.get_first_root_node(), slug="childcare")
Site.objects.filter(is_default_site=True).update(root_page=home, hostname="localhost")
ArticleIndexPageFactory(parent=home)
form = BookingFormPageFactory(parent=home)
lead = Lead.objects.create(
    page=form, name="王小明", mobile="13800138000", consent_version="1",
    consented_at=timezone.now(), form_data={},
)
print(lead.pk)
"""
ENQUEUE_MAIL = """
from cms.leads.tasks import notify_staff
notify_staff.enqueue({lead})
"""
SCHEDULE = """
import datetime
from django.utils import timezone
from wagtail.models import Page
from articles.factories import ArticlePageFactory
from articles.models import ArticleIndexPage
article = ArticlePageFactory(parent=ArticleIndexPage.objects.get(), title="定时上线", live=False)
article.go_live_at = timezone.now() + datetime.timedelta(seconds=2)
article.save_revision().publish()
print(article.pk)
"""


@pytest.fixture(scope="module")
def lead_env(fault_database, tmp_path_factory):  # noqa: F811
    env = base_env(
        fault_database,
        LEADS_NOTIFY_EMAILS="sales@example.cn",
        EMAIL_HOST="127.0.0.1",
        EMAIL_TIMEOUT="120",
        CMS_WORKER_HEARTBEAT_SECONDS=str(HEARTBEAT),
        CMS_WORKER_LEASE_SECONDS=str(LEASE),
        CMS_SCHEDULER_INTERVAL="1",
        VAR_DIR=str(tmp_path_factory.mktemp("var")),
    )
    lead = int(manage(env, "shell", "-c", SETUP).split()[-1])
    return env, lead


def sql(env, query, params=()):
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        return conn.execute(query, params).fetchall()


def subject(message) -> str:
    parsed = email.message_from_string(message["data"])
    return str(email.header.make_header(email.header.decode_header(parsed["Subject"])))


def test_mail_cut_off_by_kill_9_is_delivered_after_restart_marked_as_a_repeat(lead_env, tmp_path):
    env, lead = lead_env
    log = tmp_path / "worker.log"
    with Silent() as hung_smtp:
        first = start(worker_command(), {**env, "EMAIL_PORT": str(hung_smtp.port)}, log)
        try:
            manage(env, "shell", "-c", ENQUEUE_MAIL.format(lead=lead))
            # The worker is inside the send: connected, waiting for a greeting that never comes.
            assert hung_smtp.connected.wait(30), log.read_text()
            running = sql(
                env,
                "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                "WHERE status = 'RUNNING' AND task_path LIKE %s",
                ("%notify_staff",),
            )
            assert running == [(1,)]
        finally:
            stop(first, signal.SIGKILL)
        killed_at = time.monotonic()

    # Dead worker, task left RUNNING: nobody will ever finish it without recovery.
    assert sql(env, "SELECT notified_at FROM leads_lead WHERE id = %s", (lead,)) == [(None,)]
    with FakeSMTPServer() as smtp:
        second = start(worker_command(), {**env, "EMAIL_PORT": str(smtp.port)}, log)
        try:
            wait_for(lambda: smtp.messages, BOUND + 30, what="the mail, after the restart")
            elapsed = time.monotonic() - killed_at
        finally:
            stop(second)
    assert elapsed <= BOUND, f"delivered {elapsed:.1f} s after the kill; the bound is {BOUND} s"
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["to"] == ["sales@example.cn"]
    assert subject(smtp.messages[0]).startswith("【可能重复】")
    assert sql(env, "SELECT notified_at IS NOT NULL FROM leads_lead WHERE id = %s", (lead,)) == [
        (True,)
    ]
    recovered = sql(env, "SELECT action, reason FROM publishing_taskrecovery")
    assert [action for action, _ in recovered] == ["retried"]
    assert "失联" in recovered[0][1]


def test_scheduler_killed_mid_run_runs_again_after_restart(lead_env, tmp_path):
    env, _ = lead_env
    log = tmp_path / "worker.log"
    article = int(manage(env, "shell", "-c", SCHEDULE).split()[-1])
    time.sleep(2.5)  # the go-live time passes
    scheduler_runs = (
        "SELECT status, count(*) FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE %s GROUP BY status"
    )
    with psycopg.connect(env["DATABASE_URL"]) as locker:
        # publish_scheduled reads the page table first: with it locked, the run hangs there.
        locker.execute("LOCK TABLE wagtailcore_page IN ACCESS EXCLUSIVE MODE")
        first = start(worker_command(), env, log)
        try:
            wait_for(
                lambda: dict(sql(env, scheduler_runs, ("%run_scheduled_publishing",))).get(
                    "RUNNING"
                ),
                30,
                what="the scheduler run to start",
            )
            time.sleep(0.5)
        finally:
            stop(first, signal.SIGKILL)
        killed_at = time.monotonic()
        locker.rollback()
    # The chain is cut: its one run is RUNNING on a dead worker, none is queued.
    runs = dict(sql(env, scheduler_runs, ("%run_scheduled_publishing",)))
    assert runs.get("RUNNING") == 1 and "READY" not in runs, runs
    assert sql(env, "SELECT live FROM wagtailcore_page WHERE id = %s", (article,)) == [(False,)]

    second = start(worker_command(), env, log)
    try:
        wait_for(
            lambda: (
                sql(env, "SELECT live FROM wagtailcore_page WHERE id = %s", (article,)) == [(True,)]
            ),
            BOUND + 30,
            what="the scheduled page to go live",
        )
        elapsed = time.monotonic() - killed_at
        # And the chain goes on: a next run is queued.
        wait_for(
            lambda: dict(sql(env, scheduler_runs, ("%run_scheduled_publishing",))).get("READY"),
            10,
            what="the next scheduler run",
        )
    finally:
        stop(second)
    assert elapsed <= BOUND, f"went live {elapsed:.1f} s after the kill; the bound is {BOUND} s"

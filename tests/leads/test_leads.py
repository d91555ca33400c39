"""Demo-booking leads: the mutation, its refusals, abuse protection, mail, inbox, retention."""

import csv
import datetime
import io
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page, Site

from cms.leads.factories import BookingFormPageFactory
from cms.leads.form_tokens import issue_form_token
from cms.leads.models import Lead
from home.factories import HomePageFactory
from tests.support.fakes import FakeSMTPServer, free_port, mail_server, mail_to
from tests.support.lead_forms import MUTATION, submit, valid_values
from tests.support.worker import run_worker


def test_valid_submission_is_stored_with_consent_and_source(
    gql, form, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            gql, form, sourcePath="/articles/x/", partner="阳光托育", idempotencyKey="abc"
        )
    assert response.status_code == 200
    assert response.json()["data"]["submitBookingForm"] == {
        "ok": True,
        "errors": [],
        "message": "提交成功,我们将尽快与您联系。",
    }
    lead = Lead.objects.get()
    assert (lead.name, lead.mobile, lead.organisation, lead.city) == (
        "张三",
        "13800138000",
        "阳光托育中心",
        "北京",
    )
    assert lead.interests == ["托育人才"]
    assert lead.message == "想了解人才培养方案"
    assert lead.consent_version == "2025-09"
    assert abs(timezone.now() - lead.consented_at) < datetime.timedelta(minutes=1)
    assert lead.site == Site.objects.get(root_page=form.get_parent())
    assert (lead.source_path, lead.partner) == ("/articles/x/", "阳光托育")
    assert lead.status == "new"
    # Wagtail's own submissions listing holds it too.
    assert form.get_submissions().count() == 1
    # Staff notification is queued for the worker, not sent inline.
    assert DBTaskResult.objects.filter(task_path="cms.leads.tasks.notify_staff").count() == 1


@pytest.mark.parametrize(
    ("values", "field", "message_part"),
    [
        (valid_values(name=None), "name", "必需"),
        (valid_values(name="长" * 51), "name", "50"),
        (valid_values(mobile="12345"), "mobile", "手机号码"),
        (valid_values(mobile="010-12345678"), "mobile", "手机号码"),
        (valid_values(interests=["nope"]), "interests", "nope"),
        (valid_values(interests=[]), "interests", "必需"),
        (valid_values(message="字" * 2001), "message", "2000"),
        (valid_values(organisation="机" * 101), "organisation", "100"),
        ({**valid_values(), "salary": "1"}, "salary", "没有这个字段"),
        ({**valid_values(), "name": {"first": "张"}}, "values", "格式不正确"),
        (["not", "an", "object"], "values", "对象"),
    ],
)
def test_each_invalid_field_is_refused_in_chinese(gql, form, values, field, message_part):
    response = submit(gql, form, values)
    assert response.status_code == 200
    result = response.json()["data"]["submitBookingForm"]
    assert result["ok"] is False
    messages = {error["field"]: error["message"] for error in result["errors"]}
    assert field in messages, result
    assert message_part in messages[field]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in messages[field])
    assert not Lead.objects.exists()


def test_consent_is_required(gql, form):
    result = submit(gql, form, consent=False).json()["data"]["submitBookingForm"]
    assert result["errors"] == [{"field": "consent", "message": "请阅读并同意隐私政策后再提交。"}]
    assert not Lead.objects.exists()


def test_missing_consent_argument_is_a_schema_error_not_a_500(gql, form):
    response = gql.post(
        MUTATION,
        {"input": {"values": valid_values(), "formToken": "x"}},
        HTTP_ACCEPT="application/graphql-response+json",
    )
    assert response.status_code == 400
    assert not Lead.objects.exists()


def test_expired_form_token_asks_to_reload(gql, form, settings):
    token = issue_form_token(form.pk)
    settings.LEADS_FORM_TOKEN_MAX_AGE = -1
    result = submit(gql, form, formToken=token).json()["data"]["submitBookingForm"]
    assert result["errors"][0]["field"] == "formToken"
    assert not Lead.objects.exists()


class TestBots:
    def test_honeypot_is_accepted_silently_and_dropped(self, gql, form):
        result = submit(gql, form, website="http://spam.example").json()["data"][
            "submitBookingForm"
        ]
        assert result["ok"] is True
        assert not Lead.objects.exists()

    def test_too_fast_is_accepted_silently_and_dropped(self, gql, form, settings):
        settings.LEADS_MIN_FILL_SECONDS = 60
        result = submit(gql, form).json()["data"]["submitBookingForm"]
        assert result["ok"] is True
        assert not Lead.objects.exists()

    @pytest.mark.parametrize("token", ["", "forged", "eyJwYWdlIjoxfQ:1abc:xyz"])
    def test_forged_token_is_dropped(self, gql, form, token):
        result = submit(gql, form, formToken=token).json()["data"]["submitBookingForm"]
        assert result["ok"] is True
        assert not Lead.objects.exists()

    def test_token_of_another_form_is_dropped(self, gql, form):
        other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="other")
        other_form = BookingFormPageFactory(parent=other_home)
        submit(gql, form, formToken=issue_form_token(other_form.pk))
        assert not Lead.objects.exists()


class TestRetries:
    def test_same_idempotency_key_stores_once(self, gql, form):
        for _ in range(3):
            assert submit(gql, form, idempotencyKey="retry-1").json()["data"]["submitBookingForm"][
                "ok"
            ]
        assert Lead.objects.count() == 1

    def test_same_content_within_the_window_stores_once(self, gql, form):
        submit(gql, form)
        submit(gql, form)
        assert Lead.objects.count() == 1

    def test_same_content_after_the_window_is_a_new_lead(self, gql, form):
        submit(gql, form)
        Lead.objects.update(submit_time=timezone.now() - datetime.timedelta(hours=1))
        submit(gql, form)
        assert Lead.objects.count() == 2

    def test_different_content_is_a_new_lead(self, gql, form):
        submit(gql, form)
        submit(gql, form, valid_values(message="另一个问题"))
        assert Lead.objects.count() == 2

    def test_overlong_idempotency_key_is_refused(self, gql, form):
        result = submit(gql, form, idempotencyKey="k" * 65).json()["data"]["submitBookingForm"]
        assert result["errors"][0]["field"] == "idempotencyKey"


class TestRateLimits:
    def test_per_ip_limit_answers_429_with_retry_after(self, gql, form, settings, redis_cache):
        settings.LEADS_RATE_LIMITS = {"ip": (3, 600), "mobile": (100, 3600)}
        for n in range(3):
            assert submit(gql, form, valid_values(message=f"第{n}次")).status_code == 200
        response = submit(gql, form, valid_values(message="第4次"))
        assert response.status_code == 429
        assert 0 < int(response["Retry-After"]) <= 600
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "RATE_LIMITED"
        assert "频繁" in error["message"]
        assert Lead.objects.count() == 3

    def test_per_ip_limit_counts_each_address(self, form, settings, redis_cache):
        settings.LEADS_RATE_LIMITS = {"ip": (1, 600), "mobile": (100, 3600)}
        for n, address in enumerate(["10.0.0.1", "10.0.0.2"]):
            client = Client(HTTP_HOST="localhost", REMOTE_ADDR=address)
            payload = {
                "values": valid_values(message=str(n)),
                "consent": True,
                "formToken": issue_form_token(form.pk),
            }
            response = client.post(
                "/graphql/",
                json.dumps({"query": MUTATION, "variables": {"input": payload}}),
                content_type="application/json",
            )
            assert response.status_code == 200
        assert Lead.objects.count() == 2

    def test_per_mobile_limit(self, gql, form, settings, redis_cache):
        settings.LEADS_RATE_LIMITS = {"ip": (100, 600), "mobile": (2, 3600)}
        for n in range(2):
            submit(gql, form, valid_values(message=f"第{n}次"))
        response = submit(gql, form, valid_values(message="第3次", mobile="13800138000"))
        assert response.status_code == 429
        assert submit(gql, form, valid_values(mobile="13900139000")).status_code == 200
        assert Lead.objects.count() == 3

    def test_limit_is_shared_through_redis(self, form, settings, redis_cache):
        """Two clients (as two app servers would) share one counter in Redis."""
        settings.LEADS_RATE_LIMITS = {"ip": (100, 600), "mobile": (1, 3600)}
        from django.core.cache import caches

        submit_client = Client(HTTP_HOST="localhost")
        payload = {
            "values": valid_values(),
            "consent": True,
            "formToken": issue_form_token(form.pk),
        }
        submit_client.post(
            "/graphql/",
            json.dumps({"query": MUTATION, "variables": {"input": payload}}),
            content_type="application/json",
        )
        keys = (
            caches["default"]
            ._cache.get_client()
            .keys(f"{settings.CACHES['default']['KEY_PREFIX']}*leads-mobile*")
        )
        assert keys, "the counter lives in Redis"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestStaffNotification:
    """The worker commits and closes its own connections, as in production: no wrapping
    test transaction here."""

    def test_mail_is_sent_by_the_worker_after_commit(
        self, gql, form, settings, django_capture_on_commit_callbacks
    ):
        with mail_server(settings) as smtp:
            with django_capture_on_commit_callbacks(execute=True):
                submit(gql, form)
            assert smtp.messages == []  # not sent inline
            run_worker()
            assert len(smtp.messages) == 1
            assert smtp.messages[0]["to"] == ["sales@example.cn"]
        lead = Lead.objects.get()
        assert lead.notified_at is not None
        assert lead.notify_attempts == 1

    def test_failing_mail_server_keeps_the_lead_and_retries_later(
        self, gql, form, settings, django_capture_on_commit_callbacks
    ):
        settings.LEADS_NOTIFY_RETRY_DELAYS = [3600]
        port = free_port()
        mail_to(settings, port)  # nothing listens there yet
        settings.EMAIL_TIMEOUT = 2
        with django_capture_on_commit_callbacks(execute=True):
            response = submit(gql, form)
        assert response.json()["data"]["submitBookingForm"]["ok"] is True
        run_worker()  # the mail server is down: the attempt fails, a retry is queued
        lead = Lead.objects.get()
        assert lead.notified_at is None
        assert lead.notify_attempts == 1
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.run_after > timezone.now() + datetime.timedelta(minutes=59)
        run_worker()  # not due yet: nothing happens
        assert Lead.objects.get().notify_attempts == 1
        # An hour passes (moving the schedule stands in for the clock), and the server is back.
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        with FakeSMTPServer(port=port) as smtp:
            run_worker()
            assert len(smtp.messages) == 1
            assert smtp.messages[0]["to"] == ["sales@example.cn"]
        lead.refresh_from_db()
        assert lead.notified_at is not None
        assert lead.notify_attempts == 2

    def test_notification_is_idempotent(
        self, gql, form, settings, django_capture_on_commit_callbacks
    ):
        from cms.leads.tasks import notify_staff

        with mail_server(settings) as smtp:
            with django_capture_on_commit_callbacks(execute=True):
                submit(gql, form)
            lead = Lead.objects.get()
            notify_staff.enqueue(lead.pk)  # a duplicate delivery of the same job
            run_worker()
            assert len(smtp.messages) == 1


class TestInbox:
    @pytest.fixture
    def lead(self, gql, form):
        submit(gql, form)
        return Lead.objects.get()

    def login(self, client, django_user_model, name, groups=(), superuser=False):
        make = (
            django_user_model.objects.create_superuser
            if superuser
            else django_user_model.objects.create_user
        )
        user = make(name, f"{name}@example.cn", "pw-Secret-1")
        for group in groups:
            user.groups.add(group)
        client.login(username=name, password="pw-Secret-1")
        return user

    @pytest.fixture
    def editors(self, db):
        group = Group.objects.create(name="editors")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        return group

    def test_sales_sees_and_follows_up_a_lead(self, client, django_user_model, lead):
        seller = self.login(client, django_user_model, "seller", [Group.objects.get(name="sales")])
        index = client.get(reverse("leads_lead:index"))
        assert index.status_code == 200
        assert "张三" in index.content.decode()
        response = client.post(
            reverse("leads_lead:edit", args=[lead.pk]),
            {"status": "contacted", "assignee": seller.pk, "notes": "已电话联系,约下周演示"},
        )
        assert response.status_code == 302
        lead.refresh_from_db()
        assert (lead.status, lead.assignee, lead.notes) == (
            "contacted",
            seller,
            "已电话联系,约下周演示",
        )
        assert lead.name == "张三"  # staff cannot rewrite what the visitor sent

    def test_sales_searches_filters_and_exports(self, client, django_user_model, lead, gql, form):
        submit(gql, form, valid_values(name="李四", mobile="13900139000"))
        self.login(client, django_user_model, "seller", [Group.objects.get(name="sales")])
        found = client.get(reverse("leads_lead:index"), {"q": "李四"}).content.decode()
        assert "李四" in found and "张三" not in found
        filtered = client.get(reverse("leads_lead:index"), {"status": "contacted"}).content.decode()
        assert "张三" not in filtered
        export = client.get(reverse("leads_lead:index"), {"export": "csv"})
        assert export.status_code == 200
        rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
        assert len(rows) == 3
        assert any("13900139000" in row for row in rows)

    def test_editor_without_sales_role_sees_no_lead(
        self, client, django_user_model, lead, editors, form
    ):
        self.login(client, django_user_model, "editor", [editors])
        assert client.get(reverse("leads_lead:index")).status_code in (302, 403)
        assert client.get(reverse("leads_lead:edit", args=[lead.pk])).status_code in (302, 403)
        # Nor through Wagtail's own form submissions listing.
        listing = client.get(reverse("wagtailforms:list_submissions", args=[form.pk]))
        assert listing.status_code in (302, 403)
        assert "张三" not in client.get(reverse("wagtailforms:index")).content.decode()

    def test_superuser_sees_wagtails_submissions_listing(
        self, client, django_user_model, lead, form
    ):
        self.login(client, django_user_model, "root", superuser=True)
        listing = client.get(reverse("wagtailforms:list_submissions", args=[form.pk]))
        assert listing.status_code == 200
        assert "张三" in listing.content.decode()

    def test_sales_exports_from_wagtails_own_submissions_listing(
        self, client, django_user_model, lead, form
    ):
        self.login(client, django_user_model, "seller", [Group.objects.get(name="sales")])
        response = client.get(
            reverse("wagtailforms:list_submissions", args=[form.pk]), {"export": "csv"}
        )
        assert response.status_code == 200
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "张三" in content and "13800138000" in content.replace("-", "")

    def test_nobody_adds_a_lead_in_the_admin(self, client, django_user_model, lead):
        self.login(client, django_user_model, "root", superuser=True)
        response = client.get("/admin/leads/new/")
        assert response.status_code in (302, 403, 404)
        assert response.status_code != 200


class TestRetention:
    def test_purge_deletes_only_old_leads(self, gql, form, settings):
        settings.LEADS_RETENTION_DAYS = 30
        submit(gql, form)
        submit(gql, form, valid_values(message="新的"))
        old = Lead.objects.order_by("id").first()
        Lead.objects.filter(pk=old.pk).update(
            submit_time=timezone.now() - datetime.timedelta(days=31)
        )
        out = io.StringIO()
        call_command("purge_leads", "--dry-run", stdout=out)
        assert "Would delete 1" in out.getvalue()
        assert Lead.objects.count() == 2
        call_command("purge_leads", stdout=io.StringIO())
        assert list(Lead.objects.values_list("message", flat=True)) == ["新的"]

    def test_days_option(self, gql, form):
        submit(gql, form)
        Lead.objects.update(submit_time=timezone.now() - datetime.timedelta(days=3))
        call_command("purge_leads", "--days", "5", stdout=io.StringIO())
        assert Lead.objects.count() == 1
        call_command("purge_leads", "--days", "2", stdout=io.StringIO())
        assert Lead.objects.count() == 0


class TestPrivacy:
    def test_no_query_can_read_a_lead(self, gql, form, settings):
        settings.CMS_API_INTROSPECTION = "always"  # to read the whole schema
        submit(gql, form)
        schema = gql(
            "{ __schema { queryType { fields { name type { name ofType { name } } } } types { name fields { name } } } }"
        )["__schema"]
        lead_words = {"lead", "leads", "submission", "submissions", "formSubmission", "mobile"}
        for graphql_type in schema["types"]:
            if graphql_type["name"].startswith("__"):
                continue
            names = {field["name"] for field in graphql_type["fields"] or []}
            assert not names & lead_words, graphql_type["name"]
        assert "Lead" not in {t["name"] for t in schema["types"]}

    def test_the_payload_does_not_echo_personal_data(self, gql, form):
        answer = json.dumps(submit(gql, form).json(), ensure_ascii=False)
        assert "13800138000" not in answer and "张三" not in answer

    def test_form_without_a_live_page_refuses(self, gql, form):
        form.live = False
        form.save()
        result = submit(gql, form).json()["data"]["submitBookingForm"]
        assert result["ok"] is False
        assert result["errors"][0]["field"] == "site"


def test_oversized_request_is_refused_with_413(gql, form):
    response = submit(gql, form, valid_values(message="字" * 200_000))
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert not Lead.objects.exists()

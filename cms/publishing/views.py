"""Admin views of the webhook log: the delivery list (read-only) and its 'resend' action."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.admin.views import generic
from wagtail.admin.widgets import ListingButton

from cms.publishing.models import TaskRecovery, WebhookDelivery, WorkerLease
from cms.publishing.recovery import BACKEND, stuck_tasks
from cms.publishing.webhooks import resend

RESEND_PERMISSION = "publishing.change_webhookendpoint"


class DeliveryIndexView(generic.IndexView):
    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if self.request.user.has_perm(RESEND_PERMISSION):
            buttons.insert(
                0,
                ListingButton(
                    _("Resend"),
                    url=reverse("publishing_webhook_deliveries:resend", args=[instance.pk]),
                    icon_name="redo",
                    priority=5,
                ),
            )
        return buttons


def resend_delivery(request, pk):
    """GET asks for confirmation; POST queues a fresh delivery of the same event."""
    if not request.user.has_perm(RESEND_PERMISSION):
        raise PermissionDenied
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("endpoint"), pk=pk)
    if request.method == "POST":
        copy = resend(delivery)
        messages.success(
            request,
            _("The event %(event)s is queued again for %(endpoint)s.")
            % {"event": copy.event_type, "endpoint": copy.endpoint},
        )
        return redirect("publishing_webhook_deliveries:index")
    return _admin_page(
        request, "publishing/resend_confirm.html", _("Resend webhook"), "redo", delivery=delivery
    )


def task_health(request):
    """Workers, stuck tasks, tasks taken back from lost workers, failed tasks (superusers)."""
    if not request.user.is_superuser:
        raise PermissionDenied
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.CMS_WORKER_LEASE_SECONDS)
    workers = list(WorkerLease.objects.order_by("-beat_at")[:20])
    for worker in workers:
        worker.alive = worker.beat_at >= cutoff
    failed = list(
        DBTaskResult.objects.filter(backend_name=BACKEND, status=TaskResultStatus.FAILED)
        .defer("args_kwargs", "return_value")
        .order_by("-finished_at")[:50]
    )
    for task in failed:
        lines = [line for line in task.traceback.strip().splitlines() if line.strip()]
        task.error_summary = (lines[-1] if lines else task.exception_class_path)[:300]
    none = _("None.")
    # One table template serves every section: each is (key, title, headers, rows, empty text).
    sections = [
        _section(
            "workers",
            _("Workers"),
            [_("Worker"), _("Host"), _("Last heartbeat"), _("State")],
            [
                [
                    w.worker_id,
                    f"{w.hostname} ({w.pid})",
                    _when(w.beat_at),
                    _("alive") if w.alive else _("lost"),
                ]
                for w in workers
            ],
            _(
                "No task worker is running: mails, webhooks and scheduled publishing wait "
                "until one starts."
            ),
            warning=True,
        ),
        _section(
            "stuck",
            _("Stuck tasks"),
            [_("Task"), _("Started"), _("Worker")],
            [
                [t.task_name, _when(t.started_at), t.worker_ids[-1] if t.worker_ids else ""]
                for t in stuck_tasks()
            ],
            none,
        ),
        _section(
            "recoveries",
            _("Retried and failed after a lost worker"),
            [_("Task"), _("Action"), _("Reason"), _("At")],
            [
                [r.task_path, r.get_action_display(), r.reason, _when(r.at)]
                for r in TaskRecovery.objects.all()[:50]
            ],
            none,
        ),
        _section(
            "failed",
            _("Failed tasks"),
            [_("Task"), _("Finished"), _("Error")],
            [[t.task_name, _when(t.finished_at), t.error_summary] for t in failed],
            none,
        ),
    ]
    return _admin_page(
        request,
        "publishing/task_health.html",
        _("Background tasks"),
        "cogs",
        sections=sections,
        lease=settings.CMS_WORKER_LEASE_SECONDS,
        heartbeat=settings.CMS_WORKER_HEARTBEAT_SECONDS,
    )


def _admin_page(request, template, title, icon, **context):
    """A page in Wagtail's generic admin layout (wagtailadmin/generic/base.html): the
    title in the browser tab and in the header, with its icon."""
    return TemplateResponse(
        request,
        template,
        {"page_title": title, "header_title": title, "header_icon": icon, **context},
    )


def _when(moment):
    """Beijing time, as the page says, in the one format every table uses."""
    return dateformat.format(timezone.localtime(moment), "Y-m-d H:i:s") if moment else ""


def _section(key, title, headers, rows, empty, warning=False):
    return {
        "key": key,
        "title": title,
        "headers": headers,
        "rows": rows,
        "empty": empty,
        "warning": warning,
    }

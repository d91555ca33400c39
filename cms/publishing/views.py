"""Admin views of the webhook log: the delivery list (read-only) and its 'resend' action."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
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
    return TemplateResponse(request, "publishing/resend_confirm.html", {"delivery": delivery})


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
    return TemplateResponse(
        request,
        "publishing/task_health.html",
        {
            "workers": workers,
            "stuck": stuck_tasks(),
            "recoveries": TaskRecovery.objects.all()[:50],
            "failed": failed,
            "lease": settings.CMS_WORKER_LEASE_SECONDS,
            "heartbeat": settings.CMS_WORKER_HEARTBEAT_SECONDS,
        },
    )

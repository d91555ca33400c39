"""Admin views of the webhook log: the delivery list (read-only) and its 'resend' action."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.views import generic
from wagtail.admin.widgets import ListingButton

from cms.publishing.models import WebhookDelivery
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

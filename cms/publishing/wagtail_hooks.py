"""Admin: webhook endpoints (editable) and their deliveries (a read-only log with 'resend');
the background tasks' health (workers, stuck, retried and failed tasks) for superusers."""

from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.core.admin_menu import register_viewset_group
from cms.publishing.forms import WebhookEndpointForm
from cms.publishing.models import WebhookDelivery, WebhookEndpoint
from cms.publishing.views import DeliveryIndexView, resend_delivery, task_health


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    icon = "link"
    menu_label = _("Endpoints")
    url_prefix = "publishing/webhook-endpoints"
    # A tick or a cross; a plain column would print Python's "True" / "False".
    list_display = [
        "name",
        "url",
        BooleanColumn("is_active", label=capfirst(_("active")), sort_key="is_active"),
    ]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return WebhookEndpointForm


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """The delivery log is written by the system only; people read it (and resend)."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(WebhookDelivery, ReadOnlyPermissionPolicy(WebhookDelivery))


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    icon = "list-ul"
    menu_label = _("Deliveries")
    url_prefix = "publishing/webhook-deliveries"
    index_view_class = DeliveryIndexView
    list_display = ["event_type", "endpoint", "status", "attempts", "response_status", "created_at"]
    list_filter = ["status", "event_type", "endpoint"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "endpoint",
        "event_type",
        "event_id",
        "status",
        "attempts",
        "next_attempt_at",
        "response_status",
        "response_body",
        "error",
        "log",
        "body",
        "resent_from",
        "created_at",
        "delivered_at",
    ]
    copy_view_enabled = False
    form_fields = ["endpoint"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("resend/<int:pk>/", resend_delivery, name="resend"),
        ]


register_viewset_group(
    _("Webhooks"),
    "link-external",
    WebhookEndpointViewSet("publishing_webhook_endpoints"),
    WebhookDeliveryViewSet("publishing_webhook_deliveries"),
)


@hooks.register("register_admin_urls")
def register_task_health_url():
    return [path("tasks/", task_health, name="publishing_task_health")]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_task_health_menu_item():
    return SuperuserMenuItem(
        _("Background tasks"), reverse("publishing_task_health"), icon_name="cogs", order=900
    )


def _label_site_columns():
    """Wagtail 8's Sites listing labels three columns from their field names ("Port",
    "Site name", "Root page": English on a Chinese admin); the fields' own verbose names
    are translated."""
    from django.utils.text import capfirst
    from wagtail.models import Site
    from wagtail.sites.views import IndexView

    for column in IndexView.columns:
        if column.name in {"port", "site_name", "root_page"}:
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)


_label_site_columns()

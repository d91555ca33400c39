from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Site

from cms.publishing.models import WebhookEndpoint, WebhookEvent


class WebhookEndpointForm(WagtailAdminModelForm):
    """The URL is checked by ``WebhookEndpoint.clean``: http(s) to public addresses only."""

    events = forms.MultipleChoiceField(
        label=_("events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("sites"),
        queryset=Site.objects.order_by("hostname"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only changes of these sites; none chosen: every site."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "secret", "events", "sites", "is_active"]

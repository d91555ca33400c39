"""The API tokens in the Wagtail admin (Settings → API tokens).

A token's key is made on creation and shown on the page that answers the form, once;
afterwards only its prefix is visible. Revoking is a checkbox on the edit form.
"""

from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.generic.models import CreateView
from wagtail.admin.viewsets.model import ModelViewSet

from cms.api import tokens
from cms.api.models import ApiToken


class ApiTokenCreateView(CreateView):
    def save_instance(self):
        self.raw_token = tokens.generate()
        self.form.instance.set_key(self.raw_token)
        return super().save_instance()

    def save_action(self):
        if self.expects_json_response:
            return super().save_action()
        # Rendered, not redirected: the key must not travel through a message cookie.
        response = TemplateResponse(
            self.request,
            "api/token_created.html",
            {
                **self.get_context_data(form=self.form),
                "token": self.object,
                "raw_token": self.raw_token,
                "index_url": reverse(self.index_url_name),
            },
        )
        response["Cache-Control"] = "no-store"
        return response


class ApiTokenViewSet(ModelViewSet):
    model = ApiToken
    icon = "key"
    menu_label = _("API tokens")
    add_to_settings_menu = True
    form_fields = ["name", "sites", "rate_limit", "expires_at", "revoked"]
    # A tick or a cross; a plain column would print Python's "True" / "False".
    list_display = [
        "name",
        "prefix",
        "rate_limit",
        "expires_at",
        BooleanColumn("revoked", label=capfirst(_("revoked")), sort_key="revoked"),
        "created_at",
    ]
    list_filter = ["revoked"]
    add_view_class = ApiTokenCreateView

"""Model fields only editors read, declared alike wherever they appear."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def finding_name():
    """The name a snippet is listed and chosen by; clients never see it."""
    return models.CharField(
        _("name"), max_length=100, unique=True, help_text=_("For editors only, to find it again.")
    )


def editor_note():
    """A line an editor keeps beside an entry of a list (why a word is listed, whose rule)."""
    return models.CharField(_("note"), max_length=255, blank=True)

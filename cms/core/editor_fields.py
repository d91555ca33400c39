"""Model parts editors fill in the admin, declared alike wherever they appear."""

from django.db import models
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _


def flag(verbose_name, help_text):
    """A yes/no an editor sets, no until set; ``help_text`` says what yes does."""
    return models.BooleanField(verbose_name, default=False, help_text=help_text)


def editor_note():
    """A line an editor keeps beside an entry of a list (why a word is listed, whose rule)."""
    return models.CharField(_("note"), max_length=255, blank=True)


class NamedSnippet(models.Model):
    """A snippet editors list and choose by a name of its own, which clients never see."""

    name = models.CharField(
        _("name"), max_length=100, unique=True, help_text=_("For editors only, to find it again.")
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.name


class ListEntry(models.Model):
    """An entry of a list editors keep for the code to read (sensitive words, search terms):
    shown as its ``entry_field``, with a note, stamped at each edit so that a process
    holding the list built into something (an automaton, a dictionary) can tell it changed."""

    entry_field = ""

    note = editor_note()
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return getattr(self, self.entry_field)

    @classmethod
    def list_version(cls, entries=None) -> tuple:
        """(count, latest edit) of ``entries`` (every entry by default): one aggregate query
        tells whether any was added, edited or deleted since the last look."""
        entries = cls.objects.all() if entries is None else entries
        state = entries.aggregate(count=Count("pk"), latest=Max("updated_at"))
        return (state["count"], state["latest"])

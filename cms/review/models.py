"""The word list editors keep, and where editors may publish small fixes without the 三审."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from cms.core.editor_fields import ListEntry, editor_note
from cms.review.screening import BLOCK, WARN


class Severity(models.TextChoices):
    BLOCK = BLOCK, _("Block publishing")
    WARN = WARN, _("Warn only")


# "Other" and "Political" name other things elsewhere in the admin: the labels carry a context.
class Category(models.TextChoices):
    POLITICAL = "political", pgettext_lazy("sensitive word category", "Political")
    PORNOGRAPHY = "pornography", pgettext_lazy("sensitive word category", "Pornography")
    VIOLENCE = "violence", pgettext_lazy("sensitive word category", "Violence and terrorism")
    ILLEGAL = "illegal", pgettext_lazy("sensitive word category", "Illegal goods and services")
    ADVERTISING = (
        "advertising",
        pgettext_lazy("sensitive word category", "Advertising law (absolute terms)"),
    )
    OTHER = "other", pgettext_lazy("sensitive word category", "Other")


class SensitiveWord(index.Indexed, ListEntry):
    word = models.CharField(
        _("word"),
        max_length=100,
        unique=True,
        help_text=_(
            "Matched in simplified and traditional form, full- and half-width, and when "
            "spaces or punctuation are put between its characters."
        ),
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.BLOCK
    )
    is_active = models.BooleanField(_("active"), default=True)

    entry_field = "word"

    panels = ["word", "category", "severity", "is_active", "note"]
    search_fields = [index.SearchField("word"), index.AutocompleteField("word")]

    class Meta:
        verbose_name = _("sensitive word")
        verbose_name_plural = _("sensitive words")
        ordering = ["word"]
        permissions = [
            ("override_screening", _("Can publish despite blocking sensitive words (with reason)"))
        ]


class DirectPublishRule(models.Model):
    """Lets the chosen groups publish directly (small fixes) at a page and below it.

    Under a page the 三审 workflow covers, only superusers and the groups of a rule covering
    the page see "Publish"; everyone else submits to the workflow.
    """

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The rule covers this page and every page below it."),
    )
    groups = models.ManyToManyField("auth.Group", verbose_name=_("groups"), related_name="+")
    note = editor_note()

    panels = [FieldPanel("page"), FieldPanel("groups"), FieldPanel("note")]

    class Meta:
        verbose_name = _("direct publishing rule")
        verbose_name_plural = _("direct publishing rules")

    def __str__(self):
        return str(self.page)

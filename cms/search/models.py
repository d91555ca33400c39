from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet

from cms.core.editor_fields import ListEntry


@register_snippet
class SearchTerm(ListEntry):
    """A word search must keep whole (托育, 便民生活圈), added by editors without a deploy.

    Terms join the domain dictionary shipped with the code (cms/search/dictionary.txt) and
    any files named in settings; saving or deleting one rebuilds the search index in the
    background so that existing content is segmented with it too.
    """

    term = models.CharField(
        _("term"),
        max_length=50,
        unique=True,
        help_text=_("One word or phrase without spaces, e.g. 普惠托育."),
    )

    entry_field = "term"
    panels = [FieldPanel("term"), FieldPanel("note")]

    class Meta:
        ordering = ["term"]
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def clean(self):
        super().clean()
        self.term = self.term.strip()
        if not self.term or any(ch.isspace() for ch in self.term):
            raise ValidationError({"term": _("Enter one word or phrase without spaces.")})

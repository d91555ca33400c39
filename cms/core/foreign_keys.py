"""The optional link (foreign key) the apps share."""

from django.db import models


def optional_foreign_key(to, verbose_name, **kwargs):
    """A link an editor may leave empty; deleting the target empties it, and the target
    gets no reverse accessor (images, pages and snippets are linked from many models)."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **kwargs,
    )

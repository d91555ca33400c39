"""Instances loaded together, each knowing the others: its peers.

GraphQL resolves a list item by item, each to the bottom, so a field that reads from the
database (an article's body: its figures' images, its calls to action) would read once per
item. A list marks its items as peers when it loads them; such a field, resolved on the
first item, reads for all of its peers at once and leaves the rest of the list nothing to
read.

A queryset marks its rows and the rows they joined (``select_related``) through
``loaded_together``; a list already loaded (a page tree list) through ``load_together``.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Model
from django.db.models.query import ModelIterable

_PEERS = "_cms_peers"


def load_together(instances) -> None:
    """Make the instances of each model among ``instances`` peers of one another."""
    by_model = defaultdict(list)
    for instance in instances:
        by_model[type(instance)].append(instance)
    for peers in by_model.values():
        for instance in peers:
            setattr(instance, _PEERS, peers)


def peers(instance) -> list:
    """The instances loaded with ``instance``, itself included; alone, itself only."""
    return getattr(instance, _PEERS, None) or [instance]


def _joined(instance, select_related: dict):
    """The instances ``select_related`` joined to ``instance``, at every depth (no query:
    each is in the instance's relation cache)."""
    for name, below in select_related.items():
        related = getattr(instance, name, None)
        if isinstance(related, Model):
            yield related
            yield from _joined(related, below)


class _LoadedTogether(ModelIterable):
    def __iter__(self):
        rows = list(super().__iter__())
        joined = self.queryset.query.select_related
        if isinstance(joined, dict):
            load_together([*rows, *(j for row in rows for j in _joined(row, joined))])
        else:
            load_together(rows)
        return iter(rows)


def loaded_together(queryset):
    """``queryset`` whose rows, and the rows each joined, come as peers."""
    clone = queryset.all()
    # As Wagtail's specific() does: the iterable class makes the instances of each row.
    clone._iterable_class = _LoadedTogether
    return clone

"""A changed search term is used at once by this process and, after a rebuild of the
index in the background, by content indexed before it existed."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cms.search.models import SearchTerm
from cms.search.segmentation import forget_terms


@receiver([post_save, post_delete], sender=SearchTerm)
def search_term_changed(sender, **kwargs):
    from cms.search.tasks import rebuild_search_index

    forget_terms()
    transaction.on_commit(rebuild_search_index.enqueue)

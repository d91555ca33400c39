"""A changed search term is used at once by this process and, after a rebuild of the
index in the background, by content indexed before it existed."""

import logging

from django.db import DatabaseError, close_old_connections, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cms.core.signals import worker_starting
from cms.search.models import SearchTerm
from cms.search.segmentation import forget_terms, segmenter

logger = logging.getLogger(__name__)


@receiver([post_save, post_delete], sender=SearchTerm)
def search_term_changed(sender, **kwargs):
    from cms.search.tasks import rebuild_search_index

    forget_terms()
    transaction.on_commit(rebuild_search_index.enqueue)


@receiver(worker_starting)
def load_segmenter(sender, **kwargs):
    """Load the word segmenter (2 s of jieba's dictionary) before the worker's first task:
    else the first page the scheduler publishes pays it inside the publishing
    transaction, and goes live late."""
    try:
        segmenter()
    except DatabaseError:
        logger.warning("Could not load the search terms", exc_info=True)
    finally:
        close_old_connections()

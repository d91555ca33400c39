from django.core.management import call_command
from django_tasks import task


@task(backend="durable")
def rebuild_search_index():
    """Re-segment all indexed content, after the dictionary of search terms changed."""
    from cms.search.segmentation import forget_terms

    forget_terms()
    call_command("update_index", verbosity=0)

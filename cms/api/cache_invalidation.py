"""Changes that alter GraphQL answers without a page being published.

Publishing, unpublishing, moving and deleting pages and saving snippets or settings reach
``response_cache.content_changed`` through ``cms.publishing.signals`` (the same events the
webhooks report). These are the rest: privacy (page and collection view restrictions),
images and documents (not their renditions, which reads create), sites and redirects.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, PageViewRestriction, Site

from cms.api import response_cache

_MODELS = (
    PageViewRestriction,
    CollectionViewRestriction,
    Site,
    Redirect,
    get_image_model(),
    get_document_model(),
)


@receiver(post_save)
@receiver(post_delete)
def on_visible_change(sender, raw=False, **kwargs):
    if not raw and sender in _MODELS:
        response_cache.content_changed()

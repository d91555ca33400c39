"""Content changes that become webhook events.

Pages: published, unpublished (also by the scheduler at expiry), deleted while live,
moved (old and new paths). Snippets: saved, deleted. Settings: saved.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils.encoding import iri_to_uri
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from cms.api.cache_invalidation import content_changed
from cms.api.cache_tags import tags_for
from cms.publishing.models import WebhookEvent
from cms.publishing.webhooks import record_event


def _changed(event_type: str, instance=None, **fields) -> None:
    """A change clients can see: tell the webhooks, stop serving kept GraphQL answers, and
    purge from the CDN the answers that showed ``instance`` (None: every answer)."""
    record_event(event_type, **fields)
    content_changed(tags_for(instance) if instance is not None else None)


def _site_and_path(url_path: str) -> tuple[Site | None, str | None]:
    """The site holding a tree URL path (the deepest root wins) and the path within it."""
    best = None
    for site in Site.objects.select_related("root_page"):
        root = site.root_page.url_path
        if url_path.startswith(root) and (best is None or len(root) > len(best[1])):
            best = (site, root)
    if best is None:
        return None, None
    site, root = best
    return site, iri_to_uri("/" + url_path[len(root) :])


def _page_event(event_type: str, page: Page, extra_paths=(), everywhere=False) -> None:
    site, path = _site_and_path(page.url_path or "")
    paths = [p for p in (path, *extra_paths) if p]
    _changed(
        event_type,
        instance=None if everywhere else page,
        site=site,
        ids=[page.pk],
        paths=paths,
        model=page.specific_class._meta.label_lower if page.specific_class else "",
    )


@receiver(page_published)
def on_page_published(sender, instance, **kwargs):
    _page_event(WebhookEvent.PAGE_PUBLISHED, instance)


@receiver(page_unpublished)
def on_page_unpublished(sender, instance, **kwargs):
    _page_event(WebhookEvent.PAGE_UNPUBLISHED, instance)


@receiver(post_page_move)
def on_page_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    if not instance.live:
        return
    _old_site, old_path = _site_and_path(url_path_before)
    # A move changes the URLs of the whole subtree, wherever they are shown.
    _page_event(WebhookEvent.PAGE_MOVED, instance, extra_paths=[old_path], everywhere=True)


# Treebeard deletes a subtree through a queryset of the base Page class, so every page
# deleted, specific type or not, passes here once as a Page instance.
@receiver(pre_delete, sender=Page)
def on_page_deleted(sender, instance, **kwargs):
    if instance.live:
        _page_event(WebhookEvent.PAGE_DELETED, instance)


def _label(instance) -> str:
    return instance._meta.label_lower


@receiver(post_save)
def on_snippet_or_setting_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw:
        return
    # Settings rows are created by their first read (for_site's get_or_create), not by an
    # editor: nothing changed for the front ends yet.
    if created and isinstance(instance, BaseSiteSetting | BaseGenericSetting):
        return
    if isinstance(instance, BaseSiteSetting):
        _changed(
            WebhookEvent.SETTING_SAVED,
            instance,
            site=instance.site,
            ids=[instance.pk],
            model=_label(sender),
        )
    elif isinstance(instance, BaseGenericSetting):
        _changed(WebhookEvent.SETTING_SAVED, instance, ids=[instance.pk], model=_label(sender))
    elif sender in get_snippet_models():
        _changed(WebhookEvent.SNIPPET_SAVED, instance, ids=[instance.pk], model=_label(sender))


@receiver(post_delete)
def on_snippet_deleted(sender, instance, **kwargs):
    if sender in get_snippet_models():
        _changed(WebhookEvent.SNIPPET_DELETED, instance, ids=[instance.pk], model=_label(sender))

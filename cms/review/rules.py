"""What the review app decides: the current screener, a page's hits, who publishes directly."""

import threading

from cms.review.models import DirectPublishRule, SensitiveWord
from cms.review.screening import Hit, Screener, Word
from cms.review.texts import page_texts
from cms.review.workflow import WORKFLOW_NAME

_cache: dict = {}
_cache_lock = threading.Lock()


def current_screener() -> Screener:
    """The automaton for the active word list, rebuilt only when the list changed.

    One aggregate query tells whether it did (count and latest edit), so every process
    sees an edit at its next screening.
    """
    active = SensitiveWord.objects.filter(is_active=True)
    version = SensitiveWord.list_version(active)
    with _cache_lock:
        if _cache.get("version") != version:
            words = [
                Word(word, category, severity)
                for word, category, severity in active.values_list("word", "category", "severity")
            ]
            _cache["screener"] = Screener(words)
            _cache["version"] = version
        return _cache["screener"]


def screen_page(page) -> list[Hit]:
    return current_screener().screen(page_texts(page))


def category_label(value: str) -> str:
    from cms.review.models import Category

    try:
        return str(Category(value).label)
    except ValueError:
        return value


def may_publish_directly(user, page, parent=None) -> bool:
    """Superusers, and the groups of a rule covering the page, publish without the 三审.

    Pages the 三审 does not cover keep Wagtail's own publish permission alone.
    """
    if user.is_superuser:
        return True
    anchor = page if page.pk else parent
    if anchor is None:
        return True
    workflow = anchor.get_workflow()
    if workflow is None or not workflow.active or workflow.name != WORKFLOW_NAME:
        return True
    ancestor_ids = list(anchor.get_ancestors(inclusive=True).values_list("pk", flat=True))
    return DirectPublishRule.objects.filter(
        page_id__in=ancestor_ids, groups__in=user.groups.all()
    ).exists()

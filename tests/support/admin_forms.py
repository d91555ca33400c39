"""Form data for the admin's editors, as a browser would post it."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield


def form_data(defaults: dict, **overrides) -> dict:
    """``defaults`` with ``overrides``, flattened as the admin's form posts them (formsets
    and StreamFields as Wagtail's ``inline_formset`` and ``streamfield`` describe them)."""
    return nested_form_data({**defaults, **overrides})


DRAFT_ARTICLE = {
    "title": "草稿标题",
    "slug": "draft-article",
    "summary": "草稿摘要",
    "published_at": "2025-09-22 15:10:55",
    "body": streamfield([]),
    "sources": inline_formset([{"name": "草稿来源", "url": ""}]),
    "recommended_reading": inline_formset([]),
    "tags": "",
}


def article_form(**overrides):
    return form_data(DRAFT_ARTICLE, **overrides)

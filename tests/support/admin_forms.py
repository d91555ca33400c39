"""Form data for the admin's article editor, as a browser would post it."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield


def article_form(**overrides):
    data = {
        "title": "草稿标题",
        "slug": "draft-article",
        "summary": "草稿摘要",
        "published_at": "2025-09-22 15:10:55",
        "body": streamfield([]),
        "sources": inline_formset([{"name": "草稿来源", "url": ""}]),
        "recommended_reading": inline_formset([]),
        "tags": "",
    }
    data.update(overrides)
    return nested_form_data(data)

"""The article edit form as the page editor posts it, for the 三审 tests."""

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield


def article_form(**overrides):
    data = {
        "title": "托育服务新政策",
        "slug": "托育服务新政策",
        "subtitle": "",
        "summary": "摘要内容",
        "published_at": "2025-09-22 15:10:55",
        "body": streamfield([("paragraph", {"text": rich_text("<p>正文段落</p>")})]),
        "sources": nested_form_data({"x": []}) and {},
        "tags": "",
    }
    data.update(overrides)
    form = nested_form_data(data)
    for prefix in ("sources", "recommended_reading", "comments"):
        form.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return form

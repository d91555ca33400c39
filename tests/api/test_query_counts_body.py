"""No N+1 inside an article body or a page's tree lists: links and images cost no query each."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.factories import paragraph, story
from cms.core.factories import ImageFactory

BODY = """query($slug: String) { article(slug: $slug) { body {
  ... on ParagraphBlock { html }
  ... on FigureBlock { alt image { rendition(filter: "fill-640x360") { url } srcset(widths: [320, 640]) } }
} } }"""


def count(gql, query, variables=None):
    with CaptureQueriesContext(connection) as queries:
        data = gql(query, variables)
    return len(queries), data


def linked_body(targets, images):
    blocks = [
        paragraph(f'<p>见<a linktype="page" id="{target.id}">第{n}篇</a></p>')
        for n, target in enumerate(targets)
    ]
    blocks += [
        {"type": "image", "value": {"image": image.pk, "caption": "", "alt_text": ""}}
        for image in images
    ]
    return story(*blocks)


@pytest.fixture
def bodies(article_factory):
    targets = [article_factory() for _ in range(20)]
    images = [ImageFactory() for _ in range(12)]
    article_factory(slug="few", body=linked_body(targets[:2], images[:2]))
    article_factory(slug="many", body=linked_body(targets, images))


def test_rich_text_links_and_figure_renditions_cost_no_query_each(gql, bodies):
    for slug in ("few", "many"):
        count(gql, BODY, {"slug": slug})  # renders and stores the renditions once
    few, _ = count(gql, BODY, {"slug": "few"})
    many, many_data = count(gql, BODY, {"slug": "many"})
    assert len(many_data["article"]["body"]) == 32
    assert all(
        block.get("html", "").count("<a href=") == 1 or block.get("image")
        for block in many_data["article"]["body"]
    )
    assert few == many


@pytest.mark.parametrize("field", ["children", "descendants"])
def test_page_tree_lists_cost_the_same_for_10_and_50(gql, index, article_factory, field):
    query = f'{{ page(urlPath: "/articles/") {{ {field}(limit: 100) {{ title url }} }} }}'
    for _ in range(10):
        article_factory()
    count(gql, query)  # site-root paths are cached by the first answer
    ten, data = count(gql, query)
    assert len(data["page"][field]) == 10
    for _ in range(40):
        article_factory()
    fifty, data = count(gql, query)
    assert len(data["page"][field]) == 50
    assert ten == fifty


CTA_BODY = """query($slug: String) { article(slug: $slug) { body {
  ... on CallToActionBlock { callToAction { heading target { kind url } } }
} } }"""


def test_calls_to_action_to_the_booking_form_cost_no_query_each(gql, home, article_factory):
    from cms.leads.factories import BookingFormPageFactory
    from home.factories import CallToActionFactory

    BookingFormPageFactory(parent=home, slug="booking", title="预约演示")
    ctas = [CallToActionFactory(target_kind="booking_form") for _ in range(8)]

    def body(chosen):
        return story(
            *({"type": "call_to_action", "value": {"call_to_action": c.pk}} for c in chosen)
        )

    article_factory(slug="few", body=body(ctas[:2]))
    article_factory(slug="many", body=body(ctas))
    count(gql, CTA_BODY, {"slug": "few"})  # site-root paths are cached by the first answer
    few, _ = count(gql, CTA_BODY, {"slug": "few"})
    many, data = count(gql, CTA_BODY, {"slug": "many"})
    targets = [block["callToAction"]["target"] for block in data["article"]["body"]]
    assert targets == [{"kind": "BOOKING_FORM", "url": "/booking/"}] * 8
    assert few == many

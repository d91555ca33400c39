"""The tree relations come in the order their descriptions in the schema promise: children,
siblings and descendants in the tree's order, next and previous siblings nearest first,
ancestors from the site's home page down to the parent."""

import pytest

pytestmark = pytest.mark.django_db

RELATIONS = (
    "siblings { title } nextSiblings { title } previousSiblings { title } "
    "ancestors { title } parent { children { title } descendants { title } }"
)


def titles(items):
    return [item["title"] for item in items]


def test_each_relation_in_its_described_order(gql, home, index, article_factory):
    for n in range(1, 6):
        article_factory(title=f"第{n}篇", slug=f"a{n}")
    hidden = article_factory(title="草稿", slug="draft", live=False)
    hidden.move(index, pos="first-child")  # a draft among them is never shown
    page = gql(f'{{ page(urlPath: "/{index.slug}/a3/") {{ {RELATIONS} }} }}')["page"]
    in_tree_order = ["第1篇", "第2篇", "第3篇", "第4篇", "第5篇"]
    assert titles(page["siblings"]) == ["第1篇", "第2篇", "第4篇", "第5篇"]
    assert titles(page["nextSiblings"]) == ["第4篇", "第5篇"]
    assert titles(page["previousSiblings"]) == ["第2篇", "第1篇"]
    assert titles(page["ancestors"]) == [home.title, index.title]
    assert titles(page["parent"]["children"]) == in_tree_order
    assert titles(page["parent"]["descendants"]) == in_tree_order

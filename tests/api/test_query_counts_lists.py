"""No N+1 in any list of the schema: each costs the same SQL queries for 10 items as for 50.

The lists not measured elsewhere (tests/api/test_query_counts*.py, tests/content/test_site_chrome.py,
tests/search/test_search_visibility.py). Each answer is measured with Django's cache
emptied first, as after an eviction: a rendition or a page read one by one then shows as
a query per item instead of hiding behind a cache hit.
"""

import json

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from articles.factories import (
    ArticleCategoryFactory,
    ArticleSourceFactory,
    RecommendedReadingFactory,
    paragraph,
    story,
)
from cms.core.factories import ImageFactory
from cms.leads.factories import BookingFormFieldFactory, BookingFormPageFactory
from home.factories import (
    CallToActionFactory,
    ContactCardFactory,
    PhoneLineFactory,
    ServiceAreaFactory,
)
from home.models import FeaturedArticle, ServiceArea, SiteLayout
from tests.support.queries import data_queries


def small_image(**kwargs):
    """A distinct image, small enough to render fast; one per item, so no cache hit hides
    a query made for each."""
    return ImageFactory(file__width=400, file__height=225, **kwargs)


def cold_count(gql, query, variables=None):
    """(data, number of data queries) of one answer.

    A first answer makes what is made once (renditions, a site's settings rows); the
    measured one follows with Django's in-process cache emptied.
    """
    gql(query, variables)
    for alias, config in settings.CACHES.items():
        if "locmem" in config["BACKEND"].lower():
            caches[alias].clear()
    with CaptureQueriesContext(connection) as queries:
        data = gql(query, variables)
    return data, len(data_queries(queries))


@pytest.fixture(autouse=True)
def _room_for_wide_queries(settings):
    """The queries below select more than a front end would; the cost limit is not measured."""
    settings.CMS_API_MAX_COST = 10**7


# --- An article's own lists --------------------------------------------------------------

ARTICLE_LISTS = {
    "categories": "categories { name slug description }",
    "tags": "tags { name slug }",
    "sources": "sources { name url }",
}


@pytest.fixture
def article_with(article_factory):
    """``article_with(n)``: an article with n categories, n tags and n sources."""

    def make(n):
        article = article_factory(slug=f"with-{n}")
        article.categories.add(*[ArticleCategoryFactory() for _ in range(n)])
        article.tags.add(*[f"标签{k}" for k in range(n)])
        article.save()
        for k in range(n):
            ArticleSourceFactory(page=article, name=f"来源{k}")
        return article

    return make


@pytest.mark.parametrize("field", ARTICLE_LISTS)
def test_one_articles_categories_tags_and_sources(gql, article_with, field):
    query = "query($s: String) { article(slug: $s) { title LIST } }"
    query = query.replace("LIST", ARTICLE_LISTS[field])
    article_with(10), article_with(50)
    few, ten = cold_count(gql, query, {"s": "with-10"})
    many, fifty = cold_count(gql, query, {"s": "with-50"})
    assert len(few["article"][field]) == 10
    assert len(many["article"][field]) == 50
    assert ten == fifty


# --- Recommended reading: the linked articles and what they hold -------------------------

LINKED_ARTICLE = """title url summary publishedAt subtitle
  cover { alt rendition(filter: "fill-320x180") { url } srcset(widths: [320]) }
  categories { name } tags { name } sources { name }
  seo { title description canonicalUrl image { alt } ogImage { url } } jsonLd"""

RECOMMENDED = """query($s: String) { article(slug: $s) {
  recommendedReading { title url isExternal article { LINKED } } } }""".replace(
    "LINKED", LINKED_ARTICLE
)


def illustrated_articles(article_factory, count, stem):
    """``count`` articles titled ``stem`` and a number, each with its own cover (their
    sharing image too), category and tag."""
    articles = []
    for n in range(count):
        image = small_image()
        article = article_factory(title=f"{stem}{n}", cover_image=image, og_image=image)
        article.categories.add(ArticleCategoryFactory())
        article.tags.add(f"{stem}标签{n}")
        article.save()
        articles.append(article)
    return articles


@pytest.fixture
def linked_articles(article_factory):
    """Fifty illustrated articles, each with a source too."""
    articles = illustrated_articles(article_factory, 50, "推荐")
    for article in articles:
        ArticleSourceFactory(page=article)
    return articles


def recommending(article_factory, slug, linked):
    article = article_factory(slug=slug)
    for position, target in enumerate(linked):
        RecommendedReadingFactory(page=article, article=target, sort_order=position)
    RecommendedReadingFactory(
        page=article, external_url="https://www.news.cn/", title="外链", sort_order=len(linked)
    )
    return article


@pytest.mark.slow
def test_recommended_articles_with_their_covers_and_relations(
    gql, article_factory, linked_articles
):
    recommending(article_factory, "ten", linked_articles[:10])
    recommending(article_factory, "fifty", linked_articles)
    few, ten = cold_count(gql, RECOMMENDED, {"s": "ten"})
    many, fifty = cold_count(gql, RECOMMENDED, {"s": "fifty"})
    assert len(few["article"]["recommendedReading"]) == 11
    items = many["article"]["recommendedReading"]
    assert len(items) == 51
    assert all(i["article"]["cover"]["rendition"]["url"] for i in items[:50])
    assert all(i["article"]["categories"] and i["article"]["tags"] for i in items[:50])
    assert ten == fifty


@pytest.mark.slow
def test_recommended_articles_own_recommended_reading(gql, article_factory):
    query = """query($s: String) { article(slug: $s) { recommendedReading { article {
      title recommendedReading { title url article { title categories { name } } } } } } }"""
    target = article_factory(title="再推荐")
    target.categories.add(ArticleCategoryFactory())
    target.save()
    linked = []
    for n in range(50):
        article = article_factory(title=f"一级{n}")
        RecommendedReadingFactory(page=article, article=target)
        RecommendedReadingFactory(page=article, external_url="https://e.cn/", title="外链")
        linked.append(article)
    recommending(article_factory, "ten", linked[:10])
    recommending(article_factory, "fifty", linked)
    few, ten = cold_count(gql, query, {"s": "ten"})
    many, fifty = cold_count(gql, query, {"s": "fifty"})
    assert len(few["article"]["recommendedReading"]) == 11
    first = many["article"]["recommendedReading"][0]["article"]["recommendedReading"]
    assert [item["title"] for item in first] == ["再推荐", "外链"]
    assert first[0]["article"]["categories"]
    assert ten == fifty


ARTICLE_LIST = """query($n: Int) { articles(perPage: $n) { items {
  title recommendedReading { title article { title body { blockType }
    cover { rendition(filter: "fill-320x180") { url } } categories { name } tags { name } } }
} } }"""


@pytest.fixture
def sixty_linked(article_factory):
    """Sixty illustrated articles; each recommends the next."""
    articles = illustrated_articles(article_factory, 60, "列表")
    for n, article in enumerate(articles):
        RecommendedReadingFactory(page=article, article=articles[(n + 1) % 60])
    return articles


@pytest.mark.slow
def test_article_list_with_recommended_articles_relations_and_bodies(gql, sixty_linked):
    few, ten = cold_count(gql, ARTICLE_LIST, {"n": 10})
    many, fifty = cold_count(gql, ARTICLE_LIST, {"n": 50})
    assert len(few["articles"]["items"]) == 10
    items = many["articles"]["items"]
    assert len(items) == 50
    linked = [item["recommendedReading"][0]["article"] for item in items]
    assert all(a["body"] and a["cover"]["rendition"]["url"] and a["categories"] for a in linked)
    assert ten == fifty


@pytest.mark.slow
def test_article_list_seo_and_json_ld(gql, sixty_linked):
    query = """query($n: Int) { articles(perPage: $n) { items { title url oembedUrl jsonLd
      seo { title description canonicalUrl noindex image { alt } ogImage { url width } } } } }"""
    few, ten = cold_count(gql, query, {"n": 10})
    many, fifty = cold_count(gql, query, {"n": 50})
    assert (len(few["articles"]["items"]), len(many["articles"]["items"])) == (10, 50)
    assert all(item["seo"]["ogImage"]["url"] for item in many["articles"]["items"])
    assert '"articleSection"' in many["articles"]["items"][0]["jsonLd"]
    assert ten == fifty


@pytest.mark.slow
def test_article_list_bodies_with_figures_and_calls_to_action(gql, article_factory, home):
    query = """query($n: Int) { articles(perPage: $n) { items { title body { blockType
      ... on FigureBlock { image { alt rendition(filter: "fill-320x180") { url } } }
      ... on CallToActionBlock { callToAction { heading target { kind url } } } } } } }"""
    target = article_factory(slug="target")
    call = CallToActionFactory(target_kind="page", target_page=target)
    for _ in range(50):
        figure = {"image": small_image().pk, "caption": "", "alt_text": ""}
        article_factory(
            body=story(
                {"type": "image", "value": figure},
                {"type": "call_to_action", "value": {"call_to_action": call.pk}},
            )
        )
    few, ten = cold_count(gql, query, {"n": 10})
    many, fifty = cold_count(gql, query, {"n": 50})
    assert (len(few["articles"]["items"]), len(many["articles"]["items"])) == (10, 50)
    assert ten == fifty


# --- Bodies in every list of articles ------------------------------------------------------

STORY_FIELDS = """body { blockType
  ... on FigureBlock { alt image { alt rendition(filter: "fill-320x180") { url } } }
  ... on CallToActionBlock { callToAction { heading target { kind url page { title } } } }
  ... on ParagraphBlock { html }
  ... on MediaEmbedBlock { url embedHtml title } }"""


@pytest.fixture
def storied(article_factory):
    """Twelve articles "故事n", each body with its own figure, call to action and embed, and
    a paragraph linking a page and a document: the call and the page link lead to the
    article itself. Each recommends the next."""
    articles = []
    for n in range(12):
        article = article_factory(title=f"故事{n}", slug=f"story-{n}")
        call = CallToActionFactory(target_kind="page", target_page=article)
        url = f"https://v.example.com/story-{n}"
        Embed.objects.create(
            hash=get_embed_hash(url), url=url, type="video", html="<iframe></iframe>", title="视频"
        )
        figure = {"image": small_image().pk, "caption": "", "alt_text": ""}
        document = get_document_model().objects.create(
            title=f"附件{n}", file=ContentFile(b"%PDF-1.4", name=f"story-{n}.pdf")
        )
        article.body = story(
            {"type": "image", "value": figure},
            {"type": "call_to_action", "value": {"call_to_action": call.pk}},
            paragraph(
                f'<p>见<a linktype="page" id="{article.pk}">本文</a>与'
                f'<a linktype="document" id="{document.pk}">附件</a></p>'
            ),
            {"type": "embed", "value": {"embed": url, "caption": ""}},
        )
        article.save()
        articles.append(article)
    for n, article in enumerate(articles):
        RecommendedReadingFactory(page=article, article=articles[(n + 1) % 12])
    return articles


def _with_bodies(query):
    return query.replace("BODY", STORY_FIELDS)


def _listed(gql, home, storied, article_factory, which, n):
    """(the articles of list ``which`` holding n of the storied articles, data queries)."""
    variables = {"n": n}
    if which == "articles":
        query = "query($n: Int) { articles(perPage: $n) { items { title BODY } } }"
        pick = lambda data: data["articles"]["items"]  # noqa: E731
    elif which == "search":
        query = """query($n: Int) { search(query: "故事", perPage: $n) { items {
          page { ... on ArticlePage { title BODY } } } } }"""
        pick = lambda data: [item["page"] for item in data["search"]["items"]]  # noqa: E731
    elif which in ("children", "descendants"):
        query = """query($n: PositiveInt) { page(urlPath: "/articles/") {
          LIST(limit: $n) { ... on ArticlePage { title BODY } } } }""".replace("LIST", which)
        pick = lambda data: data["page"][which]  # noqa: E731
    elif which == "featured":
        FeaturedArticle.objects.filter(page=home).delete()
        for position, article in enumerate(storied[:n]):
            FeaturedArticle.objects.create(page=home, article=article, sort_order=position)
        query, variables = "{ siteChrome { home { featuredArticles { title BODY } } } }", None
        pick = lambda data: data["siteChrome"]["home"]["featuredArticles"]  # noqa: E731
    elif which == "recommendedReading":
        recommending(article_factory, f"reader-{n}", storied[:n])
        query = """query($s: String) { article(slug: $s) {
          recommendedReading { article { title BODY } } } }"""
        variables = {"s": f"reader-{n}"}
        pick = lambda data: [  # noqa: E731
            item["article"] for item in data["article"]["recommendedReading"] if item["article"]
        ]
    else:  # the articles' recommended reading, in a list of articles
        query = """query($n: Int) { articles(perPage: $n) { items {
          recommendedReading { article { title BODY } } } } }"""
        pick = lambda data: [  # noqa: E731
            item["recommendedReading"][0]["article"] for item in data["articles"]["items"]
        ]
    data, queries = cold_count(gql, _with_bodies(query), variables)
    return pick(data), queries


@pytest.mark.slow
@pytest.mark.parametrize(
    "which",
    [
        "articles",
        "search",
        "children",
        "descendants",
        "featured",
        "recommendedReading",
        "articlesRecommendedReading",
    ],
)
def test_bodies_in_every_list_of_articles(gql, home, storied, article_factory, which):
    few, three = _listed(gql, home, storied, article_factory, which, 3)
    many, twelve = _listed(gql, home, storied, article_factory, which, 12)
    assert (len(few), len(many)) == (3, 12)
    for article in many:
        figure, call, text, embed = article["body"]
        assert figure["image"]["rendition"]["url"]
        assert call["callToAction"]["target"]["page"]["title"] == article["title"]
        assert '<a href="/articles/story-' in text["html"]
        assert '<a href="/documents/' in text["html"]
        assert embed["title"] == "视频"
    assert three == twelve


# --- The home page's featured articles and the search hits, with recommended reading ----

FEATURED = """{ siteChrome { home { featuredArticles { title url
  cover { rendition(filter: "fill-320x180") { url } } categories { name } tags { name }
  sources { name } seo { ogImage { url } } jsonLd
  recommendedReading { title article { title cover { rendition(filter: "fill-320x180") { url } }
    categories { name } } } } } } }"""


@pytest.mark.slow
def test_featured_articles_with_their_recommended_reading(gql, home, sixty_linked):
    def count(n):
        FeaturedArticle.objects.filter(page=home).delete()
        for position, article in enumerate(sixty_linked[:n]):
            FeaturedArticle.objects.create(page=home, article=article, sort_order=position)
        data, queries = cold_count(gql, FEATURED)
        featured = data["siteChrome"]["home"]["featuredArticles"]
        assert len(featured) == n
        assert all(a["recommendedReading"][0]["article"]["categories"] for a in featured)
        return queries

    count(50)
    assert count(10) == count(50)


SEARCH = """query($n: Int) { search(query: "列表", perPage: $n) { items { title url
  page { title url ... on ArticlePage { cover { rendition(filter: "fill-320x180") { url } }
    categories { name } tags { name } sources { name } seo { ogImage { url } }
    recommendedReading { title article { title cover { rendition(filter: "fill-320x180") { url } }
      categories { name } tags { name } } } } } } } }"""


@pytest.mark.slow
def test_search_hits_with_their_recommended_reading(gql, sixty_linked):
    few, ten = cold_count(gql, SEARCH, {"n": 10})
    many, fifty = cold_count(gql, SEARCH, {"n": 50})
    assert len(few["search"]["items"]) == 10
    pages = [item["page"] for item in many["search"]["items"]]
    assert len(pages) == 50
    assert all(p["recommendedReading"][0]["article"]["categories"] for p in pages)
    assert ten == fifty


# --- Root lists ---------------------------------------------------------------------------


def test_article_categories(gql, db):
    query = "{ articleCategories { id name slug description } }"
    for _ in range(10):
        ArticleCategoryFactory()
    few, ten = cold_count(gql, query)
    for _ in range(40):
        ArticleCategoryFactory()
    many, fifty = cold_count(gql, query)
    assert (len(few["articleCategories"]), len(many["articleCategories"])) == (10, 50)
    assert ten == fifty


def test_search_suggestions(gql, article_factory):
    """At most 20 suggestions are given: 5 against 20."""
    query = """query($n: Int) { searchSuggestions(prefix: "托育", limit: $n) {
      title highlightedTitle url page { id title url contentType
        seo { title description canonicalUrl image { alt } } } } }"""
    for n in range(25):
        article_factory(title=f"托育建议{n}", cover_image=small_image())
    few, five = cold_count(gql, query, {"n": 5})
    many, twenty = cold_count(gql, query, {"n": 20})
    assert (len(few["searchSuggestions"]), len(many["searchSuggestions"])) == (5, 20)
    assert five == twenty


# --- The booking form ---------------------------------------------------------------------

BOOKING_FORM = """{ bookingForm { heading formToken
  fields { name label fieldType required helpText choices defaultValue }
  interests { name slug icon { alt rendition(filter: "fill-160x160") { url } } } } }"""


def test_booking_form_fields(gql, home):
    form = BookingFormPageFactory(parent=home)

    def count(n):
        for k in range(form.form_fields.count(), n):
            BookingFormFieldFactory(
                page=form, field_type="dropdown", choices="甲,乙,丙", sort_order=k
            )
        data, queries = cold_count(gql, BOOKING_FORM)
        assert len(data["bookingForm"]["fields"]) == n
        return queries

    assert count(10) == count(50)


@pytest.mark.slow
def test_booking_form_interests_with_their_icons(gql, home):
    BookingFormPageFactory(parent=home)

    def count(n):
        for _ in range(n - ServiceArea.objects.count()):
            ServiceAreaFactory(icon=small_image())
        data, queries = cold_count(gql, BOOKING_FORM)
        interests = data["bookingForm"]["interests"]
        assert len(interests) == n
        assert all(area["icon"]["rendition"]["url"] for area in interests)
        return queries

    assert count(10) == count(50)


# --- Site chrome: menus and one card's phone lines ----------------------------------------

MENUS = """{ siteChrome {
  mainMenu { label url isExternal page { title url } children { label url page { title url } } }
  footerMenu { label url isExternal page { title url } children { label url page { title } } }
} }"""


def _menu_item(page, children=()):
    return {
        "type": "item",
        "value": {
            "label": "",
            "page": page.pk,
            "url": "",
            "children": [{"label": "", "page": c.pk, "url": ""} for c in children],
        },
    }


def test_footer_menu_and_a_menu_items_children(gql, site, article_factory):
    articles = [article_factory() for _ in range(50)]
    layout = SiteLayout.for_site(site)

    def count(n):
        layout.main_menu = json.dumps([_menu_item(articles[0], children=articles[:n])])
        layout.footer_menu = json.dumps(
            [_menu_item(a, children=articles[:1]) for a in articles[:n]]
        )
        layout.save()
        data, queries = cold_count(gql, MENUS)
        assert len(data["siteChrome"]["mainMenu"][0]["children"]) == n
        assert len(data["siteChrome"]["footerMenu"]) == n
        assert data["siteChrome"]["footerMenu"][0]["page"]["title"]
        return queries

    assert count(10) == count(50)


def test_one_contact_cards_phone_lines(gql, site):
    query = """{ siteChrome { contacts { heading phoneLines { label number telUri isOpenNow
      serviceHours { days opensAt closesAt timeZone label } } } } }"""
    card = ContactCardFactory()
    layout = SiteLayout.for_site(site)
    layout.contacts = json.dumps([{"type": "contact", "value": card.pk}])
    layout.save()

    def count(n):
        for k in range(card.phone_lines.count(), n):
            PhoneLineFactory(contact=card, number=f"010-{k:08d}", sort_order=k)
        data, queries = cold_count(gql, query)
        assert len(data["siteChrome"]["contacts"][0]["phoneLines"]) == n
        return queries

    assert count(10) == count(50)


# --- Page tree lists ----------------------------------------------------------------------

ARTICLE_FIELDS_IN_TREE = """title url ... on ArticlePage {
  cover { rendition(filter: "fill-320x180") { url } } categories { name } tags { name }
  sources { name } recommendedReading { title } }"""


@pytest.mark.slow
@pytest.mark.parametrize("field", ["siblings", "nextSiblings", "previousSiblings"])
def test_sibling_lists(gql, article_factory, field):
    query = "query($s: String) { article(slug: $s) { LIST(limit: 100) { FIELDS } } }"
    query = query.replace("LIST", field).replace("FIELDS", ARTICLE_FIELDS_IN_TREE)
    articles = [article_factory(slug="first", cover_image=small_image())]

    def count(n):
        while len(articles) < n + 1:
            articles.append(article_factory(cover_image=small_image()))
        # The first article is before all others in the tree; the newest after all others.
        slug = articles[0].slug if field == "nextSiblings" else articles[-1].slug
        data, queries = cold_count(gql, query, {"s": slug})
        assert len(data["article"][field]) == n
        return queries

    assert count(10) == count(50)


@pytest.mark.slow
@pytest.mark.parametrize("field", ["children", "descendants"])
def test_tree_lists_of_articles_with_their_relations(gql, index, article_factory, field):
    query = '{ page(urlPath: "/articles/") { LIST(limit: 100) { FIELDS } } }'
    query = query.replace("LIST", field).replace("FIELDS", ARTICLE_FIELDS_IN_TREE)

    def add(n):
        for _ in range(n):
            article = article_factory(cover_image=small_image())
            article.categories.add(ArticleCategoryFactory())
            article.tags.add("托育")
            article.save()
            ArticleSourceFactory(page=article)

    add(10)
    few, ten = cold_count(gql, query)
    add(40)
    many, fifty = cold_count(gql, query)
    assert len(few["page"][field]) == 10
    pages = many["page"][field]
    assert len(pages) == 50
    assert all(p["cover"]["rendition"]["url"] and p["categories"] for p in pages)
    assert ten == fifty


# --- Lists inside an article body ---------------------------------------------------------

BODY = """query($s: String) { article(slug: $s) { body { blockType
  ... on CallToActionBlock { callToAction { heading target { kind url page { title url } } } }
  ... on KeyFiguresBlock { figures { label value } }
  ... on FigureBlock { image { alt rendition(filter: "fill-320x180") { url } } }
  ... on MediaEmbedBlock { url embedHtml title caption } } } }"""


@pytest.mark.slow
def test_calls_to_action_in_a_body(gql, home, article_factory):
    BookingFormPageFactory(parent=home)
    targets = [article_factory() for _ in range(50)]
    ctas = []
    for n, target in enumerate(targets):
        kind = ("page", "url", "booking_form")[n % 3]
        ctas.append(
            CallToActionFactory(
                target_kind=kind,
                target_page=target if kind == "page" else None,
                target_url="https://e.cn/" if kind == "url" else "",
            )
        )

    def body(items):
        return story(
            *({"type": "call_to_action", "value": {"call_to_action": c.pk}} for c in items)
        )

    article_factory(slug="ten", body=body(ctas[:10]))
    article_factory(slug="fifty", body=body(ctas))
    few, ten = cold_count(gql, BODY, {"s": "ten"})
    many, fifty = cold_count(gql, BODY, {"s": "fifty"})
    assert len(few["article"]["body"]) == 10
    blocks = many["article"]["body"]
    assert len(blocks) == 50
    assert all(b["callToAction"]["target"]["url"] for b in blocks)
    assert ten == fifty


def test_key_figures_in_a_body(gql, article_factory):
    def body(n):
        figures = [{"label": f"指标{k}", "value": f"{k}个"} for k in range(n)]
        return story({"type": "key_figures", "value": {"heading": "数据", "figures": figures}})

    article_factory(slug="ten", body=body(10))
    article_factory(slug="fifty", body=body(50))
    few, ten = cold_count(gql, BODY, {"s": "ten"})
    many, fifty = cold_count(gql, BODY, {"s": "fifty"})
    assert len(few["article"]["body"][0]["figures"]) == 10
    assert len(many["article"]["body"][0]["figures"]) == 50
    assert ten == fifty


@pytest.mark.slow
def test_figures_in_a_body_on_a_cold_cache(gql, article_factory):
    images = [small_image() for _ in range(50)]

    def body(items):
        return story(
            *(
                {"type": "image", "value": {"image": i.pk, "caption": "", "alt_text": ""}}
                for i in items
            )
        )

    article_factory(slug="ten", body=body(images[:10]))
    article_factory(slug="fifty", body=body(images))
    few, ten = cold_count(gql, BODY, {"s": "ten"})
    many, fifty = cold_count(gql, BODY, {"s": "fifty"})
    assert (len(few["article"]["body"]), len(many["article"]["body"])) == (10, 50)
    assert all(b["image"]["rendition"]["url"] for b in many["article"]["body"])
    assert ten == fifty


def test_embeds_in_a_body(gql, article_factory):
    urls = [f"https://v.example.com/{n}" for n in range(50)]
    for url in urls:
        # Wagtail keeps fetched embeds in this table; the row stands in for the provider.
        Embed.objects.create(
            hash=get_embed_hash(url), url=url, type="video", html="<iframe></iframe>", title="视频"
        )

    def body(items):
        return story(*({"type": "embed", "value": {"embed": u, "caption": ""}} for u in items))

    article_factory(slug="ten", body=body(urls[:10]))
    article_factory(slug="fifty", body=body(urls))
    few, ten = cold_count(gql, BODY, {"s": "ten"})
    many, fifty = cold_count(gql, BODY, {"s": "fifty"})
    assert (len(few["article"]["body"]), len(many["article"]["body"])) == (10, 50)
    assert all(b["embedHtml"] and b["title"] == "视频" for b in many["article"]["body"])
    assert ten == fifty

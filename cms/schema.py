"""The GraphQL schema clients are served: every root query and mutation, listed here.

This is the one place the API's root is assembled (settings point GRAPHENE["SCHEMA"] at
``schema``). Grapple's own root queries (pages, images, documents, snippets, settings,
search ...) are never used: each applies its own idea of what is public and several leak
(drafts through foreign keys, images in private collections). Every query listed here goes
through ``cms.core.visibility``.

Grapple still makes the types: one per page, snippet, setting and block registered from
the apps in GRAPPLE["APPS"]. Before the schema is built, those types are trimmed to what
clients may read, and the media rule is put on every image and document field.
"""

import graphene
from graphene.utils.str_converters import to_camel_case
from grapple.registry import registry
from grapple.settings import grapple_settings
from grapple.types.pages import Page as BasePageType
from wagtail.models import Page as WagtailPage

from articles.schema import ArticleQuery
from cms.api.blocks import story_block_types
from cms.api.media_rule import guard_schema
from cms.api.pages import PageInterface, PageQuery
from cms.leads.models import Lead
from cms.leads.schema import BookingFormQuery, LeadMutations
from cms.publishing.schema import RedirectQuery
from cms.search.schema import SearchQuery
from home.schema import SiteChromeQuery

# In the order clients see them in schema.graphql.
ROOT_QUERIES = (
    RedirectQuery,  # redirect
    BookingFormQuery,  # bookingForm
    ArticleQuery,  # article, articles, articleCategories
    SiteChromeQuery,  # siteChrome, serviceAreas
    SearchQuery,  # search, searchSuggestions
    PageQuery,  # page
)
ROOT_MUTATIONS = (
    LeadMutations,  # submitBookingForm
)


def _declared_fields(model) -> set[str]:
    names = set()
    for field in getattr(model, "graphql_fields", ()):
        field = field() if callable(field) else field
        names.add(field.field_name)
    return names


def _restrict_page_types_to_declared_fields():
    """Keep on each page type only the interface's fields and the model's ``graphql_fields``.

    Grapple leaves every column of Wagtail's Page model on each page type, among them
    ``draftTitle``, ``hasUnpublishedChanges``, ``latestRevisionCreatedAt``, ``lockedAt``
    and ``aliasOf`` (a page reached without any visibility check). None is for clients.
    """
    allowed_base = set(PageInterface._meta.fields) | {"id"}
    for model, node in registry.pages.items():
        declared = _declared_fields(model)
        allowed = allowed_base | declared | {to_camel_case(name) for name in declared}
        for name in list(node._meta.fields):
            if name not in allowed and to_camel_case(name) not in allowed:
                del node._meta.fields[name]


def _restrict_stream_blocks_to_stories():
    """Keep only the block types a story can hold.

    Grapple registers a type for each of Wagtail's own blocks (``RawHTMLBlock``,
    ``CharBlock``, ``StreamBlock`` ...); all implement ``StreamFieldInterface``, so typed
    clients saw a body of 35 possible types where seven can occur.
    """
    kept = story_block_types()
    for block, node in list(registry.streamfield_blocks.items()):
        if block not in kept:
            del registry.streamfield_blocks[block]
        else:
            # Grapple's ``blocks`` lists a structure's children as generic blocks, types no
            # longer served (resolving one would fail); each story block has typed fields.
            node._meta.fields.pop("blocks", None)


def _build() -> graphene.Schema:
    # Grapple's base Page type answers for a page whose model has no type of its own (the
    # tree's root); grapple registers it only with its own root queries, unused here.
    registry.pages[WagtailPage] = BasePageType
    _restrict_page_types_to_declared_fields()
    _restrict_stream_blocks_to_stories()
    # Leads are personal data: no type, so no query can ever return one.
    registry.django_models.pop(Lead, None)

    # Graphene lists the fields of the last base first: the bases go in reverse.
    query = type("Query", (*reversed(ROOT_QUERIES), graphene.ObjectType), {})
    mutation = type("Mutation", (*reversed(ROOT_MUTATIONS), graphene.ObjectType), {})
    built = graphene.Schema(
        query=query,
        mutation=mutation,
        types=list(registry.models.values()),
        auto_camelcase=grapple_settings.AUTO_CAMELCASE,
    )
    guard_schema(built.graphql_schema)
    return built


schema = _build()

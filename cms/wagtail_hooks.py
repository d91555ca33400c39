from graphene import ObjectType
from grapple.registry import registry
from wagtail import hooks


def _declared_fields(model) -> set[str]:
    names = set()
    for field in getattr(model, "graphql_fields", ()):
        field = field() if callable(field) else field
        names.add(field.field_name)
    return names


def restrict_page_types_to_declared_fields():
    """Keep on each page type only the interface's fields and the model's ``graphql_fields``.

    Grapple leaves every column of Wagtail's Page model on each page type, among them
    ``draftTitle``, ``hasUnpublishedChanges``, ``latestRevisionCreatedAt``, ``lockedAt``
    and ``aliasOf`` (a page reached without any visibility check). None is for clients.
    """
    from graphene.utils.str_converters import to_camel_case

    from cms.api.pages import PageInterface

    allowed_base = set(PageInterface._meta.fields) | {"id"}
    for model, node in registry.pages.items():
        allowed = allowed_base | {to_camel_case(name) for name in _declared_fields(model)}
        allowed |= _declared_fields(model)
        for name in list(node._meta.fields):
            if name not in allowed and to_camel_case(name) not in allowed:
                del node._meta.fields[name]


def restrict_stream_blocks_to_stories():
    """Keep in the schema only the block types a story can hold.

    Grapple registers a type for each of Wagtail's own blocks (``RawHTMLBlock``,
    ``CharBlock``, ``StreamBlock`` ...); all implement ``StreamFieldInterface``, so typed
    clients saw a body of 35 possible types where seven can occur. A block type absent
    here is a block no served StreamField holds.
    """
    from cms.blocks import story_block_types

    kept = story_block_types()
    for block, node in list(registry.streamfield_blocks.items()):
        if block not in kept:
            del registry.streamfield_blocks[block]
        else:
            # Grapple's ``blocks`` lists a structure's children as generic blocks, types no
            # longer served (resolving one would fail); each story block has typed fields.
            node._meta.fields.pop("blocks", None)


@hooks.register("register_schema_query", order=100)
def expose_only_vetted_root_queries(query_mixins):
    """Replace grapple's default root queries with this project's own.

    Grapple's defaults (pages, images, documents, snippets, settings, search, ...)
    each apply their own idea of what is public; several leak (drafts through
    foreign keys, images in private collections, free-form ordering). The schema
    keeps only queries that go through ``cms.visibility``.
    """
    from cms.api.pages import PageQuery

    restrict_page_types_to_declared_fields()
    restrict_stream_blocks_to_stories()
    query_mixins[:] = [
        mixin
        for mixin in query_mixins
        if mixin is not ObjectType and not mixin.__module__.startswith("grapple.")
    ]
    query_mixins.insert(0, PageQuery)
    query_mixins.append(ObjectType)

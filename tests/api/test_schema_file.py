"""schema.graphql is the committed contract with front ends; it must match the code."""

from pathlib import Path

from graphql import print_schema

from cms.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_committed_schema_matches_the_code():
    printed = print_schema(schema.graphql_schema).strip()
    committed = SCHEMA_FILE.read_text(encoding="utf-8").strip()
    assert committed == printed, "schema.graphql is stale: run `make schema` and commit it"


def test_every_story_block_has_its_own_graphql_type_with_declared_fields():
    from grapple.registry import registry

    from cms.api.blocks import StoryBlock

    graphql_schema = schema.graphql_schema
    for name, block in StoryBlock().child_blocks.items():
        node = registry.streamfield_blocks[type(block)]
        graphql_type = graphql_schema.get_type(node._meta.name)
        assert graphql_type is not None, name
        declared = {
            field.field_name for field in (f() if callable(f) else f for f in block.graphql_fields)
        }
        # The type the schema holds under this name is ours, not a library block's namesake.
        from graphene.utils.str_converters import to_camel_case

        assert {to_camel_case(n) for n in declared} <= set(graphql_type.fields), name


def test_a_body_lists_exactly_the_block_types_a_story_can_hold():
    """Typed clients (GraphQL Code Generator) get one union member per possible type:
    grapple's generic blocks (RawHTMLBlock, CharBlock ...) can never occur in a body."""
    from graphql import get_named_type, is_abstract_type
    from grapple.registry import registry

    from cms.api.blocks import story_block_types

    graphql_schema = schema.graphql_schema
    body = graphql_schema.get_type("ArticlePage").fields["body"]
    blocks = get_named_type(body.type)
    story = {registry.streamfield_blocks[block]._meta.name for block in story_block_types()}
    assert len(story) == len(story_block_types()) > 0
    assert {t.name for t in graphql_schema.get_possible_types(blocks)} == story
    # No other abstract type of the schema offers a block type beyond the story's.
    block_types = {
        name for name, t in graphql_schema.type_map.items() if name.endswith("Block")
    } - {"KeyFigureBlock"}  # a figure of KeyFiguresBlock: a plain type, not a body block
    for name, abstract in graphql_schema.type_map.items():
        if is_abstract_type(abstract) and not name.startswith("__"):
            offered = {t.name for t in graphql_schema.get_possible_types(abstract)}
            assert offered & block_types <= story, name
    assert block_types == story

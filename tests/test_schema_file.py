"""schema.graphql is the committed contract with front ends; it must match the code."""

from pathlib import Path

from graphql import print_schema
from grapple.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_committed_schema_matches_the_code():
    printed = print_schema(schema.graphql_schema).strip()
    committed = SCHEMA_FILE.read_text(encoding="utf-8").strip()
    assert committed == printed, "schema.graphql is stale: run `make schema` and commit it"


def test_every_story_block_has_its_own_graphql_type_with_declared_fields():
    from grapple.registry import registry

    from cms.blocks import StoryBlock

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

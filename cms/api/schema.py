"""The schema clients are served: grapple's, with the media rule on every image field.

Grapple builds its schema at import and offers no hook after that, so the rule is put on
here, once, and settings point GRAPHENE["SCHEMA"] at this module.
"""

from grapple.schema import schema

from cms.api.media_rule import guard_schema

guard_schema(schema.graphql_schema)

__all__ = ["schema"]

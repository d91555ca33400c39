"""The HTTP door of /graphql/: what a request may be, how it is answered and kept.

Content apps never import this package; what resolvers need from it (``never_cache``,
the generation bump) lives in ``cms.api.cache_invalidation``.
"""

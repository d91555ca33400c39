"""Wagtail's database search backends, taught to segment Chinese.

Configure with ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search.backends"}}``.
Like ``wagtail.search.backends.database`` this picks SQLite FTS5 or PostgreSQL by the
default database; the only differences are that indexed text and queries go through
``cms.search.segmentation``. Application code calls Wagtail's search API as usual, so an
Elasticsearch/OpenSearch backend with a Chinese analyzer can replace this one in settings.

The stock index classes create their indexers inside ``add_items``; ``SegmentingIndex``
has modelsearch 1.x's ``add_items`` with the segmenting indexer put in, and the rest of
each database's in its ``write_entries`` (sqlite.py, postgres.py).
Each database's module is imported only on that database (modelsearch's SQLite module
needs the FTS model, which exists only on SQLite).

``autocomplete()`` is what Wagtail's admin calls behind every search box (the page
explorer and search, the page chooser, image, document and snippet listings and
choosers). Stock, it matches the start of titles only, so an editor looking for a word
of an article's body (杜希学, 百城万圈) finds nothing. Here it is the full-text search
the API uses, on titles and bodies, with the last word also matching as a prefix (the
editor may still be typing it). The API's title suggestions call ``title_autocomplete()``,
the stock title-prefix match.
"""

from collections.abc import Callable
from typing import NamedTuple

from django.db import NotSupportedError, connection
from modelsearch.index import RelatedFields
from modelsearch.query import PlainText
from modelsearch.utils import get_content_type_pk

from cms.search.segmentation import QueryTerm, segmenter

# Matches nothing: index text holds only letters, digits and ideographs, never this.
_NOTHING = "\ue000"


def query_operator(query) -> str:
    if isinstance(query, PlainText) and query.operator.lower() == "or":
        return "or"
    return "and"  # a phrase: every word, as Wagtail's own backends do on PostgreSQL


def query_terms(query) -> list[QueryTerm]:
    return segmenter().query_terms(query.query_string)


class _Syntax(NamedTuple):
    word: str  # format of a word
    prefix: str  # format of a word matched as a prefix
    either: str  # format of "this or that"
    phrase: Callable[[list[str]], str]  # characters standing together


_FTS5 = _Syntax('"{}"', '"{}"*', "({} OR {})", lambda chars: f'"{" ".join(chars)}"')
_TSQUERY = _Syntax(
    "'{}'", "'{}':*", "({} | {})", lambda chars: " <-> ".join(f"'{c}'" for c in chars)
)


def _term_parts(terms, prefix_last, prefix_keeps_chars, syntax: _Syntax) -> list[str]:
    """Each term as its word, or its word or its characters in a row."""
    parts = []
    for position, term in enumerate(terms):
        last = prefix_last and position == len(terms) - 1
        part = (syntax.prefix if last else syntax.word).format(term.word)
        if term.chars and (prefix_keeps_chars or not last):
            part = syntax.either.format(part, syntax.phrase(term.chars))
        parts.append(part)
    return parts


def fts5_expression(
    terms: list[QueryTerm], operator: str, prefix_last: bool, prefix_keeps_chars: bool = False
) -> str:
    parts = _term_parts(terms, prefix_last, prefix_keeps_chars, _FTS5)
    return "(" + f" {operator.upper()} ".join(parts or [f'"{_NOTHING}"']) + ")"


def tsquery_expression(
    terms: list[QueryTerm], operator: str, prefix_last: bool, prefix_keeps_chars: bool = False
) -> str:
    parts = _term_parts(terms, prefix_last, prefix_keeps_chars, _TSQUERY)
    if not parts:
        return f"'{_NOTHING}'"
    return "(" + (" & " if operator == "and" else " | ").join(parts) + ")"


class SegmentedQueries:
    """Query compiler mixin: a plain-text or phrase query as one database expression."""

    LAST_TERM_KEEPS_CHARS = False

    def term_expression(self, query, expression) -> str:
        """``expression`` is fts5_expression or tsquery_expression."""
        return expression(
            query_terms(query),
            query_operator(query),
            prefix_last=self.LAST_TERM_IS_PREFIX,
            prefix_keeps_chars=self.LAST_TERM_KEEPS_CHARS,
        )


class AdminQueries:
    """Query compiler mixin: titles and bodies, the last word also as a prefix (the admin's
    search boxes)."""

    LAST_TERM_IS_PREFIX = True
    LAST_TERM_KEEPS_CHARS = True


class SegmentingFields:
    """Mixin for the indexers: each searchable value is indexed as segmented text."""

    def __init__(self, obj, backend, segmenter):
        super().__init__(obj, backend)
        self.segmenter = segmenter

    def prepare_field(self, obj, field):
        if isinstance(field, RelatedFields):
            yield from super().prepare_field(obj, field)  # recurses into prepare_field
            return
        for *head, value in super().prepare_field(obj, field):
            yield (*head, self.segmenter.index_text(value))


class MatchingIds:
    """Results mixin: the matches as a subquery of their ids.

    The site search narrows the matches by visibility, site and filters, and ranks them
    itself (cms/search/query.py). As a subquery the database does that in one statement;
    listing the results instead loaded every match as a page, and sent their ids back
    as thousands of parameters.
    """

    def id_subquery(self):
        return self.get_queryset().values("pk")


class SegmentingIndex:
    """Mixin for the index classes: ``add_items`` as modelsearch's, but with indexers of
    ``indexer_class`` sharing one segmenter (the dictionary current for the whole batch);
    each database writes the entries in ``write_entries``."""

    indexer_class: type

    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        current = segmenter()
        indexers = [self.indexer_class(obj, self.backend, current) for obj in objs]
        if not indexers:
            return
        self.write_entries(get_content_type_pk(model), indexers)
        self._refresh_title_norms()

    def write_entries(self, content_type_pk, indexers):
        raise NotImplementedError


def _in_front(mixin: type, compiler: type, prefix: str) -> type:
    return type(prefix + compiler.__name__, (mixin, compiler), {"__module__": mixin.__module__})


class SegmentedSearch:
    """Backend mixin: the stock backend's query compilers with the database's ``queries``
    (its ``SegmentedQueries``) put in front, and the admin's ``autocomplete()`` searching
    titles and bodies (see above) with ``AdminQueries`` in front of those; its results
    answer ``id_subquery()`` (``MatchingIds``)."""

    queries: type

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        search, autocomplete = cls.query_compiler_class, cls.autocomplete_query_compiler_class
        cls.query_compiler_class = _in_front(cls.queries, search, "Chinese")
        cls.autocomplete_query_compiler_class = _in_front(cls.queries, autocomplete, "Chinese")
        cls.admin_query_compiler_class = _in_front(AdminQueries, cls.query_compiler_class, "Admin")
        cls.results_class = _in_front(MatchingIds, cls.results_class, "Chinese")

    def autocomplete(
        self, query, model_or_queryset, fields=None, operator=None, order_by_relevance=True
    ):
        return self._search(
            self.admin_query_compiler_class,
            query,
            model_or_queryset,
            fields=fields,
            operator=operator,
            order_by_relevance=order_by_relevance,
        )

    def title_autocomplete(
        self, query, model_or_queryset, fields=None, operator=None, order_by_relevance=True
    ):
        return super().autocomplete(
            query,
            model_or_queryset,
            fields=fields,
            operator=operator,
            order_by_relevance=order_by_relevance,
        )


def SearchBackend(params):
    """The Chinese-aware backend for the default database, like Wagtail's ``database``."""
    if connection.vendor == "postgresql":
        from cms.search.backends.postgres import ChinesePostgresSearchBackend

        return ChinesePostgresSearchBackend(params)
    if connection.vendor == "sqlite":
        from cms.search.backends.sqlite import ChineseSQLiteSearchBackend

        return ChineseSQLiteSearchBackend(params)
    raise NotSupportedError(
        "cms.search.backends supports SQLite (with FTS5) and PostgreSQL; "
        "use Elasticsearch or OpenSearch with a Chinese analyzer elsewhere."
    )

"""Wagtail's database search backends, taught to segment Chinese.

Configure with ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search.backends"}}``.
Like ``wagtail.search.backends.database`` this picks SQLite FTS5 or PostgreSQL by the
default database; the only differences are that indexed text and queries go through
``cms.search.segmentation``. Application code calls Wagtail's search API as usual, so an
Elasticsearch/OpenSearch backend with a Chinese analyzer can replace this one in settings.

The stock index classes create their indexers inside ``add_items``; the two methods
below are those of modelsearch 1.x with the segmenting indexer put in.
"""

from django.contrib.postgres.search import SearchQuery
from django.db import NotSupportedError, connection
from django.db.models import Value
from modelsearch.backends.database.postgres import postgres
from modelsearch.backends.database.sqlite import sqlite
from modelsearch.backends.database.sqlite.query import (
    LexemeCombinable as SqliteLexemeCombinable,
)
from modelsearch.backends.database.sqlite.query import (
    SearchQueryExpression,
    SearchQueryField,
)
from modelsearch.index import RelatedFields
from modelsearch.query import Phrase, PlainText
from modelsearch.utils import get_content_type_pk

from cms.search.segmentation import QueryTerm, segmenter

# Matches nothing: index text holds only letters, digits and ideographs, never this.
_NOTHING = "\ue000"


def _operator(query) -> str:
    if isinstance(query, PlainText) and query.operator.lower() == "or":
        return "or"
    return "and"  # a phrase: every word, as Wagtail's own backends do on PostgreSQL


def _terms(query) -> list[QueryTerm]:
    return segmenter().query_terms(query.query_string)


def fts5_expression(terms: list[QueryTerm], operator: str, prefix_last: bool) -> str:
    parts = []
    for position, term in enumerate(terms):
        if prefix_last and position == len(terms) - 1:
            parts.append(f'"{term.word}"*')
        elif term.chars:
            parts.append(f'("{term.word}" OR "{" ".join(term.chars)}")')
        else:
            parts.append(f'"{term.word}"')
    return "(" + f" {operator.upper()} ".join(parts or [f'"{_NOTHING}"']) + ")"


def tsquery_expression(terms: list[QueryTerm], operator: str, prefix_last: bool) -> str:
    parts = []
    for position, term in enumerate(terms):
        if prefix_last and position == len(terms) - 1:
            parts.append(f"'{term.word}':*")
        elif term.chars:
            phrase = " <-> ".join(f"'{ch}'" for ch in term.chars)
            parts.append(f"('{term.word}' | {phrase})")
        else:
            parts.append(f"'{term.word}'")
    if not parts:
        return "'\ue000'"
    return "(" + (" & " if operator == "and" else " | ").join(parts) + ")"


class _SegmentingFields:
    """Mixin for the indexers: each searchable value is indexed as segmented text."""

    def prepare_field(self, obj, field):
        if isinstance(field, RelatedFields):
            yield from super().prepare_field(obj, field)  # recurses into prepare_field
            return
        for *head, value in super().prepare_field(obj, field):
            yield (*head, self.segmenter.index_text(value))


# SQLite FTS5


class SegmentingSQLiteIndexer(_SegmentingFields, sqlite.ObjectIndexer):
    def __init__(self, obj, backend, segmenter):
        super().__init__(obj, backend)
        self.segmenter = segmenter


class RawFTS5(SqliteLexemeCombinable, Value):
    _output_field = SearchQueryField()

    def as_sql(self, compiler, connection):
        return "%s", [self.value]


class ChineseSQLiteIndex(sqlite.SQLiteIndex):
    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        current = segmenter()
        indexers = [SegmentingSQLiteIndexer(obj, self.backend, current) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        data = {ix.id: (ix.title, ix.autocomplete, ix.body) for ix in indexers}
        entries = self.entries.filter(content_type_id=content_type_pk)
        indexed = set(entries.filter(object_id__in=data).values_list("object_id", flat=True))
        for object_id in indexed:
            title, autocomplete, body = data[object_id]
            entries.filter(object_id=object_id).update(
                title=title, autocomplete=autocomplete, body=body
            )
        self.entries.bulk_create(
            [
                sqlite.IndexEntry(
                    content_type_id=content_type_pk,
                    object_id=object_id,
                    title=title,
                    autocomplete=autocomplete,
                    body=body,
                )
                for object_id, (title, autocomplete, body) in data.items()
                if object_id not in indexed
            ]
        )
        self._refresh_title_norms()


class _SQLiteQueries:
    def build_search_query_content(self, query, config=None):
        if isinstance(query, PlainText | Phrase):
            expression = fts5_expression(
                _terms(query), _operator(query), prefix_last=self.LAST_TERM_IS_PREFIX
            )
            return SearchQueryExpression(RawFTS5(expression))
        return super().build_search_query_content(query, config=config)


class ChineseSQLiteQueryCompiler(_SQLiteQueries, sqlite.SQLiteSearchQueryCompiler):
    pass


class ChineseSQLiteAutocompleteQueryCompiler(
    _SQLiteQueries, sqlite.SQLiteAutocompleteQueryCompiler
):
    pass


class ChineseSQLiteSearchBackend(sqlite.SQLiteSearchBackend):
    index_class = ChineseSQLiteIndex
    query_compiler_class = ChineseSQLiteQueryCompiler
    autocomplete_query_compiler_class = ChineseSQLiteAutocompleteQueryCompiler


# PostgreSQL


class SegmentingPostgresIndexer(_SegmentingFields, postgres.ObjectIndexer):
    def __init__(self, obj, backend, segmenter):
        super().__init__(obj, backend)
        self.segmenter = segmenter


class ChinesePostgresIndex(postgres.PostgresIndex):
    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        current = segmenter()
        indexers = [SegmentingPostgresIndexer(obj, self.backend, current) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        compiler = postgres.InsertQuery(postgres.IndexEntry).get_compiler(
            connection=self.write_connection
        )
        rows_sql = []
        params = []
        for indexer in indexers:
            params.extend((content_type_pk, indexer.id))
            vectors_sql = []
            for name in ("title", "autocomplete", "body"):
                value = compiler.prepare_value(
                    postgres.IndexEntry._meta.get_field(name), getattr(indexer, name)
                )
                sql, value_params = value.as_sql(compiler, self.write_connection)
                vectors_sql.append(sql)
                params.extend(value_params)
            params.extend((indexer.title_text, indexer.body_text))
            rows_sql.append(f"(%s, %s, {', '.join(vectors_sql)}, 1.0, %s, %s)")
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {postgres.IndexEntry._meta.db_table} (content_type_id, object_id,
                    title, autocomplete, body, title_norm, title_text, body_text)
                (VALUES {", ".join(rows_sql)})
                ON CONFLICT (content_type_id, object_id)
                DO UPDATE SET title = EXCLUDED.title,
                              title_norm = 1.0,
                              autocomplete = EXCLUDED.autocomplete,
                              body = EXCLUDED.body,
                              title_text = EXCLUDED.title_text,
                              body_text = EXCLUDED.body_text
                """,
                params,
            )
        self._refresh_title_norms()


class _PostgresQueries:
    def build_tsquery_content(self, query, config=None, invert=False):
        if isinstance(query, PlainText | Phrase):
            expression = tsquery_expression(
                _terms(query), _operator(query), prefix_last=self.LAST_TERM_IS_PREFIX
            )
            if invert:
                expression = f"!{expression}"
            return SearchQuery(expression, search_type="raw", config=config)
        return super().build_tsquery_content(query, config=config, invert=invert)


class ChinesePostgresQueryCompiler(_PostgresQueries, postgres.PostgresSearchQueryCompiler):
    pass


class ChinesePostgresAutocompleteQueryCompiler(
    _PostgresQueries, postgres.PostgresAutocompleteQueryCompiler
):
    pass


class ChinesePostgresSearchBackend(postgres.PostgresSearchBackend):
    index_class = ChinesePostgresIndex
    query_compiler_class = ChinesePostgresQueryCompiler
    autocomplete_query_compiler_class = ChinesePostgresAutocompleteQueryCompiler

    def __init__(self, params):
        # Tokens are already words; "simple" keeps them as they are (no English stemming).
        super().__init__({"SEARCH_CONFIG": "simple", **params})


def SearchBackend(params):
    """The Chinese-aware backend for the default database, like Wagtail's ``database``."""
    if connection.vendor == "postgresql":
        return ChinesePostgresSearchBackend(params)
    if connection.vendor == "sqlite":
        return ChineseSQLiteSearchBackend(params)
    raise NotSupportedError(
        "cms.search.backends supports SQLite (with FTS5) and PostgreSQL; "
        "use Elasticsearch or OpenSearch with a Chinese analyzer elsewhere."
    )

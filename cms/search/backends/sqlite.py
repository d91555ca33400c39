"""SQLite FTS5: Wagtail's backend with segmented index text and queries."""

from django.db.models import Value
from modelsearch.backends.database.sqlite import sqlite
from modelsearch.backends.database.sqlite.query import (
    LexemeCombinable,
    SearchQueryExpression,
    SearchQueryField,
)
from modelsearch.query import Phrase, PlainText

from cms.search.backends import (
    SegmentedQueries,
    SegmentedSearch,
    SegmentingFields,
    SegmentingIndex,
    fts5_expression,
)


class SegmentingSQLiteIndexer(SegmentingFields, sqlite.ObjectIndexer):
    pass


class RawFTS5(LexemeCombinable, Value):
    _output_field = SearchQueryField()

    def as_sql(self, compiler, connection):
        return "%s", [self.value]


class ChineseSQLiteIndex(SegmentingIndex, sqlite.SQLiteIndex):
    indexer_class = SegmentingSQLiteIndexer

    def write_entries(self, content_type_pk, indexers):
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


class _SQLiteQueries(SegmentedQueries):
    def build_search_query_content(self, query, config=None):
        if isinstance(query, PlainText | Phrase):
            expression = self.term_expression(query, fts5_expression)
            return SearchQueryExpression(RawFTS5(expression))
        return super().build_search_query_content(query, config=config)


class ChineseSQLiteSearchBackend(SegmentedSearch, sqlite.SQLiteSearchBackend):
    index_class = ChineseSQLiteIndex
    queries = _SQLiteQueries

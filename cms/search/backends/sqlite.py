"""SQLite FTS5: Wagtail's backend with segmented index text and queries."""

from django.db.models import Value
from modelsearch.backends.database.sqlite import sqlite
from modelsearch.backends.database.sqlite.query import (
    LexemeCombinable,
    SearchQueryExpression,
    SearchQueryField,
)
from modelsearch.query import Phrase, PlainText
from modelsearch.utils import get_content_type_pk

from cms.search.backends import (
    AdminQueries,
    AdminSearch,
    MatchingIds,
    SegmentedQueries,
    SegmentingFields,
    fts5_expression,
)
from cms.search.segmentation import segmenter


class SegmentingSQLiteIndexer(SegmentingFields, sqlite.ObjectIndexer):
    def __init__(self, obj, backend, segmenter):
        super().__init__(obj, backend)
        self.segmenter = segmenter


class RawFTS5(LexemeCombinable, Value):
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


class _SQLiteQueries(SegmentedQueries):
    def build_search_query_content(self, query, config=None):
        if isinstance(query, PlainText | Phrase):
            expression = self.term_expression(query, fts5_expression)
            return SearchQueryExpression(RawFTS5(expression))
        return super().build_search_query_content(query, config=config)


class ChineseSQLiteQueryCompiler(_SQLiteQueries, sqlite.SQLiteSearchQueryCompiler):
    pass


class ChineseSQLiteAutocompleteQueryCompiler(
    _SQLiteQueries, sqlite.SQLiteAutocompleteQueryCompiler
):
    pass


class ChineseSQLiteAdminQueryCompiler(AdminQueries, ChineseSQLiteQueryCompiler):
    pass


class ChineseSQLiteSearchResults(MatchingIds, sqlite.SQLiteSearchResults):
    pass


class ChineseSQLiteSearchBackend(AdminSearch, sqlite.SQLiteSearchBackend):
    results_class = ChineseSQLiteSearchResults
    index_class = ChineseSQLiteIndex
    query_compiler_class = ChineseSQLiteQueryCompiler
    autocomplete_query_compiler_class = ChineseSQLiteAutocompleteQueryCompiler
    admin_query_compiler_class = ChineseSQLiteAdminQueryCompiler

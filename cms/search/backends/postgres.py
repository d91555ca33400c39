"""PostgreSQL: Wagtail's backend with segmented index text and queries."""

from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery
from django.db.models import BigIntegerField, F, Q
from django.db.models.functions import Cast
from modelsearch.backends.database.postgres import postgres
from modelsearch.query import Phrase, PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from cms.search.backends import (
    AdminQueries,
    AdminSearch,
    MatchingIds,
    SegmentedQueries,
    SegmentingFields,
    tsquery_expression,
)
from cms.search.segmentation import segmenter


class SegmentingPostgresIndexer(SegmentingFields, postgres.ObjectIndexer):
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


class _PostgresQueries(SegmentedQueries):
    def build_tsquery_content(self, query, config=None, invert=False):
        if isinstance(query, PlainText | Phrase):
            expression = self.term_expression(query, tsquery_expression)
            if invert:
                expression = f"!{expression}"
            return SearchQuery(expression, search_type="raw", config=config)
        return super().build_tsquery_content(query, config=config, invert=invert)

    def search(self, config, start, stop, score_field=None, backend=None):
        """Match each indexed column on its own, so PostgreSQL can use their GIN indexes.

        The stock compiler matches ``title || body``, a value no index holds: every
        entry is read, which took seconds at 10,000 articles for a character-sequence
        match. For plain words and phrases the two are equivalent; anything else
        (negations, fuzzy, ``fields=``) keeps the stock path.
        """
        if not isinstance(self.query, PlainText | Phrase):
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        search_query = self.build_tsquery(self.query, config=config)
        vectors = self.get_search_vectors(search_query)
        if not all(isinstance(vector, F) for vector, _boost in vectors):
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        if not self.order_by_relevance and score_field is None and _integer_pk(self.queryset):
            # Unranked: a semi-join on the matching entries' ids. Joining Page to the
            # entries (object_id is text) made PostgreSQL compare every pair: 1.4 s at 10k.
            entry_match = reduce(
                or_,
                (
                    Q(**{vector.name.removeprefix("index_entries__"): search_query})
                    for vector, _boost in vectors
                ),
            )
            entries = postgres.IndexEntry.objects.filter(
                entry_match,
                content_type_id__in=get_descendants_content_types_pks(self.queryset.model),
            ).values(object_pk=Cast("object_id", BigIntegerField()))
            return self.queryset.filter(pk__in=entries).order_by("-pk")[start:stop]
        match = reduce(or_, (Q(**{vector.name: search_query}) for vector, _boost in vectors))
        return self._apply_ordering_and_scoring(
            self.queryset.filter(match),
            self._build_rank_expression(vectors, config),
            start,
            stop,
            score_field,
        )


def _integer_pk(queryset) -> bool:
    pk = queryset.model._meta.pk
    while pk.is_relation:
        pk = pk.target_field
    return pk.get_internal_type() in {
        "AutoField",
        "BigAutoField",
        "IntegerField",
        "BigIntegerField",
    }


class ChinesePostgresQueryCompiler(_PostgresQueries, postgres.PostgresSearchQueryCompiler):
    pass


class ChinesePostgresAutocompleteQueryCompiler(
    _PostgresQueries, postgres.PostgresAutocompleteQueryCompiler
):
    pass


class ChinesePostgresAdminQueryCompiler(AdminQueries, ChinesePostgresQueryCompiler):
    pass


class ChinesePostgresSearchResults(MatchingIds, postgres.PostgresSearchResults):
    pass


class ChinesePostgresSearchBackend(AdminSearch, postgres.PostgresSearchBackend):
    results_class = ChinesePostgresSearchResults
    index_class = ChinesePostgresIndex
    query_compiler_class = ChinesePostgresQueryCompiler
    autocomplete_query_compiler_class = ChinesePostgresAutocompleteQueryCompiler
    admin_query_compiler_class = ChinesePostgresAdminQueryCompiler

    def __init__(self, params):
        # Tokens are already words; "simple" keeps them as they are (no English stemming).
        super().__init__({"SEARCH_CONFIG": "simple", **params})

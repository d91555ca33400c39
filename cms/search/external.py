"""Settings for Wagtail's Elasticsearch/OpenSearch backends with a Chinese analyzer.

The search engine segments Chinese itself, with the IK plugin (analysis-ik: ik_max_word
when indexing, ik_smart when searching) or Elastic's smartcn plugin. Application code
is unchanged: it calls Wagtail's search API, whatever the backend.
"""

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "elasticsearch7": "wagtail.search.backends.elasticsearch7",
    "elasticsearch8": "wagtail.search.backends.elasticsearch8",
    "elasticsearch9": "wagtail.search.backends.elasticsearch9",
    "opensearch2": "wagtail.search.backends.opensearch2",
    "opensearch3": "wagtail.search.backends.opensearch3",
}

# (tokenizer for indexing, tokenizer for queries)
ANALYZERS = {
    "ik": ("ik_max_word", "ik_smart"),
    "smartcn": ("smartcn_tokenizer", "smartcn_tokenizer"),
}


def _analyzer(tokenizer: str) -> dict:
    return {"type": "custom", "tokenizer": tokenizer, "filter": ["lowercase"]}


def external_backend_settings(backend: str, *, urls: list[str], index: str, analyzer: str) -> dict:
    if backend not in BACKENDS:
        raise ImproperlyConfigured(
            f"SEARCH_BACKEND must be 'database' or one of {', '.join(BACKENDS)}, not {backend!r}."
        )
    if analyzer not in ANALYZERS:
        raise ImproperlyConfigured(
            f"SEARCH_ANALYZER must be one of {', '.join(ANALYZERS)}, not {analyzer!r}."
        )
    index_tokenizer, search_tokenizer = ANALYZERS[analyzer]
    return {
        "BACKEND": BACKENDS[backend],
        "URLS": urls,
        "INDEX_PREFIX": f"{index}_",
        "TIMEOUT": 10,
        "INDEX_SETTINGS": {
            "settings": {
                "analysis": {
                    "analyzer": {
                        "default": _analyzer(index_tokenizer),
                        "default_search": _analyzer(search_tokenizer),
                        # Wagtail's autocomplete and partial-match analyzers, on words
                        # instead of the standard tokenizer's single Chinese characters.
                        "edgengram_analyzer": {
                            "type": "custom",
                            "tokenizer": index_tokenizer,
                            "filter": ["lowercase", "edgengram"],
                        },
                        "ngram_analyzer": {
                            "type": "custom",
                            "tokenizer": index_tokenizer,
                            "filter": ["lowercase", "ngram"],
                        },
                    }
                }
            }
        },
    }

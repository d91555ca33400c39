"""Segmentation rules and the search-engine settings for sites that outgrow the database."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.search.external import external_backend_settings
from cms.search.segmentation import Segmenter


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter()


def test_domain_terms_stay_whole(segmenter):
    words = [t.word for t in segmenter.query_terms("加快推进普惠托育服务体系建设,增加托位")]
    assert "普惠托育" in words and "托位" in words


def test_index_text_holds_words_their_parts_and_characters(segmenter):
    tokens = segmenter.index_text("普惠托育服务体系").split()
    assert {"普惠托育", "托育", "服务体系", "服务", "普", "惠"} <= set(tokens)


def test_numbers_letters_and_full_width_forms(segmenter):
    full_width = "\uff37agtail \uff11\uff15\uff10.\uff13万 12.5%"  # full-width W, 1, 5, 0, 3
    assert [t.word for t in segmenter.query_terms(full_width)] == [
        "wagtail",
        "150.3",
        "万",
        "12.5",
    ]


def test_punctuation_and_query_syntax_are_dropped(segmenter):
    assert segmenter.query_terms('!!!"*()、。') == []
    assert [t.word for t in segmenter.query_terms('"托育" OR 托位*')] == ["托育", "or", "托位"]


def test_unknown_and_long_words_may_match_as_characters(segmenter):
    (term,) = segmenter.query_terms("杜希学")
    assert (term.known, term.chars) == (False, ["杜", "希", "学"])
    (term,) = segmenter.query_terms("托育机构")
    assert (term.known, term.chars) == (True, ["托", "育", "机", "构"])
    (term,) = segmenter.query_terms("托育")
    assert term.chars == []


def test_a_long_word_cut_differently_in_the_text_is_still_indexed(segmenter):
    # 一刻钟便民生活圈 is one dictionary word; 便民生活圈 inside it is indexed as well.
    assert "便民生活圈" in segmenter.index_text("城市一刻钟便民生活圈建设").split()


@pytest.mark.slow
def test_dictionary_files_from_settings_are_loaded(settings, tmp_path):
    path = tmp_path / "extra.txt"
    path.write_text("育幼通\n", encoding="utf-8")
    assert "育幼通" not in [t.word for t in Segmenter().query_terms("使用育幼通办理")]
    settings.CMS_SEARCH_DICTIONARY_FILES = [str(path)]
    assert "育幼通" in [t.word for t in Segmenter().query_terms("使用育幼通办理")]


@pytest.mark.parametrize(
    ("analyzer", "index_tokenizer", "search_tokenizer"),
    [("ik", "ik_max_word", "ik_smart"), ("smartcn", "smartcn_tokenizer", "smartcn_tokenizer")],
)
def test_search_engine_settings_use_a_chinese_analyzer(analyzer, index_tokenizer, search_tokenizer):
    config = external_backend_settings(
        "opensearch2", urls=["http://search:9200"], index="cms", analyzer=analyzer
    )
    assert config["BACKEND"] == "wagtail.search.backends.opensearch2"
    analyzers = config["INDEX_SETTINGS"]["settings"]["analysis"]["analyzer"]
    assert analyzers["default"]["tokenizer"] == index_tokenizer
    assert analyzers["default_search"]["tokenizer"] == search_tokenizer
    assert analyzers["edgengram_analyzer"]["tokenizer"] == index_tokenizer


@pytest.mark.parametrize(("backend", "analyzer"), [("solr", "ik"), ("opensearch2", "standard")])
def test_unknown_search_engine_settings_are_refused(backend, analyzer):
    with pytest.raises(ImproperlyConfigured):
        external_backend_settings(backend, urls=[], index="cms", analyzer=analyzer)

"""Chinese word segmentation for the search index and for queries (jieba).

Indexed text becomes a space-separated list of tokens that every backend splits on
whitespace: jieba's search-mode words (普惠托育 also yields 托育) followed by the
text's Chinese characters one by one. Queries are cut in jieba's precise mode. A query
word jieba knows must match as a word; a word it does not know (a name such as 杜希学,
a new term) may also match as its characters in sequence, so a missing dictionary entry
costs some precision but never a hit.

The dictionary is jieba's own plus the domain terms in ``dictionary.txt``, the files in
``CMS_SEARCH_DICTIONARY_FILES`` and the ``SearchTerm`` snippets editors manage.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# Imported with the URLconf, before gunicorn forks: the workers share its pages (some 20 MB
# with the pkg_resources it loads), where an import on first use would give each worker that
# searches a copy of its own.
import jieba
from django.conf import settings

jieba.setLogLevel(logging.WARNING)

BUILTIN_DICTIONARY = Path(__file__).with_name("dictionary.txt")

# A decimal number stays whole (150.3); otherwise runs of letters, digits or ideographs.
_TOKEN = re.compile(r"\d+(?:\.\d+)+|[^\W_]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def normalize(text: str) -> str:
    """Full-width letters and digits become ASCII, everything lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def clean_tokens(word: str) -> list[str]:
    return _TOKEN.findall(word)


def is_cjk(text: str) -> bool:
    return bool(text) and all(_CJK.fullmatch(ch) for ch in text)


@dataclass(frozen=True)
class QueryTerm:
    word: str
    known: bool

    @property
    def chars(self) -> list[str]:
        """The characters this word may also match as, in sequence.

        A word jieba does not know, or a long one (which the indexed text may have cut
        differently: 托育机构 in 普惠托育机构 is 普惠托育 + 机构), matches wherever its
        characters stand together. Short known words match only as words, so 育儿 does not
        match 教育儿童.
        """
        if len(self.word) < 2 or not is_cjk(self.word):
            return []
        if self.known and len(self.word) < 3:
            return []
        return list(self.word)


class Segmenter:
    def __init__(self, extra_terms: list[str] | tuple[str, ...] = ()):
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        for path in [BUILTIN_DICTIONARY, *getattr(settings, "CMS_SEARCH_DICTIONARY_FILES", [])]:
            self.tokenizer.load_userdict(str(path))
        self.domain_terms = set(_dictionary_words(BUILTIN_DICTIONARY))
        for term in extra_terms:
            term = normalize(term).strip()
            if term:
                # Forces the term to be cut whole even where jieba would split it.
                self.tokenizer.add_word(term, freq=self.tokenizer.suggest_freq(term, tune=False))
                self.domain_terms.add(term)

    def words(self, text: str) -> list[str]:
        """Precise-mode words of ``text``, cleaned of punctuation (for highlighting)."""
        return [t for w in self.tokenizer.cut(normalize(text)) for t in clean_tokens(w)]

    def index_text(self, text: str) -> str:
        """Each word, then every dictionary word inside it (普惠托育 → 普惠, 托育), then the
        Chinese characters in order (for single-character and character-sequence matches).
        """
        text = normalize(text)
        tokens = []
        for word in self.tokenizer.cut(text):
            for token in clean_tokens(word):
                tokens.append(token)
                tokens.extend(self._inner_words(token))
        tokens.extend(_CJK.findall(text))
        return " ".join(tokens)

    def _inner_words(self, word: str) -> list[str]:
        if len(word) < 3 or not is_cjk(word):
            return []
        return [
            word[start:end]
            for start in range(len(word))
            for end in range(start + 2, len(word) + 1)
            if end - start < len(word) and self.is_known(word[start:end])
        ]

    def query_terms(self, text: str) -> list[QueryTerm]:
        seen = set()
        terms = []
        for word in self.words(text):
            if word not in seen:
                seen.add(word)
                terms.append(QueryTerm(word, known=self.is_known(word)))
        return terms

    def is_known(self, word: str) -> bool:
        return self.tokenizer.FREQ.get(word, 0) > 0 or word in self.domain_terms


def _dictionary_words(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split()[0] for line in lines if line.strip()]


_lock = threading.Lock()
_current: tuple[tuple, Segmenter] | None = None
_checked_at = 0.0


def _terms_version() -> tuple:
    from cms.search.models import SearchTerm

    return SearchTerm.list_version()


def segmenter() -> Segmenter:
    """The process's segmenter, rebuilt when editors' terms have changed.

    Other processes notice a change within ``CMS_SEARCH_TERMS_RECHECK_SECONDS``; the
    process that saved the term at once (see signals).
    """
    global _current, _checked_at
    recheck = getattr(settings, "CMS_SEARCH_TERMS_RECHECK_SECONDS", 30)
    with _lock:
        now = time.monotonic()
        if _current is not None and now - _checked_at < recheck:
            return _current[1]
        version = _terms_version()
        _checked_at = now
        if _current is None or _current[0] != version:
            from cms.search.models import SearchTerm

            terms = list(SearchTerm.objects.values_list("term", flat=True))
            _current = (version, Segmenter(terms))
        return _current[1]


def forget_terms() -> None:
    """Make the next ``segmenter()`` call re-read the editors' terms."""
    global _checked_at
    with _lock:
        _checked_at = 0.0

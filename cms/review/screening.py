"""Sensitive-word screening: Chinese-aware matching of an editable word list over a page.

Text and words are brought to one form before matching: NFKC (full-width letters, digits
and punctuation become half-width), case folded, traditional characters made simplified
(OpenCC ``t2s``), and every space, punctuation mark, symbol and invisible format character
removed, so 敏感词, 敏 感 词, 敏.感.词, 敏感詞 and full-width letters all match their plain
entry. One Aho-Corasick automaton (pyahocorasick) finds every word in one pass; it is built once per
version of the word list and kept per process.

Each matched position maps back to the original text, so an editor sees the word as
written and where it stands (which field, which body block).
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import ahocorasick
import opencc

BLOCK = "block"
WARN = "warn"

_t2s = opencc.OpenCC("t2s")
_t2s_lock = threading.Lock()

# Characters dropped before matching: separators, punctuation, symbols, controls and format
# characters (zero-width spaces and joiners, the BOM). Letters, digits and marks stay.
_DROPPED_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Pc", "Pd", "Ps", "Pe", "Pi"})
_DROPPED_CATEGORIES |= {"Pf", "Po", "Sm", "Sc", "Sk", "So"}
_TAG = re.compile(r"<[^>]*>")
_EXCERPT = 12


def _to_simplified(text: str) -> str:
    # OpenCC's converter object is not documented as thread-safe.
    with _t2s_lock:
        return _t2s.convert(text)


def normalize(text: str) -> tuple[str, list[int]]:
    """The matching form of ``text`` and, for each of its characters, the index it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():
            if char.isalnum():
                chars.append(char.lower())
                origin.append(index)
            continue
        for part in unicodedata.normalize("NFKC", char).casefold():
            if unicodedata.category(part) not in _DROPPED_CATEGORIES:
                chars.append(part)
                origin.append(index)
    folded = "".join(chars)
    simplified = _to_simplified(folded)
    if len(simplified) != len(folded):
        # A phrase conversion changed the length: convert character by character instead,
        # which keeps the positions (and is what matching single words needs anyway).
        simplified = "".join(_to_simplified(char) or char for char in folded)
        if len(simplified) != len(folded):
            simplified = folded
    return simplified, origin


def _as_bytes(text: str) -> str:
    """``text``'s UTF-8 bytes, one character each.

    pyahocorasick looks a node's transitions up one by one; over characters the root of a
    large Chinese list has thousands of them, over bytes at most 256 (about 60x faster).
    """
    return text.encode("utf-8").decode("latin-1")


def normalize_word(word: str) -> str:
    return normalize(word)[0]


def rich_text_to_text(source: str) -> str:
    """Rich text as a reader sees it: tags removed (a word split by markup is whole again)."""
    return html.unescape(_TAG.sub("", source or ""))


@dataclass(frozen=True)
class Word:
    word: str
    category: str
    severity: str


@dataclass(frozen=True)
class Hit:
    word: str
    category: str
    severity: str
    place: str
    found: str
    excerpt: str

    @property
    def blocks(self) -> bool:
        return self.severity == BLOCK

    def as_dict(self) -> dict:
        return {
            "word": self.word,
            "category": self.category,
            "severity": self.severity,
            "place": self.place,
            "found": self.found,
        }


@dataclass
class Screener:
    """An automaton over a word list; ``screen`` finds every entry in labelled texts."""

    words: list[Word]
    automaton: ahocorasick.Automaton = field(init=False, repr=False)

    def __post_init__(self):
        self.automaton = ahocorasick.Automaton()
        for entry in self.words:
            key = normalize_word(entry.word)
            if not key:
                continue
            key_bytes = _as_bytes(key)
            existing = self.automaton.get(key_bytes, None)
            # The same word entered twice (or as 詞 and 词): the stricter entry wins.
            if existing is None or (entry.severity == BLOCK and existing[2].severity != BLOCK):
                self.automaton.add_word(key_bytes, (len(key_bytes), len(key), entry))
        if len(self.automaton):
            self.automaton.make_automaton()

    def find(self, text: str, place: str) -> Iterator[Hit]:
        if not text or not len(self.automaton):
            return
        normalized, origin = normalize(text)
        encoded = normalized.encode("utf-8")
        seen = set()
        for end, (byte_length, length, entry) in self.automaton.iter(encoded.decode("latin-1")):
            # UTF-8 is self-synchronizing: a match starts on a character boundary.
            start = len(encoded[: end - byte_length + 1].decode("utf-8"))
            start_at = origin[start]
            end_at = origin[start + length - 1] + 1
            if (entry.word, start_at) in seen:
                continue
            seen.add((entry.word, start_at))
            excerpt = text[max(0, start_at - _EXCERPT) : end_at + _EXCERPT].strip()
            yield Hit(
                word=entry.word,
                category=entry.category,
                severity=entry.severity,
                place=place,
                found=text[start_at:end_at],
                excerpt=excerpt,
            )

    def screen(self, texts: Iterable[tuple[str, str]]) -> list[Hit]:
        hits: list[Hit] = []
        for place, text in texts:
            hits.extend(self.find(text, place))
        return hits

"""What a visitor types, made safe to store, compare, count and mail.

The booking form's text fields run these in ``to_python`` (cms/leads/fields.py), so the
form's cleaned data is the one normalized value every later step reads: validation,
the per-mobile limit, de-duplication, storage and the staff mail.

- Invisible format characters (bidi overrides such as U+202E, zero-width spaces and
  joiners, the BOM ...) are removed: they make a name read differently from what is
  stored, or two identical submissions look different.
- In a single-line value, line breaks and other control characters become one space:
  a name reaches a mail subject, where CR/LF would break the header.
- A mobile number is NFKC-normalized and every Unicode digit made ASCII, so
  fullwidth or Arabic-Indic digits give the same number as 13800138000.
"""

import re
import unicodedata

from cms.core.phone import digits

_LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# Runs of control characters and line/paragraph separators: one space in a single line.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# Control characters a multi-line value may not keep (tab and newline stay).
_MULTILINE_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _without_format_characters(value: str) -> str:
    # Category Cf: bidi embeddings/overrides/isolates, LRM/RLM/ALM, zero-width space,
    # joiners, word joiner, BOM, soft hyphen ...: nothing a visitor needs to send us.
    return "".join(ch for ch in value if unicodedata.category(ch) != "Cf")


def single_line(value: str) -> str:
    """One line of visible text, without the outer blanks."""
    return _CONTROLS.sub(" ", _without_format_characters(value)).strip()


def multi_line(value: str) -> str:
    """Text with its line breaks as "\\n" and no other control or format character."""
    text = _without_format_characters(value).replace("\r\n", "\n")
    text = re.sub(f"[{_LINE_BREAKS}]", "\n", text)
    return _MULTILINE_CONTROLS.sub("", text).strip()


def ascii_digits(value: str) -> str:
    """Every Unicode decimal digit (fullwidth, Arabic-Indic, Devanagari ...) as 0-9."""
    return "".join(
        str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else ch
        for ch in value
    )


def mobile_number(value: str) -> str:
    """The number's ASCII digits, without separators or +86 (what is validated and kept)."""
    text = unicodedata.normalize("NFKC", single_line(value))
    return digits(ascii_digits(text))

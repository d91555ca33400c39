"""Screening benchmark: a 10,000-character article against a 10,000-word list.

Pure Python, no database: the automaton is built once (as the app keeps it per process
between edits of the list), then a whole article's texts (title, summary, 40 body blocks
of 250 characters with traditional characters, full-width letters and punctuation in
them, and 20 listed words planted, split by a space and a comma) are screened 50
times; the median and the worst are printed. Target: < 50 ms.

    .venv/bin/python benchmarks/screening_bench.py
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cms.review.screening import BLOCK, WARN, Screener, Word

# Common characters of news text, a few of them traditional, and punctuation.
ALPHABET = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能"
    "下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量"
    "都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各"
    "托育服务儿童家庭婴幼普惠體係發展優質資源，。、；：？！“”（）ＡＢＣ１２３ "
)


def make_words(count: int, rng: random.Random) -> list[Word]:
    # Words over the whole CJK block, as a real list is: few of them occur in a given text.
    words, seen = [], set()
    while len(words) < count:
        word = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(2, 5)))
        if word not in seen:
            seen.add(word)
            words.append(Word(word, "other", BLOCK if len(words) % 3 else WARN))
    return words


def make_article(rng: random.Random, planted: list[Word]) -> list[tuple[str, str]]:
    texts = [("标题", "".join(rng.choice(ALPHABET) for _ in range(40)))]
    texts.append(("摘要", "".join(rng.choice(ALPHABET) for _ in range(160))))
    for number in range(1, 41):
        body = "".join(rng.choice(ALPHABET) for _ in range(245))
        if number <= len(planted):
            # One listed word per block, split by a space and a full-width comma.
            word = planted[number - 1].word
            body = body[:100] + word[0] + " \uff0c" + word[1:] + body[100 + len(word) + 2 :]
        texts.append((f"正文第 {number} 块", body))
    return texts


def main() -> None:
    rng = random.Random(17)
    words = make_words(10_000, rng)
    article = make_article(rng, rng.sample(words, 20))
    characters = sum(len(text) for _, text in article)
    started = time.perf_counter()
    screener = Screener(words)
    build_ms = (time.perf_counter() - started) * 1000
    timings, hits = [], 0
    for _ in range(50):
        started = time.perf_counter()
        hits = len(screener.screen(article))
        timings.append((time.perf_counter() - started) * 1000)
    print(f"article: {characters} characters in {len(article)} texts; list: {len(words)} words")
    print(f"automaton built once in {build_ms:.0f} ms")
    print(
        f"screening: median {statistics.median(timings):.1f} ms, "
        f"worst {max(timings):.1f} ms over {len(timings)} runs ({hits} hits)"
    )


if __name__ == "__main__":
    main()

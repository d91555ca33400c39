"""Sensitive-word screening: Chinese-aware matching, the places of hits, no false alarms."""

import pytest
from django.core.management import call_command

from cms.review.screening import BLOCK, WARN, Screener, Word, normalize, rich_text_to_text

WORDS = [
    Word("敏感词", "political", BLOCK),
    Word("赌博", "illegal", BLOCK),
    Word("代孕", "illegal", BLOCK),
    Word("最佳", "advertising", WARN),
    Word("ABC", "other", BLOCK),
]


def found(text, words=WORDS):
    return [(hit.word, hit.found) for hit in Screener(words).find(text, "正文")]


@pytest.mark.parametrize(
    ("text", "word", "as_written"),
    [
        ("这里有敏感词。", "敏感词", "敏感词"),
        ("这里有敏感詞。", "敏感词", "敏感詞"),  # traditional
        ("線上賭博網站", "赌博", "賭博"),  # traditional, two characters
        ("敏 感 词", "敏感词", "敏 感 词"),  # spaces
        ("敏\u3000感\u3000词", "敏感词", "敏\u3000感\u3000词"),  # ideographic spaces
        ("敏.感.词", "敏感词", "敏.感.词"),  # half-width punctuation
        ("敏，感、词", "敏感词", "敏，感、词"),  # full-width punctuation
        ("代-孕", "代孕", "代-孕"),
        ("代\u200b孕", "代孕", "代\u200b孕"),  # a zero-width space
        ("ａｂｃ公司", "ABC", "ａｂｃ"),  # full-width letters, case
        ("a.b.c", "ABC", "a.b.c"),
        ("本店最佳！", "最佳", "最佳"),
    ],
)
def test_tricky_variants_match(text, word, as_written):
    assert (word, as_written) in found(text)


def test_words_entered_in_traditional_or_full_width_match_plain_text():
    words = [Word("賭博", "illegal", BLOCK), Word("ＡＢＣ", "other", WARN)]
    assert [w for w, _ in found("赌博与abc", words)] == ["賭博", "ＡＢＣ"]


def test_rich_text_markup_inside_a_word():
    text = rich_text_to_text('<p>这是敏<b>感</b><a href="/x">词</a>&nbsp;和赌&amp;博</p>')
    assert [w for w, _ in found(text)] == ["敏感词", "赌博"]


def test_no_hit_without_the_word():
    assert found("普惠托育服务体系建设，家庭养育负担减轻。") == []
    assert found("") == []
    assert found("敏感") == []


def test_positions_map_back_to_the_original_text():
    text, origin = normalize("Ａ，敏 感")
    assert text == "a敏感"
    assert origin == [0, 2, 4]
    (hit,) = Screener(WORDS).find("前文。敏、感、词。后文", "摘要")
    assert hit.found == "敏、感、词"
    assert hit.place == "摘要"
    assert "敏、感、词" in hit.excerpt


def test_empty_and_duplicate_word_lists():
    assert Screener([]).screen([("标题", "敏感词")]) == []
    stricter = Screener([Word("敏感詞", "other", WARN), Word("敏感词", "political", BLOCK)])
    (hit,) = stricter.find("敏感词", "标题")
    assert hit.severity == BLOCK


@pytest.fixture
def word_list(db):
    from cms.review.models import SensitiveWord

    # Words a childcare publisher would plausibly screen for; none belongs in the seed article.
    for word, category, severity in [
        ("法轮功", "political", BLOCK),
        ("台独", "political", BLOCK),
        ("赌博", "illegal", BLOCK),
        ("代孕", "illegal", BLOCK),
        ("枪支", "illegal", BLOCK),
        ("毒品", "illegal", BLOCK),
        ("色情", "pornography", BLOCK),
        ("虐童", "violence", BLOCK),
        ("恐怖袭击", "violence", BLOCK),
        ("最佳", "advertising", WARN),
        ("国家级", "advertising", WARN),
        ("第一品牌", "advertising", WARN),
        ("绝对安全", "advertising", WARN),
        ("包过", "advertising", WARN),
    ]:
        SensitiveWord.objects.create(word=word, category=category, severity=severity)


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_article_raises_no_false_alarm(word_list):
    from wagtail.models import Page

    from cms.review.rules import screen_page
    from cms.review.texts import page_texts

    call_command("load_demo_content", verbosity=0)
    article = Page.objects.get(slug="持续优化便民生活圈").specific
    places = [place for place, _ in page_texts(article)]
    # The walk reaches every kind of text of the seed article.
    assert any("替代文本" in place or "alt" in place.lower() for place in places), places
    assert len("".join(text for _, text in page_texts(article))) > 1000
    assert screen_page(article) == []


@pytest.mark.django_db
def test_page_hits_name_their_places(word_list, article_factory):
    from wagtail.rich_text import RichText

    from cms.core.factories import ImageFactory
    from cms.review.rules import screen_page

    image = ImageFactory(title="封面", alt_text="孩子们在玩")
    article = article_factory(title="托育新闻", subtitle="国家级示范", summary="远离毒.品")
    article.cover_image = ImageFactory(title="封面图", alt_text="色 情图片")
    article.body = [
        ("paragraph", {"text": RichText("<p>打击<b>赌</b>博</p>")}),
        ("image", {"image": image, "caption": "代孕中介", "alt_text": "枪支"}),
    ]
    article.seo_title = "虐童事件"
    hits = {(hit.word, hit.place) for hit in screen_page(article)}
    places = {word: place for word, place in hits}
    assert set(places) == {"国家级", "毒品", "色情", "赌博", "代孕", "枪支", "虐童"}
    assert "2" in places["代孕"] and "2" in places["枪支"]
    assert "1" in places["赌博"]


@pytest.mark.django_db
def test_an_edited_word_list_is_used_at_once(article_factory):
    from cms.review.models import SensitiveWord
    from cms.review.rules import screen_page

    article = article_factory(title="关于某某词的报道", summary="摘要")
    assert screen_page(article) == []
    word = SensitiveWord.objects.create(word="某某词", severity=BLOCK)
    assert [hit.word for hit in screen_page(article)] == ["某某词"]
    word.is_active = False
    word.save()
    assert screen_page(article) == []

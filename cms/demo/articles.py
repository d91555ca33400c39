"""The seed article (../shared/seed/) with its sources and recommended reading.

Loaded by ``manage.py load_demo_content``. Idempotent: content that is already
there (found by slug) is left as editors may have changed it.
"""

import datetime
import hashlib
import io
import json
from zoneinfo import ZoneInfo

from articles.factories import (
    ArticleCategoryFactory,
    ArticleIndexPageFactory,
    ArticlePageFactory,
    ArticleSourceFactory,
    RecommendedReadingFactory,
    paragraph,
)
from articles.models import ArticleIndexPage, ArticlePage
from cms.core.factories import ImageFactory
from cms.core.models import CustomImage
from cms.core.pictures import qr_code_png

BEIJING = ZoneInfo("Asia/Shanghai")
SEED_SLUG = "持续优化便民生活圈"
SEED_TITLE = "持续优化便民生活圈,让群众“托得方便”“托得放心”"
SEED_PUBLISHED_AT = datetime.datetime(2025, 9, 22, 15, 10, 55, tzinfo=BEIJING)

SEED_PARAGRAPHS = [
    "9月19日,商务部等9部门发布《关于加力推动城市一刻钟便民生活圈建设扩围升级的通知》,聚焦群众急难愁盼,突出“一老一小”,提出20项具体任务。扩围升级体现在哪?老百姓将如何受益?商务部当天举行专题新闻发布会,回应外界关切。",
    "“城市一刻钟便民生活圈,是以社区居民为服务对象,服务半径为步行15分钟范围内,以满足居民日常生活基本消费和品质消费等为目标,多业态集聚形成的社区商圈。”商务部流通发展司司长李佳路说,建设便民生活圈,是保障民生、扩大消费、畅通国民经济循环的重要举措。",
    "2021年以来,商务部会同相关部门持续推进便民生活圈建设。截至2025年7月底,210个试点地区共建成便民生活圈6255个,涉及养老、家政、餐饮、零售等商业网点150.3万个,服务居民1.29亿人。",
    "李佳路同时指出,便民生活圈建设覆盖范围还不够大,仅占全国城市社区的12.5%,距离满足人民群众对美好生活的需要还存在明显差距。下一步,将加力推动便民生活圈建设扩围升级,建设宜居宜业、宜游宜购、宜老宜小的全龄友好型品质生活圈。",
    "此次出台政策的目标——到2030年实现“百城万圈”目标,即确定100个一刻钟便民生活圈全域推进先行区试点城市;建成1万个布局合理、业态齐全,功能完善、服务优质,智慧高效、规范有序的便民生活圈。",
]
SEED_HEADING = "托育服务事关千家万户,如何让广大婴幼儿家庭能在家门口实现“托得上”“托得起”“托得好”?"
SEED_SPEAKER = "杜希学"
SEED_SPEAKER_ROLE = "国家卫生健康委人口家庭司监察专员"
SEED_SPEECH = [
    "托育服务事关千家万户,发展托育服务既是实现幼有所育的重要措施,也是构建生育友好型社会的支持政策。“十四五”是托育服务发展的起步期,在有关部门和地方共同努力、积极推动下,国家卫生健康委不断完善托育服务体系,将扩充方便可及的社区托育作为重点,为婴幼儿提供家门口的全日托、半日托、计时托、临时托等服务。一是完善政策体系,实施社区托育税费优惠、用水用电用气用热按居民类价格政策,拓宽中央预算内投资、地方债等多种投资渠道支持社区托育建设,鼓励各地出台建设补贴、运营补贴、发放托育券等措施;二是健全标准规范,制定托育机构的设置标准、管理规范、保育照护、消防安全、营养喂养等标准,支持医疗机构促进托育服务发展,提供卫生保健、膳食营养、疾病防控等儿童健康管理服务;三是持续优化服务供给,指导各地统筹各方资源,推动将社区托育纳入完整社区建设、城市社区嵌入式服务设施建设和城市更新行动等。支持社会力量参与提供普惠、多元、优质的社区托育服务,鼓励幼儿园办托。",
    "下一步,国家卫生健康委将会同相关部门,加快推进普惠托育服务体系建设,持续优化便民生活圈,让群众“托得方便”“托得放心”一是加大“投资”支持力度。发挥中央预算内投资的引导作用,支持以城市为单元组网运行的社区普惠托育服务设施,多渠道增加普惠托位供给,支持幼儿园延伸发展托育服务。二是加大“空间”保障力度。指导各地落实场地、税费等优惠措施,落实新建小区与配套托育服务设施同步规划、同步建设、同步验收、同步交付,老城区和已建成居住区结合城市更新加快补充托育服务设施。三是加大“质量”提升力度。深入开展托育服务质量提升行动,促进托育服务专业化、规范化发展。同时,加强托育服务宣传,营造全社会关心、支持托育服务发展的浓厚氛围。谢谢。",
]
SEED_KEY_FIGURES = [
    ("试点地区", "210个"),
    ("便民生活圈", "6255个"),
    ("商业网点", "150.3万个"),
    ("服务居民", "1.29亿人"),
    ("占全国城市社区", "12.5%"),
]
SEED_SOURCES = [("新华网", "http://www.news.cn/"), ("商务部官网", "http://www.mofcom.gov.cn/")]
# The older articles the seed recommends, one a line: slug|published (Beijing time)|title.
RECOMMENDED_TABLE = """
公建托位|2025-09-20T10:00|多渠道增加公建托位供给!商务部等9部门关于加力推动城市一刻钟便民生活圈建设扩围升级的通知
发改委支持托育项目建设|2025-09-15T09:30|国家发改委:继续加力支持托育项目建设,大力发展社区嵌入式服务
扩大服务消费政策措施|2025-09-10T16:00|《关于扩大服务消费的若干政策措施》:对普惠托育机构给予场地支持和适当运营补助
十四五生育支持政策|2025-09-01T11:00|国家卫健委:“十四五”期间,我国出台了一系列生育支持政策措施
"""
SEED_RECOMMENDED = [
    (title, slug, datetime.datetime.fromisoformat(published).replace(tzinfo=BEIJING))
    for slug, published, title in (
        line.split("|") for line in RECOMMENDED_TABLE.strip().splitlines()
    )
]


def demo_image(title: str, color: str) -> CustomImage:
    existing = CustomImage.objects.filter(title=title).first()
    return existing or ImageFactory(
        title=title,
        alt_text=title,
        file__color=color,
        file__filename=f"demo-{hashlib.sha1(title.encode()).hexdigest()[:12]}.jpg",
    )


def demo_qr_code(title: str, text: str) -> CustomImage:
    """A scannable QR code of ``text``, so the contact card's code works in a phone's camera."""
    existing = CustomImage.objects.filter(title=title).first()
    png = qr_code_png(text)
    return existing or ImageFactory(
        title=title,
        alt_text=title,
        file__from_func=lambda: io.BytesIO(png),
        file__filename=f"demo-{hashlib.sha1(title.encode()).hexdigest()[:12]}.png",
    )


def ensure_article_index(home) -> ArticleIndexPage:
    index = ArticleIndexPage.objects.child_of(home).first()
    return index or ArticleIndexPageFactory(parent=home, intro="托育政策与行业资讯")


def _seed_body(lead_image: CustomImage, speech_image: CustomImage) -> str:
    blocks = [
        {"type": "image", "value": {"image": lead_image.id, "caption": "", "alt_text": ""}},
        *[paragraph(f"<p>{text}</p>") for text in SEED_PARAGRAPHS[:3]],
        {
            "type": "key_figures",
            "value": {
                "heading": "便民生活圈建设成效(截至2025年7月底)",
                "figures": [{"label": label, "value": value} for label, value in SEED_KEY_FIGURES],
            },
        },
        *[paragraph(f"<p>{text}</p>") for text in SEED_PARAGRAPHS[3:]],
        {"type": "heading", "value": {"text": SEED_HEADING, "level": "h2"}},
        {"type": "image", "value": {"image": speech_image.id, "caption": "", "alt_text": ""}},
        {
            "type": "quote",
            "value": {
                "text": "".join(f"<p>{text}</p>" for text in SEED_SPEECH),
                "speaker_name": SEED_SPEAKER,
                "speaker_role": SEED_SPEAKER_ROLE,
            },
        },
    ]
    return json.dumps(blocks, ensure_ascii=False)


def load(home) -> ArticlePage:
    index = ensure_article_index(home)
    existing = ArticlePage.objects.child_of(index).filter(slug=SEED_SLUG).first()
    if existing is not None:
        return existing

    policy = ArticleCategoryFactory(name="政策解读", slug="政策解读", sort_order=1)
    ArticleCategoryFactory(name="行业动态", slug="行业动态", sort_order=2)

    recommended = []
    for position, (title, slug, published_at) in enumerate(SEED_RECOMMENDED):
        article = ArticlePage.objects.child_of(index).filter(slug=slug).first()
        if article is None:
            article = ArticlePageFactory(
                parent=index,
                title=title,
                slug=slug,
                summary=title,
                published_at=published_at,
                cover_image=demo_image(f"往期推荐配图{position + 1}", "#d9822b"),
            )
            article.categories.add(policy)
            article.save_revision().publish()
        recommended.append(article)

    seed = ArticlePageFactory(
        parent=index,
        title=SEED_TITLE,
        slug=SEED_SLUG,
        summary="商务部等9部门发布通知,加力推动城市一刻钟便民生活圈建设扩围升级;"
        "国家卫生健康委将加快推进普惠托育服务体系建设,让群众“托得方便”“托得放心”。",
        published_at=SEED_PUBLISHED_AT,
        cover_image=demo_image("便民生活圈封面", "#2f7d6d"),
        body=_seed_body(
            demo_image("便民生活圈配图", "#4a90c2"), demo_image("杜希学发言配图", "#7b5ea7")
        ),
    )
    for name, url in SEED_SOURCES:
        ArticleSourceFactory(page=seed, name=name, url=url)
    for article in recommended:
        RecommendedReadingFactory(page=seed, article=article)
    seed.categories.add(policy)
    seed.tags.add("托育", "便民生活圈", "普惠托育")
    seed.save_revision().publish()
    return seed

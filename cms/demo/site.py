"""The seed page's site-wide content: profile, contacts, call to action, menus, home page.

Idempotent: what already exists (found by name or slug) is left as editors may have
changed it.
"""

import json

from wagtail.models import Page, Site

from articles.models import ArticleIndexPage
from cms.demo.articles import demo_qr_code
from cms.leads.factories import BookingFormFieldFactory, BookingFormPageFactory
from cms.leads.models import BookingFormPage
from home.factories import (
    CallToActionFactory,
    ContactCardFactory,
    HomePageFactory,
    PhoneLineFactory,
    ServiceAreaFactory,
)
from home.models import ContactCard, FeaturedArticle, HomePage, OrganisationProfile, SiteLayout

PROFILE_DESCRIPTION = (
    "中国托育服务是中国人口学会托育服务领域的官方平台。聚焦四大核心职能:"
    "宣传中央关于促进人口长期均衡发展和托育服务体系建设的政策方针,贯彻国家卫健委相关部署要求,"
    "推广各地托育创新实践成果;协同推进国家卫健委托育服务标准化委员会工作,推动行业规范发展;"
    "加大托育人才培养力度,构建专业化人才培养体系;加强学界、业界与家庭间的沟通与协作。"
    "中国托育服务凝心聚力,推动行业标准落地实施,助力托育服务迈向高质量发展新阶段。"
)
CORE_FUNCTIONS = [
    "宣传中央关于促进人口长期均衡发展和托育服务体系建设的政策方针,贯彻国家卫健委相关部署要求,推广各地托育创新实践成果",
    "协同推进国家卫健委托育服务标准化委员会工作,推动行业规范发展",
    "加大托育人才培养力度,构建专业化人才培养体系",
    "加强学界、业界与家庭间的沟通与协作",
]
# What the demo contact card's QR code says when scanned: plainly a demo, not a real account.
WECHAT_QR_TEXT = "中国托育客服微信(示例二维码)"
VALUES = ["诚信", "乐观", "创新", "成功"]
SERVICE_AREAS = [
    ("智慧托育", "smart-childcare", "全景智慧托育系统,数字化管理托育机构"),
    ("托育装备", "equipment", "全套托育装备,安全适龄"),
    ("托育人才", "training", "全程人才培养,专业化托育队伍"),
]


def ensure_home_page() -> HomePage:
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific

    root = Page.get_first_root_node()
    home = HomePage.objects.child_of(root).first() or HomePageFactory(
        parent=root, title="中国托育服务", slug="childcare", hero_heading="尚自然 展个性 开心智"
    )
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    else:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "中国托育服务"
        site.save()
        # Wagtail's "Welcome to your new Wagtail site!" placeholder has no content of ours.
        if type(old_root.specific) is Page and not old_root.get_children().exists():
            old_root.delete()
    return home


def _stream(block_type: str, values) -> str:
    return json.dumps(
        [{"type": block_type, "value": value} for value in values], ensure_ascii=False
    )


def _booking_form(home: HomePage) -> BookingFormPage:
    form = BookingFormPage.objects.child_of(home).first()
    if form is not None:
        return form
    form = BookingFormPageFactory(
        parent=home,
        privacy_notice="我们仅将您提交的信息用于联系您安排产品演示,不会提供给第三方。",
        privacy_notice_version="2025-09",
        notify_emails="sales@example.cn",
    )
    for position, (label, field_type, required, help_text) in enumerate(
        [
            ("姓名", "name", True, ""),
            ("手机号码", "mobile", True, "我们将通过该号码与您联系"),
            ("机构名称", "organisation", False, ""),
            ("所在城市", "city", False, ""),
            ("感兴趣的服务", "interests", True, ""),
            ("留言", "message", False, ""),
        ]
    ):
        BookingFormFieldFactory(
            page=form,
            sort_order=position,
            label=label,
            field_type=field_type,
            required=required,
            help_text=help_text,
        )
    form.save_revision().publish()
    return form


def load(home: HomePage, featured_articles=()) -> None:
    site = Site.objects.get(root_page=home)
    for position, (name, slug, description) in enumerate(SERVICE_AREAS):
        ServiceAreaFactory(slug=slug, name=name, description=description, sort_order=position)

    call_to_action = CallToActionFactory(name="预约体验")
    if not ContactCard.objects.filter(name="客服").exists():
        contact = ContactCardFactory(
            name="客服", wechat=True, wechat_qr_code=demo_qr_code("客服微信二维码", WECHAT_QR_TEXT)
        )
        PhoneLineFactory(contact=contact, sort_order=0)
    contact = ContactCard.objects.get(name="客服")
    form = _booking_form(home)

    profile = OrganisationProfile.for_site(site)
    if not profile.name:
        profile.name = "中国托育服务"
        profile.short_name = "中国托育"
        profile.description = PROFILE_DESCRIPTION
        profile.core_functions = _stream("function", CORE_FUNCTIONS)
        profile.slogan = "尚自然 展个性 开心智"
        profile.values_heading = "我们的价值观"
        profile.values = _stream("value", VALUES)
        profile.copyright_holder = "北京京学信息科技集团有限公司"
        profile.copyright_notice = "版权所有 复制必究 未经书面授权禁止使用"
        profile.icp_number = "京ICP备2022030170号-2"
        profile.business_licence_label = "营业执照信息查询"
        profile.business_licence_url = "https://www.gsxt.gov.cn/"
        profile.save()

    layout = SiteLayout.for_site(site)
    if layout.call_to_action_id is None:
        index = ArticleIndexPage.objects.child_of(home).first()
        layout.call_to_action = call_to_action
        layout.contacts = _stream("contact", [contact.pk])
        layout.main_menu = _stream(
            "item",
            [
                {"label": "首页", "page": home.pk, "url": "", "children": []},
                {"label": "新闻资讯", "page": index.pk, "url": "", "children": []},
                {"label": "预约演示", "page": form.pk, "url": "", "children": []},
            ],
        )
        layout.footer_menu = _stream(
            "item",
            [
                {
                    "label": "关于我们",
                    "page": None,
                    "url": "https://www.example.cn/about/",
                    "children": [
                        {"label": "新闻资讯", "page": index.pk, "url": ""},
                    ],
                }
            ],
        )
        layout.save()

    if home.call_to_action_id is None:
        home.call_to_action = call_to_action
        for position, article in enumerate(featured_articles):
            FeaturedArticle.objects.create(page=home, article=article, sort_order=position)
        home.save_revision().publish()

"""Site-wide content over GraphQL: the seed page's chrome, per site, with visibility."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from cms.core.factories import ImageFactory
from cms.leads.factories import BookingFormFieldFactory, BookingFormPageFactory
from home.factories import (
    CallToActionFactory,
    ContactCardFactory,
    HomePageFactory,
    PhoneLineFactory,
    ServiceAreaFactory,
)
from home.models import FeaturedArticle, OrganisationProfile, SiteLayout
from tests.support.seed_strings import SEED_STRINGS

BEIJING = ZoneInfo("Asia/Shanghai")

SEED_PAGE_QUERY = """{
  siteChrome {
    profile { name description coreFunctions slogan valuesHeading values copyrightLine
              icpNumber icpUrl businessLicenceLabel businessLicenceUrl }
    mainMenu { label url children { label url } }
    footerMenu { label url children { label url } }
    contacts { heading intro wechatLabel wechatCaption wechatQrCode { alt }
               phoneLines { label number serviceHours { label } } }
    callToAction { heading text buttonLabel target { kind url } }
    serviceAreas { name }
  }
  bookingForm { heading intro submitLabel interests { name } fields { label } }
  article(slug: "持续优化便民生活圈") {
    title publishedAt
    body { ... on ParagraphBlock { html } ... on QuoteBlock { html speakerName speakerRole }
           ... on HeadingBlock { text } ... on KeyFiguresBlock { figures { label value } } }
    sources { name } recommendedReading { title }
  }
}"""


@pytest.mark.slow
@pytest.mark.django_db
def test_one_request_renders_the_whole_seed_page(gql):
    call_command("load_demo_content", verbosity=0)
    data = gql(SEED_PAGE_QUERY)
    answer = json.dumps(data, ensure_ascii=False)
    missing = [text for text in SEED_STRINGS if text not in answer]
    assert missing == []
    profile = data["siteChrome"]["profile"]
    assert "·".join(profile["values"]) == "诚信·乐观·创新·成功"
    assert len(profile["coreFunctions"]) == 4
    assert profile["icpUrl"] == "https://beian.miit.gov.cn/"
    assert data["siteChrome"]["callToAction"]["target"] == {
        "kind": "BOOKING_FORM",
        "url": "/booking/",
    }
    assert [a["name"] for a in data["bookingForm"]["interests"]] == [
        "智慧托育",
        "托育装备",
        "托育人才",
    ]


class TestSites:
    QUERY = (
        "query($s: String) { siteChrome(site: $s) { site { hostname } profile { name slogan } } }"
    )

    @pytest.fixture
    def two_sites(self, site):
        other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="partner")
        other = Site.objects.create(hostname="other.example.com", port=80, root_page=other_home)
        for each, name in [(site, "中国托育服务"), (other, "某市托育协会")]:
            profile = OrganisationProfile.for_site(each)
            profile.name, profile.slogan = name, f"{name}口号"
            profile.save()
        return site, other

    def test_each_site_gets_its_own_profile(self, gql, two_sites):
        local = gql(self.QUERY, {"s": "localhost"})["siteChrome"]
        other = gql(self.QUERY, {"s": "other.example.com"})["siteChrome"]
        assert local["profile"] == {"name": "中国托育服务", "slogan": "中国托育服务口号"}
        assert other["profile"] == {"name": "某市托育协会", "slogan": "某市托育协会口号"}
        assert other["site"] == {"hostname": "other.example.com"}

    def test_unknown_hostname_is_a_clear_error(self, gql, two_sites):
        errors = gql.errors(self.QUERY, {"s": "evil.example.com"})
        assert errors[0]["extensions"] == {"code": "NOT_FOUND", "field": "site"}
        assert "evil.example.com" in errors[0]["message"]

    def test_no_site_named_among_several_is_an_error_not_another_sites_data(self, gql, two_sites):
        response = gql.post(self.QUERY)
        body = response.json()
        assert body["data"] is None
        extensions = body["errors"][0]["extensions"]
        assert (extensions["code"], extensions["field"]) == ("BAD_USER_INPUT", "site")

    def test_single_site_needs_no_name(self, gql, site):
        data = gql(self.QUERY)
        assert data["siteChrome"]["site"] == {"hostname": "localhost"}


def _menu_item(page=None, url="", label="", children=()):
    return {
        "type": "item",
        "value": {
            "label": label,
            "page": page.pk if page else None,
            "url": url,
            "children": [
                {"label": c_label, "page": c_page.pk if c_page else None, "url": c_url}
                for c_label, c_page, c_url in children
            ],
        },
    }


class TestMenus:
    QUERY = "{ siteChrome { mainMenu { label url isExternal page { title } children { label url isExternal } } } }"

    def test_menus_resolve_pages_and_urls_in_editor_order(self, gql, site, index, article_factory):
        article = article_factory(title="文章", slug="a")
        layout = SiteLayout.for_site(site)
        layout.main_menu = json.dumps(
            [
                _menu_item(
                    index, children=[("精选", article, ""), ("外链", None, "https://e.cn/")]
                ),
                _menu_item(url="https://example.org/", label="合作伙伴"),
            ]
        )
        layout.save()
        menu = gql(self.QUERY)["siteChrome"]["mainMenu"]
        assert menu == [
            {
                "label": "新闻资讯",
                "url": "/articles/",
                "isExternal": False,
                "page": {"title": "新闻资讯"},
                "children": [
                    {"label": "精选", "url": "/articles/a/", "isExternal": False},
                    {"label": "外链", "url": "https://e.cn/", "isExternal": True},
                ],
            },
            {
                "label": "合作伙伴",
                "url": "https://example.org/",
                "isExternal": True,
                "page": None,
                "children": [],
            },
        ]

    @pytest.mark.parametrize("kind", ["draft", "private", "expired"])
    def test_links_to_hidden_pages_are_left_out(self, gql, site, index, article_factory, kind):
        hidden = article_factory(title="隐藏", slug="hidden")
        if kind == "draft":
            hidden.live = False
            hidden.save()
        elif kind == "private":
            PageViewRestriction.objects.create(page=hidden, restriction_type="login")
        else:
            hidden.expire_at = datetime.datetime(2020, 1, 1, tzinfo=BEIJING)
            hidden.save()
        layout = SiteLayout.for_site(site)
        layout.main_menu = json.dumps(
            [
                _menu_item(hidden, label="隐藏"),
                _menu_item(index, children=[("隐藏子项", hidden, "")]),
            ]
        )
        layout.save()
        menu = gql(self.QUERY)["siteChrome"]["mainMenu"]
        assert [item["label"] for item in menu] == ["新闻资讯"]
        assert menu[0]["children"] == []
        assert "hidden" not in json.dumps(menu)

    def test_menu_query_count_does_not_grow_with_items(self, gql, site, index, article_factory):
        articles = [article_factory() for _ in range(12)]
        layout = SiteLayout.for_site(site)

        def count(n):
            layout.main_menu = json.dumps(
                [_menu_item(a, children=[("子项", a, "")]) for a in articles[:n]]
            )
            layout.save()
            with CaptureQueriesContext(connection) as queries:
                assert len(gql(self.QUERY)["siteChrome"]["mainMenu"]) == n
            return len(queries)

        count(3)  # the first request fills Wagtail's site-root cache
        assert count(3) == count(12)


class TestCallToAction:
    QUERY = (
        "{ siteChrome { callToAction { heading buttonLabel target { kind url page { title } } } } }"
    )

    def _use(self, site, **kwargs):
        layout = SiteLayout.for_site(site)
        layout.call_to_action = CallToActionFactory(**kwargs)
        layout.save()

    def test_page_target(self, gql, site, index):
        self._use(site, target_kind="page", target_page=index)
        target = gql(self.QUERY)["siteChrome"]["callToAction"]["target"]
        assert target == {"kind": "PAGE", "url": "/articles/", "page": {"title": "新闻资讯"}}

    def test_url_target(self, gql, site):
        self._use(site, target_kind="url", target_url="https://example.org/demo")
        target = gql(self.QUERY)["siteChrome"]["callToAction"]["target"]
        assert target == {"kind": "URL", "url": "https://example.org/demo", "page": None}

    def test_draft_page_target_gives_no_url(self, gql, site, article_factory):
        draft = article_factory(live=False, slug="draft")
        self._use(site, target_kind="page", target_page=draft)
        target = gql(self.QUERY)["siteChrome"]["callToAction"]["target"]
        assert target == {"kind": "PAGE", "url": None, "page": None}

    def test_booking_form_target_before_a_form_exists(self, gql, site):
        self._use(site, target_kind="booking_form")
        target = gql(self.QUERY)["siteChrome"]["callToAction"]["target"]
        assert target == {"kind": "BOOKING_FORM", "url": None, "page": None}

    def test_booking_form_target_is_this_sites_form(self, gql, site, home):
        BookingFormPageFactory(parent=home)
        self._use(site, target_kind="booking_form")
        target = gql(self.QUERY)["siteChrome"]["callToAction"]["target"]
        assert target["url"] == "/booking/"


class TestContacts:
    QUERY = """{ siteChrome { contacts { heading email address wechatQrCode { alt }
        phoneLines { label number telUri isOpenNow serviceHours { days opensAt closesAt timeZone label } } } } }"""

    def _show(self, site, cards):
        layout = SiteLayout.for_site(site)
        layout.contacts = json.dumps([{"type": "contact", "value": card.pk} for card in cards])
        layout.save()

    def test_contact_cards_in_editor_order(self, gql, site):
        first = ContactCardFactory(heading="联系我们", email="kefu@example.cn")
        PhoneLineFactory(contact=first, sort_order=0)
        PhoneLineFactory(contact=first, label="销售", number="010-12345678", sort_order=1)
        second = ContactCardFactory(heading="合作洽谈", address="北京市")
        self._show(site, [second, first])
        cards = gql(self.QUERY)["siteChrome"]["contacts"]
        assert [c["heading"] for c in cards] == ["合作洽谈", "联系我们"]
        assert (cards[0]["address"], cards[0]["email"]) == ("北京市", None)
        lines = cards[1]["phoneLines"]
        assert [line["number"] for line in lines] == ["400-609-2598", "010-12345678"]
        assert lines[1]["telUri"] == "tel:01012345678"
        assert lines[0]["serviceHours"] == {
            "days": [1, 2, 3, 4, 5],
            "opensAt": "09:00",
            "closesAt": "18:00",
            "timeZone": "Asia/Shanghai",
            "label": "工作日 9:00-18:00",
        }
        assert isinstance(lines[0]["isOpenNow"], bool)

    def test_contacts_query_count_does_not_grow(self, gql, site):
        def count(n):
            cards = []
            for _ in range(n):
                card = ContactCardFactory(wechat=True)
                PhoneLineFactory(contact=card)
                PhoneLineFactory(contact=card, number="13800138000")
                cards.append(card)
            self._show(site, cards)
            with CaptureQueriesContext(connection) as queries:
                assert len(gql(self.QUERY)["siteChrome"]["contacts"]) == n
            return len(queries)

        count(1)  # renditions are made on first use
        assert count(1) == count(5)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (datetime.datetime(2026, 11, 30, 9, 0), True),  # Monday, opening minute
        (datetime.datetime(2026, 11, 30, 17, 59), True),
        (datetime.datetime(2026, 11, 30, 18, 0), False),  # closing time
        (datetime.datetime(2026, 11, 30, 8, 59), False),
        (datetime.datetime(2026, 11, 28, 10, 0), False),  # Saturday
        (datetime.datetime(2026, 11, 29, 10, 0), False),  # Sunday
    ],
)
def test_phone_line_is_open_in_beijing_time(moment, is_open, db):
    line = PhoneLineFactory.build()
    assert line.is_open_at(moment.replace(tzinfo=BEIJING)) is is_open


def test_phone_line_open_hours_seen_from_utc(db):
    line = PhoneLineFactory.build()
    # 01:30 UTC is 09:30 in Beijing on the same Monday.
    assert line.is_open_at(datetime.datetime(2026, 11, 30, 1, 30, tzinfo=datetime.UTC))


class TestHomePage:
    QUERY = "{ siteChrome { home { heroHeading featuredArticles { title } serviceAreas { name icon { alt } } callToAction { heading } } } }"

    def test_latest_articles_when_none_chosen(self, gql, home, article_factory):
        for n in range(6):
            article_factory(
                title=f"文章{n}", published_at=datetime.datetime(2025, 1, n + 1, tzinfo=BEIJING)
            )
        article_factory(
            title="草稿", live=False, published_at=datetime.datetime(2026, 1, 1, tzinfo=BEIJING)
        )
        featured = gql(self.QUERY)["siteChrome"]["home"]["featuredArticles"]
        assert [a["title"] for a in featured] == ["文章5", "文章4", "文章3", "文章2"]

    def test_editors_choice_in_their_order_without_hidden_ones(self, gql, home, article_factory):
        first, draft, last = (
            article_factory(title="甲"),
            article_factory(title="乙"),
            article_factory(title="丙"),
        )
        for position, article in enumerate([last, draft, first]):
            FeaturedArticle.objects.create(page=home, article=article, sort_order=position)
        draft.live = False
        draft.save()
        featured = gql(self.QUERY)["siteChrome"]["home"]["featuredArticles"]
        assert [a["title"] for a in featured] == ["丙", "甲"]

    def test_home_lists_service_areas_in_order(self, gql, home):
        ServiceAreaFactory(name="托育人才", sort_order=3, icon=ImageFactory(alt_text="人才图标"))
        ServiceAreaFactory(name="智慧托育", sort_order=1)
        data = gql(self.QUERY)["siteChrome"]["home"]
        assert data["serviceAreas"] == [
            {"name": "智慧托育", "icon": None},
            {"name": "托育人才", "icon": {"alt": "人才图标"}},
        ]
        assert data["heroHeading"] == home.title

    @pytest.mark.slow
    def test_featured_and_service_area_query_counts_are_constant(self, gql, home, article_factory):
        def count(n):
            FeaturedArticle.objects.filter(page=home).delete()
            for position in range(n):
                article = article_factory(cover_image=ImageFactory())
                FeaturedArticle.objects.create(page=home, article=article, sort_order=position)
                ServiceAreaFactory(icon=ImageFactory())
            with CaptureQueriesContext(connection) as queries:
                gql(
                    "{ siteChrome { home { featuredArticles { title cover { alt } categories { name } } serviceAreas { name icon { alt } } } } }"
                )
            return len(queries)

        count(2)
        assert count(2) == count(8)

    def test_draft_home_page_is_not_served(self, gql, home):
        home.live = False
        home.save()
        assert gql("{ siteChrome { home { title } } }")["siteChrome"]["home"] is None


class TestBookingForm:
    QUERY = "{ bookingForm { heading intro submitLabel thankYouText fields { name label fieldType required helpText choices } interests { name } } }"

    def test_form_definition(self, gql, home):
        form = BookingFormPageFactory(parent=home)
        BookingFormFieldFactory(page=form, label="姓名", sort_order=0)
        BookingFormFieldFactory(
            page=form,
            label="规模",
            field_type="dropdown",
            choices="小型\n中型,大型",
            required=False,
            sort_order=1,
        )
        ServiceAreaFactory(name="智慧托育")
        data = gql(self.QUERY)["bookingForm"]
        assert data["heading"] == "欢迎预约演示"
        assert data["submitLabel"] == "提交预约"
        assert [f["label"] for f in data["fields"]] == ["姓名", "规模"]
        assert data["fields"][1]["choices"] == ["小型", "中型", "大型"]
        assert data["fields"][1]["required"] is False
        assert all(f["name"] for f in data["fields"])
        assert data["interests"] == [{"name": "智慧托育"}]

    def test_draft_form_is_not_served(self, gql, home):
        BookingFormPageFactory(parent=home, live=False)
        assert gql(self.QUERY) == {"bookingForm": None}

    def test_submissions_are_not_reachable(self, gql, settings):
        settings.CMS_API_INTROSPECTION = "always"  # to read the whole schema
        schema = gql("{ __schema { types { name fields { name } } } }")["__schema"]["types"]
        names = {t["name"] for t in schema} | {f["name"] for t in schema for f in t["fields"] or []}
        assert not {n for n in names if "ubmission" in n}


def test_call_to_action_block_inside_an_article(gql, article_factory, home):
    from articles.factories import story

    cta = CallToActionFactory(heading="让我们开始吧", target_kind="url", target_url="https://e.cn/")
    article_factory(
        slug="cta", body=story({"type": "call_to_action", "value": {"call_to_action": cta.pk}})
    )
    body = gql(
        '{ article(slug: "cta") { body { ... on CallToActionBlock { callToAction { heading target { kind url } } } } } }'
    )
    assert body["article"]["body"] == [
        {
            "callToAction": {
                "heading": "让我们开始吧",
                "target": {"kind": "URL", "url": "https://e.cn/"},
            }
        }
    ]


def test_service_area_lists_cost_a_fixed_number_of_queries(gql, home):
    query = """{ serviceAreas { name icon { rendition(filter: "fill-160x160") { url } } }
      siteChrome { serviceAreas { name icon { alt } } } }"""

    def count(n):
        for _ in range(n):
            ServiceAreaFactory(icon=ImageFactory())
        gql(query)  # renditions are made on first use
        with CaptureQueriesContext(connection) as queries:
            assert len(gql(query)["serviceAreas"]) >= n
        return len(queries)

    assert count(2) == count(10)

"""Editors change the profile, contacts and CTA through the admin's own forms."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, Site
from wagtail.test.utils.form_data import inline_formset, streamfield

from cms.core.phone import is_mobile, validate_mobile_number, validate_phone_number
from home.factories import (
    CallToActionFactory,
    ContactCardFactory,
    HomePageFactory,
    PhoneLineFactory,
)
from home.models import CallToAction, ContactCard, OrganisationProfile, SiteLayout
from tests.support.admin_forms import form_data


@pytest.fixture
def editor(client, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.cn", "pw-Editor-1")
    client.login(username="editor", password="pw-Editor-1")
    return client


@pytest.fixture
def site(db):
    home = HomePageFactory(parent=Page.get_first_root_node(), slug="childcare")
    site = Site.objects.get(is_default_site=True)
    site.root_page, site.hostname = home, "localhost"
    site.save()
    return site


PROFILE = {
    "name": "中国托育服务",
    "short_name": "中国托育",
    "description": "官方平台",
    "core_functions": streamfield([("function", "宣传政策"), ("function", "推动规范")]),
    "slogan": "尚自然 展个性 开心智",
    "values_heading": "我们的价值观",
    "values": streamfield([("value", v) for v in ["诚信", "乐观", "创新", "成功"]]),
    "logo": "",
    "copyright_holder": "北京京学信息科技集团有限公司",
    "copyright_notice": "版权所有 复制必究 未经书面授权禁止使用",
    "icp_number": "京ICP备2022030170号-2",
    "icp_url": "https://beian.miit.gov.cn/",
    "business_licence_label": "营业执照信息查询",
    "business_licence_url": "https://www.gsxt.gov.cn/",
}


def test_editor_changes_the_profile_and_graphql_follows(gql, editor, site):
    url = reverse("wagtailsettings:edit", args=["home", "organisationprofile", site.pk])
    response = editor.post(url, form_data(PROFILE))
    assert response.status_code == 302
    data = gql("{ siteChrome { profile { name slogan values coreFunctions copyrightLine } } }")
    assert data["siteChrome"]["profile"] == {
        "name": "中国托育服务",
        "slogan": "尚自然 展个性 开心智",
        "values": ["诚信", "乐观", "创新", "成功"],
        "coreFunctions": ["宣传政策", "推动规范"],
        "copyrightLine": "©Copyright 北京京学信息科技集团有限公司 版权所有 复制必究 未经书面授权禁止使用",
    }
    response = editor.post(url, form_data(PROFILE, slogan="新口号"))
    assert response.status_code == 302
    assert (
        gql("{ siteChrome { profile { slogan } } }")["siteChrome"]["profile"]["slogan"] == "新口号"
    )


CONTACT = {
    "name": "客服",
    "heading": "联系我们",
    "intro": "您可以拨打我们的客服人员电话或扫码添加客服微信",
    "phone_lines": inline_formset(
        [
            {
                "label": "客服电话",
                "number": "400-609-2598",
                "service_days": "weekdays",
                "opens_at": "09:00",
                "closes_at": "18:00",
                "note": "",
            }
        ]
    ),
    "wechat_label": "微信咨询",
    "wechat_qr_code": "",
    "wechat_caption": "扫码添加客服老师",
    "email": "",
    "address": "",
}


def show_contact(site, card):
    layout = SiteLayout.for_site(site)
    layout.contacts = json.dumps([{"type": "contact", "value": card.pk}])
    layout.save()


def test_editor_edits_a_contact_card_and_graphql_follows(gql, editor, site):
    response = editor.post(reverse("wagtailsnippets_home_contactcard:add"), form_data(CONTACT))
    assert response.status_code == 302
    card = ContactCard.objects.get(name="客服")
    show_contact(site, card)
    edit_url = reverse("wagtailsnippets_home_contactcard:edit", args=[card.pk])
    form = form_data(CONTACT, heading="联系客服")
    form["phone_lines-0-id"] = card.phone_lines.get().pk
    form["phone_lines-0-number"] = "010-87654321"
    form["phone_lines-INITIAL_FORMS"] = 1
    response = editor.post(edit_url, form)
    assert response.status_code == 302
    data = gql("{ siteChrome { contacts { heading phoneLines { number } } } }")
    assert data["siteChrome"]["contacts"] == [
        {"heading": "联系客服", "phoneLines": [{"number": "010-87654321"}]}
    ]


@pytest.mark.parametrize("number", ["12345", "400-123", "020-1234", "1381234567", "abc"])
def test_admin_refuses_invalid_phone_numbers_in_chinese(editor, site, number):
    form = form_data(CONTACT)
    form["phone_lines-0-number"] = number
    response = editor.post(reverse("wagtailsnippets_home_contactcard:add"), form)
    assert response.status_code == 200
    errors = response.context["form"].formsets["phone_lines"].forms[0].errors
    assert "请输入有效的电话号码" in errors["number"][0]
    assert not ContactCard.objects.exists()


def test_admin_refuses_closing_before_opening(editor, site):
    form = form_data(CONTACT)
    form["phone_lines-0-closes_at"] = "08:00"
    response = editor.post(reverse("wagtailsnippets_home_contactcard:add"), form)
    assert response.status_code == 200
    assert not ContactCard.objects.exists()


def test_editor_edits_the_call_to_action_and_graphql_follows(gql, editor, site):
    cta = CallToActionFactory(name="首页", heading="让我们开始吧", button_label="预约体验")
    layout = SiteLayout.for_site(site)
    layout.call_to_action = cta
    layout.save()
    form = {
        "name": "首页",
        "heading": "马上体验",
        "text": "全景智慧托育",
        "button_label": "立即预约",
        "target_kind": "url",
        "target_page": "",
        "target_url": "https://example.org/try",
    }
    response = editor.post(reverse("wagtailsnippets_home_calltoaction:edit", args=[cta.pk]), form)
    assert response.status_code == 302
    data = gql("{ siteChrome { callToAction { heading buttonLabel target { kind url } } } }")
    assert data["siteChrome"]["callToAction"] == {
        "heading": "马上体验",
        "buttonLabel": "立即预约",
        "target": {"kind": "URL", "url": "https://example.org/try"},
    }


def test_call_to_action_with_url_target_needs_a_url(editor, site):
    form = {
        "name": "x",
        "heading": "h",
        "text": "",
        "button_label": "b",
        "target_kind": "url",
        "target_page": "",
        "target_url": "",
    }
    response = editor.post(reverse("wagtailsnippets_home_calltoaction:add"), form)
    assert response.status_code == 200
    assert "target_url" in response.context["form"].errors
    assert not CallToAction.objects.exists()


@pytest.mark.parametrize(
    "number",
    [
        "400-609-2598",
        "4006092598",
        "800-123-4567",
        "13800138000",
        "+86 138 0013 8000",
        "010-12345678",
        "0755-1234567",
        "(021) 87654321",
        "010-12345678转123",
    ],
)
def test_valid_phone_numbers(number):
    validate_phone_number(number)


@pytest.mark.parametrize(
    "number", ["", "12345678901", "400-609-259", "0101234567890", "138001380001", "电话"]
)
def test_invalid_phone_numbers(number):
    with pytest.raises(ValidationError):
        validate_phone_number(number)


def test_mobile_numbers_only():
    assert is_mobile("138-0013-8000")
    assert not is_mobile("010-12345678")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        validate_mobile_number("400-609-2598")
    assert "手机号" in error.value.messages[0]


def test_profile_is_per_site_and_created_on_first_use(site):
    assert OrganisationProfile.for_site(site).icp_url == "https://beian.miit.gov.cn/"


def test_contact_phone_lines_keep_order(db):
    card = ContactCardFactory()
    PhoneLineFactory(contact=card, number="13800138000", sort_order=1)
    PhoneLineFactory(contact=card, number="400-609-2598", sort_order=0)
    assert [line.number for line in card.phone_lines.all()] == ["400-609-2598", "13800138000"]

import datetime

import factory
import wagtail_factories

from home.models import CallToAction, ContactCard, HomePage, PhoneLine, ServiceArea


class HomePageFactory(wagtail_factories.PageFactory):
    title = "中国托育服务"
    slug = factory.Sequence(lambda n: f"home-{n}")
    intro = "中国人口学会托育服务领域的官方平台"

    class Meta:
        model = HomePage


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"服务{n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
    sort_order = factory.Sequence(int)

    class Meta:
        model = ServiceArea
        django_get_or_create = ("slug",)


class CallToActionFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"行动号召{n}")
    heading = "让我们开始吧"
    text = "全景智慧托育,全套托育装备,全程人才培养"
    button_label = "预约体验"

    class Meta:
        model = CallToAction
        django_get_or_create = ("name",)


class ContactCardFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"联系方式{n}")
    heading = "联系我们"
    intro = "您可以拨打我们的客服人员电话或扫码添加客服微信"
    wechat_label = "微信咨询"
    wechat_caption = "扫码添加客服老师"

    class Meta:
        model = ContactCard
        django_get_or_create = ("name",)


class PhoneLineFactory(factory.django.DjangoModelFactory):
    label = "客服电话"
    number = "400-609-2598"
    service_days = "weekdays"
    opens_at = datetime.time(9, 0)
    closes_at = datetime.time(18, 0)

    class Meta:
        model = PhoneLine

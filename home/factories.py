import datetime

import factory
import wagtail_factories

from cms.core.factories import ImageFactory, NamedSnippetFactory, OrderedTermFactory
from home.models import CallToAction, ContactCard, HomePage, PhoneLine, ServiceArea


class HomePageFactory(wagtail_factories.PageFactory):
    title = "中国托育服务"
    slug = factory.Sequence(lambda n: f"home-{n}")
    intro = "中国人口学会托育服务领域的官方平台"

    class Meta:
        model = HomePage


class ServiceAreaFactory(OrderedTermFactory):
    sort_order = factory.Sequence(int)

    class Meta:
        model = ServiceArea


class CallToActionFactory(NamedSnippetFactory):
    heading = "让我们开始吧"
    text = "全景智慧托育,全套托育装备,全程人才培养"
    button_label = "预约体验"

    class Meta:
        model = CallToAction


class ContactCardFactory(NamedSnippetFactory):
    heading = "联系我们"
    intro = "您可以拨打我们的客服人员电话或扫码添加客服微信"

    class Params:
        # The seed card's WeChat block: a label, the QR code and the line under it; a card
        # made without it has none, as one an editor left without a code.
        wechat = factory.Trait(
            wechat_label="微信咨询",
            wechat_qr_code=factory.SubFactory(ImageFactory),
            wechat_caption="扫码添加客服老师",
        )

    class Meta:
        model = ContactCard


class PhoneLineFactory(factory.django.DjangoModelFactory):
    label = "客服电话"
    number = "400-609-2598"
    service_days = "weekdays"
    opens_at = datetime.time(9, 0)
    closes_at = datetime.time(18, 0)

    class Meta:
        model = PhoneLine

import factory
import wagtail_factories

from cms.leads.models import BookingFormField, BookingFormPage


class BookingFormPageFactory(wagtail_factories.PageFactory):
    title = "预约演示"
    slug = "booking"
    heading = "欢迎预约演示"
    intro = "留下您的联系方式,我们将尽快跟您沟通"
    submit_label = "提交预约"
    thank_you_text = "提交成功,我们将尽快与您联系。"

    class Meta:
        model = BookingFormPage


class BookingFormFieldFactory(factory.django.DjangoModelFactory):
    label = factory.Sequence(lambda n: f"字段{n}")
    field_type = "singleline"
    required = True

    class Meta:
        model = BookingFormField

import factory
import wagtail_factories

from home.models import HomePage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "中国托育服务"
    slug = factory.Sequence(lambda n: f"home-{n}")
    intro = "中国人口学会托育服务领域的官方平台"

    class Meta:
        model = HomePage

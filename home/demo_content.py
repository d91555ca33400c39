"""The demo site's home page: makes the default Wagtail Site start at a HomePage."""

from wagtail.models import Page, Site

from home.factories import HomePageFactory
from home.models import HomePage


def ensure_home_page() -> HomePage:
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific

    root = Page.get_first_root_node()
    home = HomePage.objects.child_of(root).first() or HomePageFactory(
        parent=root, title="中国托育服务", slug="childcare"
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

"""The Atom feed of each site's articles, with front-end URLs of visible articles only.

The site is found as for sitemap.xml (``cms.publishing.sitemap``): ``?site=<hostname>``,
else the one the request's host belongs to.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from articles.models import ArticlePage
from cms.api import frontend
from cms.core import visibility
from cms.publishing.sitemap import site_view


@site_view
def articles_feed(request, site):
    articles = (
        visibility.for_request(request)
        .filter(ArticlePage.objects.descendant_of(site.root_page))
        .prefetch_related("categories")
        .order_by("-published_at", "-id")[: settings.CMS_FEED_SIZE]
    )
    base = frontend.base_url(site, request)
    feed = Atom1Feed(
        title=site.site_name or settings.WAGTAIL_SITE_NAME,
        link=base + "/",
        description="",
        language="zh-cn",
        feed_url=request.build_absolute_uri(),
    )
    for article in articles:
        url = frontend.page_url(article, request, sites={site.pk: site})
        if url is None:
            continue
        feed.add_item(
            title=article.title,
            link=url,
            # Atom's summary is written as type="html": the plain summary, escaped, is its HTML.
            description=escape(article.summary),
            unique_id=url,
            pubdate=article.published_at,
            updateddate=article.last_published_at or article.published_at,
            categories=[category.name for category in article.categories.all()],
        )
    response = HttpResponse(content_type=f"{feed.content_type}")
    feed.write(response, "utf-8")
    return response

"""The schema.org NewsArticle of an article, as a JSON string ready to embed in HTML."""

import json

from django.conf import settings
from django.utils import timezone

from cms.api import frontend
from cms.api.images import rendition_for
from cms.api.seo import canonical_url, sharing_image

# As django.utils.html.json_script does: the text can never close its <script> element.
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def news_article(article, request) -> str:
    site = frontend.site_of(article, request)
    publisher = {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME}
    if site is not None:
        publisher["name"] = site.site_name or settings.WAGTAIL_SITE_NAME
        publisher["url"] = frontend.base_url(site, request) + "/"
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": (article.seo_title or article.title)[:110],
        "description": article.search_description or article.summary,
        "datePublished": timezone.localtime(article.publication_time).isoformat(),
        "dateModified": timezone.localtime(
            article.last_published_at or article.publication_time
        ).isoformat(),
        "inLanguage": "zh-CN",
        "author": publisher,
        "publisher": publisher,
    }
    url = canonical_url(article, request)
    if url:
        data["mainEntityOfPage"] = {"@type": "WebPage", "@id": url}
        data["url"] = url
    image = sharing_image(article, request)
    if image is not None:
        data["image"] = [rendition_for(image, settings.CMS_OG_IMAGE_FILTER, request).url]
    sections = [category.name for category in article.categories.all()]
    if sections:
        data["articleSection"] = sections
    keywords = [item.tag.name for item in article.tagged_items.all()]
    if keywords:
        data["keywords"] = keywords
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE)

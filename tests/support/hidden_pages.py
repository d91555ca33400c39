"""Ways an article is hidden from the public: a draft, expired, behind a password."""

import datetime

from django.utils import timezone
from wagtail.models import PageViewRestriction

HIDDEN_KINDS = ["draft", "expired", "private"]


def hide(article, kind):
    if kind == "draft":
        article.live = False
        article.save()
    elif kind == "expired":
        article.expire_at = timezone.now() - datetime.timedelta(seconds=1)
        article.save()
    elif kind == "private":
        PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    return article

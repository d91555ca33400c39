"""Seed N articles (argv[1]) under the demo site's article index, with one cover image.

Through the tests' ArticlePageFactory (the model's defaults fill every field not given, so a
field added later cannot break the seeding). Run by benchmarks/run.py through
`manage.py shell`; idempotent up to N.
"""

import sys

from django.db import transaction
from django.db.models.signals import post_save
from wagtail.models import Page
from wagtail.signal_handlers import update_reference_index_on_save

from articles.factories import ArticlePageFactory
from articles.models import ArticleCategory, ArticleIndexPage, ArticlePage
from cms.core.factories import ImageFactory

wanted = int(sys.argv[-1]) if sys.argv[-1].isdigit() else 10000
index = ArticleIndexPage.objects.live().first()
category = ArticleCategory.objects.first()
image = ArticlePage.objects.exclude(cover_image=None).values_list("cover_image", flat=True).first()
image = image or ImageFactory().pk
# What links to what (the admin's usage counts) is not what the benchmark measures.
post_save.disconnect(update_reference_index_on_save, sender=ArticlePage)
have = ArticlePage.objects.count()
body = ArticlePage.objects.first().body.raw_data if have else []
print(f"seeding {max(wanted - have, 0)} articles", flush=True)
for start in range(have, wanted, 500):
    with transaction.atomic():
        for n in range(start, min(start + 500, wanted)):
            ArticlePageFactory(
                parent=index,
                title=f"托育政策解读第{n}篇",
                slug=f"bench-{n}",
                summary=f"第{n}篇的摘要:托育服务事关千家万户。",
                cover_image_id=image,
                body=body,
                categories=[category] if category else [],
                # Set when it goes live, as an editor's article: the newest lead the list,
                # in the order of first_published_at (what API v2 and grapple sort by).
                published_at=None,
            )
    print(f"  {min(start + 500, wanted)}", flush=True)
Page.objects.filter(pk=index.pk).update(numchild=ArticlePage.objects.child_of(index).count())
# Fresh statistics, as autovacuum keeps them in production: with none, PostgreSQL plans the
# list as if the table were empty and sorts every article for each page.
from django.db import connection  # noqa: E402

if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

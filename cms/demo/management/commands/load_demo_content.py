from django.core.management.base import BaseCommand
from django.db import transaction

from cms.core.factories import gather_stray_collections
from cms.demo import articles, site


class Command(BaseCommand):
    help = "Load the seed page's content (idempotent: existing content is left alone)."

    @transaction.atomic
    def handle(self, *args, **options):
        gather_stray_collections()
        home = site.ensure_home_page()
        article = articles.load(home)
        site.load(home, featured_articles=[article])
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready: {article.title} ({article.url})")
        )

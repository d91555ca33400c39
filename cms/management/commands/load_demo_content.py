from django.core.management.base import BaseCommand
from django.db import transaction

from articles import demo_content as articles_demo
from cms.factories import gather_stray_collections
from home import demo_content as home_demo


class Command(BaseCommand):
    help = "Load the seed page's content (idempotent: existing content is left alone)."

    @transaction.atomic
    def handle(self, *args, **options):
        gather_stray_collections()
        home = home_demo.ensure_home_page()
        article = articles_demo.load(home)
        home_demo.load(home, featured_articles=[article])
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready: {article.title} ({article.url})")
        )

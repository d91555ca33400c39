from django.core.management.base import BaseCommand
from django.db import transaction

from articles import demo_content as articles_demo
from home.demo_content import ensure_home_page


class Command(BaseCommand):
    help = "Load the seed page's content (idempotent: existing content is left alone)."

    @transaction.atomic
    def handle(self, *args, **options):
        home = ensure_home_page()
        article = articles_demo.load(home)
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready: {article.title} ({article.url})")
        )

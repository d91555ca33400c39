import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from cms.leads.models import Lead


class Command(BaseCommand):
    help = (
        "Delete leads older than LEADS_RETENTION_DAYS (or --days). Run it daily from cron, "
        "e.g. `15 3 * * * cd /srv/cms && .venv/bin/python manage.py purge_leads`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Keep this many days instead.")
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.LEADS_RETENTION_DAYS if days is None else days
        if days < 1:
            self.stderr.write("--days must be at least 1.")
            return
        cutoff = timezone.now() - datetime.timedelta(days=days)
        old = Lead.objects.filter(submit_time__lt=cutoff)
        count = old.count()
        if not dry_run:
            old.delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} lead(s) submitted before {cutoff:%Y-%m-%d %H:%M}.")

from django.core.management.base import BaseCommand

from cms.publishing.tasks import ensure_scheduler


class Command(BaseCommand):
    help = (
        "Queue the publishing scheduler (go-live and expiry dates) on the durable worker. "
        "Idempotent: it keeps re-queuing itself, and a second call adds nothing."
    )

    def handle(self, *args, **options):
        if ensure_scheduler() is None:
            self.stdout.write("The publishing scheduler is already queued.")
        else:
            self.stdout.write("The publishing scheduler is queued.")

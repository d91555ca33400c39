import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the superuser 'admin' if it does not exist. The password comes from "
        "ADMIN_PASSWORD, else one is generated and printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            self.stdout.write("Admin account 'admin' already exists.")
            return
        password = settings.ADMIN_PASSWORD or secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", email="admin@example.com", password=password)
        if settings.ADMIN_PASSWORD:
            self.stdout.write(
                self.style.SUCCESS("Created admin account 'admin' (password from ADMIN_PASSWORD).")
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"Created admin account 'admin' with password: {password}  (shown once)"
                )
            )

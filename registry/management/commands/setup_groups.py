"""Create or update the "Curator" and "Viewer" groups (idempotent)."""

from django.core.management.base import BaseCommand

from registry.permissions import setup_groups


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        for name, count in setup_groups().items():
            self.stdout.write(f"Group {name!r}: {count} permissions.")

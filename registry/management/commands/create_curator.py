"""Create (or update) a staff account in the Curator group, or with --viewer in the Viewer group.

The password comes from the CURATOR_PASSWORD environment variable, or is asked for twice."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from registry.permissions import CURATOR, VIEWER, setup_groups


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--viewer", action="store_true", help="Only look, do not edit.")

    def handle(self, *args, username, email, viewer, **options):
        setup_groups()
        password = os.environ.get("CURATOR_PASSWORD") or self.ask_password()
        user, created = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
        try:
            validate_password(password, user)
        except ValidationError as error:
            if created:
                user.delete()
            raise CommandError(" ".join(error.messages)) from error
        user.is_staff = True
        user.set_password(password)
        user.save()
        group = Group.objects.get(name=VIEWER if viewer else CURATOR)
        user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} {username!r} in the {group.name} group; sign in at /admin/.")

    def ask_password(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords differ.")
        return first

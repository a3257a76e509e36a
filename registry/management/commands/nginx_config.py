"""Write the nginx configuration that serves the registry from behind nginx (config/nginx.conf,
filled in): request buffering and timeouts against slow clients, gzip for pages, JSON and SVG, the
static files served by nginx, everything else passed to gunicorn. `make serve-proxy` runs it."""

import getpass
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.template import Context, Engine

from registry.serving.folders import private_folder

TEMPLATE = Path(settings.BASE_DIR) / "config" / "nginx.conf"
MIME_TYPES = "/etc/nginx/mime.types"


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--listen", default="127.0.0.1:8080", help="Where nginx listens (host:port).")
        parser.add_argument(
            "--upstream", default="127.0.0.1:8000", help="Where gunicorn listens (host:port)."
        )
        parser.add_argument("--max-body", default="50m", help="The largest request body (an upload).")
        parser.add_argument(
            "--output",
            help="The file to write; by default <RUNTIME_DIR>/nginx/nginx.conf (RUNTIME_DIR: var/).",
        )

    def handle(self, *args, listen, upstream, max_body, output=None, **options):
        try:
            runtime = private_folder(Path(settings.RUNTIME_DIR) / "nginx")
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        if not Path(MIME_TYPES).exists():
            raise CommandError(f"{MIME_TYPES} is missing: install Debian's nginx (make services).")
        context = {
            "listen": listen,
            "upstream": upstream,
            "max_body": max_body,
            "runtime": runtime,
            "mime_types": MIME_TYPES,
            "static_url": "/" + settings.STATIC_URL.lstrip("/"),
            "static_root": Path(settings.STATIC_ROOT),
            # nginx started by root runs its workers as this user, who can read var/ and the files.
            "user": getpass.getuser() if os.getuid() == 0 else "",
        }
        text = Engine().from_string(TEMPLATE.read_text()).render(Context(context, autoescape=False))
        target = Path(output) if output else runtime / "nginx.conf"
        target.write_text(text)
        self.stdout.write(str(target))

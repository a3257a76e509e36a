"""WSGI entry point (gunicorn config.wsgi): Django's handler, remembering where each address leads
(registry/serving/handlers.py)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)  # as get_wsgi_application() does

from registry.serving.handlers import RegistryWSGIHandler  # noqa: E402 - needs the apps loaded

application = RegistryWSGIHandler()

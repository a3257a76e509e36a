"""WSGI entry point (gunicorn config.wsgi): Django's handler, remembering where each address leads
(registry/serving/handlers.py) unless URL_MATCHES_KEPT is 0."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)  # as get_wsgi_application() does

from django.conf import settings  # noqa: E402 - needs the apps loaded
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

from registry.serving.handlers import RegistryWSGIHandler  # noqa: E402

application = RegistryWSGIHandler() if settings.URL_MATCHES_KEPT else WSGIHandler()

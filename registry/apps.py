from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("RCP Registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .models.changes import connect_change_feed
        from .serving.counters import connect_signals

        connect_signals(self)
        connect_change_feed()

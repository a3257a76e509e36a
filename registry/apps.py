from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("RCP Registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core.signals import request_finished
        from django.db.models.signals import post_migrate

        from .counters import connect_signals
        from .models.changes import connect_change_feed
        from .models.version import finish_stamp, forget_stamp

        connect_signals(self)
        connect_change_feed()
        # The host's version stamp (registry/version_stamp.py): a mark left by a rolled-back write
        # goes when its request ends; a flush or a migration writes without counting.
        request_finished.connect(finish_stamp, dispatch_uid="registry-version-stamp")
        post_migrate.connect(forget_stamp, sender=self, dispatch_uid="registry-version-stamp")

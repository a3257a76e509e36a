"""The two staff groups: Curators edit the registry's data, Viewers only look. Neither may touch
users or groups: only superusers manage accounts."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

CURATOR = "Curator"
VIEWER = "Viewer"


# Recording a source's account as a whole writes all these (registry.models.recording).
RECORDING_PERMISSIONS = [
    "registry.add_processaccount",
    "registry.change_processaccount",
    "registry.add_participation",
    "registry.delete_participation",
    "registry.add_participant",
    "registry.add_participantalias",
    "registry.add_statedtotal",
    "registry.add_statedlist",
    "registry.change_statedlist",
    "registry.add_departure",
    "registry.add_citation",
]


def registry_permissions(actions):
    """The permissions of the registry's models; of the history only "view": the history is
    written by the application, never edited."""
    models = apps.get_app_config("registry").get_models()
    content_types = ContentType.objects.get_for_models(*models, for_concrete_models=False).values()
    codenames = [
        f"{action}_{ct.model}"
        for ct in content_types
        for action in actions
        if action == "view" or not ct.model.startswith("historical")
    ]
    return Permission.objects.filter(content_type__in=content_types, codename__in=codenames)


def setup_groups() -> dict[str, int]:
    """Create or update the groups (idempotent); returns the number of permissions of each."""
    wanted = {
        CURATOR: registry_permissions(["add", "change", "delete", "view"]),
        VIEWER: registry_permissions(["view"]),
    }
    counts = {}
    for name, permissions in wanted.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        counts[name] = group.permissions.count()
    return counts

"""The process page's participations, compact: grouped by role, one line each (participant,
period, status, source, citations), those in force first, past ROWS_SHOWN folded; each line is
edited on its own page, which returns to the process page (RETURN_TO_HUB)."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .. import models as m
from ..choices import Role

ROWS_SHOWN = 50  # per role; the rest behind "… more"
RETURN_TO_HUB = "hub"  # ?hub=<process id> on a participation's page: back to the process after saving


@dataclass
class RoleGroup:
    role: str
    label: str
    rows: list = field(default_factory=list)

    @property
    def shown(self):
        return self.rows[:ROWS_SHOWN]

    @property
    def folded(self):
        return self.rows[ROWS_SHOWN:]

    @property
    def in_force(self) -> int:
        return sum(1 for row in self.rows if row.in_force)


def participation_groups(process) -> list[RoleGroup]:
    """The participations in force today, and the curated ones that are not (ended, or starting
    later); those of earlier accounts open from the accounts table. Three queries."""
    today = timezone.localdate()
    in_force = set(m.Participation.objects.as_of(today).filter(process=process).values_list("pk", flat=True))
    rows = (
        m.Participation.objects.filter(process=process)
        .filter(Q(pk__in=in_force) | Q(account__isnull=True))
        .select_related("participant", "account__source")
        .prefetch_related(m.CITATIONS)
    )
    edit = reverse("admin:registry_participation_change", args=[0]).replace("/0/", "/{}/")
    query = urlencode({RETURN_TO_HUB: process.pk})
    order = {role: index for index, role in enumerate(Role.values)}
    groups: dict[str, RoleGroup] = {}
    for row in sorted(
        rows, key=lambda r: (order[r.role], r.pk not in in_force, r.position, r.participant.name)
    ):
        row.in_force = row.pk in in_force
        row.edit_url = f"{edit.format(row.pk)}?{query}"
        group = groups.setdefault(row.role, RoleGroup(row.role, Role(row.role).label))
        group.rows.append(row)
    return list(groups.values())

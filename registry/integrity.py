"""Consistency checks of the registry's data, shared by `manage.py check_registry`, tests and pages.

- stated totals ("(Total: 42)") against the participations listed for the same source and role;
- facts without a citation;
- states and territories without an ISO 3166-1 code although one exists;
- names (aliases) that resolve to two records.
"""

from collections import defaultdict
from dataclasses import dataclass

import pycountry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from . import models as m
from .choices import ParticipantKind

CITABLE_MODELS = [
    m.Process,
    m.ProcessAlias,
    m.ProcessAccount,
    m.StatedTotal,
    m.Participation,
    m.ParticipantAlias,
    m.IomOffice,
    m.IomOfficeAlias,
    m.IomRole,
    m.Event,
    m.WorkingGroup,
    m.Phase,
    m.RegionalGrouping,
    m.Region,
]


@dataclass(frozen=True)
class TotalCheck:
    total: m.StatedTotal
    listed: int

    @property
    def agrees(self) -> bool:
        return self.listed == self.total.stated

    @property
    def explained(self) -> bool:
        return bool(self.total.note.strip())

    @property
    def partial(self) -> bool:
        """Fewer names than the total, from a list the source gives only in part (or not at all):
        the difference is the source's silence, not a conflict."""
        return self.listed < self.total.stated and not getattr(self.total, "list_complete", True)

    @property
    def status(self) -> str:
        if self.agrees:
            return "agrees"
        if self.explained:
            return "explained"
        return "partial list" if self.partial else "UNEXPLAINED"

    def __str__(self):
        account = self.total.account
        line = (
            f"{account.process.short_name} ({account.source.label}): stated {self.total.stated}, "
            f"listed {self.listed} [{self.status}]"
        )
        if not self.agrees and self.explained:
            line += f" - {self.total.note}"
        return line


def stated_totals(process=None) -> list[TotalCheck]:
    """Every stated total (of one process, if given) with the number of counted participations of
    its account and role (models.stated_totals_with_listed): one query whatever the number."""
    totals = (
        m.stated_totals_with_listed()
        .select_related("account__process")
        .order_by("account__process__short_name", "account__source__as_of")
    )
    if process is not None:
        totals = totals.filter(account__process=process)
    return [TotalCheck(total, total.listed) for total in totals]


def uncited_facts() -> dict[str, list[str]]:
    """Facts of each citable model that cite no source."""
    found = {}
    for model in CITABLE_MODELS:
        content_type = ContentType.objects.get_for_model(model)
        cited = m.Citation.objects.filter(content_type=content_type).values("object_id")
        missing = model.objects.exclude(pk__in=cited)
        if missing.exists():
            found[str(model._meta.verbose_name_plural)] = [str(obj) for obj in missing[:50]]
    return found


def participants_missing_iso() -> list[tuple[m.Participant, str]]:
    """States and territories without an ISO code, with the code pycountry suggests for the name."""
    missing = []
    # A note says why a record has no code (Kosovo has none; "St. Martin" may be either of two).
    for participant in m.Participant.objects.states_and_territories().filter(iso_code__isnull=True, note=""):
        try:
            suggestion = pycountry.countries.lookup(participant.name).alpha_2
        except LookupError:
            suggestion = ""
        missing.append((participant, suggestion))
    return missing


def ambiguous_names() -> list[tuple[str, list[str]]]:
    """Normalized names that more than one participant, or more than one process, answers to."""
    problems = []
    owners = defaultdict(set)
    for pk, key in m.Participant.objects.values_list("pk", "name_key"):
        owners[key].add(pk)
    for pk, key in m.ParticipantAlias.objects.values_list("participant_id", "name_key"):
        owners[key].add(pk)
    names = dict(m.Participant.objects.values_list("pk", "slug"))
    problems += [(key, sorted(names[pk] for pk in pks)) for key, pks in owners.items() if len(pks) > 1]

    process_owners = defaultdict(set)
    for pk, key in m.ProcessAlias.objects.values_list("process_id", "name_key"):
        process_owners[key].add(pk)
    slugs = dict(m.Process.objects.values_list("pk", "slug"))
    problems += [
        (key, sorted(slugs[pk] for pk in pks)) for key, pks in process_owners.items() if len(pks) > 1
    ]
    return sorted(problems)


def problems() -> list[str]:
    """Everything that needs a curator's attention, as sentences (empty when the data is clean)."""
    found = [f"Unexplained total: {check}" for check in stated_totals() if check.status == "UNEXPLAINED"]
    for label, facts in uncited_facts().items():
        found.append(f"{len(facts)} {label} cite no source, e.g. {facts[0]}")
    for participant, suggestion in participants_missing_iso():
        hint = f" (ISO 3166-1 suggests {suggestion})" if suggestion else ""
        found.append(f"{participant} ({participant.get_kind_display()}) has no ISO code{hint}")
    for name, records in ambiguous_names():
        found.append(f"The name {name!r} resolves to several records: {', '.join(records)}")
    return found


def counts() -> dict[str, int]:
    """Rows per model, for reports."""
    kinds = dict(m.Participant.objects.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    result = {
        "source documents": m.SourceDocument.objects.count(),
        "regions": m.Region.objects.count(),
        "processes": m.Process.objects.count(),
        "process aliases": m.ProcessAlias.objects.count(),
        "process accounts": m.ProcessAccount.objects.count(),
        "states": kinds.get(ParticipantKind.STATE, 0),
        "territories": kinds.get(ParticipantKind.TERRITORY, 0),
        "organizations": kinds.get(ParticipantKind.ORGANIZATION, 0),
        "participant name variants": m.ParticipantAlias.objects.count(),
        "participations": m.Participation.objects.count(),
        "stated totals": m.StatedTotal.objects.count(),
        "priorities": m.Priority.objects.count(),
        "working groups": m.WorkingGroup.objects.count(),
        "phases": m.Phase.objects.count(),
        "IOM offices": m.IomOffice.objects.count(),
        "IOM roles": m.IomRole.objects.count(),
        "events": m.Event.objects.count(),
        "regional groupings": m.RegionalGrouping.objects.count(),
        "citations": m.Citation.objects.count(),
    }
    return result

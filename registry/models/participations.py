"""Who takes part in which process, in what role, for what period, says which source."""

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import LEADERSHIP_ROLES, DepartureKind, Role
from .accounts import ProcessAccount, StatedList
from .base import CitableModel, PeriodModel, account_process_errors, covers_q, period_constraints

__all__ = [
    "Departure",
    "Participation",
    "accounts_in_force",
    "change_of_roles",
    "JOINED",
    "LEFT",
    "ROLE_CHANGED",
]

# How a participant's roles in a process differ between two days (the change report, an account's
# preview): one rule, change_of_roles().
JOINED, LEFT, ROLE_CHANGED = "joined", "left", "role changed"


def change_of_roles(before: set[str], after: set[str]) -> str | None:
    """joined (no role before), left (none after), role changed, or None when the same."""
    if before == after:
        return None
    return JOINED if not before else LEFT if not after else ROLE_CHANGED


EARLIEST = date(1, 1, 1)
LATEST = date(9999, 12, 31)


def accounts_in_force(day: date, states: Q | None = None, excluding=None):
    """The ids of every process's latest account dated on or before `day` (for all the processes
    at once: what each process's banner and reports rest on); with `states`, in force for what it
    says: the latest account on or before the day that states it (IOM's roles: an account that
    says nothing of them leaves them as the last one that did). Not correlated with the outer
    query, so the database computes it once instead of once per row."""
    dated = ProcessAccount.objects.filter(source__as_of__lte=day)
    if states is not None:
        dated = dated.filter(states)
    if excluding is not None:
        dated = dated.exclude(pk=excluding.pk)
    newer = dated.filter(process=OuterRef("process")).filter(
        Q(source__as_of__gt=OuterRef("source__as_of"))
        | Q(source__as_of=OuterRef("source__as_of"), pk__gt=OuterRef("pk"))
    )
    return dated.exclude(Exists(newer)).values("pk")


def _stated_later(day: date) -> Q:
    """Of a fact of a later account (by the day) than the outer participation's."""
    outer_day = ProcessAccount.objects.filter(pk=OuterRef(OuterRef("account"))).values("source__as_of")[:1]
    return Q(account__source__as_of__lte=day) & (
        Q(account__source__as_of__gt=Subquery(outer_day))
        | Q(account__source__as_of=Subquery(outer_day), account__gt=OuterRef("account"))
    )


def earlier_lists_in_force(day: date, excluding=None):
    """The ids of participations of accounts before the latest (by the day) whose role's list is
    still in force: no later account by the day states that list complete. Only the processes
    whose latest account does not state every list complete can have any (a partial list, or
    one role stated): the papers' complete accounts cost nothing here. Not correlated with the
    outer query: the database computes it once."""
    latest = ProcessAccount.objects.filter(pk__in=accounts_in_force(day, excluding=excluding))
    complete = Count("stated_lists", filter=Q(stated_lists__complete=True))
    gaps = latest.annotate(complete=complete).filter(complete__lt=len(Role.values)).values("process")
    # The lists stated in those processes that no later complete list of their role replaced.
    stated = StatedList.objects.filter(account__process__in=gaps, account__source__as_of__lte=day)
    later_complete = StatedList.objects.filter(
        account__source__as_of__lte=day,
        complete=True,
        role=OuterRef("role"),
        account__process=OuterRef("account__process"),  # the process's few accounts, by its index
    ).filter(
        Q(account__source__as_of__gt=OuterRef("account__source__as_of"))
        | Q(account__source__as_of=OuterRef("account__source__as_of"), account__gt=OuterRef("account"))
    )
    if excluding is not None:
        stated, later_complete = stated.exclude(account=excluding), later_complete.exclude(account=excluding)
    live = stated.exclude(Exists(later_complete))
    return Participation.objects.filter(
        account__in=live.values("account"),  # few accounts: their participations by the index
        account__stated_lists__in=live.values("pk"),
        account__stated_lists__role=F("role"),
    ).values("pk")


def restated_or_departed(day: date, excluding=None):
    """The ids of participations a later source (by the day) speaks of again: it lists the same
    participant in the same role in a partial list (the later statement, with its citation, is the
    one in force: one row per participant and role), or says it left or withdrew. (A later
    complete list supersedes by earlier_lists_in_force.) Only the processes some partial list or
    departure concerns are looked at; computed once, not per row."""
    partial = StatedList.objects.filter(complete=False, account__source__as_of__lte=day)
    departures = Departure.objects.filter(account__source__as_of__lte=day)
    same = {"participant": OuterRef("participant"), "role": OuterRef("role")}
    restated = Participation.objects.filter(
        _stated_later(day),
        account__stated_lists__role=F("role"),
        account__stated_lists__complete=False,
        process=OuterRef("process"),
        **same,
    )
    departed = Departure.objects.filter(_stated_later(day), account__process=OuterRef("process"), **same)
    if excluding is not None:
        partial, departures = partial.exclude(account=excluding), departures.exclude(account=excluding)
        restated, departed = restated.exclude(account=excluding), departed.exclude(account=excluding)
    concerned = Q(process__in=partial.values("account__process")) | Q(
        process__in=departures.values("account__process")
    )
    spoken_of = Participation.objects.filter(concerned, account__isnull=False)
    return spoken_of.filter(Exists(restated) | Exists(departed)).values("pk")


def handed_over_q(day: date) -> Q:
    """A chair (co-chair, presidency) whose term no source ends has handed over once another
    holder of the role, its period covering the day, started after it on or before the day (after its
    source's day, for one whose start no source gives): one holder at a time, unless a source
    gives their periods (an end), or lists several with no start (co-holders)."""
    # A successor is a holder a source dates: its start, on or before the day, is the evidence (the
    # account-in-force test, a subquery over every account, would run once for each holder).
    successor = (
        Participation.objects.filter(covers_q(day))
        .filter(
            process=OuterRef("process"),
            role=OuterRef("role"),
            start__isnull=False,
            start__lte=day,
        )
        .exclude(pk=OuterRef("pk"))
    )
    started_later = successor.filter(start__gt=OuterRef("start"))
    # A holder no start is given for held the role on its source's day, at least.
    # (Read in the subquery: a join in the outer query would keep it off its covering index.)
    its_source_day = ProcessAccount.objects.filter(pk=OuterRef(OuterRef("account"))).values("source__as_of")
    after_its_source = successor.filter(start__gt=Subquery(its_source_day[:1]))
    return Q(role__in=LEADERSHIP_ROLES, end__isnull=True) & (
        (Q(start__isnull=False) & Exists(started_later))
        | (Q(start__isnull=True, account__isnull=False) & Exists(after_its_source))
        | (Q(start__isnull=True, account__isnull=True) & Exists(successor))
    )


class ParticipationQuerySet(models.QuerySet):
    def as_of(self, day: date, excluding=None):
        """Participations valid on `day`, by the registry's rule of evidence:

        - its period (NULL bounds open) covers the day, and
        - it is either a curated fact outside any source's account (no account), or its account's
          list of its role is in force on the day: its account is the process's latest dated on
          or before the day, or an earlier one whose list of that role no later account (by the
          day) states complete (earlier_lists_in_force); and no later source by the day lists it
          again in a partial list or says it left (restated_or_departed); or the source dates its
          start explicitly on or before the day;
        - a chair, co-chair or presidency has not handed over to a later holder (handed_over_q).

        `excluding`: an account to leave out, as if it were not recorded (a replacement's preview).

        So "as of April 2009" shows SCPF/30's lists, "as of 2003" MC/INF/266's, a process that only
        the 2003 paper describes keeps its 2003 lists as the last known state, and a news item
        listing some members in a partial list leaves the others, and the observers, as they were.
        """
        stated = (
            Q(account__in=accounts_in_force(day, excluding=excluding))
            | Q(pk__in=earlier_lists_in_force(day, excluding))
        ) & ~Q(pk__in=restated_or_departed(day, excluding))
        evidence = covers_q(day) & (
            Q(account__isnull=True)
            | stated
            | Q(
                start__isnull=False,
                account__in=ProcessAccount.objects.filter(source__as_of__gt=day).values("pk"),
            )
        )
        rows = self.filter(evidence).exclude(handed_over_q(day))
        return rows if excluding is None else rows.exclude(account=excluding)

    def current(self):
        return self.as_of(timezone.localdate())

    def participants_by_process(self) -> dict[int, frozenset[int]]:
        """{process id: ids of its participants} of these participations, in one query. The rows
        are read through the cursor: at 100 times the data (133,736 pairs) the ORM's rows take
        twice as long as the query."""
        sql, params = self.order_by().values_list("process_id", "participant_id").query.sql_with_params()
        participants = defaultdict(set)
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            for process_id, participant_id in cursor.fetchall():
                participants[process_id].add(participant_id)
        return {process_id: frozenset(ids) for process_id, ids in participants.items()}

    def roles_by_pair(self) -> dict[tuple[int, int], set[str]]:
        """{(process id, participant id): {role, ...}} of these participations, in one query."""
        roles = defaultdict(set)
        for process_id, participant_id, role in self.order_by().values_list(
            "process_id", "participant_id", "role"
        ):
            roles[(process_id, participant_id)].add(role)
        return dict(roles)


class Participation(CitableModel, PeriodModel):
    """A participant's role in a process over a period, as one source (account) states it, or as
    a curator records it later. Each source's statement is its own row: the 2003 and the 2009
    paper listing Albania in the Budapest Process are two facts, each with its citation."""

    process = models.ForeignKey(
        "registry.Process", on_delete=models.CASCADE, related_name="participations", verbose_name=_("process")
    )
    participant = models.ForeignKey(
        "registry.Participant",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("participant"),
    )
    role = models.CharField(_("role"), max_length=22, choices=Role.choices)
    account = models.ForeignKey(
        "registry.ProcessAccount",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("source's account"),
        help_text=_("The source's account that lists it; empty for a fact curated later."),
        db_column="snapshot_id",  # the column keeps its first name
    )
    name_as_cited = models.CharField(
        _("name as cited"),
        max_length=300,
        blank=True,
        help_text=_("The participant's name as the source writes it."),
    )
    group_label = models.CharField(
        _("group"),
        max_length=200,
        blank=True,
        help_text=_("The sub-list the source puts it in, e.g. 'Arab Partner States', 'IGAD Partners Forum'."),
    )
    status_note = models.TextField(_("status note"), blank=True)
    suspended = models.BooleanField(_("suspended"), default=False)
    counted_in_total = models.BooleanField(
        _("counted in the stated total"),
        default=False,
        help_text=_("Whether the source's stated total for this role includes it."),
    )
    position = models.PositiveSmallIntegerField(_("position in the source's list"), default=0)
    history = HistoricalRecords()

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["process", "role", "position", "pk"]
        indexes = [
            models.Index(fields=["process", "role", "position"], name="participation_order_idx"),
            # Covers the as-of rule's columns too: counting processes per participant over every
            # participation (the overlap matrix) reads this index alone, in participant order.
            models.Index(
                fields=["participant", "role", "process", "account", "start", "end"],
                name="participation_participant_idx",
            ),
            models.Index(fields=["start", "end"], name="participation_period_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="participation_role_valid",
                violation_error_message=_("Unknown role."),
            ),
            models.UniqueConstraint(
                F("process"),
                F("participant"),
                F("role"),
                Coalesce(F("account"), Value(0)),
                Coalesce(F("start"), Value(EARLIEST)),
                Coalesce(F("end"), Value(LATEST)),
                name="participation_no_duplicate",
                violation_error_message=_(
                    "This participant already has this role in this process for this period and source."
                ),
            ),
            *period_constraints("participation"),
        ]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self):
        period = f" ({self.period_display})" if self.period_display else ""
        return f"{self.participant} — {self.get_role_display()} — {self.process}{period}"

    def get_absolute_url(self):
        return reverse("admin:registry_participation_change", args=[self.pk])

    def clean(self):
        super().clean()
        errors = account_process_errors(self)
        if self.process_id and self.participant_id and self.role:
            overlapping = [
                other
                for other in Participation.objects.filter(
                    process_id=self.process_id,
                    participant_id=self.participant_id,
                    role=self.role,
                    account_id=self.account_id,
                ).exclude(pk=self.pk)
                if self.overlaps(other)
            ]
            if overlapping:
                message = _("Overlaps %(other)s (same participant, role and source).")
                errors["start"] = message % {"other": overlapping[0]}
        if errors:
            raise ValidationError(errors)


class Departure(CitableModel):
    """A source's statement that a participant left (or withdrew from) a role in the process, as of
    the source's date: from then on, no earlier source's listing of it in that role is in force.
    (A suspension is not a departure: the participation is stated again, marked suspended.)"""

    account = models.ForeignKey(
        "registry.ProcessAccount",
        on_delete=models.CASCADE,
        related_name="departures",
        verbose_name=_("source's account"),
    )
    participant = models.ForeignKey(
        "registry.Participant",
        on_delete=models.PROTECT,
        related_name="departures",
        verbose_name=_("participant"),
    )
    role = models.CharField(_("role"), max_length=22, choices=Role.choices)
    kind = models.CharField(
        _("how"), max_length=10, choices=DepartureKind.choices, default=DepartureKind.LEFT
    )
    name_as_cited = models.CharField(_("name as cited"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["account", "role", "participant__name"]
        indexes = [models.Index(fields=["participant", "role", "account"], name="departure_participant_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "participant", "role"],
                name="departure_unique_per_account",
                violation_error_message=_("This account already says this participant left this role."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="departure_role_valid",
                violation_error_message=_("Unknown role."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DepartureKind.values),
                name="departure_kind_valid",
                violation_error_message=_("Unknown kind of departure."),
            ),
        ]
        verbose_name = _("departure")
        verbose_name_plural = _("departures")

    def __str__(self):
        return f"{self.participant} — {self.get_kind_display()}: {self.get_role_display()} — {self.account}"

    def get_absolute_url(self):
        return self.account.get_absolute_url()

    @property
    def process(self):
        return self.account.process

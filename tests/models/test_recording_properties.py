"""Properties of recording an account, for any account hypothesis makes up (a random process, a
date after the newest source, complete and partial lists mixing known names, misspellings settled
by a curator and new participants, some aspects): the past holds, other processes hold, what it
does not state holds, and recording it again writes nothing."""

from datetime import date, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from registry import models as m
from registry.choices import Role

from ..helpers import make_later_source

PAST_DAYS = [date(2003, 12, 31), date(2006, 6, 30), date(2009, 4, 30), date(2015, 1, 1)]
LIST_ROLES = [Role.MEMBER, Role.OBSERVER, Role.PARTNER]


def answers(days, processes=None, roles=None):
    """{(day, process id): sorted (participant id, role)} of the "as of" rule on each day."""
    told = {}
    for day in days:
        rows = m.Participation.objects.as_of(day)
        if processes is not None:
            rows = rows.filter(process__in=processes)
        if roles is not None:
            rows = rows.filter(role__in=roles)
        for process_id, participant_id, role in rows.values_list("process_id", "participant_id", "role"):
            told.setdefault((day, process_id), []).append((participant_id, role))
    return {key: sorted(rows) for key, rows in told.items()}


def misspelt(name: str, at: int) -> str:
    at = at % max(len(name) - 1, 1)
    return name[:at] + name[at + 1] + name[at] + name[at + 2 :] if len(name) > 3 else name + "e"


@st.composite
def accounts(draw):
    processes = list(m.Process.objects.order_by("slug").values_list("slug", flat=True))
    states = list(m.State.objects.order_by("name").values_list("name", "pk"))
    slug = draw(st.sampled_from(processes))
    day = date(2016, 1, 1) + timedelta(days=draw(st.integers(0, 3000)))
    chosen = draw(st.lists(st.sampled_from(states), min_size=1, max_size=25, unique=True))
    lists, picks = {}, {}
    for number, (name, pk) in enumerate(chosen):
        role = draw(st.sampled_from(LIST_ROLES))
        written = name
        if draw(st.booleans()) and number % 3 == 0:  # a misspelling a curator settles
            written = misspelt(name, draw(st.integers(0, 20)))
            picks[written] = m.Participant.objects.get(pk=pk)
        lists.setdefault(role, []).append(written)
    for number in range(draw(st.integers(0, 3))):  # participants new to the registry
        name = f"Test Organization {draw(st.integers(0, 10_000))}-{number}"
        lists.setdefault(Role.OBSERVER, []).append(name)
        picks[name] = m.NewParticipant(name=name, kind="organization")
    partial = frozenset(draw(st.lists(st.sampled_from(sorted(lists)), unique=True)))
    aspects = m.AccountAspects(
        region=draw(st.sampled_from([None, "Europe and Central Asia"])),
        secretariat_kind=draw(st.sampled_from([None, "permanent"])),
    )
    return slug, day, lists, picks, partial, aspects


def stated(process, day) -> dict:
    """What the process's region and secretariat rest on by the day."""
    accounts = list(m.ProcessAccount.objects.filter(process=process).order_by("source__as_of", "pk"))
    return {aspect: m.account_stating(accounts, aspect, day) for aspect in ("region", "secretariat")}


class RecordingProperties(TestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(account=accounts())
    def test_the_past_and_other_processes_hold_and_again_writes_nothing(self, account):
        slug, day, lists, picks, partial, aspects = account
        process = m.Process.objects.get(slug=slug)
        source = make_later_source(f"A later source about {slug} (test)", day)
        others = list(m.Process.objects.exclude(pk=process.pk).values_list("pk", flat=True))
        later_days = [day, day + timedelta(days=400)]
        unstated_roles = [role for role in Role.values if role not in lists]
        before_past = answers([*PAST_DAYS, day - timedelta(days=1)])
        before_others = answers(later_days, others)
        before_unstated = answers(later_days, [process.pk], unstated_roles)
        before_partial = answers(later_days, [process.pk], partial)
        before_aspects = stated(process, day)
        fields = dict(process=process, source=source, locator="para. 1", lists=lists, partial_roles=partial)

        draft = m.AccountDraft(**fields, picks=picks, aspects=aspects)
        preview = draft.preview()
        if not preview.valid:  # two misspellings of one name, say: refused, and nothing written
            event("refused")
            return
        event("recorded, with a partial list" if partial else "recorded, complete lists")
        account = draft.apply()

        assert answers([*PAST_DAYS, day - timedelta(days=1)]) == before_past  # the past holds
        assert answers(later_days, others) == before_others  # other processes hold
        # The lists it does not state hold; a partial list adds, and no one leaves it.
        assert answers(later_days, [process.pk], unstated_roles) == before_unstated
        for key, rows in before_partial.items():
            assert set(rows) <= set(answers([key[0]], [process.pk], partial).get(key, []))
        # A complete list is its own and curated facts only.
        complete = [role for role in lists if role not in partial]
        listed = m.Participation.objects.as_of(day).filter(process=process, role__in=complete)
        assert set(listed.values_list("account_id", flat=True)) <= {account.pk, None}
        # An aspect it does not give rests where it rested.
        after_aspects = stated(process, day)
        for aspect, stated_value in (("region", aspects.region), ("secretariat", aspects.secretariat_kind)):
            assert after_aspects[aspect] == (account if stated_value else before_aspects[aspect])

        changes = m.Change.objects.count()
        version = m.RegistryVersion.objects.get().number
        again = m.AccountDraft(
            **fields,
            picks={name: who for name, who in picks.items() if not isinstance(who, m.NewParticipant)},
            aspects=aspects,
            replacing=account,
        )
        again.apply()
        assert not again.written
        assert (m.Change.objects.count(), m.RegistryVersion.objects.get().number) == (changes, version)

"""A new account recorded as a whole (registry.models.recording): the preview against the account
in force on the source's date, the checks, and one all-or-nothing write."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry import models as m

pytestmark = pytest.mark.django_db

SCPF_DAY = date(2009, 4, 30)


def members_on(process, day):
    return set(
        m.Participation.objects.as_of(day)
        .filter(process=process, role="member")
        .values_list("participant__name", flat=True)
    )


@pytest.fixture
def budapest(process):
    return process("budapest-process")


@pytest.fixture
def scpf_members(budapest):
    """SCPF/30's list of the Budapest Process's governments, as it writes the names."""
    rows = m.Participation.objects.filter(process=budapest, role="member", account__source__symbol="SCPF/30")
    return list(rows.order_by("position").values_list("name_as_cited", flat=True))


def draft(budapest, later_source, members, **changes):
    data = {
        "process": budapest,
        "source": later_source,
        "locator": "para. 3",
        "lists": {"member": members, "observer": ["UNHCR"]},
        "stated_totals": {"member": len(members)},
        "leaders": [m.Leader("chair", "Türkiye", "2024-06")],
    }
    data.update(changes)
    return m.AccountDraft(**data)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Albania, Austria and Belgium.", ["Albania", "Austria", "Belgium"]),
        ("Bosnia and Herzegovina, Trinidad and Tobago", ["Bosnia and Herzegovina", "Trinidad and Tobago"]),
        (
            "- Laos PDR\n- the USA\n\n3. France (New Caledonia)",
            ["Laos PDR", "the USA", "France (New Caledonia)"],
        ),
        ("Korea, Republic of\nViet Nam", ["Korea, Republic of", "Viet Nam"]),
        ("  ", []),
    ],
)
def test_pasted_lists_are_split_as_documents_write_them(text, names):
    assert m.split_names(text) == names


def test_the_preview_compares_with_the_account_in_force_on_the_source_date(
    budapest, later_source, scpf_members
):
    members = [name for name in scpf_members if name not in ("Ukraine", "Uzbekistan")] + ["Laos PDR"]
    with CaptureQueriesContext(connection) as queries:
        preview = draft(budapest, later_source, members).preview()
    assert preview.valid, preview.errors
    assert len(queries) <= 15  # names resolved from one read of them all, not a query each
    assert preview.in_force.source.symbol == "SCPF/30"
    names = lambda rows: {row.participant.name for row in rows}  # noqa: E731
    assert names(preview.joined) == {"Lao People's Democratic Republic"}
    assert {"Ukraine", "Uzbekistan"} <= names(preview.left)
    # The document lists UNHCR as an observer; SCPF/30's "observer or partner" list, which it does
    # not state, stays as SCPF/30 gave it.
    unhcr = next(row for row in preview.changed if "Refugees" in row.participant.name)
    assert (unhcr.previous_roles, unhcr.roles) == (
        ["observer_or_partner"],
        ["observer", "observer_or_partner"],
    )
    assert "Albania" in names(preview.unchanged)
    assert all(row.departure == "" for row in preview.left)  # inferred from the complete member list
    assert preview.totals == {"member": {"stated": len(members), "listed": len(members)}}
    assert not m.ProcessAccount.objects.filter(source=later_source).exists()  # a preview writes nothing


def test_applying_keeps_earlier_dates_and_bumps_the_version_once(budapest, later_source, scpf_members):
    before_2009 = members_on(budapest, SCPF_DAY)
    assert len(before_2009) == 49  # SCPF/30's governments
    members = [name for name in scpf_members if name != "Ukraine"] + ["Laos PDR", "the USA"]
    recording = draft(budapest, later_source, members, reason="Fifth Ministerial Conference (test)")
    preview = recording.preview()
    version = m.RegistryVersion.current()[0]
    account = recording.apply()
    number = lambda v: int(v.rsplit(":", 1)[1])  # noqa: E731
    assert number(m.RegistryVersion.current()[0]) == number(version) + 1
    assert members_on(budapest, SCPF_DAY) == before_2009
    today = members_on(budapest, date.today())
    assert (
        "Ukraine" not in today and {"Lao People's Democratic Republic", "United States of America"} <= today
    )
    assert len(today) == len(members)
    listed = account.participations.order_by("position")
    assert [p.name_as_cited for p in listed][:2] == members[:2]
    chair = listed.get(role="chair")
    assert (chair.participant.iso_code, chair.start, chair.start_precision) == (
        "TR",
        date(2024, 6, 1),
        "month",
    )
    assert all(p.citations.get().locator == "para. 3" for p in listed)
    reasons = set(
        m.Participation.history.filter(account_id=account.pk).values_list("history_change_reason", flat=True)
    )
    assert reasons == {"Fifth Ministerial Conference (test)"}
    assert account.stated_totals.get().stated == len(members)
    changes = m.Participation.objects.as_of(SCPF_DAY).filter(process=budapest).roles_by_pair()
    after = m.Participation.objects.as_of(date.today()).filter(process=budapest).roles_by_pair()
    report = {
        (key[1], m.change_of_roles(changes.get(key, set()), after.get(key, set())))
        for key in set(changes) | set(after)
        if m.change_of_roles(changes.get(key, set()), after.get(key, set()))
    }
    expected = {(row.participant.pk, "joined") for row in preview.joined}
    expected |= {(row.participant.pk, "left") for row in preview.left}
    expected |= {(row.participant.pk, "role changed") for row in preview.changed}
    assert report == expected


def test_names_that_do_not_resolve_block_until_picked_or_created(budapest, later_source, scpf_members):
    members = [*scpf_members, "Kosovo", "Phillipines"]
    recording = draft(budapest, later_source, members)
    preview = recording.preview()
    assert [r.name for r in preview.unresolved] == ["Kosovo", "Phillipines"]
    philippines = next(r for r in preview.unresolved if r.name == "Phillipines")
    assert philippines.candidates[0].participant.name == "Philippines"
    with pytest.raises(ValidationError) as refused:
        recording.apply()
    assert "unresolved" in refused.value.message_dict
    assert not m.ProcessAccount.objects.filter(source=later_source).exists()

    picks = {
        "Kosovo": m.NewParticipant("Kosovo", "territory", "xk"),
        "Phillipines": philippines.candidates[0].participant,
    }
    account = draft(budapest, later_source, members, picks=picks).apply()
    kosovo = m.Participant.objects.get(iso_code="XK")
    assert kosovo.slug == "kosovo" and kosovo.citations.get().source == later_source
    alias = m.ParticipantAlias.objects.get(name="Phillipines")
    assert alias.participant.name == "Philippines" and alias.citations.get().source == later_source
    assert account.participations.filter(participant=kosovo, name_as_cited="Kosovo").exists()
    # The next document that writes it so resolves on its own.
    assert m.NameResolver().resolve("Phillipines").participant.name == "Philippines"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"lists": {}, "leaders": []},
            "lists",
            "State at least one list, departure or aspect of the process.",
        ),
        (
            {"lists": {"member": ["Albania", "albania"]}},
            "lists",
            "is in the member / participating government list twice",
        ),
        ({"lists": {"member": ["Albania", "Turkey", "Türkiye"]}}, "lists", "also as “Turkey”"),
        ({"lists": {"emperor": ["Albania"]}}, "lists", "“emperor” is not a role."),
        ({"locator": " "}, "locator", "a locator"),
        ({"leaders": [m.Leader("chair", "Albania", "June 2024")]}, "chair", "Enter a year"),
        ({"stated_totals": {"member": -1}}, "stated_totals", "a whole number"),
        (
            {"picks": {"Kosovo": m.NewParticipant("Kosovo", "territory", "NZ")}},
            "new_participants",
            "ISO code",
        ),
    ],
    ids=lambda value: str(value)[:30],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    budapest, later_source, changes, field, message
):
    count = (m.ProcessAccount.objects.count(), m.Participation.objects.count(), m.Participant.objects.count())
    lists = {"lists": {"member": ["Albania", "Kosovo"]}}
    recording = draft(budapest, later_source, ["Albania"], **{**lists, **changes})
    preview = recording.preview()
    assert message in " ".join(preview.errors.get(field, [])), preview.errors
    with pytest.raises(ValidationError):
        recording.apply()
    assert (
        m.ProcessAccount.objects.count(),
        m.Participation.objects.count(),
        m.Participant.objects.count(),
    ) == count


def test_a_source_dated_after_today_is_refused(budapest, later_source):
    m.SourceDocument.objects.filter(pk=later_source.pk).update(as_of=date(2999, 1, 1))
    later_source.refresh_from_db()
    assert "source" in draft(budapest, later_source, ["Albania"]).preview().errors


def test_an_account_older_than_the_one_in_force_must_be_marked_a_correction(
    budapest, later_source, scpf_members
):
    m.SourceDocument.objects.filter(pk=later_source.pk).update(as_of=date(2005, 1, 1), date=date(2005, 1, 1))
    later_source.refresh_from_db()
    preview = draft(budapest, later_source, scpf_members).preview()
    assert "SCPF/30" in " ".join(preview.errors["correction"])
    account = draft(budapest, later_source, scpf_members, correction=True).apply()
    assert m.ProcessAccount.objects.filter(
        pk__in=m.accounts_in_force(date(2006, 1, 1)), pk=account.pk
    ).exists()
    in_2006 = m.ProcessAccount.objects.filter(process=budapest, source__as_of__lte=date(2006, 1, 1))
    assert in_2006.order_by("-source__as_of").first() == account
    assert members_on(budapest, SCPF_DAY) == set(
        m.Participation.objects.filter(
            process=budapest, role="member", account__source__symbol="SCPF/30"
        ).values_list("participant__name", flat=True)
    )


def test_replacing_an_account_keeps_one_account_per_source(budapest, later_source, scpf_members):
    account = draft(budapest, later_source, scpf_members).apply()
    again = draft(budapest, later_source, scpf_members)
    assert again.preview().existing == account
    replaced = draft(budapest, later_source, scpf_members[:10], replacing=account).apply()
    assert replaced.pk == account.pk
    assert replaced.participations.filter(role="member").count() == 10
    assert m.ProcessAccount.objects.filter(source=later_source).count() == 1

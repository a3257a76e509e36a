"""Facts chosen across both papers, asserted as the papers state them, with their citations."""

from datetime import date

import pytest

from registry import models as m
from registry.choices import IomFunction, IomRoleStatus, Role, SecretariatKind

pytestmark = pytest.mark.django_db


def citations(obj):
    return {(c.source.symbol, c.locator) for c in obj.citations.select_related("source")}


def test_every_process_of_both_annex_tables_is_there():
    assert m.Process.objects.count() == 17
    in_2003 = set(
        m.ProcessAccount.objects.filter(source__symbol="MC/INF/266").values_list("process__slug", flat=True)
    )
    in_2009 = set(
        m.ProcessAccount.objects.filter(source__symbol="SCPF/30").values_list("process__slug", flat=True)
    )
    assert len(in_2009) == 14
    # 13 rows of MC/INF/266 Annex II, plus the Colombo consultations of its Annex I, para. 15
    assert len(in_2003) == 14
    assert in_2003 | in_2009 == set(m.Process.objects.values_list("slug", flat=True))


def test_member_in_2009(account, participant):
    """SCPF/30 Annex II: Montenegro is a government of the Budapest Process (as of April 2009)."""
    row = m.Participation.objects.get(
        account=account("budapest-process", "SCPF/30"), participant=participant("ME")
    )
    assert row.role == Role.MEMBER and row.counted_in_total
    assert ("SCPF/30", "Annex II, row 'Budapest Process', column 'Governments'") in citations(row)


def test_member_in_2003_is_a_separate_dated_fact(account, participant):
    """Albania is listed by both papers: two facts, each citing its paper."""
    rows = m.Participation.objects.filter(
        process__slug="budapest-process", participant=participant("AL"), role=Role.MEMBER
    ).select_related("account__source")
    assert sorted(r.account.source.symbol for r in rows) == ["MC/INF/266", "SCPF/30"]


def test_role_changes_between_papers(participant):
    """Australia: a Budapest Group government in 2003, among observers and partners in 2009."""
    roles = dict(
        m.Participation.objects.filter(
            process__slug="budapest-process", participant=participant("AU")
        ).values_list("account__source__symbol", "role")
    )
    assert roles == {"MC/INF/266": Role.MEMBER, "SCPF/30": Role.OBSERVER_OR_PARTNER}


def test_observer_stated_as_such(account, participant):
    """SCPF/30: MTM's observers include Australia; the cell says 'Observers are ...'."""
    row = m.Participation.objects.get(account=account("mtm", "SCPF/30"), participant=participant("AU"))
    assert row.role == Role.OBSERVER


def test_secretariat(account):
    """SCPF/30 Annex II: the Budapest Process secretariat is 'Hosted by ICMPD'."""
    account = account("budapest-process", "SCPF/30")
    assert account.secretariat == "Hosted by ICMPD"
    assert account.secretariat_kind == SecretariatKind.ORGANIZATION
    holder = account.participations.get(role=Role.SECRETARIAT)
    assert holder.participant.acronym == "ICMPD"


def test_secretariat_changed_over_time(account):
    """MIDSA: IOM serves as the secretariat in 2003; 'No official secretariat' in 2009."""
    assert account("midsa", "MC/INF/266").secretariat_kind == SecretariatKind.IOM
    assert account("midsa", "SCPF/30").secretariat_kind == SecretariatKind.NONE
    assert account("midsa", "SCPF/30").secretariat.startswith("No official secretariat")


@pytest.mark.parametrize(
    ("slug", "function", "status"),
    [
        ("budapest-process", IomFunction.SECRETARIAT, IomRoleStatus.NOT_APPLICABLE),
        ("budapest-process", IomFunction.EXPERT, IomRoleStatus.DESCRIBED),
        ("igad-rcp", IomFunction.RESEARCH, IomRoleStatus.NOT_YET),
        ("midwa", IomFunction.RESEARCH, IomRoleStatus.NOT_CURRENTLY),
        ("bali-process", IomFunction.RESEARCH, IomRoleStatus.NOT_YET),
    ],
)
def test_iom_role_cells(slug, function, status):
    role = m.IomRole.objects.get(process__slug=slug, function=function, account__source__symbol="SCPF/30")
    assert role.status == status


def test_every_iom_role_cell_of_scpf30_annex_i():
    assert m.IomRole.objects.filter(account__source__symbol="SCPF/30").count() == 14 * 4


def test_iom_role_text_and_offices():
    role = m.IomRole.objects.get(
        process__slug="budapest-process", function=IomFunction.EXPERT, account__source__symbol="SCPF/30"
    )
    assert role.description == "IOM regularly participates in Budapest Process meetings."
    assert {o.slug for o in role.offices.all()} == {"slm-vienna", "mrf-budapest", "iom-ankara"}
    assert (
        "SCPF/30",
        "Annex I, row 'Budapest Process', column 'Expert Contributions Provided by IOM'",
    ) in citations(role)


def test_event_dates_keep_their_precision():
    """MC/INF/266 Annex I, para. 14: the Bali Conference met on 26 to 28 February 2002."""
    event = m.Event.objects.get(process__slug="bali-process", title__startswith="First Bali Ministerial")
    assert (event.start, event.end) == (date(2002, 2, 26), date(2002, 2, 28))
    assert event.period_display == "26\u201328 February 2002"
    midsa = m.Event.objects.get(title="Second Forum on Regional Labour Migration")
    assert midsa.period_display == "March 2002"
    assert ("MC/INF/266", "Annex I, para. 1") in citations(midsa)


def test_every_midsa_workshop_2000_2003_is_an_event():
    events = m.Event.objects.filter(process__slug="midsa", citations__locator="Annex I, para. 1")
    assert events.count() == 8  # the launch (November 2000) and the seven workshops and forums, 2000-2003
    assert sorted(e.start.year for e in events) == [2000, 2000, 2001, 2002, 2002, 2003, 2003, 2003]


def test_alias_in_spanish_cites_its_source():
    alias = m.ProcessAlias.objects.get(name="Conferencia Regional sobre Migraciones")
    assert alias.process.slug == "rcm" and alias.language == "es"
    assert ("SCPF/30", "para. 7") in citations(alias)


def test_conflicting_years_are_both_kept(process, later_sources):
    """MIDWA: established in 2001 says MC/INF/266 Annex II, in 2000 says SCPF/30 Annex II."""
    assert process("midwa").years_established()[:2] == [(2001, "MC/INF/266"), (2000, "SCPF/30")]
    budapest = process("budapest-process").years_established()
    assert budapest[:2] == [(1991, "MC/INF/266"), (1991, "SCPF/30")]
    # A later source disagrees (IOM's profile page: 1993): kept beside the others.
    assert (1993, "IOM profile page: Budapest Process") in budapest


def test_regions_are_each_papers_own(account):
    assert account("bali-process", "MC/INF/266").region.name == "Asia/Pacific"
    assert account("bali-process", "SCPF/30").region.name.startswith("Others: Like-minded States")
    assert account("5-plus-5-dialogue", "MC/INF/266").region.name == "Interregional"
    assert account("5-plus-5-dialogue", "SCPF/30").region.name == "Western Mediterranean"


def test_status_notes_of_the_papers(account, participant):
    eritrea = m.Participation.objects.get(
        account=account("igad-rcp", "SCPF/30"), participant=participant("ER")
    )
    assert eritrea.suspended and not eritrea.counted_in_total
    assert "temporarily suspended" in eritrea.status_note
    nz = m.Participation.objects.get(account=account("apc", "SCPF/30"), participant=participant("NZ"))
    assert nz.end == date(2003, 12, 31) and nz.name_as_cited == "New Zealand (until 2003)"
    madagascar = m.Participation.objects.get(
        process__slug="midsa", participant=participant("MG"), role=Role.INVITED
    )
    assert madagascar.start == date(2003, 1, 1) and madagascar.period_display == "since 2003"
    timor = m.Participation.objects.get(account=account("apc", "MC/INF/266"), participant=participant("TL"))
    assert "sixth APC plenary" in timor.status_note


def test_afghanistan_observer_then_member_of_colombo(participant):
    rows = m.Participation.objects.filter(process__slug="colombo-process", participant=participant("AF"))
    by_role = {r.role: r for r in rows}
    assert by_role[Role.OBSERVER].period_display == "2004"
    assert by_role[Role.MEMBER].period_display == "since 2005"


def test_lists_given_by_reference_are_expanded_with_a_note(account):
    """MTM: 'the 27 EU Member States' (as of April 2009)."""
    eu = account("mtm", "SCPF/30").participations.filter(name_as_cited="the 27 EU Member States")
    assert eu.count() == 27
    assert all("without naming them" in row.status_note for row in eu)
    assert {"DE", "BG", "RO", "GB"} <= set(eu.values_list("participant__iso_code", flat=True))


def test_chairs_and_presidencies(participant):
    assert m.Participation.objects.get(
        process__slug="rcm", role=Role.PRESIDENCY_PRO_TEMPORE
    ).participant == participant("GT")
    turkey = m.Participation.objects.get(process__slug="budapest-process", role=Role.CHAIR)
    assert turkey.participant == participant("TR") and turkey.period_display == "since 2006"
    igc_chairs = m.Participation.objects.filter(process__slug="igc", role=Role.CHAIR).order_by("start")
    assert [c.participant.iso_code for c in igc_chairs] == ["IE", "SE", "CH"]


def test_working_groups_with_chairs():
    groups = m.WorkingGroup.objects.filter(process__slug="budapest-process").select_related(
        "chair", "co_chair"
    )
    assert groups.count() == 7
    return_group = groups.get(name="Working Group on Return and Readmission")
    assert (return_group.chair.iso_code, return_group.co_chair.iso_code) == ("PL", "GB")


def test_mtm_phases():
    phases = m.Phase.objects.filter(process__slug="mtm")
    assert [p.name for p in phases] == [
        "Exploratory Phase",
        "Consolidation Phase",
        "Project Phase",
        "A Dialogue In Action",
    ]
    assert phases.last().end is None


def test_priorities_are_ordered(account):
    priorities = list(account("midsa", "SCPF/30").priorities.values_list("text", flat=True))
    assert priorities == [
        "counter-trafficking/smuggling",
        "migration management/capacity building",
        "migration and development",
    ]


def test_regional_groupings_of_annex_iii():
    groupings = m.RegionalGrouping.objects.filter(source__symbol="MC/INF/266")
    assert groupings.filter(focus="focus").count() == 15
    assert groupings.filter(focus="interest").count() == 32
    assert groupings.get(name="Southern African Development Community (SADC)").organization.acronym == "SADC"
    assert groupings.get(name="Budapest Group").process.slug == "budapest-process"
    other = set(m.RegionalGrouping.objects.filter(source__symbol="SCPF/30").values_list("acronym", flat=True))
    assert {"MARRI", "OCAM", "PIDC", "JCMs"} <= other


def test_no_raw_html_is_stored():
    for model, fields in [
        (
            m.ProcessAccount,
            ["secretariat", "main_areas", "current_priorities", "participation_notes", "notes"],
        ),
        (m.IomRole, ["description"]),
        (m.Priority, ["text"]),
        (m.Event, ["description", "title"]),
    ]:
        for field in fields:
            assert not model.objects.filter(**{f"{field}__regex": r"</?[a-zA-Z][^>]*>"}).exists(), (
                model,
                field,
            )


def test_iom_roles_as_mc_inf_266_describes_them(account):
    """2003: IOM serves as MIDSA's secretariat; the Cluster Process's projects are implemented by
    IOM's missions in the South Caucasus (Annex I, paras. 1 and 24)."""
    midsa = m.IomRole.objects.get(account=account("midsa", "MC/INF/266"), function=IomFunction.SECRETARIAT)
    assert "serve as the secretariat" in midsa.description
    assert ("MC/INF/266", "Annex I, para. 1") in citations(midsa)
    cluster = m.IomRole.objects.get(
        account=account("cluster-process", "MC/INF/266"), function=IomFunction.IMPLEMENTING
    )
    assert {o.country.iso_code for o in cluster.offices.select_related("country")} == {"AM", "AZ", "GE"}
    # MC/INF/266 describes functions in prose: it never says "Not applicable".
    assert (
        not m.IomRole.objects.filter(account__source__symbol="MC/INF/266")
        .exclude(status="described")
        .exists()
    )

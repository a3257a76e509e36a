"""The later sources (fixtures/sources/): IOM's profile pages of the consultation mechanisms and
its 2017 overview, recorded through the account recorder on top of the papers."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from registry import conflicts, integrity
from registry import models as m
from registry.seeding.loader import Loader
from registry.seeding.store import SeedReport

pytestmark = pytest.mark.django_db

END_2009 = date(2009, 12, 31)
APRIL_2009 = date(2009, 4, 30)


def later_accounts():
    return m.ProcessAccount.objects.filter(source__as_of__gt=END_2009).select_related("process", "source")


def members_by_process(day):
    rows = (
        m.Participation.objects.as_of(day)
        .filter(role="member")
        .values_list("process__slug", "participant__slug")
    )
    found = {}
    for process, participant in rows:
        found.setdefault(process, set()).add(participant)
    return found


def test_at_least_25_mechanisms_have_an_account_after_2009(later_sources):
    processes = {account.process.slug for account in later_accounts()}
    assert len(processes) >= 25
    # the mechanisms the papers did not know are there, with IOM's type as a cited aspect
    for slug in (
        "almaty-process",
        "prague-process",
        "rabat-process",
        "khartoum-process",
        "midcom",
        "arcp",
        "gfmd",
    ):
        assert slug in processes
    almaty = m.Process.objects.get(slug="almaty-process")
    assert (
        m.account_stating(almaty.accounts.select_related("source"), "mechanism_type").mechanism_type == "rcp"
    )


def test_every_later_fact_cites_its_source_and_place(later_sources):
    for account in later_accounts():
        assert account.citations.filter(source=account.source).exclude(locator="").exists(), account
        for row in account.participations.all():
            assert row.citations.filter(source=account.source).exclude(locator="").exists(), row
        assert account.source.consulted == date(2026, 12, 6)


def test_the_papers_facts_do_not_change(django_db_blocker):
    """Loading the later sources leaves every paper's account, and the members as of April 2009
    and as of 2003, as they were."""
    papers = m.ProcessAccount.objects.filter(source__symbol__in=["MC/INF/266", "SCPF/30"])
    rows = m.Participation.objects.filter(account__in=papers)
    fields = ("account_id", "participant_id", "role", "start", "end", "name_as_cited", "status_note")
    before = set(rows.values_list(*fields))
    members_2009, members_2003 = members_by_process(APRIL_2009), members_by_process(date(2003, 12, 31))
    Loader(Path(settings.REGISTRY_FIXTURES_DIR), SeedReport()).load_later_sources()
    assert set(rows.values_list(*fields)) == before
    assert members_by_process(APRIL_2009) == members_2009
    assert members_by_process(date(2003, 12, 31)) == members_2003


def test_each_account_is_recorded_through_the_recorder(later_sources):
    almaty = m.Process.objects.get(slug="almaty-process")
    account = almaty.accounts.get(source__slug="iom-profile-almaty-process")
    assert account.history.first().history_change_reason == "Recorded from IOM profile page: Almaty Process"
    today = m.Participation.objects.as_of(date(2026, 12, 6)).filter(process=almaty, role="member")
    assert {row.participant.name for row in today} == {
        "Afghanistan",
        "Azerbaijan",
        "Kazakhstan",
        "Kyrgyzstan",
        "Tajikistan",
        "Türkiye",
    }
    # The page writes "Turkey" (a past chair) and "Türkiye" (a member): one record, both as cited.
    chair = account.participations.get(role="chair", start=date(2021, 1, 1))
    assert chair.participant.name == "Türkiye" and chair.name_as_cited == "Turkey"
    assert chair.end == date(2022, 12, 31)
    # The earlier version of the page lost its table: its member list is partial, its total kept.
    earlier = almaty.accounts.get(source__slug="iom-profile-almaty-process-2016")
    assert earlier.stated_lists.get(role="member").complete is False
    assert earlier.source.date is None and earlier.source.as_of == date(2016, 1, 1)


def test_loading_again_writes_nothing(later_sources):
    history = m.ProcessAccount.history.count(), m.Participation.history.count()
    report = SeedReport()
    Loader(Path(settings.REGISTRY_FIXTURES_DIR), report).load_later_sources()
    assert report.created.get("sources' accounts of processes", 0) == 0
    assert (m.ProcessAccount.history.count(), m.Participation.history.count()) == history


def test_check_reports_totals_against_names_and_conflicts(later_sources):
    statuses = {str(check.total.account.source.slug): check.status for check in integrity.stated_totals()}
    assert statuses["iom-profile-rabat-process"] == "partial list"  # 56 stated, 15 readable
    assert statuses["iom-profile-midcom"] == "agrees"  # 21 stated, 21 listed
    assert statuses["prague-process-states-2018"] == "explained"  # 50 stated, 49 named
    found = [str(conflict) for conflict in conflicts.conflicts()]
    assert any(c.startswith("Budapest Process, year established: 1991") and "1993" in c for c in found)
    assert any(c.startswith("Almaty Process, Kyrgyzstan as chair") for c in found)
    assert any(c.startswith("MIDWA, current leader, two versions of one page") for c in found)
    assert any(c.startswith("PIDC, member list, two versions of one page") for c in found)
    assert integrity.problems() == []


def test_make_check_prints_them(later_sources, capsys):
    call_command("check_registry")
    out = capsys.readouterr().out
    assert "Where sources disagree" in out and "partial list" in out


def test_pages_and_api_show_the_new_mechanisms(later_sources, client):
    page = client.get("/en/processes/almaty-process/").content.decode()
    assert "Type, as IOM classifies it" in page and "Azerbaijan" in page
    source = client.get("/en/sources/iom-profile-almaty-process/").content.decode()
    assert "Undated" in source and "Consulted on 6 December 2026" in source
    body = client.get("/api/processes/budapest-process/").json()
    assert body["mechanism_type"] == {"source": "iom-profile-budapest-process", "type": "irf"}
    assert {"source": "IOM profile page: Budapest Process", "year": 1993} in body["years_established"]


def test_french_and_spanish_names_from_sources_in_those_languages(later_sources, client):
    rcm = m.Process.objects.get(slug="rcm")
    french = rcm.aliases.get(language="fr", display="name")
    assert french.name == "Conférence régionale sur la migration"
    assert french.citations.get().source.slug == "mc-inf-266-fr"
    assert "Conférence régionale sur la migration" in client.get("/fr/processes/rcm/").content.decode()
    found = client.get("/fr/search/", {"q": "Processus de Budapest"}).content.decode()
    assert "/fr/processes/budapest-process/" in found
    assert (
        m.Process.objects.get(slug="manila-process")
        .aliases.filter(language="es", name="Proceso de Manila")
        .exists()
    )

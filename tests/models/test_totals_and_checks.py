"""Stated totals against listed participations, and the registry's integrity report."""

import pytest
from django.core.management import call_command

from registry import integrity
from registry import models as m

pytestmark = pytest.mark.django_db

# Every "(Total: N)" of SCPF/30 Annex II, and the 38 countries of MC/INF/266 Annex I, para. 14.
STATED = {
    ("soderkoping-process", "SCPF/30"): 10,
    ("budapest-process", "SCPF/30"): 49,
    ("rcm", "SCPF/30"): 11,
    ("sacm", "SCPF/30"): 12,
    ("5-plus-5-dialogue", "SCPF/30"): 10,
    ("mtm", "SCPF/30"): 37,
    ("midwa", "SCPF/30"): 15,
    ("midsa", "SCPF/30"): 16,
    ("igad-rcp", "SCPF/30"): 6,
    ("apc", "SCPF/30"): 34,
    ("colombo-process", "SCPF/30"): 11,
    ("abu-dhabi-dialogue", "SCPF/30"): 20,
    ("igc", "SCPF/30"): 17,
    ("bali-process", "SCPF/30"): 42,
    ("bali-process", "MC/INF/266"): 38,
}


def test_every_stated_total_is_recorded():
    recorded = {
        (t.account.process.slug, t.account.source.symbol): t.stated
        for t in m.StatedTotal.objects.select_related("account__process", "account__source")
    }
    assert recorded == STATED


def test_totals_agree_or_the_discrepancy_is_explained():
    checks = integrity.stated_totals()
    assert len(checks) == len(STATED)
    for check in checks:
        assert check.agrees or check.explained, str(check)
    disagreeing = {
        (c.total.account.process.slug, c.total.account.source.symbol): c.listed
        for c in checks
        if not c.agrees
    }
    assert disagreeing == {("bali-process", "SCPF/30"): 43, ("bali-process", "MC/INF/266"): 37}


@pytest.mark.parametrize(
    ("slug", "listed"),
    [
        # MC/INF/266 Annex II gives no totals: the lists as printed.
        ("igc", 17),
        ("budapest-process", 44),
        ("cis-conference", 12),
        ("rcm", 11),
        ("manila-process", 17),
        ("apc", 32),
        ("sacm", 12),
        ("midsa", 14),
        ("midwa", 13),
        ("soderkoping-process", 11),
        ("cluster-process", 9),
        ("bali-process", 37),
        ("5-plus-5-dialogue", 10),
    ],
)
def test_2003_government_lists_are_complete(account, slug, listed):
    members = account(slug, "MC/INF/266").participations.filter(role="member")
    assert members.count() == listed


def test_an_unexplained_difference_is_reported(account):
    total = m.StatedTotal.objects.get(account=account("rcm", "SCPF/30"))
    total.stated = 12
    total.save()
    assert any("RCM (SCPF/30): stated 12, listed 11 [UNEXPLAINED]" in p for p in integrity.problems())


def test_the_curated_data_has_no_problems():
    assert integrity.problems() == []


def test_uncited_facts_are_reported(process):
    m.ProcessAlias.objects.create(process=process("rcm"), name="Proceso Puebla", language="es")
    assert "Proceso Puebla [es]" in integrity.uncited_facts()["process names and aliases"]


def test_missing_iso_code_is_reported_with_a_suggestion(participant):
    kenya = participant("KE")
    kenya.iso_code = None
    kenya.save()
    assert (kenya, "KE") in integrity.participants_missing_iso()


def test_an_alias_resolving_to_two_records_is_reported(participant):
    m.ParticipantAlias.objects.create(participant=participant("AT"), name="Swaziland")
    assert ("swaziland", ["austria", "eswatini"]) in integrity.ambiguous_names()


def test_check_command_strict_passes_on_the_fixtures(capsys):
    call_command("check_registry", "--strict")
    out = capsys.readouterr().out
    assert "Bali Process (SCPF/30): stated 42, listed 43 [explained]" in out
    assert "No problems" in out


def test_check_command_strict_fails_on_a_problem(process):
    from django.core.management.base import CommandError

    m.ProcessAlias.objects.create(process=process("rcm"), name="Proceso Puebla", language="es")
    with pytest.raises(CommandError):
        call_command("check_registry", "--strict")


def test_stated_totals_of_one_process():
    bali = m.Process.objects.get(slug="bali-process")
    checks = integrity.stated_totals(bali)
    assert sorted((c.total.account.source.symbol, c.total.stated, c.listed) for c in checks) == [
        ("MC/INF/266", 38, 37),
        ("SCPF/30", 42, 43),
    ]

"""`manage.py bench_curation` measures the curators' writes and leaves the database as it was."""

import pytest
from django.core.management import call_command

from registry import models as m

pytestmark = pytest.mark.django_db


def test_the_curation_benchmark_runs_every_operation_and_writes_nothing(capsys):
    before = (
        m.ProcessAccount.objects.count(),
        m.Participation.objects.count(),
        m.SourceDocument.objects.count(),
    )
    call_command("bench_curation", runs=1, small=True)  # the 2,000 names: tests/api/test_account_bounds.py
    table = capsys.readouterr().out
    for operation in (
        "process page (admin), GET",
        "one participation saved",
        "dry run",
        "recorded",
        "preview",
    ):
        assert operation in table
    assert "partial list, recorded" in table
    assert table.count("\n| ") == 7  # the header and six operations
    after = (
        m.ProcessAccount.objects.count(),
        m.Participation.objects.count(),
        m.SourceDocument.objects.count(),
    )
    assert after == before

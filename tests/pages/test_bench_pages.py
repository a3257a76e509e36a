"""`manage.py bench_pages` times every address alone and uncached and reports its size."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_page_benchmark_reports_every_address():
    out = io.StringIO()
    call_command("bench_pages", runs=1, stdout=out)
    table = out.getvalue()
    assert "| `/en/reports/changes/?from=2003&to=2009-04-30` |" in table
    assert table.count("\n| `/") == 15 and "/api/reconcile/?queries=" in table

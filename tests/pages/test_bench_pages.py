"""`manage.py bench_pages` times every address alone and uncached and reports its size."""

import io

import pytest
from django.core.management import CommandError, call_command

from registry.management.commands.bench_pages import ADDRESSES

pytestmark = pytest.mark.django_db


def test_the_page_benchmark_reports_every_address():
    out = io.StringIO()
    call_command("bench_pages", runs=1, stdout=out)
    table = out.getvalue()
    assert "| `/en/reports/changes/?from=2003&to=2009-04-30` |" in table
    assert table.count("\n| `/") == len(ADDRESSES) == 17 and "/api/reconcile/?queries=" in table


def test_the_page_benchmark_profiles_the_addresses_asked_for():
    out = io.StringIO()
    call_command("bench_pages", runs=1, only="/en/overlap/", profile=True, stdout=out)
    report = out.getvalue()
    assert report.count("\n| `/") == 2  # the overlap matrix and the shared members
    assert "overlap  registry/views/across_processes.py" in report  # the view, in its profile


def test_the_page_benchmark_refuses_an_address_it_does_not_know():
    with pytest.raises(CommandError, match="No address contains 'nowhere'"):
        call_command("bench_pages", runs=1, only="nowhere")

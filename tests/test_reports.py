"""The papers' annex tables regenerated from the registry (registry/views/reports.py): the
overview of principal RCPs and IOM's role per function, as of any date, as pages and CSV."""

import csv
import io

import pytest

pytestmark = pytest.mark.django_db


def rows(client, url):
    response = client.get(url + "&format=csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_april_2009_overview_has_scpf_30s_fourteen_processes_by_region(client):
    table = rows(client, "/reports/overview/?as_of=2009-04-30&source=scpf-30")
    assert len(table) == 14 and {row["source"] for row in table} == {"SCPF/30"}
    regions = [row["region"] for row in table]
    assert regions == sorted(regions, key=regions.index)  # grouped: each region's rows together
    bali = next(row for row in table if row["slug"] == "bali-process")
    assert (bali["year"], bali["governments_listed"], bali["governments_stated"]) == ("2002", "43", "42")
    budapest = next(row for row in table if row["slug"] == "budapest-process")
    assert "UNHCR" in budapest["observers_and_partners"] and "ICMPD" in budapest["secretariat"]
    page = client.get("/reports/overview/?as_of=2009-04-30&source=scpf-30").content.decode()
    assert "Asia and Oceania" in page and 'class="differs">(stated: 42)' in page


def test_as_of_a_date_each_process_is_described_by_the_account_in_force(client):
    latest = rows(client, "/reports/overview/?as_of=2009-04-30")
    older = {row["slug"] for row in latest if row["source"] == "MC/INF/266"}
    assert older == {"cis-conference", "manila-process", "cluster-process"}
    in_2003 = rows(client, "/reports/overview/?as_of=2003")
    assert {row["source"] for row in in_2003} == {"MC/INF/266"} and len(in_2003) == 14


def test_the_iom_role_matrix_gives_each_function_with_the_offices(client):
    table = rows(client, "/reports/iom-roles/?as_of=2009-04-30&source=scpf-30")
    budapest = next(row for row in table if row["slug"] == "budapest-process")
    assert budapest["secretariat"] == "not applicable"
    assert "IOM Mission with Regional Functions in Budapest" in budapest["expert"]
    page = client.get("/reports/iom-roles/?as_of=2009-04-30").content.decode()
    assert "Capacity-building and technical cooperation" in page

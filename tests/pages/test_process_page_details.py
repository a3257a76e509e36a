"""Small things a reader of a process page meets: an account that says nothing of the secretariat
shows "—", and a function IOM has no role in lists no offices."""

import re

import pytest

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_an_unstated_secretariat_is_a_dash(client):
    html = client.get("/en/processes/budapest-process/").content.decode()
    account_2003 = html.split("MC/INF/266", 1)[1].split("</dl>", 1)[0]
    assert "Secretariat — " in text(account_2003) + " "


def test_a_function_iom_has_no_role_in_lists_no_offices(client):
    html = client.get("/en/processes/budapest-process/").content.decode()
    table = html.split('id="iom"', 1)[1].split("</table>", 1)[0]
    rows = [text(row) for row in table.split("<tr")[2:]]
    not_applicable = [row for row in rows if "not applicable" in row.casefold()]
    assert not_applicable and all("IOM Ankara" not in row for row in not_applicable)
    assert any("IOM Ankara" in row for row in rows if "not applicable" not in row.casefold())

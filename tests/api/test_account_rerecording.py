"""PUT on an account: the same content writes nothing; a change writes only the difference and
keeps every other participation's identity; If-Match guards against lost updates; DELETE."""

import pytest

from registry import models as m

from .test_accounts import URL, body, members  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(curator_api, later_source, members):  # noqa: F811
    response = curator_api.post(URL, body(later_source, members), format="json")
    assert response.status_code == 201, response.json()
    return response


def state(account):
    return (
        m.Change.objects.count(),
        m.RegistryVersion.objects.get().number,
        sorted(account.participations.values_list("pk", flat=True)),
    )


def test_the_same_account_again_writes_nothing(curator_api, later_source, members, recorded):  # noqa: F811
    account = m.ProcessAccount.objects.get(source=later_source)
    before = state(account)
    again = curator_api.put(recorded["Location"], body(later_source, members), format="json")
    assert again.status_code == 200 and again.json()["unchanged"] is True
    assert state(account) == before  # no change entry, no version bump, the same rows


def test_one_name_changed_writes_only_that_difference(curator_api, later_source, members, recorded):  # noqa: F811
    account = m.ProcessAccount.objects.get(source=later_source)
    kept = dict(account.participations.values_list("participant__slug", "pk"))
    changes = m.Change.objects.count()
    names = [name for name in members if name != "Albania"] + ["Kosovo"]
    data = body(
        later_source, names, resolutions={"Kosovo": {"name": "Kosovo", "kind": "territory", "iso_code": "XK"}}
    )
    answer = curator_api.put(recorded["Location"], data, format="json")
    assert answer.status_code == 200 and answer.json()["unchanged"] is False, answer.json()
    now = dict(account.participations.values_list("participant__slug", "pk"))
    assert "albania" not in now and "kosovo" in now
    assert all(now[slug] == pk for slug, pk in kept.items() if slug in now)  # identities kept
    written = m.Change.objects.filter(sequence__gt=0).count() - changes
    # Albania's row and its citation gone; Kosovo, its row and their citations made; positions moved.
    assert written < 2 * len(members), written
    gone = curator_api.get(f"/api/participations/{kept['albania']}/")  # an address once handed out
    assert (
        gone.status_code == 410
        and "/api/changes/?resource=participations&process=budapest-process" in (gone.json()["changes"])
    )


def test_a_stale_if_match_is_a_412_and_nothing_is_lost(curator_api, later_source, members, recorded):  # noqa: F811
    url = recorded["Location"]
    read = curator_api.get(url)
    etag = read["ETag"]
    assert etag and etag == recorded["ETag"]
    first = curator_api.put(url, body(later_source, members[:10]), format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    second = curator_api.put(url, body(later_source, members[:3]), format="json", HTTP_IF_MATCH=etag)
    assert second.status_code == 412
    made_up = curator_api.put(url, body(later_source, members[:3]), format="json", HTTP_IF_MATCH='"made-up"')
    assert made_up.status_code == 412
    account = m.ProcessAccount.objects.get(source=later_source)
    assert account.participations.count() == 10 + 2  # the first write's members, UNHCR and the chair
    assert curator_api.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    assert curator_api.delete(url, HTTP_IF_MATCH=first["ETag"]).status_code == 204
    assert not m.ProcessAccount.objects.filter(source=later_source).exists()
    assert curator_api.get(url).status_code == 404


def test_only_curators_delete_an_account(viewer_api, recorded):
    assert viewer_api.delete(recorded["Location"]).status_code == 403

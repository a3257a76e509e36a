import pytest
from django.urls import reverse

from registry import models as m

pytestmark = pytest.mark.django_db


def test_home_lists_every_process_with_each_sources_account(client):
    response = client.get(reverse("registry:home"))
    assert response.status_code == 200
    page = response.content.decode()
    for process in m.Process.objects.all():
        assert process.short_name in page
    # Only the Bali Process's two discrepancies stand out: APC, IGAD-RCP and MTM list members
    # that their papers do not count, and say so.
    flat = " ".join(page.split())
    assert flat.count('class="differs"') == 2
    assert '43 <span class="differs">(stated: 42)</span>' in flat
    assert "35 <span>(stated: 34)</span> <br><small>34 counted in the total</small>" in flat
    assert "MC/INF/266" in page and "SCPF/30" in page


def test_home_issues_a_constant_number_of_queries(
    client, django_assert_max_num_queries, process, participant
):
    # 12: the counts, the processes in name order in the language (the ids, then the page), and the
    # names and their order (in production read once per registry version, in a test every time).
    with django_assert_max_num_queries(12) as before:
        client.get(reverse("registry:home"))
    m.Participation.objects.create(process=process("rcm"), participant=participant("JM"), role="member")
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(reverse("registry:home"))


def test_admin_index_for_a_superuser(admin_client):
    response = admin_client.get("/admin/registry/participation/?q=Swaziland")
    assert response.status_code == 200
    assert "Eswatini" in response.content.decode()

"""The maps: simplified geometry (a few hundred KB at most, gzipped on the way), a viewBox and no
fixed size, framed on the members' region by default, the world on ?world=1."""

import gzip
import re

import pytest

pytestmark = pytest.mark.django_db


def view_box(svg: str) -> list[int]:
    return [int(v) for v in re.search(r'<svg [^>]*viewBox="([-\d ]+)"', svg)[1].split()]


def test_a_map_is_small_compressed_and_scales_to_its_box(client):
    answer = client.get("/en/maps/process/bali-process.svg", HTTP_ACCEPT_ENCODING="gzip")
    assert answer["Content-Encoding"] == "gzip"
    svg = gzip.decompress(answer.content).decode()
    assert len(svg) < 200_000 and len(answer.content) < 60_000  # the package's map is 1.1 MB
    opening = svg[: svg.index(">")]
    assert "viewBox" in opening and "width=" not in opening and "height=" not in opening
    plain = client.get("/en/maps/process/bali-process.svg")  # a client without gzip gets it plain
    assert "Content-Encoding" not in plain and plain.content.decode() == svg


def test_a_map_is_framed_on_the_members_and_shows_the_world_on_request(client):
    world = view_box(client.get("/en/maps/process/midsa.svg?world=1").content.decode())
    midsa = view_box(client.get("/en/maps/process/midsa.svg").content.decode())
    austria = view_box(client.get("/en/maps/state/austria.svg").content.decode())
    assert world == [-30, 61, 2754, 1398]
    assert midsa[2] < world[2] / 2 and austria[2] < world[2] / 2
    # Southern Africa is in the lower middle of the world; Austria in the upper middle.
    assert midsa[1] > world[1] + world[3] / 3 and austria[1] < world[1] + world[3] / 3
    for box in (midsa, austria):  # in the world's proportions
        assert abs(box[2] / box[3] - world[2] / world[3]) < 0.01


def test_the_pages_give_the_maps_their_size_and_a_way_to_the_world(client):
    page = client.get("/en/processes/midsa/").content.decode()
    image = re.search(r'<img src="/en/maps/process/midsa.svg"[^>]*>', page)[0]
    width, height = (int(v) for v in re.search(r'width="(\d+)" height="(\d+)"', image).groups())
    box = view_box(client.get("/en/maps/process/midsa.svg").content.decode())
    assert (width, height) == (box[2], box[3])
    assert "/en/maps/process/midsa.svg?world=1" in page
    assert "/en/maps/state/austria.svg?world=1" in client.get("/en/states/austria/").content.decode()

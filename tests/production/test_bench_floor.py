"""`manage.py bench`: each endpoint's ratio is to the floor measured just before and after it."""

from registry.management.commands.bench import set_floors


def rows_of(*rps):
    return [(f"endpoint {index}", f"/{index}", {"rps": value}) for index, value in enumerate(rps)]


def test_each_ratio_is_to_the_floor_around_it_and_the_floor_shows_its_median():
    rows = rows_of(2000, 1800, 1500)  # the floor, then two endpoints
    set_floors(rows, [{"rps": 2000}, {"rps": 2200}, {"rps": 1800}])
    floor, first, second = (result for _name, _path, result in rows)
    assert first["floor"] == 2100  # between the first run and the one after it
    assert second["floor"] == 2000
    assert floor["rps"] == floor["floor"] == 2000  # the median of 2000, 2200 and 1800


def test_a_floor_measured_once_is_every_rows():
    rows = rows_of(2000, 1800)
    set_floors(rows, [])
    assert [result["floor"] for _name, _path, result in rows] == [2000, 2000]

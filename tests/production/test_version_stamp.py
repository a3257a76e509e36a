"""The host's version stamp (registry/version_stamp.py): a committed write is read from it with no
query, a write in flight or one whose writer died sends readers to the database, and a stamp is
never trusted for more than a second after it was read from the database."""

import os
import subprocess
import sys
import threading

import pytest
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import connection, transaction
from django.db.models import F

from registry import models as m
from registry import version_stamp
from registry.models.version import RegistryVersion
from tests.helpers import make_later_source

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def stamp_folder(settings, tmp_path):
    settings.VERSION_STAMP_DIR = str(tmp_path / "stamp")
    return version_stamp.folder()


def write_a_source(title="A test source"):
    return make_later_source(title)


def in_the_database():
    return RegistryVersion._read_database()[0]


def marks(folder):
    return sorted(path.name for path in (folder / "marks").iterdir())


def test_a_committed_write_is_read_from_the_stamp_without_a_query(django_assert_num_queries):
    write_a_source()
    with django_assert_num_queries(0):
        stamped = RegistryVersion.current()
    assert stamped == in_the_database() and stamped.key


def test_a_write_is_published_at_its_commit_and_readers_use_the_database_until_then(stamp_folder):
    write_a_source("before")
    before = RegistryVersion.current()
    seen_during = []
    with transaction.atomic():
        write_a_source("during")
        assert len(marks(stamp_folder)) == 1
        # Another thread (another request) is not inside this transaction: it must not trust the stamp.
        reader = threading.Thread(target=lambda: seen_during.append(version_stamp.read()))
        reader.start()
        reader.join()
    assert seen_during == [None]
    assert marks(stamp_folder) == []
    after = RegistryVersion.current()
    assert after == in_the_database() and after.key != before.key


def test_inside_a_transaction_the_database_is_read(django_assert_num_queries):
    write_a_source()
    with transaction.atomic(), django_assert_num_queries(1):
        RegistryVersion.current()


def test_a_rolled_back_write_leaves_its_mark_until_its_request_ends(stamp_folder, django_assert_num_queries):
    write_a_source()
    with pytest.raises(RuntimeError), transaction.atomic():
        write_a_source("rolled back")
        raise RuntimeError
    assert len(marks(stamp_folder)) == 1
    assert version_stamp.read() is None  # meanwhile: the database
    request_finished.send(sender=None)
    assert marks(stamp_folder) == []
    expected = in_the_database()
    with django_assert_num_queries(0):
        assert RegistryVersion.current() == expected


def test_a_writer_that_died_after_its_commit_is_stood_in_for(stamp_folder, django_assert_num_queries):
    write_a_source()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    (stamp_folder / "marks" / f"{int(dead.stdout)}-committed-then-killed").touch()
    RegistryVersion.objects.filter(pk=1).update(number=F("number") + 5)  # committed, never published
    expected = in_the_database()
    with django_assert_num_queries(3):  # the version; to publish it, the version and the processes' numbers
        assert RegistryVersion.current() == expected
    assert marks(stamp_folder) == []
    with django_assert_num_queries(0):
        assert RegistryVersion.current() == expected


def test_a_live_writers_mark_is_left_to_it(stamp_folder, django_assert_num_queries):
    write_a_source()
    mark = stamp_folder / "marks" / f"{os.getpid()}-in-flight"
    mark.touch()
    for _ in range(3):
        with django_assert_num_queries(1):
            RegistryVersion.current()
    assert mark.exists()


def test_a_stamp_is_trusted_for_a_second_after_it_was_read(monkeypatch, django_assert_num_queries):
    """What a write the stamp never hears of costs (here a bulk update without a signal; in life a
    writer on another host or outside Django): seen within a second, not on the next request."""
    write_a_source()
    stamped = RegistryVersion.current()
    RegistryVersion.objects.filter(pk=1).update(number=F("number") + 1)
    assert RegistryVersion.current() == stamped
    later = version_stamp.time.time() + version_stamp.TRUSTED_SECONDS + 0.1
    monkeypatch.setattr(version_stamp.time, "time", lambda: later)
    expected = in_the_database()
    assert expected != stamped
    with django_assert_num_queries(3):  # read, then read and published for the next second
        assert RegistryVersion.current() == expected
    with django_assert_num_queries(0):
        assert RegistryVersion.current() == expected


def test_a_flush_forgets_the_stamp(stamp_folder):
    write_a_source()
    RegistryVersion.current()
    assert (stamp_folder / "current").is_symlink()
    call_command("flush", "--noinput", verbosity=0)
    assert not (stamp_folder / "current").exists()
    assert RegistryVersion.current().key == ""  # the counters' row went with the flush


def test_a_folder_that_cannot_be_written_never_fails_a_write(settings, tmp_path, django_assert_num_queries):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.VERSION_STAMP_DIR = str(blocker)
    source = write_a_source()
    assert m.SourceDocument.objects.filter(pk=source.pk).exists()
    expected = in_the_database()
    with django_assert_num_queries(1):
        assert RegistryVersion.current() == expected


def test_without_a_folder_every_read_is_a_query(settings, django_assert_num_queries):
    settings.VERSION_STAMP_DIR = ""
    write_a_source()
    for _ in range(2):
        with django_assert_num_queries(1):
            RegistryVersion.current()


def test_each_database_has_a_stamp_of_its_own(monkeypatch, stamp_folder):
    monkeypatch.setitem(connection.settings_dict, "NAME", "another-database")
    assert version_stamp.folder() not in (None, stamp_folder)


def test_a_stamp_that_cannot_be_read_sends_readers_to_the_database(stamp_folder, django_assert_num_queries):
    """A state file written by an older release, or damaged: the database answers, and the next
    reader publishes a good one."""
    write_a_source()
    current = stamp_folder / os.readlink(stamp_folder / "current")
    current.write_bytes(b"not a pickle")
    version_stamp._loaded = None
    expected = in_the_database()
    with django_assert_num_queries(3):
        assert RegistryVersion.current() == expected
    with django_assert_num_queries(0):
        assert RegistryVersion.current() == expected


def test_after_a_migration_the_next_publication_is_read_again(stamp_folder, django_assert_num_queries):
    """A migration (or flush) drops the stamp; the state files published before it stay, and the
    next publication must be the one read, not taken for the oldest of them and removed."""
    for title in ("one", "two", "three", "four"):
        write_a_source(title)
    version_stamp.forget()  # as post_migrate does
    write_a_source("after the migration")
    expected = in_the_database()
    with django_assert_num_queries(0):
        assert RegistryVersion.current() == expected

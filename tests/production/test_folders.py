"""Runtime folders (registry/serving/folders.py): the file caches are read back with pickle, so
a folder another local user owns or may write in is refused, never used; the settings put them
under the project's var/ (RUNTIME_DIR), not a shared temporary folder."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from registry.serving.folders import private_folder


def test_a_missing_folder_is_created_private(tmp_path):
    folder = private_folder(tmp_path / "runtime" / "cache")
    assert folder.is_dir() and folder.stat().st_mode & 0o777 == 0o700


def test_a_folder_others_may_write_in_is_refused(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with pytest.raises(ImproperlyConfigured, match="can be written by other users"):
        private_folder(shared)


@pytest.mark.skipif(os.getuid() != 0, reason="only root can give a folder to another user")
def test_a_folder_another_user_owns_is_refused(tmp_path):
    planted = tmp_path / "planted"
    planted.mkdir(mode=0o700)
    os.chown(planted, 65534, 65534)  # nobody
    with pytest.raises(ImproperlyConfigured, match="belongs to another user"):
        private_folder(planted)


def test_the_registry_refuses_to_start_on_a_planted_cache_folder(tmp_path):
    """As a web worker or a command would meet it: a clear message and a non-zero exit."""
    planted = tmp_path / "var"
    planted.mkdir()
    planted.chmod(0o777)
    env = {**os.environ, "RUNTIME_DIR": str(planted), "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "can be written by other users" in result.stderr


def test_no_runtime_folder_is_in_the_shared_temporary_folder():
    """The served settings (the tests give each worker folders of its own): under var/."""
    env = {name: value for name, value in os.environ.items() if "CACHE_LOCATION" not in name}
    env.pop("RUNTIME_DIR", None)
    env.pop("REDIS_URL", None)
    script = "from django.conf import settings; print(*[c['LOCATION'] for c in settings.CACHES.values()])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    var = Path(settings.BASE_DIR) / "var"
    assert [Path(location).parent for location in result.stdout.split()] == [var, var]

"""Folders a host keeps runtime files in (the file caches, the backups): private to the user the
registry runs as. A cache folder is read with pickle, so a folder another local user could write
in would let that user run code inside the web workers (Django's documentation warns against
file caches in world-writable places): such a folder is refused, never used."""

import os
import stat
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def private_folder(path: str | os.PathLike) -> Path:
    """The folder at `path`, created (with its parents) readable and writable by this user only
    when missing. ImproperlyConfigured when it exists and another user owns it, or its group or
    other users may write in it."""
    folder = Path(path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    found = folder.stat()
    if found.st_uid != os.getuid():
        raise ImproperlyConfigured(
            f"{folder} belongs to another user (uid {found.st_uid}): the registry keeps files it "
            "reads back there. Remove it or choose another folder (RUNTIME_DIR)."
        )
    if found.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise ImproperlyConfigured(
            f"{folder} can be written by other users: the registry keeps files it reads back "
            f"there. Make it private (chmod 700 {folder}) or choose another folder (RUNTIME_DIR)."
        )
    return folder

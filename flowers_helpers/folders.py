"""Find out before a long run whether a folder can be written, not after it.

Both the artifacts folder and the Keras cache are written only after minutes of
work (training, a 230 MB download); a probe file written up front turns a late
``PermissionError`` into one clear message at the start.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def writable_folder_problem(folder: str | os.PathLike) -> str | None:
    """Create ``folder`` if missing and write a probe file in it; return what went wrong, or None.

    The probe really writes, because ``os.access`` answers yes for root even on a
    read-only file system, and says nothing about a full disk.
    """
    path = Path(folder).expanduser()
    if path.exists() and not path.is_dir():
        return "it is a file, not a folder"
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as error:
        return f"{error.strerror or error} ({type(error).__name__})"
    return None

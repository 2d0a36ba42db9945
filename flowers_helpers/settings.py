"""Defaults for the notebooks' parameters, read from environment variables.

``pytest --nbval-lax`` cannot pass parameters to a notebook, so the parameter
cells take their defaults from here, and papermill's ``-p`` still overrides them:

- ``FLOWERS_PROFILE``: ``full`` (default, the real tutorial) or ``smoke`` (a quick
  run on the embedded sample with 2 epochs, for tests).
- ``FLOWERS_DATASET``: the data set (``flower_photos``, ``sample`` or a folder).
- ``FLOWERS_ARTIFACTS``: the folder where notebooks leave models and histories.
"""

from __future__ import annotations

import os

PROFILES = ("full", "smoke")
SMOKE_EPOCHS = 2


def profile() -> str:
    """Return the active profile name, rejecting unknown values with a clear message."""
    value = os.environ.get("FLOWERS_PROFILE", "full").strip() or "full"
    if value not in PROFILES:
        raise ValueError(f"FLOWERS_PROFILE={value!r} is not a profile; use one of {', '.join(PROFILES)}.")
    return value


def default_dataset() -> str:
    """``FLOWERS_DATASET`` if set, else the real data set (full) or the embedded sample (smoke)."""
    return os.environ.get("FLOWERS_DATASET") or ("flower_photos" if profile() == "full" else "sample")


def default_epochs(full: int) -> int:
    """The tutorial's epoch count in the full profile, ``SMOKE_EPOCHS`` in the quick one."""
    return full if profile() == "full" else min(full, SMOKE_EPOCHS)


def default_artifacts_dir() -> str:
    """``FLOWERS_ARTIFACTS`` if set, else ``artifacts/<profile>`` beside the notebooks.

    One folder per profile, so a quick test run never overwrites the models of a full run.
    """
    return os.environ.get("FLOWERS_ARTIFACTS") or os.path.join("artifacts", profile())

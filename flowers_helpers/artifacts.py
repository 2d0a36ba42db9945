"""Save and load what one notebook hands to the next, in one artifacts folder.

Every write goes to a temporary file in the same folder and is renamed into
place only once complete, so an interrupted run never leaves a half-written
model or history that looks finished.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import keras

from flowers_helpers import augment  # noqa: F401  (registers RandomFlipRotateZoom for loading)
from flowers_helpers.data import DatasetError


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` with the same suffix; move it into place on success.

    On an exception the temporary file is removed and ``path`` is left as it was.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{final.stem}-", suffix=final.suffix, dir=final.parent)
    os.close(handle)
    temporary = Path(temporary)
    try:
        yield temporary
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)


def save_model(model: keras.Model, path: str | os.PathLike) -> Path:
    """Save ``model`` in the ``.keras`` format, atomically; return the path."""
    final = Path(path)
    if final.suffix != ".keras":
        raise ValueError(f"Save models with the .keras suffix, not '{final.name}'.")
    with atomic_path(final) as temporary:
        model.save(temporary)
    return final


def load_model(path: str | os.PathLike) -> keras.Model:
    """Load a ``.keras`` model saved by ``save_model``, including the fused augmentation layer."""
    return keras.models.load_model(path)


def save_json(path: str | os.PathLike, record: object) -> Path:
    """Write ``record`` as indented JSON, atomically; return the path."""
    with atomic_path(path) as temporary:
        temporary.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return Path(path)


def load_json(path: str | os.PathLike) -> object:
    """Read a JSON file written by ``save_json`` (or any UTF-8 JSON file)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def save_history(
    path: str | os.PathLike,
    history: Mapping[str, Sequence[float]] | keras.callbacks.History,
    class_names: Sequence[str],
    **details: object,
) -> Path:
    """Save per-epoch metrics and the class names they belong to as JSON, atomically.

    ``details`` (JSON values such as the training times or the precision) are
    stored beside them for the run report.
    """
    metrics = history.history if isinstance(history, keras.callbacks.History) else history
    record = {
        "class_names": list(class_names),
        "history": {name: [float(v) for v in values] for name, values in metrics.items()},
        **details,
    }
    return save_json(path, record)


def load_history(path: str | os.PathLike) -> dict:
    """Load a history saved by ``save_history``: ``{"class_names": [...], "history": {metric: [...]}}``."""
    return load_json(path)


def check_class_names(path: str | os.PathLike, class_names: Sequence[str]) -> None:
    """Raise ``DatasetError`` when the artifact at ``path`` was trained on other classes."""
    trained_on = load_history(path)["class_names"]
    if list(trained_on) != list(class_names):
        raise DatasetError(
            f"'{path}' was trained on the classes {trained_on}, but this data set has "
            f"{list(class_names)}. Use another artifacts_dir, or delete the old artifacts."
        )

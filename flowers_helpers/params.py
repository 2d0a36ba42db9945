"""Check the notebooks' parameters before any work starts, and name every problem at once.

A parameters cell edited by hand, or overridden with papermill's ``-p``, can hold
a slip such as ``epochs = 0`` or ``validation_split = 20``. Unchecked, it shows up
minutes later as a Keras traceback far from its cause; ``check_parameters``
raises one ``ParameterError`` that lists every problem, one line each, with the fix.

Whole numbers must be ``int`` (NumPy integers count, ``bool`` does not). A float
such as ``3.0`` is rejected, not quietly converted: Keras needs ``int`` epochs and
image sizes, and papermill passes ``-p epochs 3.0`` on as a float, so the message
asks for ``3`` where the value is given.
"""

from __future__ import annotations

import difflib
import math
import numbers
import os
import tempfile
from pathlib import Path

from flowers_helpers.data import DATASET_NAMES
from flowers_helpers.folders import writable_folder_problem

# name: (smallest, largest, what the tutorial uses)
_WHOLE_NUMBERS = {
    "epochs": (1, 1000, "the tutorial trains for 10 to 15 epochs"),
    "batch_size": (1, 4096, "the tutorial uses 32; larger batches need more memory"),
    "img_height": (1, 2048, "the tutorial uses 180; larger images train more slowly"),
    "img_width": (1, 2048, "the tutorial uses 180; larger images train more slowly"),
    "seed": (0, 2**32 - 1, "the tutorial uses 123"),  # NumPy's RandomState takes 0 to 2**32 - 1
    "num_images": (1, None, "count the photos in the data set"),
}
# name: the values it takes
_CHOICES = {
    "precision": ("auto", "mixed_bfloat16", "float32"),
    "augmentation": ("fused", "layers"),
    "deterministic": (True, False),
    "data_autotune": (False, True),
}
KNOWN_PARAMETERS = (*_WHOLE_NUMBERS, *_CHOICES, "validation_split", "dataset", "artifacts_dir")


class ParameterError(ValueError):
    """One or more notebook parameters are wrong; the message has one line per problem, with the fix."""


def check_parameters(**params: object) -> None:
    """Check any of the notebooks' parameters; raise ``ParameterError`` naming every problem.

    Known names: ``epochs``, ``batch_size``, ``img_height``, ``img_width``, ``seed``,
    ``precision``, ``augmentation``, ``deterministic``, ``data_autotune``,
    ``validation_split``, ``dataset``, ``artifacts_dir`` and ``num_images`` (the
    number of photos, to check that the split leaves at least one photo for
    validation; training always keeps one when ``0 < validation_split < 1``, and
    a batch larger than the training subset is fine: it is just one smaller batch).
    ``artifacts_dir`` is created when missing. An unknown name raises ``TypeError``.
    """
    unknown = [f"{name!r}{_did_you_mean(name, KNOWN_PARAMETERS)}" for name in params if name not in KNOWN_PARAMETERS]
    if unknown:
        raise TypeError(
            f"check_parameters() got unknown parameter(s) {', '.join(unknown)}; it knows {', '.join(KNOWN_PARAMETERS)}."
        )
    found = {name: _problem(name, value) for name, value in params.items()}
    problems = [problem for problem in found.values() if problem is not None]
    if all(name in found and found[name] is None for name in ("num_images", "validation_split")):
        problem = _split_problem(params["num_images"], params["validation_split"])
        problems += [problem] if problem else []
    if problems:
        listing = "\n".join(f"  - {problem}" for problem in problems)
        raise ParameterError(f"{len(problems)} parameter(s) need fixing in the parameters cell:\n{listing}")


def _problem(name: str, value: object) -> str | None:
    """What is wrong with one parameter, with the fix; None when it is fine."""
    if name in _WHOLE_NUMBERS:
        return _whole_number_problem(name, value, *_WHOLE_NUMBERS[name])
    if name in _CHOICES:
        choices = _CHOICES[name]
        return None if value in choices and type(value) is type(choices[0]) else (
            f"{name} = {value!r}: use one of {', '.join(map(repr, choices))}.")
    if name == "validation_split":
        return _split_fraction_problem(value)
    if name == "dataset":
        return _dataset_problem(value)
    return _artifacts_dir_problem(value)


def _whole_number_problem(name: str, value: object, low: int, high: int | None, usual: str) -> str | None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, float) and value.is_integer():
            return f"{name} = {value!r}: must be a whole number (int), not a float; write {int(value)}."
        return f"{name} = {value!r}: must be a whole number (int), not {type(value).__name__}; {usual}."
    if value < low:
        return f"{name} = {value}: must be at least {low}; {usual}."
    if high is not None and value > high:
        return f"{name} = {value}: the maximum is {high}; {usual}."
    return None


def _split_fraction_problem(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value < 1:
        return (
            f"validation_split = {value!r}: must be a fraction strictly between 0 and 1; "
            "use 0.2 to keep 20% of the photos for validation, as the tutorial does."
        )
    return None


def _dataset_problem(value: object) -> str | None:
    if not isinstance(value, (str, os.PathLike)):
        return f"dataset = {value!r}: must be a name or a folder path (str), not {type(value).__name__}."
    name = os.fspath(value)
    path = Path(name).expanduser()
    if name in DATASET_NAMES or path.is_dir():
        return None
    if path.exists():
        return (
            f"dataset = {name!r}: this is a file; point dataset at the folder that holds one "
            "subfolder of images per class (extract an archive first)."
        )
    return (
        f"dataset = {name!r}: no such folder, and not a data set name{_did_you_mean(name, DATASET_NAMES)}; "
        "use 'flower_photos' (download the real data set), 'sample' (the small embedded sample) "
        "or a folder that holds one subfolder of images per class."
    )


def _artifacts_dir_problem(value: object) -> str | None:
    if not isinstance(value, (str, os.PathLike)):
        return f"artifacts_dir = {value!r}: must be a folder path (str), not {type(value).__name__}."
    problem = writable_folder_problem(value)
    if problem is None:
        return None
    elsewhere = Path(tempfile.gettempdir()) / "flowers-artifacts"
    return (
        f"artifacts_dir = {os.fspath(value)!r}: cannot create or write this folder: {problem}; "
        f"use a folder you can write, such as '{elsewhere}' (or set FLOWERS_ARTIFACTS)."
    )


def _split_problem(num_images: int, validation_split: float) -> str | None:
    """Keras puts ``int(validation_split * num_images)`` photos in validation; that must be at least one."""
    if int(validation_split * num_images) >= 1:
        return None
    if num_images < 2:
        fix = "a training and a validation subset need at least 2 photos; add photos"
    else:
        fix = f"use validation_split = {math.ceil(100 / num_images) / 100} or more, or add photos"
    return (
        f"validation_split = {validation_split} on {num_images} photo(s) leaves none for validation "
        f"(Keras takes int({validation_split} * {num_images}) = 0); {fix}."
    )


def _did_you_mean(name: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""

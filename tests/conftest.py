"""Shared fixtures: small data sets that the tests make themselves, with each kind of bad file."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import flowers_helpers  # noqa: F401  (quiet TensorFlow import, as the notebooks do)


def write_photo(path: Path, seed: int = 0, size: tuple[int, int] = (64, 48), fmt: str = "JPEG") -> Path:
    """Write a small random image (width x height) in ``fmt``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pixels = np.random.default_rng(seed).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path, fmt)
    return path


def jpeg_bytes(seed: int = 0) -> bytes:
    """The bytes of a small random JPEG."""
    buffer = io.BytesIO()
    pixels = np.random.default_rng(seed).integers(0, 256, (48, 64, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def good_dataset(tmp_path: Path) -> Path:
    """Three classes of five small JPEGs each, plus a LICENSE.txt at the top as in flower_photos."""
    root = tmp_path / "flowers"
    for c, name in enumerate(["daisy", "roses", "tulips"]):
        for i in range(5):
            write_photo(root / name / f"{i}.jpg", seed=10 * c + i, size=(64 + i, 48))
    (root / "LICENSE.txt").write_text("CC-BY\n")
    return root


@pytest.fixture
def bad_dataset(good_dataset: Path) -> Path:
    """``good_dataset`` plus one file of each kind that breaks training, and one that is skipped."""
    roses = good_dataset / "roses"
    (roses / "empty.jpg").write_bytes(b"")
    (roses / "truncated.jpg").write_bytes(jpeg_bytes(1)[:300])
    (roses / "notes.jpg").write_text("this is a text file, not a photo\n")
    write_photo(roses / "tiff_inside.jpg", seed=3, fmt="TIFF")
    (roses / "readme.txt").write_text("skipped by training\n")
    return good_dataset

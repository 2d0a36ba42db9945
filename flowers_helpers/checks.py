"""Check a data folder before training, so a bad file never stops an epoch halfway.

Every image is decoded with the same TensorFlow call that
``keras.utils.image_dataset_from_directory`` uses, so a file passes the check
exactly when training could read it.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import tensorflow as tf
from PIL import Image, UnidentifiedImageError
from tqdm import tqdm

from flowers_helpers.data import IMAGE_EXTENSIONS, DatasetError
from flowers_helpers.quiet import quiet_stderr


@dataclass(frozen=True)
class BadFile:
    """A file that would break training, and what is wrong with it."""

    path: Path
    problem: str


@dataclass
class DatasetReport:
    """What a scan of a data folder found: per-class counts, image sizes, bad and skipped files."""

    root: Path
    class_counts: dict[str, int]
    image_sizes: list[tuple[int, int]] = field(default_factory=list)  # (height, width) of good images
    bad_files: list[BadFile] = field(default_factory=list)
    skipped_files: list[Path] = field(default_factory=list)  # not read by training (other extensions)

    @property
    def class_names(self) -> list[str]:
        """Class names in the order Keras assigns labels (alphabetical)."""
        return sorted(self.class_counts)

    @property
    def total(self) -> int:
        """Number of images that training will read."""
        return sum(self.class_counts.values())

    @property
    def ok(self) -> bool:
        """True when no file would break training."""
        return not self.bad_files

    def summary(self) -> str:
        """A short plain-text report: counts per class, then every bad or skipped file."""
        width = max(len(name) for name in [*self.class_counts, "total"])
        lines = [f"{name:<{width}}  {count:>5}" for name, count in sorted(self.class_counts.items())]
        lines.append(f"{'total':<{width}}  {self.total:>5} images in {len(self.class_counts)} classes")
        if self.image_sizes:
            heights, widths = zip(*self.image_sizes)
            lines.append(
                f"image sizes: {min(widths)}-{max(widths)} px wide, {min(heights)}-{max(heights)} px high"
            )
        lines.append(f"bad files: {len(self.bad_files)}")
        lines += [f"  {self._relative(bad.path)}: {bad.problem}" for bad in self.bad_files]
        if self.skipped_files:
            lines.append(f"skipped (not an image extension that training reads): {len(self.skipped_files)}")
            lines += [f"  {self._relative(path)}" for path in self.skipped_files]
        return "\n".join(lines)

    def raise_if_bad(self) -> None:
        """Raise ``DatasetError`` naming every bad file, so training never meets one."""
        if self.bad_files:
            listing = "\n".join(f"  {self._relative(b.path)}: {b.problem}" for b in self.bad_files)
            raise DatasetError(
                f"{len(self.bad_files)} file(s) in '{self.root}' would break training; "
                f"fix or remove them:\n{listing}"
            )

    def _relative(self, path: Path) -> str:
        return os.fspath(path.relative_to(self.root))


def check_dataset(data_dir: str | os.PathLike, progress: bool = True) -> DatasetReport:
    """Scan ``data_dir`` (one subfolder per class) and report counts and every bad file.

    Raises ``DatasetError`` with one clear message for a missing folder, fewer than
    two class folders, or an empty class folder. Bad images do not raise here:
    they are collected in the report (``report.raise_if_bad()`` raises).
    """
    root = Path(data_dir)
    if not root.is_dir():
        raise DatasetError(f"The data set folder '{root}' does not exist.")
    class_dirs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if len(class_dirs) < 2:
        found = ", ".join(p.name for p in class_dirs) or "none"
        raise DatasetError(
            f"'{root}' needs at least two class subfolders to train a classifier; found {found}."
        )

    images, skipped = [], []
    for class_dir in class_dirs:
        files = sorted(p for p in class_dir.rglob("*") if p.is_file())
        class_images = [p for p in files if p.suffix.lower() in IMAGE_EXTENSIONS]
        if not class_images:
            raise DatasetError(
                f"The class folder '{class_dir}' has no images "
                f"(training reads {', '.join(IMAGE_EXTENSIONS)}); add some or remove the folder."
            )
        images += [(class_dir.name, p) for p in class_images]
        skipped += [p for p in files if p.suffix.lower() not in IMAGE_EXTENSIONS]

    counts: Counter[str] = Counter()
    report = DatasetReport(root=root, class_counts={}, skipped_files=skipped)
    for class_name, path in tqdm(images, desc="Checking images", unit="img", disable=not progress):
        problem, shape = _decode_problem(path)
        if problem:
            report.bad_files.append(BadFile(path, problem))
        else:
            counts[class_name] += 1
            report.image_sizes.append(shape)
    report.class_counts = {p.name: counts[p.name] for p in class_dirs}
    return report


def _decode_problem(path: Path) -> tuple[str | None, tuple[int, int] | None]:
    """Decode ``path`` as training would; return (problem, None) or (None, (height, width))."""
    if path.stat().st_size == 0:
        return "empty file (0 bytes)", None
    try:
        with quiet_stderr():  # libjpeg prints its own complaint about a damaged file
            image = tf.io.decode_image(tf.io.read_file(str(path)), channels=3, expand_animations=False)
    except tf.errors.OpError as error:
        return _describe_undecodable(path, error), None
    return None, (int(image.shape[0]), int(image.shape[1]))


def _describe_undecodable(path: Path, error: Exception) -> str:
    """Say in words why TensorFlow could not decode ``path``, using Pillow to name the format."""
    kind = _sniff_format(path)
    try:
        with Image.open(path) as image:
            kind = image.format
            image.load()
    except UnidentifiedImageError:
        return "not an image (unrecognised content)"
    except OSError as pil_error:
        return f"corrupt or truncated {kind} image ({pil_error})"
    if kind in ("JPEG", "PNG", "GIF", "BMP", "WEBP"):
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"{kind} image that TensorFlow cannot decode ({first_line})"
    return f"{kind} image: a format TensorFlow's decoder cannot read (use JPEG, PNG, GIF or BMP)"


_MAGIC = {b"\xff\xd8\xff": "JPEG", b"\x89PNG": "PNG", b"GIF8": "GIF", b"BM": "BMP"}


def _sniff_format(path: Path) -> str:
    """Name an image format from the file's first bytes, even when the rest is damaged."""
    with open(path, "rb") as file:
        head = file.read(8)
    return next((name for magic, name in _MAGIC.items() if head.startswith(magic)), "unknown")

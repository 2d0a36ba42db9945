"""Check a data folder before training, so a bad file never stops an epoch halfway.

Every image is decoded with the same TensorFlow call that
``keras.utils.image_dataset_from_directory`` uses, so a file passes the check
exactly when training could read it. The files checked are the ones Keras reads:
every file below a class folder, sub-folders included, whose name ends in an
image extension. Keras skips hidden class folders but not hidden files, so a
macOS ``._photo.jpg`` (AppleDouble metadata, not a photo) is read by training;
it is reported as a bad file, with the fix, rather than left to crash an epoch.

What each case does:

- stops (``raise_if_bad``, every offending file named with the fix): an empty,
  truncated, unreadable or non-image file with an image extension, a broken link,
  an AppleDouble ``._`` file, an image format TensorFlow cannot decode (TIFF);
- carries on and lists it in the report: files training skips (``.DS_Store``,
  ``Thumbs.db``, ``.webp``, text), images read from sub-folders inside a class;
- carries on with a warning: imbalanced or very small classes, very large images.

PNG with transparency, GIF (first frame), BMP, and grayscale or CMYK JPEGs all
decode to three channels, so they pass.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import tensorflow as tf
from PIL import Image, UnidentifiedImageError
from tqdm import tqdm

from flowers_helpers.data import IMAGE_EXTENSIONS, DatasetError
from flowers_helpers.quiet import quiet_stderr

LARGE_IMAGE_SIDE = 4096  # px; a phone's 12 MP photo (4032 x 3024) stays below it
IMBALANCE_RATIO = 5  # warn when the largest class has more than this many times the images of the smallest
SMALL_CLASS = 10  # warn about classes with fewer images than this


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
    subfolder_counts: dict[Path, int] = field(default_factory=dict)  # good images in folders below a class
    large_images: list[Path] = field(default_factory=list)  # good images over LARGE_IMAGE_SIDE px

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

    @property
    def warnings(self) -> list[str]:
        """What does not stop training but makes results mean less: small or imbalanced classes, huge images."""
        found = []
        small = {name: n for name, n in sorted(self.class_counts.items()) if n < SMALL_CLASS}
        if small:
            listing = ", ".join(f"{name} ({n})" for name, n in small.items())
            found.append(
                f"Classes with fewer than {SMALL_CLASS} images: {listing}. The validation split keeps only "
                "a photo or two of each, so the split and the validation accuracy mean little; add photos."
            )
        counts = self.class_counts.values()
        largest, smallest = max(counts, default=0), min(counts, default=0)
        if smallest and largest > IMBALANCE_RATIO * smallest:
            big = max(self.class_counts, key=self.class_counts.get)
            little = min(self.class_counts, key=self.class_counts.get)
            found.append(
                f"Imbalanced classes: {big} has {largest} images, {little} only {smallest} "
                f"({largest / smallest:.1f}x). A model that favours the large classes still scores well, "
                "so accuracy means less; look at per-class results, or add photos to the small classes."
            )
        if self.large_images:
            found.append(
                f"{len(self.large_images)} image(s) over {LARGE_IMAGE_SIDE} px on a side, such as "
                f"{self._relative(self.large_images[0])}: training reads them, but decoding them is slow; "
                "downscale them (1024 px is plenty for 180 x 180 training) to speed up the first epoch."
            )
        return found

    def summary(self) -> str:
        """A short plain-text report: counts per class, then every bad or skipped file, then warnings."""
        width = max(len(name) for name in [*self.class_counts, "total"])
        lines = [f"{name:<{width}}  {count:>5}" for name, count in sorted(self.class_counts.items())]
        lines.append(f"{'total':<{width}}  {self.total:>5} images in {len(self.class_counts)} classes")
        sizes = self._size_ranges()
        if sizes:
            (narrowest, widest), (lowest, highest) = sizes["width"], sizes["height"]
            lines.append(f"image sizes: {narrowest}-{widest} px wide, {lowest}-{highest} px high")
        if self.subfolder_counts:
            lines.append("included from sub-folders inside a class (training reads them too):")
            lines += [f"  {self._relative(folder)}: {n}" for folder, n in self.subfolder_counts.items()]
        lines.append(f"bad files: {len(self.bad_files)}")
        lines += [f"  {self._relative(bad.path)}: {bad.problem}" for bad in self.bad_files]
        if self.skipped_files:
            lines.append(
                f"skipped (training reads only {', '.join(IMAGE_EXTENSIONS)}; convert other images to JPEG "
                f"to include them): {len(self.skipped_files)}"
            )
            lines += [f"  {self._relative(path)}" for path in self.skipped_files]
        lines += [f"warning: {warning}" for warning in self.warnings]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """The report as JSON-able data for a run report; paths relative to ``root``."""
        return {
            "root": os.fspath(self.root),
            "class_counts": dict(self.class_counts),
            "total": self.total,
            "image_sizes": self._size_ranges(),
            "bad_files": [{"path": self._relative(b.path), "problem": b.problem} for b in self.bad_files],
            "skipped_files": [self._relative(path) for path in self.skipped_files],
            "subfolders": {self._relative(folder): n for folder, n in self.subfolder_counts.items()},
            "warnings": self.warnings,
        }

    def raise_if_bad(self) -> None:
        """Raise ``DatasetError`` naming every bad file, so training never meets one."""
        if self.bad_files:
            listing = "\n".join(f"  {self._relative(b.path)}: {b.problem}" for b in self.bad_files)
            raise DatasetError(
                f"{len(self.bad_files)} file(s) in '{self.root}' would break training; "
                f"fix or remove them:\n{listing}"
            )

    def _size_ranges(self) -> dict[str, list[int]] | None:
        """``{"width": [min, max], "height": [min, max]}`` over the good images; None when there are none."""
        if not self.image_sizes:
            return None
        heights, widths = zip(*self.image_sizes)
        return {"width": [min(widths), max(widths)], "height": [min(heights), max(heights)]}

    def _relative(self, path: Path) -> str:
        return os.fspath(path.relative_to(self.root))


def class_files(root: Path) -> dict[Path, list[Path]]:
    """Each class folder (hidden ones skipped, as Keras does) with every file below it, sorted.

    Files are what ``os.walk`` lists, as Keras sees them: broken links included,
    linked folders not followed.
    """
    class_dirs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    return {d: sorted(p for p in d.rglob("*") if p.is_file() or not p.exists()) for d in class_dirs}


def check_dataset(data_dir: str | os.PathLike, progress: bool = True) -> DatasetReport:
    """Scan ``data_dir`` (one subfolder per class) and report counts and every bad file.

    Raises ``DatasetError`` with one clear message for a missing folder, fewer than
    two class folders, or an empty class folder. Bad images do not raise here:
    they are collected in the report (``report.raise_if_bad()`` raises).
    """
    root = Path(data_dir)
    if not root.is_dir():
        raise DatasetError(f"The data set folder '{root}' does not exist.")
    listing = class_files(root)
    class_dirs = list(listing)
    if len(class_dirs) < 2:
        found = ", ".join(p.name for p in class_dirs) or "none"
        raise DatasetError(
            f"'{root}' needs at least two class subfolders to train a classifier; found {found}."
        )

    images, skipped = [], []
    for class_dir, files in listing.items():
        class_images = [p for p in files if p.suffix.lower() in IMAGE_EXTENSIONS]
        if not class_images:
            raise DatasetError(
                f"The class folder '{class_dir}' has no images "
                f"(training reads {', '.join(IMAGE_EXTENSIONS)}); add some or remove the folder."
            )
        images += [(class_dir, p) for p in class_images]
        skipped += [p for p in files if p.suffix.lower() not in IMAGE_EXTENSIONS]

    counts: Counter[str] = Counter()
    subfolders: Counter[Path] = Counter()
    report = DatasetReport(root=root, class_counts={}, skipped_files=skipped)
    for class_dir, path in tqdm(images, desc="Checking images", unit="img", disable=not progress):
        problem, shape = _decode_problem(path)
        if problem:
            report.bad_files.append(BadFile(path, problem))
            continue
        counts[class_dir.name] += 1
        report.image_sizes.append(shape)
        if path.parent != class_dir:
            subfolders[path.parent] += 1
        if max(shape) > LARGE_IMAGE_SIDE:
            report.large_images.append(path)
    report.class_counts = {p.name: counts[p.name] for p in class_dirs}
    report.subfolder_counts = dict(sorted(subfolders.items()))
    return report


def _decode_problem(path: Path) -> tuple[str | None, tuple[int, int] | None]:
    """Decode ``path`` as training would; return (problem, None) or (None, (height, width))."""
    try:
        data = path.read_bytes()
    except OSError as error:
        if path.is_symlink():
            return f"broken link to '{os.readlink(path)}'; restore its target or remove the link", None
        return f"cannot be read ({error.strerror}); fix its permissions or remove it", None
    if not data:
        return "empty file (0 bytes)", None
    try:
        with quiet_stderr():  # libjpeg prints its own complaint about a damaged file
            image = tf.io.decode_image(data, channels=3, expand_animations=False)
    except tf.errors.OpError as error:
        return _describe_undecodable(path, data, error), None
    return None, (int(image.shape[0]), int(image.shape[1]))


def _describe_undecodable(path: Path, data: bytes, error: Exception) -> str:
    """Say in words why TensorFlow could not decode ``data``, using Pillow to name the format."""
    if path.name.startswith("._"):
        return (
            "macOS metadata ('._' AppleDouble file left by copying from a Mac), not a photo; "
            "training reads it because of its extension; delete it "
            "(find <data folder> -name '._*' -delete removes them all)"
        )
    kind = _sniff_format(data)
    try:
        with Image.open(io.BytesIO(data)) as image:
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


def _sniff_format(data: bytes) -> str:
    """Name an image format from the file's first bytes, even when the rest is damaged."""
    return next((name for magic, name in _MAGIC.items() if data.startswith(magic)), "unknown")

"""Build the embedded sample data set from a full copy of flower_photos.

Maintainers run this once; the result ships in ``flowers_helpers/sample_data``::

    python -m flowers_helpers.make_sample PATH/TO/flower_photos

It picks a fixed, seeded choice of photos per class, scales each so its shorter
side is the tutorial's 180 px, and copies the CC-BY attribution line of every
chosen photo into ``LICENSE.txt`` next to them.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

from PIL import Image

from flowers_helpers.data import sample_dir

PER_CLASS = 20
SHORT_SIDE = 180
JPEG_QUALITY = 85


def build_sample(source: Path, destination: Path, per_class: int = PER_CLASS, seed: int = 123) -> int:
    """Write the sample into ``destination`` (replacing it); return its size in bytes."""
    licence_lines = (source / "LICENSE.txt").read_text(encoding="utf-8").splitlines()
    attributions = {line.split(" ", 1)[0]: line for line in licence_lines if ".jpg " in line}
    first_attribution = next(i for i, line in enumerate(licence_lines) if ".jpg " in line)
    notice = [line for line in licence_lines[:first_attribution] if line.strip()]

    shutil.rmtree(destination, ignore_errors=True)
    chosen = []
    for class_dir in sorted(p for p in source.iterdir() if p.is_dir()):
        photos = sorted(class_dir.glob("*.jpg"))
        for photo in sorted(random.Random(seed).sample(photos, per_class)):
            relative = f"{class_dir.name}/{photo.name}"
            _downscale(photo, destination / relative)
            chosen.append(attributions[relative])

    (destination / "LICENSE.txt").write_text("\n".join(notice + [""] + chosen) + "\n", encoding="utf-8")
    return sum(p.stat().st_size for p in destination.rglob("*") if p.is_file())


def _downscale(photo: Path, target: Path) -> None:
    """Save ``photo`` as a JPEG whose shorter side is at most ``SHORT_SIDE`` pixels."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(photo) as image:
        scale = SHORT_SIDE / min(image.size)
        if scale < 1:
            image = image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)
        image.convert("RGB").save(target, "JPEG", quality=JPEG_QUALITY, optimize=True)


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a full flower_photos folder (with LICENSE.txt)")
    args = parser.parse_args()
    size = build_sample(args.source, sample_dir())
    print(f"Wrote the sample to {sample_dir()}: {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()

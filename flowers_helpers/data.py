"""Where the photos come from: one ``dataset`` setting, three forms.

- ``"flower_photos"``: the official archive, downloaded once with
  ``keras.utils.get_file``, checked against its sha256 and cached under the Keras
  cache (``$KERAS_HOME``, else ``~/.keras``); later runs find it without network.
- ``"sample"``: the small sample of the real photos that ships inside this package,
  for quick and offline runs (not for accuracy).
- any folder with one subfolder of images per class, such as a local copy of
  flower_photos or your own photos.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

FLOWER_PHOTOS_URL = (
    "https://storage.googleapis.com/download.tensorflow.org/example_images/flower_photos.tgz"
)
FLOWER_PHOTOS_SHA256 = "4c54ace7911aaffe13a365c34f650e71dd5bf1be0a58b464e5a7183e3e595d9c"

# The file extensions that keras.utils.image_dataset_from_directory reads.
IMAGE_EXTENSIONS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")

# The names the dataset setting accepts besides a folder path.
DATASET_NAMES = ("flower_photos", "sample")

_COMPLETE_MARK = ".flowers_helpers_complete"


class DatasetError(Exception):
    """Something about the data set stops the tutorial; the message says what and how to fix it."""


def sample_dir() -> Path:
    """The embedded sample: about 20 downscaled photos per class, with their attributions."""
    return Path(__file__).parent / "sample_data" / "flower_photos"


def keras_cache_dir() -> Path:
    """The Keras cache folder, ``$KERAS_HOME`` or ``~/.keras``, as ``keras.utils.get_file`` uses it."""
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras").expanduser()


def resolve_dataset(dataset: str | os.PathLike) -> Path:
    """Turn the ``dataset`` setting into a folder with one subfolder per class.

    Downloads the official archive on first use of ``"flower_photos"``.
    Raises ``DatasetError`` with a clear message for a folder that does not exist.
    """
    name = os.fspath(dataset)
    if name == "flower_photos":
        return download_flower_photos()
    if name == "sample":
        return sample_dir()
    path = Path(name).expanduser()
    if not path.is_dir():
        what = "is a file, not a folder" if path.exists() else "does not exist"
        raise DatasetError(
            f"The data set folder '{name}' {what}. Set dataset (or FLOWERS_DATASET) to "
            "'flower_photos' (download the real data set), 'sample' (the small embedded sample), "
            "or a folder that holds one subfolder of images per class."
        )
    return path


def download_flower_photos(
    url: str = FLOWER_PHOTOS_URL,
    sha256: str = FLOWER_PHOTOS_SHA256,
    cache_dir: str | os.PathLike | None = None,
) -> Path:
    """Download, verify and extract the flower_photos archive once; return its class folder.

    A finished extraction is marked, so later calls return at once and need no
    network. Keras 3 extracts ``flower_photos.tgz`` into ``flower_photos_extracted/``
    (Keras 2 used ``flower_photos/``); rather than hard-code either layout, the
    class folder is looked up inside whatever was extracted.
    """
    import keras

    cache = Path(cache_dir).expanduser() if cache_dir else keras_cache_dir()
    extracted = cache / "datasets" / "flower_photos_extracted"
    mark = extracted / _COMPLETE_MARK
    if mark.is_file() and mark.read_text().strip() == sha256:
        return find_class_root(extracted)

    archive = cache / "datasets" / "flower_photos.tgz"
    cache.mkdir(parents=True, exist_ok=True)  # get_file silently swaps a missing cache for /tmp/.keras
    shutil.rmtree(extracted, ignore_errors=True)  # a half-extracted folder from an interrupted run
    try:
        path = keras.utils.get_file(
            "flower_photos.tgz",
            origin=url,
            file_hash=sha256,
            hash_algorithm="sha256",
            extract=True,
            cache_dir=os.fspath(cache),
        )
    except ValueError as error:  # get_file's wording for a checksum mismatch
        archive.unlink(missing_ok=True)
        raise DatasetError(
            f"The archive downloaded from {url} does not have the expected sha256 {sha256}; "
            "it was deleted. Try again, or point FLOWERS_DATASET at a local copy."
        ) from error
    except Exception as error:  # get_file wraps network failures in a bare Exception
        raise DatasetError(
            f"Could not download the flower_photos data set ({error}). "
            "If this machine is offline, point FLOWERS_DATASET at a local copy of the "
            "data set, or use dataset='sample' for a quick run on the embedded sample."
        ) from error
    root = find_class_root(Path(path))
    mark.write_text(sha256)
    return root


def find_class_root(folder: Path, max_depth: int = 3) -> Path:
    """Return the first folder, breadth first, whose subfolders hold images.

    Archives differ in how many wrapper folders they add around the class
    folders; this finds the class folders whatever the wrapping.
    """
    level = [folder]
    for _ in range(max_depth + 1):
        for candidate in level:
            if any(_has_images(sub) for sub in candidate.iterdir() if sub.is_dir()):
                return candidate
        level = sorted(sub for candidate in level for sub in candidate.iterdir() if sub.is_dir())
    raise DatasetError(f"No folder of class subfolders with images was found in '{folder}'.")


def _has_images(folder: Path) -> bool:
    """True when ``folder`` directly contains a file with an image extension."""
    return any(p.suffix.lower() in IMAGE_EXTENSIONS for p in folder.iterdir() if p.is_file())

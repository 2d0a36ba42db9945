"""Where the photos come from: one ``dataset`` setting, three forms.

- ``"flower_photos"``: the official archive, downloaded once with
  ``keras.utils.get_file``, checked against its sha256 and cached under the Keras
  cache (``$KERAS_HOME``, else ``~/.keras``); later runs find it without network.
  The archive is extracted here, not by Keras, so that a member that would land
  outside the cache folder is refused before anything is written.
- ``"sample"``: the small sample of the real photos that ships inside this package,
  for quick and offline runs (not for accuracy).
- any folder with one subfolder of images per class, such as a local copy of
  flower_photos or your own photos.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tarfile
from pathlib import Path, PurePosixPath

from flowers_helpers.folders import writable_folder_problem

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
    network (nor a writable cache); a folder without the mark is the remains of
    an interrupted run, and is extracted afresh. A cached archive whose sha256 does
    not match is downloaded again by ``get_file``. The archive is extracted into
    ``flower_photos_extracted/``, as Keras 3 would; the class folder is looked up
    inside it rather than hard-coded.
    """
    import keras

    cache = Path(cache_dir).expanduser() if cache_dir else keras_cache_dir()
    datasets = cache / "datasets"
    extracted = datasets / "flower_photos_extracted"
    mark = extracted / _COMPLETE_MARK
    if mark.is_file() and mark.read_text().strip() == sha256:
        return find_class_root(extracted)

    problem = writable_folder_problem(datasets)  # else get_file quietly swaps the cache for /tmp/.keras
    if problem:
        raise DatasetError(
            f"The Keras cache folder '{datasets}' cannot be written: {problem}. Set KERAS_HOME to a folder "
            "you can write (for example export KERAS_HOME=$HOME/keras-cache) and run again, or point "
            "FLOWERS_DATASET at a local copy of the data set."
        )
    archive = datasets / "flower_photos.tgz"
    try:
        path = keras.utils.get_file(
            "flower_photos.tgz",
            origin=url,
            file_hash=sha256,
            hash_algorithm="sha256",
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
    shutil.rmtree(extracted, ignore_errors=True)  # a half-extracted folder from an interrupted run
    extract_tar(Path(path), extracted)
    root = find_class_root(extracted)
    mark.write_text(sha256)
    return root


def extract_tar(archive: Path, target: Path) -> None:
    """Extract a tar archive into ``target``, refusing it whole if any member would land outside.

    A crafted archive can hold an absolute path, a ``..`` component, or a link
    that points out of ``target`` (the "tar slip" of CVE-2007-4559). Every member
    is checked before anything is written; Python's own ``filter="data"`` guards
    the extraction as well where it exists (3.10.12, 3.11.4 and later).
    """
    try:
        with tarfile.open(archive) as tar:
            members = tar.getmembers()
            problems = [f"  {m.name}: {problem}" for m in members if (problem := _member_problem(m))]
            if problems:
                raise DatasetError(
                    f"The archive '{archive}' was not extracted into '{target}', because "
                    f"{len(problems)} member(s) are unsafe:\n" + "\n".join(problems) + "\n"
                    "Delete the archive and download the data set from a source you trust."
                )
            safety = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(target, members, **safety)
    except (tarfile.TarError, EOFError) as error:  # EOFError: a gzip stream cut short
        raise DatasetError(
            f"'{archive}' is not a readable tar archive: it is damaged, cut short, or not a tar file. "
            "Delete it and run again to download it afresh."
        ) from error


def _member_problem(member: tarfile.TarInfo) -> str | None:
    """Why ``member`` is unsafe to extract (it lands outside the target, or is a device), or None."""
    name = PurePosixPath(member.name)
    if name.is_absolute():
        return "absolute path, would be written outside the folder"
    if ".." in name.parts:
        return "'..' in its path, would be written outside the folder"
    if member.issym() or member.islnk():
        # a symbolic link is relative to its own folder, a hard link to the archive's top
        start = posixpath.dirname(member.name) if member.issym() else ""
        landing = posixpath.normpath(posixpath.join(start, member.linkname))
        if posixpath.isabs(member.linkname) or landing == ".." or landing.startswith("../"):
            return f"link to '{member.linkname}', outside the folder"
    elif not (member.isfile() or member.isdir()):
        return "a device or pipe, not a file or folder"
    return None


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

"""The three forms of the dataset setting, and the real download path against a local server."""

import functools
import hashlib
import http.server
import re
import tarfile
import threading
from pathlib import Path

import pytest

from flowers_helpers.data import DatasetError, download_flower_photos, find_class_root, resolve_dataset, sample_dir

from conftest import write_photo

CLASSES = ["daisy", "dandelion", "roses", "sunflowers", "tulips"]


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):
        type(self).requests.append(self.path)
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def archive_server(tmp_path):
    """Serve a small flower_photos.tgz (Keras-style layout inside) from 127.0.0.1."""
    source = tmp_path / "source"
    for c, name in enumerate(CLASSES[:3]):
        for i in range(2):
            write_photo(source / "flower_photos" / name / f"{i}.jpg", seed=c * 10 + i)
    (source / "flower_photos" / "LICENSE.txt").write_text("CC-BY\n")
    served = tmp_path / "served"
    served.mkdir()
    archive = served / "flower_photos.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(source / "flower_photos", arcname="flower_photos")
    _CountingHandler.requests = []
    handler = functools.partial(_CountingHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/flower_photos.tgz"
    yield url, hashlib.sha256(archive.read_bytes()).hexdigest(), server
    server.shutdown()
    server.server_close()


def test_download_verifies_extracts_and_caches(archive_server, tmp_path):
    url, sha256, server = archive_server
    cache = tmp_path / "keras_home"
    root = download_flower_photos(url=url, sha256=sha256, cache_dir=cache)
    assert root == cache / "datasets" / "flower_photos_extracted" / "flower_photos"
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == CLASSES[:3]
    assert len(_CountingHandler.requests) == 1

    server.shutdown()  # no network from here on: the second call must come from the cache
    server.server_close()
    assert download_flower_photos(url=url, sha256=sha256, cache_dir=cache) == root
    assert len(_CountingHandler.requests) == 1


def test_download_with_a_wrong_checksum_is_refused_and_removed(archive_server, tmp_path):
    url, _, _ = archive_server
    cache = tmp_path / "keras_home"
    with pytest.raises(DatasetError, match="does not have the expected sha256"):
        download_flower_photos(url=url, sha256="0" * 64, cache_dir=cache)
    assert not (cache / "datasets" / "flower_photos.tgz").exists()
    assert not (cache / "datasets" / "flower_photos_extracted" / ".flowers_helpers_complete").exists()


def test_interrupted_extraction_is_redone(archive_server, tmp_path):
    url, sha256, _ = archive_server
    cache = tmp_path / "keras_home"
    download_flower_photos(url=url, sha256=sha256, cache_dir=cache)
    extracted = cache / "datasets" / "flower_photos_extracted"
    (extracted / ".flowers_helpers_complete").unlink()  # as if the run died before finishing
    next((extracted / "flower_photos" / "daisy").iterdir()).unlink()
    root = download_flower_photos(url=url, sha256=sha256, cache_dir=cache)
    assert len(list((root / "daisy").iterdir())) == 2


def test_offline_download_says_what_to_do(tmp_path):
    with pytest.raises(DatasetError, match="Could not download.*FLOWERS_DATASET.*'sample'"):
        download_flower_photos(url="http://127.0.0.1:9/flower_photos.tgz", cache_dir=tmp_path)


def test_resolve_the_three_forms(monkeypatch, tmp_path, good_dataset):
    assert resolve_dataset("sample") == sample_dir()
    assert resolve_dataset(good_dataset) == good_dataset
    assert resolve_dataset(str(good_dataset)) == good_dataset
    calls = []
    monkeypatch.setattr("flowers_helpers.data.download_flower_photos", lambda: calls.append(1) or tmp_path)
    assert resolve_dataset("flower_photos") == tmp_path and calls == [1]


def test_resolve_a_missing_folder_explains_the_choices(tmp_path):
    with pytest.raises(DatasetError, match=r"'.*nowhere' does not exist.*'flower_photos'.*'sample'"):
        resolve_dataset(tmp_path / "nowhere")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(DatasetError, match="is a file, not a folder"):
        resolve_dataset(tmp_path / "file.txt")


@pytest.mark.parametrize("wrapping", ["", "flower_photos", "flower_photos_extracted/flower_photos"])
def test_find_class_root_whatever_the_wrapping(tmp_path, wrapping):
    root = tmp_path / wrapping
    for name in CLASSES[:2]:
        write_photo(root / name / "a.jpg")
    assert find_class_root(tmp_path) == root


def test_find_class_root_without_classes(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetError, match="No folder of class subfolders"):
        find_class_root(tmp_path)


def test_embedded_sample_is_small_and_attributed():
    files = [p for p in sample_dir().rglob("*") if p.is_file()]
    photos = sorted(p for p in files if p.suffix == ".jpg")
    assert sum(p.stat().st_size for p in files) <= 3_000_000
    assert len(photos) == 100
    attributions = (sample_dir() / "LICENSE.txt").read_text(encoding="utf-8")
    assert "creativecommons.org/licenses/by/2.0" in attributions
    listed = set(re.findall(r"^(\S+\.jpg) CC-BY by ", attributions, flags=re.MULTILINE))
    assert listed == {f"{p.parent.name}/{p.name}" for p in photos}

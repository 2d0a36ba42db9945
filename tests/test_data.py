"""The three forms of the dataset setting, and the real download path against a local server."""

import functools
import hashlib
import http.server
import io
import os
import re
import tarfile
import threading

import pytest

from flowers_helpers.data import (
    DatasetError,
    download_flower_photos,
    extract_tar,
    find_class_root,
    resolve_dataset,
    sample_dir,
)

from conftest import jpeg_bytes, write_photo

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


def add_member(tar, name, data=b"x", kind=tarfile.REGTYPE, linkname=""):
    """Add a member exactly as named: ``tar.add`` would strip the leading '/' that an attacker would not."""
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, linkname, len(data) if kind == tarfile.REGTYPE else 0
    tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


def test_a_crafted_archive_is_refused_whole_and_nothing_is_written(tmp_path):
    archive = tmp_path / "evil.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        add_member(tar, "flower_photos/daisy/0.jpg", jpeg_bytes())
        add_member(tar, "/tmp/evil.txt")
        add_member(tar, "flower_photos/../../evil.txt")
        add_member(tar, "flower_photos/passwd", kind=tarfile.SYMTYPE, linkname="/etc/passwd")
        add_member(tar, "flower_photos/up", kind=tarfile.SYMTYPE, linkname="../../outside")
        add_member(tar, "flower_photos/hard", kind=tarfile.LNKTYPE, linkname="../outside.txt")
        add_member(tar, "flower_photos/fifo", kind=tarfile.FIFOTYPE)
    target = tmp_path / "cache" / "extracted"
    with pytest.raises(DatasetError) as caught:
        extract_tar(archive, target)
    assert str(caught.value) == (
        f"The archive '{archive}' was not extracted into '{target}', because 6 member(s) are unsafe:\n"
        "  /tmp/evil.txt: absolute path, would be written outside the folder\n"
        "  flower_photos/../../evil.txt: '..' in its path, would be written outside the folder\n"
        "  flower_photos/passwd: link to '/etc/passwd', outside the folder\n"
        "  flower_photos/up: link to '../../outside', outside the folder\n"
        "  flower_photos/hard: link to '../outside.txt', outside the folder\n"
        "  flower_photos/fifo: a device or pipe, not a file or folder\n"
        "Delete the archive and download the data set from a source you trust."
    )
    assert not target.exists() and not (tmp_path / "evil.txt").exists()


def test_links_that_stay_inside_are_extracted(tmp_path):
    archive = tmp_path / "ok.tar"
    with tarfile.open(archive, "w") as tar:
        add_member(tar, "flower_photos/daisy/0.jpg", jpeg_bytes())
        add_member(tar, "flower_photos/daisy/again.jpg", kind=tarfile.SYMTYPE, linkname="0.jpg")
        add_member(tar, "flower_photos/roses/copy.jpg", kind=tarfile.LNKTYPE, linkname="flower_photos/daisy/0.jpg")
    extract_tar(archive, tmp_path / "out")
    daisy = tmp_path / "out" / "flower_photos" / "daisy"
    assert (daisy / "again.jpg").read_bytes() == (daisy.parent / "roses" / "copy.jpg").read_bytes() == jpeg_bytes()


@pytest.mark.parametrize("damage", ["cut short", "not a tar file"])
def test_a_damaged_archive_says_to_download_it_again(tmp_path, damage):
    archive = tmp_path / "broken.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        add_member(tar, "flower_photos/daisy/0.bin", os.urandom(100_000))
    archive.write_bytes(archive.read_bytes()[:50_000] if damage == "cut short" else b"<html>Not Found</html>")
    with pytest.raises(DatasetError, match="is not a readable tar archive: it is damaged, cut short, or not a tar "
                                           "file. Delete it and run again"):
        extract_tar(archive, tmp_path / "out")


def test_a_served_crafted_archive_is_refused_and_not_marked_complete(archive_server, tmp_path):
    url, _, _ = archive_server
    served = tmp_path / "served" / "flower_photos.tgz"
    with tarfile.open(served, "w:gz") as tar:
        add_member(tar, "flower_photos/daisy/0.jpg", jpeg_bytes())
        add_member(tar, "../../escaped.txt")
    cache = tmp_path / "keras_home"
    sha256 = hashlib.sha256(served.read_bytes()).hexdigest()
    with pytest.raises(DatasetError, match=r"  \.\./\.\./escaped\.txt: '\.\.' in its path"):
        download_flower_photos(url=url, sha256=sha256, cache_dir=cache)
    assert not (cache / "datasets" / "flower_photos_extracted" / ".flowers_helpers_complete").exists()
    assert not list(tmp_path.rglob("escaped.txt"))


def test_a_cached_archive_with_a_wrong_checksum_is_downloaded_again(archive_server, tmp_path):
    url, sha256, _ = archive_server
    cache = tmp_path / "keras_home"
    (cache / "datasets").mkdir(parents=True)
    (cache / "datasets" / "flower_photos.tgz").write_bytes(b"half a download")
    root = download_flower_photos(url=url, sha256=sha256, cache_dir=cache)
    assert len(_CountingHandler.requests) == 1 and sorted(p.name for p in root.iterdir() if p.is_dir()) == CLASSES[:3]
    assert hashlib.sha256((cache / "datasets" / "flower_photos.tgz").read_bytes()).hexdigest() == sha256


def test_an_unwritable_cache_says_to_set_keras_home(tmp_path):
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(DatasetError, match=r"The Keras cache folder '.*file\.txt/datasets' cannot be written: "
                                           r"Not a directory .*Set KERAS_HOME to a folder you can write"):
        download_flower_photos(url="http://127.0.0.1:9/flower_photos.tgz", cache_dir=tmp_path / "file.txt")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_says_to_set_keras_home(tmp_path):
    (tmp_path / "keras_home").mkdir(mode=0o500)
    with pytest.raises(DatasetError, match=r"cannot be written: Permission denied .*KERAS_HOME"):
        download_flower_photos(url="http://127.0.0.1:9/flower_photos.tgz", cache_dir=tmp_path / "keras_home")


def test_a_finished_extraction_is_used_from_a_read_only_cache(archive_server, tmp_path, monkeypatch):
    url, sha256, _ = archive_server
    cache = tmp_path / "keras_home"
    root = download_flower_photos(url=url, sha256=sha256, cache_dir=cache)
    monkeypatch.setattr("flowers_helpers.data.writable_folder_problem", lambda folder: "Read-only file system")
    assert download_flower_photos(url=url, sha256=sha256, cache_dir=cache) == root
    with pytest.raises(DatasetError, match="Read-only file system. Set KERAS_HOME"):
        download_flower_photos(url=url, sha256=sha256, cache_dir=tmp_path / "other_home")

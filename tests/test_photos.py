from PIL import Image

from flowers_helpers import photos
from flowers_helpers.data import sample_dir


def test_sample_dataset_uses_the_shipped_photo_without_network(monkeypatch):
    monkeypatch.setattr("keras.utils.get_file", lambda *a, **k: (_ for _ in ()).throw(AssertionError("network")))
    photo = photos.new_photo("sample")
    assert photo == photos.shipped_photo()
    with Image.open(photo.path) as image:
        assert image.format == "JPEG" and max(image.size) == 640
    assert "CC0" in (photo.path.parent / "LICENSE.txt").read_text() and "CC0" in photo.credit


def test_shipped_photo_is_not_in_the_sample():
    names = {p.name for p in sample_dir().rglob("*.jpg")}
    assert photos.shipped_photo().path.name not in names


def test_offline_falls_back_and_says_so(monkeypatch, capsys):
    def offline(*args, **kwargs):
        raise Exception("URL fetch failure: Temporary failure in name resolution")

    monkeypatch.setattr("keras.utils.get_file", offline)
    assert photos.new_photo("flower_photos") == photos.shipped_photo()
    assert "Could not download the red sunflower" in capsys.readouterr().out


def test_online_uses_the_tutorial_sunflower(monkeypatch, tmp_path):
    monkeypatch.setattr("keras.utils.get_file", lambda fname, origin: str(tmp_path / fname))
    photo = photos.new_photo("flower_photos")
    assert photo.path == tmp_path / "Red_sunflower.jpg" and "Red_sunflower" in photo.credit


def test_load_batch_is_a_resized_batch_of_one():
    batch = photos.load_batch(photos.shipped_photo(), 180, 180)
    assert batch.shape == (1, 180, 180, 3) and batch.dtype == "float32"
    assert 0 <= batch.min() < batch.max() <= 255

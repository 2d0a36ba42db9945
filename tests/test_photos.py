import keras
import numpy as np
import pytest
from PIL import Image

from flowers_helpers import photos
from flowers_helpers.data import sample_dir

from conftest import jpeg_bytes


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


def test_an_ordinary_photo_loads_exactly_as_notebook_5_loads_it():
    path = photos.shipped_photo().path
    notebook_5 = keras.utils.img_to_array(keras.utils.load_img(path, target_size=(180, 120)))[np.newaxis]
    np.testing.assert_array_equal(photos.load_photo(path, 180, 120), notebook_5)


def test_a_missing_path_a_folder_and_a_non_image_say_what_is_wrong(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"There is no photo at '.*nowhere\.jpg'; check the path"):
        photos.load_photo(tmp_path / "nowhere.jpg", 8, 8)
    with pytest.raises(IsADirectoryError, match="is a folder; pass the path of one photo"):
        photos.load_photo(tmp_path, 8, 8)
    (tmp_path / "notes.jpg").write_text("not a photo")
    with pytest.raises(ValueError, match=r"'.*notes\.jpg' is not an image; pass a JPEG, PNG, GIF or BMP photo"):
        photos.load_photo(tmp_path / "notes.jpg", 8, 8)
    (tmp_path / "cut.jpg").write_bytes(jpeg_bytes()[:400])
    with pytest.raises(ValueError, match=r"could not be read as an image \(.+\); is it damaged or cut short\?"):
        photos.load_photo(tmp_path / "cut.jpg", 8, 8)


def single_pixel(tmp_path, name, image, **save):
    image.save(tmp_path / name, **save)
    batch = photos.load_photo(tmp_path / name, 4, 4)
    assert batch.shape == (1, 4, 4, 3) and batch.dtype == np.float32
    return tuple(int(v) for v in batch[0, 0, 0])


def test_every_colour_mode_becomes_rgb(tmp_path):
    assert single_pixel(tmp_path, "grey.jpg", Image.new("L", (4, 4), 90)) == (90, 90, 90)
    assert single_pixel(tmp_path, "cmyk.jpg", Image.new("CMYK", (4, 4), (0, 255, 255, 0)), quality=100) == (255, 0, 0)
    grey16 = Image.fromarray(np.full((4, 4), 40_000, dtype=np.uint16))
    assert single_pixel(tmp_path, "grey16.png", grey16) == (156, 156, 156)  # 40000 >> 8, not clipped to 255
    frames = [Image.new("RGB", (4, 4), c) for c in ("red", "blue")]
    assert single_pixel(tmp_path, "anim.gif", frames[0], save_all=True, append_images=frames[1:]) == (255, 0, 0)


def test_transparency_is_laid_on_white(tmp_path):
    assert single_pixel(tmp_path, "clear.png", Image.new("RGBA", (4, 4), (0, 0, 0, 0))) == (255, 255, 255)
    assert single_pixel(tmp_path, "half.png", Image.new("RGBA", (4, 4), (255, 0, 0, 128))) == (255, 127, 127)
    assert single_pixel(tmp_path, "grey_alpha.png", Image.new("LA", (4, 4), (0, 0))) == (255, 255, 255)
    palette = Image.new("P", (4, 4), 0)
    assert single_pixel(tmp_path, "palette.png", palette, transparency=0) == (255, 255, 255)
    assert single_pixel(tmp_path, "opaque.png", Image.new("RGBA", (4, 4), (0, 0, 255, 255))) == (0, 0, 255)


def test_a_phone_photos_exif_orientation_is_applied(tmp_path):
    image = Image.new("RGB", (20, 10), "red")
    image.paste("blue", (10, 0, 20, 10))  # left half red, right half blue, as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: shown turned 90 degrees clockwise, so red on top
    image.save(tmp_path / "phone.jpg", exif=exif, quality=100)
    batch = photos.load_photo(tmp_path / "phone.jpg", 20, 10)
    np.testing.assert_allclose(batch[0, [0, -1], 5], [[255, 0, 0], [0, 0, 255]], atol=3)  # JPEG is lossy


@pytest.mark.parametrize("size", [(5, 5), (6000, 4000)])
def test_tiny_and_huge_photos_are_resized(tmp_path, size):
    Image.new("RGB", size, (10, 200, 30)).save(tmp_path / "photo.png")
    batch = photos.load_photo(tmp_path / "photo.png", 180, 180)
    assert batch.shape == (1, 180, 180, 3)
    assert (batch == np.array([10, 200, 30], dtype=np.float32)).all()

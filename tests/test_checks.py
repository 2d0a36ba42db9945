import json
from pathlib import Path

import keras
import pytest
import tensorflow as tf
from PIL import Image

from flowers_helpers.checks import DatasetReport, check_dataset
from flowers_helpers.data import DatasetError, sample_dir

from conftest import write_photo


def test_counts_classes_and_sizes(good_dataset):
    report = check_dataset(good_dataset, progress=False)
    assert report.ok
    assert report.class_counts == {"daisy": 5, "roses": 5, "tulips": 5}
    assert report.class_names == ["daisy", "roses", "tulips"]
    assert report.total == 15
    assert sorted(set(report.image_sizes)) == [(48, 64 + i) for i in range(5)]
    assert "15 images in 3 classes" in report.summary()
    assert "bad files: 0" in report.summary()


def test_names_every_bad_file_and_what_is_wrong(bad_dataset):
    report = check_dataset(bad_dataset, progress=False)
    problems = {bad.path.name: bad.problem for bad in report.bad_files}
    assert set(problems) == {"empty.jpg", "truncated.jpg", "notes.jpg", "tiff_inside.jpg"}
    assert problems["empty.jpg"] == "empty file (0 bytes)"
    assert problems["truncated.jpg"].startswith("corrupt or truncated JPEG")
    assert problems["notes.jpg"] == "not an image (unrecognised content)"
    assert problems["tiff_inside.jpg"].startswith("TIFF image: a format TensorFlow's decoder cannot read")
    assert report.class_counts["roses"] == 5  # bad files are not counted
    assert [p.name for p in report.skipped_files] == ["readme.txt"]
    summary = report.summary()
    assert "bad files: 4" in summary and "roses/truncated.jpg: corrupt or truncated JPEG" in summary
    assert "roses/readme.txt" in summary


def test_raise_if_bad_lists_the_files(bad_dataset):
    with pytest.raises(DatasetError, match=r"4 file\(s\).*would break training") as caught:
        check_dataset(bad_dataset, progress=False).raise_if_bad()
    for name in ("empty.jpg", "truncated.jpg", "notes.jpg", "tiff_inside.jpg"):
        assert f"roses/{name}" in str(caught.value)


def test_missing_folder_is_one_clear_error(tmp_path):
    with pytest.raises(DatasetError, match="does not exist"):
        check_dataset(tmp_path / "nowhere")


def test_fewer_than_two_classes_is_an_error(tmp_path):
    write_photo(tmp_path / "only" / "a.jpg")
    with pytest.raises(DatasetError, match="at least two class subfolders.*found only"):
        check_dataset(tmp_path)
    with pytest.raises(DatasetError, match="found none"):
        check_dataset(tmp_path / "only")


def test_empty_class_folder_is_an_error(good_dataset):
    (good_dataset / "sunflowers").mkdir()
    (good_dataset / "sunflowers" / "notes.txt").write_text("no photos here")
    with pytest.raises(DatasetError, match="class folder '.*sunflowers' has no images"):
        check_dataset(good_dataset)


def test_other_formats_that_training_reads_pass(good_dataset):
    write_photo(good_dataset / "daisy" / "p.png", fmt="PNG")
    write_photo(good_dataset / "daisy" / "g.gif", fmt="GIF")
    write_photo(good_dataset / "daisy" / "b.bmp", fmt="BMP")
    report = check_dataset(good_dataset, progress=False)
    assert report.ok and report.class_counts["daisy"] == 8


def test_embedded_sample_is_clean():
    report = check_dataset(sample_dir(), progress=False)
    assert report.ok
    assert report.class_counts == {name: 20 for name in ["daisy", "dandelion", "roses", "sunflowers", "tulips"]}
    assert min(min(size) for size in report.image_sizes) <= 180 <= max(min(size) for size in report.image_sizes)


def write_image(path, mode="RGB", fmt="JPEG", size=(16, 12), color=(200, 30, 60)):
    """Write a one-colour image of ``mode`` in ``fmt``; ``color`` is cut to the mode's bands."""
    path.parent.mkdir(parents=True, exist_ok=True)
    bands = len(Image.new(mode, (1, 1)).getbands())
    Image.new(mode, size, color[0] if bands == 1 else (color + (128,))[:bands]).save(path, fmt)
    return path


# An AppleDouble header (magic 0x00051607, version 2), as macOS writes beside each file copied to a non-Mac disk.
APPLE_DOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00" + b"Mac OS X        " + bytes(4072)


def test_hidden_system_files_are_skipped_and_listed(good_dataset):
    (good_dataset / "daisy" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (good_dataset / "roses" / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")
    report = check_dataset(good_dataset, progress=False)
    assert report.ok and report.total == 15
    assert [str(p.relative_to(good_dataset)) for p in report.skipped_files] == ["daisy/.DS_Store", "roses/Thumbs.db"]
    assert "skipped (training reads only .bmp, .gif, .jpeg, .jpg, .png; convert other images to JPEG" in report.summary()


def test_apple_double_file_is_bad_and_says_how_to_remove_it(good_dataset):
    (good_dataset / "daisy" / "._0.jpg").write_bytes(APPLE_DOUBLE)
    write_image(good_dataset / "daisy" / "._real.jpg")  # hidden, but a photo: training reads it, so it counts
    report = check_dataset(good_dataset, progress=False)
    (bad,) = report.bad_files
    assert bad.path.name == "._0.jpg"
    assert bad.problem.startswith("macOS metadata ('._' AppleDouble file left by copying from a Mac), not a photo")
    assert report.class_counts["daisy"] == 6
    with pytest.raises(DatasetError, match=r"daisy/\._0\.jpg: macOS metadata.*find <data folder> -name '\._\*' -delete"):
        report.raise_if_bad()


def test_formats_and_colour_modes_that_training_reads_pass(good_dataset):
    daisy = good_dataset / "daisy"
    write_image(daisy / "alpha.png", "RGBA", "PNG")
    write_image(daisy / "grey_alpha.png", "LA", "PNG")
    write_image(daisy / "palette.gif", "P", "GIF")
    frames = [Image.new("RGB", (16, 12), c) for c in ("red", "blue")]
    frames[0].save(daisy / "animated.gif", save_all=True, append_images=frames[1:])
    write_image(daisy / "plain.bmp", "RGB", "BMP")
    write_image(daisy / "grey.jpg", "L", "JPEG")
    cmyk = write_image(daisy / "cmyk.jpg", "CMYK", "JPEG", color=(0, 255, 255, 0))
    report = check_dataset(good_dataset, progress=False)
    assert report.ok and report.class_counts["daisy"] == 12
    pixel = tf.io.decode_image(tf.io.read_file(str(cmyk)), channels=3, expand_animations=False)[0, 0].numpy()
    assert pixel[0] > 240 and pixel[1] < 15 and pixel[2] < 15  # TensorFlow turns CMYK into the right red


def test_a_very_large_image_passes_with_a_warning(good_dataset):
    write_image(good_dataset / "tulips" / "huge.jpg", size=(6000, 4000))
    report = check_dataset(good_dataset, progress=False)
    assert report.ok and (4000, 6000) in report.image_sizes
    assert report.large_images == [good_dataset / "tulips" / "huge.jpg"]
    assert "warning: 1 image(s) over 4096 px on a side, such as tulips/huge.jpg: training reads them" in report.summary()


def test_names_with_spaces_and_non_ascii_characters(good_dataset):
    write_image(good_dataset / "sun flowers" / "photo 1.jpg")
    write_image(good_dataset / "Löwenzahn" / "蒲公英 é.png", fmt="PNG")
    report = check_dataset(good_dataset, progress=False)
    assert report.ok and report.class_counts["sun flowers"] == 1 and report.class_counts["Löwenzahn"] == 1
    assert "Löwenzahn" in report.summary()


def test_nested_subfolders_are_included_and_listed(good_dataset):
    write_image(good_dataset / "roses" / "more" / "a.jpg")
    write_image(good_dataset / "roses" / "more" / "deeper" / "b.jpg")
    write_image(good_dataset / "roses" / "more" / "deeper" / "c.jpg")
    report = check_dataset(good_dataset, progress=False)
    assert report.class_counts["roses"] == 8
    assert {str(p.relative_to(good_dataset)): n for p, n in report.subfolder_counts.items()} == {
        "roses/more": 1, "roses/more/deeper": 2}
    assert "included from sub-folders inside a class (training reads them too):\n  roses/more: 1\n" in report.summary()


def test_a_broken_link_and_an_unreadable_file_are_bad(good_dataset, monkeypatch):
    (good_dataset / "daisy" / "moved.jpg").symlink_to(good_dataset / "nowhere.jpg")
    locked = write_image(good_dataset / "daisy" / "locked.jpg")
    read_bytes = Path.read_bytes

    def denied(path):  # chmod does not stop root, so refuse the read here
        if path == locked:
            raise PermissionError(13, "Permission denied")
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", denied)
    problems = {bad.path.name: bad.problem for bad in check_dataset(good_dataset, progress=False).bad_files}
    assert problems == {
        "moved.jpg": f"broken link to '{good_dataset / 'nowhere.jpg'}'; restore its target or remove the link",
        "locked.jpg": "cannot be read (Permission denied); fix its permissions or remove it",
    }


def test_warnings_for_small_and_imbalanced_classes(tmp_path):
    balanced = DatasetReport(tmp_path, {"daisy": 50, "roses": 40})
    assert balanced.warnings == [] and "warning" not in balanced.summary()
    skewed = DatasetReport(tmp_path, {"daisy": 60, "roses": 11, "tulips": 12})
    (imbalance,) = skewed.warnings
    assert imbalance.startswith("Imbalanced classes: daisy has 60 images, roses only 11 (5.5x).")
    assert "accuracy means less" in imbalance and f"warning: {imbalance}" in skewed.summary()
    small = DatasetReport(tmp_path, {"daisy": 9, "roses": 12})
    assert small.warnings == [
        "Classes with fewer than 10 images: daisy (9). The validation split keeps only a photo or two "
        "of each, so the split and the validation accuracy mean little; add photos."
    ]


def test_to_dict_is_ready_for_a_json_run_report(bad_dataset):
    (bad_dataset / "roses" / "more").mkdir()
    write_photo(bad_dataset / "roses" / "more" / "x.jpg", size=(30, 20))
    record = json.loads(json.dumps(check_dataset(bad_dataset, progress=False).to_dict()))
    assert record["root"] == str(bad_dataset)
    assert record["class_counts"] == {"daisy": 5, "roses": 6, "tulips": 5} and record["total"] == 16
    assert record["image_sizes"] == {"width": [30, 68], "height": [20, 48]}
    assert {"path": "roses/empty.jpg", "problem": "empty file (0 bytes)"} in record["bad_files"]
    assert len(record["bad_files"]) == 4
    assert record["skipped_files"] == ["roses/readme.txt"]
    assert record["subfolders"] == {"roses/more": 1}
    assert record["warnings"][0].startswith("Classes with fewer than 10 images: daisy (5), roses (6), tulips (5).")


def test_keras_reads_exactly_the_files_the_check_looks_at(good_dataset):
    """The decisions above rest on this: Keras reads hidden image files and sub-folders, and skips the rest."""
    (good_dataset / "daisy" / "._0.jpg").write_bytes(APPLE_DOUBLE)
    (good_dataset / "daisy" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    write_image(good_dataset / "roses" / "more" / "a b é.png", "RGBA", "PNG")
    write_image(good_dataset / "tulips" / "cmyk.jpg", "CMYK")
    (good_dataset / ".ipynb_checkpoints").mkdir()  # hidden class folders are skipped by both
    write_image(good_dataset / ".ipynb_checkpoints" / "x.jpg")
    report = check_dataset(good_dataset, progress=False)
    found = keras.utils.image_dataset_from_directory(good_dataset, image_size=(8, 8), verbose=False)
    keras_paths = {Path(p) for p in found.file_paths}
    assert len(keras_paths) == report.total + len(report.bad_files) == 18
    assert {good_dataset / "daisy" / "._0.jpg", good_dataset / "roses" / "more" / "a b é.png"} <= keras_paths
    assert not any(".ipynb_checkpoints" in p.parts or p.name == ".DS_Store" for p in keras_paths)

    (good_dataset / "daisy" / "._0.jpg").unlink()  # with the bad file gone, training reads every image
    train = keras.utils.image_dataset_from_directory(good_dataset, image_size=(8, 8), verbose=False)
    assert sum(int(y.shape[0]) for _, y in train) == report.total == 17

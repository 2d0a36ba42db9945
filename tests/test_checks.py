import pytest

from flowers_helpers.checks import check_dataset
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

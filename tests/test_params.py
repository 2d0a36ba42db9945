"""The notebooks' parameters: every problem named at once, one line each, with the fix."""

import errno
import os

import numpy as np
import pytest

from flowers_helpers.folders import writable_folder_problem
from flowers_helpers.params import ParameterError, check_parameters


def tutorial_parameters(tmp_path):
    return dict(
        epochs=15, batch_size=32, img_height=180, img_width=180, seed=123,
        validation_split=0.2, dataset="sample", artifacts_dir=tmp_path / "artifacts",
    )


def problems_of(**params):
    with pytest.raises(ParameterError) as caught:
        check_parameters(**params)
    header, *lines = str(caught.value).splitlines()
    assert header == f"{len(lines)} parameter(s) need fixing in the parameters cell:"
    return lines


def test_the_tutorials_parameters_pass_and_create_the_artifacts_folder(tmp_path):
    check_parameters(**tutorial_parameters(tmp_path))
    assert (tmp_path / "artifacts").is_dir()
    check_parameters()  # any subset, even none
    check_parameters(epochs=np.int64(3), dataset=tmp_path, num_images=5, validation_split=0.2)


def test_every_problem_is_listed_with_its_fix(tmp_path):
    lines = problems_of(epochs=0, batch_size=10_000, img_height=180.0, img_width="180", seed=-1,
                        validation_split=20, dataset="flowers", artifacts_dir=tmp_path)
    assert lines == [
        "  - epochs = 0: must be at least 1; the tutorial trains for 10 to 15 epochs.",
        "  - batch_size = 10000: the maximum is 4096; the tutorial uses 32; larger batches need more memory.",
        "  - img_height = 180.0: must be a whole number (int), not a float; write 180.",
        "  - img_width = '180': must be a whole number (int), not str; the tutorial uses 180; "
        "larger images train more slowly.",
        "  - seed = -1: must be at least 0; the tutorial uses 123.",
        "  - validation_split = 20: must be a fraction strictly between 0 and 1; "
        "use 0.2 to keep 20% of the photos for validation, as the tutorial does.",
        "  - dataset = 'flowers': no such folder, and not a data set name (did you mean 'flower_photos'?); "
        "use 'flower_photos' (download the real data set), 'sample' (the small embedded sample) "
        "or a folder that holds one subfolder of images per class.",
    ]


@pytest.mark.parametrize("name, value", [
    ("epochs", True), ("epochs", 1001), ("epochs", 2.5), ("batch_size", 0), ("batch_size", None),
    ("img_height", 2049), ("img_width", 0), ("seed", 2**32), ("num_images", 0),
])
def test_whole_numbers_in_range(name, value):
    (line,) = problems_of(**{name: value})
    assert line.startswith(f"  - {name} = {value!r}: ")


def test_the_maxima_are_allowed_and_named():
    check_parameters(epochs=1000, batch_size=4096, img_height=2048, img_width=2048, seed=2**32 - 1)
    assert "the maximum is 2048" in problems_of(img_width=2049)[0]


@pytest.mark.parametrize("value", [0, 1, 1.0, -0.2, float("nan"), True, "0.2"])
def test_validation_split_strictly_between_0_and_1(value):
    (line,) = problems_of(validation_split=value)
    assert "strictly between 0 and 1" in line


def test_the_split_must_leave_a_photo_for_validation():
    check_parameters(num_images=5, validation_split=0.2)  # Keras: int(0.2 * 5) = 1 for validation
    assert problems_of(num_images=4, validation_split=0.2) == [
        "  - validation_split = 0.2 on 4 photo(s) leaves none for validation "
        "(Keras takes int(0.2 * 4) = 0); use validation_split = 0.25 or more, or add photos."
    ]
    check_parameters(num_images=4, validation_split=0.25)
    (line,) = problems_of(num_images=1, validation_split=0.5)
    assert line.endswith("a training and a validation subset need at least 2 photos; add photos.")
    check_parameters(num_images=3, validation_split=0.34)  # the suggested minimum for 3 photos works
    assert "use validation_split = 0.34 or more" in problems_of(num_images=3, validation_split=0.2)[0]


def test_a_split_check_waits_for_valid_inputs():
    (line,) = problems_of(num_images=4, validation_split=2)
    assert "strictly between 0 and 1" in line


def test_dataset_names_folders_and_files(tmp_path):
    check_parameters(dataset="flower_photos")
    check_parameters(dataset=str(tmp_path))
    (tmp_path / "flower_photos.tgz").write_bytes(b"x")
    (line,) = problems_of(dataset=tmp_path / "flower_photos.tgz")
    assert "this is a file; point dataset at the folder" in line
    (line,) = problems_of(dataset=str(tmp_path / "nowhere"))
    assert "no such folder" in line and "'sample'" in line and "did you mean" not in line
    assert "must be a name or a folder path (str), not int" in problems_of(dataset=3)[0]


def test_an_unwritable_artifacts_dir_suggests_another(tmp_path):
    (tmp_path / "file.txt").write_text("x")
    (line,) = problems_of(artifacts_dir=tmp_path / "file.txt" / "artifacts")
    assert "cannot create or write this folder: Not a directory (NotADirectoryError)" in line
    assert "use a folder you can write, such as '" in line and "FLOWERS_ARTIFACTS" in line
    (line,) = problems_of(artifacts_dir=tmp_path / "file.txt")
    assert "cannot create or write this folder: it is a file, not a folder" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_not_writable(tmp_path):
    (tmp_path / "locked").mkdir(mode=0o500)
    assert writable_folder_problem(tmp_path / "locked") == "Permission denied (PermissionError)"


def test_unknown_names_are_a_type_error_with_a_suggestion():
    with pytest.raises(TypeError, match=r"unknown parameter\(s\) 'epoch' \(did you mean 'epochs'\?\), 'colour'; "
                                        r"it knows epochs, batch_size"):
        check_parameters(epoch=3, colour="red")


def test_a_read_only_file_system_is_caught_by_the_probe(tmp_path, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr("flowers_helpers.folders.tempfile.TemporaryFile", read_only)
    assert writable_folder_problem(tmp_path) == "Read-only file system (OSError)"
    assert "Read-only file system" in problems_of(artifacts_dir=tmp_path)[0]


@pytest.mark.parametrize("name, bad, good, choices", [
    ("precision", "bfloat16", "float32", "'auto', 'mixed_bfloat16', 'float32'"),
    ("augmentation", "keras", "layers", "'fused', 'layers'"),
    ("deterministic", 1, False, "True, False"),
    ("data_autotune", "off", True, "False, True"),
    ("data_autotune", 0, False, "False, True"),  # a bool, not a number that looks like one
])
def test_choices_name_what_they_accept(name, bad, good, choices):
    (line,) = problems_of(**{name: bad})
    assert line == f"  - {name} = {bad!r}: use one of {choices}."
    check_parameters(**{name: good})

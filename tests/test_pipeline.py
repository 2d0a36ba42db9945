import numpy as np
import pytest

from flowers_helpers.data import DatasetError, sample_dir
from flowers_helpers.pipeline import load_datasets


def test_sample_pipeline_matches_the_tutorial(capsys):
    train_ds, val_ds, class_names = load_datasets(sample_dir())
    assert class_names == ["daisy", "dandelion", "roses", "sunflowers", "tulips"]
    assert "Using 80 files for training." in capsys.readouterr().out
    images, labels = next(iter(train_ds))
    assert images.shape == (32, 180, 180, 3) and labels.shape == (32,)
    assert 0 <= float(np.min(images)) and float(np.max(images)) <= 255
    assert sum(int(y.shape[0]) for _, y in train_ds) == 80
    assert sum(int(y.shape[0]) for _, y in val_ds) == 20


def test_split_is_disjoint_and_reproducible(good_dataset):
    def labels_of(ds):
        return sorted(int(v) for _, y in ds for v in y)

    first = load_datasets(good_dataset, img_height=32, img_width=32, batch_size=4, validation_split=0.2, seed=7)
    again = load_datasets(good_dataset, img_height=32, img_width=32, batch_size=4, validation_split=0.2, seed=7)
    assert labels_of(first[1]) == labels_of(again[1])
    assert len(labels_of(first[0])) + len(labels_of(first[1])) == 15


def test_bad_file_stops_before_training_and_names_it(bad_dataset):
    with pytest.raises(DatasetError, match="roses/truncated.jpg"):
        load_datasets(bad_dataset, img_height=32, img_width=32)


def test_the_autotuner_is_off_unless_asked_for():
    for asked, expected in ((None, False), (False, False), (True, True)):
        kwargs = {} if asked is None else {"data_autotune": asked}
        train_ds, val_ds, _ = load_datasets(sample_dir(), **kwargs)
        assert train_ds.options().autotune.enabled is expected
        assert val_ds.options().autotune.enabled is expected

import json

import keras
import numpy as np
import pytest

from flowers_helpers import artifacts
from flowers_helpers.data import DatasetError


def _tiny_model():
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])


def test_model_round_trip(tmp_path):
    model = _tiny_model()
    path = artifacts.save_model(model, tmp_path / "deep" / "m.keras")
    x = np.ones((2, 4), "float32")
    np.testing.assert_allclose(artifacts.load_model(path).predict(x, verbose=0), model.predict(x, verbose=0))
    assert [p.name for p in path.parent.iterdir()] == ["m.keras"]  # no temporary file left


def test_model_needs_the_keras_suffix(tmp_path):
    with pytest.raises(ValueError, match=".keras suffix"):
        artifacts.save_model(_tiny_model(), tmp_path / "m.h5")


def test_history_round_trip_from_fit(tmp_path):
    model = _tiny_model()
    model.compile("adam", "mse", metrics=["mae"])
    history = model.fit(np.ones((4, 4)), np.ones((4, 3)), epochs=2, verbose=0)
    path = artifacts.save_history(tmp_path / "h.json", history, ["a", "b", "c"])
    record = artifacts.load_history(path)
    assert record["class_names"] == ["a", "b", "c"]
    assert set(record["history"]) == {"loss", "mae"} and len(record["history"]["loss"]) == 2
    json.loads(path.read_text())  # plain JSON


def test_interrupted_write_leaves_the_old_file_alone(tmp_path):
    path = artifacts.save_history(tmp_path / "h.json", {"loss": [1.0]}, ["a"])
    before = path.read_text()
    with pytest.raises(RuntimeError):
        with artifacts.atomic_path(path) as temporary:
            temporary.write_text("half a fi")
            raise RuntimeError("killed mid-write")
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["h.json"]


def test_atomic_path_keeps_the_suffix(tmp_path):
    with artifacts.atomic_path(tmp_path / "model.tflite") as temporary:
        assert temporary.suffix == ".tflite" and temporary.parent == tmp_path
        temporary.write_bytes(b"x")
    assert (tmp_path / "model.tflite").read_bytes() == b"x"


def test_class_name_mismatch_is_explained(tmp_path):
    path = artifacts.save_history(tmp_path / "h.json", {"loss": [1.0]}, ["a", "b"])
    artifacts.check_class_names(path, ["a", "b"])
    with pytest.raises(DatasetError, match="trained on the classes"):
        artifacts.check_class_names(path, ["a", "c"])

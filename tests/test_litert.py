import keras
import numpy as np
import pytest
import tensorflow as tf

from flowers_helpers import artifacts
from flowers_helpers.litert import describe_signatures, load_interpreter


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """A small CNN with the tutorial's layer kinds, exported the way notebook 6 does it."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((24, 24, 3)),
        keras.layers.RandomFlip("horizontal"),
        keras.layers.Rescaling(1.0 / 255),
        keras.layers.Conv2D(4, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Dropout(0.2),
        keras.layers.Flatten(),
        keras.layers.Dense(5),
    ])
    path = tmp_path_factory.mktemp("litert") / "model.tflite"
    with artifacts.atomic_path(path) as temporary:
        model.export(temporary, format="litert", verbose=False,
                     target_spec={"supported_ops": [tf.lite.OpsSet.TFLITE_BUILTINS]})
    return model, path


def test_signature_is_described_by_shape_and_dtype(converted):
    _, path = converted
    described = describe_signatures(load_interpreter(path))
    assert list(described) == ["serving_default"]
    (inputs,) = described["serving_default"]["inputs"].values()
    (outputs,) = described["serving_default"]["outputs"].values()
    assert inputs == {"shape": [1, 24, 24, 3], "dtype": "float32"}
    assert outputs == {"shape": [1, 5], "dtype": "float32"}


def test_litert_matches_keras_with_looked_up_names(converted):
    model, path = converted
    interpreter = load_interpreter(path)
    signature = interpreter.get_signature_list()["serving_default"]
    runner = interpreter.get_signature_runner("serving_default")
    x = np.random.default_rng(1).uniform(0, 255, (1, 24, 24, 3)).astype("float32")
    lite = runner(**{signature["inputs"][0]: x})[signature["outputs"][0]]
    np.testing.assert_allclose(lite, model.predict(x, verbose=0), atol=1e-4)


def test_loading_prints_no_xnnpack_notice(converted, capfd):
    load_interpreter(converted[1])
    assert "XNNPACK" not in capfd.readouterr().err


def test_model_runs_on_builtin_ops_only(converted):
    ops = {op["op_name"] for op in load_interpreter(converted[1])._get_ops_details()}
    assert ops and not any(op.startswith("Flex") for op in ops)


def test_thread_count_reaches_the_interpreter(converted):
    load_interpreter(converted[1], num_threads=1)
    with pytest.raises(ValueError, match="num_threads"):
        load_interpreter(converted[1], num_threads=0)

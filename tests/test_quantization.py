import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from flowers_helpers import artifacts
from flowers_helpers.evaluation import predict_dataset
from flowers_helpers.litert import describe_signatures, load_interpreter
from flowers_helpers.quantization import (
    compare_variants,
    format_quantization_table,
    measure_latency,
    run_litert,
)

BUILTINS = [tf.lite.OpsSet.TFLITE_BUILTINS]


def _images(count, seed):
    """Photos of one random colour each, with noise: different enough that the logits are far apart."""
    rng = np.random.default_rng(seed)
    colours = rng.uniform(0, 255, (count, 1, 1, 3))
    return np.clip(colours + rng.normal(0, 20, (count, 16, 16, 3)), 0, 255).astype("float32")


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    """A tiny CNN converted the four ways notebook 6 does it, plus a uint8 full-integer variant."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((16, 16, 3)),
        keras.layers.Rescaling(1.0 / 255),
        keras.layers.Conv2D(4, 3, activation="relu"),
        keras.layers.Flatten(),
        keras.layers.Dense(3),  # 2,352 weights: dynamic-range quantization skips tensors under 1,024
    ])
    calibration = _images(16, seed=1)

    def representative_dataset():
        for image in calibration:
            yield [image[np.newaxis]]

    def full_integer(dtype):
        return dict(optimizations=[tf.lite.Optimize.DEFAULT], representative_dataset=representative_dataset,
                    target_spec={"supported_ops": [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]},
                    inference_input_type=dtype, inference_output_type=dtype)

    options = {
        "float32": dict(target_spec={"supported_ops": BUILTINS}),
        "dynamic range": dict(optimizations=[tf.lite.Optimize.DEFAULT], target_spec={"supported_ops": BUILTINS}),
        "float16": dict(optimizations=[tf.lite.Optimize.DEFAULT],
                        target_spec={"supported_ops": BUILTINS, "supported_types": [tf.float16]}),
        "int8": full_integer(tf.int8),
        "uint8": full_integer(tf.uint8),
    }
    folder = tmp_path_factory.mktemp("quantization")
    paths = {}
    for name, converter_options in options.items():
        paths[name] = folder / f"{name.replace(' ', '_')}.tflite"
        with artifacts.atomic_path(paths[name]) as temporary:
            model.export(temporary, format="litert", verbose=False, **converter_options)
    return model, paths


def _tensor_dtypes(path):
    return {np.dtype(tensor["dtype"]).name for tensor in load_interpreter(path).get_tensor_details()}


def test_each_variant_stores_its_weights_as_asked(variants):
    _, paths = variants
    assert "int8" not in _tensor_dtypes(paths["float32"]) and "float16" not in _tensor_dtypes(paths["float32"])
    assert "int8" in _tensor_dtypes(paths["dynamic range"])
    assert "float16" in _tensor_dtypes(paths["float16"])
    assert _tensor_dtypes(paths["int8"]) >= {"int8", "int32"}  # int32: the biases
    sizes = {name: os.path.getsize(path) for name, path in paths.items()}
    assert sizes["dynamic range"] < sizes["float16"] < sizes["float32"]


@pytest.mark.parametrize("name", ["int8", "uint8"])
def test_full_integer_model_takes_and_returns_integers(variants, name):
    _, paths = variants
    (signature,) = describe_signatures(load_interpreter(paths[name])).values()
    assert [spec["dtype"] for spec in signature["inputs"].values()] == [name]
    assert [spec["dtype"] for spec in signature["outputs"].values()] == [name]


@pytest.mark.parametrize("name, atol", [("float32", 1e-5), ("dynamic range", 0.05), ("float16", 1e-2),
                                        ("int8", 0.05), ("uint8", 0.05)])
def test_litert_logits_match_keras(variants, name, atol):
    model, paths = variants
    images = _images(12, seed=2)
    expected = model.predict(images, verbose=0)
    logits = run_litert(paths[name], images)
    assert logits.dtype == np.float32 and logits.shape == (12, 3)
    np.testing.assert_allclose(logits, expected, atol=atol)
    np.testing.assert_array_equal(np.argmax(logits, axis=1), np.argmax(expected, axis=1))


def test_predict_dataset_runs_a_litert_model(variants):
    model, paths = variants
    images = _images(10, seed=3)
    dataset = tf.data.Dataset.from_tensor_slices((images, np.arange(10) % 3)).batch(4)
    interpreter = load_interpreter(paths["int8"])
    labels, predicted, _ = predict_dataset(lambda batch: run_litert(interpreter, batch), dataset)
    np.testing.assert_array_equal(labels, np.arange(10) % 3)
    np.testing.assert_array_equal(predicted, np.argmax(model.predict(images, verbose=0), axis=1))


@pytest.mark.parametrize("threads", [1, None])
def test_latency_is_a_positive_number_of_milliseconds(variants, threads):
    _, paths = variants
    latency = measure_latency(paths["float32"], _images(1, seed=4)[0], threads, repeats=3, warmup=1)
    assert 0 < latency < 1000


def test_comparison_rows_and_table(variants):
    model, paths = variants
    images = _images(9, seed=5)
    keras_logits = model.predict(images, verbose=0)
    labels = np.argmax(keras_logits, axis=1)
    labels[:3] = (labels[:3] + 1) % 3  # the Keras model gets 6 of 9 right
    chosen = {name: paths[name] for name in ("float32", "int8")}
    rows = compare_variants(chosen, keras_logits, images, labels, repeats=2, warmup=1)
    assert [row["variant"] for row in rows] == ["float32", "int8"]
    for row, path in zip(rows, chosen.values()):
        assert row["size_bytes"] == os.path.getsize(path)
        assert row["size_mb"] == pytest.approx(row["size_bytes"] / 1e6)
        assert row["accuracy"] == pytest.approx(6 / 9) and row["agreement"] == 1.0
        assert row["latency_ms_1_thread"] > 0 and row["latency_ms_all_threads"] > 0
        assert row["threads"] == os.cpu_count()
    assert rows[0]["max_abs_logit_diff"] < 1e-5 < rows[1]["max_abs_logit_diff"] < 0.05

    lines = format_quantization_table(rows).splitlines()
    assert len(lines) == 4 and f"{os.cpu_count()} threads" in lines[0]
    assert lines[2].startswith(f"| float32 | {rows[0]['size_mb']:.2f} | 66.7% | 100.0% |")
    assert [line.count("|") for line in lines] == [8] * 4

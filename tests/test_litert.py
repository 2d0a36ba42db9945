import keras
import numpy as np
import pytest
import tensorflow as tf

from flowers_helpers import artifacts
from flowers_helpers.litert import describe_signatures, litert_input, litert_output, load_interpreter


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


def details(dtype, scale=0.0, zero_point=0, legacy=False):
    """A fake get_input_details() entry, in LiteRT's current or its deprecated form."""
    if legacy:
        return {"dtype": dtype, "quantization": (scale, zero_point)}
    scales = np.array([scale] if scale else [], dtype=np.float32)
    zero_points = np.array([zero_point] if scale else [], dtype=np.int32)
    return {"dtype": dtype, "quantization": (scale, zero_point),
            "quantization_parameters": {"scales": scales, "zero_points": zero_points, "quantized_dimension": 0}}


PIXELS = np.array([[[[0.0, 0.4, 127.6], [200.0, 255.0, 300.0]]]], dtype=np.float32)  # shape (1, 1, 2, 3)


def test_float_inputs_and_outputs_pass_through():
    np.testing.assert_array_equal(litert_input(PIXELS, details(np.float32)), PIXELS)
    assert litert_output(np.array([0.5, -1.0]), details(np.float32)).dtype == np.float32


@pytest.mark.parametrize("legacy", [False, True])
def test_uint8_input_is_quantized_with_the_tensors_scale(legacy):
    # the usual uint8 image input: scale 1 and zero point 0 keep 0-255 pixels, rounded, 300 clipped to 255
    q = litert_input(PIXELS, details(np.uint8, 1.0, 0, legacy))
    assert q.dtype == np.uint8 and q.shape == PIXELS.shape
    assert q.ravel().tolist() == [0, 0, 128, 200, 255, 255]


def test_int8_input_uses_scale_and_zero_point_and_clips():
    q = litert_input(PIXELS, details(np.int8, 1.0, -128))  # pixels 0-255 onto -128..127
    assert q.dtype == np.int8 and q.ravel().tolist() == [-128, -128, 0, 72, 127, 127]
    q = litert_input(PIXELS / 255, details(np.int8, 1 / 255, -128))  # a model whose input is scaled to 0-1
    assert q.ravel().tolist() == [-128, -128, 0, 72, 127, 127]


def test_an_integer_input_without_quantization_takes_the_values_as_they_are():
    assert litert_input(PIXELS, details(np.uint8)).ravel().tolist() == [0, 0, 128, 200, 255, 255]


def test_integer_outputs_are_dequantized():
    scores = litert_output(np.array([[-128, 0, 127]], dtype=np.int8), details(np.int8, 0.5, -128))
    assert scores.dtype == np.float32 and scores.tolist() == [[0.0, 64.0, 127.5]]
    assert litert_output(np.array([3], dtype=np.uint8), details(np.uint8)).tolist() == [3.0]


def test_quantizing_and_back_is_within_half_a_step():
    x = np.random.default_rng(0).uniform(-3, 4.9, (1, 8, 8, 3)).astype(np.float32)
    d = details(np.int8, 8 / 255, -32)  # int8 covers -3.01 to 4.99
    np.testing.assert_allclose(litert_output(litert_input(x, d), d), x, atol=4 / 255 + 1e-6)


def test_unsupported_dtypes_and_per_channel_parameters_say_so():
    with pytest.raises(ValueError, match="takes float16; litert_input converts to float32 or integer inputs only"):
        litert_input(PIXELS, details(np.float16))
    per_channel = details(np.int8, 1.0, 0)
    per_channel["quantization_parameters"]["scales"] = np.array([0.1, 0.2, 0.3], dtype=np.float32)
    with pytest.raises(ValueError, match=r"quantized per channel \(3 scales\)"):
        litert_input(PIXELS, per_channel)


def test_the_real_runners_float_details_pass_the_batch_through(converted):
    model, path = converted
    runner = load_interpreter(path).get_signature_runner("serving_default")
    (name, input_details), = runner.get_input_details().items()
    (out_name, output_details), = runner.get_output_details().items()
    x = np.random.default_rng(2).uniform(0, 255, (1, 24, 24, 3)).astype("float32")
    scores = litert_output(runner(**{name: litert_input(x, input_details)})[out_name], output_details)
    np.testing.assert_allclose(scores, model.predict(x, verbose=0), atol=1e-4)

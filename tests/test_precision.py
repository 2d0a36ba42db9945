"""Training precision: the policy that "auto" picks, and the float32 copy for LiteRT."""

import keras
import numpy as np
import pytest

from flowers_helpers import precision
from flowers_helpers.precision import float32_copy, training_policy


def test_explicit_policies_pass_through_and_unknown_ones_are_refused():
    assert training_policy("float32") == "float32"
    assert training_policy("mixed_bfloat16") == "mixed_bfloat16"
    with pytest.raises(ValueError, match="precision='fp8' is not one of 'auto'"):
        training_policy("fp8")


@pytest.mark.parametrize("has_bf16, expected", [(True, "mixed_bfloat16"), (False, "float32")])
def test_auto_uses_bfloat16_only_where_the_cpu_has_it(monkeypatch, has_bf16, expected):
    monkeypatch.setattr(precision, "cpu_has_bfloat16", lambda: has_bf16)
    assert training_policy("auto") == expected


def test_float32_copy_keeps_the_weights_and_computes_in_float32():
    keras.mixed_precision.set_dtype_policy("mixed_bfloat16")
    try:
        model = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(4, 3), keras.layers.Flatten(),
                                  keras.layers.Dense(3, dtype="float32")])
    finally:
        keras.mixed_precision.set_dtype_policy("float32")
    assert model.layers[0].dtype_policy.name == "mixed_bfloat16"
    copy = float32_copy(model)
    assert {layer.dtype_policy.name for layer in copy.layers} == {"float32"}
    for original, copied in zip(model.get_weights(), copy.get_weights()):
        np.testing.assert_array_equal(original, copied)
    x = np.random.default_rng(0).uniform(0, 1, (2, 8, 8, 3)).astype("float32")
    np.testing.assert_allclose(copy(x), model(x), atol=0.05)  # bfloat16 round-off only

"""Run a ``.tflite`` model with the LiteRT interpreter (``ai_edge_litert``).

``tf.lite.Interpreter`` is deprecated; LiteRT's ``Interpreter`` replaces it. A
Keras 3 model's input tensor is named from a global counter
(``keras_tensor_42``), so notebook 6 reads the names from the signature and
never types them in.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import numpy as np
from ai_edge_litert.interpreter import Interpreter

from flowers_helpers.quiet import quiet_stderr


def load_interpreter(path: str | os.PathLike, num_threads: int | None = None) -> Interpreter:
    """Load a ``.tflite`` file, without LiteRT's "Created XNNPACK delegate" log line.

    ``num_threads`` caps the CPU threads the kernels may use (``None``: LiteRT's
    default). A model that needs TensorFlow ("Flex") ops fails here: the plain
    LiteRT runtime has only the built-in ops.
    """
    with quiet_stderr():
        interpreter = Interpreter(model_path=os.fspath(path), num_threads=num_threads)
        interpreter.allocate_tensors()
    return interpreter


def describe_signatures(interpreter: Interpreter) -> dict[str, dict[str, dict[str, dict]]]:
    """Every signature's inputs and outputs, by name, with their shape and dtype.

    Shapes are shown as the runner sees them before any call (batch of 1).
    """
    described = {}
    for key, io_names in interpreter.get_signature_list().items():
        runner = interpreter.get_signature_runner(key)
        details = {"inputs": runner.get_input_details(), "outputs": runner.get_output_details()}
        described[key] = {
            side: {
                name: {"shape": [int(n) for n in details[side][name]["shape"]],
                       "dtype": np.dtype(details[side][name]["dtype"]).name}
                for name in io_names[side]
            }
            for side in ("inputs", "outputs")
        }
    return described


def litert_input(batch: np.ndarray, input_details: Mapping) -> np.ndarray:
    """Convert a float batch (such as ``photos.load_photo``'s) to what a signature input takes.

    ``input_details`` is one input's entry from the runner's ``get_input_details()``.
    A float32 input takes the batch as it is. An integer input (int8 or uint8 from
    full integer quantization) takes ``round(x / scale + zero_point)``, clipped to
    the dtype's range; without quantization parameters it takes the values as
    they are, rounded and clipped.
    """
    dtype = np.dtype(input_details["dtype"])
    if dtype == np.float32:
        return np.asarray(batch, dtype=np.float32)
    if not np.issubdtype(dtype, np.integer):
        raise ValueError(
            f"This input takes {dtype.name}; litert_input converts to float32 or integer inputs only. "
            "Export the model with float32 inputs, as notebook 6 does."
        )
    scale, zero_point = _quantization(input_details)
    quantized = np.round(np.asarray(batch, dtype=np.float64) / (scale or 1.0) + zero_point)
    limits = np.iinfo(dtype)
    return np.clip(quantized, limits.min, limits.max).astype(dtype)


def litert_output(values: np.ndarray, output_details: Mapping) -> np.ndarray:
    """Turn a signature output into float32: integer outputs become ``(q - zero_point) * scale``."""
    values = np.asarray(values)
    if not np.issubdtype(values.dtype, np.integer):
        return values.astype(np.float32)
    scale, zero_point = _quantization(output_details)
    return ((values.astype(np.float32) - zero_point) * (scale or 1.0)).astype(np.float32)


def _quantization(details: Mapping) -> tuple[float, int]:
    """The tensor's (scale, zero_point); scale 0.0 means it is not quantized.

    ``quantization_parameters`` is read first (LiteRT deprecates ``quantization``);
    per-channel parameters, which only weights use in practice, are refused.
    """
    params = details.get("quantization_parameters")
    if params is None:
        scale, zero_point = details.get("quantization", (0.0, 0))
        return float(scale), int(zero_point)
    scales, zero_points = np.ravel(params["scales"]), np.ravel(params["zero_points"])
    if scales.size > 1:
        raise ValueError(
            f"This tensor is quantized per channel ({scales.size} scales); litert_input and litert_output "
            "handle one scale per tensor, which is what LiteRT's converter gives inputs and outputs."
        )
    return (float(scales[0]), int(zero_points[0])) if scales.size else (0.0, 0)

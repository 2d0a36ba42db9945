"""Run a ``.tflite`` model with the LiteRT interpreter (``ai_edge_litert``).

``tf.lite.Interpreter`` is deprecated; LiteRT's ``Interpreter`` replaces it. A
Keras 3 model's input tensor is named from a global counter
(``keras_tensor_42``), so notebook 6 reads the names from the signature and
never types them in.
"""

from __future__ import annotations

import os

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


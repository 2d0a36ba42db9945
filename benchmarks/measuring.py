"""What the benchmark scripts share: the tutorial's two models, and measuring in a fresh process.

Each measurement runs in a child process of its own, because some settings
(op determinism, tf.data options, the dtype policy) cannot be undone once a
process has used them.
"""

from __future__ import annotations

import json
import subprocess
import sys


def measure_in_child(script: str, *arguments: str) -> object:
    """Run ``python script arguments...`` and return the JSON it prints on its last line of output."""
    output = subprocess.run([sys.executable, script, *arguments], check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def tutorial_model(kind: str, policy: str):
    """Notebook 3's baseline (``kind="baseline"``) or notebook 5's model, compiled as the notebooks do.

    For notebook 5's model, ``kind`` names the augmentation: ``"fused"``
    (``RandomFlipRotateZoom``) or ``"layers"`` (the tutorial's three Keras layers).
    The augmentation is built in float32 and the rest under ``policy``, as in
    notebook 5; the global policy is float32 again afterwards.
    """
    import flowers_helpers  # noqa: F401  (quiet TensorFlow start-up)
    import keras
    from keras import layers

    from flowers_helpers.augment import RandomFlipRotateZoom

    keras.utils.set_random_seed(123)
    if kind == "baseline":
        front = []
    elif kind == "fused":
        front = [RandomFlipRotateZoom(0.1, 0.1)]
    else:
        front = [keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1),
                                   layers.RandomZoom(0.1)])]
    keras.mixed_precision.set_dtype_policy(policy)
    body = [layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, padding="same", activation="relu"), layers.MaxPooling2D(),
            layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(),
            layers.Conv2D(64, 3, padding="same", activation="relu"), layers.MaxPooling2D(),
            *([] if kind == "baseline" else [layers.Dropout(0.2)]),
            layers.Flatten(), layers.Dense(128, activation="relu"), layers.Dense(5, dtype="float32")]
    model = keras.Sequential([keras.Input((180, 180, 3)), *front, *body])
    keras.mixed_precision.set_dtype_policy("float32")
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model

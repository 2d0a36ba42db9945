"""The tutorial's tf.data input pipeline, as notebook 2 teaches it, for later notebooks.

``image_dataset_from_directory`` splits the folder 80/20 with a fixed seed, then
``cache()`` keeps decoded images in memory after the first epoch, ``shuffle(1000)``
mixes the training batches, and ``prefetch(AUTOTUNE)`` prepares the next batch
while the model trains on the current one. tf.data's background autotuner is
off unless asked for: notebook 2 explains why.
"""

from __future__ import annotations

import os

import keras
import tensorflow as tf

from flowers_helpers.checks import check_dataset

AUTOTUNE = tf.data.AUTOTUNE
SHUFFLE_BUFFER = 1000


def load_datasets(
    data_dir: str | os.PathLike,
    img_height: int = 180,
    img_width: int = 180,
    batch_size: int = 32,
    validation_split: float = 0.2,
    seed: int = 123,
    data_autotune: bool = False,
) -> tuple[tf.data.Dataset, tf.data.Dataset, list[str]]:
    """Return ``(train_ds, val_ds, class_names)``, checked, split and ready for ``fit``.

    The data folder is checked first, so a bad file stops here with a message
    that names it, instead of crashing training in the middle of an epoch.
    ``data_autotune`` switches tf.data's autotuner on (``tf.data.Options``).
    """
    check_dataset(data_dir, progress=False).raise_if_bad()
    common = dict(
        validation_split=validation_split,
        seed=seed,
        image_size=(img_height, img_width),
        batch_size=batch_size,
    )
    train_ds = keras.utils.image_dataset_from_directory(data_dir, subset="training", **common)
    val_ds = keras.utils.image_dataset_from_directory(data_dir, subset="validation", **common)
    class_names = train_ds.class_names
    train_ds = train_ds.cache().shuffle(SHUFFLE_BUFFER, seed=seed).prefetch(buffer_size=AUTOTUNE)
    val_ds = val_ds.cache().prefetch(buffer_size=AUTOTUNE)
    options = tf.data.Options()
    options.autotune.enabled = data_autotune
    return train_ds.with_options(options), val_ds.with_options(options), class_names

"""The new photo that the trained model classifies: one that is not in the data set.

The tutorial's red sunflower is downloaded when the network allows. Offline, and
whenever the data set is the embedded sample, the photo that ships with this
package is used instead (dandelion clocks, CC0; see ``sample_data/new_photo``).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RED_SUNFLOWER_URL = "https://storage.googleapis.com/download.tensorflow.org/example_images/592px-Red_sunflower.jpg"
DOWNLOAD_TIMEOUT_S = 15


@dataclass(frozen=True)
class NewPhoto:
    """A photo from outside the data set, with where it comes from."""

    path: Path
    credit: str


def shipped_photo() -> NewPhoto:
    """The photo that ships with the package (public domain, never in the training data)."""
    folder = Path(__file__).parent / "sample_data" / "new_photo"
    return NewPhoto(folder / "dandelion_clocks.jpg", '"Seeding" by Clemens Engelhardt, 2018, CC0 1.0')


def new_photo(dataset: str | os.PathLike) -> NewPhoto:
    """The tutorial's red sunflower, or the shipped photo when offline or on the sample data set."""
    if os.fspath(dataset) == "sample":
        return shipped_photo()
    import keras

    previous_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)  # urlretrieve has no timeout of its own
    try:
        path = keras.utils.get_file("Red_sunflower.jpg", origin=RED_SUNFLOWER_URL)
    except Exception as error:  # get_file raises a bare Exception for network failures
        fallback = shipped_photo()
        print(f"Could not download the red sunflower ({error}); "
              f"using the photo that ships with flowers_helpers instead: {fallback.credit}.")
        return fallback
    finally:
        socket.setdefaulttimeout(previous_timeout)
    return NewPhoto(Path(path), "592px-Red_sunflower.jpg, from the TensorFlow image classification tutorial")


def load_batch(photo: NewPhoto, img_height: int, img_width: int) -> np.ndarray:
    """The photo as notebook 5 feeds it to the model: resized, 0-255 floats, a batch of one."""
    import keras

    image = keras.utils.load_img(photo.path, target_size=(img_height, img_width))
    return np.expand_dims(keras.utils.img_to_array(image), 0)

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
from PIL import Image, ImageOps, UnidentifiedImageError

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


def load_photo(path: str | os.PathLike, img_height: int, img_width: int) -> np.ndarray:
    """Any photo as the model takes it: RGB, resized, 0-255 float32, shape ``(1, img_height, img_width, 3)``.

    For an ordinary RGB photo this is exactly what notebook 5's
    ``keras.utils.load_img(path, target_size=...)`` and ``img_to_array`` give
    (nearest-neighbour resize included), so notebooks 5 and 6 agree. On top:

    - a phone photo's EXIF orientation is applied, so it is classified upright;
    - grayscale (8- or 16-bit) and CMYK become RGB;
    - transparency (RGBA, grayscale with alpha, a palette with a transparent
      colour) is laid on white, as an image viewer shows it; simply dropping
      the alpha would expose whatever colour hides under the transparent pixels;
    - an animated GIF gives its first frame, as training reads GIFs;
    - any size works, from a few pixels up to Pillow's decompression-bomb limit.

    A missing path, a folder, or a file that is not an image raises an error that says so.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise IsADirectoryError(f"'{path}' is a folder; pass the path of one photo (JPEG, PNG, GIF or BMP).")
    if not path.exists():
        raise FileNotFoundError(
            f"There is no photo at '{path}'; check the path (relative paths start at {Path.cwd()})."
        )
    try:
        with Image.open(path) as image:
            rgb = _to_rgb(ImageOps.exif_transpose(image))
    except UnidentifiedImageError as error:
        raise ValueError(f"'{path}' is not an image; pass a JPEG, PNG, GIF or BMP photo.") from error
    except OSError as error:
        raise ValueError(f"'{path}' could not be read as an image ({error}); is it damaged or cut short?") from error
    if rgb.size != (img_width, img_height):
        rgb = rgb.resize((img_width, img_height), Image.Resampling.NEAREST)  # as keras.utils.load_img
    return np.asarray(rgb, dtype=np.float32)[np.newaxis]


def _to_rgb(image: Image.Image) -> Image.Image:
    """Three 8-bit channels: transparency laid on white, 16-bit grayscale scaled rather than clipped."""
    if image.mode.startswith("I;16"):  # Pillow's convert would clip every value above 255 to white
        image = Image.fromarray((np.asarray(image) >> 8).astype(np.uint8))
    if image.has_transparency_data:
        rgba = image.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")
    return image.convert("RGB")


def load_batch(photo: NewPhoto, img_height: int, img_width: int) -> np.ndarray:
    """The photo as notebook 5 feeds it to the model: resized, 0-255 floats, a batch of one."""
    return load_photo(photo.path, img_height, img_width)

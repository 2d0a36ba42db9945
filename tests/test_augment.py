"""The fused flip-rotate-zoom augmentation: inactive at inference, about the centre, saveable."""

import keras
import numpy as np

from flowers_helpers import artifacts
from flowers_helpers.augment import RandomFlipRotateZoom, affine_warp


def _images(n=16, size=33):
    return np.random.default_rng(0).uniform(0, 255, (n, size, size, 3)).astype("float32")


def test_passes_images_through_at_inference():
    images = _images()
    np.testing.assert_array_equal(RandomFlipRotateZoom(seed=1)(images, training=False), images)
    np.testing.assert_array_equal(RandomFlipRotateZoom(seed=1)(images), images)


def test_without_rotation_or_zoom_it_only_flips_half_the_images():
    images = _images(n=32)
    out = np.asarray(RandomFlipRotateZoom(rotation=0.0, zoom=0.0, seed=3)(images, training=True))
    same = [np.allclose(o, i, atol=1e-3) for o, i in zip(out, images)]
    flipped = [np.allclose(o, i[:, ::-1], atol=1e-3) for o, i in zip(out, images)]
    assert all(s or f for s, f in zip(same, flipped))
    assert 8 <= sum(flipped) <= 24


def test_rotates_and_zooms_about_the_centre():
    images = _images()
    out = np.asarray(RandomFlipRotateZoom(rotation=0.1, zoom=0.1, seed=5)(images, training=True))
    np.testing.assert_allclose(out[:, 16, 16], images[:, 16, 16], atol=1e-3)  # the centre pixel stays
    assert np.abs(out - images).mean() > 10  # everything else moves
    assert out.shape == images.shape and out.dtype == np.float32


def test_a_model_with_it_saves_and_loads(tmp_path):
    model = keras.Sequential([keras.Input((33, 33, 3)), RandomFlipRotateZoom(0.2, 0.05, seed=2), keras.layers.Flatten(),
                              keras.layers.Dense(2)])
    artifacts.save_model(model, tmp_path / "m.keras")
    loaded = artifacts.load_model(tmp_path / "m.keras")
    layer = loaded.layers[0]
    assert isinstance(layer, RandomFlipRotateZoom) and (layer.rotation, layer.zoom, layer.seed) == (0.2, 0.05, 2)
    np.testing.assert_allclose(loaded.predict(_images(2), verbose=0), model.predict(_images(2), verbose=0), atol=1e-5)


def _random_affine_transforms(rng, n, height, width):
    """Flip, rotation by any angle and zoom from 0.5 to 2.5 about the centre: borders get reflected a lot."""
    angle, scale, flip = rng.uniform(-np.pi, np.pi, n), rng.uniform(0.5, 2.5, n), rng.choice([-1.0, 1.0], n)
    a0, a1 = flip * scale * np.cos(angle), -flip * scale * np.sin(angle)
    b0, b1 = scale * np.sin(angle), scale * np.cos(angle)
    cx, cy = (width - 1) / 2, (height - 1) / 2
    zeros = np.zeros(n)
    return np.stack([a0, a1, cx - a0 * cx - a1 * cy, b0, b1, cy - b0 * cx - b1 * cy, zeros, zeros], 1).astype("float32")


def test_affine_warp_matches_keras_bilinear_reflect_resampling():
    rng = np.random.default_rng(7)
    for height, width in ((12, 20), (33, 33)):  # not square, so rows and columns cannot be swapped unnoticed
        images = rng.uniform(0, 255, (8, height, width, 3)).astype("float32")
        transforms = _random_affine_transforms(rng, 8, height, width)
        expected = keras.ops.image.affine_transform(images, transforms, interpolation="bilinear", fill_mode="reflect")
        np.testing.assert_allclose(affine_warp(images, transforms), expected, atol=0.01)


def test_affine_warp_identity_and_shift():
    images = _images(n=2, size=9)
    identity = np.tile(np.array([[1, 0, 0, 0, 1, 0, 0, 0]], "float32"), (2, 1))
    np.testing.assert_allclose(affine_warp(images, identity), images, atol=1e-4)
    shift = identity.copy()
    shift[:, 2] = 1.0  # output column x reads input column x + 1; the last column reflects onto itself
    out = np.asarray(affine_warp(images, shift))
    np.testing.assert_allclose(out[:, :, :-1], images[:, :, 1:], atol=1e-4)
    np.testing.assert_allclose(out[:, :, -1], images[:, :, -1], atol=1e-4)

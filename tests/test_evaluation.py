import json
import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf

from flowers_helpers.evaluation import as_arrays, classification_metrics, format_per_class, predict_dataset

NAMES = ["daisy", "roses", "tulips"]


def _labelled_images(count=10, size=4):
    """Images filled with their own label, so a model can read the true class off the pixels."""
    labels = np.arange(count) % 3
    images = np.broadcast_to(labels[:, None, None, None], (count, size, size, 3)).astype("float32")
    return images, labels


def _reads_the_label(batch):
    """Logits that put the pixel value's class first."""
    return np.eye(3, dtype="float32")[batch[:, 0, 0, 0].astype(int)] * 5


def test_labels_stay_with_their_predictions_even_when_the_dataset_reshuffles():
    images, labels = _labelled_images(30)
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    dataset = dataset.shuffle(30, reshuffle_each_iteration=True).batch(4)
    true, predicted, probabilities = predict_dataset(_reads_the_label, dataset)
    assert len(true) == 30 and sorted(true) == sorted(labels)
    np.testing.assert_array_equal(predicted, true)
    assert probabilities.shape == (30, 3)


def test_probabilities_are_the_softmax_of_the_logits_in_dataset_order():
    images, labels = _labelled_images(7)
    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).batch(3)  # last batch is short
    true, predicted, probabilities = predict_dataset(_reads_the_label, dataset)
    np.testing.assert_array_equal(true, labels)
    np.testing.assert_array_equal(predicted, labels)
    np.testing.assert_allclose(probabilities, tf.nn.softmax(_reads_the_label(images)).numpy(), rtol=1e-6)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, rtol=1e-6)


def test_keras_model_is_evaluated_without_its_random_augmentation():
    keras.utils.set_random_seed(0)
    augmentation = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.RandomFlip("horizontal")])
    model = keras.Sequential([keras.Input((8, 8, 3)), augmentation, keras.layers.Flatten(), keras.layers.Dense(3)])
    images = np.random.default_rng(0).uniform(0, 255, (6, 8, 8, 3)).astype("float32")
    dataset = tf.data.Dataset.from_tensor_slices((images, np.zeros(6, "int64"))).batch(4)
    _, predicted, probabilities = predict_dataset(model, dataset)
    expected = model.predict(images, verbose=0)
    np.testing.assert_array_equal(predicted, np.argmax(expected, axis=1))
    np.testing.assert_allclose(probabilities, tf.nn.softmax(expected).numpy(), rtol=1e-4, atol=1e-6)


def test_metrics_match_a_hand_count():
    labels = [0, 0, 0, 1, 1, 2]
    predictions = [0, 0, 1, 1, 0, 2]
    metrics = classification_metrics(labels, predictions, NAMES)
    assert metrics["accuracy"] == pytest.approx(4 / 6)
    assert metrics["confusion_matrix"] == [[2, 1, 0], [1, 1, 0], [0, 0, 1]]
    assert metrics["per_class"]["daisy"] == pytest.approx({"precision": 2 / 3, "recall": 2 / 3, "f1": 2 / 3,
                                                           "support": 3})
    assert metrics["per_class"]["roses"] == pytest.approx({"precision": 1 / 2, "recall": 1 / 2, "f1": 1 / 2,
                                                           "support": 2})
    assert metrics["macro"]["recall"] == pytest.approx((2 / 3 + 1 / 2 + 1) / 3)
    assert json.loads(json.dumps(metrics)) == metrics


def test_a_class_never_seen_or_predicted_is_reported_as_zero_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # sklearn warns about undefined precision unless told what to use
        metrics = classification_metrics(np.array([0, 1, 1]), np.array([0, 1, 0]), NAMES)
    assert metrics["per_class"]["tulips"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert metrics["confusion_matrix"][2] == [0, 0, 0]


def test_per_class_table_puts_the_models_side_by_side():
    baseline = classification_metrics([0, 1, 2, 2], [0, 2, 2, 1], NAMES)
    augmented = classification_metrics([0, 1, 2, 2], [0, 1, 2, 2], NAMES)
    lines = format_per_class({"baseline": baseline, "augmented": augmented}).splitlines()
    assert lines[1].split() == ["class"] + ["baseline", "augmented"] * 3 + ["support"]
    assert lines[2].split() == ["daisy", "1.000", "1.000", "1.000", "1.000", "1.000", "1.000", "1"]
    assert lines[3].split() == ["roses", "0.000", "1.000", "0.000", "1.000", "0.000", "1.000", "1"]
    assert lines[-1].split() == ["accuracy", "0.500", "1.000"]


def test_per_class_table_refuses_models_evaluated_on_different_examples():
    first = classification_metrics([0, 1, 2], [0, 1, 2], NAMES)
    other = classification_metrics([0, 0, 2], [0, 1, 2], NAMES)
    with pytest.raises(ValueError, match="different examples"):
        format_per_class({"a": first, "b": other})


def test_as_arrays_keeps_photos_and_labels_paired():
    images = np.arange(10, dtype="float32").reshape(10, 1, 1, 1)
    dataset = tf.data.Dataset.from_tensor_slices((images, np.arange(10))).shuffle(10, seed=1).batch(3)
    collected, labels = as_arrays(dataset)
    assert collected.shape == (10, 1, 1, 1) and sorted(labels) == list(range(10))
    np.testing.assert_array_equal(collected[:, 0, 0, 0], labels)

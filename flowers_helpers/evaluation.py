"""Measure a trained model on the validation set: predictions, per-class metrics, a side-by-side table.

Predictions are collected together with their labels, batch by batch, in one
pass over the data set. Calling ``model.predict(val_ds)`` and then reading the
labels in a second pass pairs them up wrongly whenever the data set reshuffles
between passes, and the metrics come out near chance without any error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import keras
import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

METRICS = ("precision", "recall", "f1")


def as_arrays(dataset: Iterable) -> tuple[np.ndarray, np.ndarray]:
    """All ``(images, labels)`` batches of ``dataset`` as two arrays, collected in one pass.

    Photos and labels stay paired from here on, whatever the pipeline would do on
    a second pass (a dataset that reshuffles gives another order every time).
    """
    images, labels = zip(*((np.asarray(x), np.asarray(y)) for x, y in dataset))
    return np.concatenate(images), np.concatenate(labels)


def predict_dataset(
    model: keras.Model | Callable[[np.ndarray], np.ndarray],
    dataset: Iterable,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(labels, predicted_classes, probabilities)`` for every example of ``dataset``.

    ``dataset`` yields ``(images, labels)`` batches, such as ``val_ds``. Use one
    that does not shuffle, so that two models are evaluated in the same order
    and their answers can be compared photo by photo. ``model`` is a Keras model
    that outputs logits, or any function from a float32 batch to logits (for
    example one that runs a LiteRT model). A Keras model is run with
    ``predict_on_batch``: calling it directly would apply its random
    augmentation layers.
    """
    logits_of = model.predict_on_batch if isinstance(model, keras.Model) else model
    labels, logits = [], []
    for images, batch_labels in dataset:
        logits.append(np.asarray(logits_of(np.asarray(images, dtype="float32"))))
        labels.append(np.asarray(batch_labels))
    labels, logits = np.concatenate(labels), np.concatenate(logits)
    probabilities = np.asarray(keras.ops.softmax(logits, axis=-1))
    return labels, np.argmax(logits, axis=-1), probabilities


def classification_metrics(
    labels: Sequence[int], predictions: Sequence[int], class_names: Sequence[str]
) -> dict:
    """Accuracy, macro averages, per-class precision/recall/F1/support and the confusion matrix, all JSON-able.

    Every class is reported, even one that never occurs or is never predicted
    (its undefined precision or recall counts as 0). In the confusion matrix,
    row ``i`` holds the examples of class ``i`` and column ``j`` what they were
    predicted as.
    """
    classes = list(range(len(class_names)))
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, predictions, labels=classes, zero_division=0
    )
    macro = precision_recall_fscore_support(labels, predictions, labels=classes, average="macro", zero_division=0)
    return {
        "class_names": list(class_names),
        "accuracy": float(accuracy_score(labels, predictions)),
        "macro": {metric: float(value) for metric, value in zip(METRICS, macro)},
        "per_class": {
            name: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for name, p, r, f, s in zip(class_names, precision, recall, f1, support)
        },
        "confusion_matrix": confusion_matrix(labels, predictions, labels=classes).tolist(),
    }


def format_per_class(metrics_by_model: Mapping[str, dict]) -> str:
    """A plain-text table of precision, recall and F1 per class, one column per model, for ``print``.

    Takes ``{"baseline": classification_metrics(...), ...}``; the models must
    have been evaluated on the same examples, so the support column is shared.
    """
    models = list(metrics_by_model.values())
    names = list(metrics_by_model)
    supports = {name: [c["support"] for c in m["per_class"].values()] for name, m in metrics_by_model.items()}
    if any(support != supports[names[0]] for support in supports.values()):
        raise ValueError(f"The models were evaluated on different examples (support per class: {supports}).")
    class_names = list(models[0]["per_class"])
    width = max(9, *(len(name) for name in names))
    label_width = max(len("macro average"), *(len(name) for name in class_names))

    def row(label: str, cells: Sequence[str], support: str = "") -> str:
        return f"{label:<{label_width}}  " + "  ".join(f"{cell:>{width}}" for cell in cells) + f"  {support:>7}"

    def numbers(values: Iterable[float]) -> list[str]:
        return [f"{value:.3f}" for value in values]

    group_width = len(names) * (width + 2) - 2
    lines = [
        " " * (label_width + 2) + "  ".join(f"{metric:^{group_width}}" for metric in METRICS),
        row("class", names * len(METRICS), "support"),
    ]
    for class_name, support in zip(class_names, supports[names[0]]):
        cells = numbers(m["per_class"][class_name][metric] for metric in METRICS for m in models)
        lines.append(row(class_name, cells, str(support)))
    lines.append(row("macro average", numbers(m["macro"][metric] for metric in METRICS for m in models)))
    lines.append(row("accuracy", numbers(m["accuracy"] for m in models)))
    return "\n".join(line.rstrip() for line in lines)

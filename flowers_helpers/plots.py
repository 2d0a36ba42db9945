"""The pictures the tutorial shows: image grids, training curves, augmentation grids, evaluation charts.

Every function draws one figure, shows it (and closes it, so it is shown once), and also saves it as a PNG when
``save_to`` is given (the folder is created if needed).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import ConfusionMatrixDisplay

History = Mapping[str, Sequence[float]]


def show_image_grid(
    images: Sequence,
    titles: Sequence[str],
    rows: int = 3,
    cols: int = 3,
    save_to: str | os.PathLike | None = None,
) -> None:
    """Show up to ``rows * cols`` images with a title above each (pixel values 0-255 or 0-1)."""
    fig, axes = plt.subplots(rows, cols, figsize=(2.5 * cols, 2.6 * rows), squeeze=False)
    for ax, image, title in zip(np.ravel(axes), images, titles):
        ax.imshow(_displayable(image))
        ax.set_title(title)
    for ax in np.ravel(axes):
        ax.axis("off")
    _finish(fig, save_to)


def plot_history(history: History, title: str = "", save_to: str | os.PathLike | None = None) -> None:
    """Accuracy and loss per epoch, training against validation, side by side."""
    compare_histories({title: history}, save_to=save_to)


def compare_histories(
    histories: Mapping[str, History], save_to: str | os.PathLike | None = None
) -> None:
    """Accuracy and loss curves of several runs on shared axes (solid: training, dashed: validation)."""
    fig, (acc_ax, loss_ax) = plt.subplots(1, 2, figsize=(12, 4.5))
    for index, (name, history) in enumerate(histories.items()):
        color = f"C{index}"
        label = f"{name}: " if name else ""
        epochs = range(1, len(history["loss"]) + 1)
        for ax, metric in ((acc_ax, "accuracy"), (loss_ax, "loss")):
            ax.plot(epochs, history[metric], color=color, label=f"{label}training")
            ax.plot(epochs, history[f"val_{metric}"], color=color, linestyle="--", label=f"{label}validation")
    for ax, metric in ((acc_ax, "Accuracy"), (loss_ax, "Loss")):
        ax.set_title(f"Training and validation {metric.lower()}")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric.lower())
        ax.grid(alpha=0.3)
    acc_ax.legend()  # one legend: both panels share colours and line styles
    acc_ax.xaxis.get_major_locator().set_params(integer=True)
    loss_ax.xaxis.get_major_locator().set_params(integer=True)
    _finish(fig, save_to)


def show_augmentations(
    image,
    augment: Callable,
    count: int = 9,
    save_to: str | os.PathLike | None = None,
) -> None:
    """Apply ``augment`` (a layer or model, called with ``training=True``) ``count`` times to one image."""
    batch = np.expand_dims(np.asarray(image, dtype="float32"), 0)
    versions = [np.asarray(augment(batch, training=True))[0] for _ in range(count - 1)]
    cols = int(np.ceil(np.sqrt(count)))
    rows = int(np.ceil(count / cols))
    titles = ["original" if i == 0 else f"augmented #{i}" for i in range(count)]
    show_image_grid([image] + versions, titles, rows=rows, cols=cols, save_to=save_to)


def plot_image_sizes(sizes: Sequence[tuple[int, int]], save_to: str | os.PathLike | None = None) -> None:
    """Scatter the (width, height) of every photo, to show how much the sizes vary."""
    heights, widths = np.asarray(sizes).T
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.scatter(widths, heights, s=8, alpha=0.3)
    ax.set_xlabel("width (px)")
    ax.set_ylabel("height (px)")
    ax.set_title(f"Sizes of {len(sizes)} photos")
    ax.grid(alpha=0.3)
    _finish(fig, save_to)


def plot_class_counts(class_counts: Mapping[str, int], save_to: str | os.PathLike | None = None) -> None:
    """Bar chart of how many photos each class has, to show how balanced the classes are."""
    fig, ax = plt.subplots(figsize=(7, 3.5))
    bars = ax.bar(list(class_counts), list(class_counts.values()), color="C2")
    ax.bar_label(bars)
    ax.set_ylim(0, 1.15 * max(class_counts.values()))  # room for the labels above the bars
    ax.set_ylabel("photos")
    ax.set_title(f"{sum(class_counts.values())} photos in {len(class_counts)} classes")
    _finish(fig, save_to)


def show_prediction(
    image,
    class_names: Sequence[str],
    probabilities: Sequence[float],
    credit: str = "",
    save_to: str | os.PathLike | None = None,
) -> None:
    """The photo beside a bar per class of the model's softmax probability."""
    fig, (photo_ax, bars_ax) = plt.subplots(1, 2, figsize=(11, 3.6), width_ratios=[1.2, 1])
    photo_ax.imshow(_displayable(image))
    photo_ax.set_title(credit, fontsize="small")
    photo_ax.axis("off")
    bars = bars_ax.barh(list(class_names), [100 * float(p) for p in probabilities], color="C1")
    bars_ax.bar_label(bars, fmt="%.2f%%")
    bars_ax.set_xlim(0, 118)
    bars_ax.invert_yaxis()
    bars_ax.set_xlabel("confidence (%)")
    _finish(fig, save_to)


def plot_confusion_matrices(
    matrices: Mapping[str, Sequence[Sequence[int]]],
    class_names: Sequence[str],
    save_to: str | os.PathLike | None = None,
) -> None:
    """Confusion matrices of several models side by side, counts written in the cells.

    Rows are the true class, columns the predicted one: the diagonal counts the
    photos each model got right, everything off it a mistake.
    """
    fig, axes = plt.subplots(1, len(matrices), figsize=(5.5 * len(matrices), 5), squeeze=False)
    for ax, (name, matrix) in zip(axes[0], matrices.items()):
        display = ConfusionMatrixDisplay(np.asarray(matrix), display_labels=list(class_names))
        display.plot(ax=ax, cmap="Blues", colorbar=False, xticks_rotation=45)
        ax.set_title(name)
        ax.set_xlabel("predicted class")
        ax.set_ylabel("true class")
    _finish(fig, save_to)


def show_confident_mistakes(
    images: Sequence,
    labels: Sequence[int],
    predictions: Sequence[int],
    probabilities: np.ndarray,
    class_names: Sequence[str],
    n: int = 9,
    save_to: str | os.PathLike | None = None,
) -> None:
    """The ``n`` wrong predictions the model was most sure of, most confident first.

    ``labels``, ``predictions`` and ``probabilities`` are ``predict_dataset``'s
    answers for ``images``, in the same order.
    """
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    wrong = np.flatnonzero(predictions != labels)
    if wrong.size == 0:
        print("No mistakes to show: every prediction is right.")
        return
    confidence = np.asarray(probabilities)[wrong, predictions[wrong]]
    shown = wrong[np.argsort(-confidence, kind="stable")][:n]
    titles = [
        f"true: {class_names[labels[i]]}\npredicted: {class_names[predictions[i]]} "
        f"({probabilities[i, predictions[i]]:.0%})"
        for i in shown
    ]
    cols = min(3, len(shown))
    rows = int(np.ceil(len(shown) / cols))
    show_image_grid([images[i] for i in shown], titles, rows=rows, cols=cols, save_to=save_to)


def plot_quantization(rows: Sequence[Mapping], save_to: str | os.PathLike | None = None) -> None:
    """File size, accuracy and latency of each converted model variant, as bar charts side by side.

    ``rows`` are ``quantization.compare_variants``'s results.
    """
    names = [row["variant"] for row in rows]
    fig, (size_ax, accuracy_ax, latency_ax) = plt.subplots(1, 3, figsize=(15, 4.5))
    _grouped_bars(size_ax, names, {"file size": [row["size_mb"] for row in rows]}, "%.2f")
    size_ax.set_title("File size")
    size_ax.set_ylabel("MB")
    _grouped_bars(accuracy_ax, names, {
        "validation accuracy": [100 * row["accuracy"] for row in rows],
        "agrees with Keras": [100 * row["agreement"] for row in rows],
    }, "%.1f")
    accuracy_ax.set_title("Accuracy and top-1 agreement with Keras")
    accuracy_ax.set_ylabel("%")
    accuracy_ax.set_ylim(0, 120)  # room for the legend above 100%
    _grouped_bars(latency_ax, names, {
        "1 thread": [row["latency_ms_1_thread"] for row in rows],
        f"{rows[0]['threads']} threads": [row["latency_ms_all_threads"] for row in rows],
    }, "%.2f")
    latency_ax.set_title("Median latency per image")
    latency_ax.set_ylabel("ms")
    _finish(fig, save_to)


def _grouped_bars(ax: plt.Axes, names: Sequence[str], series: Mapping[str, Sequence[float]], fmt: str) -> None:
    """One group of bars per name, one bar per series in each group, values written above the bars."""
    positions = np.arange(len(names))
    width = 0.8 / len(series)
    for index, (label, values) in enumerate(series.items()):
        bars = ax.bar(positions + (index - (len(series) - 1) / 2) * width, values, width, label=label)
        ax.bar_label(bars, fmt=fmt, fontsize="small")
    ax.set_xticks(positions, names)
    ax.set_ylim(0, 1.2 * ax.get_ylim()[1])  # room for the labels and the legend
    if len(series) > 1:
        ax.legend(loc="upper left", ncols=len(series), fontsize="small")


def _displayable(image) -> np.ndarray:
    """Return ``image`` as a NumPy array that ``imshow`` shows correctly (uint8 for 0-255 floats)."""
    array = np.asarray(image)
    if array.dtype != np.uint8 and array.max() > 1.0:
        array = np.clip(array, 0, 255).astype("uint8")
    return array


def _finish(fig: plt.Figure, save_to: str | os.PathLike | None) -> None:
    """Lay out, save when asked, show, then close the figure so it is shown only once."""
    fig.tight_layout()
    if save_to is not None:
        Path(save_to).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(save_to, dpi=100)
    plt.show()
    plt.close(fig)

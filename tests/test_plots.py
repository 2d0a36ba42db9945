import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from flowers_helpers import plots  # noqa: E402

HISTORY = {"accuracy": [0.4, 0.6, 0.8], "val_accuracy": [0.5, 0.55, 0.5],
           "loss": [1.4, 1.0, 0.6], "val_loss": [1.2, 1.1, 1.3]}


def _saved(path, min_size=(300, 200)):
    assert path.is_file()
    with Image.open(path) as image:
        assert image.format == "PNG" and image.size[0] >= min_size[0] and image.size[1] >= min_size[1]
        darkest, lightest = image.convert("L").getextrema()
        assert darkest < lightest  # something was drawn


def test_image_grid_saves_png(tmp_path):
    images = np.random.default_rng(0).uniform(0, 255, (9, 20, 20, 3)).astype("float32")
    plots.show_image_grid(images, [f"class {i}" for i in range(9)], save_to=tmp_path / "sub" / "grid.png")
    _saved(tmp_path / "sub" / "grid.png")


def test_history_and_comparison_save_png(tmp_path):
    plots.plot_history(HISTORY, "baseline", save_to=tmp_path / "one.png")
    longer = {key: values + values for key, values in HISTORY.items()}
    plots.compare_histories({"a": HISTORY, "b": longer}, save_to=tmp_path / "two.png")
    _saved(tmp_path / "one.png")
    _saved(tmp_path / "two.png")


def test_augmentation_grid_calls_the_augmenter_in_training_mode(tmp_path):
    calls = []

    def augment(batch, training):
        calls.append(training)
        return batch[:, ::-1]

    plots.show_augmentations(np.zeros((20, 20, 3)), augment, count=9, save_to=tmp_path / "aug.png")
    assert calls == [True] * 8
    _saved(tmp_path / "aug.png")


def test_augmentation_grid_with_keras_layers(tmp_path):
    flip = keras.Sequential([keras.Input((20, 20, 3)), keras.layers.RandomFlip("horizontal")])
    plots.show_augmentations(np.full((20, 20, 3), 200.0), flip, count=4, save_to=tmp_path / "aug.png")
    _saved(tmp_path / "aug.png", min_size=(200, 200))


@pytest.mark.parametrize("name", ["counts", "sizes", "prediction"])
def test_other_plots_save_png(tmp_path, name):
    path = tmp_path / f"{name}.png"
    if name == "counts":
        plots.plot_class_counts({"daisy": 3, "roses": 5}, save_to=path)
    elif name == "sizes":
        plots.plot_image_sizes([(240, 320), (180, 180), (333, 500)], save_to=path)
    else:
        photo = Image.new("RGB", (64, 36), "orange")
        plots.show_prediction(photo, ["daisy", "roses"], [0.25, 0.75], credit="a photo", save_to=path)
    _saved(path)


def test_figures_are_closed_after_showing():
    plots.plot_history(HISTORY)
    assert matplotlib.pyplot.get_fignums() == []


@pytest.fixture
def drawn(monkeypatch):
    """The figures the plots would show, kept open for inspection instead of shown and closed."""
    figures = []
    monkeypatch.setattr(plots, "_finish", lambda fig, save_to: figures.append(fig))
    yield figures
    for fig in figures:
        matplotlib.pyplot.close(fig)


def test_confusion_matrices_side_by_side_with_counts(drawn):
    matrices = {"baseline": [[5, 1], [2, 7]], "augmented": [[6, 0], [1, 8]]}
    plots.plot_confusion_matrices(matrices, ["daisy", "roses"])
    (fig,) = drawn
    baseline, augmented = fig.axes
    assert (baseline.get_title(), augmented.get_title()) == ("baseline", "augmented")
    assert baseline.get_ylabel() == "true class" and baseline.get_xlabel() == "predicted class"
    assert [tick.get_text() for tick in baseline.get_yticklabels()] == ["daisy", "roses"]
    assert sorted(text.get_text() for text in baseline.texts) == ["1", "2", "5", "7"]


def test_confusion_matrices_save_png(tmp_path):
    matrices = {"a": [[3, 1], [0, 4]], "b": [[2, 2], [1, 3]]}
    plots.plot_confusion_matrices(matrices, ["x", "y"], save_to=tmp_path / "cm.png")
    _saved(tmp_path / "cm.png")


def test_confident_mistakes_most_confident_first_and_only_mistakes(drawn):
    images = np.random.default_rng(0).uniform(0, 255, (5, 8, 8, 3))
    labels = np.array([0, 1, 1, 0, 2])
    predictions = np.array([0, 0, 2, 1, 0])  # image 0 is right
    probabilities = np.array([[0.99, 0.005, 0.005], [0.6, 0.3, 0.1], [0.05, 0.05, 0.9],
                              [0.2, 0.7, 0.1], [0.8, 0.1, 0.1]])
    plots.show_confident_mistakes(images, labels, predictions, probabilities, ["daisy", "roses", "tulips"], n=3)
    titles = [ax.get_title() for ax in drawn[0].axes if ax.get_title()]
    assert titles == ["true: roses\npredicted: tulips (90%)",
                      "true: tulips\npredicted: daisy (80%)",
                      "true: daisy\npredicted: roses (70%)"]


def test_confident_mistakes_says_so_when_there_are_none(capsys, drawn):
    plots.show_confident_mistakes(np.zeros((2, 8, 8, 3)), [0, 1], [0, 1], np.eye(2), ["a", "b"])
    assert drawn == [] and "No mistakes" in capsys.readouterr().out


def test_quantization_chart_groups_bars_by_variant(drawn):
    rows = [{"variant": name, "size_mb": size, "accuracy": 0.7, "agreement": agreement,
             "latency_ms_1_thread": 2.0, "latency_ms_all_threads": 1.0, "threads": 4}
            for name, size, agreement in (("float32", 16.0, 1.0), ("int8", 4.0, 0.98))]
    plots.plot_quantization(rows)
    size_ax, accuracy_ax, latency_ax = drawn[0].axes
    assert [tick.get_text() for tick in size_ax.get_xticklabels()] == ["float32", "int8"]
    assert [bar.get_height() for bar in size_ax.patches] == [16.0, 4.0]
    assert [bar.get_height() for bar in accuracy_ax.patches] == pytest.approx([70, 70, 100, 98])
    assert [bar.get_height() for bar in latency_ax.patches] == [2.0, 2.0, 1.0, 1.0]
    assert [text.get_text() for text in latency_ax.get_legend().get_texts()] == ["1 thread", "4 threads"]

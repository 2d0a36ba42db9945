"""The run report: ``metrics.json`` (for machines) and ``report.md`` (for people) from a run's artifacts.

Everything here is read from what the notebooks saved in the artifacts folder,
so the report says what the run produced, not what it was meant to produce.
The schema of ``metrics.json`` is documented in the README; ``SCHEMA_VERSION``
changes whenever a field changes meaning or moves.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path

import tensorflow as tf

from flowers_helpers.artifacts import atomic_path, load_json, save_json
from flowers_helpers.checks import class_files
from flowers_helpers.data import IMAGE_EXTENSIONS
from flowers_helpers.quantization import format_quantization_table

SCHEMA_VERSION = 2
MODELS = ("baseline", "augmented")
MAX_LISTED = 20  # files listed by name in report.md; metrics.json has them all
# Figures the notebooks save in artifacts/figures, and their titles in the report.
FIGURES = {
    "baseline_curves.png": "Baseline training curves",
    "comparison.png": "Baseline against augmentation + dropout",
    "augmentations.png": "Augmented versions of one training photo",
    "confusion_matrices.png": "Confusion matrices on the validation set",
    "mistakes.png": "The augmented model's most confident mistakes",
    "quantization.png": "Quantized LiteRT models",
}


def environment() -> dict[str, object]:
    """Versions of Python and the libraries that decide the numbers, and the machine they ran on."""
    def version(package: str) -> str | None:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return None

    return {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": version("keras"),
        "litert": version("ai-edge-litert"),
        "platform": platform.platform(),
        "processor": _cpu_name(),
        "cpu_count": os.cpu_count(),
        "gpus": [device.name for device in tf.config.list_physical_devices("GPU")],
    }


def _cpu_name() -> str:
    """The CPU's model name from ``/proc/cpuinfo`` where there is one, else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def count_images(data_dir: str | os.PathLike, validation_split: float) -> dict[str, object]:
    """Images per class as training reads them, and the sizes of the two subsets Keras will make."""
    classes = {
        folder.name: sum(1 for p in files if p.suffix.lower() in IMAGE_EXTENSIONS)
        for folder, files in class_files(Path(data_dir)).items()
    }
    total = sum(classes.values())
    validation = int(validation_split * total)  # as keras.utils.image_dataset_from_directory splits
    return {"images": total, "classes": classes, "training_images": total - validation,
            "validation_images": validation}


def on_off(setting: bool | None) -> str:
    """A recorded switch for people: "on", "off", or "not recorded" for runs from before it existed."""
    return {True: "on", False: "off"}.get(setting, "not recorded")


def model_metrics(record: Mapping) -> dict[str, object]:
    """Final and best validation figures, the train-validation gap and the timing of one training run."""
    history = record["history"]
    accuracy, val_accuracy = history["accuracy"], history["val_accuracy"]
    val_loss = history["val_loss"]
    gaps = [train - val for train, val in zip(accuracy, val_accuracy)]
    best_accuracy_epoch = max(range(len(val_accuracy)), key=val_accuracy.__getitem__)
    best_loss_epoch = min(range(len(val_loss)), key=val_loss.__getitem__)
    widest = max(range(len(gaps)), key=gaps.__getitem__)
    return {
        "epochs": len(val_accuracy),
        "precision": record.get("precision"),
        "augmentation": record.get("augmentation"),
        "data_autotune": record.get("data_autotune"),
        "final": {"accuracy": accuracy[-1], "loss": history["loss"][-1],
                  "val_accuracy": val_accuracy[-1], "val_loss": val_loss[-1]},
        "best": {"val_accuracy": val_accuracy[best_accuracy_epoch], "val_accuracy_epoch": best_accuracy_epoch + 1,
                 "val_loss": val_loss[best_loss_epoch], "val_loss_epoch": best_loss_epoch + 1},
        "gap": {"final": gaps[-1], "widest": gaps[widest], "widest_epoch": widest + 1},
        "training": record.get("timing", {}),
    }


def collect(
    artifacts_dir: str | os.PathLike,
    run: Mapping[str, object],
    dataset: Mapping[str, object] | None,
) -> dict[str, object]:
    """Build the ``metrics.json`` record from the artifacts folder and the runner's own figures.

    ``run`` holds what only the runner knows (settings, wall times); a section
    whose artifact is missing (a notebook that did not run) is ``None``.
    """
    folder = Path(artifacts_dir)

    def optional(name: str) -> object:
        return load_json(folder / name) if (folder / name).is_file() else None

    histories = {name: optional(f"history_{name}.json") for name in MODELS}
    return {
        "schema_version": SCHEMA_VERSION,
        "run": dict(run),
        "environment": environment(),
        "dataset": dict(dataset) if dataset else None,
        "data_check": optional("data_check.json"),
        "models": {name: model_metrics(h) if h else None for name, h in histories.items()},
        "evaluation": optional("evaluation.json"),
        "prediction": optional("prediction.json"),
        "litert": optional("litert.json"),
        "quantization": optional("quantization.json"),
    }


def render_markdown(metrics: Mapping, figures_dir: str) -> str:
    """``report.md``: what a person reads first after a run. Figures are linked relative to the report."""
    run, env, data = metrics["run"], metrics["environment"], metrics["dataset"]
    lines = ["# Tutorial run report", ""]
    lines += [f"- **Status:** {run['status']}, {run['finished']}",
              f"- **Profile:** {run['profile']}; **data set:** `{run['dataset']}`",
              f"- **Parameters passed:** {_parameters_text(run['parameters'])}",
              f"- **Notebooks run:** {', '.join(run['notebooks'])}", ""]
    if data:
        lines += ["## Data set", "", "| class | images |", "|---|---:|"]
        lines += [f"| {name} | {count:,} |" for name, count in data["classes"].items()]
        lines += [f"| **total** | **{data['images']:,}** |", "",
                  f"Training subset {data['training_images']:,} images, validation subset "
                  f"{data['validation_images']:,}.", ""]
    if metrics.get("data_check"):
        lines += _data_check_lines(metrics["data_check"])
    lines += ["## Wall time per notebook", "", "| notebook | seconds |", "|---|---:|"]
    lines += [f"| {name} | {seconds:.1f} |" for name, seconds in run["seconds"].items()]
    lines += [f"| **total** | **{sum(run['seconds'].values()):.1f}** |", ""]
    models = {name: m for name, m in metrics["models"].items() if m}
    if models:
        lines += ["## Models", "", _models_table(models), ""]
    if metrics.get("evaluation"):
        lines += ["## Per class, on the validation set", "", _per_class_table(metrics["evaluation"]), ""]
    for name, title in FIGURES.items():
        if (Path(figures_dir) / name).is_file():
            lines += [f"### {title}", "", f"![{title}](artifacts/figures/{name})", ""]
    if metrics.get("prediction"):
        p = metrics["prediction"]
        lines += ["## The new photo", "",
                  f"`{p['photo']}` ({p['credit']}): **{p['class']}**, {p['confidence']:.2%} confidence.", ""]
    if metrics.get("litert"):
        lite = metrics["litert"]
        lines += ["## LiteRT", "",
                  f"`model.tflite`: {lite['bytes'] / 1e6:.1f} MB; largest absolute difference from the Keras "
                  f"logits on the new photo: {lite['max_abs_diff']:.1e} (same class: {lite['same_class']}).", ""]
    if metrics.get("quantization"):
        lines += ["### Quantized variants, on the validation set", "",
                  format_quantization_table(metrics["quantization"]), ""]
    lines += ["## Environment", "",
              f"Python {env['python']}, TensorFlow {env['tensorflow']}, Keras {env['keras']}, "
              f"LiteRT {env['litert']}; {env['processor']}, {env['cpu_count']} cores, "
              f"{'GPU: ' + ', '.join(env['gpus']) if env['gpus'] else 'no GPU'}; {env['platform']}.", ""]
    return "\n".join(lines)


def _parameters_text(parameters: Mapping[str, object]) -> str:
    return ", ".join(f"`{key} = {value!r}`" for key, value in parameters.items()) or "none (the notebooks' defaults)"


def _models_table(models: Mapping[str, Mapping]) -> str:
    """One column per model, one row per figure."""
    names = list(models)

    def row(label: str, values: Sequence[str]) -> str:
        return f"| {label} | " + " | ".join(values) + " |"

    def each(getter) -> list[str]:
        return [getter(models[name]) for name in names]

    rows = [
        row("", names), "|---|" + "---:|" * len(names),
        row("epochs", each(lambda m: str(m["epochs"]))),
        row("precision / augmentation", each(lambda m: f"{m['precision']} / {m['augmentation'] or 'none'}")),
        row("tf.data autotuner", each(lambda m: on_off(m["data_autotune"]))),
        row("final validation accuracy", each(lambda m: f"{m['final']['val_accuracy']:.3f}")),
        row("best validation accuracy (epoch)",
            each(lambda m: f"{m['best']['val_accuracy']:.3f} ({m['best']['val_accuracy_epoch']})")),
        row("final validation loss", each(lambda m: f"{m['final']['val_loss']:.3f}")),
        row("lowest validation loss (epoch)",
            each(lambda m: f"{m['best']['val_loss']:.3f} ({m['best']['val_loss_epoch']})")),
        row("final train-validation gap", each(lambda m: f"{100 * m['gap']['final']:+.1f} points")),
        row("widest gap (epoch)", each(lambda m: f"{100 * m['gap']['widest']:+.1f} ({m['gap']['widest_epoch']})")),
        row("training time (fit)", each(lambda m: f"{m['training'].get('fit_seconds', 0):.0f} s")),
        row("time per training step", each(lambda m: f"{m['training'].get('step_ms', 0):.0f} ms")),
    ]
    return "\n".join(rows)


def _data_check_lines(check: Mapping) -> list[str]:
    """What notebook 1's check of every file found: warnings, and what training leaves out."""
    lines = ["### Data check", "",
             f"{check['total']:,} images decoded; {len(check['bad_files'])} bad files; "
             f"{len(check['skipped_files'])} files skipped (not an image extension that training reads).", ""]
    lines += [f"- **Warning:** {warning}" for warning in check["warnings"]]
    shown = check["skipped_files"][:MAX_LISTED]
    lines += [f"- skipped: `{path}`" for path in shown]
    if len(check["skipped_files"]) > len(shown):
        lines.append(f"- ... and {len(check['skipped_files']) - len(shown)} more skipped files (see `metrics.json`)")
    lines += [f"- included from a subfolder: `{folder}` ({count} images)" for folder, count in check["subfolders"].items()]
    return lines + [""]


def _per_class_table(evaluations: Mapping[str, Mapping]) -> str:
    """F1 per class (and accuracy), one column per model."""
    names = list(evaluations)
    classes = list(next(iter(evaluations.values()))["per_class"])
    lines = ["| F1 | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    lines += [f"| {c} | " + " | ".join(f"{evaluations[n]['per_class'][c]['f1']:.3f}" for n in names) + " |"
              for c in classes]
    lines.append("| accuracy | " + " | ".join(f"{evaluations[n]['accuracy']:.3f}" for n in names) + " |")
    return "\n".join(lines)


def write(out_dir: str | os.PathLike, metrics: Mapping) -> None:
    """Write ``metrics.json`` and ``report.md`` into ``out_dir``."""
    out = Path(out_dir)
    save_json(out / "metrics.json", metrics)
    with atomic_path(out / "report.md") as temporary:
        temporary.write_text(render_markdown(metrics, os.fspath(out / "artifacts" / "figures")), encoding="utf-8")

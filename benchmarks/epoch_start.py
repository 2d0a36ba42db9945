"""What does tf.data's autotuner cost at the start of each epoch? ``fit`` with it on and off.

    python benchmarks/epoch_start.py --dataset ../shared/flower_photos

Trains notebook 5's augmented model (or, with ``--model baseline``, notebook 3's)
for 15 epochs on the real data, once with the autotuner on and once off
(``load_datasets(data_autotune=...)``), each in a fresh process. For every
epoch it records the training phase's seconds, the first step's milliseconds (it
includes throwing away the previous epoch's iterator) and the median step.
Prints the table and writes it to ``benchmarks/results/epoch-start.md``.

One run on a shared machine: compare the two columns with each other.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from measuring import measure_in_child, tutorial_model

ROOT = Path(__file__).resolve().parents[1]
EPOCHS = 15  # as many as notebook 5 trains


def measure(dataset: str, data_autotune: bool, epochs: int, kind: str) -> list[dict[str, float]]:
    """Per-epoch timings of ``fit`` for the ``kind`` of model, in this process."""
    import flowers_helpers  # noqa: F401  (quiet TensorFlow start-up)
    import keras

    from flowers_helpers.data import resolve_dataset
    from flowers_helpers.pipeline import load_datasets
    from flowers_helpers.precision import training_policy

    train_ds, val_ds, _ = load_datasets(resolve_dataset(dataset), data_autotune=data_autotune)
    model = tutorial_model("fused" if kind == "augmented" else "baseline", training_policy("auto"))

    class StepTimes(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.epochs: list[dict[str, float]] = []

        def on_epoch_begin(self, epoch, logs=None):
            self.marks = [time.perf_counter()]

        def on_train_batch_end(self, batch, logs=None):
            self.marks.append(time.perf_counter())

        def on_epoch_end(self, epoch, logs=None):
            steps = [b - a for a, b in zip(self.marks, self.marks[1:])]
            self.epochs.append({"train_seconds": self.marks[-1] - self.marks[0], "first_step_ms": 1000 * steps[0],
                                "median_step_ms": 1000 * statistics.median(steps[1:])})

    times = StepTimes()
    model.fit(train_ds, validation_data=val_ds, epochs=epochs, verbose=0, callbacks=[times])
    return times.epochs


def table(results: dict[bool, list[dict[str, float]]]) -> str:
    """The Markdown table: one row per epoch, the autotuner off and on side by side."""
    lines = ["| epoch | off: training phase (s) | off: first step (ms) | on: training phase (s) | "
             "on: first step (ms) | off / on: median step (ms) |",
             "|---:|---:|---:|---:|---:|---:|"]
    for epoch, (off, on) in enumerate(zip(results[False], results[True]), start=1):
        lines.append(f"| {epoch} | {off['train_seconds']:.2f} | {off['first_step_ms']:.0f} | "
                     f"{on['train_seconds']:.2f} | {on['first_step_ms']:.0f} | "
                     f"{off['median_step_ms']:.1f} / {on['median_step_ms']:.1f} |")
    later = {key: [e["train_seconds"] for e in epochs[1:]] for key, epochs in results.items()}
    lines += ["", f"Epochs 2 onwards, median training phase: {statistics.median(later[False]):.2f} s with the "
              f"autotuner off, {statistics.median(later[True]):.2f} s with it on; total "
              f"{sum(later[False]):.1f} s against {sum(later[True]):.1f} s."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Run both settings in child processes, print the table and write it to benchmarks/results/."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="flower_photos")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--model", choices=("augmented", "baseline"), default="augmented")
    parser.add_argument("--measure", choices=("off", "on"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.dataset, args.measure == "on", args.epochs, args.model)))
        return

    def child(setting: str) -> list[dict[str, float]]:
        return measure_in_child(__file__, "--dataset", args.dataset, "--epochs", str(args.epochs),
                                "--model", args.model, "--measure", setting)

    results = {False: child("off"), True: child("on")}
    sys.path.insert(0, str(ROOT))
    from flowers_helpers.report import environment

    env = environment()
    text = "\n".join([
        f"# tf.data's autotuner at the start of each epoch, {time.strftime('%Y-%m-%d')}", "",
        f"- **Machine:** {env['processor']}, {env['cpu_count']} cores; TensorFlow {env['tensorflow']}, "
        f"Keras {env['keras']}", "",
        f"The {args.model} model (mixed_bfloat16 where the CPU has it), {args.epochs} epochs of 92 batches, "
        "`fit` with validation; "
        "the first step of an epoch includes throwing away the previous epoch's iterator.", "",
        table(results), "",
    ])
    print(text)
    out = ROOT / "benchmarks" / "results" / "epoch-start.md"
    out.write_text(text, encoding="utf-8")
    print(f"Written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

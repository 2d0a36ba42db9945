"""Where does a training step's time go? Times the pieces of one step on the real data.

    python benchmarks/profile_training.py --dataset ../shared/flower_photos

Prints, and writes to ``benchmarks/results/profile-training.md``, the median
milliseconds per batch of 32 photos (180x180) for:

- each augmentation layer alone, and the fused one-pass layer;
- a whole training step (``train_on_batch``) of the baseline and of the augmented
  model, in float32 and under mixed_bfloat16, with the tutorial's three
  augmentation layers and with the fused one;
- the same steps with op determinism on, in a second process (it cannot be
  switched off once on).

Medians over repeated batches of one run, on a shared machine: compare the rows
with each other, not with another machine's figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from measuring import measure_in_child, tutorial_model

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 30


def median_ms(step, repeats: int = REPEATS, warmup: int = 3) -> float:
    """Median wall-clock milliseconds of ``step(i)`` over ``repeats`` calls after ``warmup``."""
    for i in range(warmup):
        step(i)
    timings = []
    for i in range(repeats):
        start = time.perf_counter()
        step(i)
        timings.append(time.perf_counter() - start)
    return 1000 * statistics.median(timings)


def measure(dataset: str, deterministic: bool) -> dict[str, float]:
    """The table's figures, measured in this process."""
    import flowers_helpers  # noqa: F401  (quiet TensorFlow start-up)
    import tensorflow as tf
    from keras import layers

    from flowers_helpers.augment import RandomFlipRotateZoom
    from flowers_helpers.data import resolve_dataset
    from flowers_helpers.pipeline import load_datasets

    if deterministic:
        tf.config.experimental.enable_op_determinism()
    train_ds, _, _ = load_datasets(resolve_dataset(dataset))
    batches = list(train_ds.take(10))

    figures = {}
    if not deterministic:
        for layer in (layers.RandomFlip("horizontal"), layers.RandomRotation(0.1), layers.RandomZoom(0.1),
                      RandomFlipRotateZoom(0.1, 0.1)):
            apply = tf.function(lambda images, layer=layer: layer(images, training=True))
            figures[f"augmentation alone: {type(layer).__name__}"] = median_ms(
                lambda i, apply=apply: apply(batches[i % 10][0]).numpy())
    for policy in ("float32", "mixed_bfloat16"):
        for kind in ("baseline", "layers", "fused"):
            trained = tutorial_model(kind, policy)
            name = "baseline" if kind == "baseline" else f"augmented ({kind})"
            figures[f"training step: {name}, {policy}"] = median_ms(
                lambda i, trained=trained: trained.train_on_batch(*batches[i % 10]))
    return figures


def main(argv: list[str] | None = None) -> None:
    """Measure without and with op determinism (two processes), print and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="flower_photos")
    parser.add_argument("--measure", choices=("plain", "deterministic"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:  # the child process: print the figures as JSON
        print(json.dumps(measure(args.dataset, args.measure == "deterministic")))
        return

    plain = measure_in_child(__file__, "--dataset", args.dataset, "--measure", "plain")
    deterministic = measure_in_child(__file__, "--dataset", args.dataset, "--measure", "deterministic")
    lines = ["# Where a training step's time goes", "",
             f"Median ms per batch of 32 photos of 180x180, over {REPEATS} batches; one run on a shared machine.", "",
             "| what | ms | with op determinism | cost of determinism |", "|---|---:|---:|---:|"]
    for name, ms in plain.items():
        if name in deterministic:
            cost = deterministic[name] / ms - 1
            lines.append(f"| {name} | {ms:.1f} | {deterministic[name]:.1f} | {100 * cost:+.0f}% |")
        else:
            lines.append(f"| {name} | {ms:.1f} | | |")
    text = "\n".join(lines) + "\n"
    print(text)
    results = ROOT / "benchmarks" / "results" / "profile-training.md"
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(text, encoding="utf-8")
    print(f"Written to {results.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""Reproduce the official tutorial's figures: run the whole tutorial once and compare, side by side.

    python benchmarks/reproduce.py --dataset ../shared/flower_photos

Runs ``python -m flowers_helpers.run`` (all six notebooks) into ``runs/benchmark``,
times it from start to end, reads its ``metrics.json``, prints a table beside the
tutorial's published figures and the official notebook measured on a 2-core CPU,
and writes the table with the machine's description to ``benchmarks/results/``.
Extra arguments after ``--`` go to the runner, e.g. ``-- -p precision float32``.

This is a benchmark, not a test: it asserts nothing. The "target" column says
whether each figure meets the goal set for this project.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from flowers_helpers.artifacts import load_json
from flowers_helpers.quantization import format_quantization_table
from flowers_helpers.report import on_off

ROOT = Path(__file__).resolve().parents[1]

# The tutorial's published figures (tensorflow.org "Image classification", GPU).
PUBLISHED = {"baseline_val_accuracy": 0.5913, "augmented_val_accuracy": 0.7098, "litert_max_abs_diff": 1.9e-06,
             "baseline_step_ms": 16, "augmented_step_ms": 90}
# The official notebook run unchanged with TensorFlow 2.21 on the 2-core CPU these results come from.
OFFICIAL_ON_CPU = {"baseline_val_accuracy": 0.631, "augmented_val_accuracy": 0.722, "baseline_step_ms": 95,
                   "augmented_step_ms": 135, "baseline_fit_s": 106, "augmented_fit_s": 284, "total_s": 410}
RUN_TIME_TARGET = 0.6  # of the official notebook's wall time on the same machine


def run_tutorial(dataset: str, out: Path, runner_args: list[str]) -> float:
    """Run the whole tutorial with the runner; return its wall-clock seconds from start to end."""
    command = [sys.executable, "-m", "flowers_helpers.run", "--dataset", dataset, "--out", str(out), *runner_args]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True)
    return time.perf_counter() - start


def rows(metrics: dict, wall_seconds: float) -> list[tuple[str, str, str, str, str, str]]:
    """The table: figure, published, official notebook on this CPU, this run, target, met."""
    base, aug = metrics["models"]["baseline"], metrics["models"]["augmented"]
    base_step, aug_step = base["training"]["step_ms"], aug["training"]["step_ms"]
    ratio = aug_step / base_step
    official_ratio = OFFICIAL_ON_CPU["augmented_step_ms"] / OFFICIAL_ON_CPU["baseline_step_ms"]
    time_limit = RUN_TIME_TARGET * OFFICIAL_ON_CPU["total_s"]
    diff = metrics["litert"]["max_abs_diff"]

    def met(ok: bool) -> str:
        return "yes" if ok else "**no**"

    return [
        ("baseline: validation accuracy after 10 epochs", f"{PUBLISHED['baseline_val_accuracy']:.4f}",
         f"{OFFICIAL_ON_CPU['baseline_val_accuracy']:.3f}", f"{base['final']['val_accuracy']:.4f}", "0.55-0.70",
         met(0.55 <= base["final"]["val_accuracy"] <= 0.70)),
        ("augmented: validation accuracy after 15 epochs", f"{PUBLISHED['augmented_val_accuracy']:.4f}",
         f"{OFFICIAL_ON_CPU['augmented_val_accuracy']:.3f}", f"{aug['final']['val_accuracy']:.4f}", ">= 0.70",
         met(aug["final"]["val_accuracy"] >= 0.70)),
        ("baseline: final train-validation gap", "", "", f"{100 * base['gap']['final']:+.1f} points", "", ""),
        ("augmented: final train-validation gap", "", "", f"{100 * aug['gap']['final']:+.1f} points", "", ""),
        ("LiteRT: largest difference from Keras", f"{PUBLISHED['litert_max_abs_diff']:.1e}", "", f"{diff:.1e}",
         "<= 1e-4", met(diff <= 1e-4)),
        ("baseline: time per training step", f"{PUBLISHED['baseline_step_ms']} ms (GPU)",
         f"{OFFICIAL_ON_CPU['baseline_step_ms']} ms", f"{base_step:.0f} ms", "", ""),
        ("augmented: time per training step", f"{PUBLISHED['augmented_step_ms']} ms (GPU)",
         f"{OFFICIAL_ON_CPU['augmented_step_ms']} ms", f"{aug_step:.0f} ms", "", ""),
        ("step time ratio, augmented / baseline",
         f"{PUBLISHED['augmented_step_ms'] / PUBLISHED['baseline_step_ms']:.1f}", f"{official_ratio:.2f}",
         f"{ratio:.2f}", "<= 1.3", met(ratio <= 1.3)),
        ("baseline: fit", "", f"{OFFICIAL_ON_CPU['baseline_fit_s']} s", f"{base['training']['fit_seconds']:.0f} s",
         "", ""),
        ("augmented: fit", "", f"{OFFICIAL_ON_CPU['augmented_fit_s']} s", f"{aug['training']['fit_seconds']:.0f} s",
         "", ""),
        ("whole run, six notebooks", "", f"{OFFICIAL_ON_CPU['total_s']} s", f"{wall_seconds:.0f} s",
         f"<= {time_limit:.0f} s", met(wall_seconds <= time_limit)),
    ]


def markdown(table: list[tuple[str, ...]], metrics: dict, wall_seconds: float, runner_args: list[str]) -> str:
    """The results file: machine, settings, the table, and the per-notebook wall times."""
    env, run = metrics["environment"], metrics["run"]
    base, aug = metrics["models"]["baseline"], metrics["models"]["augmented"]
    lines = [
        f"# Reproduction benchmark, {date.today().isoformat()}", "",
        f"- **Machine:** {env['processor']}, {env['cpu_count']} cores, "
        f"{'GPU ' + ', '.join(env['gpus']) if env['gpus'] else 'CPU only'}",
        f"- **Software:** Python {env['python']}, TensorFlow {env['tensorflow']}, Keras {env['keras']}, "
        f"LiteRT {env['litert']}",
        f"- **Data set:** {metrics['dataset']['images']:,} images; runner arguments: "
        f"`{' '.join(runner_args) or 'none'}`",
        f"- **Training:** baseline {base['precision']}; augmented {aug['precision']}, "
        f"augmentation {aug['augmentation']}; tf.data autotuner {on_off(aug.get('data_autotune'))}", "",
        "| figure | tutorial (published) | official notebook, this CPU | this run | target | met |",
        "|---|---:|---:|---:|---:|:---:|",
        *("| " + " | ".join(row) + " |" for row in table), "",
        "Wall time per notebook (s): " + ", ".join(f"{k} {v:.1f}" for k, v in run["seconds"].items())
        + f"; runner start to end {wall_seconds:.1f} s.", "",
        "Time per step is the median over epochs 2 onwards of the training phase alone (no validation, "
        "no cache filling), measured by `flowers_helpers.timing.TrainingTimer`.", "",
        "## Quantized LiteRT models, on the validation set", "",
        format_quantization_table(metrics["quantization"]), "",
        "Targets for int8: at most 30% of the float32 size, at least 98% top-1 agreement with Keras, "
        "validation accuracy within 1 point of Keras.", "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Run, print the table, write it to ``benchmarks/results/``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    runner_args = argv[argv.index("--") + 1:] if "--" in argv else []
    own = argv[:argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="flower_photos", help="flower_photos, or a local copy of it")
    parser.add_argument("--out", type=Path, default=ROOT / "runs" / "benchmark", help="the runner's output folder")
    parser.add_argument("--name", default="reproduce-cpu", help="results file name, without .md")
    args = parser.parse_args(own)

    dataset = args.dataset if args.dataset == "flower_photos" else str(Path(args.dataset).resolve())
    wall_seconds = run_tutorial(dataset, args.out, runner_args)
    metrics = load_json(args.out / "metrics.json")
    table = rows(metrics, wall_seconds)
    text = markdown(table, metrics, wall_seconds, runner_args)
    print("\n" + text)
    results = ROOT / "benchmarks" / "results" / f"{args.name}.md"
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(text, encoding="utf-8")
    print(f"Written to {results.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

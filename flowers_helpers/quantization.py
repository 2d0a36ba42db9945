"""Measure what post-training quantization costs and saves: size, accuracy, agreement with Keras, latency.

The notebook converts the model (float32, dynamic range, float16, full
integer); this module runs each ``.tflite`` file the same way and compares it
with the Keras model. A fully quantized model takes and returns int8 (or uint8)
tensors: the scale and zero point that map them to real values are read from
the model, because the converter picks them from the calibration images.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from ai_edge_litert.interpreter import Interpreter

from flowers_helpers.litert import litert_input, litert_output, load_interpreter


def run_litert(
    interpreter_or_path: Interpreter | str | os.PathLike,
    images: np.ndarray,
    signature_key: str | None = None,
) -> np.ndarray:
    """Float32 logits ``(N, num_classes)`` for a batch of images ``(N, h, w, 3)``, 0-255 floats.

    The images go through the signature runner one at a time, as on a device.
    The input and output names come from the signature (``signature_key`` may
    stay ``None`` when the model has one); an integer input is quantized and an
    integer output dequantized with the model's own scale and zero point.
    """
    interpreter = interpreter_or_path
    if not isinstance(interpreter, Interpreter):
        interpreter = load_interpreter(interpreter_or_path)
    runner = interpreter.get_signature_runner(signature_key)
    ((input_name, input_details),) = runner.get_input_details().items()
    ((output_name, output_details),) = runner.get_output_details().items()
    logits = [
        litert_output(runner(**{input_name: litert_input(image[np.newaxis], input_details)})[output_name],
                      output_details)
        for image in np.asarray(images, dtype="float32")
    ]
    return np.concatenate(logits)


def measure_latency(
    path: str | os.PathLike,
    image: np.ndarray,
    num_threads: int | None,
    repeats: int = 50,
    warmup: int = 5,
) -> float:
    """Median milliseconds to classify one image ``(h, w, 3)`` with ``num_threads`` CPU threads.

    The first ``warmup`` runs are not timed: they allocate memory and fill caches.
    The median ignores the odd run that the operating system interrupts.
    """
    runner = load_interpreter(path, num_threads=num_threads).get_signature_runner()
    ((input_name, input_details),) = runner.get_input_details().items()
    inputs = {input_name: litert_input(np.asarray(image, dtype="float32")[np.newaxis], input_details)}
    for _ in range(warmup):
        runner(**inputs)
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        runner(**inputs)
        timings.append(time.perf_counter() - start)
    return 1000 * statistics.median(timings)


def compare_variants(
    variants: Mapping[str, str | os.PathLike],
    keras_logits: np.ndarray,
    images: np.ndarray,
    labels: np.ndarray,
    repeats: int = 50,
    warmup: int = 5,
) -> list[dict]:
    """One row per ``.tflite`` variant: size, validation accuracy, agreement with Keras, logit error, latency.

    ``keras_logits`` are the Keras model's logits for ``images``; ``labels`` their
    true classes. ``agreement`` is the share of images whose top-1 class is the
    Keras model's; ``max_abs_logit_diff`` is the largest difference between the
    (dequantized) logits and the Keras ones. Latency is measured on the first
    image with 1 thread and with ``threads``, one per CPU core.
    """
    threads = os.cpu_count()
    keras_classes = np.argmax(keras_logits, axis=-1)
    rows = []
    for name, path in variants.items():
        logits = run_litert(path, images)
        classes = np.argmax(logits, axis=-1)
        size = Path(path).stat().st_size
        rows.append({
            "variant": name,
            "size_bytes": size,
            "size_mb": size / 1e6,
            "accuracy": float(np.mean(classes == labels)),
            "agreement": float(np.mean(classes == keras_classes)),
            "max_abs_logit_diff": float(np.max(np.abs(logits - keras_logits))),
            "latency_ms_1_thread": measure_latency(path, images[0], 1, repeats, warmup),
            "threads": threads,
            "latency_ms_all_threads": measure_latency(path, images[0], threads, repeats, warmup),
        })
    return rows


def format_quantization_table(rows: Sequence[Mapping]) -> str:
    """``compare_variants``'s rows as a Markdown table (show it with ``IPython.display.Markdown``)."""
    lines = [
        "| variant | size (MB) | accuracy | agrees with Keras | max logit difference "
        f"| latency, 1 thread (ms) | latency, {rows[0]['threads']} threads (ms) |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['variant']} | {row['size_mb']:.2f} | {row['accuracy']:.1%} | {row['agreement']:.1%} "
            f"| {row['max_abs_logit_diff']:.2g} "
            f"| {row['latency_ms_1_thread']:.2f} | {row['latency_ms_all_threads']:.2f} |"
        )
    return "\n".join(lines)

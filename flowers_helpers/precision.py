"""Training precision: bfloat16 arithmetic where the hardware has it, float32 elsewhere.

Under Keras's ``mixed_bfloat16`` policy the layers compute in bfloat16 and keep
their weights in float32. On a CPU with bfloat16 instructions (AVX512-BF16 or
AMX) a training step of the tutorial's CNN takes about half as long; on a CPU
without them bfloat16 is emulated and slower, so ``"auto"`` keeps float32 there.
On a GPU, ``"auto"`` keeps float32 too: the tutorial is fast enough there.
"""

from __future__ import annotations

from pathlib import Path

import keras
import tensorflow as tf

PRECISIONS = ("auto", "mixed_bfloat16", "float32")
BF16_CPU_FLAGS = ("avx512_bf16", "amx_bf16")


def cpu_has_bfloat16() -> bool:
    """True when the CPU advertises bfloat16 instructions (Linux ``/proc/cpuinfo``; False elsewhere)."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return False
    return any(flag in flags for flag in BF16_CPU_FLAGS)


def training_policy(precision: str = "auto") -> str:
    """The Keras dtype policy for ``precision``: ``"auto"``, ``"mixed_bfloat16"`` or ``"float32"``."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision={precision!r} is not one of {', '.join(map(repr, PRECISIONS))}.")
    if precision != "auto":
        return precision
    if tf.config.list_physical_devices("GPU") or not cpu_has_bfloat16():
        return "float32"
    return "mixed_bfloat16"


def float32_copy(model: keras.Model) -> keras.Model:
    """The same model and weights with every layer computing in float32.

    A model trained under ``mixed_bfloat16`` keeps that policy in each layer's
    config; LiteRT and exact comparisons want plain float32 arithmetic.
    """
    config = _with_float32_dtypes(model.get_config())
    copy = model.__class__.from_config(config)
    copy.set_weights(model.get_weights())
    return copy


def _with_float32_dtypes(config):
    """``config`` with every layer's dtype policy replaced by ``"float32"``, at any depth."""
    if isinstance(config, dict):
        return {
            key: "float32" if key == "dtype" and _is_policy(value) else _with_float32_dtypes(value)
            for key, value in config.items()
        }
    if isinstance(config, list):
        return [_with_float32_dtypes(item) for item in config]
    return config


def _is_policy(value) -> bool:
    return (isinstance(value, dict) and value.get("class_name") == "DTypePolicy") or value in (
        "mixed_bfloat16", "mixed_float16", "bfloat16", "float16")

"""Time training honestly: the training phase of each epoch, without validation.

Keras prints a time per step that includes the validation pass and, in the first
epoch, reading and decoding every photo into the cache. ``TrainingTimer`` keeps
those apart, so the run report can compare models step for step.
"""

from __future__ import annotations

import statistics
import time

import keras


class TrainingTimer(keras.callbacks.Callback):
    """A ``fit`` callback that records wall-clock seconds per epoch: training phase and validation."""

    def __init__(self) -> None:
        super().__init__()
        self.train_seconds: list[float] = []
        self.validation_seconds: list[float] = []
        self.steps_per_epoch = 0
        self._fit_start = self._epoch_start = self._validation_start = 0.0
        self.fit_seconds = 0.0

    def on_train_begin(self, logs=None) -> None:
        self._fit_start = time.perf_counter()

    def on_epoch_begin(self, epoch, logs=None) -> None:
        self._epoch_start = time.perf_counter()
        self._validation_start = 0.0
        self.steps_per_epoch = 0

    def on_train_batch_end(self, batch, logs=None) -> None:
        self.steps_per_epoch = batch + 1

    def on_test_begin(self, logs=None) -> None:
        if self._epoch_start and not self._validation_start:  # validation inside fit, not evaluate()
            self._validation_start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None) -> None:
        end = time.perf_counter()
        training_end = self._validation_start or end
        self.train_seconds.append(training_end - self._epoch_start)
        self.validation_seconds.append(end - training_end)

    def on_train_end(self, logs=None) -> None:
        self.fit_seconds = time.perf_counter() - self._fit_start
        self._epoch_start = 0.0

    def summary(self) -> dict[str, float | int]:
        """Figures for the run report; the step time is the median over epochs after the first.

        The first epoch also fills the cache (it decodes every photo), so it is left
        out of the step time whenever there is more than one epoch.
        """
        steady = self.train_seconds[1:] or self.train_seconds
        steps = max(self.steps_per_epoch, 1)
        return {
            "fit_seconds": round(self.fit_seconds, 2),
            "epochs": len(self.train_seconds),
            "steps_per_epoch": self.steps_per_epoch,
            "first_epoch_seconds": round(self.train_seconds[0], 2) if self.train_seconds else 0.0,
            "step_ms": round(1000 * statistics.median(steady) / steps, 1) if steady else 0.0,
            "validation_seconds_per_epoch": round(statistics.median(self.validation_seconds), 2)
            if self.validation_seconds else 0.0,
        }

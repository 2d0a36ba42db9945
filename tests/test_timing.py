"""TrainingTimer keeps the training phase of each epoch apart from validation."""

import keras
import numpy as np

from flowers_helpers.timing import TrainingTimer


def test_times_each_epoch_and_summarises_the_steady_ones():
    x = np.random.default_rng(0).normal(size=(40, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    timer = TrainingTimer()
    model.fit(x, y, validation_data=(x, y), batch_size=8, epochs=3, verbose=0, callbacks=[timer])
    model.evaluate(x, y, verbose=0, callbacks=[timer])  # after fit: must not disturb the record
    summary = timer.summary()
    assert len(timer.train_seconds) == len(timer.validation_seconds) == 3
    assert summary["epochs"] == 3 and summary["steps_per_epoch"] == 5
    assert all(v > 0 for v in timer.validation_seconds)
    assert timer.fit_seconds >= sum(timer.train_seconds) + sum(timer.validation_seconds)
    assert summary["step_ms"] > 0 and summary["fit_seconds"] == round(timer.fit_seconds, 2)

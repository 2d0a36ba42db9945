"""Helpers behind the flowers-tutorial notebooks.

Importing the package first keeps TensorFlow's C++ start-up logs out of the
notebooks, so ``import flowers_helpers`` comes before ``import tensorflow``.

Modules, one job each:

- ``settings``: defaults from ``FLOWERS_DATASET``, ``FLOWERS_PROFILE``, ``FLOWERS_ARTIFACTS``
- ``params``: check the notebooks' parameters, naming every problem at once
- ``folders``: find out up front whether a folder can be written
- ``data``: where the photos come from (download, embedded sample, local folder)
- ``checks``: scan a data folder for bad files before training
- ``pipeline``: the tutorial's ``tf.data`` input pipeline, once notebook 2 has taught it
- ``plots``: image grids, training curves, augmentation grids, evaluation charts
- ``artifacts``: save and load what one notebook hands to the next, atomically
- ``evaluation``: predictions with their labels, per-class metrics, confusion matrices
- ``photos``: the new photo that the trained model classifies
- ``litert``: run a ``.tflite`` model with the LiteRT interpreter
- ``quantization``: size, accuracy, agreement and latency of quantized ``.tflite`` variants
- ``precision``: bfloat16 training where the CPU has it, and a float32 copy for LiteRT
- ``augment``: the tutorial's flip, rotation and zoom in one resampling
- ``timing``: time the training phase of each epoch, apart from validation
- ``run``: the whole tutorial in one command, with a run report (``make tutorial``)
- ``report``: ``metrics.json`` and ``report.md`` from a run's artifacts
- ``tutorial``: run one notebook with papermill, or the earlier one a notebook needs
- ``links``: the repository address behind the Colab and GitHub links
- ``make_sample``: rebuild the embedded sample from a full copy of the data set
"""

from flowers_helpers.quiet import import_tensorflow_quietly

import_tensorflow_quietly()

__version__ = "1.0.0"

"""Keep TensorFlow's C++ start-up chatter out of notebook outputs.

TensorFlow prints absl/C++ log lines (oneDNN notices, "could not find cuda
drivers", CPU-feature notes) straight to file descriptor 2 while it is imported,
before its own log-level setting is read, so Jupyter copies them into the
notebook. Python warnings are untouched: real warnings stay visible.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Iterator

# Lines that are start-up noise, never something a reader has to act on.
NOISE = re.compile(
    r"absl::InitializeLog|oneDNN custom operations|cudart_stub|cuda_platform|cuInit|"
    r"cpu_feature_guard|This TensorFlow binary is optimized|rebuild TensorFlow with|"
    r"Created TensorFlow Lite XNNPACK delegate|computation placer already registered|"
    r"Unable to register cu(DNN|FFT|BLAS) factory|TF-TRT Warning|"
    # The full-integer converter's summary of its own settings.
    r"fully_quantize: \d|"
    # libjpeg's own complaints about a damaged file; the data check names the file instead.
    r"Improper call to JPEG library|Premature end of JPEG file|Corrupt JPEG data|Not a JPEG file"
)


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Capture what C/C++ code writes to stderr and pass on only non-noise lines.

    Works at the file-descriptor level, because TensorFlow's C++ logging and
    LiteRT bypass Python's ``sys.stderr``.
    """
    sys.stderr.flush()
    saved_fd = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved_fd, 2)
            os.close(saved_fd)
            capture.seek(0)
            text = capture.read().decode("utf-8", errors="replace")
            kept = [line for line in text.splitlines() if line.strip() and not NOISE.search(line)]
            if kept:
                print("\n".join(kept), file=sys.stderr)


def import_tensorflow_quietly() -> None:
    """Import TensorFlow once with its start-up logs filtered out.

    ``TF_CPP_MIN_LOG_LEVEL=3`` (kept if the user set it already) silences the
    C++ logging that comes after start-up, such as the cuInit error on CPU-only
    machines. Also hides one spurious Keras warning, named below.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    with quiet_stderr():
        import tensorflow  # noqa: F401
    # TensorFlow's Python logger reports saved assets at INFO level, with temporary paths.
    logging.getLogger("tensorflow").setLevel(logging.WARNING)
    # Keras 3.15 warns on every fit() with a tf.data.Dataset that its *default*
    # shuffle=True is ignored; the tutorial shuffles in tf.data, as Keras asks.
    warnings.filterwarnings("ignore", message="`shuffle=True` was passed, but will be ignored")

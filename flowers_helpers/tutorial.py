"""Run one tutorial notebook with papermill, and run the one that is needed.

``flowers_helpers.run`` (``make tutorial``) runs all six with ``run_notebook``.
Inside a notebook, ``ensure_artifact`` runs the earlier notebook that produces a
missing model or history, so every notebook also runs on its own. ``tidy``
strips run metadata before rendered notebooks are committed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path

import nbformat
import papermill

NOTEBOOKS = (
    "01_explore_data.ipynb",
    "02_input_pipeline.ipynb",
    "03_baseline_model.ipynb",
    "04_overfitting.ipynb",
    "05_augmentation_dropout.ipynb",
    "06_tflite.ipynb",
)


def run_notebook(
    notebook: str | os.PathLike,
    output: str | os.PathLike,
    parameters: Mapping[str, object] | None = None,
    progress_bar: bool | dict = True,
) -> float:
    """Execute ``notebook`` top to bottom in its own folder; write the result to ``output``.

    Returns the wall-clock seconds it took. A failing cell raises papermill's
    ``PapermillExecutionError``, which names the cell and the error.
    ``progress_bar`` is papermill's: ``True``, ``False`` or tqdm options.
    """
    notebook = Path(notebook)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    papermill.execute_notebook(
        notebook,
        output,
        parameters=dict(parameters or {}),
        cwd=notebook.parent,
        kernel_name="python3",
        progress_bar=progress_bar,
        coalesce_streams=True,  # one stream per cell: progress bars keep only their final state
    )
    return time.perf_counter() - start


def ensure_artifact(path: str | os.PathLike, producer: str, parameters: Mapping[str, object]) -> Path:
    """Return ``path``; when it is missing, say so and run the notebook ``producer`` to make it.

    ``producer`` is looked up in the current folder (the notebooks' folder), and
    runs with the same ``parameters``, so it trains on the same data.
    """
    path = Path(path)
    if path.exists():
        return path
    notebook = Path(producer)
    if not notebook.exists():
        raise FileNotFoundError(
            f"'{path}' is missing, and the notebook that makes it, {producer}, is not in "
            f"{Path.cwd().name}/. Run {producer} first, or open this notebook from a clone of the repository."
        )
    print(f"'{path}' is missing, so {producer} runs now to produce it (it trains a model: minutes on a CPU).")
    output = Path(parameters.get("artifacts_dir", ".")) / "executed" / producer
    seconds = run_notebook(notebook, output, parameters)
    if not path.exists():
        raise RuntimeError(f"{producer} ran ({seconds:.0f} s) but did not write '{path}'.")
    print(f"Done in {seconds:.0f} s; the executed copy is {output}.")
    return path


def tidy(notebook_path: str | os.PathLike) -> None:
    """Drop papermill's and nbclient's run metadata (timings, status) so committed JSON stays stable."""
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.metadata.pop("papermill", None)
    notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, notebook_path)


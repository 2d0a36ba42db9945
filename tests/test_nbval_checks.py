"""The cells marked NBVAL_CHECK_OUTPUT really are compared: a changed committed output fails nbval."""

import os
import subprocess
import sys
from pathlib import Path

import nbformat

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "01_explore_data.ipynb"


def test_nbval_fails_when_a_checked_output_changes(tmp_path):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    (cell,) = [c for c in notebook.cells if c.id == "class-names"]
    assert "# NBVAL_CHECK_OUTPUT" in cell.source
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="['daisy', 'roses']\n")]
    tampered = tmp_path / "tampered.ipynb"
    nbformat.write(notebook, tampered)

    env = {**os.environ, "FLOWERS_PROFILE": "smoke", "FLOWERS_ARTIFACTS": str(tmp_path / "artifacts")}
    env.pop("FLOWERS_DATASET", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", str(tampered)],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )
    assert result.returncode == 1, result.stdout[-2000:]
    assert "1 failed" in result.stdout and "['daisy', 'dandelion', 'roses', 'sunflowers', 'tulips']" in result.stdout

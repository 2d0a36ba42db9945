"""The committed notebooks: tidy JSON, one parameters cell, links in step, outputs from a real run."""

import re
from pathlib import Path

import nbformat
import papermill
import pytest

from flowers_helpers import links
from flowers_helpers.quiet import NOISE
from flowers_helpers.tutorial import NOTEBOOKS

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
REQUIRED = {"dataset", "img_height", "img_width", "batch_size", "seed", "validation_split", "artifacts_dir"}
TRAINS = {"03_baseline_model.ipynb", "05_augmentation_dropout.ipynb"}
MACHINE_PATH = re.compile(r"(/work/|/root/|/home/|/tmp/|/Users/|/content/|[A-Z]:\\\\)")


def _load(name):
    return nbformat.read(NOTEBOOK_DIR / name, as_version=4)


def _output_text(output) -> str:
    if output.output_type == "stream":
        return "".join(output.text)
    return "".join(output.get("data", {}).get("text/plain", ""))


def test_the_six_notebooks_are_there_in_order():
    assert sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb")) == list(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_tidy(name):
    notebook = _load(name)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    ids = [cell.id for cell in notebook.cells]
    assert len(ids) == len(set(ids)) and ids[:5] == ["title", "links", "colab-setup", "imports", "parameters"]
    assert notebook.cells[0].source.startswith(f"# {int(name[:2])}. ")
    for cell in notebook.cells:
        assert "papermill" not in cell.metadata and "execution" not in cell.metadata
        for output in cell.get("outputs", []):
            assert output.output_type != "error", f"{name} cell {cell.id} has an error output"
            text = _output_text(output)
            assert not NOISE.search(text) and "WARNING:tensorflow" not in text, f"{name} {cell.id}: log noise"
            assert not MACHINE_PATH.search(text), f"{name} {cell.id}: a path of the rendering machine"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_one_parameters_cell_with_the_contract(name):
    notebook = _load(name)
    tagged = [cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1
    declared = set(papermill.inspect_notebook(NOTEBOOK_DIR / name))
    assert REQUIRED <= declared
    assert ("epochs" in declared) == (name in TRAINS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_links_and_colab_cell_follow_links_py(name):
    cells = {cell.id: cell.source for cell in _load(name).cells}
    assert cells["links"] == links.links_markdown(name), "run `make links`"
    assert cells["colab-setup"] == links.colab_setup_source(), "run `make links`"
    assert links.REPOSITORY in cells["links"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_checked_cells_carry_committed_outputs(name):
    checked = [c for c in _load(name).cells if c.cell_type == "code" and "NBVAL_CHECK_OUTPUT" in c.source]
    assert checked, "each notebook pins at least one invariant"
    for cell in checked:
        assert cell.outputs, f"{name} {cell.id}: nbval would compare against nothing"


def test_committed_outputs_come_from_the_full_data_set():
    def text(name):
        return "\n".join(_output_text(o) for c in _load(name).cells if c.cell_type == "code" for o in c.outputs)

    assert "3670 images in 5 classes" in text("01_explore_data.ipynb")
    assert "bad files: 0" in text("01_explore_data.ipynb")
    assert "Using 2936 files for training." in text("02_input_pipeline.ipynb")
    assert "Using 734 files for validation." in text("02_input_pipeline.ipynb")
    assert "Epoch 10/10" in text("03_baseline_model.ipynb")
    assert "Epoch 15/15" in text("05_augmentation_dropout.ipynb")
    assert "Largest absolute difference" in text("06_tflite.ipynb")

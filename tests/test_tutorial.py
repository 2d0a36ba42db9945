"""The notebooks under papermill, in the quick profile, with parameters passed."""

from pathlib import Path

import nbformat
import papermill
import pytest

from flowers_helpers import artifacts
from flowers_helpers.tutorial import NOTEBOOKS, ensure_artifact, main, run_notebook, tidy

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"


def _parameters(name: str, artifacts_dir: Path) -> dict:
    """The parameters to pass: every one the notebook declares that we want to set."""
    wanted = {"dataset": "sample", "artifacts_dir": str(artifacts_dir), "epochs": 1, "seed": 7}
    declared = papermill.inspect_notebook(NOTEBOOK_DIR / name)
    return {key: value for key, value in wanted.items() if key in declared}


def _outputs_text(path: Path) -> str:
    notebook = nbformat.read(path, as_version=4)
    assert not [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    return "\n".join(
        "".join(o.get("text", "")) for c in notebook.cells if c.cell_type == "code" for o in c.outputs
    )


@pytest.fixture(scope="module")
def tutorial_run(tmp_path_factory):
    """Run all six notebooks in order, into one fresh artifacts folder."""
    artifacts_dir = tmp_path_factory.mktemp("artifacts")
    for name in NOTEBOOKS:
        run_notebook(NOTEBOOK_DIR / name, artifacts_dir / "executed" / name, _parameters(name, artifacts_dir))
    return artifacts_dir


def test_parameters_are_injected(tutorial_run):
    executed = nbformat.read(tutorial_run / "executed" / "03_baseline_model.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "epochs = 1" in injected[0].source and "seed = 7" in injected[0].source
    assert "Validation accuracy after 1 epochs" in _outputs_text(tutorial_run / "executed" / "03_baseline_model.ipynb")


def test_notebooks_hand_on_their_artifacts(tutorial_run):
    for run in ("baseline", "augmented"):
        artifacts.load_model(tutorial_run / f"{run}.keras")
        record = artifacts.load_history(tutorial_run / f"{run}_history.json")
        assert record["class_names"] == ["daisy", "dandelion", "roses", "sunflowers", "tulips"]
        assert {len(v) for v in record["history"].values()} == {1}
    assert (tutorial_run / "model.tflite").stat().st_size > 1_000_000
    assert {p.name for p in (tutorial_run / "figures").iterdir()} == {
        "baseline_curves.png", "augmentations.png", "comparison.png"}
    assert not list(tutorial_run.glob(".*"))  # no temporary files left behind


def test_litert_agrees_with_keras(tutorial_run):
    text = _outputs_text(tutorial_run / "executed" / "06_tflite.ipynb")
    difference = float(text.split("Largest absolute difference: ")[1].split()[0])
    assert difference < 1e-3
    assert "Same class: True" in text


def test_notebook_6_alone_produces_what_it_needs(tmp_path):
    """A reader who opens only notebook 6: it runs 5, which runs 3, then converts."""
    run_notebook(NOTEBOOK_DIR / "06_tflite.ipynb", tmp_path / "06.ipynb", _parameters("06_tflite.ipynb", tmp_path))
    text = _outputs_text(tmp_path / "06.ipynb")
    assert "augmented.keras' is missing, so 05_augmentation_dropout.ipynb runs now" in text
    assert (tmp_path / "baseline_history.json").is_file() and (tmp_path / "model.tflite").is_file()
    assert "baseline_history.json' is missing" in _outputs_text(tmp_path / "executed" / "05_augmentation_dropout.ipynb")


def test_ensure_artifact_returns_what_exists(tmp_path):
    (tmp_path / "a.json").write_text("{}")
    assert ensure_artifact(tmp_path / "a.json", "no_such.ipynb", {}) == tmp_path / "a.json"


def test_ensure_artifact_explains_a_missing_producer(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="03_baseline_model.ipynb, is not in"):
        ensure_artifact(tmp_path / "missing.json", "03_baseline_model.ipynb", {})


def test_tidy_drops_run_metadata(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1", id="one")])
    notebook.metadata["papermill"] = {"duration": 1.0}
    notebook.cells[0].metadata.update(papermill={"status": "completed"}, execution={"iopub.status.idle": "x"})
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, path)
    tidy(path)
    tidied = nbformat.read(path, as_version=4)
    assert "papermill" not in tidied.metadata and tidied.cells[0].metadata == {}
    assert tidied.metadata.kernelspec.name == "python3" and tidied.cells[0].id == "one"


def test_a_failing_notebook_stops_the_run_with_one_clear_line(tmp_path, monkeypatch):
    failing = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from flowers_helpers.data import resolve_dataset", id="a"),
        nbformat.v4.new_code_cell("resolve_dataset('no/such/folder')", id="b"),
    ])
    failing.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(failing, tmp_path / NOTEBOOKS[0])
    monkeypatch.setenv("FLOWERS_ARTIFACTS", str(tmp_path / "artifacts"))
    with pytest.raises(SystemExit) as stopped:
        main(["--notebooks", str(tmp_path)])
    message = str(stopped.value.code)
    assert message.startswith(f"\n{NOTEBOOKS[0]} stopped in cell [2]: DatasetError: The data set folder 'no/such/folder'")
    assert str(tmp_path / "artifacts" / "executed" / NOTEBOOKS[0]) in message

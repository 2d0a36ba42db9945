"""The whole tutorial through the runner (``python -m flowers_helpers.run``), in the quick profile."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import papermill
import pytest

from flowers_helpers import artifacts, report
from flowers_helpers.run import main, parse_value, select_notebooks
from flowers_helpers.tutorial import NOTEBOOKS, ensure_artifact, run_notebook, tidy

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
CLASSES = ["daisy", "dandelion", "roses", "sunflowers", "tulips"]


def _outputs_text(path: Path) -> str:
    notebook = nbformat.read(path, as_version=4)
    assert not [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    return "\n".join(
        "".join(o.get("text", "")) for c in notebook.cells if c.cell_type == "code" for o in c.outputs
    )


@pytest.fixture(scope="module")
def tutorial_run(tmp_path_factory):
    """All six notebooks through the runner, with parameters passed, into a fresh output folder."""
    out = tmp_path_factory.mktemp("run") / "latest"
    main(["--dataset", "sample", "--out", str(out), "-p", "epochs", "1", "-p", "seed", "7"])
    return out


def test_parameters_are_injected(tutorial_run):
    executed = nbformat.read(tutorial_run / "notebooks" / "03_baseline_model.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "epochs = 1" in injected[0].source and "seed = 7" in injected[0].source
    assert "Validation accuracy after 1 epochs" in _outputs_text(tutorial_run / "notebooks" / "03_baseline_model.ipynb")
    # Notebook 4 does not declare epochs, so it is not passed there.
    executed = nbformat.read(tutorial_run / "notebooks" / "04_overfitting.ipynb", as_version=4)
    assert "epochs" not in "".join(c.source for c in executed.cells if "injected-parameters" in c.metadata.get("tags", []))


def test_the_run_leaves_every_file_the_report_promises(tutorial_run):
    assert sorted(p.name for p in (tutorial_run / "notebooks").iterdir()) == list(NOTEBOOKS)
    folder = tutorial_run / "artifacts"
    for run in ("baseline", "augmented"):
        artifacts.load_model(folder / f"model_{run}.keras")
        record = artifacts.load_history(folder / f"history_{run}.json")
        assert record["class_names"] == CLASSES
        assert {len(v) for v in record["history"].values()} == {1}
        assert record["timing"]["steps_per_epoch"] == 3 and record["timing"]["step_ms"] > 0
    assert (folder / "model.tflite").stat().st_size > 1_000_000
    assert json.loads((folder / "class_names.json").read_text()) == CLASSES
    assert {p.name for p in (folder / "figures").iterdir()} == set(report.FIGURES)
    assert not list(folder.glob(".*"))  # no temporary files left behind
    assert json.loads((tutorial_run / "run.json").read_text())["status"] == "complete"


def test_metrics_follow_the_documented_schema(tutorial_run):
    metrics = json.loads((tutorial_run / "metrics.json").read_text())
    assert metrics["schema_version"] == report.SCHEMA_VERSION
    assert set(metrics) == {"schema_version", "run", "environment", "dataset", "data_check", "models", "evaluation",
                            "prediction", "litert", "quantization"}
    assert metrics["data_check"]["total"] == 100 and metrics["data_check"]["bad_files"] == []
    assert metrics["run"]["parameters"] == {"epochs": 1, "seed": 7} and metrics["run"]["profile"] == "smoke"
    assert list(metrics["run"]["seconds"]) == [name[:-6] for name in NOTEBOOKS]
    assert metrics["dataset"] == {"images": 100, "classes": dict.fromkeys(CLASSES, 20),
                                  "training_images": 80, "validation_images": 20}
    for name in ("baseline", "augmented"):
        model = metrics["models"][name]
        assert set(model) == {"epochs", "precision", "augmentation", "data_autotune", "final", "best", "gap", "training"}
        assert set(model["final"]) == {"accuracy", "loss", "val_accuracy", "val_loss"}
        assert 0 <= model["final"]["val_accuracy"] <= 1 and model["epochs"] == 1
    assert metrics["models"]["augmented"]["augmentation"] == "fused"
    assert metrics["models"]["baseline"]["data_autotune"] is False
    assert metrics["prediction"]["class"] in CLASSES and 0 < metrics["prediction"]["confidence"] <= 1
    assert metrics["litert"]["max_abs_diff"] < 1e-4 and metrics["litert"]["same_class"] is True
    assert set(metrics["environment"]) >= {"python", "tensorflow", "keras", "litert", "cpu_count"}
    assert set(metrics["evaluation"]) == {"baseline", "augmented"}
    assert metrics["evaluation"]["augmented"]["confusion_matrix"] and sum(
        map(sum, metrics["evaluation"]["augmented"]["confusion_matrix"])) == 20
    assert [row["variant"] for row in metrics["quantization"]] == ["float32", "dynamic range", "float16", "int8"]


def test_report_reads_well_and_shows_the_curves(tutorial_run):
    text = (tutorial_run / "report.md").read_text()
    for heading in ("## Data set", "### Data check", "## Wall time per notebook", "## Models", "## Per class", "## The new photo",
                    "## LiteRT", "### Quantized variants", "## Environment"):
        assert heading in text
    images = [line.split("(")[1].rstrip(")") for line in text.splitlines() if line.startswith("![")]
    assert len(images) == len(report.FIGURES) and all((tutorial_run / image).is_file() for image in images)
    assert "TensorFlow 2.21" in text and "| final validation accuracy |" in text


def test_litert_agrees_with_keras(tutorial_run):
    text = _outputs_text(tutorial_run / "notebooks" / "06_tflite.ipynb")
    assert float(text.split("Largest absolute difference: ")[1].split()[0]) < 1e-4
    assert "Same class: True" in text


def test_only_reruns_some_notebooks_of_a_finished_run(tutorial_run):
    before = (tutorial_run / "notebooks" / "03_baseline_model.ipynb").stat().st_mtime_ns
    main(["--dataset", "sample", "--out", str(tutorial_run), "-p", "epochs", "1", "-p", "seed", "7", "--only", "4"])
    assert (tutorial_run / "notebooks" / "03_baseline_model.ipynb").stat().st_mtime_ns == before
    metrics = json.loads((tutorial_run / "metrics.json").read_text())
    assert metrics["run"]["notebooks"] == ["04_overfitting"] and len(metrics["run"]["seconds"]) == 6


def test_only_in_an_empty_folder_produces_the_missing_inputs(tmp_path):
    main(["--dataset", "sample", "--out", str(tmp_path / "out"), "-p", "epochs", "1", "--only", "04"])
    assert sorted(p.name for p in (tmp_path / "out" / "notebooks").iterdir()) == ["04_overfitting.ipynb"]
    text = _outputs_text(tmp_path / "out" / "notebooks" / "04_overfitting.ipynb")
    assert "history_baseline.json' is missing, so 03_baseline_model.ipynb runs now" in text
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text())
    # Notebook 4 has no epochs parameter, so notebook 3 runs with its own default (2 in the quick profile).
    assert metrics["models"]["baseline"]["epochs"] == 2 and metrics["models"]["augmented"] is None


def test_a_missing_data_set_stops_before_any_notebook(tmp_path):
    with pytest.raises(SystemExit) as stopped:
        main(["--dataset", str(tmp_path / "no_such_folder"), "--out", str(tmp_path / "out")])
    message = str(stopped.value.code)
    assert message.startswith("1 parameter(s) need fixing") and "no_such_folder': no such folder" in message
    assert not (tmp_path / "out").exists()


def test_a_failing_notebook_stops_the_run_and_the_next_run_starts_clean(tmp_path, good_dataset):
    one_class = tmp_path / "one_class"
    one_class.mkdir()
    (good_dataset / "daisy").rename(one_class / "daisy")
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as stopped:
        main(["--dataset", str(one_class), "--out", str(out), "--only", "01"])
    message = str(stopped.value.code).strip()
    assert message.startswith("01_explore_data.ipynb failed in cell [")
    assert "'check': DatasetError:" in message and "needs at least two class subfolders" in message
    assert len(message.splitlines()) <= 3 and "Traceback" not in message
    assert (out / "notebooks" / "01_explore_data.ipynb").is_file()  # kept for inspection
    assert not (out / "metrics.json").exists() and not (out / "report.md").exists()
    assert json.loads((out / "run.json").read_text())["status"] == "failed"

    main(["--dataset", "sample", "--out", str(out), "--only", "02"])
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == ["02_input_pipeline.ipynb"]


def test_ctrl_c_during_training_leaves_no_result_and_the_same_command_then_completes(tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "flowers_helpers.run", "--dataset", "sample", "--out", str(out), "--only", "03"]
    env = {**os.environ, "FLOWERS_PROFILE": "smoke"}
    # 1000 epochs (the most the parameter check allows): still training when Ctrl-C comes.
    running = subprocess.Popen([*command, "-p", "epochs", "1000"], env=env, start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    executed = out / "notebooks" / "03_baseline_model.ipynb"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and _cell_status(executed, "fit") != "running":
        time.sleep(0.2)
    assert _cell_status(executed, "fit") == "running", "training never started"
    time.sleep(2)  # inside fit
    os.killpg(running.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    _, stderr = running.communicate(timeout=120)
    assert running.returncode != 0 and "Interrupted in 03_baseline_model.ipynb" in stderr, stderr[-3000:]
    assert json.loads((out / "run.json").read_text())["status"] == "interrupted"
    assert not (out / "metrics.json").exists() and not (out / "artifacts" / "model_baseline.keras").exists()
    assert not list((out / "artifacts").glob(".*"))  # no half-written temporary file either

    subprocess.run([*command, "-p", "epochs", "1"], env=env, check=True, capture_output=True)
    assert json.loads((out / "run.json").read_text())["status"] == "complete"
    assert artifacts.load_history(out / "artifacts" / "history_baseline.json")["history"]["loss"]


def _cell_status(path: Path, cell_id: str) -> str | None:
    """Papermill's status of one cell in the notebook it is executing; None before the file is written."""
    try:
        cells = json.loads(path.read_text())["cells"]
    except (OSError, ValueError, KeyError):
        return None
    return next((c["metadata"].get("papermill", {}).get("status") for c in cells if c.get("id") == cell_id), None)


def test_two_runs_into_different_folders_do_not_interfere(tmp_path):
    env = {**os.environ, "FLOWERS_PROFILE": "smoke"}
    runs = [subprocess.Popen([sys.executable, "-m", "flowers_helpers.run", "--dataset", "sample", "--out",
                              str(tmp_path / name), "--only", "01", "02"], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    for run in runs:
        assert run.wait(timeout=300) == 0, run.stderr.read()[-2000:]
    for name in ("a", "b"):
        assert json.loads((tmp_path / name / "run.json").read_text())["status"] == "complete"
        assert sorted(p.name for p in (tmp_path / name / "notebooks").iterdir()) == list(NOTEBOOKS[:2])
        assert json.loads((tmp_path / name / "artifacts" / "data_check.json").read_text())["total"] == 100


def test_the_runner_refuses_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(SystemExit, match="not a run folder"):
        main(["--dataset", "sample", "--out", str(tmp_path), "--only", "01"])
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_two_runs_with_the_same_seed_give_the_same_numbers(tutorial_run, tmp_path):
    """Seeds plus op determinism: the figures repeat exactly on the same machine (timings aside)."""
    again = tmp_path / "again"
    main(["--dataset", "sample", "--out", str(again), "-p", "epochs", "1", "-p", "seed", "7", "--only", "03", "05"])
    first, second = (json.loads((folder / "metrics.json").read_text()) for folder in (tutorial_run, again))
    for name in ("baseline", "augmented"):
        for metrics in (first, second):
            metrics["models"][name].pop("training")
        assert first["models"][name] == second["models"][name]
    assert first["evaluation"] == second["evaluation"] and first["prediction"] == second["prediction"]


def test_bad_command_line_parameters_stop_before_any_notebook(tmp_path):
    with pytest.raises(SystemExit) as stopped:
        main(["--dataset", "sample", "--out", str(tmp_path / "out"), "-p", "epochs", "0", "-p", "batch_size", "2.5"])
    message = str(stopped.value.code)
    assert message.startswith("2 parameter(s) need fixing") and "epochs = 0" in message and "batch_size = 2.5" in message
    with pytest.raises(SystemExit, match="-p epoch: no notebook has such a parameter"):
        main(["--dataset", "sample", "--out", str(tmp_path / "out"), "-p", "epoch", "3"])
    assert not (tmp_path / "out").exists()


def test_command_line_values_and_choices():
    assert [parse_value(v) for v in ("2", "0.5", "true", "None", "flower_photos")] == [2, 0.5, True, None, "flower_photos"]
    assert select_notebooks(["3", "01", "05_augmentation_dropout"]) == [NOTEBOOKS[0], NOTEBOOKS[2], NOTEBOOKS[4]]
    with pytest.raises(SystemExit, match="no such notebook"):
        select_notebooks(["7"])
    with pytest.raises(SystemExit, match="use --out DIR"):
        main(["-p", "artifacts_dir", "x"])


def test_notebook_6_alone_produces_what_it_needs(tmp_path):
    """A reader who opens only notebook 6: it runs 5, which runs 3, then converts."""
    parameters = {"dataset": "sample", "artifacts_dir": str(tmp_path), "epochs": 1}
    declared = papermill.inspect_notebook(NOTEBOOK_DIR / "06_tflite.ipynb")
    run_notebook(NOTEBOOK_DIR / "06_tflite.ipynb", tmp_path / "06.ipynb",
                 {k: v for k, v in parameters.items() if k in declared}, progress_bar=False)
    text = _outputs_text(tmp_path / "06.ipynb")
    assert "model_augmented.keras' is missing, so 05_augmentation_dropout.ipynb runs now" in text
    assert (tmp_path / "history_baseline.json").is_file() and (tmp_path / "model.tflite").is_file()
    assert "history_baseline.json' is missing" in _outputs_text(tmp_path / "executed" / "05_augmentation_dropout.ipynb")


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

"""The run report's figures, computed from histories and folders the tests make."""

from flowers_helpers import report
from conftest import write_photo

HISTORY = {
    "accuracy": [0.4, 0.7, 0.9], "val_accuracy": [0.5, 0.65, 0.6],
    "loss": [1.4, 0.8, 0.3], "val_loss": [1.2, 0.9, 1.1],
}


def test_model_metrics_find_the_best_epochs_and_the_widest_gap():
    metrics = report.model_metrics({"history": HISTORY, "precision": "float32", "timing": {"step_ms": 50.0}})
    assert metrics["final"] == {"accuracy": 0.9, "loss": 0.3, "val_accuracy": 0.6, "val_loss": 1.1}
    assert metrics["best"] == {"val_accuracy": 0.65, "val_accuracy_epoch": 2, "val_loss": 0.9, "val_loss_epoch": 2}
    assert metrics["gap"]["widest_epoch"] == 3 and abs(metrics["gap"]["widest"] - 0.3) < 1e-9
    assert metrics["training"] == {"step_ms": 50.0} and metrics["augmentation"] is None
    assert metrics["data_autotune"] is None  # histories from before the parameter existed


def test_count_images_reads_like_training_does(good_dataset):
    write_photo(good_dataset / "daisy" / "nested" / "deep.png", fmt="PNG")
    (good_dataset / "daisy" / "notes.txt").write_text("not an image")
    counts = report.count_images(good_dataset, validation_split=0.2)
    assert counts["classes"] == {"daisy": 6, "roses": 5, "tulips": 5}
    assert (counts["images"], counts["training_images"], counts["validation_images"]) == (16, 13, 3)


def _partial_run_metrics(**sections) -> dict:
    """What metrics.json holds after a run of notebook 1 alone, plus ``sections``."""
    return {
        "run": {"status": "complete", "finished": "now", "profile": "smoke", "dataset": "sample",
                "parameters": {}, "notebooks": ["01_explore_data"], "seconds": {"01_explore_data": 5.0}},
        "environment": report.environment(), "dataset": None, "data_check": None,
        "models": {"baseline": None, "augmented": None}, "evaluation": None, "prediction": None, "litert": None,
        "quantization": None, **sections,
    }


def test_markdown_leaves_out_what_a_partial_run_did_not_produce(tmp_path):
    text = report.render_markdown(_partial_run_metrics(), str(tmp_path))
    assert "none (the notebooks' defaults)" in text and "| **total** | **5.0** |" in text
    assert "## Models" not in text and "![" not in text and "## LiteRT" not in text


def test_the_data_check_shows_what_training_leaves_out(tmp_path):
    check = {"total": 16, "bad_files": [], "skipped_files": [f"daisy/{i}.txt" for i in range(25)],
             "subfolders": {"daisy/nested": 1}, "warnings": ["'roses' has only 5 images"]}
    text = report.render_markdown(_partial_run_metrics(data_check=check), str(tmp_path))
    assert "25 files skipped" in text and "- **Warning:** 'roses' has only 5 images" in text
    assert text.count("- skipped: ") == report.MAX_LISTED and "and 5 more skipped files" in text
    assert "`daisy/nested` (1 images)" in text

"""Run the whole tutorial in one command and leave a run report: ``python -m flowers_helpers.run``.

``make tutorial`` calls this with the defaults. It executes the six notebooks in
order with papermill into an output folder (default ``runs/latest/``):

- ``notebooks/``: the executed notebooks;
- ``artifacts/``: the trained models, their histories, ``model.tflite``, the class
  names, and the figures as PNG in ``artifacts/figures/``;
- ``metrics.json`` (schema in the README) and ``report.md``, written only when the
  run finishes, so they never describe a run that failed;
- ``run.json``: the settings and the state of the run (running, complete, failed).

A run starts by emptying its output folder, so nothing from an earlier run can be
taken for a result. The one exception: ``--only`` after a complete run with the
same settings keeps that run's files and re-runs just the notebooks named.
"""

from __future__ import annotations

import argparse
import os
import shutil
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import papermill
from tqdm.auto import tqdm

from flowers_helpers import report, settings
from flowers_helpers.artifacts import load_json, save_json
from flowers_helpers.data import DATASET_NAMES, DatasetError, resolve_dataset
from flowers_helpers.params import KNOWN_PARAMETERS, ParameterError, check_parameters
from flowers_helpers.tutorial import NOTEBOOKS, run_notebook, tidy

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
DEFAULT_OUT = Path("runs") / "latest"
RUN_FILE = "run.json"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line; ``--help`` explains each option in one line."""
    parser = argparse.ArgumentParser(
        prog="python -m flowers_helpers.run",
        description="Run the six tutorial notebooks in order with papermill and write a run report.",
    )
    parser.add_argument("--dataset", default=None, metavar="{flower_photos,sample,PATH}",
                        help="the data set (default: FLOWERS_DATASET, else flower_photos; sample in the smoke profile)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR",
                        help=f"output folder, emptied first (default: {DEFAULT_OUT})")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="set a papermill parameter in every notebook that declares it, e.g. -p epochs 2")
    parser.add_argument("--only", nargs="+", default=None, metavar="NN",
                        help="run only these notebooks, e.g. --only 03 05 (missing inputs are produced)")
    parser.add_argument("--render", action="store_true",
                        help="also write the outputs into notebooks/ for committing (make render)")
    return parser.parse_args(argv)


def parse_value(text: str) -> object:
    """A parameter value as papermill's ``-p`` reads it: int, float, bool, None, else the string."""
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("none", "null"):
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def select_notebooks(only: Sequence[str] | None) -> list[str]:
    """The notebooks to run, in tutorial order: all six, or those named by number or name."""
    if not only:
        return list(NOTEBOOKS)
    chosen = set()
    for wanted in only:
        key = wanted.removesuffix(".ipynb")
        matches = [name for name in NOTEBOOKS if name.removesuffix(".ipynb") == key
                   or (key.isdigit() and int(name[:2]) == int(key))]
        if not matches:
            raise SystemExit(f"--only {wanted}: no such notebook; choose from "
                             f"{', '.join(name[:2] for name in NOTEBOOKS)} (or their names).")
        chosen.update(matches)
    return [name for name in NOTEBOOKS if name in chosen]


def dataset_setting(value: str | None) -> str:
    """The ``dataset`` value for the notebooks: a name as is, a folder made absolute (they run elsewhere)."""
    value = value or settings.default_dataset()
    if value in DATASET_NAMES:
        return value
    return os.fspath(Path(value).expanduser().resolve())


def prepare_out(out: Path, run_settings: dict, only: bool) -> dict[str, float]:
    """Empty ``out`` for a new run, or keep a complete run's files for ``--only``; return kept timings.

    Refuses a folder that exists, is not empty and was not made by this runner,
    so a mistyped ``--out`` never deletes someone's files.
    """
    previous = _read_run(out)
    if out.exists() and any(out.iterdir()) and previous is None:
        raise SystemExit(f"--out {out}: the folder is not empty and holds no {RUN_FILE}, so it is not a "
                         "run folder; choose an empty or new folder.")
    if only and previous and previous.get("status") == "complete" and previous.get("settings") == run_settings:
        for stale in ("metrics.json", "report.md"):
            (out / stale).unlink(missing_ok=True)
        return dict(previous.get("seconds", {}))
    if previous:
        reason = "did not finish" if previous.get("status") != "complete" else "is replaced"
        print(f"Starting clean: the previous run in {out} {reason}; its files are removed.")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    return {}


def _read_run(out: Path) -> dict | None:
    try:
        return load_json(out / RUN_FILE)
    except (OSError, ValueError):
        return None


def headline(name: str, artifacts_dir: Path, counts: dict | None) -> str:
    """The one figure worth printing when notebook ``name`` finishes."""
    def model(run: str) -> dict | None:
        path = artifacts_dir / f"history_{run}.json"
        return report.model_metrics(load_json(path)) if path.is_file() else None

    number = name[:2]
    if number == "01" and counts:
        return f"{counts['images']:,} images in {len(counts['classes'])} classes"
    if number == "02" and counts:
        return f"{counts['training_images']:,} training / {counts['validation_images']:,} validation images"
    if number in ("03", "05") and (m := model("baseline" if number == "03" else "augmented")):
        return (f"validation accuracy {m['final']['val_accuracy']:.3f}, "
                f"{m['training'].get('step_ms', 0):.0f} ms per training step")
    if number == "04" and (m := model("baseline")):
        return f"widest train-validation gap {100 * m['gap']['widest']:.1f} points (epoch {m['gap']['widest_epoch']})"
    if number == "06" and (artifacts_dir / "litert.json").is_file():
        lite = load_json(artifacts_dir / "litert.json")
        return f"model.tflite {lite['bytes'] / 1e6:.1f} MB, largest difference from Keras {lite['max_abs_diff']:.1e}"
    return ""


def ran_every_cell(executed: Path) -> bool:
    """True when papermill finished every code cell of ``executed``.

    On Ctrl-C, nbclient shuts the kernel down and papermill may return without an
    error, so an executed notebook counts as a result only when no cell was left.
    """
    cells = nbformat.read(executed, as_version=4).cells
    return all(cell.metadata.get("papermill", {}).get("status") == "completed"
               for cell in cells if cell.cell_type == "code")


def failure_message(name: str, error: papermill.PapermillExecutionError, output: Path) -> str:
    """Which notebook and cell failed and why, in a few lines, without the traceback."""
    cells = nbformat.read(output, as_version=4).cells if output.is_file() else []
    # Papermill puts a note above the first cell, so look for the cell with the error output.
    failed = [cell for cell in cells if any(o.output_type == "error" for o in cell.get("outputs", []))]
    cell_id = failed[0].get("id") if failed else None
    where = f"cell [{error.exec_count}]" + (f" '{cell_id}'" if cell_id else "")
    message = "\n".join(str(error.evalue).splitlines()[:20])
    return (f"{name} failed in {where}: {error.ename}: {message}\n"
            f"The partly executed notebook, with the traceback: {output}")


def check_command_line(notebooks: Sequence[str], parameters: dict[str, object], dataset: str) -> None:
    """Stop before any notebook starts when a ``-p`` name is unknown or a value is bad, naming each one."""
    declared = set().union(*(papermill.inspect_notebook(NOTEBOOK_DIR / name) for name in NOTEBOOKS))
    unknown = sorted(set(parameters) - declared)
    if unknown:
        raise SystemExit(f"-p {', '.join(unknown)}: no notebook has such a parameter; "
                         f"they have {', '.join(sorted(declared))}.")
    checked = {name: value for name, value in parameters.items() if name in KNOWN_PARAMETERS}
    try:
        check_parameters(**{**checked, "dataset": dataset})
    except ParameterError as error:
        raise SystemExit(str(error)) from None


def main(argv: Sequence[str] | None = None) -> None:
    """Run the selected notebooks, print a line per notebook, and write the run report."""
    args = parse_args(argv)
    notebooks = select_notebooks(args.only)
    parameters = {name: parse_value(value) for name, value in args.parameter}
    if "artifacts_dir" in parameters:
        raise SystemExit("-p artifacts_dir: the runner keeps artifacts in DIR/artifacts; use --out DIR instead.")
    if args.render and parameters:
        raise SystemExit("--render renders the notebooks' own defaults; run without -p.")
    dataset = dataset_setting(args.dataset)
    check_command_line(notebooks, parameters, dataset)
    try:
        data_dir = resolve_dataset(dataset)
    except DatasetError as error:
        raise SystemExit(f"Data set: {error}") from None

    out = args.out.resolve()
    run_settings = {"profile": settings.profile(), "dataset": dataset, "parameters": parameters}
    seconds = prepare_out(out, run_settings, only=bool(args.only))
    artifacts_dir = out / "artifacts"
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    record = {"status": "running", "started": started, "settings": run_settings, "seconds": seconds}
    save_json(out / RUN_FILE, record)

    # The kernels inherit these; the notebooks' parameter cells read them (see settings.py).
    os.environ["FLOWERS_DATASET"] = dataset
    os.environ["FLOWERS_ARTIFACTS"] = os.path.relpath(artifacts_dir, NOTEBOOK_DIR)
    counts = report.count_images(data_dir, parameters.get("validation_split", 0.2))
    print(f"Profile {settings.profile()}, data set {dataset}: {counts['images']:,} images; output {out}")

    bar = tqdm(total=len(notebooks), unit="notebook", desc="Tutorial", position=0)
    for name in notebooks:
        output = out / "notebooks" / name
        declared = papermill.inspect_notebook(NOTEBOOK_DIR / name)
        wanted = {key: value for key, value in parameters.items() if key in declared}
        try:
            seconds[name[:-6]] = round(run_notebook(
                NOTEBOOK_DIR / name, output, wanted,
                progress_bar={"desc": name[:-6], "position": 1, "leave": False},
            ), 1)
            problem = None if ran_every_cell(output) else "interrupted"
        except KeyboardInterrupt:
            problem = "interrupted"
        except papermill.PapermillExecutionError as error:
            # Ctrl-C can reach the kernel too, and come back as the cell's KeyboardInterrupt.
            problem = "interrupted" if error.ename == "KeyboardInterrupt" else failure_message(name, error, output)
        except Exception as error:  # nbclient's DeadKernelError and the like: the kernel went away
            problem = f"{name} stopped, the kernel gone or the notebook unwritable: {type(error).__name__}: {error}"
        if problem:
            bar.close()
            record.update(status="interrupted" if problem == "interrupted" else "failed", failed_notebook=name)
            save_json(out / RUN_FILE, record)
            if problem == "interrupted":
                raise SystemExit(f"\nInterrupted in {name}; the run in {out} is marked unfinished, "
                                 "and the next run there starts clean.")
            raise SystemExit("\n" + problem)
        tqdm.write(f"{name:<32} {seconds[name[:-6]]:7.1f} s  {headline(name, artifacts_dir, counts)}")
        if args.render:
            shutil.copyfile(output, NOTEBOOK_DIR / name)
            tidy(NOTEBOOK_DIR / name)
        bar.update(1)
    bar.close()

    finished = datetime.now(timezone.utc).isoformat(timespec="seconds")
    record.update(status="complete", finished=finished)
    run = {**run_settings, "status": "complete", "started": started, "finished": finished,
           "notebooks": [name[:-6] for name in notebooks], "seconds": seconds,
           "total_seconds": round(sum(seconds.values()), 1)}
    report.write(out, report.collect(artifacts_dir, run, counts))
    save_json(out / RUN_FILE, record)
    print(f"Total {sum(seconds.values()):.1f} s. Read {out / 'report.md'} first.")


if __name__ == "__main__":
    main()

# Two commands do everything on a fresh clone (see README.md):
#   make tutorial   run the six notebooks top to bottom on the real data set
#   make test       run every test (unit tests + the notebooks under nbval, quick profile)
# Both build the local virtual environment .venv from requirements.txt when it is missing.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: tutorial test render links clean-artifacts

# A relative FLOWERS_DATASET folder is made absolute here, for the runner and the notebooks alike.
ifneq ($(wildcard $(FLOWERS_DATASET)),)
export FLOWERS_DATASET := $(abspath $(FLOWERS_DATASET))
endif

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## Run the whole tutorial with papermill into runs/latest/: executed notebooks, artifacts, metrics.json, report.md.
tutorial: $(STAMP)
	$(PY) -m flowers_helpers.run

## Every test, offline, in the quick profile (embedded sample data, 2 epochs).
test: $(STAMP)
	cd notebooks && rm -rf artifacts/smoke
	FLOWERS_PROFILE=smoke $(PY) -m pytest tests notebooks --nbval-lax -p no:cacheprovider

## Re-render the committed notebooks from a full run (set FLOWERS_DATASET to a local copy when offline).
render: $(STAMP)
	$(PY) -m flowers_helpers.run --render --out runs/render

## Rewrite the Colab/GitHub links and the Colab set-up cell from flowers_helpers/links.py.
links: $(STAMP)
	$(PY) -m flowers_helpers.links

clean-artifacts:
	rm -rf notebooks/artifacts runs

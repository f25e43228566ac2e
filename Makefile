# Two commands on a fresh machine:  `make report`  and  `make test`.
# Both create .venv and install kpibook with its pinned dependencies the first time.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Jupyter refuses to start as root unless told; containers and fresh VMs often are root.
ROOT_OK := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: report test check bench lab clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (kpibook)" >/dev/null
	touch $(STAMP)

report: $(STAMP)          ## the half-year report(s) of the sample data into reports/
	$(BIN)/kpibook run

test: $(STAMP)            ## lint, types, then the whole test suite
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 -q

check: $(STAMP)           ## validate the sample data set
	$(BIN)/kpibook check

bench: $(STAMP)           ## batch benchmark (several minutes)
	$(BIN)/python bench/batch.py

lab: $(STAMP)             ## JupyterLab at the project root (installs it the first time)
	$(BIN)/python -m pip install --quiet -e '.[lab]'
	$(BIN)/jupyter lab --ip 127.0.0.1 --ServerApp.root_dir=. \
	    --LabApp.default_url=/lab/tree/notebooks/report.ipynb \
	    --ContentsManager.pre_save_hook=helpers.run.lab.keep_committed_form $(ROOT_OK)

clean:
	rm -rf $(VENV) reports/*/

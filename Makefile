# Two commands for a new user (see README.md):
#   make course   build a virtual environment, install, run the main job on the bundled defaults
#   make test     run the test suite (what CI runs)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: course test lab bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

course: $(STAMP)
	$(BIN)/cosmodrome tour --out build/

test: $(STAMP)
	$(BIN)/python -m pytest -n auto -q

lab: $(STAMP)
	$(BIN)/jupyter lab lessons/

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_core.py
	$(BIN)/python benchmarks/bench_ascent.py
	$(BIN)/python benchmarks/bench_tracking.py

clean:
	rm -rf build/ .pytest_cache .hypothesis

# Two commands for a new user (see README.md):
#   make course   build a virtual environment, install, run the main job on the bundled defaults
#   make test     run the linters and the test suite (what CI runs)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: course test lint lab lab-teacher bench pictures clean sandbox browser

# $(call apt_install,COMMAND,PACKAGE,WHY): install PACKAGE with apt-get when COMMAND is missing
# and we are root; otherwise say how.
define apt_install
	@command -v $(1) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing $(2) ($(3))"; \
	    (apt-get install -y -qq $(2) >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null && apt-get install -y -qq $(2) >/dev/null)); \
	  else \
	    echo "note: $(2) is not installed; $(3) needs it (sudo apt-get install $(2))"; \
	  fi; }
endef

# The class grader runs student notebooks inside bubblewrap (Debian package
# "bubblewrap"). Installed here when we are root with apt-get; otherwise say how.
sandbox:
	$(call apt_install,bwrap,bubblewrap,the grader's sandbox)

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The browser test drives JupyterLab in Debian's Chromium through Playwright
# (pip), so no browser is downloaded. Installed here when we are root with apt-get.
browser:
	$(call apt_install,chromium,chromium,the browser test)

course: $(STAMP) sandbox
	$(BIN)/cosmodrome course build --out build/

# ruff (its rules in pyproject.toml) and mypy (the package's annotations: it ships py.typed). `make test`
# runs this first, so a lint or type error fails CI.
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src/cosmodrome

test: $(STAMP) sandbox browser lint
	$(BIN)/python -m pytest -n auto -q

# JupyterLab as the project starts it: without its news and update pop-up. jupyter-config/ holds
# the page config that disables JupyterLab's announcements plugin (JupyterLab docs, "Announcements");
# a wheel install puts the same file in the environment's etc/jupyter/labconfig/page_config.d/.
LAB := JUPYTER_CONFIG_PATH=$(CURDIR)/jupyter-config $(BIN)/jupyter lab

# Students: the student copies (no solutions), written fresh to build/student/.
lab: $(STAMP)
	$(BIN)/cosmodrome release --lessons lessons/ --out build/student/
	$(LAB) build/student/

# Teachers: the lessons themselves, with their solutions.
lab-teacher: $(STAMP)
	$(LAB) lessons/

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_core.py
	$(BIN)/python benchmarks/bench_ascent.py
	$(BIN)/python benchmarks/bench_tracking.py
	$(BIN)/python benchmarks/bench_grading.py
	$(BIN)/python benchmarks/bench_lessons.py
	$(BIN)/python benchmarks/bench_worksheets.py
	$(BIN)/python benchmarks/bench_course.py
	$(BIN)/python benchmarks/bench_summary.py

# The README's picture, redrawn from the current simulator (a test says when it is stale).
pictures: $(STAMP)
	$(BIN)/python -c "from cosmodrome.tour import README_PICTURE, write_readme_picture; write_readme_picture(README_PICTURE)"

clean:
	rm -rf build/ .pytest_cache .hypothesis

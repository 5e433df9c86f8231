# The two commands a new user needs:
#   make study   run the whole study on the bundled sample articles, write figures/ and outputs/
#   make test    lint and run the test suite (CI runs exactly this, see .ci/run)
# and two real studies out of the box (data/examples/):
#   make example           the provincial panel: 31 provinces' Government Work Reports,
#                          2003-2025, figures in figures/examples/gwr_provincial/
#   make example-national  the 52 national Government Work Reports, 1954-2025, figures in
#                          figures/examples/gwr_national/
# Both create .venv and install the package (editable, with its dev extra) on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: study example example-national test lint notebooks clean-cache help

help:
	@echo "make study      run the study on data/samples (study.toml), write figures/ and outputs/"
	@echo "make example    the provincial panel: 31 provinces' work reports, 2003-2025 (data/examples/provincial.toml)"
	@echo "make example-national  the 52 national Government Work Reports, 1954-2025 (data/examples/national.toml)"
	@echo "make test       ruff + pytest (what CI runs)"
	@echo "make notebooks  execute the three notebooks with papermill into outputs/notebooks/"
	@echo "make clean-cache  delete the stage cache (.cache/)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

study: $(STAMP)
	$(BIN)/policytopics run

example: $(STAMP)
	$(BIN)/policytopics run --study data/examples/provincial.toml

example-national: $(STAMP)
	$(BIN)/policytopics run --study data/examples/national.toml

lint: $(STAMP)
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest

notebooks: $(STAMP)
	mkdir -p outputs/notebooks
	for nb in notebooks/0*.ipynb; do \
	  $(BIN)/papermill --cwd notebooks "$$nb" "outputs/notebooks/$$(basename $$nb)" || exit 1; \
	done

clean-cache:
	rm -rf .cache

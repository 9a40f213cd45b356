# parity's own tasks. A fresh machine needs only python3 and make.
PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
EXAMPLE := examples/bankchurn
PARITY  := $(CURDIR)/$(BIN)/parity
# Some shells set it; without bytecode caching every Python process recompiles
# what it imports (a test run then takes minutes longer).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test test-pythons lint bench setup lock clean

## demo: set parity up, then lock, sync and check examples/bankchurn and run its tests
demo: setup
	cd $(EXAMPLE) && $(PARITY) lock
	cd $(EXAMPLE) && $(PARITY) sync --group dev
	cd $(EXAMPLE) && $(PARITY) check
	cd $(EXAMPLE) && .venv/bin/python -m pytest

## test: set parity up and run its test suite (two workers: the tests are independent)
test: setup
	$(BIN)/python -m pytest -q -n 2

## test-pythons: the test suite again on the oldest and newest supported Pythons
# Each gets its own venv (.venv-3.10, .venv-3.13) from parity's own hash-pinned
# lock; the interpreters are found where pyenv, asdf, uv or the OS put them.
TEST_PYTHONS ?= 3.10 3.13
test-pythons: setup
	@set -e; for v in $(TEST_PYTHONS); do \
		exe=$$($(BIN)/python -c "from parity.interpreters import find_interpreter; print(find_interpreter('$$v').path)"); \
		UV_PYTHON_DOWNLOADS=never $(BIN)/uv venv --quiet --allow-existing --python "$$exe" $(VENV)-$$v; \
		$(BIN)/uv pip sync --quiet --python $(VENV)-$$v/bin/python --require-hashes requirements-dev.txt; \
		$(BIN)/uv pip install --quiet --python $(VENV)-$$v/bin/python --no-deps -e .; \
		echo "== Python $$v"; \
		$(VENV)-$$v/bin/python -m pytest -q -p no:cacheprovider -n 2; \
	done

## lint: ruff, mypy --strict and the layer contract (import-linter)
lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

## bench: parity against uv (and pip-tools, Poetry), whole processes, interleaved pairs
# BENCH_ARGS="--full --markdown docs/bench.md" regenerates docs/bench.md (about 20 min).
bench: setup
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

## lock: re-lock parity's own development environment with parity
lock: setup
	$(PARITY) lock

# Bootstrap: pip installs only uv (hash-pinned, from parity's own lock); uv
# installs parity's runtime; then parity syncs its own environment from its
# own lockfile.
setup: $(VENV)/.parity-setup
$(VENV)/.parity-setup: requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || { \
		awk '/^uv==/ {keep=1; print; next} keep && /^[[:space:]]/ {print; next} {keep=0}' \
			requirements-dev.txt > $(VENV)/uv-pin.txt && \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
			--no-deps -r $(VENV)/uv-pin.txt; }
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(PARITY) sync --group dev
	touch $@

clean:
	rm -rf $(VENV) $(VENV)-3.* $(EXAMPLE)/.venv .pytest_cache .mypy_cache .ruff_cache

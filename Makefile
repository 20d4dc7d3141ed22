# Two commands do all set-up on a fresh machine:
#   make run   -> venv, install, index if stale, serve on http://127.0.0.1:8000
#   make test  -> the same set-up, then the whole test suite
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test install system-deps index eval bench cluster clean

run: install index
	$(BIN)/vixshield serve

test: install system-deps index
	$(BIN)/pytest -q

# torch is pinned to the CPU build that lies on disk; it is installed in the same
# pip call as everything else so nothing can pull a CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q torch==2.13.0 -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the widget's browser tests; PostgreSQL 15, Redis 7 and nginx for the
# scale-out tests and `make cluster` (the tests start their own on free ports in temp folders).
system-deps:
	@{ command -v chromium >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1 \
	  && command -v nginx >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	     chromium fonts-dejavu-core postgresql redis-server nginx >/dev/null) \
	  || echo "warning: could not install chromium/postgresql/redis-server/nginx; those tests will be skipped"; }

index: install
	$(BIN)/vixshield index build

eval: install index
	$(BIN)/python scripts/eval_retrieval.py

bench: install index
	$(BIN)/python scripts/bench_calculators.py
	$(BIN)/python scripts/bench_retrieval.py
	$(BIN)/python scripts/bench_api.py
	$(BIN)/python scripts/bench_ask.py
	$(BIN)/python scripts/bench_cluster.py

# PostgreSQL + Redis + three replicas + nginx on http://127.0.0.1:8080 (scripts/cluster.sh).
cluster: install system-deps index
	scripts/cluster.sh

clean:
	rm -rf $(VENV) index/current index/build-*

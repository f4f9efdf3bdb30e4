# Two commands on a fresh machine:  `make run`  and  `make test`.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
DB      ?= var/landscape.duckdb
MIRROR  ?= ../shared/mirror
HOST    ?= 127.0.0.1
PORT    ?= 8501

.PHONY: run test venv dev-venv db refresh refresh-mirror snapshot bench browser clean serve nginx

$(BIN)/.installed: requirements.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.dev-installed: requirements.txt requirements-dev.txt $(BIN)/.installed
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed
dev-venv: $(BIN)/.dev-installed

# allocator settings of an app server: tools/server_env.py (a value set in the environment wins)
SERVER_ENV := MALLOC_ARENA_MAX=$${MALLOC_ARENA_MAX:-2} ARROW_DEFAULT_MEMORY_POOL=$${ARROW_DEFAULT_MEMORY_POOL:-system}

## run: build the database from the bundled snapshot if missing, then serve the app
run: venv
	$(BIN)/python -m etl build --db $(DB) --if-stale
	-$(BIN)/python -m landscape --db $(DB) precompute  # an optimisation: a failure never stops the app
	@# a first visitor must not pay the new process's imports and caches: one session opens every page
	@# once the server is healthy (tools/warm.py), in the background; the server answers throughout
	$(BIN)/python -m tools.warm --host $(HOST) --port $(PORT) & \
	$(SERVER_ENV) LANDSCAPE_DB=$(DB) exec $(BIN)/streamlit run app.py --server.address $(HOST) --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

## serve: REPLICAS Streamlit replicas behind nginx on PORT (see README "Serving a team")
REPLICAS ?= 2
serve: venv nginx
	REPLICAS=$(REPLICAS) PORT=$(PORT) LANDSCAPE_DB=$(or $(LANDSCAPE_DB),$(DB)) $(BIN)/python -m tools.serve

## test: install dev deps, make sure a Chromium and nginx exist, run the whole suite
test: dev-venv browser nginx
	$(BIN)/python -m pytest $(PYTEST_ARGS)

browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ] && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); then :; \
	elif [ "$${LANDSCAPE_ALLOW_NO_BROWSER:-}" = "1" ]; then echo "no Chromium: browser tests will be skipped (LANDSCAPE_ALLOW_NO_BROWSER=1)"; \
	else echo "Chromium not found and could not be installed: run 'apt-get install chromium' as root," \
	  "or set LANDSCAPE_ALLOW_NO_BROWSER=1 to skip the browser tests on purpose"; exit 1; fi

nginx:
	@if [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null) \
	  || echo "could not install nginx: serving tests will fail (LANDSCAPE_ALLOW_NO_NGINX=1 skips them)"; \
	else echo "nginx not found: install Debian's 'nginx' package (make serve and the serving tests need it)"; fi

## db: rebuild the database from the bundled snapshot
db: venv
	$(BIN)/python -m etl build --db $(DB)
	-$(BIN)/python -m landscape --db $(DB) precompute  # an optimisation: a failure never stops the app

## refresh: fetch live sources (or MIRROR=dir make refresh-mirror) and publish
refresh: venv
	$(BIN)/python -m etl refresh --db $(DB)
	-$(BIN)/python -m landscape --db $(DB) precompute  # an optimisation: a failure never stops the app

refresh-mirror: venv
	$(BIN)/python -m etl refresh --mirror $(MIRROR) --db $(DB)
	-$(BIN)/python -m landscape --db $(DB) precompute  # an optimisation: a failure never stops the app

## snapshot: regenerate data/snapshot/ from ../shared/mirror
snapshot: venv
	$(BIN)/python -m etl snapshot --mirror $(MIRROR)

bench: dev-venv
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var test-output .pytest_cache

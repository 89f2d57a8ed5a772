# figgen: `make figures` sets everything up (venv, install) and builds every figure.
#
# GPU users: pick the torch build that matches your CUDA, e.g.
#   make figures TORCH="torch==2.5.1 --index-url <your CUDA wheel index>"
# The default is the CPU build, so a CPU machine never downloads gigabytes of CUDA.

PYTHON ?= python3
TORCH  ?= torch==2.13.0
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HUGO   := $(BIN)/hugo
FIGGEN := $(BIN)/figgen
ARGS   ?=
SERVE_ARGS ?=
HERE   := $(dir $(abspath $(lastword $(MAKEFILE_LIST))))

.PHONY: all install figures check test site serve bench clean distclean

all: figures

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(TORCH)
	# compat mode: a plain path in a .pth file, cheaper at start-up than an import hook
	$(BIN)/python -m pip install --quiet -e ".[dev]" --config-settings editable_mode=compat
	@touch $(STAMP)

install: $(STAMP)

figures: $(STAMP)
	$(FIGGEN) build $(ARGS)

check: $(STAMP)
	$(FIGGEN) check

test: $(STAMP)
	scripts/install-chromium.sh
	$(BIN)/python -m pytest $(ARGS)

site: figures
	cd site && ../$(HUGO) --minify --panicOnWarning --cleanDestinationDir

# Ctrl-C stops both servers and exits 0 (scripts/serve.py). SERVE_ARGS go to hugo server.
serve: figures
	@exec $(BIN)/python $(HERE)scripts/serve.py $(abspath $(FIGGEN)) $(abspath $(HUGO)) site $(SERVE_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py $(ARGS)

clean: $(STAMP)
	$(FIGGEN) clean
	rm -rf site/public site/resources

distclean: clean
	rm -rf $(VENV)

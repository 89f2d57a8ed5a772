# figgen: `make figures` sets everything up (venv, install) and builds every figure.
#
# torch: the default is the CPU build, so a CPU machine never downloads gigabytes of CUDA.
# On a CUDA machine (on a fresh clone, or after `make distclean`: an existing .venv is kept):
#   make figures TORCH="torch==2.13.0 --index-url https://download.pytorch.org/whl/cu130"
#       downloads the CUDA build of that index (pick the one that matches the driver);
#   make figures TORCH=system
#       uses the torch already installed for $(PYTHON) (often a CUDA build): the venv sees the
#       system's packages, nothing is downloaded that is already there.

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

.PHONY: all install figures check test test-fast site serve lighthouse bench clean distclean

all: figures

ifeq ($(TORCH),system)
$(STAMP): pyproject.toml course/requirements.txt
	@$(PYTHON) -c "import torch" 2>/dev/null || { echo "make: TORCH=system, but $(PYTHON) has no torch"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv --system-site-packages $(VENV)
	@grep -q "include-system-site-packages = true" $(VENV)/pyvenv.cfg || \
		{ echo "make: TORCH=system, but $(VENV) was made without the system's packages: make distclean first"; exit 1; }
	@$(BIN)/python -c "import torch; print('torch', torch.__version__, '(system), CUDA:', torch.cuda.is_available())"
else
$(STAMP): pyproject.toml course/requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(TORCH)
endif
	# compat mode: a plain path in a .pth file, cheaper at start-up than an import hook
	$(BIN)/python -m pip install --quiet -e ".[dev]" --config-settings editable_mode=compat
	# the course's own requirements (figgen itself needs neither torch nor scikit-learn)
	$(BIN)/python -m pip install --quiet -r course/requirements.txt
	@touch $(STAMP)

install: $(STAMP)

figures: $(STAMP)
	$(FIGGEN) build $(ARGS)

check: $(STAMP)
	$(FIGGEN) check

# The whole suite: CI's run and README's second command. Two pytest-xdist workers, a test file
# each at a time (its module fixtures are built once; builds of the same project wait on its
# lock); then, by themselves, the tests that measure what the machine's load changes (`alone`).
test: $(STAMP)
	scripts/install-strace.sh
	scripts/install-chromium.sh
	scripts/install-lighthouse.sh
	$(BIN)/python -m pytest -m "not alone" -n 2 --dist loadfile $(ARGS)
	$(BIN)/python -m pytest -m alone $(ARGS) || [ $$? -eq 5 ]  # 5: ARGS selected none of them

# What a developer runs after each edit (under 2 minutes on 2 cores): unit tests and tinyproject
# end to end; no course training, no Hugo build of the course, no browser (tests/tiers.py). Two
# pytest-xdist workers, a test file each at a time (its module fixtures are built once).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not course and not browser and not slow" --timeout=120 -n 2 --dist loadfile $(ARGS)

site: figures
	$(FIGGEN) check
	cd site && ../$(HUGO) --minify --panicOnWarning --cleanDestinationDir

# Ctrl-C stops both servers and exits 0 (scripts/serve.py). SERVE_ARGS go to hugo server.
serve: figures
	@exec $(BIN)/python $(HERE)scripts/serve.py $(abspath $(FIGGEN)) $(abspath $(HUGO)) site $(SERVE_ARGS)

# Lighthouse (mobile and desktop presets) on every page of the built site: a table of scores
# and page weights. Node and the pinned Lighthouse are installed into .tools/ on first use.
lighthouse: site
	scripts/install-chromium.sh
	scripts/install-lighthouse.sh
	$(BIN)/python tests/lighthouse.py site/public

bench: $(STAMP)
	$(BIN)/python bench/run.py $(ARGS)

clean: $(STAMP)
	$(FIGGEN) clean
	rm -rf site/public site/resources

distclean: clean
	rm -rf $(VENV) .tools

# The two set-up commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run demo test lint bench clean system-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# The demo ledger lives under .venv, not in the user's data directory.
DEMO := KUAJING_DATABASE_URL=sqlite:///$(CURDIR)/$(VENV)/demo/ledger.sqlite3 \
        KUAJING_KEY_FILE=$(CURDIR)/$(VENV)/demo/ledger.key

# The service at http://$(HOST):$(PORT) with the sample organisations (a demo database under
# .venv). Another port: `make run PORT=8080`; a taken one is refused before the sample loads.
HOST ?= 127.0.0.1
PORT ?= 8000
run: $(STAMP)
	$(DEMO) $(BIN)/kuajing serve --host $(HOST) --port $(PORT) --sample examples

# The command line on the examples: assess, scan, record and the ledger's status. The batch is
# the clinical trial's (transfer trial-data of the request): scanned and recorded as 临床试验.
demo: $(STAMP)
	$(BIN)/kuajing assess examples/beijing-pharma.yaml --lang en
	$(BIN)/kuajing assess examples/beijing-pharma.yaml --lang zh
	$(BIN)/kuajing scan examples/trial-batch.csv --zone beijing --scenario 临床试验 \
	  --date 2026-02-10 --lang en
	$(DEMO) $(BIN)/kuajing ledger record --processor "Example Pharma (Beijing) Co., Ltd." \
	  --date 2026-02-10 --file examples/trial-batch.csv \
	  --scenario 临床试验 --recipient "Sponsor GmbH" --lang en
	$(DEMO) $(BIN)/kuajing ledger status --processor "Example Pharma (Beijing) Co., Ltd." \
	  --as-of 2026-03-01 --lang en
	$(DEMO) $(BIN)/kuajing assess examples/beijing-pharma.yaml \
	  --ledger "Example Pharma (Beijing) Co., Ltd." --lang en

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# Debian packages the tests need: a PostgreSQL server (the ledger is tested on it too),
# Chromium (the browser tests in tests/web drive /usr/bin/chromium with Playwright), the fonts
# filing PDFs embed (Droid Sans Fallback for Chinese, DejaVu for Latin), pdftotext, and
# Tesseract with its Simplified Chinese data (the second OCR engine, compared in bench/ocr.py),
# and a Java runtime for Spark (tests/spark start a standalone cluster on this machine).
# Only the missing ones are installed, after a single apt-get update.
system-deps:
	@PKGS=; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || PKGS="$$PKGS postgresql"; \
	[ -x /usr/bin/chromium ] || PKGS="$$PKGS chromium"; \
	[ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || PKGS="$$PKGS fonts-droid-fallback"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || PKGS="$$PKGS fonts-dejavu-core"; \
	command -v pdftotext >/dev/null || PKGS="$$PKGS poppler-utils"; \
	tesseract --list-langs 2>/dev/null | grep -qx chi_sim || PKGS="$$PKGS tesseract-ocr tesseract-ocr-chi-sim"; \
	command -v java >/dev/null || PKGS="$$PKGS default-jre-headless"; \
	[ -z "$$PKGS" ] || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$PKGS; }

# The slowest tests are listed at the end, to keep the suite's time in view (under 45 min).
test: lint system-deps
	$(BIN)/pytest --durations=25

# presidio-analyzer (MIT) is the scan benchmark's baseline only, so it is not in pyproject.
bench: $(STAMP)
	$(BIN)/pip install -q presidio-analyzer || echo "presidio-analyzer not installed: bench/scan.py skips its comparison"
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/whatif.py
	$(BIN)/python bench/register.py
	$(BIN)/python bench/ledger.py
	$(BIN)/python bench/scan.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/workdays.py
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/ocr.py
	$(BIN)/python bench/startup.py
	@if $(BIN)/python -c "import pyspark" 2>/dev/null; then $(BIN)/python bench/spark.py; \
	else echo "pyspark not installed: bench/spark.py skipped (pip install 'kuajing[spark]')"; fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# make test runs vet and the whole suite. The PostgreSQL suite runs when
# AIDBRIDGE_TEST_POSTGRES holds a URL, the browser suite when Chromium is
# installed; under AIDBRIDGE_REQUIRE_ALL=1 a suite that cannot run fails.

GO ?= go
CHROMIUM ?= $(shell command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null)

.PHONY: test vet build run suites

test: vet suites
	$(GO) test -count=1 -timeout 50m ./...

vet:
	$(GO) vet ./...

suites:
	@echo "== SQLite suite: runs"
	@if [ -n "$$AIDBRIDGE_TEST_POSTGRES" ]; then echo "== PostgreSQL suite: runs on $$AIDBRIDGE_TEST_POSTGRES"; \
	 else echo "== PostgreSQL suite: SKIPPED (set AIDBRIDGE_TEST_POSTGRES=postgres://... to run it)"; fi
	@if [ -n "$(CHROMIUM)" ]; then echo "== Browser suite: runs with $(CHROMIUM)"; \
	 else echo "== Browser suite: SKIPPED (install Debian's chromium package to run it)"; fi
	@if command -v pdftotext >/dev/null 2>&1; then echo "== PDF suite: runs"; \
	 else echo "== PDF suite: SKIPPED (install Debian's poppler-utils package to run it)"; fi

build:
	$(GO) build -o aidbridge ./cmd/aidbridge

run:
	$(GO) run ./cmd/aidbridge serve --demo

# make crash runs the crash suite's long form: the program killed with
# SIGKILL CRASH_KILLS times per database under a write-heavy mix, every
# acknowledged write and every invariant checked after each restart.
CRASH_KILLS ?= 200
.PHONY: crash
crash:
	AIDBRIDGE_CRASH_KILLS=$(CRASH_KILLS) $(GO) test -count=1 -timeout 60m -run '^TestCrash$$' -v ./cmd/aidbridge/

# make load runs the two-instance load suite's long form on PostgreSQL
# (AIDBRIDGE_TEST_POSTGRES) for LOAD_SECONDS.
LOAD_SECONDS ?= 60
.PHONY: load
load:
	AIDBRIDGE_LOAD_SECONDS=$(LOAD_SECONDS) $(GO) test -count=1 -timeout 50m -run '^TestTwoInstanceLoad$$' -v ./cmd/aidbridge/

# make fuzz runs every fuzz target for FUZZTIME each (their seed corpora run
# in make test as ordinary tests).
FUZZTIME ?= 30s
.PHONY: fuzz
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for target in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$target"; \
	    $(GO) test $$pkg -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) || exit 1; \
	  done; \
	done

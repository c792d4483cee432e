# Kluis: `make run` and `make test` do all the set-up a fresh Debian 12
# machine needs (apt packages via sudo when not root, npm packages,
# tauri-driver), then build and run. See README.md.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Tauri's build dependencies (../shared/notes/tauri-on-debian.md, section 1).
APT_BUILD := libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev \
             libayatana-appindicator3-dev librsvg2-dev pkg-config xdg-utils
# What the app needs at run time beyond WebKit: colour emoji (citizens use
# them in about one message in ten; without the font they show as boxes).
# GStreamer's base and good plugins play the voice notes (Ogg Opus) and
# other audio and video in the reading pane.
APT_RUN := fonts-noto-color-emoji gstreamer1.0-plugins-base gstreamer1.0-plugins-good
# The real app under a virtual display, driven over WebDriver; the
# archivist's own tools, which must accept Kluis's packages; faketime.
# xclip reads the clipboard as another program would.
APT_TEST := xvfb xauth webkit2gtk-driver dbus age minisign libxml2-utils python3-venv faketime xclip
LOGS := target/test-logs

.PHONY: help run test bench bench-smoke fuzz deps deps-test ui app app-e2e lint test-rust test-ui test-e2e clean

# The benchmark harness and its peers live beside the project (../shared/bench).
BENCH_DIR ?= ../shared/bench

help:
	@echo "make run    install what is missing, build, and open Kluis (demo data without a vault)"
	@echo "make test   install test tools, then lint and run every Rust, UI and end-to-end test"
	@echo "make bench  the parser against the public peers, the field check, the vault's store and unlock, import of a month, sealing a day (not part of test)"
	@echo "make fuzz   ten minutes of libFuzzer on the parser and the zip reader (not part of test)"

## Set-up ---------------------------------------------------------------------

deps:
	@scripts/ensure-tools.sh
	@scripts/ensure-apt.sh $(APT_BUILD) $(APT_RUN)
	@$(MAKE) --no-print-directory node_modules/.package-lock.json

deps-test: deps
	@scripts/ensure-apt.sh $(APT_TEST)
	@scripts/ensure-tauri-driver.sh
	@scripts/ensure-bagit.sh > /dev/null

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

## Build ----------------------------------------------------------------------

ui: deps
	npm run build

# Debug build with the UI embedded (the `custom-protocol` feature is default),
# and the command line beside it: what users run, without the tests' doors.
app: ui
	cargo build -p kluis-app -p kluis-cli

# The same with the tests' doors (test-hooks: a clock the tests move, logind
# on the session bus, the web inspector), for the end-to-end tests only.
app-e2e: ui
	cargo build -p kluis-app -p kluis-cli --features kluis-app/test-hooks,kluis-cli/test-hooks

run: app
	./target/debug/kluis-app

## Test -----------------------------------------------------------------------

lint: deps
	cargo fmt --all -- --check
	npm run check
	cargo clippy --workspace --all-targets --features kluis-seal/interop,kluis-cli/interop -- -D warnings

# `interop` adds the tests against the archivist's tools (bagit.py, age,
# minisign, xmllint), which deps-test installs.
test-rust: ui
	@mkdir -p $(LOGS)
	KLUIS_BAGIT_PY="$$(scripts/ensure-bagit.sh)" \
	  cargo test --workspace --features kluis-seal/interop,kluis-cli/interop --no-fail-fast 2>&1 | tee $(LOGS)/rust.log

test-ui: deps
	@mkdir -p $(LOGS)
	npm run test:ui 2>&1 | tee $(LOGS)/ui.log

test-e2e: deps-test app-e2e
	@mkdir -p $(LOGS)
	tests/e2e/run.sh 2>&1 | tee $(LOGS)/e2e.log

# Every benchmark whose parts are in this repository, once, at a tiny size
# on a debug build: one that breaks fails the tests the day it breaks. The
# figures stay out of the tests (make bench prints them).
bench-smoke: deps-test
	@mkdir -p $(LOGS)
	scripts/bench-smoke.sh 2>&1 | tee $(LOGS)/bench-smoke.log

test: deps-test
	@rm -rf $(LOGS)
	$(MAKE) --no-print-directory ui
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-rust
	$(MAKE) --no-print-directory test-ui
	$(MAKE) --no-print-directory test-e2e
	$(MAKE) --no-print-directory bench-smoke
	@scripts/summary.sh $(LOGS)

## Benchmark (figures, not a test: this machine is shared and noisy) ---------

# Peers, sizes and runs can be narrowed as run_peers.sh documents, e.g.
# make bench SIZES=1000000 TOOLS="cat whatsapp-chat-parser kluis" RUNS=3
bench:
	cargo build --release -p kluis-cli
	scripts/bench-fields.sh
	KLUIS_CMD='$(CURDIR)/target/release/kluis parse --count {file}' $(BENCH_DIR)/run_peers.sh
	BENCH_DIR=$(BENCH_DIR) scripts/bench-vault.sh
	BENCH_DIR=$(BENCH_DIR) scripts/bench-import.sh
	scripts/bench-seal.sh

## Fuzzing --------------------------------------------------------------------

FUZZ_SECONDS ?= 300

fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
	scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	cargo clean
	rm -rf ui/dist node_modules

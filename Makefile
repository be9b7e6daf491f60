# gongzhi: the few commands a person needs. Each target is a thin wrapper around a script in
# scripts/ or bench/, so CI and people run the same thing. See README.md and docs/testing.md.
#
#   make run     install what is missing, build, start the demo server on http://127.0.0.1:8080
#   make test    install what is missing, build (Release and ASan+UBSan), run every test suite;
#                ends with "N passed, N failed"
#   make build   the Release binary at build/gongzhi
#   make bench   wrk scenarios and micro-benchmarks; writes bench/results/<date>-<sha>.md
#   make setup   install the Debian and npm packages that are missing (scripts/setup)
#   make clean   remove the build folders (keeps var/, the data)
#
# Variables: JOBS (parallel jobs, default: cores), LISTEN (default 127.0.0.1:8080),
# DATA_DIR (default var), BUILD_DIR (default build).

SHELL := /bin/bash
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
BENCH_DIR ?= build-bench
DATA_DIR ?= var
LISTEN ?= 127.0.0.1:8080
export JOBS BUILD_DIR ASAN_DIR BENCH_DIR

.DEFAULT_GOAL := help
.PHONY: help setup build run test bench check-layering clean clean-data

help:
	@sed -n '1,15p' Makefile | sed 's/^# \{0,1\}//'

setup:
	@scripts/setup

# The layering check runs first: a forbidden include fails the build.
build: setup
	@scripts/check-layering
	@scripts/build --dir $(BUILD_DIR) --type Release gongzhi
	@echo "build: binary at $(BUILD_DIR)/gongzhi"

# On first start with --demo the binary migrates the store, imports the demo county (420114 蔡甸区)
# and seeds demo data; a second run reuses $(DATA_DIR)/.
run: build
	@mkdir -p $(DATA_DIR)
	$(BUILD_DIR)/gongzhi serve --listen $(LISTEN) --data-dir $(DATA_DIR) --demo

test:
	@scripts/test

bench: setup
	@bench/run

check-layering:
	@scripts/check-layering

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(BENCH_DIR)

clean-data:
	rm -rf $(DATA_DIR)

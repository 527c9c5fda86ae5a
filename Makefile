# minigpt-lessons — the two commands of the quick start:
#   make run    installs what is missing, builds (release) and runs lesson 03 in the terminal
#   make test   installs what is missing, runs every test (Swift tests, GPU tests on lavapipe
#               with the Vulkan validation layer, and `check` over every lesson)
SHELL := /bin/bash
SWIFT ?= swift
LESSON ?= lessons/03-attention.md
BIN = .build/release/minigpt-lessons

.PHONY: run test build bootstrap check bench shaders clean

bootstrap:
	@scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build -c release --product minigpt-lessons

run: build
	$(BIN) run $(LESSON)

test: bootstrap
	MINIGPT_VULKAN_VALIDATION=1 $(SWIFT) test 2>&1 | tee .build-test.log; test $${PIPESTATUS[0]} -eq 0
	$(SWIFT) build -c release --product minigpt-lessons
	$(BIN) check lessons/
	$(BIN) check --lang pt-BR lessons/
	@scripts/test_summary.sh .build-test.log

check: build
	$(BIN) check lessons/
	$(BIN) check --lang pt-BR lessons/

bench: build
	$(BIN) bench --config tiny --mode train --threads 2
	$(BIN) bench --config small --mode train --threads 2
	$(BIN) bench --config tiny --mode generate --threads 2
	$(BIN) bench --config small --mode generate --threads 2
	$(BIN) bench --config gpt2 --mode generate --threads 2

shaders:
	scripts/compile_shaders.sh

clean:
	rm -rf .build

# A thin wrapper over meson: `make demo` and `make check` are the two commands that matter.
# CC=clang make check builds in its own folder (build-clang), so both compilers coexist.
ifeq ($(origin CC),default)
BUILD ?= build
MESON_ENV :=
else
BUILD ?= build-$(notdir $(firstword $(CC)))
MESON_ENV := CC="$(CC)"
endif
MESON_OPTS ?=

MESON_SETUP = if [ ! -f $(BUILD)/build.ninja ]; then $(MESON_ENV) meson setup $(BUILD) $(MESON_OPTS); fi

.PHONY: all deps setup build check demo bench install darwin-check clean

all: build

deps:
	@scripts/deps.sh

setup: deps
	@$(MESON_SETUP)

build: setup
	meson compile -C $(BUILD)

check: build
	meson test -C $(BUILD) --print-errorlogs

# only what the demo needs (scripts/deps.sh --demo) and runs: its program and the sample
# kext module it loads
demo:
	@scripts/deps.sh --demo
	@$(MESON_SETUP)
	@meson compile -C $(BUILD) examples/kctl-demo kext-sample/Sample
	@$(BUILD)/examples/kctl-demo

bench: build
	@$(BUILD)/bench/bench_stream
	@$(BUILD)/bench/bench_request

install: build
	meson install -C $(BUILD)

darwin-check:
	scripts/darwin-check.sh all

clean:
	rm -rf build build-*

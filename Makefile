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
# kext module it loads. On macOS, where the simulator's KPI shim is not built (kexts
# link against the real kernel there), the demo reads the real kernel instead: the
# registered controls (net.systm.kctl.reg_list needs no privilege) and utun's id.
# Written for a Mac and never run on one.
ifeq ($(shell uname -s),Darwin)
demo:
	@scripts/deps.sh --demo
	@$(MESON_SETUP)
	@meson compile -C $(BUILD) tools/kctl/kctl
	@echo "macOS: the kernel controls registered on this Mac (kctl list), then utun's id"
	@$(BUILD)/tools/kctl/kctl list
	@$(BUILD)/tools/kctl/kctl id com.apple.net.utun_control
else
demo:
	@scripts/deps.sh --demo
	@$(MESON_SETUP)
	@meson compile -C $(BUILD) examples/kctl-demo kext-sample/Sample
	@$(BUILD)/examples/kctl-demo
endif

# Benchmarks run in a release tree of their own (never the debug build tests use).
BENCH_BUILD ?= $(BUILD)-bench
bench:
	@scripts/deps.sh --bench
	@if [ ! -f $(BENCH_BUILD)/build.ninja ]; then $(MESON_ENV) meson setup $(BENCH_BUILD) \
		--buildtype=release -Dtests=false $(MESON_OPTS); fi
	meson compile -C $(BENCH_BUILD)
	@bench/run.sh $(BENCH_BUILD)

install: build
	meson install -C $(BUILD)

darwin-check:
	scripts/darwin-check.sh all

clean:
	rm -rf build build-*

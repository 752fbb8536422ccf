# The front door: `make demo`, `make test`, `make` (build), `make install`, `make clean`.
BUILD ?= build
ASAN_BUILD ?= build-asan
WERROR ?= OFF
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
ACVTRACK = $(CURDIR)/$(BUILD)/acvtrack
DEMO = $(BUILD)/demo

.PHONY: all build bootstrap install demo test test-sanitize fuzz bench clean format format-check check-layers

all: build

bootstrap:
	@./.ci/bootstrap

build:
	@cmake -S . -B $(BUILD) -DACV_WERROR=$(WERROR) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

# Installs bin/acvtrack, share/acvtrack/{indicators,scripts,plugins}, share/doc/acvtrack and
# share/man/man1/acvtrack.1 under PREFIX (DESTDIR is honoured for packaging). An existing build
# folder is reused as configured, so installing from it never rebuilds it with other options.
PREFIX ?= /usr/local
install:
	@test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) -DACV_WERROR=$(WERROR) >/dev/null
	@cmake --build $(BUILD) --target acvtrack -j$(JOBS)
	@cmake --install $(BUILD) --prefix $(PREFIX)
	@echo "install: $(DESTDIR)$(PREFIX)/bin/acvtrack, its framework, scripts and plugins in" \
		"$(DESTDIR)$(PREFIX)/share/acvtrack, docs in $(DESTDIR)$(PREFIX)/share/doc/acvtrack," \
		"man page acvtrack(1)"

SAMPLE = $(CURDIR)/indicators/sample
OVERLAY = $(CURDIR)/scripts/adaptations/demo-coastal-town
DEMO_CITIES = demo_capital_metro demo_secondary_city demo_coastal_town

demo: bootstrap build
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	@cd $(DEMO) && $(ACVTRACK) init
	@cd $(DEMO) && $(ACVTRACK) areas import $(SAMPLE)/areas.csv
	@cd $(DEMO) && $(ACVTRACK) import $(SAMPLE)/observations.csv
	@cd $(DEMO) && $(ACVTRACK) import $(SAMPLE)/observations-more.csv
	@cd $(DEMO) && $(ACVTRACK) --overlay $(OVERLAY) import $(OVERLAY)/local-observations.csv
	@cd $(DEMO) && for city in $(DEMO_CITIES); do \
		$(ACVTRACK) assess import $(SAMPLE)/assessment-$$city.yml | head -1 || exit $$?; done
	@cd $(DEMO) && $(ACVTRACK) score --area demo_capital_metro --year 2025
	@cd $(DEMO) && $(ACVTRACK) score --area demo_secondary_city --year 2025
	@cd $(DEMO) && $(ACVTRACK) --overlay $(OVERLAY) score --area demo_coastal_town --year 2025
	@cd $(DEMO) && for city in demo_capital_metro demo_secondary_city; do \
		for fmt in md html json csv; do \
		$(ACVTRACK) -q report --area $$city --format $$fmt -o report-$$city.$$fmt \
		|| exit $$?; done; done
	@cd $(DEMO) && for fmt in md html json csv; do \
		$(ACVTRACK) -q --overlay $(OVERLAY) report --area demo_coastal_town --format $$fmt \
		-o report-demo_coastal_town.$$fmt || exit $$?; done
	@cd $(DEMO) && for fmt in md html json csv; do \
		$(ACVTRACK) -q report --compare country:DEMO --year 2025 --format $$fmt \
		-o comparison.$$fmt 2>/dev/null || exit $$?; done
	@cp $(DEMO)/report-demo_capital_metro.md $(DEMO)/report.md
	@echo "demo: workspace $(DEMO)/acvtrack.db; reports $(DEMO)/report-*.{md,html,json,csv}," \
		"comparison of the three cities $(DEMO)/comparison.{md,html,json,csv}" \
		"(report.md is the capital metro's; open report-demo_capital_metro.html in a browser)"

test: bootstrap build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# The same tests built with AddressSanitizer and UndefinedBehaviorSanitizer.
test-sanitize: bootstrap
	@cmake -S . -B $(ASAN_BUILD) -DACV_WERROR=$(WERROR) -DACV_SANITIZE=ON \
		-DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)
	@cd $(ASAN_BUILD) && ctest --output-on-failure -j$(JOBS)

# The libFuzzer harnesses of tests/fuzz (docs/testing.md, "Fuzzers"), built with clang, ASan and
# UBSan in their own folder: each replays its corpus, then mutates for FUZZ_SECONDS; FUZZ_PARALLEL
# targets run at a time. Skips only when no package can provide clang's libFuzzer runtime.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_PARALLEL ?= 1
fuzz:
	@sh tests/fuzz/have-libfuzzer.sh; rc=$$?; [ $$rc -ne 2 ] || exit 0; [ $$rc -eq 0 ] || exit 1; \
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DACV_FUZZ=ON -DACV_TESTS=OFF \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null && \
	cmake --build $(FUZZ_BUILD) --target fuzzers -j$(JOBS) >/dev/null && \
	sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_PARALLEL)

# The ASEAN-scale benchmark: SIZE=full (default, ~10M observations), medium, small, tiny, or a
# number of local governments. Prints a table and the targets, writes $(BUILD)/bench/results-$(SIZE).json.
SIZE ?= full
bench: bootstrap build
	@SIZE=$(SIZE) BUILD=$(BUILD) bash bench/run.sh

# No #include cycle between engine modules (tests/check-layers.sh; docs/testing.md), and every
# path the README, docs and engine headers name exists.
check-layers:
	@sh tests/check-layers.sh
	@sh tests/check-references.sh

format:
	@clang-format -i engine/*/*.c engine/*/*.h tests/unit/*.c tests/unit/*.h tests/lua/*.c tests/fuzz/*.c

format-check:
	@clang-format --dry-run --Werror engine/*/*.c engine/*/*.h tests/unit/*.c tests/unit/*.h tests/lua/*.c tests/fuzz/*.c

clean:
	@rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

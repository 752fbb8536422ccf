# The front door: `make demo`, `make test`, `make` (build), `make clean`.
BUILD ?= build
ASAN_BUILD ?= build-asan
WERROR ?= OFF
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
ACVTRACK = $(CURDIR)/$(BUILD)/acvtrack
DEMO = $(BUILD)/demo

.PHONY: all build bootstrap demo test test-sanitize bench clean format format-check

all: build

bootstrap:
	@./.ci/bootstrap

build:
	@cmake -S . -B $(BUILD) -DACV_WERROR=$(WERROR) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

demo: bootstrap build
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	@cd $(DEMO) && $(ACVTRACK) init
	@cd $(DEMO) && $(ACVTRACK) areas import $(CURDIR)/indicators/sample/areas.csv
	@cd $(DEMO) && $(ACVTRACK) import $(CURDIR)/indicators/sample/observations.csv
	@cd $(DEMO) && for area in demo_capital_metro demo_secondary_city demo_coastal_town; do \
		$(ACVTRACK) score --area $$area --year 2025 || exit $$?; done
	@cd $(DEMO) && $(ACVTRACK) report --area demo_capital_metro --year 2025 -o report.md
	@echo "demo: workspace $(DEMO)/acvtrack.db, report $(DEMO)/report.md"

test: bootstrap build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# The same tests built with AddressSanitizer and UndefinedBehaviorSanitizer.
test-sanitize: bootstrap
	@cmake -S . -B $(ASAN_BUILD) -DACV_WERROR=$(WERROR) -DACV_SANITIZE=ON \
		-DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)
	@cd $(ASAN_BUILD) && ctest --output-on-failure -j$(JOBS)

format:
	@clang-format -i engine/*.c engine/*.h tests/unit/*.c tests/unit/*.h

format-check:
	@clang-format --dry-run --Werror engine/*.c engine/*.h tests/unit/*.c tests/unit/*.h

clean:
	@rm -rf $(BUILD) $(ASAN_BUILD)

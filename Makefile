# Permanence. `make run` serves the API on its own database; `make test` runs every test.
# See README.md for the configuration and the other targets.

CC      ?= cc
PKGS    := libulfius libmicrohttpd jansson libyder liborcania libjwt libpq libical libcrypto
CFLAGS  := -std=c11 -Wall -Wextra -Wpedantic -Werror -D_GNU_SOURCE -O2 -g
LDLIBS  := -lpthread -lcsv

BUILD   := build
DOMAIN  := $(wildcard domain/*.c)
DB      := $(wildcard db/*.c)
API     := $(wildcard api/*.c)
SERVER_SOURCES := $(DOMAIN) $(DB) $(API)
HEADERS := $(wildcard domain/*.h db/*.h api/*.h)

UNIT_SOURCES := $(wildcard tests/unit/*.c)
API_TEST_SOURCES := $(wildcard tests/api/*.c)
API_TEST_HEADERS := $(wildcard tests/api/*.h)

PG_DIR  := var/pg
DEV_SECRET := var/dev-jwt-secret

.PHONY: all build deps run token test unit bench lint-openapi clean

all: build

deps:
	@scripts/deps.sh

build: deps $(BUILD)/permanenced

$(BUILD)/permanenced: $(SERVER_SOURCES) $(HEADERS)
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags $(PKGS)) $(SERVER_SOURCES) -o $@ \
	  $(shell pkg-config --libs $(PKGS)) $(LDLIBS)

# The same server under AddressSanitizer and UBSan, for one pass of the API tests.
$(BUILD)/permanenced-asan: $(SERVER_SOURCES) $(HEADERS)
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	  $(shell pkg-config --cflags $(PKGS)) $(SERVER_SOURCES) -o $@ \
	  $(shell pkg-config --libs $(PKGS)) $(LDLIBS)

$(BUILD)/unit_tests: $(UNIT_SOURCES) $(DOMAIN) api/auth.c api/token_cache.c $(HEADERS) \
                    $(wildcard tests/unit/*.h) api/rate_limit.c
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags check jansson libjwt) $(UNIT_SOURCES) $(DOMAIN) \
	  api/auth.c api/token_cache.c api/rate_limit.c -o $@ $(shell pkg-config --libs check jansson libjwt) $(LDLIBS)

$(BUILD)/api_tests: $(API_TEST_SOURCES) $(API_TEST_HEADERS)
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) $(API_TEST_SOURCES) -o $@ \
	  $(shell pkg-config --cflags --libs check libcurl jansson libjwt libpq libcrypto)

$(DEV_SECRET):
	@mkdir -p var
	@head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > $@
	@chmod 600 $@

# Serves the API. Without DATABASE_URL it starts (and keeps) a PostgreSQL of its own in var/pg.
run: build $(DEV_SECRET)
	@scripts/run.sh

# Prints a development token: make token SUB=u-csw1 ROLES=csw
token: build $(DEV_SECRET)
	@PERMANENCE_ENVIRONMENT=development PERMANENCE_JWT_SECRET="$$(cat $(DEV_SECRET))" \
	  $(BUILD)/permanenced token --sub "$(SUB)" --roles "$(ROLES)" \
	  $(if $(AGENCY_ID),--agency-id "$(AGENCY_ID)")

unit: deps $(BUILD)/unit_tests
	@$(BUILD)/unit_tests

# Every test: unit tests, then the API tests against the real server and a real PostgreSQL,
# then the API tests again against the server built with ASan + UBSan.
test: deps $(BUILD)/permanenced $(BUILD)/permanenced-asan $(BUILD)/unit_tests $(BUILD)/api_tests
	@tests/run.sh

# Fuzzing (tests/fuzz, README "Fuzzing"): each harness with libFuzzer, ASan and UBSan, run for
# FUZZ_SECONDS each; and the same harnesses without libFuzzer (ASan + UBSan), which `make test`
# runs over the corpus and the regressions.
FUZZ_HARNESSES := jwt_claims jwt_token bodies query ssda903
FUZZ_SECONDS ?= 60
FUZZ_CC := clang-14
FUZZ_PKGS := jansson libjwt liborcania libcrypto
FUZZ_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                 -fno-omit-frame-pointer
FUZZ_SOURCES_jwt_claims := api/auth.c api/token_cache.c domain/roles.c
FUZZ_SOURCES_jwt_token := api/auth.c domain/roles.c
FUZZ_SOURCES_bodies := $(DOMAIN)
FUZZ_SOURCES_query := api/page_params.c $(DOMAIN)
FUZZ_SOURCES_ssda903 := $(DOMAIN)
FUZZ_DEPS := tests/fuzz/harness.c tests/fuzz/harness.h $(SERVER_SOURCES) $(HEADERS)

.PHONY: fuzz
fuzz: deps $(FUZZ_HARNESSES:%=$(BUILD)/fuzz/%)
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CFLAGS) -O1 -fsanitize=fuzzer $(FUZZ_SANITIZE) \
	  $(shell pkg-config --cflags $(FUZZ_PKGS)) $< tests/fuzz/harness.c $(FUZZ_SOURCES_$*) -o $@ \
	  $(shell pkg-config --libs $(FUZZ_PKGS)) $(LDLIBS)

$(BUILD)/fuzz-replay/%: tests/fuzz/%.c tests/fuzz/replay.c $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -O1 $(FUZZ_SANITIZE) $(shell pkg-config --cflags $(FUZZ_PKGS)) \
	  $< tests/fuzz/replay.c tests/fuzz/harness.c $(FUZZ_SOURCES_$*) -o $@ \
	  $(shell pkg-config --libs $(FUZZ_PKGS)) $(LDLIBS)

test: $(FUZZ_HARNESSES:%=$(BUILD)/fuzz-replay/%)

# The ceiling the benchmark measures the service against (bench/minimal.c).
$(BUILD)/bench-minimal: bench/minimal.c
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) bench/minimal.c -o $@ $(shell pkg-config --cflags --libs libulfius jansson libpq) \
	  $(LDLIBS)

# The benchmark (not a test): make bench, or make bench QUICK=1 for a small, quick run.
bench: deps $(BUILD)/permanenced $(BUILD)/bench-minimal
	@scripts/deps.sh wrk curl
	@QUICK=$(QUICK) bench/run.sh

# The soak (not a test): make soak, or make soak SOAK_SECONDS=60 for a short run. Steady mixed
# traffic for 10 minutes; fails on growth of memory, threads, descriptors or connections, or on
# any 5xx or socket error (soak/run.sh).
.PHONY: soak
soak: deps $(BUILD)/permanenced
	@scripts/deps.sh wrk curl
	@SOAK_SECONDS=$(SOAK_SECONDS) soak/run.sh

# Lints the contract with Spectral (OpenAPI and OWASP API Security rules, .spectral.yaml) and
# Redocly (redocly.yaml), as pinned in tools/openapi (needs Node.js and the npm registry).
lint-openapi:
	@scripts/contract-tools.sh
	NODE_PATH=$(CURDIR)/tools/openapi/node_modules tools/openapi/node_modules/.bin/spectral \
	  lint openapi.yaml --ruleset .spectral.yaml --fail-severity=warn
	tools/openapi/node_modules/.bin/redocly lint openapi.yaml

clean:
	rm -rf $(BUILD)

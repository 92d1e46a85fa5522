# SchoolLedger: the two set-up commands are `make demo` and `make test`.
# Both install what is missing (liblmdb-dev, pkg-config, lmdb-utils,
# protobuf-compiler, python3-protobuf, postgresql) with apt,
# then build with SwiftPM. Run them as root or with sudo available.

SWIFT      ?= swift
SWIFTFLAGS ?= -Xswiftc -warnings-as-errors
DEMO_DIR   ?= $(CURDIR)/demo-ledger
DEMO_OUT   ?= $(CURDIR)/demo-output
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# liblmdb-dev and pkg-config build the library; lmdb-utils gives mdb_stat;
# protoc and Debian's python3-protobuf check Schemas/ (evolution guard, the
# README's decoding example); postgresql gives the tests a throwaway server
# (scripts/test-postgres.sh) for the PostgreSQL backend.
APT_PACKAGES := liblmdb-dev pkg-config lmdb-utils protobuf-compiler python3-protobuf postgresql

.PHONY: all deps build test lint format docs api readme demo service service-test load openapi openapi-check bench bench-quick stress fuzz fuzz-build sanitize clean

all: build

# Installs the system packages the build needs, only when they are missing.
deps:
	@if ! pkg-config --exists lmdb 2>/dev/null || ! command -v mdb_stat >/dev/null 2>&1 \
		|| ! command -v protoc >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import google.protobuf' 2>/dev/null \
		|| ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "Installing $(APT_PACKAGES) with apt..."; \
		$(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $(APT_PACKAGES); \
	fi
	@pkg-config --exists lmdb || { echo "pkg-config still cannot find lmdb: install liblmdb-dev and pkg-config"; exit 1; }

build: deps
	$(SWIFT) build $(SWIFTFLAGS)

# The tests run against a throwaway PostgreSQL cluster (initdb in a temporary
# directory, pg_ctl on a free loopback port, as `nobody` when run as root),
# stopped when they end: scripts/test-postgres.sh.
# Then the reference service's own tests (Examples/JournalService, the
# parent's page in headless Chromium among them): `make service-test`.
test: build lint docs api readme
	scripts/test-postgres.sh run $(SWIFT) test $(SWIFTFLAGS)
	$(MAKE) service-test

# A new user's package: depends on this one by path (products SchoolLedger and
# EventLedger), compiles the README's Swift examples as shown and runs them
# (scripts/readme-package.sh; its build is kept in .build-readme/).
readme: deps
	scripts/readme-package.sh

# The libraries' public API from the compiler's symbol graphs: fails when a
# public symbol of EventLedger or SchoolLedger names an LMDB or wire
# (Schoolledger_V1_, SwiftProtobuf) type, or SchoolLedger has 1,200 public
# declarations or more; prints the counts.
api: build
	python3 scripts/check-public-api.py "$$($(SWIFT) build --show-bin-path)"

# The DocC catalogs of both libraries (swift-docc-plugin), any warning an error.
docs: build
	$(SWIFT) package --disable-sandbox generate-documentation --target EventLedger --warnings-as-errors
	$(SWIFT) package --disable-sandbox generate-documentation --target SchoolLedger --warnings-as-errors

# The hand-written Swift (not Generated/) against the committed .swift-format:
# `make lint` fails on any finding, and on two functions in Sources/ that
# repeat more than 10 lines (scripts/check-duplicate-functions.py);
# `make format` rewrites the files to meet the configuration.
SWIFT_SOURCES = $(shell find Sources Tests Examples/JournalService/Sources Examples/JournalService/Tests -name '*.swift' -not -path '*/Generated/*' | LC_ALL=C sort)
lint:
	@swift-format lint --strict --configuration .swift-format $(SWIFT_SOURCES)
	@echo "swift-format: no findings in $(words $(SWIFT_SOURCES)) files"
	@python3 scripts/check-duplicate-functions.py Sources

format:
	swift-format format -i --configuration .swift-format $(SWIFT_SOURCES)

demo: build
	rm -rf "$(DEMO_DIR)" "$(DEMO_DIR).vault-key"
	$(SWIFT) run $(SWIFTFLAGS) schoolledger demo --ledger "$(DEMO_DIR)"
	$(SWIFT) run $(SWIFTFLAGS) schoolledger verify --ledger "$(DEMO_DIR)" --signatures
	$(SWIFT) run $(SWIFTFLAGS) schoolledger stats --ledger "$(DEMO_DIR)"
	$(SWIFT) run $(SWIFTFLAGS) schoolledger query --ledger "$(DEMO_DIR)" diary --student S-1001 --from 2026-08-31 --to 2026-09-06 --as parent-1001
	$(SWIFT) run $(SWIFTFLAGS) schoolledger query --ledger "$(DEMO_DIR)" journal --class 7A --subject MATH --from 2026-09-01 --to 2026-09-30
	$(SWIFT) run $(SWIFTFLAGS) schoolledger query --ledger "$(DEMO_DIR)" marks --student S-1001 --from 2026-09-01 --to 2026-09-30
	$(SWIFT) run $(SWIFTFLAGS) schoolledger audit compromise --ledger "$(DEMO_DIR)"
	$(SWIFT) run $(SWIFTFLAGS) schoolledger audit exposure --ledger "$(DEMO_DIR)" --account teacher-english
	$(SWIFT) run $(SWIFTFLAGS) schoolledger audit reads --ledger "$(DEMO_DIR)" --student S-1001
	$(SWIFT) run $(SWIFTFLAGS) schoolledger audit history --ledger "$(DEMO_DIR)" --account teacher-english
	$(SWIFT) run $(SWIFTFLAGS) schoolledger rebuild --ledger "$(DEMO_DIR)" --check
	mdb_stat -a "$(DEMO_DIR)"
	@echo "The demo ledger is in $(DEMO_DIR)"
	rm -rf "$(DEMO_OUT)" && mkdir -p "$(DEMO_OUT)"
	$(SWIFT) run $(SWIFTFLAGS) schoolledger report --ledger "$(DEMO_DIR)" --class 7A --period 2026-Q1 --format html --out "$(DEMO_OUT)/report-7A-2026-Q1.html"
	$(SWIFT) run $(SWIFTFLAGS) schoolledger extract --ledger "$(DEMO_DIR)" --student S-1002 --from 2026-09-01 --to 2026-09-30 --format html --out "$(DEMO_OUT)/extract-S-1002-2026-09.html"
	@echo "An extract a parent can check offline: the school signs the head, the extract carries its records' proofs"
	$(SWIFT) run $(SWIFTFLAGS) schoolledger keygen --out "$(DEMO_OUT)/school.key" | tee "$(DEMO_OUT)/school.key.txt"
	$(SWIFT) run $(SWIFTFLAGS) schoolledger head --ledger "$(DEMO_DIR)" --sign "$(DEMO_OUT)/school.key" --out "$(DEMO_OUT)/head.json"
	$(SWIFT) run $(SWIFTFLAGS) schoolledger extract --ledger "$(DEMO_DIR)" --student S-1002 --from 2026-09-01 --to 2026-09-30 --format text --head "$(DEMO_OUT)/head.json" --out "$(DEMO_OUT)/extract-S-1002-2026-09-proofs.txt"
	python3 Schemas/examples/verify_proof.py "$(DEMO_OUT)/extract-S-1002-2026-09-proofs.txt" --public-key "$$(sed -n 's/^public key: *//p' "$(DEMO_OUT)/school.key.txt")"

# The benchmarks (Benchmarks/, a package of its own; release build; see BENCHMARKS.md).
# bench: every ordo-one suite, then the side-by-side ratio table at full size
# (~1.4 M events). bench-quick: the table on 1/20 of the school (under 3 min
# after the build).
# Both then run the PostgreSQL figures (PostgresBench) on a throwaway cluster
# that keeps fsync on (SCHOOLLEDGER_PG_DURABLE=1), as a region's server would.
# The reference service (Examples/JournalService, a package of its own on
# Hummingbird 2) on the demo ledger: makes the demo ledger when it is missing
# and a token secret beside it, then serves on 127.0.0.1:$(SERVICE_PORT) and
# prints a curl line that returns S-1001's diary as parent-1001. Ctrl-C (or
# SIGTERM) stops it after the requests in flight. `make service-test` runs
# the service's own tests, the parent's page in headless Chromium among them
# (it installs Debian's chromium when missing).
SERVICE_PORT   ?= 8080
SERVICE_SECRET ?= $(DEMO_DIR).jwt-secret
service: build
	@[ -d "$(DEMO_DIR)" ] || $(MAKE) demo
	cd Examples/JournalService && $(SWIFT) build $(SWIFTFLAGS) --product journal-service
	Examples/JournalService/.build/debug/journal-service --ledger "$(DEMO_DIR)" --jwt-secret "$(SERVICE_SECRET)" \
		--create-secret --port $(SERVICE_PORT) --example-for parent-1001

service-test: deps
	@command -v chromium >/dev/null 2>&1 || { echo "Installing chromium and fonts-dejavu-core (the parent's page screenshot test) with apt..."; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium fonts-dejavu-core; }
	cd Examples/JournalService && $(SWIFT) build --build-tests $(SWIFTFLAGS) && $(SWIFT) test --skip-build

# The reference service under load (Examples/JournalService/load/load.sh):
# a fresh school of LOAD_PARENTS (500) parents and LOAD_TEACHERS (40)
# teachers, the release service on loopback, wrk reading diaries and
# posting marks for LOAD_SECONDS (30) with a breach notice halfway; prints
# throughput, p50/p99 per route and the service's memory, then the checks
# (acknowledged marks kept, refusals appended nothing, the voids equal
# clause 11's rule, rebuild --check clean). Installs wrk when missing.
load: build
	@command -v wrk >/dev/null 2>&1 || { echo "Installing wrk with apt..."; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q wrk; }
	SWIFT=$(SWIFT) Examples/JournalService/load/load.sh

# The service's contract: `make openapi` builds swift-openapi-generator
# (Examples/JournalService/OpenAPIGenerator, a package of its own) and
# writes the code it makes from openapi.yaml into
# Sources/JournalServiceCore/Generated/ (committed); `make openapi-check`
# fails when the committed code is not what openapi.yaml makes.
OPENAPI_DIR := Examples/JournalService
OPENAPI_GEN  = $(OPENAPI_DIR)/OpenAPIGenerator/.build/release/swift-openapi-generator generate $(OPENAPI_DIR)/openapi.yaml \
	--config $(OPENAPI_DIR)/openapi-generator-config.yaml
openapi:
	cd $(OPENAPI_DIR)/OpenAPIGenerator && $(SWIFT) build -c release --product swift-openapi-generator
	$(OPENAPI_GEN) --output-directory $(OPENAPI_DIR)/Sources/JournalServiceCore/Generated

openapi-check:
	cd $(OPENAPI_DIR)/OpenAPIGenerator && $(SWIFT) build -c release --product swift-openapi-generator
	rm -rf .build-openapi-check && mkdir -p .build-openapi-check
	$(OPENAPI_GEN) --output-directory .build-openapi-check >/dev/null
	diff -r -x README.md .build-openapi-check $(OPENAPI_DIR)/Sources/JournalServiceCore/Generated
	@echo "openapi: the committed code is what openapi.yaml makes"

bench: deps
	cd Benchmarks && $(SWIFT) package --disable-sandbox benchmark
	cd Benchmarks && $(SWIFT) run -c release BenchTable
	cd Benchmarks && $(SWIFT) build -c release --product PostgresBench
	cd Benchmarks && SCHOOLLEDGER_PG_DURABLE=1 ../scripts/test-postgres.sh run .build/release/PostgresBench

bench-quick: deps
	cd Benchmarks && $(SWIFT) run -c release BenchTable --quick
	cd Benchmarks && $(SWIFT) build -c release --product PostgresBench
	cd Benchmarks && SCHOOLLEDGER_PG_DURABLE=1 ../scripts/test-postgres.sh run .build/release/PostgresBench --quick

# The reliability suite's long runs (scripts/stress.sh says what they are):
# kill loops at STRESS_ROUNDS per loop, several processes, a million-line
# import, full and read-only file systems, hostile input, the oracle, the
# rights matrix, then each fuzz target for STRESS_FUZZ_SECONDS; prints the
# counts (kills survived, fuzz executions, hostile inputs, failures).
STRESS_ROUNDS ?= 60
STRESS_FUZZ_SECONDS ?= 30
stress: build fuzz-build
	scripts/stress.sh $(STRESS_ROUNDS) $(STRESS_FUZZ_SECONDS)

# libFuzzer targets (Fuzz/, a package of its own built with the fuzzer and
# AddressSanitizer): the stored-record decoder, the JSON Lines importer and
# the command decoder, each for FUZZ_SECONDS on its committed corpus.
FUZZ_SECONDS ?= 60
fuzz-build: deps
	cd Fuzz && $(SWIFT) build -c release --sanitize=fuzzer --sanitize=address

fuzz: fuzz-build
	scripts/fuzz.sh $(FUZZ_SECONDS)

# Every suite under ThreadSanitizer, then every suite under AddressSanitizer
# (with LeakSanitizer), each in a build directory of its own; a finding fails.
# SCHOOLLEDGER_SANITIZER tells the memory-bound tests to allow the sanitizer's
# allocator its own overhead (Fixture.allocatorNoiseKB); AddressSanitizer's
# quarantine of freed blocks is held to 4 MiB so that what those tests
# measure is still the ledger's memory, not the sanitizer's.
# Each suppression in scripts/tsan.supp and scripts/lsan.supp says why.
sanitize: deps
	SCHOOLLEDGER_SANITIZER=thread TSAN_OPTIONS="suppressions=$(CURDIR)/scripts/tsan.supp halt_on_error=1" \
		$(SWIFT) test --sanitize=thread --scratch-path .build-tsan
	SCHOOLLEDGER_SANITIZER=address ASAN_OPTIONS="detect_leaks=1:quarantine_size_mb=4" LSAN_OPTIONS="suppressions=$(CURDIR)/scripts/lsan.supp" \
		$(SWIFT) test --sanitize=address --scratch-path .build-asan

clean:
	rm -rf .build "$(DEMO_DIR)" "$(DEMO_OUT)" "$(SERVICE_SECRET)"

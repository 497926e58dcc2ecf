# ticheck — common tasks. `make demo` and `make test` are the README's two set-up commands.

CARGO ?= cargo

.PHONY: demo test lint fmt bench bench-serve build dist fuzz

build:
	$(CARGO) build --release --locked

# The binary to distribute: link-time optimised (target/dist/ticheck; slower to build).
dist:
	$(CARGO) build --profile dist --locked

# Check a shipped example profile, printing the per-clause table.
demo: build
	./target/release/ticheck check fixtures/eligible-enterprise.toml --lang zh

# Everything CI runs: formatting, lints, and the whole test suite.
test:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --locked --all-targets -- -D warnings
	$(CARGO) test --locked

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) clippy --all-targets -- -D warnings

# Speed and memory of batch screening against the csv-crate floor (see docs/performance.md).
bench:
	python3 bench/run.py

# `ticheck serve` under load over loopback: single checks with wrk, concurrent sheet uploads,
# /healthz and memory watched throughout (see docs/performance.md).
bench-serve:
	python3 bench/serve_load.py

# Coverage-guided fuzzing (docs/reliability.md): every target in fuzz/ for FUZZ_SECONDS each
# (default 20; 9 targets) with cargo-fuzz, pinned, installed into fuzz/.tools on first use.
# Not part of `make test`; fails when a target crashes. FUZZ_TARGETS="values uscc" runs some.
CARGO_FUZZ_VERSION := 0.13.2
fuzz:
	@fuzz/.tools/bin/cargo-fuzz --version 2>/dev/null | grep -qx 'cargo-fuzz $(CARGO_FUZZ_VERSION)' || \
		$(CARGO) install cargo-fuzz --version $(CARGO_FUZZ_VERSION) --locked --root fuzz/.tools
	fuzz/run.sh

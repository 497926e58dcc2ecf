# ticheck — common tasks. `make demo` and `make test` are the README's two set-up commands.

CARGO ?= cargo

.PHONY: demo test lint fmt bench bench-serve build dist

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

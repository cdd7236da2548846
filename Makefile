# entopic — the commands everyone relies on. See README.md.
CARGO ?= cargo
# Where cargo puts the release binary: asked from cargo, so CARGO_TARGET_DIR (or a
# build.target-dir in .cargo/config.toml) is honoured, never a stale target/release/entopic.
# Recursive (`=`) so that only the targets that run the binary ask; override with BIN=path.
TARGET_DIR = $(shell $(CARGO) metadata --format-version 1 --no-deps \
	| sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
BIN = $(TARGET_DIR)/release/entopic
DEMO_OUT ?= out

.PHONY: demo test test-python test-browser check fmt clippy lint-dict eval bench bench-quick fuzz topics-bench bless build clean spark-demo parquet-check

build:
	$(CARGO) build --release --locked

## Run the tool on the bundled sample documents; results in out/.
demo: build
	$(BIN) extract data --exclude README.md --out $(DEMO_OUT) --format csv,jsonl --report
	@echo
	@echo "Open $(DEMO_OUT)/report.html in a browser, $(DEMO_OUT)/mentions.csv or $(DEMO_OUT)/documents.csv"
	@echo "in a spreadsheet; $(DEMO_OUT)/documents.jsonl has the same results, one JSON record per document."
	@echo "Topic tags carry their evidence (documents.csv: topics, topic_evidence; JSONL: evidence);"
	@echo "'$(BIN) explain FILE' shows every tag's score and why."

## All tests: unit, integration (real binary, golden files), property, doc tests; and the proof
## that the library builds alone (no clap, no exports), every public item documented (rustdoc
## with missing docs and broken links as errors); then the Python package's tests.
test:
	$(CARGO) test --locked --all-targets
	$(CARGO) test --locked --doc
	$(CARGO) build --locked --no-default-features --lib
	RUSTDOCFLAGS="-D warnings -D missing_docs" $(CARGO) doc --locked --lib --no-deps --quiet
	$(MAKE) test-python

## The Python package (python/): `pip install ./python[test]` into $(PY_VENV) (maturin builds the
## extension; pytest, pyarrow and pandas come from PyPI), then its tests, which compare it with
## the CLI that `cargo test` built. The test build uses the dev profile, so it reuses what
## `cargo test` compiled; `pip install ./python` (users, spark-demo) builds optimized.
PY_VENV ?= .venv-python
test-python:
	test -x $(PY_VENV)/bin/python || python3 -m venv $(PY_VENV)
	MATURIN_PEP517_ARGS="--profile dev" \
		$(PY_VENV)/bin/pip install --quiet --disable-pip-version-check './python[test]'
	$(CARGO) build --locked --quiet
	ENTOPIC_BIN=$(TARGET_DIR)/debug/entopic $(PY_VENV)/bin/python -m pytest -q python/tests

## The report in a real browser: headless Chromium renders it with no console errors, search and
## document links work, hostile documents stay inert; screenshot in $(DEMO_OUT)/report.png.
## Skipped, with a message, where Chromium is absent. Not part of `make test`.
test-browser: build
	ENTOPIC_BIN=$(BIN) REPORT_SCREENSHOT=$(DEMO_OUT)/report.png python3 scripts/test_browser.py

## What CI runs: formatting, lints, tests, dictionary lint.
check: fmt clippy test lint-dict

## `cargo fmt` does not see the modules that src/lib.rs declares through its `internal!` and
## `cli_only!` macros, so every source file is also given to rustfmt by name.
fmt:
	$(CARGO) fmt --all -- --check
	rustfmt --edition 2021 --check $$(find src -name '*.rs')

clippy:
	$(CARGO) clippy --locked --all-targets -- -D warnings

lint-dict:
	$(CARGO) run --locked --quiet -- dict check

## Entity and topic quality against the gold set (precision/recall/F1 per type and tag).
eval: build
	$(BIN) evaluate --gold tests/gold/entities.jsonl --gold tests/gold/entities-heldout.jsonl \
		--gold tests/gold/topics.jsonl --gold tests/gold/topics-heldout.jsonl

## Throughput per stage and end to end (ENTOPIC_BENCH_MB=200 by default). Built with the release
## profile, so the benchmark shares the release build instead of compiling everything again.
bench: build
	$(CARGO) bench --locked --bench throughput --profile release

## The same on a 20 MB corpus (generated once into target/): a tenth of the time.
bench-quick: build
	ENTOPIC_BENCH_MB=20 $(CARGO) bench --locked --bench throughput --profile release

## Arbitrary bytes through every stage and output format, for a while (FUZZ_CASES, default
## 300,000: about 4 minutes). A failing input lands in tests/fuzz.proptest-regressions: commit it.
FUZZ_CASES ?= 300000
fuzz:
	PROPTEST_CASES=$(FUZZ_CASES) $(CARGO) test --locked --release --test fuzz

## entopic under Apache Spark (local mode): mapInPandas with the Python package over data/,
## checked against the CLI on one machine; the Parquet tables of the demo output read back by
## Spark. Installs pyspark, pandas, pyarrow and ./python into $(SPARK_VENV) (needs Java 17 and
## PyPI); see README "Beyond one machine".
SPARK_VENV ?= .venv-spark
PYSPARK_VERSION ?= 3.5.7
spark-demo: build
	test -x $(SPARK_VENV)/bin/python || python3 -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/pip install --quiet --disable-pip-version-check pyspark==$(PYSPARK_VERSION) \
		'pandas>=2,<3' 'pyarrow>=14,<22' ./python
	$(BIN) extract data --exclude README.md --out target/spark-demo/out --format parquet,csv --quiet
	$(SPARK_VENV)/bin/python scripts/spark_demo.py --entopic $(abspath $(BIN)) \
		--parquet target/spark-demo/out

## Topic training on a generated five-class news corpus: entopic's 5-fold CV accuracy and its
## training time on 2,000 articles, against scikit-learn's TF-IDF + LinearSVC on the same folds
## (scikit-learn goes into a local .venv on first use).
TOPIC_CORPUS ?= target/topic-corpus
topics-bench: build
	python3 scripts/gen_topic_corpus.py --n 2500 --seed 7 --out $(TOPIC_CORPUS)/news5.jsonl
	head -n 2000 $(TOPIC_CORPUS)/news5.jsonl > $(TOPIC_CORPUS)/news5-2000.jsonl
	$(BIN) topics evaluate $(TOPIC_CORPUS)/news5.jsonl --folds 5 | head -n 3
	time $(BIN) topics train $(TOPIC_CORPUS)/news5-2000.jsonl --out $(TOPIC_CORPUS)/model.tsv
	test -x .venv/bin/python || (python3 -m venv .venv && .venv/bin/pip install --quiet scikit-learn)
	.venv/bin/python scripts/sklearn_baseline.py $(TOPIC_CORPUS)/news5.jsonl --folds 5

## --format parquet read back by pyarrow, pandas and DuckDB and checked against the CSV tables
## (installs them into $(PARQUET_VENV) from PyPI on first use). `make test` checks the same files
## with the parquet crate's reader.
PARQUET_VENV ?= .venv-parquet
parquet-check: build
	test -x $(PARQUET_VENV)/bin/python || python3 -m venv $(PARQUET_VENV)
	$(PARQUET_VENV)/bin/pip install --quiet --disable-pip-version-check pyarrow pandas duckdb
	$(PARQUET_VENV)/bin/python scripts/parquet_readback.py --entopic $(abspath $(BIN))

## Rewrite the golden files after a reviewed change of output.
bless:
	BLESS=1 $(CARGO) test --locked --test cli

clean:
	$(CARGO) clean
	rm -rf $(DEMO_OUT) $(SPARK_VENV) $(PY_VENV) $(PARQUET_VENV)

#!/usr/bin/env python3
"""The Python package's throughput next to the CLI's, on the same documents in the same run.

    python scripts/python_throughput.py --entopic target/release/entopic \
        --docs target/spark-demo/documents.jsonl --repeat 100 --jobs 1 --jobs 2

`--docs` is a JSON Lines file of documents ({"id", "text", ...}); it is repeated `--repeat` times
(ids made unique) into one corpus. For each `--jobs N`, alternately (best of `--runs`):
- the CLI: `entopic extract CORPUS --format jsonl --out TMP --jobs N --quiet`;
- the package: read the same file, `json.loads` each line, `Pipeline.analyze_many(docs, jobs=N)`
  (records as dicts) — what a Python user pays, JSON decoding included.
Prints MB/s of input for both and their ratio. Needs the package installed (`pip install ./python`).
"""

import argparse
import json
import os
import pathlib
import subprocess
import tempfile
import time

import entopic


def corpus(docs: pathlib.Path, repeat: int, out: pathlib.Path) -> int:
    lines = [json.loads(line) for line in docs.read_text(encoding="utf-8").splitlines() if line]
    with open(out, "w", encoding="utf-8") as f:
        for i in range(repeat):
            for d in lines:
                f.write(json.dumps({**d, "id": f"{d['id']}#{i}"}, ensure_ascii=False) + "\n")
    return out.stat().st_size


def cli(binary: str, path: pathlib.Path, jobs: int) -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run([binary, "extract", str(path), "--format", "jsonl", "--out", out,
                        "--jobs", str(jobs), "--quiet"], check=True)
        return time.perf_counter() - started


def package(pipeline: "entopic.Pipeline", path: pathlib.Path, jobs: int) -> float:
    started = time.perf_counter()
    with open(path, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    records = pipeline.analyze_many(docs, jobs=jobs)
    assert len(records) == len(docs)
    return time.perf_counter() - started


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--entopic", required=True)
    p.add_argument("--docs", required=True, type=pathlib.Path)
    p.add_argument("--repeat", type=int, default=100)
    p.add_argument("--jobs", type=int, action="append")
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "corpus.jsonl"
        size = corpus(args.docs, args.repeat, path) / 1e6
        started = time.perf_counter()
        pipeline = entopic.Pipeline()
        print(f"corpus {size:.1f} MB; Pipeline() built in {time.perf_counter() - started:.3f} s;"
              f" {os.cpu_count()} CPUs")
        for jobs in args.jobs or [1]:
            best_cli = best_py = float("inf")
            for _ in range(args.runs):
                best_cli = min(best_cli, cli(args.entopic, path, jobs))
                best_py = min(best_py, package(pipeline, path, jobs))
            print(f"jobs {jobs}: CLI {size / best_cli:.1f} MB/s, Python package "
                  f"{size / best_py:.1f} MB/s ({best_cli / best_py:.2f}x the CLI's speed)")


if __name__ == "__main__":
    main()

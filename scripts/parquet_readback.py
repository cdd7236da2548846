"""Reads entopic's Parquet output back with pyarrow, pandas and DuckDB and checks it against the
CSV tables of the same run: the same row counts, the same mention rows, typed columns, and exact
values for a known document. Run by `make parquet-check` (which installs the three packages into
a local virtual environment); exits non-zero on the first difference."""

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pandas
import pyarrow
import pyarrow.parquet as pq


def one(sql):
    """The first row of a DuckDB query."""
    return duckdb.sql(sql).fetchall()[0]

DOC = "data/korea/hwasong-19-launch.txt"


def csv_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))[1:]


def check(ok, what):
    if not ok:
        sys.exit(f"parquet read-back: FAILED: {what}")
    print(f"ok  {what}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--entopic", required=True, help="the entopic binary")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        subprocess.run(
            [args.entopic, "extract", "data", "--exclude", "README.md", "--out", str(out),
             "--format", "csv,jsonl,parquet", "--quiet"],
            check=True,
        )
        tables = {n: pq.read_table(out / f"{n}.parquet") for n in
                  ("documents", "mentions", "topics", "entities")}
        for name in ("documents", "mentions", "entities"):
            n = len(csv_rows(out / f"{name}.csv"))
            check(tables[name].num_rows == n, f"{name}.parquet has the {n} rows of {name}.csv")
        records = [json.loads(line) for line in open(out / "documents.jsonl", encoding="utf-8")]
        tags = sum(len(r["topics"]) for r in records)
        check(tables["topics"].num_rows == tags, f"topics.parquet has a row per tag ({tags})")

        m = tables["mentions"]
        check(m.schema.field("start").type == pyarrow.int64(), "start is int64")
        check(pyarrow.types.is_list(m.schema.field("attributes").type), "attributes is a list")
        check(tables["topics"].schema.field("score").type == pyarrow.float64(), "score is double")
        rows = csv_rows(out / "mentions.csv")
        frame = pandas.read_parquet(out / "mentions.parquet")
        same = all(
            (r[0], r[4], int(r[5]), int(r[8])) == (d, t, s, e)
            for r, d, t, s, e in zip(rows, frame.doc_id, frame.text, frame.start, frame.byte_end)
        )
        check(same, "pandas: every mention row equals mentions.csv (id, text, start, byte_end)")

        first = one(
            f"select text, start, \"end\", entity_id, in_office, attributes "
            f"from '{out}/mentions.parquet' where doc_id = '{DOC}' limit 1"
        )
        check(first == ("NORTH KOREA", 0, 11, "PRK", None, [{"key": "iso2", "value": "KP"}]),
              f"duckdb: first mention of {DOC} {first}")
        doc = one(
            f"select chars, mentions, date, leader from '{out}/documents.parquet' "
            f"where doc_id = '{DOC}'"
        )
        check(doc == (5045, 65, "2025-03-14", [{"id": "kim-jong-un", "mentions": 2}]),
              f"duckdb: document row {doc[:3]}")
        record = next(r for r in records if r["id"] == DOC)
        top = one(
            f"select tag, score, evidence[1].term from '{out}/topics.parquet' "
            f"where doc_id = '{DOC}' order by score desc limit 1"
        )
        want = record["topics"][0]
        check(top == (want["tag"], want["score"], want["evidence"][0]["term"]),
              f"duckdb: top topic {top[0]} {top[1]}")


if __name__ == "__main__":
    main()

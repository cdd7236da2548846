#!/usr/bin/env python3
"""`make spark-demo`: entopic inside Apache Spark through its Python package (no subprocess),
checked against the single-machine output of the CLI.

1. Converts the bundled data/ into JSON Lines documents ({"id", "text", ...} per line), in
   target/spark-demo/documents.jsonl: plain text and Markdown decoded as entopic does (BOM, else
   UTF-8, else Windows-1252), HTML reduced to its visible text, JSONL records and CSV rows taken
   as they are.
2. Runs `entopic extract - --input-format jsonl --quiet` on that file on this machine.
3. Runs the same documents under Spark in local mode: the file as a DataFrame of lines in several
   partitions, `mapInPandas` with one `entopic.Pipeline` per Python worker process (built on its
   first batch, then reused), each batch analyzed by `Pipeline.analyze_many`.
4. Compares the two: the same records by id, and the same records in the same order.
5. With --parquet DIR (the output folder of `entopic extract --format parquet`), reads the
   Parquet tables back with Spark and checks their row counts against the CSV tables beside them.

Exits 0 when they are equal, 1 with the differences otherwise. Needs Java (Spark runs on the JVM)
and pyspark, pandas, pyarrow and the entopic package (the Makefile installs them into
.venv-spark).
"""

import argparse
import csv
import html.parser
import io
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def decode(data: bytes) -> str:
    """Bytes to text, in the order entopic tries: BOMs, UTF-8, then Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


class VisibleText(html.parser.HTMLParser):
    """The visible text of an HTML page and its <title>, without script, style and navigation."""

    HIDDEN = {"script", "style", "nav", "noscript", "template", "head"}
    BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "section",
              "article", "header", "footer", "table", "ul", "ol", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.title, self.hidden, self.in_title = [], [], 0, False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        elif tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.hidden:
            self.parts.append(data)

    def result(self):
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return "\n\n".join(l for l in lines if l), " ".join("".join(self.title).split())


def documents(data_dir: pathlib.Path):
    """Every document under data_dir as a JSON-ready dict, in sorted path order."""
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(ROOT).as_posix()
        ext = path.suffix.lower()
        if path.name == "README.md" or ext not in {".txt", ".md", ".html", ".htm", ".jsonl", ".csv"}:
            continue
        raw = path.read_bytes()
        if ext in {".txt", ".md"}:
            yield {"id": rel, "text": decode(raw)}
        elif ext in {".html", ".htm"}:
            parser = VisibleText()
            parser.feed(decode(raw))
            text, title = parser.result()
            yield {"id": rel, "title": title, "text": text} if title else {"id": rel, "text": text}
        elif ext == ".jsonl":
            for n, line in enumerate(decode(raw).splitlines(), 1):
                if line.strip():
                    record = json.loads(line)
                    record.setdefault("id", f"{rel}:{n}")
                    yield record
        else:
            for n, row in enumerate(csv.DictReader(io.StringIO(decode(raw), newline="")), 2):
                row = dict(row)
                row.setdefault("id", f"{rel}:{n}")
                yield row


_PIPELINE = None


def analyze_batches(batches):
    """mapInPandas: JSON Lines documents in, their entopic records (JSON) out, in order. One
    Pipeline per Python worker process, built on first use (dictionaries compiled once)."""
    global _PIPELINE
    import entopic
    import pandas as pd

    if _PIPELINE is None:
        _PIPELINE = entopic.Pipeline()
    for batch in batches:
        records = _PIPELINE.analyze_many([json.loads(v) for v in batch["value"]], jobs=1)
        yield pd.DataFrame({"record": [json.dumps(r, ensure_ascii=False) for r in records]})


def parquet_counts_agree(spark, out: pathlib.Path) -> bool:
    """Spark reads each Parquet table of an `extract --format parquet,csv` folder; its row count
    must equal the CSV table's."""
    ok = True
    for table in ("documents", "mentions", "entities"):
        with open(out / f"{table}.csv", newline="", encoding="utf-8-sig") as f:
            expected = sum(1 for _ in csv.reader(f)) - 1
        got = spark.read.parquet(str(out / f"{table}.parquet")).count()
        print(f"spark-demo: {table}.parquet read by Spark: {got} rows; {table}.csv: {expected}")
        ok &= got == expected
    return ok


def by_id(records):
    index = {r["id"]: r for r in records}
    if len(index) != len(records):
        sys.exit("spark-demo: duplicate ids in the output")
    return index


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entopic", required=True, help="absolute path of the entopic binary")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--parquet", help="an `extract --format parquet,csv` output folder")
    args = parser.parse_args()

    entopic = pathlib.Path(args.entopic).resolve()
    if not os.access(entopic, os.X_OK):
        sys.exit(f"spark-demo: {entopic} is not an executable; run `make build` first")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        sys.exit("spark-demo: Spark needs Java (java on PATH or JAVA_HOME); none found")

    work = ROOT / "target" / "spark-demo"
    work.mkdir(parents=True, exist_ok=True)
    input_path = work / "documents.jsonl"
    docs = list(documents(ROOT / "data"))
    with open(input_path, "w", encoding="utf-8", newline="\n") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    print(f"spark-demo: {len(docs)} documents from data/ -> {input_path.relative_to(ROOT)}")

    command = f"{entopic} extract - --input-format jsonl --quiet"
    started = time.monotonic()
    with open(input_path, "rb") as f:
        local = subprocess.run(command.split(), stdin=f, capture_output=True, check=True)
    local_lines = local.stdout.decode("utf-8").splitlines()
    print(f"spark-demo: single machine: {len(local_lines)} records "
          f"in {time.monotonic() - started:.2f} s")

    from pyspark.sql import SparkSession  # imported here: the checks above need no Spark

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # local mode: loopback only
    spark = (SparkSession.builder.master(args.master).appName("entopic-spark-demo")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.host", "127.0.0.1")
             .config("spark.driver.bindAddress", "127.0.0.1")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        started = time.monotonic()
        lines = spark.sparkContext.textFile(str(input_path), minPartitions=args.partitions)
        frame = lines.map(lambda line: (line,)).toDF(["value"])
        tagged = frame.mapInPandas(analyze_batches, schema="record string")
        spark_records = [json.loads(row.record) for row in tagged.collect()]
        print(f"spark-demo: Spark {spark.version} ({args.master}, "
              f"{lines.getNumPartitions()} partitions, mapInPandas with entopic.Pipeline): "
              f"{len(spark_records)} records in {time.monotonic() - started:.2f} s")
        if args.parquet and not parquet_counts_agree(spark, pathlib.Path(args.parquet)):
            return 1
    finally:
        spark.stop()

    local_in_order = [json.loads(line) for line in local_lines]
    local_records, spark_by_id = by_id(local_in_order), by_id(spark_records)
    missing = sorted(local_records.keys() - spark_by_id.keys())
    extra = sorted(spark_by_id.keys() - local_records.keys())
    differ = sorted(i for i in local_records.keys() & spark_by_id.keys()
                    if local_records[i] != spark_by_id[i])
    if len(local_lines) != len(docs) or missing or extra or differ:
        print(f"spark-demo: FAILED: {len(docs)} inputs, {len(local_lines)} local records; "
              f"missing {missing}, extra {extra}, different {differ}")
        return 1
    mentions = sum(len(r["entities"]) for r in local_records.values())
    same_order = spark_records == local_in_order
    print(f"spark-demo: OK: Spark output equals the single-machine output: "
          f"{len(local_records)} records compared by id ({mentions} mentions); "
          f"record for record in the same order: {'yes' if same_order else 'no'}")
    return 0 if same_order else 1


if __name__ == "__main__":
    sys.exit(main())

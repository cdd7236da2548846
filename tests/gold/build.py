#!/usr/bin/env python3
"""Build tests/gold/entities.jsonl from the hand-annotated sources in tests/gold/src/*.txt.

The same script builds the held-out set from another source folder:
`--src tests/gold/heldout/src --out tests/gold/entities-heldout.jsonl`.

Source format (one passage per line, UTF-8):

    ID<TAB>DATE<TAB>TEXT

DATE is YYYY-MM-DD or empty. TEXT marks each entity inline as
[[surface text|type:id]] where type is country, leader or weapon. Lines that are
blank or start with '#' are ignored.

The script strips the markup, computes start/end as Python string offsets (Unicode
code points) into the plain text, validates ids against .coord/ids.md and writes
one JSON object per passage. Any problem is reported as `file:line: message` and
the script exits with status 1 without writing the output.

Usage: python3 tests/gold/build.py [--src DIR] [--out FILE]
  --src DIR   folder of *.txt sources (default tests/gold/src)
  --out FILE  output JSONL file (default tests/gold/entities.jsonl)
Relative paths are taken from the current directory. Standard library only.
"""

import argparse
import datetime
import json
import os
import re
import sys
from pathlib import Path

GOLD_DIR = Path(__file__).resolve().parent
REPO_DIR = GOLD_DIR.parent.parent
SRC_DIR = GOLD_DIR / "src"
IDS_FILE = REPO_DIR / ".coord" / "ids.md"
OUT_FILE = GOLD_DIR / "entities.jsonl"

TYPES = ("country", "leader", "weapon")
MARK_RE = re.compile(r"\[\[([^\[\]|]*)\|([^\[\]|]*)\]\]")
PASSAGE_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COUNTRY_ID_RE = re.compile(r"^[A-Z]{3}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class GoldError(Exception):
    pass


def load_ids(path):
    """Return {"leader": set(...), "weapon": set(...)} parsed from ids.md."""
    leaders, weapons = set(), set()
    section = None
    table_rows = 0
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("## "):
            title = line[3:].lower()
            if title.startswith("leaders"):
                section = "leaders"
            elif title.startswith("weapons") and "generic" in title:
                section = "classes"
            elif title.startswith("weapons"):
                section = "systems"
            else:
                section = None
            continue
        if not line or section is None:
            continue
        if section in ("leaders", "systems"):
            tokens = line.split()
            if all(SLUG_RE.match(t) for t in tokens):
                (leaders if section == "leaders" else weapons).update(tokens)
        elif section == "classes" and line.startswith("|"):
            table_rows += 1
            first = line.strip("|").split("|")[0].strip()
            # row 1 is the header ("| id | phrases |"), row 2 the |---| separator
            if table_rows > 2 and SLUG_RE.match(first):
                weapons.add(first)
    if not leaders or not weapons:
        raise SystemExit(f"{path}: could not read leader/weapon ids")
    return {"leader": leaders, "weapon": weapons}


def parse_text(marked, ids):
    """Strip [[surface|type:id]] markup; return (plain_text, entities)."""
    plain = []
    entities = []
    pos = 0  # position in `marked`
    length = 0  # length of plain text so far
    for m in MARK_RE.finditer(marked):
        before = marked[pos:m.start()]
        check_no_stray(before)
        plain.append(before)
        length += len(before)
        surface, tag = m.group(1), m.group(2)
        if not surface:
            raise GoldError(f"empty surface text in {m.group(0)!r}")
        if surface != surface.strip():
            raise GoldError(f"surface text has leading/trailing space in {m.group(0)!r}")
        if ":" not in tag:
            raise GoldError(f"tag must be type:id in {m.group(0)!r}")
        etype, eid = tag.split(":", 1)
        if etype not in TYPES:
            raise GoldError(f"unknown type {etype!r} in {m.group(0)!r}")
        if etype == "country":
            if not COUNTRY_ID_RE.match(eid):
                raise GoldError(f"country id must be 3 uppercase letters: {eid!r}")
        elif eid not in ids[etype]:
            raise GoldError(f"unknown {etype} id {eid!r} (not in .coord/ids.md)")
        entities.append({
            "start": length,
            "end": length + len(surface),
            "type": etype,
            "id": eid,
            "text": surface,
        })
        plain.append(surface)
        length += len(surface)
        pos = m.end()
    rest = marked[pos:]
    check_no_stray(rest)
    plain.append(rest)
    text = "".join(plain)
    for e in entities:
        assert text[e["start"]:e["end"]] == e["text"]
    entities.sort(key=lambda e: (e["start"], e["end"]))
    return text, entities


def check_no_stray(chunk):
    for token in ("[[", "]]"):
        if token in chunk:
            raise GoldError(f"malformed markup near {chunk[max(0, chunk.index(token) - 20):][:60]!r}")


def display(path):
    try:
        return str(path.relative_to(REPO_DIR))
    except ValueError:
        return str(path)


def parse_file(path, ids, seen):
    records = []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{display(path)}:{lineno}"
        if not raw.strip() or raw.startswith("#"):
            continue
        try:
            fields = raw.split("\t")
            if len(fields) != 3:
                raise GoldError(f"expected 3 tab-separated fields (ID, DATE, TEXT), got {len(fields)}")
            pid, date, marked = fields
            if not PASSAGE_ID_RE.match(pid):
                raise GoldError(f"bad passage id {pid!r}")
            if pid in seen:
                raise GoldError(f"duplicate passage id {pid!r} (first at {seen[pid]})")
            seen[pid] = where
            if date:
                try:
                    datetime.date.fromisoformat(date)
                except ValueError:
                    raise GoldError(f"bad date {date!r} (want YYYY-MM-DD or empty)")
                if len(date) != 10:
                    raise GoldError(f"bad date {date!r} (want YYYY-MM-DD or empty)")
            if not marked.strip() or marked != marked.strip():
                raise GoldError("text is empty or has leading/trailing whitespace")
            text, entities = parse_text(marked, ids)
        except GoldError as exc:
            raise SystemExit(f"{where}: {exc}")
        record = {"id": pid, "text": text}
        if date:
            record["date"] = date
        record["entities"] = entities
        records.append(record)
    return records


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Build an entity gold JSONL file from annotated sources.")
    parser.add_argument("--src", type=Path, default=SRC_DIR, metavar="DIR",
                        help=f"folder of *.txt sources (default: {display(SRC_DIR)})")
    parser.add_argument("--out", type=Path, default=OUT_FILE, metavar="FILE",
                        help=f"output JSONL file (default: {display(OUT_FILE)})")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    src_dir, out_file = args.src.resolve(), args.out.resolve()
    ids = load_ids(IDS_FILE)
    if not src_dir.is_dir():
        raise SystemExit(f"{display(src_dir)}: not a directory")
    files = sorted(src_dir.glob("*.txt"))
    if not files:
        raise SystemExit(f"{display(src_dir)}: no *.txt source files")
    seen = {}
    records = []
    for path in files:
        records.extend(parse_file(path, ids, seen))
    if not out_file.parent.is_dir():
        raise SystemExit(f"{display(out_file.parent)}: output folder does not exist")
    # write to a temporary file next to the output, then rename: never a half-written file
    tmp_file = out_file.with_name(f".{out_file.name}.tmp")
    with tmp_file.open("w", encoding="utf-8", newline="\n") as out:
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    os.replace(tmp_file, out_file)
    counts = {t: 0 for t in TYPES}
    for rec in records:
        for e in rec["entities"]:
            counts[e["type"]] += 1
    summary = ", ".join(f"{t}={n}" for t, n in counts.items())
    print(f"wrote {display(out_file)}: {len(records)} passages from "
          f"{len(files)} files; entities {summary}")


if __name__ == "__main__":
    main()

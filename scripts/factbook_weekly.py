#!/usr/bin/env python3
"""Reads the heads of state and of government out of the weekly snapshots of the CIA World
Factbook kept in the public repository factbook/factbook.json (one commit a week or so since
November 2020, a few in 2014-2017).

Used by import_factbook.py. The annual editions (factbook_heads.py) date a change to a year; the
snapshots date it to the week, so a holder who served a few months between two editions is seen,
and the end of a spell is the start of the holder seen in the next snapshot. Each snapshot's
country file (`europe/gm.json`, named by the Factbook's own country code) has the
`Government / Executive branch / chief of state` and `head of government` texts in the same form
as the editions, and factbook_heads.holders reads them.
"""
import collections
import csv
import datetime
import io
import json
import subprocess

from factbook_heads import holders, read


def git(repo, *args):
    return subprocess.run(["git", "--git-dir", repo, *args], check=True,
                          capture_output=True).stdout.decode()


def iso3_by_code(archive, iso2_to_iso3):
    """The Factbook's country codes (GM, KV) to ISO alpha-3, from the annual archive's table."""
    rows = csv.DictReader(io.StringIO(read(archive, "data/reference_tables/master_countries.csv").decode()))
    out = {}
    for r in rows:
        iso2 = r["ISOAlpha2"] or ("XK" if r["CanonicalCode"] == "KV" else "")
        if iso2 in iso2_to_iso3:
            out[r["CanonicalCode"].lower()] = iso2_to_iso3[iso2]
    return out


def snapshots(repo, since):
    """(date, commit) of the last commit of each day that changed a country file, from the first
    weekly update after `since` (the commits of November 2020 before it still hold 2017 texts:
    Grybauskaitė for Lithuania) up to the last one (later commits only move files)."""
    days, first, last = {}, None, None
    for line in git(repo, "log", "--format=%H %cs %s", "--reverse", "--", "*/*.json").split("\n"):
        if not line:
            continue
        commit, day, subject = line.split(" ", 2)
        if subject.startswith("auto-update") and day >= since:
            first, last = first or day, day
        if first:
            days[day] = commit
    return sorted((d, c) for d, c in days.items() if last and d <= last)


def blobs(repo, commit):
    """{country code: blob id} of a snapshot's country files."""
    out = {}
    for line in git(repo, "ls-tree", "-r", commit).split("\n"):
        if line.endswith(".json") and "/" in line:
            meta, path = line.split("\t")
            code = path.rsplit("/", 1)[1][:-5]
            out[code] = meta.split()[2]
    return out


def executive(text):
    """The executive-branch texts of one country file, as one `chief of state: ...` text."""
    branch = json.loads(text).get("Government", {}).get("Executive branch", {})
    return " ".join(f"{k}: {branch[k].get('text', '')}" for k in
                    ("chief of state", "head of government") if isinstance(branch.get(k), dict))


def read_blobs(repo, ids):
    """{blob id: content} in one `git cat-file --batch` call."""
    proc = subprocess.run(["git", "--git-dir", repo, "cat-file", "--batch"], check=True,
                          input="\n".join(ids).encode() + b"\n", capture_output=True)
    out, data, pos = {}, proc.stdout, 0
    while pos < len(data):
        nl = data.index(b"\n", pos)
        oid, _, size = data[pos:nl].decode().split()
        out[oid] = data[nl + 1: nl + 1 + int(size)].decode("utf-8")
        pos = nl + 1 + int(size) + 1
    return out


def weekly(repo, archive, iso2_to_iso3, since="2020-11-01"):
    """Yields (date, iso3, holder tuple) for every snapshot from `since` on."""
    by_code = iso3_by_code(archive, iso2_to_iso3)
    shots = [(datetime.date.fromisoformat(d), blobs(repo, c)) for d, c in snapshots(repo, since)]
    wanted = {b for _, files in shots for code, b in files.items() if code in by_code}
    parsed = collections.defaultdict(list)
    for oid, text in read_blobs(repo, sorted(wanted)).items():
        parsed[oid] = list(holders(executive(text)))
    for when, files in shots:
        for code, oid in sorted(files.items()):
            if code in by_code:
                for h in parsed[oid]:
                    yield when, by_code[code], h

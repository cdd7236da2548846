#!/usr/bin/env python3
"""Merges leaders after Archigos' end (2015) from a REIGN leader list into dictionaries/leaders.tsv.

Usage: import_reign.py LEADERLIST_CSV DICT_DIR

REIGN (Bell, One Earth Future) continues Archigos month by month; its leader list
(`data_sets/leaderlist_M_YY.csv` in the OEFDataScience/REIGN.github.io repository) gives each
spell's start day and its end month. Only spells that end after Archigos' data (2015-12-31) are
read, and only closed ones: a spell still open in the list may have ended since.
  - The end day is the successor's start day when the successor took office in the end month;
    otherwise the end is given to the month (`2019-06`).
  - A spell of someone already listed (same folded name and country) is added when it overlaps
    none of their roles. Someone listed for the country with a similar surname (REIGN often
    misspells: "Tschisekedi") at an overlapping time is taken to be the same person and left alone.
  - A spell is added to someone listed under the same folded name and country only when it
    starts within MAX_GAP years of their other roles: two Icelandic prime ministers named Bjarni
    Benediktsson served 47 years apart.
  - A new person must have taken office after 2015 (earlier ones are Archigos' or hand-made, and
    REIGN's names for them are often two surnames, "Santos Calderon") and needs a full name: two
    words or more, letters only, each capitalised (REIGN often gives a surname alone, and names
    San Marino's pairs of captains regent together; San Marino is left out). A surname that is an
    ordinary word (rules/common-words.txt, rules/not-names.txt) is not made a short form.
The title comes from `title_leaders.OFFICES` when the state's effective office is known there,
otherwise `Leader`. Rows are facts restated in our format; the source file itself is not kept.
"""
import csv
import difflib
import re
import sys

from import_archigos import COW_TO_ISO, fold, overlaps, role_periods, read_leaders, slug, write_leaders
from title_leaders import title_for

AFTER = "2015-12-31"
MAX_GAP = 20
SKIP = {"SMR"}
PARTICLES = {"Ibn", "Bin", "Al", "El", "Abu", "Ould", "Van", "Von", "De", "Da", "Dos"}
WORD = re.compile(r"[^\W\d_a-z][^\W\d_]*(?:['-][^\W\d_]+)*")


def reign_spells(path):
    """(ISO country, name, start, end) per closed spell, ends resolved against successors."""
    rows = list(csv.DictReader(open(path, encoding="utf-8", errors="replace")))
    starts = {}
    for r in rows:
        if r["syear"] and r["smonth"] and r["sdate"]:
            key = (r["stateabb"], int(r["syear"]), int(r["smonth"]))
            starts.setdefault(key, []).append(f"{int(r['syear']):04}-{int(r['smonth']):02}-{int(r['sdate']):02}")
    out = []
    for r in rows:
        if not (r["syear"] and r["sdate"] and r["eyear"] and r["emonth"]):
            continue
        start = f"{int(r['syear']):04}-{int(r['smonth']):02}-{int(r['sdate']):02}"
        ey, em = int(r["eyear"]), int(r["emonth"])
        succ = [s for s in starts.get((r["stateabb"], ey, em), []) if s > start]
        end = min(succ) if len(set(succ)) == 1 else f"{ey:04}-{em:02}"
        if end > AFTER:
            out.append((COW_TO_ISO.get(r["stateabb"], r["stateabb"]), r["leader"].strip(), start, end))
    return out


def similar_surname(a, b):
    return a == b or (min(len(a), len(b)) >= 5 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.8)


def full_name(name):
    """Two capitalised words or more, the first a given name ("Ibn Auf" is not)."""
    words = name.split(" ")
    return (len(words) >= 2 and all(WORD.fullmatch(w) for w in words)
            and words[0] not in PARTICLES)


def listed_alike(rows, iso, name, period):
    """Someone listed for the country at an overlapping time with a name word alike."""
    mine = [w for w in fold(name).split(" ") if len(w) >= 4]
    for r in rows:
        if len(r) < 6 or r[4] != iso:
            continue
        words = fold(r[1]).split(" ") + fold(r[3]).split(" ")
        if any(similar_surname(m, w) for m in mine for w in words) and any(
                overlaps(period, h) for h in role_periods(r[5])):
            return True
    return False


def near(period, roles, gap=MAX_GAP):
    """The spell lies within `gap` years of one of the person's roles."""
    a, b = int(period[0][:4]), int((period[1] or "9999")[:4])
    return any(int(s[:4]) - b <= gap and a - int((e or "9999")[:4]) <= gap
               for s, e in role_periods(roles))


def ordinary_words(dict_dir):
    out = set()
    for name in ("common-words.txt", "not-names.txt"):
        for line in open(f"{dict_dir}/rules/{name}", encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                out.add(fold(line.strip()))
    return out


def main(reign_path, dict_dir):
    path = f"{dict_dir}/leaders.tsv"
    countries = {line.split("\t")[0] for line in open(f"{dict_dir}/countries.tsv", encoding="utf-8")}
    header, rows = read_leaders(path)
    by_name = {}
    for r in rows:
        if len(r) >= 6:
            for a in [r[1]] + r[2].split("|"):
                if a:
                    by_name.setdefault((fold(a.lstrip("=?")), r[4]), r)
    ids = {r[0] for r in rows}
    ordinary = ordinary_words(dict_dir)
    added, extended = [], 0
    for iso, name, start, end in reign_spells(reign_path):
        if iso not in countries or iso in SKIP:
            continue
        title = title_for(iso, start, end) or "Leader"
        role = f"{title} {start}..{end}"
        known = by_name.get((fold(name), iso))
        if known:
            roles = role_periods(known[5])
            if near((start, end), known[5]) and not any(overlaps((start, end), h) for h in roles):
                known[5] = f"{known[5]}; {role}" if known[5] else role
                extended += 1
            continue
        if start <= AFTER or not full_name(name) or listed_alike(rows + added, iso, name, (start, end)):
            continue
        pid = slug(name) if slug(name) not in ids else f"{slug(name)}-{iso.lower()}"
        if pid in ids:
            continue
        last = name.split(" ")[-1]
        short = last if len(last) > 3 and fold(last) not in ordinary else ""
        added.append([pid, name, "", short, iso, role])
        ids.add(pid)
        by_name[(fold(name), iso)] = added[-1]
    write_leaders(path, header, rows, added)
    print(f"added {len(added)}, extended {extended}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
